// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace simdesk {

// One item of the server set-up (docs/security.md, "Setting up a real server").
struct ServerSetupStep
{
    enum class State : quint8 {
        Applied, // this run did it
        InPlace, // it was so already
        ForTheSite, // only the server's configuration or the site's own choice can do it: `text`
                    // says exactly what to do
    };
    QString key; // stable: "large-objects", "temp-file-limit", "timeouts", "connection-limits",
                 // "signal-backend", "passwordcheck", "own-password", "log-statement"
    State state = State::InPlace;
    QString text; // translated: what the step is about, and what to do when it is the site's
};

// What PostgreSQL lets a SimDesk login do that the migrations cannot take away, because only a
// superuser or the server's configuration can: create large objects (EXECUTE on lo_create,
// lo_creat, lo_from_bytea, lo_import belongs to PUBLIC in every database), fill the disk with
// temporary files, and so on. run() applies, as a superuser connected to the SimDesk database,
// what SQL can apply in this database, and says for the rest what the site has to do:
//   large-objects      REVOKE EXECUTE on the large-object creating functions FROM PUBLIC
//   temp-file-limit    ALTER DATABASE … SET temp_file_limit = '5GB' (a superuser-only setting)
//   timeouts           the database defaults of sql/011_hardening.sql, when a non-owner migrated
//   connection-limits  CONNECTION LIMIT 30 for staff logins that have none (made by hand)
//   signal-backend     GRANT pg_signal_backend to the schema owner (disabling a login ends its
//                      sessions)
//   passwordcheck      whether shared_preload_libraries loads passwordcheck (a restart: the
//                      site's)
//   own-password       ALTER ROLE CURRENT_USER PASSWORD cannot be refused by PostgreSQL: the
//                      site's choice of authentication (pg_hba.conf)
//   log-statement      log_statement 'mod' or 'all' would write bound values to the log
// With `apply` false nothing is changed and the steps say what would be done. Idempotent.
// Errors: PermissionDenied when the session is not a superuser; the database's errors.
class ServerSetup
{
public:
    explicit ServerSetup(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    Result<QList<ServerSetupStep>> run(bool apply);

    // The part that comes before the schema, once: the schema owner — a NOLOGIN role with
    // CREATEROLE (the staff functions create logins with its rights) and pg_signal_backend
    // (disabling a login ends its sessions) — and the database, owned by it. `maintenance`: a
    // superuser's connection to another database of the cluster (postgres). Returns what it
    // did, one sentence per step; a step already done is skipped. InvalidArgument for a name
    // that is not a plain lower-case identifier, or a database that exists with another owner;
    // the server's errors otherwise (PermissionDenied when the login may not create roles or
    // databases).
    static Result<QStringList> prepare(
        QSqlDatabase maintenance, const QString &owner, const QString &database);
    // Whether `name` is a plain identifier (lower-case letters, digits, _; not starting with a
    // digit; at most 63 bytes): nothing to quote, nothing to misread.
    static bool isPlainName(const QString &name);

    // The connection limit staff logins get (simdesk_create_staff in sql/011_hardening.sql).
    static constexpr int kConnectionLimit = 30;

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
