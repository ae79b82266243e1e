// SPDX-License-Identifier: MIT
#include "db/database.h"

#include "db/connectdiagnosis.h"
#include "db/sqlstate.h"

#include <QAtomicInteger>
#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>

#include <libpq-fe.h>

namespace simdesk {

Result<QSqlDatabase> Database::open(
    const ConnectionSettings &settings, const QString &connectionName)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Error(ErrorCode::DatabaseDriverMissing);

    // Refused before anything is sent: libpq would cut a value at its NUL.
    if (Status valid = settings.validate(); !valid)
        return valid.error();

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(settings.host);
    if (settings.port > 0)
        db.setPort(settings.port);
    db.setDatabaseName(settings.database);
    db.setUserName(settings.user);
    db.setPassword(settings.currentPassword());
    // QPSQL quotes host, database, user and password itself but pastes the options as they are
    // (';' becomes a space): connectOptions() quotes every value, so `sslmode=disable host=x`
    // arrives as one sslmode value that libpq refuses, never as a second keyword.
    db.setConnectOptions(settings.connectOptions());

    if (!db.open()) {
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        // QPSQL keeps only libpq's words, in the user's language (and the server's). Once more,
        // with libpq directly, to see how far the attempt got and the server's SQLSTATE.
        return classifyConnectFailure(settings, tryConnect(settings));
    }
    return db;
}

QString Database::uniqueName(const QString &prefix)
{
    static QAtomicInteger<quint64> counter;
    return prefix + QLatin1Char('-') + QString::number(++counter);
}

void Database::close(const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

pg_conn *Database::pgconn(const QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    // Qt 6.4 names the type "pg_conn*"; some versions say "PGconn*".
    const char *type = handle.typeName();
    if (!handle.isValid() || !type
        || (qstrcmp(type, "pg_conn*") != 0 && qstrcmp(type, "PGconn*") != 0))
        return nullptr;
    return *static_cast<pg_conn *const *>(handle.data());
}

Status Database::execScript(const QSqlDatabase &db, const QString &sql)
{
    PGconn *conn = pgconn(db);
    if (!conn)
        return Error(ErrorCode::QueryFailed, { QStringLiteral("no PostgreSQL connection") });
    PGresult *res = PQexec(conn, sql.toUtf8().constData());
    const ExecStatusType status = PQresultStatus(res);
    Status result;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        result = errorForResult(res, conn);
    PQclear(res);
    return result;
}

QString Database::describe(const QSqlDatabase &db)
{
    PGconn *conn = pgconn(db);
    if (!conn)
        return {};
    const QString host = QString::fromUtf8(PQhost(conn));
    return QStringLiteral("%1@%2:%3/%4")
        .arg(QString::fromUtf8(PQuser(conn)), host, QString::fromUtf8(PQport(conn)),
            QString::fromUtf8(PQdb(conn)));
}

Error Database::errorForResult(const pg_result *result, pg_conn *conn)
{
    if (!result || PQstatus(conn) == CONNECTION_BAD)
        return Error(ErrorCode::ConnectionLost, {},
            QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(conn))
                .trimmed());
    auto field = [result](int code) {
        return QString::fromUtf8(PQresultErrorField(result, code));
    };
    ServerError server { field(PG_DIAG_SQLSTATE), field(PG_DIAG_MESSAGE_PRIMARY),
        field(PG_DIAG_MESSAGE_DETAIL), field(PG_DIAG_MESSAGE_HINT) };
    // No primary message: an error libpq made up itself (its whole text is the message).
    if (server.message.isEmpty())
        server.message = QString::fromUtf8(PQresultErrorMessage(result));
    return errorForServer(server);
}

Error Database::queryError(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    if (error.nativeErrorCode().isEmpty() && error.type() == QSqlError::ConnectionError)
        return Error(ErrorCode::ConnectionLost, {}, text.trimmed());
    return errorForServer({ error.nativeErrorCode(), text, {}, {} });
}

} // namespace simdesk
