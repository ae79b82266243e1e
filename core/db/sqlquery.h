// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <optional>

namespace simdesk {

// Prepares and runs one statement with positional (?) values. The error is chosen by SQLSTATE
// (Database::queryError).
Result<QSqlQuery> runQuery(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values = {});

// Runs a query that must return one row and moves to it; NotFound (args: `what`) when it
// returns none.
Result<QSqlQuery> runSingle(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values, const QString &what);

// Inside a transaction: locks row `id` of `table` and checks that it is still at the version the
// user saw. NotFound, or StaleVersion naming the record as labelTemplate.arg(<nameColumn value>)
// ("Customer %1"); on success the record's name. (Tables without per-row authorship: the
// message says "someone else".)
Result<QString> lockAtVersion(const QSqlDatabase &db, const QString &table,
    const QString &nameColumn, qint64 id, int expectedVersion, const QString &labelTemplate);

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
