// SPDX-License-Identifier: MIT
// bench_memory — does the desktop app's memory stay flat over a long session? The real main
// window (offscreen, a support login) is used for `--minutes` the way an agent uses it: the SIM
// list searched, filtered, sorted and scrolled, cards opened (detail, history, timeline), the
// customers page, the dashboard shown and refreshed; meanwhile a colleague's connection changes
// a card every few seconds, so the listener's notifications refresh the open pages as they do on
// a support floor. Every `--sample-seconds` the resident memory of this process, of the WebEngine
// helper processes it started and the PSS of all of them are sampled and printed as a table;
// at the end the growth after the warm-up (the first `--warm-up` minutes) and the slope of a
// least-squares line through those samples are printed. Asserts nothing (a benchmark).
//
//   bench_memory [--minutes 60] [--sims 200000] [--seed 7] [--json out.json]

#include "benchsupport.h"
#include "dashboard/dashboardpage.h"
#include "db/changelistener.h"
#include "main/mainwindow.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "sims/simdetailpage.h"
#include "sims/simlistmodel.h"
#include "sims/simspage.h"
#include "webenginetest.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>

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

struct Sample
{
    double minute = 0;
    double rssMb = 0; // VmRSS of this process
    double helpersRssMb = 0; // RSS of the WebEngine helpers
    double pssMb = 0; // PSS of this process and the helpers
    int helpers = 0;
    qint64 steps = 0;
    qint64 changes = 0; // the colleague's card changes so far
};

Sample sample(double minute, qint64 steps, qint64 changes)
{
    Sample s;
    s.minute = minute;
    s.steps = steps;
    s.changes = changes;
    s.rssMb = double(procKb(QStringLiteral("/proc/self/status"), "VmRSS")) / 1024;
    qint64 pss = procKb(QStringLiteral("/proc/self/smaps_rollup"), "Pss");
    const QList<qint64> helpers = descendants(QCoreApplication::applicationPid());
    qint64 rssHelpers = 0;
    for (qint64 pid : helpers) {
        rssHelpers += procKb(QStringLiteral("/proc/%1/status").arg(pid), "VmRSS");
        pss += procKb(QStringLiteral("/proc/%1/smaps_rollup").arg(pid), "Pss");
    }
    s.helpers = int(helpers.size());
    s.helpersRssMb = double(rssHelpers) / 1024;
    s.pssMb = double(pss) / 1024;
    return s;
}

// Least-squares slope of y over x (per unit of x); 0 with fewer than two points.
double slope(const QList<double> &x, const QList<double> &y)
{
    if (x.size() < 2)
        return 0;
    const double mx = mean(x);
    const double my = mean(y);
    double num = 0;
    double den = 0;
    for (qsizetype i = 0; i < x.size(); ++i) {
        num += (x.at(i) - mx) * (y.at(i) - my);
        den += (x.at(i) - mx) * (x.at(i) - mx);
    }
    return den > 0 ? num / den : 0;
}

} // namespace

