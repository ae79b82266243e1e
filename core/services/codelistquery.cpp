// SPDX-License-Identifier: MIT
#include "services/codelistquery.h"

#include "db/sqlquery.h"

#include <QRegularExpression>

namespace simdesk {

namespace {

// The moment the filter compares expiry with: one value for the whole statement, which the
// planner knows when it estimates how many codes a filter keeps (so it chooses between walking
// the list order and reading the few matching codes). The rule's own clock, clock_timestamp(),
// differs from it by the time the statement has run so far.
const QString kNow = QStringLiteral("statement_timestamp()");

// Codes that never expire sort after every date (and the expression has its index).
const QString kExpiresKey = QStringLiteral("coalesce(a.expires_at, 'infinity'::timestamptz)");

const QString kColumns = QStringLiteral(
    "SELECT a.id, a.code, simdesk_code_status(a), a.status, a.expires_at, a.used_at, s.id, "
    "s.iccid, c.id, c.customer_no, c.full_name, b.id, b.label, a.created_at");

const QString kFrom = QStringLiteral(
    " FROM activation_codes a LEFT JOIN sim_cards s ON s.activation_code_id = a.id "
    "LEFT JOIN customers c ON c.id = s.customer_id LEFT JOIN code_batches b ON b.id = a.batch_id");

struct SortColumns
{
    QString key;
    const char *type;
};

SortColumns sortColumns(CodeSortKey key)
{
    switch (key) {
    case CodeSortKey::Newest:
        return { QStringLiteral("a.id"), "bigint" };
    case CodeSortKey::Code:
        return { QStringLiteral("(a.code COLLATE \"C\")"), "text" };
    case CodeSortKey::Expires:
        return { kExpiresKey, "timestamptz" };
    }
    return { QStringLiteral("a.id"), "bigint" };
}

// The effective status as a condition an index serves: the twin of simdesk_code_status()
// (tst_codelistquery proves each equal to it).
QString statusSql(CodeStatus status)
{
    switch (status) {
    case CodeStatus::Unused:
        return QStringLiteral("a.status = 'UNUSED' AND (a.expires_at IS NULL OR a.expires_at > %1)")
            .arg(kNow);
    case CodeStatus::Used:
        return QStringLiteral("a.status = 'USED'");
    case CodeStatus::Expired:
        return QStringLiteral("a.status <> 'USED' AND (a.status = 'EXPIRED' OR a.expires_at <= %1)")
            .arg(kNow);
    }
    return QStringLiteral("true");
}

QString likePrefix(const QString &prefix)
{
    QString escaped = prefix;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('%'), QLatin1String("\\%"))
        .replace(QLatin1Char('_'), QLatin1String("\\_"));
    return escaped + QLatin1Char('%');
}

// "… AND …" for the filter, with its values appended to `values`.
QString whereSql(const CodeListFilter &f, QVariantList &values)
{
    QStringList parts;
    if (f.status)
        parts << statusSql(*f.status);
    if (f.expiringWithinDays > 0) {
        values << f.expiringWithinDays;
        parts << QStringLiteral("a.status = 'UNUSED' AND a.expires_at > %1 AND a.expires_at <= %1 "
                                "+ make_interval(days => $%2)")
                     .arg(kNow)
                     .arg(values.size());
    }
    if (f.batchId) {
        values << *f.batchId;
        parts << QStringLiteral("a.batch_id = $%1").arg(values.size());
    }
    if (f.customerId) {
        values << *f.customerId;
        parts << QStringLiteral("s.customer_id = $%1").arg(values.size());
    }
    const QString search = CodeListQuery::normalizedSearch(f.search);
    if (!search.isEmpty()) {
        values << likePrefix(search);
        parts << QStringLiteral("(a.code COLLATE \"C\") LIKE $%1").arg(values.size());
    }
    return parts.isEmpty() ? QStringLiteral("true") : parts.join(QStringLiteral(" AND "));
}

CodeListRow rowFrom(const QueryResult &q)
{
    CodeListRow r;
    r.id = q.value(0).toLongLong();
    r.code = q.value(1).toString();
    r.status = codeStatusFromKey(q.value(2).toString()).value_or(CodeStatus::Unused);
    r.storedStatus = codeStatusFromKey(q.value(3).toString()).value_or(CodeStatus::Unused);
    r.expiresAt = optionalTime(q.value(4));
    r.usedAt = optionalTime(q.value(5));
    r.simId = optionalId(q.value(6));
    r.iccid = q.value(7).toString();
    r.customerId = optionalId(q.value(8));
    r.customerNo = q.value(9).toString();
    r.customerName = q.value(10).toString();
    r.batchId = optionalId(q.value(11));
    r.batchLabel = q.value(12).toString();
    r.createdAt = q.value(13).toDateTime();
    return r;
}

} // namespace

QString CodeListQuery::normalizedSearch(const QString &text)
{
    QString s = text.toUpper();
    s.remove(QLatin1Char(' '));
    return s.trimmed();
}

CodeListCursor CodeListQuery::cursorOf(const CodeListRow &row)
{
    return { row.sortValue, row.id };
}

