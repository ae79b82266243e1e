// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QString>

namespace simdesk {

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
    QString options; // extra libpq keywords, "key=value;key=value" (e.g. sslmode=verify-full)

    // Parses postgresql://[user[:password]@][host][:port][/database][?key=value&...].
    // `postgres://` is accepted too; ?host=/path/to/socket selects a unix socket.
    static Result<ConnectionSettings> fromUrl(const QString &url);

    // The libpq keyword/value pairs these settings name, for display and tests (no password).
    QString describe() const;
};

} // namespace simdesk
