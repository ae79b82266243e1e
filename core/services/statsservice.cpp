// SPDX-License-Identifier: MIT
#include "services/statsservice.h"

namespace simdesk {

QString granularityName(StatsGranularity granularity)
{
    switch (granularity) {
    case StatsGranularity::Day:
        return QStringLiteral("day");
    case StatsGranularity::Week:
        return QStringLiteral("week");
    case StatsGranularity::Month:
        return QStringLiteral("month");
    }
    return QStringLiteral("day");
}

bool granularityFromName(const QString &name, StatsGranularity *granularity)
{
    for (auto g : { StatsGranularity::Day, StatsGranularity::Week, StatsGranularity::Month }) {
        if (name == granularityName(g)) {
            *granularity = g;
            return true;
        }
    }
    return false;
}

namespace {
Error notYet()
{
    return Error(ErrorCode::InvalidArgument, { QStringLiteral("not implemented yet") });
}
} // namespace

Result<QJsonObject> StatsService::dashboard(const StatsRange &, Source) const
{
    return notYet();
}
Result<QJsonObject> StatsService::timeline(qint64) const
{
    return notYet();
}
Result<QJsonObject> StatsService::kpis(Source) const
{
    return notYet();
}
Result<QJsonArray> StatsService::byStatus(Source) const
{
    return notYet();
}
Result<QJsonArray> StatsService::activations(const StatsRange &, Source) const
{
    return notYet();
}
Result<QJsonArray> StatsService::byTariff(Source) const
{
    return notYet();
}
Result<QJsonArray> StatsService::importsTerminations(const StatsRange &, Source) const
{
    return notYet();
}
Result<qint64> StatsService::compact(int) const
{
    return notYet();
}
Result<QString> StatsService::timeZone() const
{
    return notYet();
}
Status StatsService::checkRange(const StatsRange &)
{
    return notYet();
}
Result<QJsonArray> StatsService::periods(const QString &, const StatsRange &, bool) const
{
    return notYet();
}

} // namespace simdesk
