// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"

#include <QMap>
#include <QSqlDatabase>
#include <QString>

namespace simdesk {

// What the overview shows: where we are connected and how many SIM cards are in each status.
struct Overview
{
    QString server; // user@host:port/database
    int schemaVersion = 0;
    QMap<SimStatus, qint64> counts;
};

// Reads the overview (and checks that this build understands the database's schema).
Result<Overview> readOverview(QSqlDatabase db);

} // namespace simdesk
