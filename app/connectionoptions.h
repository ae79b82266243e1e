// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/result.h"

#include <QCommandLineOption>

class QCommandLineParser;

namespace simdesk {

// The --db option shared by simdesk and simdesk-cli. Without it, libpq's standard PGHOST,
// PGPORT, PGUSER, PGDATABASE, PGPASSWORD (and ~/.pgpass, PGSERVICE) apply.
class ConnectionOptions
{
public:
    void addTo(QCommandLineParser &parser) const;
    Result<ConnectionSettings> settings(const QCommandLineParser &parser) const;

private:
    QCommandLineOption m_db { QStringLiteral("db"),
        QStringLiteral("Database to use, as postgresql://user@host:port/database "
                       "(default: the PGHOST, PGPORT, PGUSER, PGDATABASE settings)."),
        QStringLiteral("url") };
};

} // namespace simdesk
