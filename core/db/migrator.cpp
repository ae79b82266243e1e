// SPDX-License-Identifier: MIT
#include "db/migrator.h"

#include "db/database.h"
#include "db/sqlquery.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QVariant>

#include <algorithm>

namespace simdesk {

namespace {

// One migration at a time: each migration's transaction first locks schema_migrations in
// EXCLUSIVE mode, without waiting. No application role can take or hold a lock that blocks it:
// they may only SELECT the table, which takes ACCESS SHARE (compatible with EXCLUSIVE), and
// every other mode needs UPDATE, DELETE or TRUNCATE on it, which only its owner has. (An
// advisory-lock key, by contrast, can be taken by any login that knows or guesses it.)
constexpr const char *kLockSql = "LOCK TABLE schema_migrations IN EXCLUSIVE MODE NOWAIT";

// When the migrating login is not the database's owner but may act as it (a DBA, a member of a
// NOLOGIN owner role), the migration runs as the owner, for this transaction only: the schema
// stays owned by one role whoever migrates it (docs/server-setup.md).
constexpr const char *kOwnerRoleSql
    = "SELECT set_config('role', pg_catalog.pg_get_userbyid(d.datdba)::text, true) "
      "FROM pg_catalog.pg_database d "
      "WHERE d.datname = pg_catalog.current_database() "
      "AND d.datdba <> (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user) "
      "AND pg_catalog.pg_has_role(current_user, d.datdba, 'MEMBER')";

// Serialises the creation of schema_migrations, the one moment there is no table to lock yet
// (pg_advisory_xact_lock key: "SDMG"). Any login could take this key first; before the first
// migration no SimDesk login exists, and afterwards the table's own lock serialises (kLockSql).
constexpr const char *kCreateLockSql = "SELECT pg_advisory_xact_lock(1397968199)";

// A migration may take longer than the database's default statement timeout for staff
// (sql/011_hardening.sql): not this transaction's.
constexpr const char *kNoTimeoutSql = "SET LOCAL statement_timeout = 0";

bool isLockBusy(const Error &e)
{
    return e.code == ErrorCode::RecordLocked || e.code == ErrorCode::ConcurrentUpdate;
}

} // namespace

Migration Migration::fromSql(int version, const QString &name, const QByteArray &sql)
{
    return { version, name, sql,
        QString::fromLatin1(QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex()) };
}

Migrator::Migrator(QSqlDatabase db)
    : Migrator(std::move(db), bundledMigrations())
{ }

Migrator::Migrator(QSqlDatabase db, QList<Migration> migrations)
    : m_db(std::move(db))
    , m_migrations(std::move(migrations))
{
    std::sort(m_migrations.begin(), m_migrations.end(),
        [](const Migration &a, const Migration &b) { return a.version < b.version; });
}

QList<Migration> Migrator::bundledMigrations()
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{3})_([a-z0-9_]+)\\.sql$"));
    QList<Migration> list;
    const QDir dir(QStringLiteral(":/sql"));
    for (const QString &file : dir.entryList(QDir::Files, QDir::Name)) {
        const QRegularExpressionMatch m = pattern.match(file);
        if (!m.hasMatch())
            continue; // demo data and other scripts are not migrations
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        list.append(Migration::fromSql(m.captured(1).toInt(), m.captured(2), f.readAll()));
    }
    return list;
}

int Migrator::latestVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.last().version;
}

Result<QList<Migrator::Applied>> Migrator::applied() const
{
    Result<QueryResult> exists
        = runSingle(m_db, QStringLiteral("SELECT to_regclass('schema_migrations') IS NOT NULL"), {},
            QStringLiteral("schema_migrations"));
    if (!exists)
        return exists.error();
    if (!exists->value(0).toBool())
        return QList<Applied> {};
    Result<QueryResult> q = runQuery(
        m_db, QStringLiteral("SELECT version, checksum FROM schema_migrations ORDER BY version"));
    if (!q)
        return q.error();
    QList<Applied> list;
    while (q.value().next())
        list.append({ q->value(0).toInt(), q->value(1).toString() });
    return list;
}

Result<int> Migrator::currentVersion() const
{
    Result<QList<Applied>> list = applied();
    if (!list)
        return list.error();
    return list->isEmpty() ? 0 : list->last().version;
}

