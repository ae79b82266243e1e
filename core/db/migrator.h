// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace simdesk {

struct Migration
{
    int version = 0;
    QString name; // "schema" for 001_schema.sql
    QByteArray sql;
    QString checksum; // SHA-256 of sql, hex

    static Migration fromSql(int version, const QString &name, const QByteArray &sql);
};

// Brings a database's schema up to this build's version. The migrations are the numbered files
// of sql/, compiled in as Qt resources (:/sql/NNN_name.sql). Each one runs in its own
// transaction together with its schema_migrations row, holding an EXCLUSIVE lock on
// schema_migrations that only the table's owner can take (migrator.cpp says why), so a
// migration never runs twice, and a failing migration leaves nothing behind. A login that is
// not the database's owner but a member of it (a DBA, when the owner is a NOLOGIN role) migrates
// as the owner.
// A migration runs with no statement_timeout.
class Migrator
{
public:
    explicit Migrator(QSqlDatabase db);
    // For tests: a given list instead of the bundled one (sorted by version).
    Migrator(QSqlDatabase db, QList<Migration> migrations);

    static QList<Migration> bundledMigrations();

    const QList<Migration> &migrations() const { return m_migrations; }
    int latestVersion() const;

    // The highest applied version; 0 for a database that SimDesk never touched.
    Result<int> currentVersion() const;

    // Whether this build can work with the database as it is: SchemaTooOld when migrations
    // are pending, SchemaTooNew when the database is ahead of this build, MigrationModified when
    // an applied migration differs from the bundled file.
    Status checkCompatible() const;

    // Applies every pending migration in order and returns the versions applied (empty when
    // the schema was already current). Refuses with SchemaTooNew before changing anything when
    // the database is ahead of this build; on a failing migration returns MigrationFailed
    // (detail: the server's message) with that migration rolled back and earlier ones kept.
    // While another migration of the database runs, refuses at once with MigrationInProgress
    // (args: the version the schema is at); migrations this call applied before stay applied.
    Result<QList<int>> migrate();

private:
    struct Applied
    {
        int version;
        QString checksum;
    };
    Result<QList<Applied>> applied() const;
    Status checkAgainst(const QList<Applied> &applied) const;
    Status ensureTable();
    Error inProgress(const Error &cause) const;

    QSqlDatabase m_db;
    QList<Migration> m_migrations;
};

} // namespace simdesk
