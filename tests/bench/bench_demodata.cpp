// SPDX-License-Identifier: MIT
// Demo data generation and the overview's count at a given size, on the test cluster (or on the
// cluster named by SIMDESK_TEST_CLUSTER). Prints a table, writes JSON with --json FILE.
#include "db/migrator.h"
#include "records/simrepository.h"
#include "services/demodata.h"
#include "testdatabase.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <limits>

using namespace simdesk;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption simsOption(QStringLiteral("sims"), QStringLiteral("SIM cards"),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOption(simsOption);
    parser.addOption(jsonOption);
    parser.process(app);
    const int sims = parser.value(simsOption).toInt();

    TestDatabase tdb(QStringLiteral("bench_demo"));
    if (!tdb.isValid()) {
        std::fprintf(stderr, "bench_demodata: %s\n", qPrintable(tdb.error()));
        return 2;
    }
    QSqlDatabase db = tdb.connect();
    QElapsedTimer timer;
    timer.start();
    if (Result<QList<int>> r = Migrator(db).migrate(); !r) {
        std::fprintf(stderr, "bench_demodata: %s\n", qPrintable(r.error().fullMessage()));
        return 1;
    }
    const qint64 migrateMs = timer.restart();
    DemoDataOptions options;
    options.sims = sims;
    if (Status s = DemoData::generate(db, options); !s) {
        std::fprintf(stderr, "bench_demodata: %s\n", qPrintable(s.error().fullMessage()));
        return 1;
    }
    const qint64 generateMs = timer.restart();
    SimRepository repo(db);
    // Best of five: the overview query runs warm in practice.
    qint64 countUs = std::numeric_limits<qint64>::max();
    for (int i = 0; i < 5; ++i) {
        timer.restart();
        if (!repo.countByStatus())
            return 1;
        countUs = std::min(countUs, timer.nsecsElapsed() / 1000);
    }
    const QString events = tdb.scalar(QStringLiteral("SELECT count(*) FROM sim_events"));
    const QString size
        = tdb.scalar(QStringLiteral("SELECT pg_size_pretty(pg_database_size(current_database()))"));

    std::printf("%-34s %14s\n", "measure", "value");
    std::printf("%-34s %14d\n", "SIM cards", sims);
    std::printf("%-34s %14s\n", "events", qPrintable(events));
    std::printf("%-34s %14lld\n", "migrate (ms)", migrateMs);
    std::printf("%-34s %14lld\n", "generate demo data (ms)", generateMs);
    std::printf(
        "%-34s %14.0f\n", "SIM cards per second", sims * 1000.0 / std::max<qint64>(generateMs, 1));
    std::printf("%-34s %14.2f\n", "count by status, best of 5 (ms)", countUs / 1000.0);
    std::printf("%-34s %14s\n", "database size", qPrintable(size));

    if (parser.isSet(jsonOption)) {
        const QJsonObject json {
            { QStringLiteral("benchmark"), QStringLiteral("demodata") },
            { QStringLiteral("sims"), sims },
            { QStringLiteral("events"), events.toLongLong() },
            { QStringLiteral("migrate_ms"), migrateMs },
            { QStringLiteral("generate_ms"), generateMs },
            { QStringLiteral("count_by_status_ms"), countUs / 1000.0 },
            { QStringLiteral("database_size"), size },
        };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0) {
            std::fprintf(stderr, "bench_demodata: cannot write %s\n", qPrintable(f.fileName()));
            return 1;
        }
    }
    return 0;
}
