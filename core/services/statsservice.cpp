// SPDX-License-Identifier: MIT
#include "services/statsservice.h"

#include "services/simdetailquery.h"

#include "db/sqlquery.h"
#include "domain/lifecycle.h"

#include <QCoreApplication>
#include <QHash>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::StatsService", text);
}

QString isoUtc(const QVariant &v)
{
    const QDateTime t = v.toDateTime();
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue jsonText(const QueryResult &r, int column)
{
    return r.isNull(column) ? QJsonValue(QJsonValue::Null) : QJsonValue(r.value(column).toString());
}

// The periods of a range as SQL: pp(s, e, s_at, e_at, ...) with s, e dates (e exclusive) and
// s_at, e_at the instants they begin in the dashboard's time zone. The first and last period are
// clipped to the range, the others are whole calendar days, ISO weeks or months. $1 from,
// $2 to, $3 granularity ('day', 'week', 'month': date_trunc's and interval's own words), $4 the
// number of periods. An integer series (not one of timestamps) and the zone as a scalar
// subquery give the planner the real row count: with its default guesses (1,000 periods times
// 1,330 settings rows) it took the statement for a big one and spent a second compiling it
// (JIT) to read a few dozen rows.
const char kPeriodsSql[] = R"(
WITH p AS (
    SELECT greatest(x.g::date, $1::date) AS s,
           least((x.g + ('1 ' || $3::text)::interval)::date, $2::date + 1) AS e
    FROM (SELECT date_trunc($3::text, $1::date::timestamp) + i * ('1 ' || $3::text)::interval AS g
          FROM generate_series(0, $4::integer - 1) AS i) x
),
pz AS (
    SELECT p.s, p.e,
           p.s::timestamp AT TIME ZONE (SELECT t.time_zone FROM public.stats_settings t) AS s_at,
           p.e::timestamp AT TIME ZONE (SELECT t.time_zone FROM public.stats_settings t) AS e_at
    FROM p
),
pp AS (
    SELECT pz.*, to_char(pz.s, 'YYYY-MM-DD') AS s_day, to_char(pz.e, 'YYYY-MM-DD') AS e_day,
           to_char(pz.s_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS s_iso,
           to_char(pz.e_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS e_iso
    FROM pz
)
)";

// Activations per period: the rollup's days in the range, each added to the period that holds
// it (one pass over at most a few thousand rows, not one look-up per period), or the cards whose
// activated_at lies in [s_at, e_at) (the SIM list's activatedFrom/activatedTo filter, through
// sim_cards_activated_idx).
const char kActivationsRollupSql[] = R"(
, agg AS (
    SELECT greatest(date_trunc($3::text, a.day::timestamp)::date, $1::date) AS s, sum(a.n) AS n
    FROM public.stats_activation_days a
    WHERE a.day >= $1::date AND a.day <= $2::date
    GROUP BY 1
)
SELECT pp.s_day, pp.e_day, pp.s_iso, pp.e_iso, coalesce(agg.n, 0)::bigint
FROM pp LEFT JOIN agg ON agg.s = pp.s ORDER BY pp.s
)";
const char kActivationsNaiveSql[] = R"(
SELECT pp.s_day, pp.e_day, pp.s_iso, pp.e_iso,
       (SELECT count(*) FROM public.sim_cards c
        WHERE c.activated_at >= pp.s_at AND c.activated_at < pp.e_at)
FROM pp ORDER BY pp.s
)";

// Imports (IMPORTED events of cards whose import was not reverted since: a revert takes its
// cards off the period they were imported in, sql/015_import_chart.sql), terminations
// (TERMINATED events, and swap-outs that terminate) and reverts (IMPORT_REVERTED, on the day of
// the revert) per period.
const char kEventsRollupSql[] = R"(
, agg AS (
    SELECT greatest(date_trunc($3::text, x.day::timestamp)::date, $1::date) AS s,
           sum(x.n) FILTER (WHERE x.event_type = 'IMPORTED') AS imported,
           sum(x.n) FILTER (WHERE x.event_type IN ('TERMINATED', 'SWAPPED_OUT')
                              AND x.new_status = 'TERMINATED') AS terminated,
           sum(x.n) FILTER (WHERE x.event_type = 'IMPORT_REVERTED') AS reverted
    FROM public.stats_event_days x
    WHERE x.event_type IN ('IMPORTED', 'TERMINATED', 'SWAPPED_OUT', 'IMPORT_REVERTED')
      AND x.day >= $1::date AND x.day <= $2::date
    GROUP BY 1
)
SELECT pp.s_day, pp.e_day, pp.s_iso, pp.e_iso, coalesce(agg.imported, 0)::bigint,
       coalesce(agg.terminated, 0)::bigint, coalesce(agg.reverted, 0)::bigint