Status Migrator::checkAgainst(const QList<Applied> &applied) const
{
    const int current = applied.isEmpty() ? 0 : applied.last().version;
    if (current > latestVersion())
        return Error(ErrorCode::SchemaTooNew,
            { QString::number(current), QString::number(latestVersion()) });
    for (const Applied &a : applied) {
        for (const Migration &m : m_migrations) {
            if (m.version == a.version && m.checksum != a.checksum)
                return Error(ErrorCode::MigrationModified,
                    { QStringLiteral("%1 (%2)")
                            .arg(m.version, 3, 10, QLatin1Char('0'))
                            .arg(m.name) });
        }
    }
    return {};
}

Status Migrator::checkCompatible() const
{
    Result<QList<Applied>> list = applied();
    if (!list)
        return list.error();
    if (Status s = checkAgainst(*list); !s)
        return s;
    const int current = list->isEmpty() ? 0 : list->last().version;
    if (current < latestVersion())
        return Error(ErrorCode::SchemaTooOld,
            { QString::number(current), QString::number(latestVersion()) });
    return {};
}

Status Migrator::ensureTable()
{
    Result<QueryResult> exists
        = runSingle(m_db, QStringLiteral("SELECT to_regclass('schema_migrations') IS NOT NULL"), {},
            QStringLiteral("schema_migrations"));
    if (!exists)
        return exists.error();
    if (exists->value(0).toBool())
        return {};
    if (!m_db.transaction())
        return Database::queryError(m_db.lastError());
    Result<QueryResult> q = runQuery(m_db, QString::fromLatin1(kOwnerRoleSql));
    if (q)
        q = runQuery(m_db, QString::fromLatin1(kCreateLockSql));
    if (q)
        q = runQuery(m_db,
            QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                           " version integer PRIMARY KEY,"
                           " name text NOT NULL,"
                           " checksum text NOT NULL,"
                           " applied_by text NOT NULL DEFAULT session_user,"
                           " applied_at timestamptz NOT NULL DEFAULT now())"));
    if (!q) {
        m_db.rollback();
        // Two first migrations of an empty database at once: the second one's CREATE waits for
        // the first one's and then fails on the catalogue's unique index.
        if (q.error().code == ErrorCode::DuplicateValue)
            return Error(ErrorCode::MigrationInProgress, { QStringLiteral("0") }, q.error().detail);
        return q.error();
    }
    if (!m_db.commit())
        return Database::queryError(m_db.lastError());
    return {};
}

Error Migrator::inProgress(const Error &cause) const
{
    const Result<int> now = currentVersion();
    return Error(ErrorCode::MigrationInProgress,
        { now ? QString::number(*now) : QStringLiteral("?") }, cause.detail);
}

Result<QList<int>> Migrator::migrate()
{
    // Refuse a newer schema before touching anything.
    if (Result<QList<Applied>> before = applied(); !before)
        return before.error();
    else if (Status s = checkAgainst(*before); !s)
        return s.error();

    if (Status s = ensureTable(); !s)
        return s.error();

    QList<int> done;
    for (const Migration &m : std::as_const(m_migrations)) {
        if (!m_db.transaction())
            return Database::queryError(m_db.lastError());
        auto fail = [&](const Error &e) {
            m_db.rollback();
            return e;
        };
        // As the owner first: a member that does not inherit its rights may still take the lock.
        if (Result<QueryResult> q = runQuery(m_db, QString::fromLatin1(kOwnerRoleSql)); !q)
            return fail(q.error());
        if (Result<QueryResult> q = runQuery(m_db, QString::fromLatin1(kLockSql)); !q) {
            m_db.rollback();
            return isLockBusy(q.error()) ? inProgress(q.error()) : q.error();
        }
        if (Result<QueryResult> q = runQuery(m_db, QString::fromLatin1(kNoTimeoutSql)); !q)
            return fail(q.error());
        // Another workstation may have migrated while we waited for the lock: look again.
        Result<QList<Applied>> now = applied();
        if (!now)
            return fail(now.error());
        if (Status s = checkAgainst(*now); !s)
            return fail(s.error());
        const bool isApplied = std::any_of(
            now->cbegin(), now->cend(), [&](const Applied &a) { return a.version == m.version; });
        if (isApplied) {
            m_db.rollback();
            continue;
        }
        const int current = now->isEmpty() ? 0 : now->last().version;
        if (Status s = Database::execScript(m_db, QString::fromUtf8(m.sql)); !s)
            return fail(Error(ErrorCode::MigrationFailed,
                { QString::number(m.version), m.name, QString::number(current) },
                s.error().detail));
        if (Result<QueryResult> q = runQuery(m_db,
                QStringLiteral(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)"),
                { m.version, m.name, m.checksum });
            !q)
            return fail(q.error());
        if (!m_db.commit())
            return fail(Database::queryError(m_db.lastError()));
        done.append(m.version);
    }
    return done;
}

} // namespace simdesk
