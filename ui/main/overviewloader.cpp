// SPDX-License-Identifier: MIT
#include "overviewloader.h"

#include "db/database.h"
#include "db/migrator.h"
#include "records/simrepository.h"

namespace simdesk {

Result<Overview> readOverview(QSqlDatabase db)
{
    Migrator migrator(db);
    if (Status s = migrator.checkCompatible(); !s)
        return s.error();
    Result<QMap<SimStatus, qint64>> counts = SimRepository(db).countByStatus();
    if (!counts)
        return counts.error();
    return Overview { Database::describe(db), migrator.latestVersion(), *counts };
}

} // namespace simdesk
