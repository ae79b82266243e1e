// SPDX-License-Identifier: MIT
#pragma once

#include "domain/customer.h"
#include "domain/result.h"

#include <QList>
#include <QSqlDatabase>

namespace simdesk {

class QueryResult;

// Customers (support and admin write; everyone reads). Each write is one transaction; edits
// and deletes name the version the user saw and fail with StaleVersion when it moved on.
class CustomerRepository
{
public:
    explicit CustomerRepository(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // Up to `limit` customers whose name, number or e-mail contains `search` (all when empty),
    // by name.
    Result<QList<Customer>> list(const QString &search = {}, int limit = 200) const;
    Result<Customer> find(qint64 id) const;

    // FieldRequired (name), validation errors for e-mail and phone, DuplicateValue (number).
    Result<Customer> create(const Customer &customer);
    Result<Customer> update(const Customer &customer); // customer.version: the one the user saw
    // CustomerInUse when a card holds or ever held the customer (its events name them).
    Status remove(qint64 id, int expectedVersion);
    // Administrators: the personal fields replaced, here and in the audit log's copies; the row,
    // its number and every history row stay, and the anonymising is audited. CustomerCardsInUse
    // while a card of theirs is reserved, active or suspended; CustomerAnonymised when done
    // already; StaleVersion; PermissionDenied for other roles (sql/013_customers.sql).
    Status anonymise(qint64 id, int expectedVersion);

    // The columns this repository reads, qualified by `alias`, and a row read from column
    // `first` on (for statements that join customers with other tables).
    static QString columns(const QString &alias = {});
    static Customer fromRow(const QueryResult &row, int first = 0);

private:
    Result<Customer> validated(const Customer &customer) const;

    QSqlDatabase m_db;
};

} // namespace simdesk
