// SPDX-License-Identifier: MIT
#include "services/staffservice.h"

#include "db/database.h"
#include "db/sqlquery.h"

#include <QCoreApplication>

#include <libpq-fe.h>

namespace simdesk {

Result<SessionInfo> StaffService::currentSession() const
{
    Result<QueryResult> q = runSingle(m_db,
        QStringLiteral("SELECT session_user, simdesk_session_role(), s.display_name, s.email "
                       "FROM (SELECT 1) AS one LEFT JOIN staff s ON s.login = session_user"),
        {}, QStringLiteral("session"));
    if (!q)
        return q.error();
    const QueryResult &r = q.value();
    SessionInfo info;
    info.login = r.value(0).toString();
    info.role = staffRoleFromKey(r.value(1).toString());
    info.displayName = r.value(2).isNull() ? info.login : r.value(2).toString();
    info.email = r.value(3).toString();
    return info;
}

Result<QList<StaffMember>> StaffService::list() const
{
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT id, login, email, display_name, role, active, created_at FROM staff "
                       "ORDER BY login"));
    if (!q)
        return q.error();
    QList<StaffMember> members;
    while (q.value().next()) {
        const QueryResult &r = q.value();
        members.append({ r.value(0).toLongLong(), r.value(1).toString(), r.value(2).toString(),
            r.value(3).toString(),
            staffRoleFromKey(r.value(4).toString()).value_or(StaffRole::Viewer),
            r.value(5).toBool(), r.value(6).toDateTime() });
    }
    return members;
}

Result<QList<StaffOverview>> StaffService::overview() const
{
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT id, login, email, display_name, role, active, created_at, "
                       "last_change, sessions, newest_session FROM simdesk_staff_overview()"));
    if (!q)
        return q.error();
    QList<StaffOverview> rows;
    while (q.value().next()) {
        const QueryResult &r = q.value();
        StaffOverview o;
        o.member = { r.value(0).toLongLong(), r.value(1).toString(), r.value(2).toString(),
            r.value(3).toString(),
            staffRoleFromKey(r.value(4).toString()).value_or(StaffRole::Viewer),
            r.value(5).toBool(), r.value(6).toDateTime() };
        o.lastChange = r.value(7).toDateTime();
        o.openSessions = r.value(8).toInt();
        o.newestSession = r.value(9).toDateTime();
        rows.append(o);
    }
    return rows;
}

Result<int> StaffService::endSessions(const QString &login)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    Result<QueryResult> q = runSingle(
        m_db, QStringLiteral("SELECT simdesk_end_staff_sessions($1)"), { login }, login);
    if (!q)
        return q.error();
    const int ended = q.value().value(0).toInt();
    if (Status s = tx.commit(); !s)
        return s.error();
    return ended;
}

Status StaffService::checkPassword(ConnectionSettings settings, const QString &password)
{
    settings.sharedPassword.reset(); // this one connection only: the window's stay as they are
    settings.password = password;
    const QString name = Database::uniqueName(QStringLiteral("password-check"));
    std::optional<Error> failed;
    {
        const ScopedConnection scope(name);
        const Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db)
            failed = db.error();
    }
    if (!failed)
        return {};
    if (failed->code == ErrorCode::AuthenticationFailed
        || failed->code == ErrorCode::PasswordRequired)
        return Error(ErrorCode::CurrentPasswordWrong, {}, failed->detail);
    return *failed;
}

Result<QString> StaffService::verifier(const QString &login, const QString &password) const
{
    if (password.size() < kMinimumPasswordLength)
        return Error(ErrorCode::StaffPasswordTooShort,
            { QString::number(password.size()), QString::number(kMinimumPasswordLength) });
    // libpq takes a C string: a NUL would silently cut the password short.
    if (password.contains(QChar(u'\0')))
        return Error(ErrorCode::PasswordHasNul);
    PGconn *conn = Database::pgconn(m_db);
    if (!conn)
        return Error(ErrorCode::ConnectionLost);
    char *encrypted = PQencryptPasswordConn(
        conn, password.toUtf8().constData(), login.toUtf8().constData(), "scram-sha-256");
    if (!encrypted)
        return Error(ErrorCode::QueryFailed, { QStringLiteral("PQencryptPasswordConn") },
            QString::fromUtf8(PQerrorMessage(conn)).trimmed());
    const QString result = QString::fromLatin1(encrypted);
    PQfreemem(encrypted);
    return result;
}

Result<StaffMember> StaffService::create(const NewStaffMember &member)
{
    const QString login = member.login.trimmed();
    // The login rule lives in one place, the database (simdesk_valid_login, also the staff
    // table's CHECK): ask it before anything is created.
    Result<QueryResult> valid
        = runSingle(m_db, QStringLiteral("SELECT simdesk_valid_login($1)"), { login }, login);
    if (!valid)
        return valid.error();
    if (!valid.value().value(0).toBool())
        return Error(ErrorCode::StaffLoginInvalid, { login });
    if (member.displayName.trimmed().isEmpty())
        return Error(ErrorCode::FieldRequired,
            { QCoreApplication::translate("simdesk::StaffService", "The display name") });
    if (member.email.trimmed().isEmpty())
        return Error(ErrorCode::FieldRequired,
            { QCoreApplication::translate("simdesk::StaffService", "The e-mail address") });
    Result<QString> secret = verifier(login, member.password);
    if (!secret)
        return secret.error();

    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    Result<QueryResult> q
        = runQuery(m_db, QStringLiteral("SELECT simdesk_create_staff($1, $2, $3, $4, $5)"),
            { login, *secret, member.email.trimmed(), member.displayName.trimmed(),
                staffRoleKey(member.role) });
    if (!q) {
        // 42710: the login exists (as staff or as any other PostgreSQL role).
        if (q.error().args.value(0) == QLatin1String("42710"))
            return Error(ErrorCode::DuplicateValue, { login }, q.error().detail);
        return q.error();
    }
    q.value().next();
    const qint64 id = q.value().value(0).toLongLong();
    if (Status s = tx.commit(); !s)
        return s.error();
    return StaffMember { id, login, member.email.trimmed(), member.displayName.trimmed(),
        member.role, true, {} };
}

Status StaffService::setRole(const QString &login, StaffRole role)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s;
    if (Result<QueryResult> q = runQuery(m_db,
            QStringLiteral("SELECT simdesk_set_staff_role($1, $2)"), { login, staffRoleKey(role) });
        !q)
        return q.error();
    return tx.commit();
}

Status StaffService::setActive(const QString &login, bool active)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s;
    if (Result<QueryResult> q = runQuery(
            m_db, QStringLiteral("SELECT simdesk_set_staff_active($1, $2)"), { login, active });
        !q)
        return q.error();
    return tx.commit();
}

Status StaffService::setPassword(const QString &login, const QString &password)
{
    Result<QString> secret = verifier(login, password);
    if (!secret)
        return secret.error();
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s;
    if (Result<QueryResult> q = runQuery(
            m_db, QStringLiteral("SELECT simdesk_set_staff_password($1, $2)"), { login, *secret });
        !q)
        return q.error();
    return tx.commit();
}

} // namespace simdesk
