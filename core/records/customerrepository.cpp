// SPDX-License-Identifier: MIT
#include "records/customerrepository.h"

#include "db/sqlquery.h"
#include "domain/customerfields.h"
#include "domain/validation.h"

#include <QCoreApplication>

namespace simdesk {

namespace {

const QString kColumns = QStringLiteral("id, customer_no, full_name, company, email, phone, "
                                        "address, notes, version, created_at, updated_at, "
                                        "anonymised_at");

// A stale edit names who changed the customer last: the audit log knows, the row does not.
Error withAuthor(const QSqlDatabase &db, qint64 id, Error error)
{
    if (error.code != ErrorCode::StaleVersion || error.args.size() < 2)
        return error;
    Result<QueryResult> q = runQuery(db,
        QStringLiteral("SELECT coalesce(s.display_name, a.changed_by) FROM audit_log a LEFT JOIN "
                       "staff s ON s.login = a.changed_by WHERE a.table_name = 'customers' AND "
                       "a.row_id = $1 ORDER BY a.id DESC LIMIT 1"),
        { id });
    if (q && q.value().next())
        error.args[1] = q.value().value(0).toString();
    return error;
}

// "Customer <what>".
QString label(const QString &what)
{
    return QCoreApplication::translate("simdesk::CustomerRepository", "Customer %1").arg(what);
}

} // namespace

QString CustomerRepository::columns(const QString &alias)
{
    return qualifiedColumns(kColumns, alias);
}

Customer CustomerRepository::fromRow(const QueryResult &q, int first)
{
    auto v = [&q, first](int i) {
        return q.value(first + i);
    };
    return { v(0).toLongLong(), v(1).toString(), v(2).toString(), v(3).toString(), v(4).toString(),
        v(5).toString(), v(6).toString(), v(7).toString(), v(8).toInt(), v(9).toDateTime(),
        v(10).toDateTime(), v(11).toDateTime() };
}

Result<QList<Customer>> CustomerRepository::list(const QString &search, int limit) const
{
    const QString pattern = QLatin1Char('%') + search.trimmed().toLower() + QLatin1Char('%');
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral(
            "SELECT %1 FROM customers WHERE $1 = '%%' OR lower(full_name) LIKE $2 "
            "OR lower(customer_no) LIKE $3 OR lower(email) LIKE $4 ORDER BY full_name, id LIMIT $5")
            .arg(kColumns),
        { pattern, pattern, pattern, pattern, limit });
    if (!q)
        return q.error();
    QList<Customer> list;
    while (q.value().next())
        list.append(fromRow(q.value()));
    return list;
}

Result<Customer> CustomerRepository::find(qint64 id) const
{
    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT %1 FROM customers WHERE id = $1").arg(kColumns),
            { id }, label(QString::number(id)));
    if (!q)
        return q.error();
    return fromRow(q.value());
}

Result<Customer> CustomerRepository::validated(const Customer &input) const
{
    Customer c = input;
    c.customerNo = c.customerNo.trimmed();
    Result<QString> name = customerfields::normalizeName(c.fullName);
    if (!name)
        return name.error();
    c.fullName = *name;
    c.email = c.email.trimmed();
    if (!c.email.isEmpty()) {
        Result<QString> email = customerfields::normalizeEmail(c.email);
        if (!email)
            return email.error();
        c.email = *email;
    }
    if (!c.phone.trimmed().isEmpty()) {
        Result<QString> phone = validation::normalizeMsisdn(c.phone);
        if (!phone)
            return phone.error();
        c.phone = *phone;
    } else {
        c.phone.clear();
    }
    return c;
}

Result<Customer> CustomerRepository::create(const Customer &input)
{
    Result<Customer> c = validated(input);
    if (!c)
        return c.error();
    QVariantList values { c->fullName, nullable(c->company.trimmed()), nullable(c->email),
        nullable(c->phone), nullable(c->address.trimmed()), nullable(c->notes.trimmed()) };
    // An empty number takes the database's next one (the column default, customer_no_seq).
    if (!c->customerNo.isEmpty())
        values.append(c->customerNo);
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral(
            "INSERT INTO customers (customer_no, full_name, company, email, phone, address, notes) "
            "VALUES (%1, $1, $2, $3, $4, $5, $6) RETURNING id")
            .arg(c->customerNo.isEmpty() ? QStringLiteral("DEFAULT") : QStringLiteral("$7")),
        values);
    if (!q)
        return q.error();
    q.value().next();
    return find(q.value().value(0).toLongLong());
}

Result<Customer> CustomerRepository::update(const Customer &input)
{
    Result<Customer> c = validated(input);
    if (!c)
        return c.error();
    if (c->customerNo.isEmpty())
        return Error(ErrorCode::FieldRequired,
            { QCoreApplication::translate("simdesk::CustomerRepository", "The customer number") });
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    if (Result<QString> locked = lockAtVersion(m_db, QStringLiteral("customers"),
            QStringLiteral("full_name"), c->id, c->version, label(QStringLiteral("%1")));
        !locked)
        return withAuthor(m_db, c->id, locked.error());
    Result<QueryResult> u = runQuery(m_db,
        QStringLiteral(
            "UPDATE customers SET customer_no = $1, full_name = $2, company = $3, email = "
            "$4, phone = $5, "
            "address = $6, notes = $7 WHERE id = $8"),
        { c->customerNo, c->fullName, nullable(c->company.trimmed()), nullable(c->email),
            nullable(c->phone), nullable(c->address.trimmed()), nullable(c->notes.trimmed()),
            c->id });
    if (!u)
        return u.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(c->id);
}

Status CustomerRepository::anonymise(qint64 id, int expectedVersion)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s;
    if (Result<QString> name = lockAtVersion(m_db, QStringLiteral("customers"),
            QStringLiteral("full_name"), id, expectedVersion, label(QStringLiteral("%1")));
        !name)
        return withAuthor(m_db, id, name.error());
    if (Result<QueryResult> a
        = runQuery(m_db, QStringLiteral("SELECT simdesk_customer_anonymise($1)"), { id });
        !a)
        return a.error();
    return tx.commit();
}

Status CustomerRepository::remove(qint64 id, int expectedVersion)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s;
    Result<QString> name = lockAtVersion(m_db, QStringLiteral("customers"),
        QStringLiteral("full_name"), id, expectedVersion, label(QStringLiteral("%1")));
    if (!name)
        return withAuthor(m_db, id, name.error());
    // A function: no role has DELETE on the table (sql/011_hardening.sql).
    if (Result<QueryResult> d
        = runQuery(m_db, QStringLiteral("SELECT simdesk_customer_delete($1)"), { id });
        !d) {
        if (d.error().args.value(0) == QLatin1String("23503")) // referenced by a card or an event
            return Error(ErrorCode::CustomerInUse, { *name }, d.error().detail);
        return d.error();
    }
    return tx.commit();
}

} // namespace simdesk
