// SPDX-License-Identifier: MIT
#include "pgsession.h"

#include "testdatabase.h"

std::unique_ptr<PgSession> pgConnectTcp(
    const TestDatabase &tdb, const QString &login, const QByteArray &password)
{
    return std::make_unique<PgSession>(QList<std::pair<QByteArray, QByteArray>> {
        { "host", "127.0.0.1" }, { "port", QByteArray::number(tdb.settings().port) },
        { "dbname", tdb.name().toUtf8() }, { "user", login.toUtf8() }, { "password", password },
        { "sslmode", "disable" }, { "connect_timeout", "10" }, { "application_name", "psql" } });
}

std::unique_ptr<PgSession> pgSuperuser(const TestDatabase &tdb)
{
    const simdesk::ConnectionSettings s = tdb.settings();
    return std::make_unique<PgSession>(QList<std::pair<QByteArray, QByteArray>> {
        { "host", s.host.toUtf8() }, { "port", QByteArray::number(s.port) },
        { "dbname", s.database.toUtf8() }, { "user", s.user.toUtf8() } });
}

QString pgVerifier(PgSession &session, const QByteArray &password)
{
    char *v = PQencryptPasswordConn(session.conn(), password.constData(), "x", "scram-sha-256");
    const QString s = QString::fromUtf8(v);
    PQfreemem(v);
    return s;
}

bool pgCreateLogin(
    PgSession &superuser, const QString &login, const QByteArray &password, const QString &group)
{
    // format() on the server quotes the name and the password: nothing pasted here.
    const PgOutcome sql = superuser.execParams(
        QStringLiteral("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', $1::text, "
                       "$2::text, $3::text)"),
        { login.toUtf8(), password, QStringLiteral("simdesk_%1").arg(group).toUtf8() });
    const PgOutcome role = sql.ok ? superuser.exec(sql.value()) : sql;
    const PgOutcome staff = role.ok
        ? superuser.execParams(
            QStringLiteral("INSERT INTO staff (login, email, display_name, role) "
                           "VALUES ($1, $1 || '@example.net', 'Test ' || $1, $2)"),
            { login.toUtf8(), group.toUtf8() })
        : role;
    if (!staff.ok)
        qWarning("pgCreateLogin(%s): %s", qPrintable(login), qPrintable(staff.describe()));
    return staff.ok;
}
