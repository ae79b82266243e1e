// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QVariant>

#include <optional>

struct pg_result;

namespace simdesk {

// The rows of one executed statement; owns the libpq result. Reads like QSqlQuery:
//   while (r.next()) { r.value(0).toLongLong(); r.isNull(1); }
// value() is typed by the column's type oid: bool → bool, int2/int4 → int, int8 → qlonglong,
// float4/float8 → double, numeric → QString (exact, e.g. "12.30"), timestamptz/timestamp →
// QDateTime (local time; QDateTime keeps milliseconds, select `col::text` for microseconds),
// date → QDate, everything else (text, uuid, jsonb, arrays…) → QString. SQL NULL is a null
// QVariant of the column's type. Move-only.
class QueryResult
{
public:
    QueryResult() = default;
    explicit QueryResult(pg_result *result);
    ~QueryResult();
    QueryResult(QueryResult &&other) noexcept;
    QueryResult &operator=(QueryResult &&other) noexcept;
    QueryResult(const QueryResult &) = delete;
    QueryResult &operator=(const QueryResult &) = delete;

    // Moves to the next row (a new result stands before the first); false after the last.
    bool next();
    // The current row's column; an invalid QVariant outside the rows or columns.
    QVariant value(int column) const;
    bool isNull(int column) const;
    int rowCount() const;
    int columnCount() const;
    // Rows inserted, updated or deleted (PQcmdTuples); 0 for other statements.
    qint64 rowsAffected() const;

private:
    bool validCell(int column) const;

    pg_result *m_result = nullptr;
    int m_row = -1;
};

// Runs one statement through libpq PQexecParams (unnamed statement, text-format parameters):
// the values bind to $1..$n in order and never become part of the SQL text, so nothing needs
// escaping and no value reaches a server log line with the statement.
// Values: null or invalid → NULL; bool; int, uint, qlonglong, qulonglong; double (NaN and
// infinities refused); QString (a NUL character refused); QByteArray (UTF-8 text, NUL refused);
// QDate and QDateTime (an invalid one → NULL; a time is sent as UTC with its offset);
// QStringList, QList<qint64> and QList<int> → a PostgreSQL array literal (write `$n::text[]`,
// `$n::bigint[]` in the SQL; a null QString element is a NULL element).
// Fails with InvalidArgument for a value it cannot send (anything else is refused, never pasted)
// or a placeholder count that differs from the values, ConnectionLost when the connection is
// gone, and otherwise the error its SQLSTATE names (db/sqlstate.h).
Result<QueryResult> runQuery(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values = {});

// Runs a query that must return one row and moves to it; NotFound (args: `what`) when it
// returns none.
Result<QueryResult> runSingle(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values, const QString &what);

// Inside a transaction: locks row `id` of `table` and checks that it is still at the version the
// user saw. NotFound, or StaleVersion naming the record as labelTemplate.arg(<nameColumn value>)
// ("Customer %1"); on success the record's name. (Tables without per-row authorship: the
// message says "someone else".)
Result<QString> lockAtVersion(const QSqlDatabase &db, const QString &table,
    const QString &nameColumn, qint64 id, int expectedVersion, const QString &labelTemplate);

// The planner's estimate of the rows `select` returns (the top "Plan Rows" of EXPLAIN).
Result<double> estimateRows(
    const QSqlDatabase &db, const QString &select, const QVariantList &values);

// How many rows `select` returns, for a list's footer: the planner's `estimate` when it is above
// `limit` (not exact); otherwise counted, the count stopping after `limit` rows (an estimate far
// too low costs no more than that; past the limit the larger of both, not exact).
struct BoundedCount
{
    qint64 count = 0;
    bool exact = false;
};
Result<BoundedCount> countUpTo(const QSqlDatabase &db, const QString &select, QVariantList values,
    double estimate, qint64 limit);

// A column list "id, name, …" with each column qualified by `alias` ("c.id, c.name, …"); the
// list as it is for an empty alias. For statements that join the tables of several readers.
QString qualifiedColumns(const QString &columns, const QString &alias);

// NULL-aware conversions between optional values and QVariant.
template<typename T> QVariant nullable(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant(QMetaType::fromType<T>());
}
QVariant nullable(const QString &text); // empty → NULL
std::optional<qint64> optionalId(const QVariant &v);
std::optional<QDateTime> optionalTime(const QVariant &v);

// One database transaction for one user action: begin() starts it, commit() ends it, and
// leaving the scope without commit() rolls it back, so an early `return error;` never leaves a
// half-done change.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase db)
        : m_db(std::move(db))
    { }
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    Status begin();
    Status commit();

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

} // namespace simdesk
