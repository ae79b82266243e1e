// SPDX-License-Identifier: MIT
#include "dashboard/dashboardloader.h"

#include "common/backgroundtask.h"

#include <QFuture>

namespace simdesk {

DashboardSource databaseDashboardSource(const ConnectionSettings &settings)
{
    return [settings](const StatsRange &range) {
        return runWithDatabase<QJsonObject>(
            settings, [range](QSqlDatabase db) { return StatsService(db).dashboard(range); });
    };
}

TimelineSource databaseTimelineSource(const ConnectionSettings &settings)
{
    return [settings](qint64 simId) {
        return runWithDatabase<QJsonObject>(
            settings, [simId](QSqlDatabase db) { return StatsService(db).timeline(simId); });
    };
}

DashboardSource fixedDashboardSource(const QJsonObject &data)
{
    return [data](const StatsRange &) {
        return QtFuture::makeReadyFuture(Result<QJsonObject>(data));
    };
}

TimelineSource fixedTimelineSource(const QJsonObject &data)
{
    return [data](qint64) {
        return QtFuture::makeReadyFuture(Result<QJsonObject>(data));
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