Result<CodeListPage> CodeListQuery::firstPage(
    const CodeListFilter &filter, const CodeSort &sort, int n) const
{
    return page(filter, sort, nullptr, n);
}

Result<CodeListPage> CodeListQuery::pageAfter(
    const CodeListFilter &filter, const CodeSort &sort, const CodeListCursor &cursor, int n) const
{
    return page(filter, sort, &cursor, n);
}

Result<CodeListPage> CodeListQuery::page(
    const CodeListFilter &filter, const CodeSort &sort, const CodeListCursor *cursor, int n) const
{
    const SortColumns s = sortColumns(sort.key);
    const bool asc = sort.order == Qt::AscendingOrder;
    const QString dir = asc ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    // Id and code are unique: they order the rows alone. Expiry ties are broken by id.
    const bool tieBreak = sort.key == CodeSortKey::Expires;
    QVariantList values;
    QString where = whereSql(filter, values);
    if (cursor) {
        values << cursor->key;
        const QString keyParam
            = QStringLiteral("$%1::%2").arg(values.size()).arg(QString::fromLatin1(s.type));
        const QChar op = asc ? QLatin1Char('>') : QLatin1Char('<');
        if (!tieBreak) {
            where += QStringLiteral(" AND %1 %2 %3").arg(s.key, op, keyParam);
        } else {
            values << cursor->id;
            where += QStringLiteral(" AND (%1, a.id) %2 (%3, $%4)")
                         .arg(s.key, op, keyParam)
                         .arg(values.size());
        }
    }
    QString order = s.key + dir;
    if (tieBreak)
        order += QStringLiteral(", a.id") + dir;
    values << n + 1; // one more tells whether the list ends here
    const QString sql = QStringLiteral("%1, (%2)::text%3 WHERE %4 ORDER BY %5 LIMIT $%6")
                            .arg(kColumns, s.key, kFrom, where, order)
                            .arg(values.size());
    Result<QueryResult> q = runQuery(m_db, sql, values);
    if (!q)
        return q.error();
    CodeListPage page;
    while (q.value().next()) {
        if (page.rows.size() == n)
            return page;
        CodeListRow row = rowFrom(q.value());
        row.sortValue = q.value().value(14).toString();
        page.rows.append(row);
    }
    page.atEnd = true;
    return page;
}

Result<CodeListTotal> CodeListQuery::total(const CodeListFilter &filter) const
{
    // A batch alone: its codes are the ones it generated (no role may insert into a batch or
    // delete a code), so the batch knows its count exactly however large it is.
    if (filter.batchId && !filter.status && filter.expiringWithinDays <= 0 && !filter.customerId
        && filter.search.trimmed().isEmpty()) {
        Result<QueryResult> q
            = runQuery(m_db, QStringLiteral("SELECT code_count FROM code_batches WHERE id = $1"),
                { *filter.batchId });
        if (!q)
            return q.error();
        return CodeListTotal { q.value().next() ? q.value().value(0).toLongLong() : 0, true };
    }
    QVariantList values;
    const QString where = whereSql(filter, values);
    // The customer filter needs the card; the rest reads the codes alone.
    const QString from = filter.customerId
        ? QStringLiteral(" FROM activation_codes a JOIN sim_cards s ON s.activation_code_id = a.id")
        : QStringLiteral(" FROM activation_codes a");
    const QString select = QStringLiteral("SELECT 1") + from + QStringLiteral(" WHERE ") + where;
    const Result<double> estimate = estimateRows(m_db, select, values);
    if (!estimate)
        return estimate.error();
    const Result<BoundedCount> n = countUpTo(m_db, select, values, *estimate, m_exactCountLimit);
    if (!n)
        return n.error();
    return CodeListTotal { n->count, n->exact };
}

Result<CodeListRow> CodeListQuery::byId(qint64 id) const
{
    Result<QueryResult> q = runSingle(
        m_db, kColumns + kFrom + QStringLiteral(" WHERE a.id = $1"), { id }, QString::number(id));
    if (!q)
        return q.error();
    return rowFrom(q.value());
}

Result<QList<CodeListRow>> CodeListQuery::findByText(const QString &text, int limit) const
{
    const QString code = normalizedSearch(text);
    QList<CodeListRow> found;
    static const QRegularExpression kCodeChars(QStringLiteral("^[A-Z0-9-]+$"));
    if (code.isEmpty() || !kCodeChars.match(code).hasMatch())
        return found;
    Result<QueryResult> exact = runQuery(m_db,
        kColumns + QStringLiteral(", NULL") + kFrom + QStringLiteral(" WHERE a.code = $1"),
        { code });
    if (!exact)
        return exact.error();
    if (exact.value().next()) {
        found.append(rowFrom(exact.value()));
        return found;
    }
    CodeListFilter filter;
    filter.search = code;
    Result<CodeListPage> page
        = firstPage(filter, { CodeSortKey::Code, Qt::AscendingOrder }, std::max(1, limit));
    if (!page)
        return page.error();
    return page->rows;
}

} // namespace simdesk
