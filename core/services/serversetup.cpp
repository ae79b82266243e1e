// SPDX-License-Identifier: MIT
#include "services/serversetup.h"

#include "db/sqlquery.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::ServerSetup", text);
}

// The large-object functions that create one: PUBLIC may execute them in every database.
constexpr const char *kLargeObjectFunctions[] = { "pg_catalog.lo_create(oid)",
    "pg_catalog.lo_creat(integer)", "pg_catalog.lo_from_bytea(oid, bytea)",
    "pg_catalog.lo_import(text)", "pg_catalog.lo_import(text, oid)" };

// Whether this database has its own default for `setting` (ALTER DATABASE … SET).
QString databaseSettingSql(const QString &setting)
{
    return QStringLiteral("EXISTS (SELECT 1 FROM pg_catalog.pg_db_role_setting s "
                          "JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase "
                          "WHERE d.datname = current_database() AND s.setrole = 0 "
                          "AND EXISTS (SELECT 1 FROM unnest(s.setconfig) c WHERE c LIKE '")
        + setting + QStringLiteral("=%'))");
}

// Whether it has one for every one of `settings`.
QString databaseSettingsSql(const QStringList &settings)
{
    QStringList each;
    for (const QString &setting : settings)
        each.append(databaseSettingSql(setting));
    return QStringLiteral("SELECT ") + each.join(QStringLiteral(" AND "));
}

// ALTER DATABASE needs the database's name as an identifier: format(%I) quotes it on the
// server. `setting` and `value` are this file's constants.
QString alterDatabaseSql(const QString &setting, const QString &value)
{
    return QStringLiteral("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET ") + setting
        + QStringLiteral(" = %L', current_database(), '") + value + QStringLiteral("'); END $$");
}

Result<bool> check(const QSqlDatabase &db, const QString &sql)
{
    Result<QueryResult> q = runSingle(db, sql, {}, sql);
    if (!q)
        return q.error();
    return q->value(0).toBool();
}

// Runs a statement that takes an identifier (CREATE ROLE, CREATE DATABASE, GRANT … TO) — which
// PostgreSQL cannot bind as a parameter — by having the server itself write it with
// format('%I'): the names travel as bound values and come back quoted by quote_ident.
Status runWithName(QSqlDatabase db, const QString &pattern, const QStringList &names)
{
    QString placeholders;
    QVariantList values { pattern };
    for (const QString &name : names) {
        values << name;
        placeholders += QStringLiteral(", $%1::text").arg(values.size());
    }
    const Result<QueryResult> statement = runSingle(
        db, QStringLiteral("SELECT format($1::text%1)").arg(placeholders), values, pattern);
    if (!statement)
        return statement.error();
    const Result<QueryResult> done = runQuery(db, statement->value(0).toString());
    if (!done)
        return done.error();
    return {};
}

} // namespace

