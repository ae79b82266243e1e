// SPDX-License-Identifier: MIT
// The dashboard's payload (core/services/statsservice.h) at a given size: p50/p95 over --runs
// reads from the rollups and from the naive queries, and what keeping the rollups costs a bulk
// action and an import (the same work with the rollup triggers disabled). Prints a table,
// writes JSON with --json FILE. Asserts nothing about time (CTest runs it small).
//
//   bench_stats --sims 1000000 --events 5000000     a throwaway database with demo data, its
//                                                   events topped up to --events
//   bench_stats --database stats                    an existing database on the test cluster
//                                                   (filled as above when empty; kept)
//
// Setup, as the cluster's superuser: demo data (sql/demo_data.sql, about 2.5 events a card),
// then the missing events in one set-based INSERT ... SELECT: EDITED and SECRET_REVEALED events
// (status unchanged, so every card's status is still the replay of its history) and IMPORTED
// ones of cards that are not there any more (reverted imports), spread over the demo year. That
// INSERT fires the rollup trigger like any other: no separate initialisation.
#include "benchsupport.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "import/importservice.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "services/statsservice.h"
#include "testdatabase.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

using namespace simdesk;
using namespace simdesk::bench;

namespace {

struct Measure
{
    QString kind;
    QString what;
    QList<double> ms;
    QString note;
};

qint64 scalar(const QSqlDatabase &db, const QString &sql)
{
    QueryResult q = must(runQuery(db, sql), sql);
    q.next();
    return q.value(0).toLongLong();
}

void exec(const QSqlDatabase &db, const QString &sql)
{
    must(runQuery(db, sql), sql);
}

QList<qint64> ids(const QSqlDatabase &db, const QString &sql)
{
    QueryResult q = must(runQuery(db, sql), sql);
    QList<qint64> out;
    while (q.next())
        out << q.value(0).toLongLong();
    return out;
}

void setRollupTriggers(const QSqlDatabase &db, bool on)
{
    const char *verb = on ? "ENABLE" : "DISABLE";
    for (const char *t :
        { "sim_cards_stats_insert", "sim_cards_stats_update", "sim_cards_stats_delete" })
        exec(db,
            QStringLiteral("ALTER TABLE sim_cards %1 TRIGGER %2")
                .arg(QLatin1String(verb), QLatin1String(t)));
    for (const char *t :
        { "sim_events_stats_insert", "sim_events_stats_update", "sim_events_stats_delete" })
        exec(db,
            QStringLiteral("ALTER TABLE sim_events %1 TRIGGER %2")
                .arg(QLatin1String(verb), QLatin1String(t)));
}

QJsonObject withoutTime(QJsonObject o)
{
    o.remove(QStringLiteral("generatedAt"));
    return o;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption simsOption(QStringLiteral("sims"), QStringLiteral("SIM cards"),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption eventsOption(QStringLiteral("events"),
        QStringLiteral("events in all (demo data, topped up)"), QStringLiteral("N"),
        QStringLiteral("5000000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("runs per kind"),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption naiveRunsOption(QStringLiteral("naive-runs"),
        QStringLiteral("runs of the naive payload"), QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption bulkOption(QStringLiteral("bulk"),
        QStringLiteral("cards of the bulk action"), QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption importOption(QStringLiteral("import-rows"),
        QStringLiteral("rows of the import"), QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption repeatOption(QStringLiteral("repeat"),
        QStringLiteral("repetitions of bulk action and import, each way"), QStringLiteral("N"),
        QStringLiteral("5"));
    const QCommandLineOption dbOption(QStringLiteral("database"),
        QStringLiteral("use (and keep) this database of the test cluster"), QStringLiteral("NAME"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOptions({ simsOption, eventsOption, runsOption, naiveRunsOption, bulkOption,
        importOption, repeatOption, dbOption, jsonOption });
    parser.process(app);
    const int sims = parser.value(simsOption).toInt();
    const qint64 wantEvents = parser.value(eventsOption).toLongLong();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const int naiveRuns = std::max(1, parser.value(naiveRunsOption).toInt());
    const int bulk = std::max(1, parser.value(bulkOption).toInt());
    const int importRows = std::max(1, parser.value(importOption).toInt());
    const int repeat = std::max(1, parser.value(repeatOption).toInt());

    TestDatabase tdb(QStringLiteral("bench_stats"));
    if (!tdb.isValid()) {
        std::fprintf(stderr, "bench_stats: %s\n", qPrintable(tdb.error()));
        return 2;
    }
    QSqlDatabase db = migratedDatabase(tdb, parser.value(dbOption));
    QList<Measure> results;
    QElapsedTimer timer;
    QString setupNote;
    if (scalar(db, QStringLiteral("SELECT count(*) FROM sim_cards")) == 0) {
        DemoDataOptions options;
        options.sims = sims;
        // The ranges below and the topped-up events lie in this year of history.
        options.now = DemoDataOptions::fixedNow();
        timer.start();
        mustOk(DemoData::generate(db, options), QStringLiteral("demo data"));
        const double demoMs = timer.nsecsElapsed() / 1e6;
        const qint64 have = scalar(db, QStringLiteral("SELECT count(*) FROM sim_events"));
        double topUpMs = 0;
        if (wantEvents > have) {
            timer.restart();
            // Spread over the demo year (it ends 2026-11-01 12:00 UTC); ids of existing cards
            // for EDITED / SECRET_REVEALED, ids past the last card for IMPORTED (reverted).
            must(runQuery(db, QStringLiteral(R"(
INSERT INTO sim_events (sim_id, event_type, old_status, new_status, source, created_by, created_at)
SELECT CASE WHEN g % 10 = 0 THEN m.max_id + g ELSE c.id END,
       CASE WHEN g % 10 = 0 THEN 'IMPORTED' WHEN g % 3 = 0 THEN 'SECRET_REVEALED' ELSE 'EDITED' END,
       CASE WHEN g % 10 = 0 THEN NULL ELSE c.status END,
       CASE WHEN g % 10 = 0 THEN 'AVAILABLE' ELSE c.status END,
       'system', 'demo_admin',
       timestamptz '2026-11-01 12:00+00' - (g % 31536000) * interval '1 second'
FROM generate_series(1, $1::bigint) AS g
CROSS JOIN (SELECT max(id) AS max_id FROM sim_cards) m
JOIN sim_cards c ON c.id = 1 + (g * 7919) % m.max_id
)"),
                     { wantEvents - have }),
                QStringLiteral("top up events"));
            topUpMs = timer.nsecsElapsed() / 1e6;
        }
        for (const char *sql : { "VACUUM ANALYZE sim_cards", "VACUUM ANALYZE sim_events",
                 "VACUUM ANALYZE stats_card_counts", "VACUUM ANALYZE stats_activation_days",
                 "VACUUM ANALYZE stats_event_days" })
            exec(db, QString::fromLatin1(sql));
        setupNote = QStringLiteral("demo data %1 s, events topped up by %2 in %3 s (triggers on)")
                        .arg(demoMs / 1000, 0, 'f', 1)
                        .arg(std::max<qint64>(wantEvents - have, 0))
                        .arg(topUpMs / 1000, 0, 'f', 1);
    }
    const qint64 cards = scalar(db, QStringLiteral("SELECT count(*) FROM sim_cards"));
    const qint64 events = scalar(db, QStringLiteral("SELECT count(*) FROM sim_events"));

    StatsService stats(db);
    const QDate to(2026, 11, 1);
    const StatsRange year { to.addYears(-1).addDays(1), to, StatsGranularity::Day };
    const StatsRange weeks { year.from, to, StatsGranularity::Week };
    const StatsRange months { year.from, to, StatsGranularity::Month };

    auto measure
        = [&](const QString &kind, const QString &what, int n, const std::function<void()> &run) {
              Measure m { kind, what, {}, {} };
              run(); // warm: a dashboard refreshes a warm database
              for (int i = 0; i < n; ++i) {
                  timer.restart();
                  run();
                  m.ms << timer.nsecsElapsed() / 1e6;
              }
              results << m;
          };
    auto equalNow = [&]() {
        for (const StatsRange &r : { year, weeks, months }) {
            const QJsonObject a = withoutTime(must(stats.dashboard(r), QStringLiteral("rollups")));
            const QJsonObject b = withoutTime(
                must(stats.dashboard(r, StatsService::Source::Naive), QStringLiteral("naive")));
            if (a != b)
                return false;
        }
        return true;
    };

    const bool equalAtStart = equalNow();
    const qint64 compactedAtStart = must(stats.compact(0), QStringLiteral("compact"));
    const qint64 rollupRows = scalar(db,
        QStringLiteral("SELECT (SELECT count(*) FROM stats_card_counts) + (SELECT count(*) FROM "
                       "stats_activation_days) + (SELECT count(*) FROM stats_event_days)"));

    // 1. The payload a refresh reads.
    for (const StatsRange &r : { year, weeks, months }) {
        measure(QStringLiteral("payload"),
            QStringLiteral("rollups, a year by %1").arg(granularityName(r.granularity)), runs,
            [&] { must(stats.dashboard(r), QStringLiteral("dashboard")); });
    }
    measure(QStringLiteral("payload"), QStringLiteral("naive, a year by day"), naiveRuns,
        [&] { must(stats.dashboard(year, StatsService::Source::Naive), QStringLiteral("naive")); });
    // The naive parts on their own (the figures docs/performance.md quotes).
    measure(QStringLiteral("naive part"), QStringLiteral("by status (and KPIs)"), naiveRuns,
        [&] { must(stats.byStatus(StatsService::Source::Naive), QStringLiteral("status")); });
    measure(QStringLiteral("naive part"), QStringLiteral("by tariff"), naiveRuns,
        [&] { must(stats.byTariff(StatsService::Source::Naive), QStringLiteral("tariff")); });
    measure(QStringLiteral("naive part"), QStringLiteral("activations, a year by day"), naiveRuns,
        [&] { must(stats.activations(year, StatsService::Source::Naive), QStringLiteral("act")); });
    measure(QStringLiteral("naive part"), QStringLiteral("imports/terminations, a year by day"),
        naiveRuns, [&] {
            must(stats.importsTerminations(year, StatsService::Source::Naive),
                QStringLiteral("events"));
        });

    // 2. and 3. What the triggers add: the same bulk action and the same import with the
    // rollup triggers enabled and disabled (the table owner may; nobody else), in alternating
    // order so that both see the same load. The trigger functions' own time comes from the
    // server's function statistics (track_functions, this session only).
    exec(db, QStringLiteral("SET track_functions = 'pl'"));
    exec(db,
        QStringLiteral("SELECT pg_stat_reset_single_function_counters(p.oid) FROM pg_proc p "
                       "WHERE p.proname IN ('simdesk_stats_cards_changed', "
                       "'simdesk_stats_events_changed')"));
    auto triggerStats = [&]() {
        // A backend sends its statistics at most once a second, when it goes idle.
        QThread::msleep(1100);
        exec(db, QStringLiteral("SELECT 1"));
        QThread::msleep(100);
        QueryResult q = must(runQuery(db,
                                 QStringLiteral("SELECT coalesce(sum(calls), 0)::bigint, "
                                                "coalesce(sum(self_time), 0)::float8 FROM "
                                                "pg_stat_user_functions WHERE funcname IN "
                                                "('simdesk_stats_cards_changed', "
                                                "'simdesk_stats_events_changed')")),
            QStringLiteral("function statistics"));
        q.next();
        return std::make_pair(q.value(0).toLongLong(), q.value(1).toDouble());
    };
    auto triggerNote = [](std::pair<qint64, double> before, std::pair<qint64, double> after) {
        const qint64 calls = after.first - before.first;
        const double ms = after.second - before.second;
        return QStringLiteral("trigger functions: %1 calls, %2 ms (%3 ms a call)")
            .arg(calls)
            .arg(ms, 0, 'f', 1)
            .arg(calls ? ms / calls : 0, 0, 'f', 2);
    };

    const QList<qint64> active = ids(db,
        QStringLiteral("SELECT id FROM sim_cards WHERE status = 'ACTIVE' ORDER BY id LIMIT %1")
            .arg(bulk));
    LifecycleService life(db, ChangeSource::Bulk);
    ActionRequest common;
    common.reason = QStringLiteral("benchmark");
    Measure bulkOn { QStringLiteral("bulk action"),
        QStringLiteral("suspend or resume %1 cards, triggers on").arg(active.size()), {}, {} };
    Measure bulkOff { QStringLiteral("bulk action"),
        QStringLiteral("suspend or resume %1 cards, triggers off").arg(active.size()), {}, {} };
    std::pair<qint64, double> before = triggerStats();
    for (int i = 0; i < repeat; ++i) {
        for (bool on : { i % 2 == 0, i % 2 != 0 }) {
            setRollupTriggers(db, on);
            for (SimAction a : { SimAction::Suspend, SimAction::Resume }) {
                timer.restart();
                const BulkResult r = must(
                    life.performMany(cardActionOf(a), active, common), QStringLiteral("bulk"));
                (on ? bulkOn : bulkOff).ms << timer.nsecsElapsed() / 1e6;
                if (r.done != active.size())
                    fail(QStringLiteral("bulk"),
                        Error(ErrorCode::InvalidArgument, { QStringLiteral("cards refused") }));
            }
        }
    }
    setRollupTriggers(db, true);
    std::pair<qint64, double> after = triggerStats();
    bulkOn.note = triggerNote(before, after);
    results << bulkOn << bulkOff;

    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("bench.csv"));
    {
        QByteArray csv = "iccid,pin,puk,type\n";
        for (int i = 0; i < importRows; ++i)
            csv += TestDatabase::iccid(700000000 + i).toLatin1() + ",1234,12345678,prepaid\n";
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(csv) != csv.size())
            fail(QStringLiteral("csv"), Error(ErrorCode::InvalidArgument, { file }));
    }
    Measure commitOn { QStringLiteral("import"),
        QStringLiteral("commit %1 rows, triggers on").arg(importRows), {}, {} };
    Measure commitOff { QStringLiteral("import"),
        QStringLiteral("commit %1 rows, triggers off").arg(importRows), {}, {} };
    Measure revertOn { QStringLiteral("import"),
        QStringLiteral("revert %1 rows, triggers on").arg(importRows), {}, {} };
    Measure revertOff { QStringLiteral("import"),
        QStringLiteral("revert %1 rows, triggers off").arg(importRows), {}, {} };
    std::pair<qint64, double> commitStats { 0, 0 };
    std::pair<qint64, double> revertStats { 0, 0 };
    for (int i = 0; i < repeat; ++i) {
        for (bool on : { i % 2 == 0, i % 2 != 0 }) {
            setRollupTriggers(db, on);
            before = on ? triggerStats() : before;
            timer.restart();
            const ImportReport r = ImportService(db).commit(file, {});
            (on ? commitOn : commitOff).ms << timer.nsecsElapsed() / 1e6;
            if (!r.committed || !r.batchId)
                fail(QStringLiteral("import"),
                    r.refusal ? *r.refusal
                              : Error(ErrorCode::InvalidArgument, { QStringLiteral("refused") }));
            after = on ? triggerStats() : after;
            if (on) {
                commitStats.first += after.first - before.first;
                commitStats.second += after.second - before.second;
            }
            timer.restart();
            must(ImportService(db).revert(*r.batchId), QStringLiteral("revert"));
            (on ? revertOn : revertOff).ms << timer.nsecsElapsed() / 1e6;
            if (on) {
                const std::pair<qint64, double> reverted = triggerStats();
                revertStats.first += reverted.first - after.first;
                revertStats.second += reverted.second - after.second;
            }
        }
    }
    setRollupTriggers(db, true);
    commitOn.note = triggerNote({ 0, 0 }, commitStats);
    revertOn.note = triggerNote({ 0, 0 }, revertStats);
    results << commitOn << commitOff << revertOn << revertOff;

    // Deltas the runs with triggers on left behind, folded.
    timer.restart();
    const qint64 compacted = must(stats.compact(0), QStringLiteral("compact"));
    results << Measure { QStringLiteral("maintenance"), QStringLiteral("compact(0)"),
        { timer.nsecsElapsed() / 1e6 }, QStringLiteral("%1 delta rows removed").arg(compacted) };

    // The rollups missed the changes made with the triggers off: rebuilt (how long that takes
    // is a number of its own), then compared again.
    timer.restart();
    exec(db, QStringLiteral("SELECT simdesk_stats_rebuild()"));
    results << Measure { QStringLiteral("maintenance"), QStringLiteral("simdesk_stats_rebuild()"),
        { timer.nsecsElapsed() / 1e6 }, {} };
    const bool equalAtEnd = equalNow();

    std::printf("Dashboard statistics at %lld cards, %lld events; %d runs (naive: %d), ms\n", cards,
        events, runs, naiveRuns);
    if (!setupNote.isEmpty())
        std::printf("setup: %s\n", qPrintable(setupNote));
    std::printf("rollup rows after compaction: %lld (%lld delta rows folded at start)\n",
        rollupRows, compactedAtStart);
    std::printf("rollup payload equals naive payload: at start %s, after the changes %s\n",
        equalAtStart ? "yes" : "NO", equalAtEnd ? "yes" : "NO");
    std::printf(
        "%-12s %-46s %9s %9s %9s %5s  %s\n", "kind", "what", "p50", "p95", "max", "n", "note");
    QJsonArray rows;
    for (const Measure &m : results) {
        const double p50 = percentile(m.ms, 0.5);
        const double p95 = percentile(m.ms, 0.95);
        const double mx = percentile(m.ms, 1.0);
        std::printf("%-12s %-46s %9.1f %9.1f %9.1f %5lld  %s\n", qPrintable(m.kind),
            qPrintable(m.what), p50, p95, mx, qint64(m.ms.size()), qPrintable(m.note));
        rows.append(QJsonObject { { QStringLiteral("kind"), m.kind },
            { QStringLiteral("what"), m.what }, { QStringLiteral("p50_ms"), p50 },
            { QStringLiteral("p95_ms"), p95 }, { QStringLiteral("max_ms"), mx },
            { QStringLiteral("n"), qint64(m.ms.size()) }, { QStringLiteral("note"), m.note } });
    }
    if (parser.isSet(jsonOption)) {
        const QJsonObject json { { QStringLiteral("benchmark"), QStringLiteral("stats") },
            { QStringLiteral("sims"), cards }, { QStringLiteral("events"), events },
            { QStringLiteral("runs"), runs }, { QStringLiteral("setup"), setupNote },
            { QStringLiteral("rollupRows"), rollupRows },
            { QStringLiteral("equalAtStart"), equalAtStart },
            { QStringLiteral("equalAtEnd"), equalAtEnd }, { QStringLiteral("results"), rows } };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0) {
            std::fprintf(stderr, "bench_stats: cannot write %s\n", qPrintable(f.fileName()));
            return 1;
        }
    }
    return equalAtStart && equalAtEnd ? 0 : 1;
}
