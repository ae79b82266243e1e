// SPDX-License-Identifier: MIT
// Lifecycle actions with every rule on, on a database with many cards (the demo data generator,
// default 200,000 cards with their year of history), as a support login through LifecycleService:
//   (a) one action at a time: suspend/resume pairs on distinct ACTIVE cards, each action timed
//       on its own (read the card, check, simdesk_sim_act, read it again): p50, p95, max
//   (b) one bulk suspend of N ACTIVE cards in one LifecycleService::performMany call
// Prints a table, writes JSON with --json FILE. Asserts nothing about time; it fails only when an
// action is refused or the database cannot be set up.
#include "db/migrator.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace simdesk;

namespace {

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0;
    std::sort(sorted.begin(), sorted.end());
    // Nearest rank.
    const auto rank = static_cast<size_t>(std::max(1.0, std::ceil(p * sorted.size())));
    return sorted[std::min(rank, sorted.size()) - 1];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption simsOption(QStringLiteral("sims"),
        QStringLiteral("SIM cards of demo data"), QStringLiteral("N"), QStringLiteral("200000"));
    const QCommandLineOption actionsOption(QStringLiteral("actions"),
        QStringLiteral("single actions to time (suspend/resume pairs)"), QStringLiteral("N"),
        QStringLiteral("200"));
    const QCommandLineOption bulkOption(QStringLiteral("bulk"),
        QStringLiteral("ACTIVE cards suspended in one bulk call"), QStringLiteral("N"),
        QStringLiteral("10000"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOptions({ simsOption, actionsOption, bulkOption, jsonOption });
    parser.process(app);
    const int sims = parser.value(simsOption).toInt();
    const int pairs = std::max(1, parser.value(actionsOption).toInt() / 2);
    const int bulk = parser.value(bulkOption).toInt();
    auto fail = [](const QString &what) {
        std::fprintf(stderr, "bench_lifecycle: %s\n", qPrintable(what));
        return 1;
    };

    TestDatabase tdb(QStringLiteral("bench_life"));
    if (!tdb.isValid())
        return fail(tdb.error());
    QSqlDatabase owner = tdb.connect();
    if (Result<QList<int>> r = Migrator(owner).migrate(); !r)
        return fail(r.error().fullMessage());
    QElapsedTimer timer;
    timer.start();
    DemoDataOptions options;
    options.sims = sims;
    if (Status s = DemoData::generate(owner, options); !s)
        return fail(s.error().fullMessage());
    const double generateSeconds = timer.nsecsElapsed() / 1e9;
    tdb.exec(QStringLiteral("VACUUM ANALYZE"));
    const QString events = tdb.scalar(QStringLiteral("SELECT count(*) FROM sim_events"));

    // Distinct ACTIVE cards, spread over the table: the first `pairs` for the single actions,
    // the next `bulk` for the bulk suspend.
    QList<qint64> singles;
    QList<qint64> many;
    {
        QSqlQuery q(owner);
        if (!q.exec(QStringLiteral("SELECT id FROM sim_cards WHERE status = 'ACTIVE' "
                                   "ORDER BY hashint8(id) LIMIT %1")
                        .arg(pairs + bulk)))
            return fail(QStringLiteral("cannot pick cards"));
        while (q.next())
            (singles.size() < pairs ? singles : many).append(q.value(0).toLongLong());
    }
    if (singles.size() < pairs || many.size() < bulk)
        return fail(QStringLiteral("only %1 ACTIVE cards; give more --sims")
                        .arg(singles.size() + many.size()));

    const QString login = tdb.createLogin(QStringLiteral("support"), QStringLiteral("support"));
    QSqlDatabase db = tdb.connectAs(login);
    LifecycleService lifecycle(db, ChangeSource::Desktop);
    const QString reason = QStringLiteral("benchmark");

    // (a) One action at a time, each its own transaction as in the desktop.
    std::vector<double> ms;
    ms.reserve(2 * pairs);
    for (const qint64 id : singles) {
        timer.restart();
        if (Result<SimCard> r = lifecycle.suspend(id, reason); !r)
            return fail(QStringLiteral("suspend %1: %2").arg(id).arg(r.error().fullMessage()));
        ms.push_back(timer.nsecsElapsed() / 1e6);
        timer.restart();
        if (Result<SimCard> r = lifecycle.resume(id); !r)
            return fail(QStringLiteral("resume %1: %2").arg(id).arg(r.error().fullMessage()));
        ms.push_back(timer.nsecsElapsed() / 1e6);
    }
    const double p50 = percentile(ms, 0.50);
    const double p95 = percentile(ms, 0.95);
    const double max = *std::max_element(ms.begin(), ms.end());

    // (b) Bulk suspend in one call.
    ActionRequest common;
    common.reason = reason;
    timer.restart();
    Result<BulkResult> done = lifecycle.performMany(CardAction::Suspend, many, common);
    const double bulkSeconds = timer.nsecsElapsed() / 1e9;
    if (!done)
        return fail(QStringLiteral("bulk suspend: %1").arg(done.error().fullMessage()));
    if (done.value().done != bulk)
        return fail(QStringLiteral("bulk suspend: %1 of %2 done").arg(done.value().done).arg(bulk));

    std::printf("%-44s %12s %8s\n", "measure", "value", "target");
    std::printf("%-44s %12d %8s\n", "SIM cards (demo data)", sims, "");
    std::printf("%-44s %12s %8s\n", "events", qPrintable(events), "");
    std::printf("%-44s %12.1f %8s\n", "generate demo data (s)", generateSeconds, "");
    std::printf("%-44s %12zu %8s\n", "single actions (suspend/resume pairs)", ms.size(), "");
    std::printf("%-44s %12.2f %8s\n", "    p50 (ms)", p50, "");
    std::printf("%-44s %12.2f %8s\n", "    p95 (ms)", p95, "< 5");
    std::printf("%-44s %12.2f %8s\n", "    max (ms)", max, "");
    std::printf("%-44s %12d %8s\n", "bulk suspend: cards in one call", bulk, "");
    std::printf("%-44s %12.3f %8s\n", "    time (s)", bulkSeconds, "< 2");

    if (parser.isSet(jsonOption)) {
        const QJsonObject json {
            { QStringLiteral("benchmark"), QStringLiteral("lifecycle") },
            { QStringLiteral("sims"), sims },
            { QStringLiteral("events"), events.toLongLong() },
            { QStringLiteral("single_actions"), static_cast<qint64>(ms.size()) },
            { QStringLiteral("single_p50_ms"), p50 },
            { QStringLiteral("single_p95_ms"), p95 },
            { QStringLiteral("single_max_ms"), max },
            { QStringLiteral("bulk_cards"), bulk },
            { QStringLiteral("bulk_suspend_s"), bulkSeconds },
        };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            return fail(QStringLiteral("cannot write %1").arg(f.fileName()));
    }
    return 0;
}