namespace {

// One hardening step: how to see it is in place, and the statements that put it in place (none:
// only the server's configuration or the site can).
struct HardeningStep
{
    QString key;
    QString checkSql;
    QStringList applySql;
    QString text;
};

// The steps SQL can take, as a superuser connected to the SimDesk database.
QList<HardeningStep> databaseSteps()
{
    QStringList functions;
    for (const char *f : kLargeObjectFunctions)
        functions.append(QLatin1String(f));
    const QString unlimitedStaff = QStringLiteral(
        "SELECT r.rolname FROM public.staff s JOIN pg_catalog.pg_roles r ON r.rolname = s.login "
        "WHERE r.rolcanlogin AND r.rolconnlimit = -1 AND NOT r.rolsuper");
    return {
        { QStringLiteral("large-objects"),
            QStringLiteral("SELECT NOT bool_or(has_function_privilege('public', f, 'EXECUTE')) "
                           "FROM unnest(ARRAY['")
                + functions.join(QStringLiteral("', '"))
                + QStringLiteral("']::regprocedure[]) AS f"),
            { QStringLiteral("REVOKE EXECUTE ON FUNCTION ") + functions.join(QStringLiteral(", "))
                + QStringLiteral(" FROM PUBLIC") },
            tr("Large objects: no login may create one (lo_create, lo_creat, lo_from_bytea, "
               "lo_import), which only a superuser can forbid, database by database. Without it "
               "any login, a viewer's included, can fill the server's disk.") },
        { QStringLiteral("temp-file-limit"),
            databaseSettingsSql({ QStringLiteral("temp_file_limit") }),
            { alterDatabaseSql(QStringLiteral("temp_file_limit"), QStringLiteral("5GB")) },
            tr("Temporary files: no session of this database writes more than 5 GB of them "
               "(temp_file_limit, a superuser's setting); a query that would is cancelled.") },
        { QStringLiteral("timeouts"),
            databaseSettingsSql({ QStringLiteral("idle_in_transaction_session_timeout"),
                QStringLiteral("lock_timeout"), QStringLiteral("statement_timeout") }),
            { alterDatabaseSql(
                  QStringLiteral("idle_in_transaction_session_timeout"), QStringLiteral("2min")),
                alterDatabaseSql(QStringLiteral("lock_timeout"), QStringLiteral("1min")),
                alterDatabaseSql(QStringLiteral("statement_timeout"), QStringLiteral("10min")) },
            tr("Timeouts of this database: an idle transaction ends after 2 minutes, a lock wait "
               "after 1 minute, a statement after 10 minutes (the migrations set them when the "
               "database's owner migrates).") },
        { QStringLiteral("connection-limits"),
            QStringLiteral("SELECT NOT EXISTS (") + unlimitedStaff + QLatin1Char(')'),
            { QStringLiteral("DO $$ DECLARE v text; BEGIN FOR v IN ") + unlimitedStaff
                + QStringLiteral(" LOOP EXECUTE format('ALTER ROLE %I CONNECTION LIMIT ")
                + QString::number(ServerSetup::kConnectionLimit)
                + QStringLiteral("', v); END LOOP; END $$") },
            tr("Connection limits: every staff login may hold at most %1 connections (logins "
               "made with SimDesk get the limit; this gives it to those made by hand).")
                .arg(ServerSetup::kConnectionLimit) },
        { QStringLiteral("signal-backend"),
            QStringLiteral("SELECT r.rolsuper OR pg_has_role(r.oid, 'pg_signal_backend', 'MEMBER') "
                           "FROM pg_catalog.pg_database d JOIN pg_catalog.pg_roles r ON r.oid = "
                           "d.datdba WHERE d.datname = current_database()"),
            { QStringLiteral("DO $$ BEGIN EXECUTE format('GRANT pg_signal_backend TO %I', "
                             "(SELECT pg_get_userbyid(datdba) FROM pg_catalog.pg_database WHERE "
                             "datname = current_database())); END $$") },
            tr("Disabling a login ends its open sessions: the database's owner may signal other "
               "sessions (pg_signal_backend).") },
    };
}

// The steps only the server's configuration or the site can take: SimDesk checks and says.
QList<HardeningStep> siteSteps()
{
    return {
        { QStringLiteral("passwordcheck"),
            QStringLiteral("SELECT current_setting('shared_preload_libraries') ~ "
                           "'(^|[[:space:],])\"?passwordcheck\"?($|[[:space:],])'"),
            {},
            tr("Passwords set outside SimDesk: load PostgreSQL's passwordcheck module, so that a "
               "clear-text password of fewer than 8 characters is refused. In postgresql.conf, "
               "add passwordcheck to shared_preload_libraries, then restart the server.") },
        { QStringLiteral("own-password"), QStringLiteral("SELECT false"), {},
            tr("Every login may change its own password with ALTER ROLE CURRENT_USER PASSWORD "
               "(PostgreSQL cannot refuse it), outside SimDesk's audit and its length rule. "
               "Where that matters, authenticate staff in pg_hba.conf by a method that is not a "
               "PostgreSQL password (ldap, gss, cert): a password set that way then opens "
               "nothing.") },
        { QStringLiteral("log-statement"),
            QStringLiteral("SELECT current_setting('log_statement') IN ('none', 'ddl')"), {},
            tr("log_statement is 'none' or 'ddl': with 'mod' or 'all' the server would log the "
               "values of every statement, reasons and customer data among them. Set it in "
               "postgresql.conf and reload.") },
    };
}

} // namespace