FROM pp LEFT JOIN agg ON agg.s = pp.s ORDER BY pp.s
)";
const char kEventsNaiveSql[] = R"(
SELECT pp.s_day, pp.e_day, pp.s_iso, pp.e_iso,
       (SELECT count(*) FROM public.sim_events x
        WHERE x.event_type = 'IMPORTED' AND x.created_at >= pp.s_at AND x.created_at < pp.e_at
          AND NOT EXISTS (SELECT 1 FROM public.sim_events r
                          WHERE r.sim_id = x.sim_id AND r.event_type = 'IMPORT_REVERTED')),
       (SELECT count(*) FROM public.sim_events x
        WHERE x.event_type IN ('TERMINATED', 'SWAPPED_OUT') AND x.new_status = 'TERMINATED'
          AND x.created_at >= pp.s_at AND x.created_at < pp.e_at),
       (SELECT count(*) FROM public.sim_events x
        WHERE x.event_type = 'IMPORT_REVERTED' AND x.created_at >= pp.s_at AND x.created_at < pp.e_at)
FROM pp ORDER BY pp.s
)";

const char kStatusRollupSql[] = R"(
SELECT k.status, sum(k.n)::bigint FROM public.stats_card_counts k GROUP BY k.status
)";
const char kStatusNaiveSql[] = R"(
SELECT c.status, count(*) FROM public.sim_cards c GROUP BY c.status
)";

// Plans with cards by count, most first (ties by name), "no tariff" last.
const char kTariffRollupSql[] = R"(
SELECT t.tariff_plan_id, tp.name, tp.code, t.n
FROM (SELECT k.tariff_plan_id, sum(k.n)::bigint AS n FROM public.stats_card_counts k
      GROUP BY k.tariff_plan_id) t
LEFT JOIN public.tariff_plans tp ON tp.id = t.tariff_plan_id
WHERE t.n <> 0
ORDER BY t.tariff_plan_id IS NULL, t.n DESC, tp.name, t.tariff_plan_id
)";
const char kTariffNaiveSql[] = R"(
SELECT t.tariff_plan_id, tp.name, tp.code, t.n
FROM (SELECT c.tariff_plan_id, count(*) AS n FROM public.sim_cards c GROUP BY c.tariff_plan_id) t
LEFT JOIN public.tariff_plans tp ON tp.id = t.tariff_plan_id
ORDER BY t.tariff_plan_id IS NULL, t.n DESC, tp.name, t.tariff_plan_id
)";

qint64 periodCount(const StatsRange &range)
{
    switch (range.granularity) {
    case StatsGranularity::Day:
        return range.from.daysTo(range.to) + 1;
    case StatsGranularity::Week:
        return (range.from.daysTo(range.to) + range.from.dayOfWeek() - 1) / 7 + 1;
    case StatsGranularity::Month:
        return (range.to.year() - range.from.year()) * 12 + range.to.month() - range.from.month()
            + 1;
    }
    return 0;
}

// Starts a READ ONLY REPEATABLE READ transaction: every query of one payload sees the same
// snapshot, so the KPIs add up and the charts agree with each other.
Status beginSnapshot(const QSqlDatabase &db, Transaction &tx)
{
    if (Status s = tx.begin(); !s)
        return s;
    Result<QueryResult> r = runQuery(
        db, QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    if (!r)
        return r.error();
    return {};
}

} // namespace

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

Status StatsService::checkRange(const StatsRange &range)
{
    if (!range.from.isValid() || !range.to.isValid())
        return Error(ErrorCode::InvalidArgument,
            { tr("The dashboard needs a start and an end date. Pick both and try again.") });
    if (range.from > range.to)
        return Error(ErrorCode::InvalidArgument,
            { tr("The start date %1 is after the end date %2. Swap them and try again.")
                    .arg(range.from.toString(Qt::ISODate), range.to.toString(Qt::ISODate)) });
    if (periodCount(range) > kMaxPeriods)
        return Error(ErrorCode::InvalidArgument,
            { tr("The range from %1 to %2 has more than %3 periods. Choose a shorter range or "
                 "a coarser granularity (weeks or months).")
                    .arg(range.from.toString(Qt::ISODate), range.to.toString(Qt::ISODate))
                    .arg(kMaxPeriods) });
    return {};
}

