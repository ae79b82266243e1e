// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

// The dashboard's numbers as JSON. The shapes, where each number comes from and how
// the rollups behind them are kept are in docs/dashboard.md.
namespace simdesk {

struct SimDetail;

// Weeks start on Monday (ISO 8601), months on the 1st.
enum class StatsGranularity : quint8 { Day, Week, Month };

// Both ends inclusive, as calendar days in the dashboard's time zone (the server's, recorded
// in stats_settings by sql/008_stats.sql; see docs/dashboard.md).
struct StatsRange
{
    QDate from;
    QDate to;
    StatsGranularity granularity = StatsGranularity::Day;
};

// "day", "week", "month"; and back (false for anything else).
QString granularityName(StatsGranularity granularity);
bool granularityFromName(const QString &name, StatsGranularity *granularity);

// Reads the dashboard's numbers on one connection (used only by the thread that opened it).
// Every part has two implementations: the default one reads the rollups the database keeps in
// the same transaction as every change (sql/008_stats.sql) and stays fast at millions of cards;
// the naive one scans sim_cards and sim_events. Both return the same JSON for the same data
// (tests/db/tst_statsservice.cpp proves it; tests/bench/bench_stats.cpp times both).
// Failures: InvalidArgument for a bad range (see checkRange()), and the errors of runQuery()
// (ConnectionLost, PermissionDenied, QueryFailed…). Any login of a SimDesk group may read.
class StatsService
{
public:
    enum class Source : quint8 { Rollups, Naive };

    // A range longer than this many periods is refused (a chart cannot show more anyway).
    static constexpr int kMaxPeriods = 3700;
    // dashboard() first folds the rollups' delta rows into one row per key when there are more
    // than this many (see compact()).
    static constexpr int kCompactThreshold = 1000;

    explicit StatsService(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // The whole dashboard payload, read in one READ ONLY REPEATABLE READ transaction (consistent
    // numbers): generatedAt, range, kpis, byStatus, activations, byTariff, importsTerminations,
    // plus timeZone. With Source::Rollups it may first compact the rollups in a short
    // transaction of its own (never inside the caller's transaction: it must not be in one).
    Result<QJsonObject> dashboard(const StatsRange &range, Source source = Source::Rollups) const;
    // One card's status timeline, oldest first. NotFound when there is no such card.
    Result<QJsonObject> timeline(qint64 simId) const;
    // The same from a card's detail as already read (the detail page draws it from there).
    static QJsonObject timelineOf(const SimDetail &detail);

    // The parts, each on its own (in the caller's transaction, if any).
    Result<QJsonObject> kpis(Source source = Source::Rollups) const;
    Result<QJsonArray> byStatus(Source source = Source::Rollups) const;
    Result<QJsonArray> activations(const StatsRange &range, Source source = Source::Rollups) const;
    Result<QJsonArray> byTariff(Source source = Source::Rollups) const;
    Result<QJsonArray> importsTerminations(
        const StatsRange &range, Source source = Source::Rollups) const;

    // Folds the delta rows of every rollup into one row per key when there are more than
    // `threshold` of them (0: always). Never loses or double-counts a concurrent change; when
    // another session is compacting, returns at once. Returns the delta rows removed.
    Result<qint64> compact(int threshold = kCompactThreshold) const;

    // The dashboard's time zone (an IANA name such as "Europe/Berlin").
    Result<QString> timeZone() const;

    // InvalidArgument unless both dates are valid, from <= to and the range has at most
    // kMaxPeriods periods.
    static Status checkRange(const StatsRange &range);

private:
    Result<QJsonArray> periods(const QString &sql, const StatsRange &range, bool twoCounts) const;

    QSqlDatabase m_db;
};

} // namespace simdesk
