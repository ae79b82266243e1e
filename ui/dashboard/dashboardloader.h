// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/result.h"
#include "services/statsservice.h"

#include <QFuture>
#include <QJsonObject>

#include <functional>

namespace simdesk {

// Where the web pages get their JSON from: by default StatsService on a pool thread with a
// connection of its own (ui/common/backgroundtask.h); tests put fixture JSON of the same shape
// in its place.
using DashboardSource = std::function<QFuture<Result<QJsonObject>>(const StatsRange &range)>;
using TimelineSource = std::function<QFuture<Result<QJsonObject>>(qint64 simId)>;

DashboardSource databaseDashboardSource(const ConnectionSettings &settings);
TimelineSource databaseTimelineSource(const ConnectionSettings &settings);

// A source that always answers `data` (fixtures, the benchmark).
DashboardSource fixedDashboardSource(const QJsonObject &data);
TimelineSource fixedTimelineSource(const QJsonObject &data);

// The range of a preset of the page's switch, ending `today`: "30d" and "90d" are the last 30
// or 90 days, "12m" the current month and the 11 before it; anything else (or a bad custom
// range) is the last 30 days.
StatsRange presetRange(const QString &preset, StatsGranularity granularity, const QDate &today);

} // namespace simdesk
