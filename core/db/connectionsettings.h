// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QMutex>
#include <QString>

#include <memory>

namespace simdesk {

// Server settings every SimDesk session starts with (libpq's `options`): a lock wait ends after
// five seconds with SQLSTATE 55P03, which core reports as RecordLocked ("another session holds
// this record"), instead of the database's one-minute default (sql/011_hardening.sql): a person
// at a workstation should hear within seconds that a colleague's change is holding the card.
// A workstation that dies mid-statement (power cut, killed process, pulled cable) is noticed by
// the server within five seconds even while a long statement such as an import's commit runs,
// so its transaction rolls back and its locks go free instead of holding colleagues until the
// statement ends. No JIT compilation: SimDesk's statements are short and index-driven, and at
// ten million cards the planner's costs pass jit_above_cost for the few that read many rows
// (a list filter matching a whole batch), where compiling took 0.9 s of a 5.6 s statement and
// saved nothing (docs/performance.md, "Ten million cards").
inline constexpr const char *kClientServerOptions
    = "-c lock_timeout=5s -c client_connection_check_interval=5s -c jit=off";

// A password that every copy of one window's connection settings shares (the window's runner,
// its list loaders, its listener), so that a new password reaches every connection the window
// opens from then on: after a person changes their own password, a reconnect (after an outage)
// signs in with the new one. Thread-safe: connections are opened on worker threads.
class SharedPassword
{
public:
    explicit SharedPassword(QString value)
        : m_value(std::move(value))
    { }
    QString value() const
    {
        QMutexLocker lock(&m_mutex);
        return m_value;
    }
    void set(const QString &value)
    {
        QMutexLocker lock(&m_mutex);
        m_value = value;
    }

private:
    mutable QMutex m_mutex;
    QString m_value;
};

// Where and as whom to connect. Empty fields are left to libpq, which then takes the standard
// PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD (and ~/.pgpass, PGSERVICE…) settings, so a
// workstation is pointed at the shared server exactly like psql is.
struct ConnectionSettings
{
    QString host; // host name, IP address, or a unix socket directory (starts with '/')
    int port = -1; // -1: libpq default
    QString database;
    QString user;
    QString password; // kept in memory only, never written anywhere
    // When set, the password to use instead of `password` (see SharedPassword, sharePassword()).
    std::shared_ptr<SharedPassword> sharedPassword;
    QString options; // extra libpq keywords, "key=value;key=value" (e.g. sslmode=verify-full)

    // The password a connection opened now signs in with: the shared one when there is one.
    QString currentPassword() const { return sharedPassword ? sharedPassword->value() : password; }
    // From now on, this object and every copy made of it afterwards share one password, which
    // setPassword() changes for all of them.
    void sharePassword()
    {
        if (!sharedPassword)
            sharedPassword = std::make_shared<SharedPassword>(password);
    }
    // Changes the password of these settings and of every copy that shares it.
    void setPassword(const QString &value)
    {
        password = value;
        if (sharedPassword)
            sharedPassword->set(value);
    }

    // Parses postgresql://[user[:password]@][host][:port][/database][?key=value&...].
    // `postgres://` is accepted too; ?host=/path/to/socket selects a unix socket. libpq's list
    // of servers, postgresql://host1:port1,host2:port2/database (or ?host=h1,h2&port=p1,p2),
    // is kept as such: `host` holds the comma-separated names and the port list goes to
    // `options` (port=p1,p2), since QPSQL takes one port number; with
    // ?target_session_attrs=read-write libpq picks the one that accepts writes (failover).
    // ConnectionUrlInvalid for another scheme, a nested path, a key that is not a libpq keyword
    // shape or a value with ';'; InvalidArgument (see validate()) for a NUL character.
    static Result<ConnectionSettings> fromUrl(const QString &url);

    // InvalidArgument when a field holds a NUL character: libpq takes C strings and would
    // silently cut the value there (a password "ab\0cd" would be sent as "ab").
    Status validate() const;

    // The libpq keyword/value pairs these settings name, for display and tests (no password).
    QString describe() const;

    // The connect options SimDesk hands to QPSQL (which joins them into libpq's conninfo), each
    // value single-quoted for libpq. Defaults, each replaced by the same key in `options`:
    //   application_name=simdesk, connect_timeout=10;
    //   keepalives=1, keepalives_idle=20, keepalives_interval=10, keepalives_count=3 and
    //   tcp_user_timeout=60000, so a dead link fails the running statement (ConnectionLost)
    //   within about a minute instead of hanging forever;
    //   sslmode=prefer for a local server (localhost, 127.0.0.1, ::1, a socket directory, or no
    //   host at all: libpq's default socket) and sslmode=verify-full for any other host, unless
    //   sslmode is given here or in PGSSLMODE. An empty host is judged by PGHOST;
    //   options=kClientServerOptions, followed by `options` given here or else PGOPTIONS (so a
    //   -c setting of the user's comes last and wins).
    QString connectOptions() const;

    // Whether `host` (or, when empty, PGHOST) names this machine: a name or address of the
    // loopback interface, a unix socket directory, or libpq's default socket.
    bool isLocal() const;
};

// A value quoted for libpq's conninfo syntax: 'value' with \ and ' escaped by a backslash.
QString quotedConnValue(const QString &value);

} // namespace simdesk
