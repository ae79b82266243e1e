// SPDX-License-Identifier: MIT
#pragma once

#include "db/dbrunner.h"
#include "domain/result.h"
#include "services/statsservice.h"

#include <QJsonObject>

#include <functional>

namespace simdesk {

// Where the dashboard gets its JSON from: by default StatsService on the window's DbRunner;
// tests and the benchmark put fixture JSON of the same shape in its place. `done` is called in
// `context`'s thread, not at all once the context is gone.
using DashboardDone = std::function<void(const Result<QJsonObject> &result)>;
using DashboardSource
    = std::function<void(const StatsRange &range, QObject *context, DashboardDone done)>;

DashboardSource databaseDashboardSource(DbRunner *runner);
// A source that always answers `data`, on the next turn of the event loop (fixtures, the
// benchmark).
DashboardSource fixedDashboardSource(const QJsonObject &data);

// The range of a preset of the page's switch, ending `today`: "30d" and "90d" are the last 30
// or 90 days, "12m" the current month and the 11 before it; anything else (or a bad custom
// range) is the last 30 days.
StatsRange presetRange(const QString &preset, StatsGranularity granularity, const QDate &today);

} // namespace simdesk
