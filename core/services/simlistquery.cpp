// SPDX-License-Identifier: MIT
#include "services/simlistquery.h"

#include "db/database.h"
#include "db/sqlquery.h"
#include "services/identifierlist.h"
#include "services/simlistsql.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <libpq-fe.h>

#include <algorithm>
#include <cmath>

namespace simdesk {

namespace {

// Planner cost up to which the locator of rowsAt() walks the position with OFFSET. An
// index-only walk over half of 1,000,000 entries costs about 15,000 here and takes 20–40 ms;
// a walk that visits the heap costs ten times more (calibrated in tests/bench/bench_simlist.cpp).
constexpr double kLocatorCostLimit = 25000.0;
// About this many table rows are read by the sample of rowsAt()'s fallback.
constexpr double kSampleRows = 20000.0;

// Filters that usually match few cards through their own index. Ordered by another index with
// a LIMIT, the planner expects their matches spread evenly and walks that index; but matches
// cluster (a batch, an ICCID range, recent changes are neighbours in id), and the walk then
// reads most of the table (300-800 ms at a million). Such a filter, when the planner expects
// at most kFenceRows matches, is applied first and its matches sorted. When it expects more,
// the next kWindowRows rows of the sort order are read and filtered first (bounded: 10–20 ms at
// a million): matches spread through the table fill a page there; matches clustered far away
// (an ICCID prefix that is one late batch) are then fenced after all, which costs about 15 ms
// per 60,000 matches instead of a walk through most of the table (0.5–1 s).
bool narrow(const SimListFilter &f)
{
    return f.customerId || f.importBatchId || f.changedSince.isValid() || f.activatedFrom.isValid()
        || f.activatedTo.isValid() || !f.search.trimmed().isEmpty()
        || !f.iccidFirst.trimmed().isEmpty() || !f.iccidLast.trimmed().isEmpty();
}
// After a missed window, later pages of the filter go straight to the fence only up to this
// many expected matches (the fence costs about 15 ms per 60,000); beyond it the window is
// cheaper on average even when it misses now and then.
constexpr double kFenceAfterMissRows = 200000.0;

// A row in SimListSql's row layout (simlistsql.h).
SimListRow readRow(const QueryResult &q)
{
    SimListRow r;
    r.id = q.value(0).toLongLong();
    r.iccid = q.value(1).toString();
    r.msisdn = q.value(2).toString();
    r.imsi = q.value(3).toString();
    r.status = statusFromKey(q.value(4).toString()).value_or(SimStatus::Available);
    r.type = simTypeFromKey(q.value(5).toString()).value_or(SimType::Prepaid);
    r.customerId = optionalId(q.value(6));
    r.tariffPlanId = optionalId(q.value(7));
    r.version = q.value(9).toInt();
    r.customerNo = q.value(10).toString();
    r.customerName = q.value(11).toString();
    r.tariffName = q.value(12).toString();
    r.updatedAtUs = q.value(13).toLongLong();
    if (q.columnCount() > 14)
        r.listPosition = q.value(14).toLongLong();
    // From the exact value rather than column 8's text: parsing 10,000 timestamps and turning
    // each into local time cost more than the query of a pasted list. UTC; shown in local time.
    r.updatedAt = QDateTime::fromMSecsSinceEpoch(
        r.updatedAtUs >= 0 ? r.updatedAtUs / 1000 : (r.updatedAtUs - 999) / 1000, Qt::UTC);
    return r;
}

// The cursor (sort key, id) in the next row of `q`; none when there is no row.
std::optional<SimListCursor> cursorIn(QueryResult &q)
{
    if (!q.next())
        return std::nullopt;
    return SimListCursor { q.value(0), q.value(1).toLongLong() };
}

Result<QList<SimListRow>> readRows(Result<QueryResult> q)
{
    if (!q)
        return q.error();
    QList<SimListRow> rows;
    while (q.value().next())
        rows.append(readRow(q.value()));
    return rows;
}

// Runs a query; with `noSeqScan` the planner may not read the whole table for it. It prices the
// 10,000 index probes of a pasted list above a sequential scan (random_page_cost), which at a
// million cached cards is several times slower. The setting is local to a transaction of our
// own, or to a savepoint rolled back right after when the caller has a transaction open, so
// nothing else on the connection sees it.
Result<QueryResult> runPlanned(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values, bool noSeqScan)
{
    if (!noSeqScan)
        return runQuery(db, sql, values);
    pg_conn *conn = Database::pgconn(db);
    const bool inTransaction = conn && PQtransactionStatus(conn) != PQTRANS_IDLE;
    const QString begin
        = inTransaction ? QStringLiteral("SAVEPOINT simdesk_list") : QStringLiteral("BEGIN");
    const QString end = inTransaction ? QStringLiteral("ROLLBACK TO SAVEPOINT simdesk_list")
                                      : QStringLiteral("COMMIT");
    if (Result<QueryResult> r = runQuery(db, begin); !r)
        return r.error();
    Result<QueryResult> result = runQuery(db, QStringLiteral("SET LOCAL enable_seqscan = off"));
    if (result)
        result = runQuery(db, sql, values);
    if (!result) {
        (void)runQuery(db, inTransaction ? end : QStringLiteral("ROLLBACK"));
        return result;
    }
    if (Result<QueryResult> r = runQuery(db, end); !r)
        return r.error();
    if (inTransaction)
        (void)runQuery(db, QStringLiteral("RELEASE SAVEPOINT simdesk_list"));
    return result;
}

Result<QueryResult> runPlanned(
    const QSqlDatabase &db, const QString &statement, const SimListSql &sql)
{
    return runPlanned(db, statement, sql.values(), sql.noSeqScan());
}

// Customer numbers and names and tariff names of many rows, one query each.
Status fillNames(const QSqlDatabase &db, QList<SimListRow> &rows)
{
    QSet<qint64> customerSet;
    QSet<qint64> tariffSet;
    for (const SimListRow &r : rows) {
        if (r.customerId)
            customerSet.insert(*r.customerId);
        if (r.tariffPlanId)
            tariffSet.insert(*r.tariffPlanId);
    }
    QHash<qint64, QPair<QString, QString>> customers;
    QHash<qint64, QString> tariffs;
    if (!customerSet.isEmpty()) {
        Result<QueryResult> q = runQuery(db,
            QStringLiteral(
                "SELECT id, customer_no, full_name FROM customers WHERE id = ANY($1::bigint[])"),
            { QVariant::fromValue(QList<qint64>(customerSet.cbegin(), customerSet.cend())) });
        if (!q)
            return q.error();
        while (q.value().next())
            customers.insert(q.value().value(0).toLongLong(),
                { q.value().value(1).toString(), q.value().value(2).toString() });
    }
    if (!tariffSet.isEmpty()) {
        Result<QueryResult> q = runQuery(db,
            QStringLiteral("SELECT id, name FROM tariff_plans WHERE id = ANY($1::bigint[])"),
            { QVariant::fromValue(QList<qint64>(tariffSet.cbegin(), tariffSet.cend())) });
        if (!q)
            return q.error();
        while (q.value().next())
            tariffs.insert(q.value().value(0).toLongLong(), q.value().value(1).toString());
    }
    for (SimListRow &r : rows) {
        if (r.customerId) {
            const QPair<QString, QString> c = customers.value(*r.customerId);
            r.customerNo = c.first;
            r.customerName = c.second;
        }
        if (r.tariffPlanId)
            r.tariffName = tariffs.value(*r.tariffPlanId);
    }
    return {};
}

struct PlanEstimate
{
    double rows = 0;
    double cost = 0;
};

Result<PlanEstimate> explain(const QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    Result<QueryResult> q = runQuery(db, QStringLiteral("EXPLAIN (FORMAT JSON) ") + sql, values);
    if (!q)
        return q.error();
    if (!q.value().next())
        return Error(ErrorCode::QueryFailed, {}, QStringLiteral("EXPLAIN returned nothing"));
    const QJsonDocument doc = QJsonDocument::fromJson(q.value().value(0).toString().toUtf8());
    const QJsonObject plan = doc.array().first().toObject().value(QLatin1String("Plan")).toObject();
    return PlanEstimate { plan.value(QLatin1String("Plan Rows")).toDouble(),
        plan.value(QLatin1String("Total Cost")).toDouble() };
}

} // namespace

bool SimListFilter::isEmpty() const
{
    return statuses.isEmpty() && !type && !tariffPlanId && !noTariff && !customerId
        && !importBatchId && !changedSince.isValid() && !activatedFrom.isValid()
        && !activatedTo.isValid() && search.trimmed().isEmpty() && identifiers.isEmpty()
        && iccidFirst.trimmed().isEmpty() && iccidLast.trimmed().isEmpty();
}

QString SimListQuery::searchDigits(const QString &input)
{
    return IdentifierList::searchDigits(input);
}

QStringList SimListQuery::splitIdentifierList(const QString &text)
{
    return IdentifierList::split(text);
}

SimListCursor SimListQuery::cursorOf(const SimListRow &row, SimListSortKey key)
{
    SimListCursor c;
    c.id = row.id;
    switch (key) {
    case SimListSortKey::Id:
        break;
    case SimListSortKey::Iccid:
        c.key = row.iccid;
        break;
    case SimListSortKey::Msisdn:
        c.key = row.msisdn.isEmpty() ? QVariant() : QVariant(row.msisdn);
        break;
    case SimListSortKey::Status:
        c.key = statusKey(row.status);
        break;
    case SimListSortKey::UpdatedAt:
        c.key = row.updatedAtUs;
        break;
    case SimListSortKey::Pasted:
        c.key = row.listPosition;
        break;
    }
    return c;
}

SimListSort SimListQuery::effectiveSort(const SimListFilter &filter, const SimListSort &sort)
{
    if (sort.key == SimListSortKey::Pasted && filter.identifiers.isEmpty())
        return { SimListSortKey::Id, sort.order };
    return sort;
}

void SimListQuery::refresh() const
{
    m_estimateKey.clear();
    m_listLines.clear();
    m_listIds.clear();
}

Status SimListQuery::filterSql(const SimListFilter &filter, SimListSql &sql) const
{
    if (filter.identifiers.isEmpty() || filter.identifiers.size() > kMaxIdentifiers)
        return sql.addFilter(filter);
    // A pasted list is matched once (10,000 index probes); its pages and totals then read
    // the matching ids only.
    if (filter.identifiers != m_listLines) {
        // Only the list's part of the filter: the ids of all its cards, in list order (which
        // the Pasted order numbers).
        SimListSql match;
        const QString select = match.listOrderSelect(IdentifierList(filter.identifiers));
        Result<QueryResult> q = runPlanned(m_db, select, match);
        if (!q)
            return q.error();
        QList<qint64> ids;
        while (q.value().next())
            ids << q.value().value(0).toLongLong();
        m_listLines = filter.identifiers;
        m_listIds = ids;
    }
    return sql.addFilter(filter, &m_listIds);
}

Result<bool> SimListQuery::fenced(const SimListFilter &filter, const SimListSql &sql) const
{
    if (!narrow(filter))
        return false;
    // One EXPLAIN per filter: pages of the same filter reuse its estimate.
    const QString cacheKey = sql.cacheKey();
    if (cacheKey != m_estimateKey) {
        Result<PlanEstimate> plan = explain(m_db, sql.matchSelect(), sql.values());
        if (!plan)
            return plan.error();
        m_estimateKey = cacheKey;
        m_estimateRows = plan->rows;
        m_windowMissed = false;
    }
    return m_estimateRows <= m_fenceRows;
}

Result<SimListPage> SimListQuery::page(const SimListFilter &filter, const SimListSort &asked,
    const SimListCursor *cursor, bool backward, bool inclusive, int n, qint64 offset) const
{
    const SimListSort sort = effectiveSort(filter, asked);
    const bool ascending = (sort.order == Qt::AscendingOrder) != backward;
    const QList<SimListPart> parts
        = SimListSql::keysetParts(filter, sort.key, ascending, cursor, inclusive);
    // Parts are read one after the other, the next only when the page is not full yet: the
    // second part is not even started while scrolling through the first. (With an offset, in
    // one statement.)
    QList<QList<SimListPart>> steps;
    if (offset > 0 || parts.size() < 2) {
        steps << parts;
    } else {
        for (const SimListPart &p : parts)
            steps << QList<SimListPart> { p };
    }
    SimListPage page;
    for (const QList<SimListPart> &step : steps) {
        const int want = n - int(page.rows.size());
        if (want <= 0 || step.isEmpty())
            break;
        SimListSql filtered;
        if (Status s = filterSql(filter, filtered); !s)
            return s.error();
        Result<QList<SimListRow>> rows
            = readStep(filter, filtered, step, sort.key, ascending, offset, want);
        if (!rows)
            return rows.error();
        page.rows.append(std::move(rows.value()));
    }
    if (backward)
        std::reverse(page.rows.begin(), page.rows.end());
    return page;
}

Result<QList<SimListRow>> SimListQuery::readStep(const SimListFilter &filter,
    const SimListSql &filtered, const QList<SimListPart> &step, SimListSortKey key, bool ascending,
    qint64 offset, int want) const
{
    enum class Plan { Planner, Window, Fence };
    // Each read adds its own bound values to a copy of the filter's statement.
    auto read = [&](Plan plan) -> Result<QList<SimListRow>> {
        SimListSql sql = filtered;
        const QString ids = plan == Plan::Window
            ? sql.windowedIds(step.first(), key, want, m_windowRows)
            : sql.orderedIds(step, key, ascending, offset, want, plan == Plan::Fence);
        return readRows(runPlanned(m_db, SimListSql::pageSelect(ids, key, ascending), sql));
    };
    // The Pasted order reads only the list's cards (at most kMaxIdentifiers) whatever else the
    // filter says: neither a window of the table nor a fence helps it.
    const bool pasted = key == SimListSortKey::Pasted;
    Result<bool> fence = pasted ? Result<bool>(false) : fenced(filter, filtered);
    if (!fence)
        return fence.error();
    // An 8-digit ICCID prefix is fenced straight away: its fence stops after a page
    // (SimListSql::searchWalks()), while a window over the newest cards would miss an old batch.
    Plan plan = *fence || filtered.searchWalks() ? Plan::Fence : Plan::Planner;
    if (!pasted && plan == Plan::Planner && narrow(filter) && offset == 0 && step.size() == 1)
        plan = m_windowMissed && m_estimateRows <= kFenceAfterMissRows ? Plan::Fence : Plan::Window;
    Result<QList<SimListRow>> rows = read(plan);
    if (rows && plan == Plan::Window && rows->size() < want) {
        m_windowMissed = true;
        rows = read(Plan::Fence);
    }
    return rows;
}

Result<SimListPage> SimListQuery::firstPage(
    const SimListFilter &filter, const SimListSort &sort, int n) const
{
    return page(filter, sort, nullptr, false, false, n, 0);
}

Result<SimListPage> SimListQuery::lastPage(
    const SimListFilter &filter, const SimListSort &sort, int n) const
{
    return page(filter, sort, nullptr, true, false, n, 0);
}

Result<SimListPage> SimListQuery::pageAfter(
    const SimListFilter &filter, const SimListSort &sort, const SimListCursor &cursor, int n) const
{
    return page(filter, sort, &cursor, false, false, n, 0);
}

Result<SimListPage> SimListQuery::pageBefore(
    const SimListFilter &filter, const SimListSort &sort, const SimListCursor &cursor, int n) const
{
    return page(filter, sort, &cursor, true, false, n, 0);
}

Result<SimListPage> SimListQuery::rowsAt(const SimListFilter &filter, const SimListSort &sort,
    qint64 offset, int n, const SimListTotal &total) const
{
    offset = std::max<qint64>(offset, 0);
    // Near the end of an exact total the page is short; with an estimate it is the last n rows.
    if (total.exact && offset + n > total.count)
        n = int(std::max<qint64>(total.count - offset, 0));
    if (n == 0) {
        SimListPage empty;
        empty.offset = offset;
        return empty;
    }
    const qint64 fromEnd = std::max<qint64>(total.count - offset - n, 0);
    const bool backward = offset > fromEnd;
    const qint64 skip = backward ? fromEnd : offset;
    auto placed = [&](Result<SimListPage> p, bool exact) -> Result<SimListPage> {
        if (!p)
            return p;
        p.value().offset = backward
            ? std::max<qint64>(total.count - fromEnd - p.value().rows.size(), 0)
            : offset;
        p.value().positionExact = exact && (!backward || total.exact);
        return p;
    };
    if (skip == 0)
        return placed(page(filter, sort, nullptr, backward, false, n, 0), true);
    Result<JumpStart> start = locate(filter, sort, backward, skip, total);
    if (!start)
        return start.error();
    switch (start->from) {
    case JumpStart::From::End:
        return placed(page(filter, sort, nullptr, true, false, n, 0), false);
    case JumpStart::From::Offset:
        return placed(page(filter, sort, nullptr, backward, false, n, skip), true);
    case JumpStart::From::Cursor:
        break;
    }
    return placed(page(filter, sort, &start->cursor, backward, true, n, 0), start->exact);
}

Result<SimListQuery::JumpStart> SimListQuery::locate(const SimListFilter &filter,
    const SimListSort &asked, bool backward, qint64 skip, const SimListTotal &total) const
{
    const SimListSort sort = effectiveSort(filter, asked);
    const bool pasted = sort.key == SimListSortKey::Pasted;
    // The locator: the sort key and id of the row at `skip`, reading only the sort index.
    SimListSql sql;
    if (Status s = filterSql(filter, sql); !s)
        return s.error();
    const bool ascending = (sort.order == Qt::AscendingOrder) != backward;
    const QList<SimListPart> parts
        = SimListSql::keysetParts(filter, sort.key, ascending, nullptr, false);
    Result<bool> fence = pasted ? Result<bool>(false) : fenced(filter, sql);
    if (!fence)
        return fence.error();
    const QString locator = sql.locatorSelect(parts, sort.key, ascending, skip, *fence);
    // An MSISDN order has two parts and always takes the sample. The Pasted order always walks:
    // its few thousand numbered cards are cheap to count off, and a sample knows no list order.
    PlanEstimate plan { 0, pasted ? 0.0 : kLocatorCostLimit + 1 };
    if (parts.size() == 1 && !pasted) {
        Result<PlanEstimate> p = explain(m_db, locator, sql.values());
        if (!p)
            return p.error();
        plan = *p;
    }
    if (plan.cost > kLocatorCostLimit)
        return locateBySample(filter, sort.key, ascending, skip, total);
    Result<QueryResult> q = runPlanned(m_db, locator, sql);
    if (!q)
        return q.error();
    const std::optional<SimListCursor> cursor = cursorIn(q.value());
    if (!cursor) // fewer rows than the total said
        return JumpStart { JumpStart::From::End, SimListCursor(), false };
    return JumpStart { JumpStart::From::Cursor, *cursor, true };
}

Result<SimListQuery::JumpStart> SimListQuery::locateBySample(const SimListFilter &filter,
    SimListSortKey key, bool ascending, qint64 skip, const SimListTotal &total) const
{
    // A block sample of the result; the row at the same fraction of it is near the position.
    Result<QueryResult> rel = runQuery(m_db, SimListSql::tableRowsSelect());
    if (!rel)
        return rel.error();
    const double tuples = rel.value().next() ? rel.value().value(0).toDouble() : 1.0;
    const double percent = std::clamp(100.0 * kSampleRows / tuples, 0.05, 100.0);
    SimListSql sql;
    if (Status s = filterSql(filter, sql); !s)
        return s.error();
    const double fraction = total.count > 0 ? double(skip) / double(total.count) : 0.5;
    const QString sample = sql.sampleSelect(key, ascending, percent, fraction);
    Result<QueryResult> q = runQuery(m_db, sample, sql.values());
    if (!q)
        return q.error();
    const std::optional<SimListCursor> cursor = cursorIn(q.value());
    if (!cursor) // nothing sampled: too few rows for a sample to see
        return JumpStart { JumpStart::From::Offset, SimListCursor(), true };
    // A sample of every block is the whole result: then the position is exact.
    return JumpStart { JumpStart::From::Cursor, *cursor, percent >= 100.0 };
}

// Filters by status and tariff only (the whole list among them) are counted exactly and at once
// by the rollup the database keeps in the same transaction as every change (sql/008_stats.sql):
// a few rows per status and tariff, however many cards there are.
static Result<std::optional<qint64>> rollupCount(const QSqlDatabase &db, const SimListFilter &f)
{
    SimListFilter rest = f;
    rest.statuses.clear();
    rest.tariffPlanId.reset();
    rest.noTariff = false;
    if (!rest.isEmpty())
        return std::optional<qint64>();
    QStringList keys;
    for (SimStatus s : f.statuses)
        keys << statusKey(s);
    Result<QueryResult> q = runQuery(db,
        QStringLiteral("SELECT coalesce(sum(n), 0)::bigint FROM stats_card_counts "
                       "WHERE (cardinality($1::text[]) = 0 OR status = ANY($1::text[])) "
                       "AND ($2::bigint IS NULL OR tariff_plan_id = $2::bigint) "
                       "AND (NOT $3::boolean OR tariff_plan_id IS NULL)"),
        { keys, f.tariffPlanId && !f.noTariff ? QVariant(*f.tariffPlanId) : QVariant(),
            f.noTariff });
    if (!q)
        return q.error();
    return std::optional<qint64>(q.value().next() ? q.value().value(0).toLongLong() : 0);
}

Result<SimListTotal> SimListQuery::total(const SimListFilter &filter) const
{
    Result<std::optional<qint64>> rollup = rollupCount(m_db, filter);
    if (!rollup)
        return rollup.error();
    if (*rollup)
        return SimListTotal { **rollup, true };
    SimListSql sql;
    if (Status s = filterSql(filter, sql); !s)
        return s.error();
    Result<PlanEstimate> plan = explain(m_db, sql.matchSelect(), sql.values());
    if (!plan)
        return plan.error();
    const qint64 estimate = qint64(std::llround(plan->rows));
    if (estimate > m_exactCountLimit)
        return SimListTotal { estimate, false };
    const QString count = sql.countSelect(m_exactCountLimit + 1);
    Result<QueryResult> q = runPlanned(m_db, count, sql);
    if (!q)
        return q.error();
    const qint64 counted = q.value().next() ? q.value().value(0).toLongLong() : 0;
    if (counted > m_exactCountLimit)
        return SimListTotal { std::max(estimate, counted), false };
    return SimListTotal { counted, true };
}

Result<qint64> SimListQuery::countExactly(const SimListFilter &filter) const
{
    SimListSql sql;
    if (Status s = filterSql(filter, sql); !s)
        return s.error();
    Result<QueryResult> q = runPlanned(m_db, sql.countSelect(), sql);
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : 0;
}

Result<SimListMatches> SimListQuery::matchIdentifiers(const QStringList &lines) const
{
    const IdentifierList list(lines);
    if (list.size() > kMaxIdentifiers)
        return Error(ErrorCode::InvalidArgument,
            { QStringLiteral("more than %1 identifiers").arg(kMaxIdentifiers) });
    if (list.isEmpty())
        return SimListMatches();
    // One set-based query: each identifier kind probes its own index with the whole array
    // (= ANY of a bound text[]); IdentifierList then answers the lines in input order.
    SimListSql sql;
    sql.addAnyIdentifier(list);
    // The cards alone (a join to 160,000 customers under enable_seqscan = off would walk their
    // whole primary key); their names follow in two small queries.
    Result<QList<SimListRow>> found = readRows(runPlanned(m_db, sql.cardSelect(), sql));
    if (!found)
        return found.error();
    if (Status names = fillNames(m_db, found.value()); !names)
        return names.error();
    return list.matches(std::move(found.value()));
}

Result<QList<qint64>> SimListQuery::matchingIds(const SimListFilter &filter, int limit) const
{
    SimListSql sql;
    if (Status s = sql.addFilter(filter); !s)
        return s.error();
    // One more than the limit tells "too many" from "exactly the limit".
    const QString statement = sql.idSelect(limit + 1);
    Result<QueryResult> q = runPlanned(m_db, statement, sql);
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q.value().next())
        ids << q.value().value(0).toLongLong();
    if (ids.size() > limit)
        return Error(ErrorCode::InvalidArgument,
            { QStringLiteral("more than %1 cards match; narrow the filter").arg(limit) });
    return ids;
}

} // namespace simdesk