Result<QList<ServerSetupStep>> ServerSetup::run(bool apply)
{
    Result<bool> superuser
        = check(m_db, QStringLiteral("SELECT current_setting('is_superuser') = 'on'"));
    if (!superuser)
        return superuser.error();
    if (!*superuser)
        return Error(ErrorCode::PermissionDenied, {},
            tr("The server set-up changes what only a PostgreSQL superuser may change: connect "
               "to the SimDesk database as one (e.g. postgres)."));

    QList<ServerSetupStep> steps;
    for (const HardeningStep &h : databaseSteps() + siteSteps()) {
        Result<bool> inPlace = check(m_db, h.checkSql);
        if (!inPlace)
            return inPlace.error();
        ServerSetupStep step { h.key, ServerSetupStep::State::InPlace, h.text };
        if (!*inPlace)
            step.state = apply && !h.applySql.isEmpty() ? ServerSetupStep::State::Applied
                                                        : ServerSetupStep::State::ForTheSite;
        if (step.state == ServerSetupStep::State::Applied) {
            for (const QString &sql : h.applySql) {
                if (Result<QueryResult> q = runQuery(m_db, sql); !q)
                    return q.error();
            }
        }
        steps.append(step);
    }
    return steps;
}

bool ServerSetup::isPlainName(const QString &name)
{
    static const QRegularExpression plain(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    return plain.match(name).hasMatch();
}

Result<QStringList> ServerSetup::prepare(
    QSqlDatabase maintenance, const QString &owner, const QString &database)
{
    for (const QString &name : { owner, database }) {
        if (!isPlainName(name))
            return Error(ErrorCode::InvalidArgument,
                { tr("“%1” is not a plain name: use lower-case letters, digits and _.")
                        .arg(name) });
    }
    QStringList done;

    Result<QueryResult> role = runQuery(maintenance,
        QStringLiteral("SELECT rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = $1"),
        { owner });
    if (!role)
        return role.error();
    if (!role.value().next()) {
        if (Status s = runWithName(
                maintenance, QStringLiteral("CREATE ROLE %I NOLOGIN CREATEROLE"), { owner });
            !s)
            return s.error();
        done << tr("Created the schema owner %1 (NOLOGIN, CREATEROLE).").arg(owner);
    } else {
        done << (role->value(0).toBool()
                ? tr("The schema owner %1 exists (it can log in; a NOLOGIN owner is safer: ALTER "
                     "ROLE %1 NOLOGIN).")
                      .arg(owner)
                : tr("The schema owner %1 exists.").arg(owner));
    }

    Result<QueryResult> signal = runSingle(maintenance,
        QStringLiteral("SELECT pg_catalog.pg_has_role($1, 'pg_signal_backend', 'MEMBER')"),
        { owner }, owner);
    if (!signal)
        return signal.error();
    if (!signal->value(0).toBool()) {
        if (Status s
            = runWithName(maintenance, QStringLiteral("GRANT pg_signal_backend TO %I"), { owner });
            !s)
            return s.error();
        done << tr("Granted pg_signal_backend to %1 (disabling a login ends its sessions).")
                    .arg(owner);
    }

    Result<QueryResult> db = runQuery(maintenance,
        QStringLiteral("SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_catalog.pg_database "
                       "WHERE datname = $1"),
        { database });
    if (!db)
        return db.error();
    if (!db.value().next()) {
        if (Status s = runWithName(
                maintenance, QStringLiteral("CREATE DATABASE %I OWNER %I"), { database, owner });
            !s)
            return s.error();
        done << tr("Created the database %1, owned by %2.").arg(database, owner);
    } else if (db->value(0).toString() != owner) {
        return Error(ErrorCode::InvalidArgument,
            { tr("The database %1 exists and belongs to %2, not to %3. Give it to the schema "
                 "owner (ALTER DATABASE %1 OWNER TO %3) or choose another database.")
                    .arg(database, db->value(0).toString(), owner) });
    } else {
        done << tr("The database %1 exists, owned by %2.").arg(database, owner);
    }
    return done;
}

} // namespace simdesk
