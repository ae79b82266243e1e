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

// Serialises migrations across every workstation (pg_advisory_xact_lock key: "SDMG").
constexpr const char *kLockSql = "SELECT pg_advisory_xact_lock(1397968199)";

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
    if (!m_db.transaction())
        return Database::queryError(m_db.lastError());
    Result<QueryResult> q = runQuery(m_db, QString::fromLatin1(kLockSql));
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
        return q.error();
    }
    if (!m_db.commit())
        return Database::queryError(m_db.lastError());
    return {};
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
        if (Result<QueryResult> q = runQuery(m_db, QString::fromLatin1(kLockSql)); !q)
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
