// SPDX-License-Identifier: MIT
#include "records/importbatchrepository.h"

#include "db/sqlquery.h"

#include <QCoreApplication>

#include <algorithm>

namespace simdesk {

namespace {

const QString kSelect = QStringLiteral(
    "SELECT b.id, b.file_name, b.format, b.checksum, b.status, b.total_rows, b.created_count, "
    "b.skipped_count, b.created_by, coalesce(s.display_name, b.created_by), b.created_at, "
    "b.reverted_by, b.reverted_at FROM import_batches b LEFT JOIN staff s ON s.login = "
    "b.created_by ");

ImportBatch readBatch(const QueryResult &q)
{
    ImportBatch b;
    b.id = q.value(0).toLongLong();
    b.fileName = q.value(1).toString();
    b.format = q.value(2).toString();
    b.checksum = q.value(3).toString();
    b.status = q.value(4).toString();
    b.totalRows = q.value(5).toLongLong();
    b.createdCount = q.value(6).toLongLong();
    b.skippedCount = q.value(7).toLongLong();
    b.createdBy = q.value(8).toString();
    b.createdByName = q.value(9).toString();
    b.createdAt = q.value(10).toDateTime();
    b.revertedBy = q.value(11).toString();
    b.revertedAt = q.value(12).toDateTime();
    return b;
}

} // namespace

Result<QList<ImportBatch>> ImportBatchRepository::list(int limit) const
{
    Result<QueryResult> q = runQuery(m_db,
        kSelect + QStringLiteral("ORDER BY b.created_at DESC, b.id DESC LIMIT $1"), { limit });
    if (!q)
        return q.error();
    QList<ImportBatch> batches;
    while (q.value().next())
        batches.append(readBatch(*q));
    return batches;
}

Result<ImportBatchDetail> ImportBatchRepository::detail(qint64 id) const
{
    Result<QueryResult> q = runSingle(m_db, kSelect + QStringLiteral("WHERE b.id = $1"), { id },
        QCoreApplication::translate("simdesk::ImportBatchRepository", "Import batch %1").arg(id));
    if (!q)
        return q.error();
    ImportBatchDetail d;
    d.batch = readBatch(*q);
    Result<QueryResult> counts = runQuery(m_db,
        QStringLiteral("SELECT status, count(*) FROM sim_cards WHERE import_batch_id = $1 "
                       "GROUP BY status ORDER BY status"),
        { id });
    if (!counts)
        return counts.error();
    while (counts.value().next()) {
        d.cardsByStatus.insert(counts->value(0).toString(), counts->value(1).toLongLong());
        d.cardsNow += counts->value(1).toLongLong();
    }
    // Through the card: events written by the import carry the batch, later ones do not.
    Result<QueryResult> events = runQuery(m_db,
        QStringLiteral("SELECT count(*) FROM sim_events e JOIN sim_cards c ON c.id = e.sim_id "
                       "WHERE c.import_batch_id = $1 AND e.event_type <> 'IMPORTED'"),
        { id });
    if (!events)
        return events.error();
    events.value().next();
    d.eventsAfterImport = events->value(0).toLongLong();
    return d;
}

Result<ImportBatchProblemPage> ImportBatchRepository::problems(
    qint64 batchId, qint64 offset, int limit) const
{
    ImportBatchProblemPage page;
    Result<QueryResult> count = runQuery(m_db,
        QStringLiteral("SELECT count(*) FROM import_batch_problems WHERE batch_id = $1"),
        { batchId });
    if (!count)
        return count.error();
    count.value().next();
    page.total = count->value(0).toLongLong();
    // Problems of one line (e.g. two bad fields) in the order the import found them.
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT line, \"column\", code, message FROM import_batch_problems "
                       "WHERE batch_id = $1 ORDER BY line, id OFFSET $2 LIMIT $3"),
        { batchId, std::max<qint64>(offset, 0), std::max(limit, 0) });
    if (!q)
        return q.error();
    while (q.value().next()) {
        ImportBatchProblem p;
        p.line = q->value(0).toLongLong();
        p.column = q->value(1).toString();
        p.code = q->value(2).toString();
        p.message = q->value(3).toString();
        page.problems.append(p);
    }
    return page;
}

} // namespace simdesk
