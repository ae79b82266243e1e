// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QSqlDatabase>
#include <QString>

namespace simdesk {

// What sign-in and F5 check before the pages load: where we are connected, and that this build
// understands the database's schema. (The counts per status are the dashboard's, live.)
struct Overview
{
    QString server; // user@host:port/database
    int schemaVersion = 0;
};

// Reads the overview (and checks that this build understands the database's schema).
Result<Overview> readOverview(QSqlDatabase db);

} // namespace simdesk
