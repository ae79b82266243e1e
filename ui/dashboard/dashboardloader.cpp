// SPDX-License-Identifier: MIT
#include "dashboard/dashboardloader.h"

namespace simdesk {

DashboardSource databaseDashboardSource(DbRunner *runner)
{
    return [runner](const StatsRange &range, QObject *context, DashboardDone done) {
        runner->run<QJsonObject>(
            context, [range](QSqlDatabase db) { return StatsService(db).dashboard(range); },
            std::move(done));
    };
}

DashboardSource fixedDashboardSource(const QJsonObject &data)
{
    return [data](const StatsRange &, QObject *context, DashboardDone done) {
        QMetaObject::invokeMethod(
            context, [data, done] { done(Result<QJsonObject>(data)); }, Qt::QueuedConnection);
    };
}

StatsRange presetRange(const QString &preset, StatsGranularity granularity, const QDate &today)
{
    StatsRange range;
    range.to = today;
    range.granularity = granularity;
    if (preset == QLatin1String("90d"))
        range.from = today.addDays(-89);
    else if (preset == QLatin1String("12m"))
        range.from = QDate(today.year(), today.month(), 1).addMonths(-11);
    else
        range.from = today.addDays(-29);
    return range;
}

} // namespace simdesk
