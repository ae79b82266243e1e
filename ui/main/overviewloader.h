// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/lifecycle.h"
#include "domain/result.h"

#include <QFuture>
#include <QMap>
#include <QString>

namespace simdesk {

// What the overview shows: where we are connected and how many SIM cards are in each status.
struct Overview
{
    QString server; // user@host:port/database
    int schemaVersion = 0;
    QMap<SimStatus, qint64> counts;
};

// Loads the overview on a pool thread, on a connection of its own that it closes again.
QFuture<Result<Overview>> loadOverview(const ConnectionSettings &settings);

} // namespace simdesk