Result<QString> StatsService::timeZone() const
{
    Result<QueryResult> r
        = runSingle(m_db, QStringLiteral("SELECT s.time_zone FROM public.stats_settings s"), {},
            tr("The dashboard's time zone"));
    if (!r)
        return r.error();
    return r->value(0).toString();
}

Result<qint64> StatsService::compact(int threshold) const
{
    Result<QueryResult> r
        = runSingle(m_db, QStringLiteral("SELECT public.simdesk_stats_compact($1)"), { threshold },
            tr("Compaction of the dashboard's rollups"));
    if (!r)
        return r.error();
    return r->value(0).toLongLong();
}

Result<QJsonObject> StatsService::kpis(Source source) const
{
    Result<QueryResult> r = runQuery(
        m_db, QString::fromLatin1(source == Source::Rollups ? kStatusRollupSql : kStatusNaiveSql));
    if (!r)
        return r.error();
    QHash<QString, qint64> counts;
    while (r.value().next())
        counts.insert(r->value(0).toString(), r->value(1).toLongLong());
    QJsonObject o;
    qint64 total = 0;
    for (SimStatus s : kAllStatuses) {
        const qint64 n = counts.value(statusKey(s));
        o.insert(statusKey(s), n);
        total += n;
    }
    o.insert(QStringLiteral("total"), total);
    return o;
}

Result<QJsonArray> StatsService::byStatus(Source source) const
{
    Result<QJsonObject> k = kpis(source);
    if (!k)
        return k.error();
    QJsonArray a;
    for (SimStatus s : kAllStatuses)
        a.append(QJsonObject { { QStringLiteral("status"), statusKey(s) },
            { QStringLiteral("count"), k->value(statusKey(s)) } });
    return a;
}

Result<QJsonArray> StatsService::byTariff(Source source) const
{
    Result<QueryResult> r = runQuery(
        m_db, QString::fromLatin1(source == Source::Rollups ? kTariffRollupSql : kTariffNaiveSql));
    if (!r)
        return r.error();
    QJsonArray a;
    while (r.value().next()) {
        QJsonObject o;
        o.insert(QStringLiteral("tariffPlanId"),
            r->isNull(0) ? QJsonValue(QJsonValue::Null) : QJsonValue(r->value(0).toLongLong()));
        o.insert(QStringLiteral("name"), jsonText(*r, 1));
        o.insert(QStringLiteral("code"), jsonText(*r, 2));
        o.insert(QStringLiteral("count"), r->value(3).toLongLong());
        a.append(o);
    }
    return a;
}

Result<QJsonArray> StatsService::periods(
    const QString &sql, const StatsRange &range, bool eventCounts) const
{
    if (Status s = checkRange(range); !s)
        return s.error();
    Result<QueryResult> r = runQuery(m_db, QString::fromLatin1(kPeriodsSql) + sql,
        { range.from, range.to, granularityName(range.granularity), int(periodCount(range)) });
    if (!r)
        return r.error();
    QJsonArray a;
    while (r.value().next()) {
        // Formatted by the server: no date or time conversion per period here.
        QJsonObject o { { QStringLiteral("start"), r->value(0).toString() },
            { QStringLiteral("end"), r->value(1).toString() },
            { QStringLiteral("startAt"), r->value(2).toString() },
            { QStringLiteral("endAt"), r->value(3).toString() } };
        if (eventCounts) {
            o.insert(QStringLiteral("imported"), r->value(4).toLongLong());
            o.insert(QStringLiteral("terminated"), r->value(5).toLongLong());
            o.insert(QStringLiteral("reverted"), r->value(6).toLongLong());
        } else {
            o.insert(QStringLiteral("count"), r->value(4).toLongLong());
        }
        a.append(o);
    }
    return a;
}

Result<QJsonArray> StatsService::activations(const StatsRange &range, Source source) const
{
    return periods(QString::fromLatin1(
                       source == Source::Rollups ? kActivationsRollupSql : kActivationsNaiveSql),
        range, false);
}

