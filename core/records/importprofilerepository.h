// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "domain/simtypes.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace simdesk {

// A named column mapping for one vendor's CSV layout (table import_profiles), shared by every
// admin workstation; picked automatically for a file with the same header.
struct ImportProfile
{
    qint64 id = 0;
    QString name;
    QString headerSignature; // importfileinfo.h headerSignature()
    QHash<QString, QString> mapping; // ImportOptions::columnMapping
    std::optional<SimType> defaultType;
    QString updatedBy;
    QDateTime updatedAt;
};

// Import profiles: admins read and write them (the database refuses other roles), every change
// audited (audit_log).
class ImportProfileRepository
{
public:
    explicit ImportProfileRepository(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // By name.
    Result<QList<ImportProfile>> list() const;
    // The profile last saved for this header, if any.
    Result<std::optional<ImportProfile>> findForHeader(const QString &signature) const;
    // Creates the profile, or replaces the one of the same name (trimmed); FieldRequired
    // without a name, ImportColumnHoldsSecrets for a mapping that would import a secret column
    // as a field every user sees (CsvReader::checkMapping()).
    Result<ImportProfile> save(const ImportProfile &profile);
    Status remove(qint64 id);

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
