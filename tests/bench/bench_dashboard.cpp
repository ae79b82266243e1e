// SPDX-License-Identifier: MIT
// The dashboard page as the desktop shows it: a fresh DashboardPage (QWebEngineView on the
// shared profile, qrc:/dashboard/index.html, D3 from the Qt resources) at 1180×640 — the page
// area of a 1366×768 main window — on the offscreen platform, timed from creating the page
// until the page reports its charts drawn (DashboardBridge::chartsDrawn, after the QWebChannel
// is up, the JSON pushed and every SVG built). The JSON is a payload of StatsService's contract
// with --periods periods per series (365: a year by day, the most the page draws), so this
// measures the page alone; StatsService's own time is in bench_stats.
//   the first load (the renderer process starts) and --runs more loads, each with a fresh view:
//   median and p95; a redraw of the open page (resize); the resident memory with the dashboard
//   open: VmRSS of this process, the RSS and PSS of the WebEngine helper processes it started
//   (renderer, zygote, GPU), and the total PSS (shared pages counted once).
// Prints a table, writes JSON with --json FILE. Asserts nothing about time.
#include "benchsupport.h"
#include "dashboard/dashboardpage.h"
#include "webenginetest.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace simdesk;
using namespace simdesk::bench;

namespace {

// Every process below `pid` (the WebEngine helpers: zygote, renderer, GPU, utility).
QList<qint64> descendants(qint64 pid)
{
    QMap<qint64, QList<qint64>> children;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const qint64 p = entry.toLongLong(&ok);
        if (!ok)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(p));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray s = stat.readAll();
        // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
        const QList<QByteArray> rest = s.mid(s.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1)
            children[rest.at(1).toLongLong()].append(p);
    }
    QList<qint64> out;
    QList<qint64> todo { pid };
    while (!todo.isEmpty()) {
        for (qint64 c : children.value(todo.takeFirst())) {
            out.append(c);
            todo.append(c);
        }
    }
    return out;
}

QJsonObject payload(int periods)
{
    const QDate to = QDate::currentDate();
    const QDate from = to.addDays(-(periods - 1));
    const QStringList statuses { QStringLiteral("AVAILABLE"), QStringLiteral("RESERVED"),
        QStringLiteral("ACTIVE"), QStringLiteral("SUSPENDED"), QStringLiteral("LOST_STOLEN"),
        QStringLiteral("TERMINATED") };
    const QList<qint64> counts { 212000, 31000, 611000, 40000, 9000, 97000 };
    QJsonObject kpis { { QStringLiteral("total"), 1000000 } };
    QJsonArray byStatus;
    for (int i = 0; i < statuses.size(); ++i) {
        kpis.insert(statuses.at(i), counts.at(i));
        byStatus.append(QJsonObject { { QStringLiteral("status"), statuses.at(i) },
            { QStringLiteral("count"), counts.at(i) } });
    }
    QJsonArray activations, flows;
    for (int i = 0; i < periods; ++i) {
        const QDate d = from.addDays(i);
        const QString start = d.toString(Qt::ISODate);
        const QString end = d.addDays(1).toString(Qt::ISODate);
        activations.append(QJsonObject { { QStringLiteral("start"), start },
            { QStringLiteral("end"), end }, { QStringLiteral("count"), 1200 + (i * 37) % 900 } });
        flows.append(
            QJsonObject { { QStringLiteral("start"), start }, { QStringLiteral("end"), end },
                { QStringLiteral("imported"), (i % 14 == 0) ? 20000 : 0 },
                { QStringLiteral("terminated"), 200 + (i * 13) % 150 } });
    }
    QJsonArray byTariff;
    for (int i = 0; i < 12; ++i)
        byTariff.append(QJsonObject { { QStringLiteral("tariffPlanId"), i + 1 },
            { QStringLiteral("name"), QStringLiteral("Plan %1").arg(i + 1) },
            { QStringLiteral("count"), 70000 - i * 5000 } });
    byTariff.append(QJsonObject { { QStringLiteral("tariffPlanId"), QJsonValue::Null },
        { QStringLiteral("name"), QJsonValue::Null }, { QStringLiteral("count"), 50000 } });
    return QJsonObject {
        { QStringLiteral("generatedAt"),
            QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
        { QStringLiteral("timeZone"), QStringLiteral("UTC") },
        { QStringLiteral("range"),
            QJsonObject { { QStringLiteral("from"), from.toString(Qt::ISODate) },
                { QStringLiteral("to"), to.toString(Qt::ISODate) },
                { QStringLiteral("granularity"), QStringLiteral("day") } } },
        { QStringLiteral("kpis"), kpis },
        { QStringLiteral("byStatus"), byStatus },
        { QStringLiteral("activations"), activations },
        { QStringLiteral("byTariff"), byTariff },
        { QStringLiteral("importsTerminations"), flows },
    };
}

} // namespace

