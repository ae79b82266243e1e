// SPDX-License-Identifier: MIT
#pragma once

#include <QSqlDatabase>
#include <QString>

namespace simdesk {

// The versions of what SimDesk runs on, for --version, Help › About and simdesk --check. The
// application's own version is the one CMake's project() declares (SIMDESK_VERSION), the same
// in the .deb, the AppImage's name and the MSI.
class VersionInfo
{
public:
    // "0.1.0"
    static QString application();
    // The Qt library loaded at run time ("6.4.2"), which may differ from the one built against.
    static QString qtRuntime();
    // The libpq loaded at run time, as "15.13".
    static QString libpq();
    // The TLS library libpq was built with ("OpenSSL"), or empty when it has no TLS support.
    static QString libpqTls();
    // The server's version as it reports it ("15.13 (Debian 15.13-0+deb12u1)"); empty when `db`
    // is not an open PostgreSQL connection. Asks libpq, sends nothing.
    static QString server(const QSqlDatabase &db);
    // The TLS protocol and cipher of an open connection ("TLSv1.3, TLS_AES_256_GCM_SHA384"), or
    // empty when the connection is not encrypted.
    static QString connectionTls(const QSqlDatabase &db);
};

} // namespace simdesk