Result<QJsonArray> StatsService::importsTerminations(const StatsRange &range, Source source) const
{
    return periods(
        QString::fromLatin1(source == Source::Rollups ? kEventsRollupSql : kEventsNaiveSql), range,
        true);
}

Result<QJsonObject> StatsService::dashboard(const StatsRange &range, Source source) const
{
    if (Status s = checkRange(range); !s)
        return s.error();
    // Compaction writes, so it cannot be part of the read-only snapshot below; it is its own
    // short transaction and costs nothing while the rollups are small (docs/dashboard.md).
    if (source == Source::Rollups) {
        if (Result<qint64> c = compact(kCompactThreshold); !c)
            return c.error();
    }

    Transaction tx(m_db);
    if (Status s = beginSnapshot(m_db, tx); !s)
        return s.error();
    // The rollups are small by design: compiling a plan (JIT) would cost more than running it.
    // The naive queries keep the server's setting, as any other scan would.
    if (source == Source::Rollups) {
        if (Result<QueryResult> r = runQuery(m_db, QStringLiteral("SET LOCAL jit = off")); !r)
            return r.error();
    }
    Result<QueryResult> head
        = runSingle(m_db, QStringLiteral("SELECT now(), s.time_zone FROM public.stats_settings s"),
            {}, tr("The dashboard's time zone"));
    if (!head)
        return head.error();
    Result<QJsonObject> k = kpis(source);
    if (!k)
        return k.error();
    Result<QJsonArray> tariffs = byTariff(source);
    if (!tariffs)
        return tariffs.error();
    Result<QJsonArray> act = activations(range, source);
    if (!act)
        return act.error();
    Result<QJsonArray> events = importsTerminations(range, source);
    if (!events)
        return events.error();
    if (Status s = tx.commit(); !s)
        return s.error();

    QJsonArray statuses;
    for (SimStatus s : kAllStatuses)
        statuses.append(QJsonObject { { QStringLiteral("status"), statusKey(s) },
            { QStringLiteral("count"), k->value(statusKey(s)) } });
    QJsonObject out;
    out.insert(QStringLiteral("generatedAt"), isoUtc(head->value(0)));
    out.insert(QStringLiteral("timeZone"), head->value(1).toString());
    out.insert(QStringLiteral("range"),
        QJsonObject { { QStringLiteral("from"), range.from.toString(Qt::ISODate) },
            { QStringLiteral("to"), range.to.toString(Qt::ISODate) },
            { QStringLiteral("granularity"), granularityName(range.granularity) } });
    out.insert(QStringLiteral("kpis"), *k);
    out.insert(QStringLiteral("byStatus"), statuses);
    out.insert(QStringLiteral("activations"), *act);
    out.insert(QStringLiteral("byTariff"), *tariffs);
    out.insert(QStringLiteral("importsTerminations"), *events);
    return out;
}

Result<QJsonObject> StatsService::timeline(qint64 simId) const
{
    Result<SimDetail> detail = SimDetailQuery(m_db).load(simId);
    if (!detail)
        return detail.error();
    return timelineOf(*detail);
}

QJsonObject StatsService::timelineOf(const SimDetail &detail)
{
    auto text = [](const QString &value) {
        return value.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
    };
    auto status = [](const std::optional<SimStatus> &s) {
        return s ? QJsonValue(statusKey(*s)) : QJsonValue(QJsonValue::Null);
    };
    // Status changes only (plus how the card came to be); edits, secret reads, tariff and
    // customer changes leave the status as it was.
    QJsonArray events;
    for (const SimEvent &e : detail.history) {
        const bool origin = e.type == eventTypeKey(EventType::Created)
            || e.type == eventTypeKey(EventType::Imported);
        if (!origin && !(e.newStatus && e.oldStatus != e.newStatus))
            continue;
        events.append(QJsonObject { { QStringLiteral("at"), isoUtc(e.createdAt) },
            { QStringLiteral("type"), e.type }, { QStringLiteral("from"), status(e.oldStatus) },
            { QStringLiteral("to"), status(e.newStatus) }, { QStringLiteral("by"), e.createdBy },
            { QStringLiteral("note"), text(e.note) } });
    }
    return QJsonObject { { QStringLiteral("simId"), detail.card.id },
        { QStringLiteral("iccid"), detail.card.iccid },
        { QStringLiteral("status"), statusKey(detail.card.status) },
        { QStringLiteral("events"), events } };
}

} // namespace simdesk