int main(int argc, char *argv[])
{
    prepareWebEngineTest();
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("loads after the first"), QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption periodsOption(QStringLiteral("periods"),
        QStringLiteral("periods per series"), QStringLiteral("N"), QStringLiteral("365"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    const QCommandLineOption warmOption(QStringLiteral("warm"),
        QStringLiteral("keep another dashboard open during the loads (its renderer stays)"));
    const QCommandLineOption warmUpOption(QStringLiteral("warm-up"),
        QStringLiteral("start the renderer first, as the app does during sign-in "
                       "(startWebEngineEarly), and keep that page"));
    parser.addOptions({ runsOption, periodsOption, jsonOption, warmOption, warmUpOption });
    parser.addHelpOption();
    parser.process(app);
    const int runs = qMax(1, parser.value(runsOption).toInt());
    const int periods = qBound(1, parser.value(periodsOption).toInt(), 3700);
    const DashboardSource source = fixedDashboardSource(payload(periods));
    const qint64 rssStart = procKb(QStringLiteral("/proc/self/status"), "VmRSS");

    // Where a load's time goes, from the page's own clock (ms since its navigation started).
    QMap<QString, QList<double>> phases;
    auto loadOnce = [&](std::unique_ptr<DashboardPage> *keep) -> double {
        QElapsedTimer timer;
        timer.start();
        auto page = std::make_unique<DashboardPage>(source);
        page->resize(1180, 640);
        QSignalSpy drawn(page.get(), &DashboardPage::drawn);
        page->show();
        if (!drawn.wait(30000)) {
            std::fprintf(stderr, "bench_dashboard: the page never drew its charts\n");
            std::exit(1);
        }
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        const QJsonObject timing = page->lastDrawn().value(QStringLiteral("timing")).toObject();
        for (auto it = timing.begin(); it != timing.end(); ++it)
            phases[it.key()].append(it.value().toDouble());
        phases[QStringLiteral("total")].append(ms);
        if (keep)
            *keep = std::move(page);
        return ms;
    };

    std::unique_ptr<QWebEnginePage> warmUp;
    if (parser.isSet(warmUpOption)) {
        QElapsedTimer timer;
        timer.start();
        warmUp = startWebEngineEarly();
        QSignalSpy loaded(warmUp.get(), &QWebEnginePage::loadFinished);
        if (!loaded.wait(30000) || !loaded.first().first().toBool()) {
            std::fprintf(stderr, "bench_dashboard: the warm-up page did not load\n");
            return 1;
        }
        std::printf("warm-up page loaded in %.1f ms (the sign-in dialog is open meanwhile)\n",
            double(timer.nsecsElapsed()) / 1e6);
    }
    const double first = loadOnce(nullptr);
    std::unique_ptr<DashboardPage> other;
    if (parser.isSet(warmOption))
        loadOnce(&other);
    phases.clear();
    QList<double> loads;
    for (int i = 0; i < runs; ++i)
        loads.append(loadOnce(nullptr));

    // The dashboard open, as in the app, for the memory and a redraw.
    std::unique_ptr<DashboardPage> open;
    loadOnce(&open);
    QTest::qWait(500);
    if (qEnvironmentVariableIsSet("SIMDESK_BENCH_TRACE")) {
        bool done = false;
        open->view()->page()->runJavaScript(
            QStringLiteral("JSON.stringify(performance.getEntries().map(e => [e.entryType, e.name, "
                           "Math.round(e.startTime), Math.round(e.duration)]))"),
            [&](const QVariant &v) {
                std::printf("%s\n", qPrintable(v.toString()));
                done = true;
            });
        if (!QTest::qWaitFor([&] { return done; }, 5000))
            std::fprintf(stderr, "bench_dashboard: no trace\n");
    }
    QList<double> redraws;
    for (int i = 0; i < qMin(runs, 10); ++i) {
        QSignalSpy drawn(open.get(), &DashboardPage::drawn);
        QElapsedTimer timer;
        timer.start();
        open->refresh(); // the same JSON again: the full path of a refresh, from C++ to SVG
        if (!drawn.wait(30000))
            return 1;
        redraws.append(double(timer.nsecsElapsed()) / 1e6);
    }
    const qint64 rssSelf = procKb(QStringLiteral("/proc/self/status"), "VmRSS");
    const qint64 pssSelf = procKb(QStringLiteral("/proc/self/smaps_rollup"), "Pss");
    qint64 rssHelpers = 0, pssHelpers = 0;
    const QList<qint64> helpers = descendants(QCoreApplication::applicationPid());
    for (qint64 pid : helpers) {
        rssHelpers += procKb(QStringLiteral("/proc/%1/status").arg(pid), "VmRSS");
        pssHelpers += procKb(QStringLiteral("/proc/%1/smaps_rollup").arg(pid), "Pss");
    }

    std::printf(
        "Dashboard page: fresh QWebEngineView 1180x640 (offscreen), creation -> charts drawn,\n"
        "%d periods per series (a year by day), %d loads after the first\n\n",
        periods, runs);
    std::printf("%-52s %9s %9s %9s %8s\n", "measure", "p50 ms", "p95 ms", "max ms", "target");
    std::printf(
        "%-52s %9.1f %9s %9s %8s\n", "first load (renderer process starts)", first, "", "", "");
    std::printf("%-52s %9.1f %9.1f %9.1f %8s\n", "load, fresh view each time",
        percentile(loads, 0.5), percentile(loads, 0.95), percentile(loads, 1.0), "500");
    for (const QString &phase :
        { QStringLiteral("head"), QStringLiteral("moduleStart"), QStringLiteral("channelReady"),
            QStringLiteral("dataReceived"), QStringLiteral("drawn") })
        std::printf("%-52s %9.1f %9.1f %9.1f %8s\n",
            qPrintable(QStringLiteral("  page clock: %1").arg(phase)),
            percentile(phases.value(phase), 0.5), percentile(phases.value(phase), 0.95),
            percentile(phases.value(phase), 1.0), "");
    std::printf("%-52s %9.1f %9.1f %9.1f %8s\n", "refresh of the open page (push JSON -> redrawn)",
        percentile(redraws, 0.5), percentile(redraws, 0.95), percentile(redraws, 1.0), "");
    std::printf("\n%-52s %9s\n", "memory with the dashboard open", "MB");
    std::printf("%-52s %9.1f\n", "VmRSS of this process at start", double(rssStart) / 1024);
    std::printf("%-52s %9.1f\n", "VmRSS of this process", double(rssSelf) / 1024);
    std::printf("%-52s %9.1f\n",
        qPrintable(QStringLiteral("RSS of the %1 WebEngine helper processes").arg(helpers.size())),
        double(rssHelpers) / 1024);
    std::printf(
        "%-52s %9.1f\n", "PSS total (this process + helpers)", double(pssSelf + pssHelpers) / 1024);

    if (parser.isSet(jsonOption)) {
        const QJsonObject out {
            { QStringLiteral("periods"), periods },
            { QStringLiteral("runs"), runs },
            { QStringLiteral("firstLoadMs"), first },
            { QStringLiteral("loadP50Ms"), percentile(loads, 0.5) },
            { QStringLiteral("loadP95Ms"), percentile(loads, 0.95) },
            { QStringLiteral("refreshP50Ms"), percentile(redraws, 0.5) },
            { QStringLiteral("vmRssStartKb"), rssStart },
            { QStringLiteral("vmRssKb"), rssSelf },
            { QStringLiteral("helperProcesses"), int(helpers.size()) },
            { QStringLiteral("helperRssKb"), rssHelpers },
            { QStringLiteral("pssTotalKb"), pssSelf + pssHelpers },
        };
        QFile file(parser.value(jsonOption));
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        file.write(QJsonDocument(out).toJson());
    }
    open.reset();
    return 0;
}
