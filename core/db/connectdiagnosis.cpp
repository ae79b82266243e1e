// SPDX-License-Identifier: MIT
#include "db/connectdiagnosis.h"

#include "db/tlsdiagnosis.h"

#include <QRegularExpression>

#include <libpq-fe.h>

#include <poll.h>

namespace simdesk {

namespace {

// libpq's conninfo for `settings`, the same keywords QPSQL is given.
QByteArray conninfo(const ConnectionSettings &s)
{
    QStringList parts;
    if (!s.host.isEmpty())
        parts << QStringLiteral("host=") + quotedConnValue(s.host);
    if (s.port > 0)
        parts << QStringLiteral("port=") + quotedConnValue(QString::number(s.port));
    if (!s.database.isEmpty())
        parts << QStringLiteral("dbname=") + quotedConnValue(s.database);
    if (!s.user.isEmpty())
        parts << QStringLiteral("user=") + quotedConnValue(s.user);
    if (const QString password = s.currentPassword(); !password.isEmpty())
        parts << QStringLiteral("password=") + quotedConnValue(password);
    parts << s.connectOptions().split(QLatin1Char(';'), Qt::SkipEmptyParts);
    return parts.join(QLatin1Char(' ')).toUtf8();
}

// Waits until the socket is ready for what PQconnectPoll asked, for at most `ms`.
bool waitFor(PGconn *conn, PostgresPollingStatusType want, int ms)
{
    pollfd p {};
    p.fd = PQsocket(conn);
    if (p.fd < 0)
        return false;
    p.events = want == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    return ::poll(&p, 1, ms) > 0;
}

// The SQLSTATE in a verbose libpq error text: the first "<5 characters>:" after a severity.
QString sqlStateIn(const QString &text)
{
    static const QRegularExpression code(QStringLiteral(":  ([0-9A-Z]{5}): "));
    return code.match(text).captured(1);
}

} // namespace

ConnectAttempt tryConnect(const ConnectionSettings &settings)
{
    ConnectAttempt a;
    PGconn *conn = PQconnectStart(conninfo(settings).constData());
    if (!conn)
        return a;
    PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
    PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
    // connect_timeout bounds each step; 10 s per wait is the same order (settings default).
    while (poll != PGRES_POLLING_OK && poll != PGRES_POLLING_FAILED) {
        if (!waitFor(conn, poll, 10000))
            break;
        poll = PQconnectPoll(conn);
        switch (PQstatus(conn)) {
        case CONNECTION_MADE:
        case CONNECTION_AWAITING_RESPONSE:
        case CONNECTION_AUTH_OK:
        case CONNECTION_SETENV:
        case CONNECTION_CHECK_WRITABLE:
        case CONNECTION_CONSUME:
        case CONNECTION_CHECK_TARGET:
        case CONNECTION_CHECK_STANDBY:
            a.reachedServer = true;
            break;
        case CONNECTION_SSL_STARTUP:
        case CONNECTION_GSS_STARTUP:
            a.reachedServer = true;
            a.startedTls = true;
            break;
        default:
            break;
        }
        if (PQstatus(conn) == CONNECTION_AUTH_OK || PQstatus(conn) == CONNECTION_SETENV)
            a.authenticated = true;
    }
    a.neededPassword = PQconnectionNeedsPassword(conn);
    a.usedPassword = PQconnectionUsedPassword(conn);
    if (PQstatus(conn) == CONNECTION_OK)
        a.authenticated = true;
    a.message = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    a.sqlState = sqlStateIn(a.message);
    PQfinish(conn);
    return a;
}

Error classifyConnectFailure(const ConnectionSettings &settings, const ConnectAttempt &a)
{
    const QString user = settings.user.isEmpty() ? qEnvironmentVariable("PGUSER") : settings.user;
    const QString target
        = settings.describe().isEmpty() ? QStringLiteral("(PG* defaults)") : settings.describe();
    const QString server = settings.host.isEmpty() ? qEnvironmentVariable("PGHOST") : settings.host;
    const QString state = a.sqlState;
    auto is = [&](const char *code) {
        return state == QLatin1String(code);
    };
    Error e(ErrorCode::ConnectionFailed, { target }, a.message);
    if (state.isEmpty() && a.neededPassword)
        e = Error(ErrorCode::PasswordRequired, { user }, a.message);
    else if (is("28P01"))
        e = Error(ErrorCode::AuthenticationFailed, { user }, a.message);
    // 28000 after the password was taken: the login itself is refused ("not permitted to log
    // in"); before any password: the server's access rules (pg_hba.conf). libpq may read the
    // AuthenticationOk and the refusal in one go, so a password that was sent counts too.
    else if (is("28000") && (a.authenticated || a.usedPassword))
        e = Error(ErrorCode::LoginDisabled, { user }, a.message);
    else if (is("28000"))
        e = Error(ErrorCode::LoginRefused, { user, server }, a.message); // pg_hba.conf
    else if (is("42501"))
        e = Error(ErrorCode::NoSimDeskRole, { user }, a.message); // no CONNECT on the database
    else if (is("3D000"))
        e = Error(ErrorCode::DatabaseMissing, { settings.database, server }, a.message);
    else if (is("53300"))
        e = Error(ErrorCode::TooManyConnections, { server }, a.message);
    else if (is("57P03") || state.startsWith(QLatin1String("08")))
        e = Error(ErrorCode::ConnectionLost, {}, a.message);
    // Failed in the TLS handshake: which of its failures, by what weaker sslmodes accept.
    else if (state.isEmpty() && !a.authenticated) {
        if (std::optional<Error> tls = TlsDiagnosis::diagnose(settings)) {
            e = *tls;
            e.detail = a.message;
        }
    }
    e.sqlState = state;
    return e;
}

} // namespace simdesk
