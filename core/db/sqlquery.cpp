// SPDX-License-Identifier: MIT
#include "db/sqlquery.h"

#include "db/database.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>

namespace simdesk {

namespace {

// Replaces each ? outside quoted literals and identifiers with the driver's literal for the next
// value (QPSQL escapes strings with PQescapeStringConn; a null value becomes NULL).
//
// Why not QSqlQuery::prepare(): QPSQL turns it into a server-side PREPARE whose DEALLOCATE, when
// the query object goes, fails inside a transaction that an error has aborted, leaking the
// statement on the connection for the rest of the session (and logging a warning each time).
// Inlined literals also save a round trip per statement.
Result<QString> inlineValues(const QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    QString out;
    out.reserve(sql.size() + values.size() * 16);
    qsizetype next = 0;
    QChar quote;
    for (const QChar c : sql) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            out += c;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            out += c;
        } else if (c == QLatin1Char('?')) {
            if (next >= values.size()) {
                ++next; // more placeholders than values
                break;
            }
            const QVariant &v = values.at(next++);
            QSqlField field(QString(), v.metaType());
            field.setValue(v);
            out += db.driver()->formatValue(field);
        } else {
            out += c;
        }
    }
    if (next != values.size())
        return Error(ErrorCode::InvalidArgument,
            { QStringLiteral("statement has a different number of placeholders than values: %1")
                    .arg(sql) });
    return out;
}

} // namespace

Result<QSqlQuery> runQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (values.isEmpty()) {
        if (!q.exec(sql))
            return Database::queryError(q.lastError());
        return q;
    }
    Result<QString> statement = inlineValues(db, sql, values);
    if (!statement)
        return statement.error();
    if (!q.exec(*statement))
        return Database::queryError(q.lastError());
    return q;
}

Result<QSqlQuery> runSingle(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values, const QString &what)
{
    Result<QSqlQuery> q = runQuery(db, sql, values);
    if (!q)
        return q;
    if (!q.value().next())
        return Error(ErrorCode::NotFound, { what });
    return q;
}

Result<QString> lockAtVersion(const QSqlDatabase &db, const QString &table,
    const QString &nameColumn, qint64 id, int expectedVersion, const QString &labelTemplate)
{
    Result<QSqlQuery> q = runSingle(db,
        QStringLiteral("SELECT version, %1, updated_at FROM %2 WHERE id = ? FOR UPDATE")
            .arg(nameColumn, table),
        { id }, labelTemplate.arg(id));
    if (!q)
        return q.error();
    const QString name = q.value().value(1).toString();
    if (q.value().value(0).toInt() != expectedVersion)
        return Error(ErrorCode::StaleVersion,
            { labelTemplate.arg(name),
                QCoreApplication::translate("simdesk::Error", "someone else"),
                QLocale().toString(
                    q.value().value(2).toDateTime().toLocalTime(), QLocale::ShortFormat) });
    return name;
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

std::optional<qint64> optionalId(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

std::optional<QDateTime> optionalTime(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toDateTime();
}

Transaction::~Transaction()
{
    if (m_open)
        m_db.rollback();
}

Status Transaction::begin()
{
    if (!m_db.transaction())
        return Database::queryError(m_db.lastError());
    m_open = true;
    return {};
}

Status Transaction::commit()
{
    if (!m_db.commit()) {
        const Error e = Database::queryError(m_db.lastError());
        m_db.rollback();
        m_open = false;
        return e;
    }
    m_open = false;
    return {};
}

} // namespace simdesk
