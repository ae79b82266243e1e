// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <optional>

// The customer list as queries only (no widgets): one search over name, company, number,
// e-mail and phone, six sort orders, keyset pages and totals, each planned to stay within 50 ms
// at 200,000 customers (tests/bench/bench_customersearch.cpp, docs/performance.md
// "Customer search").
namespace simdesk {

// The sort keys, each with an index (sql/013_customers.sql), ties broken by id. Cards and
// ActiveCards are the cards a customer holds (any status) and those of them that are ACTIVE.
enum class CustomerSortKey : quint8 { Name, Number, Company, Cards, ActiveCards, Created };

struct CustomerSort
{
    CustomerSortKey key = CustomerSortKey::Name;
    Qt::SortOrder order = Qt::AscendingOrder;
};

struct CustomerListRow
{
    qint64 id = 0;
    QString customerNo;
    QString fullName;
    QString company; // empty: none
    QString email;
    QString phone;
    int cards = 0;
    int activeCards = 0;
    QDateTime createdAt;
    QString sortValue; // the row's sort key as the database wrote it, exact: the cursor
};

// Where a page starts: the sort value and id of the row before it (cursorOf()).
struct CustomerListCursor
{
    QString key;
    qint64 id = 0;
};

struct CustomerListPage
{
    QList<CustomerListRow> rows; // in list order
    bool atEnd = false; // no row follows the last one
};

struct CustomerListTotal
{
    qint64 count = 0;
    bool exact = true; // false: the planner's estimate, shown as "≈ count"
};

// Runs the list's queries on one connection (used only by the thread that opened it). The
// search is what customersearch::terms() makes of it: every term must occur in the customer's
// search text; a term of 3 or more characters is found through the trigram index, a shorter
// one by reading the list order until the page is full. Every value is a bound parameter.
// Failures are the errors of runQuery() (QueryFailed, ConnectionLost, PermissionDenied…).
class CustomerListQuery
{
public:
    // Totals up to this many are counted exactly; larger ones are the planner's estimate.
    static constexpr qint64 kExactCountLimit = 5000;
    // Sorted by a card count ascending, a search the planner expects to match at most this many
    // customers reads the matches first and looks up their counts; more, and the count order is
    // walked.
    static constexpr qint64 kProbeLimit = 5000;

    explicit CustomerListQuery(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    void setExactCountLimit(qint64 limit) { m_exactCountLimit = limit; }

    // The first n rows in the given order.
    Result<CustomerListPage> firstPage(
        const QString &search, const CustomerSort &sort, int n) const;
    // The n rows right after `cursor`; nothing is skipped or repeated between pages, also
    // across equal sort values.
    Result<CustomerListPage> pageAfter(const QString &search, const CustomerSort &sort,
        const CustomerListCursor &cursor, int n) const;
    // The number of matching customers: exact up to the exact-count limit, otherwise estimated.
    Result<CustomerListTotal> total(const QString &search) const;

    static CustomerListCursor cursorOf(const CustomerListRow &row);

    // For the benchmark: EXPLAIN (ANALYZE, BUFFERS) of the statement firstPage() (no cursor) or
    // pageAfter() runs, as the server prints it.
    Result<QString> explainPage(const QString &search, const CustomerSort &sort,
        const std::optional<CustomerListCursor> &cursor, int n) const;

private:
    struct Statement
    {
        QString sql;
        QVariantList values;
    };
    static Statement pageStatement(const QString &search, const CustomerSort &sort,
        const CustomerListCursor *cursor, int n, bool probe);
    // The planner's estimate of the customers matching `search`.
    Result<double> estimate(const QString &search) const;
    // Whether a page looks up each match's card counts (few matches sorted by a count) instead
    // of walking the count order.
    Result<bool> probeCounts(const QString &search, const CustomerSort &sort) const;
    Result<CustomerListPage> page(const QString &search, const CustomerSort &sort,
        const CustomerListCursor *cursor, int n) const;

    QSqlDatabase m_db;
    qint64 m_exactCountLimit = kExactCountLimit;
};

} // namespace simdesk
