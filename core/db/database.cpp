// SPDX-License-Identifier: MIT
#include "db/database.h"

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
    db.setPassword(settings.password);
    // QPSQL quotes host, database, user and password itself but pastes the options as they are
    // (';' becomes a space): connectOptions() quotes every value, so `sslmode=disable host=x`
    // arrives as one sslmode value that libpq refuses, never as a second keyword.
    db.setConnectOptions(settings.connectOptions());

    if (!db.open()) {
        const QString detail = db.lastError().databaseText().trimmed();
        const QString target = settings.describe().isEmpty() ? QStringLiteral("(PG* defaults)")
                                                             : settings.describe();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        // libpq's words for a refused or missing password.
        if (detail.contains(QLatin1String("password authentication failed"))
            || detail.contains(QLatin1String("no password supplied"))) {
            const QString user
                = settings.user.isEmpty() ? qEnvironmentVariable("PGUSER") : settings.user;
            return Error(ErrorCode::AuthenticationFailed, { user }, detail);
        }
        // Since 004 only SimDesk's groups may connect: a login in none of them ends here.
        if (detail.contains(QLatin1String("CONNECT privilege")))
            return Error(ErrorCode::PermissionDenied, {}, detail);
        return Error(ErrorCode::ConnectionFailed, { target }, detail);
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

Error Database::errorForSqlState(const QString &sqlState, const QString &serverMessage)
{
    const QString state = sqlState.isEmpty() ? QStringLiteral("?") : sqlState;
    const QString detail = serverMessage.trimmed();
    if (state == QLatin1String("42501"))
        return Error(ErrorCode::PermissionDenied, {}, detail);
    if (state == QLatin1String("23505"))
        return Error(ErrorCode::DuplicateValue, { state }, detail);
    // SimDesk's own rules with an error of their own (sql/004_audit.sql lists the codes); the
    // others are explained by the service that called the function.
    if (state == QLatin1String("SD040"))
        return Error(ErrorCode::LastActiveAdmin, { state }, detail);
    if (state == QLatin1String("SD030"))
        return Error(ErrorCode::SecretsReadRefused, { state }, detail);
    // Integrity (23…), invalid parameter (22023) and SimDesk's own rules raised by triggers (SD…).
    if (state.startsWith(QLatin1String("23")) || state == QLatin1String("22023")
        || state.startsWith(QLatin1String("SD")))
        return Error(ErrorCode::ConstraintViolation, { state }, detail);
    // Serialisation failure, deadlock, lock not available.
    if (state == QLatin1String("40001") || state == QLatin1String("40P01")
        || state == QLatin1String("55P03"))
        return Error(ErrorCode::ConcurrentUpdate, {}, detail);
    if (state.startsWith(QLatin1String("08")) || state == QLatin1String("57P01"))
        return Error(ErrorCode::ConnectionLost, {}, detail);
    return Error(ErrorCode::QueryFailed, { state }, detail);
}

Error Database::errorForResult(const pg_result *result, pg_conn *conn)
{
    if (!result || PQstatus(conn) == CONNECTION_BAD)
        return Error(ErrorCode::ConnectionLost, {},
            QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(conn))
                .trimmed());
    const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const char *primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    // No primary message: an error libpq made up itself (its whole text is the message).
    QString message = QString::fromUtf8(primary ? primary : PQresultErrorMessage(result));
    if (const char *detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
        message += QStringLiteral("\nDETAIL: ") + QString::fromUtf8(detail);
    if (const char *hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT))
        message += QStringLiteral("\nHINT: ") + QString::fromUtf8(hint);
    return errorForSqlState(QString::fromLatin1(state ? state : ""), message);
}

Error Database::queryError(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    if (error.nativeErrorCode().isEmpty() && error.type() == QSqlError::ConnectionError)
        return Error(ErrorCode::ConnectionLost, {}, text.trimmed());
    return errorForSqlState(error.nativeErrorCode(), text);
}

} // namespace simdesk
