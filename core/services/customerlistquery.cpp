// SPDX-License-Identifier: MIT
#include "services/customerlistquery.h"

#include "db/sqlquery.h"
#include "domain/customersearch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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

Result<CustomerListPage> CustomerListQuery::page(
    const QString &search, const CustomerSort &sort, const CustomerListCursor *cursor, int n) const
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
                            .arg(key, kFrom, where, order)
                            .arg(values.size());
    Result<QueryResult> q = runQuery(m_db, sql, values);
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

Result<CustomerListTotal> CustomerListQuery::total(const QString &search) const
{
    QVariantList values;
    const QString match = matchSql(search, values);
    const QString select = QStringLiteral("SELECT 1 FROM customers c WHERE ") + match;
    Result<QueryResult> plan
        = runQuery(m_db, QStringLiteral("EXPLAIN (FORMAT JSON) ") + select, values);
    if (!plan)
        return plan.error();
    plan.value().next();
    const QJsonObject top = QJsonDocument::fromJson(plan.value().value(0).toString().toUtf8())
                                .array()
                                .first()
                                .toObject()
                                .value(QLatin1String("Plan"))
                                .toObject();
    const double estimate = top.value(QLatin1String("Plan Rows")).toDouble();
    if (estimate > double(m_exactCountLimit))
        return CustomerListTotal { qint64(estimate), false };
    // Counting stops after the limit: an estimate far too low costs no more than that.
    values << m_exactCountLimit + 1;
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT count(*) FROM (%1 LIMIT $%2) m").arg(select).arg(values.size()),
        values);
    if (!q)
        return q.error();
    q.value().next();
    const qint64 counted = q.value().value(0).toLongLong();
    if (counted > m_exactCountLimit)
        return CustomerListTotal { qint64(std::max(estimate, double(counted))), false };
    return CustomerListTotal { counted, true };
}

} // namespace simdesk
