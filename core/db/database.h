// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/result.h"

#include <QSqlDatabase>
#include <QString>

struct pg_conn;
struct pg_result;
class QSqlError;

namespace simdesk {

// Opening connections and the few things Qt SQL cannot do on its own. A QSqlDatabase belongs to
// the thread that opened it: background work opens its own with a name from uniqueName().
class Database
{
public:
    // Opens a QPSQL connection registered under `connectionName`. Fails with
    // DatabaseDriverMissing when the Qt PostgreSQL plugin is absent, and otherwise with the
    // error classifyConnectFailure() gives (db/connectdiagnosis.h: unreachable, TLS, password,
    // disabled login, no SimDesk role, …; detail: libpq's message); on failure the name is not
    // left registered.
    static Result<QSqlDatabase> open(
        const ConnectionSettings &settings, const QString &connectionName);

    // A connection name unused so far in this process, e.g. "simdesk-import-7".
    static QString uniqueName(const QString &prefix);

    // Closes and unregisters a connection opened by open().
    static void close(const QString &connectionName);

    // The libpq connection behind a QPSQL connection, or nullptr (other driver, not open).
    static pg_conn *pgconn(const QSqlDatabase &db);

    // Runs a script of several SQL statements (functions with $$ bodies included) with one
    // libpq PQexec, in whatever transaction the connection is in; Qt's exec() runs one
    // statement. Fails with QueryFailed (detail: the server's message) at the first error.
    static Status execScript(const QSqlDatabase &db, const QString &sql);

    // "user@host:port/database" of an open connection, as libpq resolved it.
    static QString describe(const QSqlDatabase &db);

    // The Error for a statement QPSQL ran, by its SQLSTATE (db/sqlstate.h).
    static Error queryError(const QSqlError &error);
    // The Error for a failed libpq call: ConnectionLost when there is no result or the
    // connection is gone (PQstatus CONNECTION_BAD), else by the result's SQLSTATE, DETAIL and
    // HINT (db/sqlstate.h).
    static Error errorForResult(const pg_result *result, pg_conn *conn);
};

// Closes and unregisters a named connection when it goes out of scope (for worker threads).
class ScopedConnection
{
public:
    explicit ScopedConnection(QString name)
        : m_name(std::move(name))
    { }
    ~ScopedConnection() { Database::close(m_name); }
    ScopedConnection(const ScopedConnection &) = delete;
    ScopedConnection &operator=(const ScopedConnection &) = delete;

private:
    QString m_name;
};

} // namespace simdesk
