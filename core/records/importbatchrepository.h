// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QSqlDatabase>

namespace simdesk {

// One import, as import_batches keeps it.
struct ImportBatch
{
    qint64 id = 0;
    QString fileName;
    QString format; // "csv", "vendor-out"
    QString checksum; // SHA-256 of the file, hex
    QString status; // "COMMITTED", "REVERTED"
    qint64 totalRows = 0;
    qint64 createdCount = 0;
    qint64 skippedCount = 0;
    QString createdBy; // login
    QString createdByName; // the staff profile's display name, or the login
    QDateTime createdAt;
    QString revertedBy;
    QDateTime revertedAt;

    bool reverted() const { return status == QLatin1String("REVERTED"); }
};

// What a batch's detail shows beyond the history row: its cards as they are now.
struct ImportBatchDetail
{
    ImportBatch batch;
    qint64 cardsNow = 0; // cards that still carry the batch
    QMap<QString, qint64> cardsByStatus; // status key → count
    qint64 eventsAfterImport = 0; // events on its cards other than the import itself
};

// A row the import skipped, as the committing import recorded it (010, import_batch_problems).
struct ImportBatchProblem
{
    qint64 line = 0; // 1-based line of the file; 0: the file as a whole
    QString column; // "iccid", "msisdn", …, or empty for the whole row
    QString code; // the error's key, e.g. "ImportIccidLuhn"
    QString message; // as worded for the admin who imported
};

// One page of a batch's problems, and how many it has in all.
struct ImportBatchProblemPage
{
    QList<ImportBatchProblem> problems;
    qint64 total = 0;
};

// The history of imports (read by every role; the Imports page). Reverting is ImportService's.
class ImportBatchRepository
{
public:
    explicit ImportBatchRepository(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // Newest first, at most `limit`.
    Result<QList<ImportBatch>> list(int limit = 1000) const;
    // NotFound when there is no such batch.
    Result<ImportBatchDetail> detail(qint64 id) const;
    // The batch's recorded problems in file order, `limit` from `offset` (at most 100,000 are
    // recorded per batch). A batch without problems, or an unknown one, has none.
    Result<ImportBatchProblemPage> problems(
        qint64 batchId, qint64 offset = 0, int limit = 1000) const;

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
