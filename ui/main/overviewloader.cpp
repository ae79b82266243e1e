// SPDX-License-Identifier: MIT
#include "overviewloader.h"

#include "db/database.h"
#include "db/migrator.h"
#include "records/simrepository.h"

#include <QtConcurrent/QtConcurrentRun>

namespace simdesk {

QFuture<Result<Overview>> loadOverview(const ConnectionSettings &settings)
{
    return QtConcurrent::run([settings]() -> Result<Overview> {
        const QString name = Database::uniqueName(QStringLiteral("simdesk-overview"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db)
            return db.error();
        Migrator migrator(*db);
        if (Status s = migrator.checkCompatible(); !s)
            return s.error();
        Result<QMap<SimStatus, qint64>> counts = SimRepository(*db).countByStatus();
        if (!counts)
            return counts.error();
        return Overview { Database::describe(*db), migrator.latestVersion(), *counts };
    });
}

} // namespace simdesk
