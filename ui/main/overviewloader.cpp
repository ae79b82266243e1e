// SPDX-License-Identifier: MIT
#include "overviewloader.h"

#include "db/database.h"
#include "db/migrator.h"

namespace simdesk {

Result<Overview> readOverview(QSqlDatabase db)
{
    Migrator migrator(db);
    if (Status s = migrator.checkCompatible(); !s)
        return s.error();
    return Overview { Database::describe(db), migrator.latestVersion() };
}

} // namespace simdesk
