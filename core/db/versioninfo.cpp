// SPDX-License-Identifier: MIT
#include "db/versioninfo.h"

#include "db/database.h"

#include <libpq-fe.h>

namespace simdesk {

QString VersionInfo::application()
{
    return QStringLiteral(SIMDESK_VERSION);
}

QString VersionInfo::qtRuntime()
{
    return QString::fromLatin1(qVersion());
}

QString VersionInfo::libpq()
{
    // PQlibVersion(): major * 10000 + minor since PostgreSQL 10.
    const int v = PQlibVersion();
    return QStringLiteral("%1.%2").arg(v / 10000).arg(v % 10000);
}

QString VersionInfo::libpqTls()
{
    // With a null connection libpq answers "library" for how it was built (libpq-fe.h:
    // LIBPQ_HAS_SSL_LIBRARY_DETECTION).
    const char *library = PQsslAttribute(nullptr, "library");
    return library ? QString::fromUtf8(library) : QString();
}

QString VersionInfo::server(const QSqlDatabase &db)
{
    PGconn *conn = Database::pgconn(db);
    const char *version = conn ? PQparameterStatus(conn, "server_version") : nullptr;
    return version ? QString::fromUtf8(version) : QString();
}

QString VersionInfo::connectionTls(const QSqlDatabase &db)
{
    PGconn *conn = Database::pgconn(db);
    if (!conn || !PQsslInUse(conn))
        return {};
    const char *protocol = PQsslAttribute(conn, "protocol");
    const char *cipher = PQsslAttribute(conn, "cipher");
    return QStringLiteral("%1, %2").arg(
        QString::fromUtf8(protocol ? protocol : "?"), QString::fromUtf8(cipher ? cipher : "?"));
}

} // namespace simdesk