int main(int argc, char **argv)
{
    prepareWebEngineTest();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("bench_memory"));
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("minutes"), QStringLiteral("Length of the session."),
        QStringLiteral("n"), QStringLiteral("60") });
    parser.addOption(
        { QStringLiteral("sample-seconds"), QStringLiteral("Seconds between two memory samples."),
            QStringLiteral("s"), QStringLiteral("60") });
    parser.addOption(
        { QStringLiteral("warm-up"), QStringLiteral("Minutes left out of the growth figures."),
            QStringLiteral("n"), QStringLiteral("5") });
    parser.addOption(
        { QStringLiteral("sims"), QStringLiteral("Demo cards (when the database has none)."),
            QStringLiteral("n"), QStringLiteral("200000") });
    parser.addOption({ QStringLiteral("seed"), QStringLiteral("Seed of the simulated agent."),
        QStringLiteral("n"), QStringLiteral("7") });
    parser.addOption(
        { QStringLiteral("json"), QStringLiteral("Write results here."), QStringLiteral("file") });
    parser.process(app);
    const double minutes = parser.value(QStringLiteral("minutes")).toDouble();
    const int sampleMs = int(parser.value(QStringLiteral("sample-seconds")).toDouble() * 1000);
    const double warmUp = parser.value(QStringLiteral("warm-up")).toDouble();

    TestDatabase tdb(QStringLiteral("memory"));
    if (!tdb.isValid())
        fail(tdb.error());
    QSqlDatabase db = migratedDatabase(tdb, {});
    {
        DemoDataOptions demo;
        demo.sims = parser.value(QStringLiteral("sims")).toInt();
        QElapsedTimer t;
        t.start();
        mustOk(DemoData::generate(db, demo), QStringLiteral("demo data"));
        must(runQuery(db, QStringLiteral("VACUUM ANALYZE")), QStringLiteral("vacuum"));
        std::printf("demo data: %d cards in %.1f s\n", demo.sims, double(t.elapsed()) / 1000);
    }
    const QString login = tdb.createLogin(QStringLiteral("desk"), QStringLiteral("support"));
    const QString other = tdb.createLogin(QStringLiteral("colleague"), QStringLiteral("support"));
    if (login.isEmpty() || other.isEmpty())
        fail(QStringLiteral("cannot create the support logins"));

    // What the agent looks at: a sample of cards, their identifiers and customers.
    const QStringList ids = column(
        db, QStringLiteral("SELECT id FROM sim_cards ORDER BY hashint8(id), id LIMIT 2000"));
    const QStringList iccids
        = column(db, QStringLiteral("SELECT DISTINCT left(iccid, 8) FROM sim_cards ORDER BY 1"));
    const QStringList msisdns = column(db,
        QStringLiteral("SELECT right(msisdn, 4) FROM sim_cards WHERE msisdn IS NOT NULL "
                       "ORDER BY hashint8(id), id LIMIT 200"));
    const QStringList customerNos = column(db,
        QStringLiteral("SELECT customer_no FROM customers ORDER BY hashint8(id), id LIMIT 200"));
    const QStringList colleagueCards = column(db,
        QStringLiteral("SELECT id FROM sim_cards WHERE status = 'ACTIVE' ORDER BY id DESC "
                       "LIMIT 50"));
    if (ids.isEmpty() || iccids.isEmpty() || colleagueCards.isEmpty())
        fail(QStringLiteral("the database has too few cards"));

    ConnectionSettings settings = tdb.settings();
    settings.user = login;
    SessionInfo session;
    session.login = login;
    session.displayName = QStringLiteral("Bench Memory");
    session.role = StaffRole::Support;
    auto *w = new MainWindow(settings, session);
    w->resize(1366, 768);
    w->show();
    QSignalSpy refreshed(w, &MainWindow::refreshed);
    w->refresh();
    if (!refreshed.wait(60000))
        fail(QStringLiteral("the window did not load"));

    auto *nav = w->findChild<QListWidget *>();
    auto goTo = [&](const QString &key) {
        if (!nav)
            return;
        for (int i = 0; i < nav->count(); ++i) {
            if (nav->item(i)->data(Qt::UserRole).toString() == key) {
                nav->setCurrentRow(i);
                return;
            }
        }
    };

    // The colleague: suspends and resumes cards at the far end of the table every 3 s, on a
    // connection of its own (not the window's, so the window is told).
    LifecycleService colleague(tdb.connectAs(other));
    qint64 changes = 0;
    QTimer colleagueTimer;
    colleagueTimer.setInterval(3000);
    QObject::connect(&colleagueTimer, &QTimer::timeout, [&] {
        const qint64 id = colleagueCards.at(int(changes / 2) % colleagueCards.size()).toLongLong();
        const Status s = (changes % 2 == 0)
            ? colleague.perform(CardAction::Suspend,
                ActionRequest { id, {}, {}, {}, {}, QStringLiteral("bench_memory") })
            : colleague.perform(CardAction::Resume,
                ActionRequest { id, {}, {}, {}, {}, QStringLiteral("bench_memory") });
        Q_UNUSED(s); // a refusal (the card changed meanwhile) changes nothing: go on
        ++changes;
    });
    colleagueTimer.start();

    QRandomGenerator rng(parser.value(QStringLiteral("seed")).toUInt());
    auto pick = [&](const QStringList &from) {
        return from.at(int(rng.bounded(from.size())));
    };
    auto think = [&] {
        QTest::qWait(300 + int(rng.bounded(1200)));
    };
    SimsPage *sims = w->simsPage();
    auto *table = sims ? sims->findChild<QTableView *>(QStringLiteral("simTable")) : nullptr;
    if (!table)
        fail(QStringLiteral("no SIM table"));
    const QList<SimStatus> statuses { SimStatus::Available, SimStatus::Active, SimStatus::Suspended,
        SimStatus::Reserved, SimStatus::LostStolen, SimStatus::Terminated };

    QList<Sample> samples;
    qint64 steps = 0;
    QElapsedTimer clock;
    clock.start();
    qint64 nextSample = 0;
    const qint64 endMs = qint64(minutes * 60000);
    std::printf("%8s %10s %12s %10s %8s %8s %9s\n", "minute", "RSS (MB)", "helpers (MB)",
        "PSS (MB)", "helpers", "steps", "changes");
    auto takeSample = [&] {
        const Sample s = sample(double(clock.elapsed()) / 60000.0, steps, changes);
        samples.append(s);
        std::printf("%8.1f %10.1f %12.1f %10.1f %8d %8lld %9lld\n", s.minute, s.rssMb,
            s.helpersRssMb, s.pssMb, s.helpers, s.steps, s.changes);
        std::fflush(stdout);
    };
    while (clock.elapsed() < endMs) {
        if (clock.elapsed() >= nextSample) {
            takeSample();
            nextSample += sampleMs;
        }
        const quint32 what = rng.bounded(100);
        if (what < 35) {
            // The SIM list: a search or a filter, then some scrolling.
            SimListFilter filter;
            const quint32 kind = rng.bounded(5);
            if (kind == 0)
                filter.search = pick(iccids);
            else if (kind == 1 && !msisdns.isEmpty())
                filter.search = pick(msisdns);
            else if (kind == 2 && !customerNos.isEmpty())
                filter.search = pick(customerNos);
            else if (kind == 3)
                filter.statuses = { statuses.at(int(rng.bounded(statuses.size()))) };
            w->showSims(filter);
            think();
            for (int i = 0, n = 2 + int(rng.bounded(6)); i < n; ++i) {
                QScrollBar *bar = table->verticalScrollBar();
                if (rng.bounded(4) == 0)
                    bar->setValue(bar->maximum());
                else if (rng.bounded(2) == 0)
                    bar->setValue(int(rng.bounded(qMax(1, bar->maximum()))));
                else
                    bar->setValue(qMin(bar->maximum(), bar->value() + bar->pageStep()));
                QTest::qWait(150 + int(rng.bounded(400)));
            }
            if (rng.bounded(3) == 0)
                table->sortByColumn(
                    int(rng.bounded(4)), rng.bounded(2) ? Qt::AscendingOrder : Qt::DescendingOrder);
        } else if (what < 70) {
            // A card: detail, history, timeline.
            QSignalSpy loaded(w->detailPage(), &SimDetailPage::loaded);
            w->showCard(pick(ids).toLongLong());
            loaded.wait(20000);
            think();
            w->goBack();
        } else if (what < 85) {
            goTo(QStringLiteral("dashboard"));
            think();
            if (w->dashboardPage())
                w->dashboardPage()->refresh();
            think();
        } else {
            goTo(QStringLiteral("customers"));
            think();
        }
        ++steps;
        think();
    }
    takeSample();
    colleagueTimer.stop();
    delete w;

    // Growth after the warm-up: first and last sample, and the fitted slope per hour.
    QList<double> x;
    QList<double> rss;
    QList<double> pss;
    for (const Sample &s : std::as_const(samples)) {
        if (s.minute >= warmUp) {
            x << s.minute;
            rss << s.rssMb;
            pss << s.pssMb;
        }
    }
    const double rssGrowth = rss.isEmpty() ? 0 : rss.last() - rss.first();
    const double pssGrowth = pss.isEmpty() ? 0 : pss.last() - pss.first();
    const double rssSlope = slope(x, rss) * 60;
    const double pssSlope = slope(x, pss) * 60;
    double rssMax = 0;
    for (double v : std::as_const(rss))
        rssMax = qMax(rssMax, v);
    std::printf("\nafter minute %.0f: RSS %.1f -> %.1f MB (%+.1f MB, max %.1f), slope %+.1f MB/h; "
                "PSS with helpers %+.1f MB, slope %+.1f MB/h; %lld steps, %lld card changes\n",
        warmUp, rss.value(0), rss.isEmpty() ? 0 : rss.last(), rssGrowth, rssMax, rssSlope,
        pssGrowth, pssSlope, steps, changes);

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray rows;
        for (const Sample &s : std::as_const(samples)) {
            rows.append(QJsonObject { { QStringLiteral("minute"), s.minute },
                { QStringLiteral("rssMb"), s.rssMb },
                { QStringLiteral("helpersRssMb"), s.helpersRssMb },
                { QStringLiteral("pssMb"), s.pssMb }, { QStringLiteral("helpers"), s.helpers },
                { QStringLiteral("steps"), s.steps }, { QStringLiteral("changes"), s.changes } });
        }
        QFile out(parser.value(QStringLiteral("json")));
        if (!out.open(QIODevice::WriteOnly))
            fail(QStringLiteral("cannot write %1").arg(out.fileName()));
        out.write(QJsonDocument(QJsonObject { { QStringLiteral("samples"), rows },
                                    { QStringLiteral("rssGrowthMb"), rssGrowth },
                                    { QStringLiteral("rssSlopeMbPerHour"), rssSlope },
                                    { QStringLiteral("pssGrowthMb"), pssGrowth },
                                    { QStringLiteral("pssSlopeMbPerHour"), pssSlope } })
                      .toJson());
    }
    return 0;
}
