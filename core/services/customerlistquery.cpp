// SPDX-License-Identifier: MIT
#include "services/customerlistquery.h"

#include "db/sqlquery.h"
#include "domain/customersearch.h"

#include <algorithm>

namespace simdesk {

namespace {

// Terms shorter than a trigram cannot use the trigram index; strpos() keeps the planner from
// trying it (a GIN scan of every entry) and lets it walk the sort order instead.
constexpr int kTrigram = 3;

// The sort expression, its tie-breaker (the columns of the supporting index) and the type the
// cursor's text is read back as.
struct SortColumns
{
    const char *key;
    const char *id;
    const char *type;
};

SortColumns sortColumns(CustomerSortKey key)
{
    switch (key) {
    case CustomerSortKey::Name:
        return { "c.full_name", "c.id", "text" };
    // Unique: the number alone orders the rows (its unique index).
    case CustomerSortKey::Number:
        return { "c.customer_no", nullptr, "text" };
    case CustomerSortKey::Company:
        return { "coalesce(c.company, '')", "c.id", "text" };
    case CustomerSortKey::Cards:
        return { "k.cards", "k.customer_id", "integer" };
    case CustomerSortKey::ActiveCards:
        return { "k.active_cards", "k.customer_id", "integer" };
    case CustomerSortKey::Created:
        return { "c.created_at", "c.id", "timestamptz" };
    }
    return { "c.full_name", "c.id", "text" };
}

// "c.search_text LIKE $1 AND …" for the terms, with their values appended to `values`.
QString matchSql(const QString &search, QVariantList &values)
{
    QStringList parts;
    for (const QString &term : customersearch::terms(search)) {
        if (term.size() >= kTrigram) {
            values << customersearch::containsPattern(term);
            parts << QStringLiteral("c.search_text LIKE $%1").arg(values.size());
        } else {
            values << term;
            parts << QStringLiteral("strpos(c.search_text, $%1) > 0").arg(values.size());
        }
    }
    return parts.isEmpty() ? QStringLiteral("true") : parts.join(QStringLiteral(" AND "));
}

const QString kFrom
    = QStringLiteral("FROM customers c JOIN customer_card_counts k ON k.customer_id = c.id WHERE ");
// The same rows with each customer's counts looked up one by one (OFFSET 0 keeps the planner
// from turning the lookup back into a join it may hash): for a search with few matches sorted
// by a count, ascending, the matches come from the trigram index and their counts from the
// primary key. As a join, a keyset page's cursor on the counts ("(active_cards, customer_id) >
// (0, 67578)") is estimated by its first column alone (active_cards > 0: the tenth of customers
// with an active card) while it keeps most of the table (the many with none after the cursor),
// and the planner hashes those counts against the matches on every page (docs/performance.md,
// "Customer search"). Descending, the same misestimate says "almost nothing" and the planner
// walks the count order, which is as fast as the lookups.
const QString kFromProbe = QStringLiteral(
    "FROM customers c CROSS JOIN LATERAL (SELECT k.customer_id, k.cards, k.active_cards "
    "FROM customer_card_counts k WHERE k.customer_id = c.id OFFSET 0) k WHERE ");

bool sortsByCount(CustomerSortKey key)
{
    return key == CustomerSortKey::Cards || key == CustomerSortKey::ActiveCards;
}

bool hasTrigramTerm(const QString &search)
{
    const QStringList terms = customersearch::terms(search);
    return std::any_of(
        terms.cbegin(), terms.cend(), [](const QString &term) { return term.size() >= kTrigram; });
}

CustomerListRow rowFrom(const QueryResult &q)
{
    return { q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
        q.value(3).toString(), q.value(4).toString(), q.value(5).toString(), q.value(6).toInt(),
        q.value(7).toInt(), q.value(8).toDateTime(), q.value(9).toString() };
}

} // namespace

Result<CustomerListPage> CustomerListQuery::firstPage(
    const QString &search, const CustomerSort &sort, int n) const
{
    return page(search, sort, nullptr, n);
}

Result<CustomerListPage> CustomerListQuery::pageAfter(
    const QString &search, const CustomerSort &sort, const CustomerListCursor &cursor, int n) const
{
    return page(search, sort, &cursor, n);
}

CustomerListCursor CustomerListQuery::cursorOf(const CustomerListRow &row)
{
    return { row.sortValue, row.id };
}

CustomerListQuery::Statement CustomerListQuery::pageStatement(const QString &search,
    const CustomerSort &sort, const CustomerListCursor *cursor, int n, bool probe)
{
    const SortColumns s = sortColumns(sort.key);
    const bool asc = sort.order == Qt::AscendingOrder;
    const QString dir = asc ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString key = QString::fromLatin1(s.key);
    const QString id = s.id ? QString::fromLatin1(s.id) : QString();
    QVariantList values;
    QString where = matchSql(search, values);
    if (cursor) {
        values << cursor->key;
        const QString keyParam
            = QStringLiteral("$%1::%2").arg(values.size()).arg(QString::fromLatin1(s.type));
        const QChar op = asc ? QLatin1Char('>') : QLatin1Char('<');
        if (id.isEmpty()) {
            where += QStringLiteral(" AND %1 %2 %3").arg(key, op, keyParam);
        } else {
            values << cursor->id;
            where += QStringLiteral(" AND (%1, %2) %3 (%4, $%5)")
                         .arg(key, id, op, keyParam)
                         .arg(values.size());
        }
    }
    QString order = key + dir;
    if (!id.isEmpty())
        order += QStringLiteral(", ") + id + dir;
    values << n + 1; // one more tells whether the list ends here
    const QString sql = QStringLiteral(
        "SELECT c.id, c.customer_no, c.full_name, c.company, c.email, c.phone, k.cards, "
        "k.active_cards, c.created_at, (%1)::text %2%3 ORDER BY %4 LIMIT $%5")
                            .arg(key, probe ? kFromProbe : kFrom, where, order)
                            .arg(values.size());
    return { sql, values };
}

Result<QString> CustomerListQuery::explainPage(const QString &search, const CustomerSort &sort,
    const std::optional<CustomerListCursor> &cursor, int n) const
{
    Result<bool> probe = probeCounts(search, sort);
    if (!probe)
        return probe.error();
    const Statement s = pageStatement(search, sort, cursor ? &*cursor : nullptr, n, *probe);
    Result<QueryResult> q
        = runQuery(m_db, QStringLiteral("EXPLAIN (ANALYZE, BUFFERS) ") + s.sql, s.values);
    if (!q)
        return q.error();
    QStringList lines;
    while (q.value().next())
        lines << q.value().value(0).toString();
    return lines.join(QLatin1Char('\n'));
}

Result<CustomerListPage> CustomerListQuery::page(
    const QString &search, const CustomerSort &sort, const CustomerListCursor *cursor, int n) const
{
    Result<bool> probe = probeCounts(search, sort);
    if (!probe)
        return probe.error();
    const Statement s = pageStatement(search, sort, cursor, n, *probe);
    Result<QueryResult> q = runQuery(m_db, s.sql, s.values);
    if (!q)
        return q.error();
    CustomerListPage page;
    while (q.value().next()) {
        if (page.rows.size() == n)
            return page;
        page.rows.append(rowFrom(q.value()));
    }
    page.atEnd = true;
    return page;
}

Result<double> CustomerListQuery::estimate(const QString &search) const
{
    QVariantList values;
    const QString select
        = QStringLiteral("SELECT 1 FROM customers c WHERE ") + matchSql(search, values);
    return estimateRows(m_db, select, values);
}

Result<bool> CustomerListQuery::probeCounts(const QString &search, const CustomerSort &sort) const
{
    // Only an ascending count order within a search the trigram index narrows (see kFromProbe);
    // then by the planner's estimate of the matches: looking up each match's counts costs one
    // probe a match, walking the count order one probe for every customer passed (about
    // page × customers / matches), so the lookups win below about √(100 × 200,000) ≈ 4,500.
    if (!sortsByCount(sort.key) || sort.order != Qt::AscendingOrder || !hasTrigramTerm(search))
        return false;
    const Result<double> matches = estimate(search);
    if (!matches)
        return matches.error();
    return *matches <= double(kProbeLimit);
}

Result<CustomerListTotal> CustomerListQuery::total(const QString &search) const
{
    QVariantList values;
    const QString match = matchSql(search, values);
    const QString select = QStringLiteral("SELECT 1 FROM customers c WHERE ") + match;
    const Result<double> estimated = estimate(search);
    if (!estimated)
        return estimated.error();
    const Result<BoundedCount> n = countUpTo(m_db, select, values, *estimated, m_exactCountLimit);
    if (!n)
        return n.error();
    return CustomerListTotal { n->count, n->exact };
}

} // namespace simdesk
