// SPDX-License-Identifier: MIT
#include "simrepository.h"

#include "database.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace simdesk {

Result<QMap<SimStatus, qint64>> SimRepository::countByStatus() const
{
    QMap<SimStatus, qint64> counts;
    for (SimStatus s : kAllStatuses)
        counts.insert(s, 0);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT status, count(*) FROM sim_cards GROUP BY status")))
        return Database::queryError(q.lastError());
    while (q.next()) {
        if (std::optional<SimStatus> s = statusFromKey(q.value(0).toString()))
            counts[*s] = q.value(1).toLongLong();
    }
    return counts;
}

} // namespace simdesk
