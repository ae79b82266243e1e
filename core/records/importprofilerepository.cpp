// SPDX-License-Identifier: MIT
#include "records/importprofilerepository.h"

#include "db/sqlquery.h"
#include "import/csvreader.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace simdesk {

namespace {

const QString kSelect
    = QStringLiteral("SELECT id, name, header_signature, mapping::text, default_type, updated_by, "
                     "updated_at FROM import_profiles ");

ImportProfile readProfile(const QueryResult &q)
{
    ImportProfile p;
    p.id = q.value(0).toLongLong();
    p.name = q.value(1).toString();
    p.headerSignature = q.value(2).toString();
    const QJsonObject mapping = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
    for (auto it = mapping.begin(); it != mapping.end(); ++it)
        p.mapping.insert(it.key(), it.value().toString());
    if (!q.isNull(4))
        p.defaultType = simTypeFromKey(q.value(4).toString());
    p.updatedBy = q.value(5).toString();
    p.updatedAt = q.value(6).toDateTime();
    return p;
}

} // namespace

Result<QList<ImportProfile>> ImportProfileRepository::list() const
{
    Result<QueryResult> q = runQuery(m_db, kSelect + QStringLiteral("ORDER BY lower(name)"));
    if (!q)
        return q.error();
    QList<ImportProfile> profiles;
    while (q.value().next())
        profiles.append(readProfile(*q));
    return profiles;
}

Result<std::optional<ImportProfile>> ImportProfileRepository::findForHeader(
    const QString &signature) const
{
    Result<QueryResult> q = runQuery(m_db,
        kSelect
            + QStringLiteral(
                "WHERE header_signature = $1 ORDER BY updated_at DESC, id DESC LIMIT 1"),
        { signature });
    if (!q)
        return q.error();
    if (!q.value().next())
        return std::optional<ImportProfile>();
    return std::optional<ImportProfile>(readProfile(*q));
}

Result<ImportProfile> ImportProfileRepository::save(const ImportProfile &profile)
{
    const QString name = profile.name.trimmed();
    if (name.isEmpty())
        return Error(ErrorCode::FieldRequired,
            { QCoreApplication::translate("simdesk::ImportProfileRepository", "The name") });
    QJsonObject mapping;
    for (auto it = profile.mapping.cbegin(); it != profile.mapping.cend(); ++it) {
        // The database refuses such a profile too (SD023); said here in words first.
        if (Status allowed = CsvReader::checkMapping(it.key(), it.value()); !allowed)
            return allowed.error();
        mapping.insert(it.key(), it.value());
    }
    Result<QueryResult> q = runSingle(m_db,
        QStringLiteral(
            "INSERT INTO import_profiles (name, header_signature, mapping, default_type) "
            "VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (name) DO UPDATE SET "
            "header_signature = EXCLUDED.header_signature, mapping = EXCLUDED.mapping, "
            "default_type = EXCLUDED.default_type "
            "RETURNING id"),
        { name, profile.headerSignature,
            QString::fromUtf8(QJsonDocument(mapping).toJson(QJsonDocument::Compact)),
            profile.defaultType ? QVariant(simTypeKey(*profile.defaultType))
                                : nullable(std::optional<QString>()) },
        name);
    if (!q)
        return q.error();
    Result<QueryResult> saved
        = runSingle(m_db, kSelect + QStringLiteral("WHERE id = $1"), { q->value(0) }, name);
    if (!saved)
        return saved.error();
    return readProfile(*saved);
}

Status ImportProfileRepository::remove(qint64 id)
{
    // A function: no role has DELETE on the table (sql/011_hardening.sql).
    Result<QueryResult> q
        = runQuery(m_db, QStringLiteral("SELECT simdesk_import_profile_delete($1)"), { id });
    if (!q)
        return q.error();
    return {};
}

} // namespace simdesk
