// SPDX-License-Identifier: MIT
// bench_floor — a support floor of N workstations on one server. Each workstation is a thread
// with the connections the desktop app opens (db/changelistener.h, db/workerconnection.h): a
// ChangeListener (LISTEN, its own connection), the SIM list's loader connection (SimListQuery:
// first pages under filters, searches and sorts, next pages, jumps, Ctrl+End) and the window's
// worker connection (SimDetailQuery, LifecycleService single and bulk actions with their
// preview, ImportService for the admins' imports now and then). Every workstation does a fixed
// number of steps, each after a think time drawn from a fixed seed; the single actions go to a
// shared set of "hot" cards so that agents collide as they do on a floor, a bulk selection is the
// workstation's own part of the table with a few hot cards in it.
//
// Then the invariants, each of which makes the program exit with 1 when broken:
//  - every card's status is the replay of its events since the start (each event starts where
//    the previous one ended, the last ends where the card is) and its version counts them;
//  - no lost update: each login's events per card are exactly the actions it was told were
//    done (single and bulk), each import's cards are there with their IMPORTED events;
//  - every refusal is one the rules give (the card changed since it was read, or the state
//    machine does not allow the action); anything else is an error;
//  - every listener heard of every card another workstation changed (its id, or a signal
//    "everything changed" after the change began).
// Prints p50/p95/max per request kind, the connections at peak (pg_stat_activity, sampled),
// notifications per second; writes JSON with --json.
//
//   bench_floor [--workstations 10] [--actions 100] [--think-ms 300] [--sims 100000]
//               [--seed 1] [--database NAME] [--pooler HOST:PORT] [--json out.json]
//
// --pooler: the list and worker connections go through a connection pooler (pgbouncer in
// transaction mode, scripts/bench-floor-pooler); the listeners stay directly on the server.

#include "benchsupport.h"
#include "db/changelistener.h"
#include "db/workerconnection.h"
#include "domain/cardaction.h"
#include "domain/validation.h"
#include "import/importservice.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "services/simdetailquery.h"
#include "services/simlistquery.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <memory>

using namespace simdesk;
using namespace simdesk::bench;

namespace {

// One change a workstation made (committed): which cards, and when it began (ms since the
// start of the run), for the listeners' check. An import names its batch; its cards are read
// afterwards.
struct Change
{
    qint64 atMs = 0;
    QList<qint64> ids;
    qint64 batchId = 0;
};

struct Outcome
{
    QHash<QString, QList<double>> times; // request kind → ms
    QHash<qint64, int> expectedEvents; // card → events this login wrote, by what it was told
    QList<Change> changes;
    QList<qint64> batches;
    qint64 imported = 0;
    int stale = 0; // refused: the card changed since it was read
    int transition = 0; // refused: the state machine
    int bulkDone = 0;
    int bulkStale = 0;
    int bulkTransition = 0;
    QStringList errors;
    int connectionsOpened = 0;
};

struct Shared
{
    ConnectionSettings settings; // of the server (or the pooler), without the user
    QList<qint64> hot; // cards the single actions go to
    QList<qint64> bulkPool; // ACTIVE or SUSPENDED cards outside `hot`: bulk selections
    QList<qint64> sample; // cards the details are read of
    QStringList iccidPrefixes; // 8 digits
    QStringList msisdnEndings; // last 4 digits
    QStringList customerNos;
    QList<qint64> tariffs;
    int workstations = 1;
    int actions = 100;
    int thinkMs = 300;
    quint32 seed = 1;
    QString importDir;
    QElapsedTimer *clock = nullptr;
};

struct Workstation
{
    int index = 0;
    QString login;
    bool admin = false;
    std::shared_ptr<SessionRegistry> own = std::make_shared<SessionRegistry>();
    std::unique_ptr<ChangeListener> listener;
    // Heard by the listener (GUI thread only).
    QSet<qint64> heard;
    QList<qint64> everythingAtMs;
    qint64 heardSignals = 0;
    Outcome outcome;
};

double sinceMs(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// The steps of one workstation, on its own thread with its own connections.
void runWorkstation(const Shared &shared, Workstation &ws)
{
    Outcome &out = ws.outcome;
    ConnectionSettings settings = shared.settings;
    settings.user = ws.login;
    WorkerConnection listConnection(settings, QStringLiteral("floor-list"), ws.own);
    WorkerConnection workConnection(settings, QStringLiteral("floor-work"), ws.own);
    QRandomGenerator rng(shared.seed * 7919u + quint32(ws.index));
    auto pick = [&](const auto &from) {
        return from.at(qsizetype(rng.bounded(quint32(from.size()))));
    };

    SimListFilter filter;
    SimListSort sort;
    SimListTotal total;
    std::optional<SimListRow> lastRow;
    std::unique_ptr<SimListQuery> list;
    int importNo = 0;

    auto timed = [&](const QString &kind, const auto &call) {
        QElapsedTimer t;
        t.start();
        auto r = call();
        out.times[kind].append(sinceMs(t));
        return r;
    };
    auto noteError = [&](const QString &what, const Error &e, WorkerConnection &c) {
        out.errors << QStringLiteral("%1: %2").arg(what, e.fullMessage());
        c.noteError(e);
    };

    for (int step = 0; step < shared.actions; ++step) {
        // Think time: exponential around the mean, at most five times it.
        const double u = rng.generateDouble();
        const int think = int(std::min(-std::log(1.0 - u) * shared.thinkMs, 5.0 * shared.thinkMs));
        QThread::msleep(quint32(think));

        Result<QSqlDatabase> listDb = listConnection.get();
        Result<QSqlDatabase> workDb = workConnection.get();
        if (!listDb || !workDb) {
            out.errors << QStringLiteral("connect: %1")
                              .arg((!listDb ? listDb.error() : workDb.error()).fullMessage());
            continue;
        }
        if (!list || listConnection.opened() != out.connectionsOpened) {
            list = std::make_unique<SimListQuery>(*listDb);
        }
        out.connectionsOpened = listConnection.opened();

        quint32 kind = rng.bounded(1000u);
        if (ws.admin && step == 1)
            kind = 990; // every admin imports at least once, however short the run
        if (kind >= 980 && !ws.admin)
            kind = 600; // an import is an admin's: a detail instead
        if (kind < 300 || (!lastRow && kind < 440)) {
            // A new filter, search or sort: the first page and the total.
            filter = SimListFilter {};
            switch (rng.bounded(9u)) {
            case 0:
                break;
            case 1:
                filter.statuses = { SimStatus::Active };
                break;
            case 2:
                filter.statuses = { SimStatus::Suspended, SimStatus::LostStolen };
                break;
            case 3:
                filter.search = pick(shared.iccidPrefixes);
                break;
            case 4:
                filter.search = pick(shared.msisdnEndings);
                break;
            case 5:
                filter.search = pick(shared.customerNos);
                break;
            case 6:
                filter.type = SimType::Postpaid;
                break;
            case 7:
                filter.tariffPlanId = pick(shared.tariffs);
                break;
            default:
                filter.changedSince = QDateTime::currentDateTimeUtc().addSecs(-600);
                break;
            }
            static const SimListSortKey keys[] = { SimListSortKey::Id, SimListSortKey::Iccid,
                SimListSortKey::Status, SimListSortKey::UpdatedAt, SimListSortKey::Msisdn };
            sort.key = keys[rng.bounded(5u)];
            sort.order = rng.bounded(2u) ? Qt::AscendingOrder : Qt::DescendingOrder;
            list->refresh();
            Result<SimListPage> page = timed(QStringLiteral("list: first page"),
                [&] { return list->firstPage(filter, sort, 100); });
            Result<SimListTotal> t
                = timed(QStringLiteral("list: total"), [&] { return list->total(filter); });
            if (!page || !t) {
                noteError(
                    QStringLiteral("first page"), !page ? page.error() : t.error(), listConnection);
                list.reset();
                continue;
            }
            total = *t;
            lastRow = page->rows.isEmpty() ? std::nullopt : std::optional(page->rows.last());
        } else if (kind < 440) {
            // Scrolling on.
            Result<SimListPage> page = timed(QStringLiteral("list: next page"), [&] {
                return list->pageAfter(
                    filter, sort, SimListQuery::cursorOf(*lastRow, sort.key), 100);
            });
            if (!page) {
                noteError(QStringLiteral("next page"), page.error(), listConnection);
                list.reset();
                continue;
            }
            lastRow = page->rows.isEmpty() ? std::nullopt : std::optional(page->rows.last());
        } else if (kind < 480) {
            // The scroll bar dragged somewhere, or Ctrl+End.
            const bool end = rng.bounded(3u) == 0;
            Result<SimListPage> page = end
                ? timed(QStringLiteral("list: Ctrl+End"),
                    [&] { return list->lastPage(filter, sort, 100); })
                : timed(QStringLiteral("list: jump"), [&] {
                      return list->rowsAt(filter, sort,
                          qint64(rng.generateDouble() * double(total.count)), 100, total);
                  });
            if (!page) {
                noteError(QStringLiteral("jump"), page.error(), listConnection);
                list.reset();
                continue;
            }
        } else if (kind < 650) {
            // A card opened.
            const qint64 id = rng.bounded(4u) == 0 ? pick(shared.hot) : pick(shared.sample);
            Result<SimDetail> d = timed(
                QStringLiteral("card detail"), [&] { return SimDetailQuery(*workDb).load(id); });
            if (!d && d.error().code != ErrorCode::NotFound)
                noteError(QStringLiteral("detail"), d.error(), workConnection);
        } else if (kind < 930) {
            // One action on a hot card, as the detail page does it: read the card, think, act
            // with the version seen.
            const qint64 id = pick(shared.hot);
            Result<SimDetail> d = timed(
                QStringLiteral("card detail"), [&] { return SimDetailQuery(*workDb).load(id); });
            if (!d) {
                noteError(QStringLiteral("detail"), d.error(), workConnection);
                continue;
            }
            QThread::msleep(rng.bounded(quint32(std::max(1, shared.thinkMs / 3))));
            const bool active = d->card.status == SimStatus::Active;
            // Now and then the button of a status the card no longer has (a stale screen).
            const bool suspend = rng.bounded(10u) == 0 ? !active : active;
            ActionRequest request;
            request.simId = id;
            request.expectedVersion = d->card.version;
            request.reason = QStringLiteral("bench_floor");
            const qint64 at = qint64(sinceMs(*shared.clock));
            const Status s = timed(QStringLiteral("single action"), [&] {
                return LifecycleService(*workDb).perform(
                    suspend ? CardAction::Suspend : CardAction::Resume, request);
            });
            if (s) {
                ++out.expectedEvents[id];
                out.changes.append({ at, { id }, 0 });
            } else if (s.error().code == ErrorCode::StaleVersion) {
                ++out.stale;
            } else if (s.error().code == ErrorCode::TransitionNotAllowed) {
                ++out.transition;
            } else {
                noteError(QStringLiteral("action"), s.error(), workConnection);
            }
        } else if (kind < 980) {
            // A bulk action on the agent's selection (a customer's or a batch's cards: the
            // workstation's own part of the bulk pool) with a few hot cards in it: the preview,
            // then the action.
            QList<qint64> ids;
            QSet<qint64> seen;
            const int n = 20 + int(rng.bounded(130u));
            const qsizetype slice = shared.bulkPool.size() / shared.workstations;
            const qsizetype first = slice * ws.index;
            while (ids.size() < std::min<qsizetype>(n, slice)) {
                const qint64 id = rng.bounded(20u) == 0
                    ? pick(shared.hot)
                    : shared.bulkPool.at(first + qsizetype(rng.bounded(quint32(slice))));
                if (!seen.contains(id)) {
                    seen.insert(id);
                    ids.append(id);
                }
            }
            std::sort(ids.begin(), ids.end());
            const CardAction action = rng.bounded(2u) ? CardAction::Suspend : CardAction::Resume;
            ActionRequest common;
            common.reason = QStringLiteral("bench_floor bulk");
            LifecycleService service(*workDb);
            Result<BulkResult> preview = timed(QStringLiteral("bulk preview"), [&] {
                return service.performMany(
                    action, ids, common, LifecycleService::BulkMode::Preview);
            });
            if (!preview) {
                noteError(QStringLiteral("bulk preview"), preview.error(), workConnection);
                continue;
            }
            const qint64 at = qint64(sinceMs(*shared.clock));
            Result<BulkResult> done = timed(QStringLiteral("bulk action"),
                [&] { return service.performMany(action, ids, common); });
            if (!done) {
                noteError(QStringLiteral("bulk action"), done.error(), workConnection);
                continue;
            }
            Change change { at, {}, 0 };
            for (const BulkOutcome &o : std::as_const(done->outcomes)) {
                if (o.done()) {
                    ++out.expectedEvents[o.simId];
                    change.ids.append(o.simId);
                    ++out.bulkDone;
                } else if (o.kind == BulkOutcomeKind::Stale) {
                    ++out.bulkStale;
                } else if (o.kind == BulkOutcomeKind::Transition) {
                    ++out.bulkTransition;
                } else {
                    out.errors << QStringLiteral("bulk: card %1 %2").arg(o.simId).arg(o.message());
                }
            }
            if (!change.ids.isEmpty())
                out.changes.append(change);
        } else {
            // An import of a small file of new cards.
            const int rows = 50 + int(rng.bounded(200u));
            const QString path = QStringLiteral("%1/ws%2-%3.csv")
                                     .arg(shared.importDir)
                                     .arg(ws.index)
                                     .arg(++importNo);
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly)) {
                out.errors << QStringLiteral("cannot write %1").arg(path);
                continue;
            }
            QByteArray csv = "iccid,type\n";
            for (int r = 0; r < rows; ++r) {
                // Unique across runs on a kept database: the process id, then the workstation.
                const qint64 n = qint64(QCoreApplication::applicationPid() % 900 + 1) * 1000000000
                    + qint64(ws.index) * 10000000 + qint64(importNo) * 1000 + r;
                const QString body = QStringLiteral("894999%1").arg(n, 12, 10, QLatin1Char('0'));
                csv += (body + QString::number(validation::luhnCheckDigit(body))).toLatin1()
                    + ",prepaid\n";
            }
            f.write(csv);
            f.close();
            ImportOptions options;
            options.duplicates = DuplicatePolicy::Error;
            const qint64 at = qint64(sinceMs(*shared.clock));
            const ImportReport report = timed(QStringLiteral("import"),
                [&] { return ImportService(*workDb).commit(path, options); });
            if (report.committed && report.batchId) {
                out.imported += report.created;
                out.batches.append(*report.batchId);
                out.changes.append({ at, {}, *report.batchId });
            } else {
                out.errors << QStringLiteral("import: %1")
                                  .arg(report.refusal ? report.refusal->fullMessage()
                                                      : QStringLiteral("not committed"));
            }
        }
    }
    out.connectionsOpened = listConnection.opened() + workConnection.opened();
    list.reset();
    listConnection.close();
    workConnection.close();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_floor"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("workstations"), QStringLiteral("Workstations."),
        QStringLiteral("n"), QStringLiteral("10") });
    parser.addOption({ QStringLiteral("actions"), QStringLiteral("Steps of each workstation."),
        QStringLiteral("n"), QStringLiteral("100") });
    parser.addOption({ QStringLiteral("think-ms"), QStringLiteral("Mean think time."),
        QStringLiteral("ms"), QStringLiteral("300") });
    parser.addOption({ QStringLiteral("sims"), QStringLiteral("Demo cards (a new database)."),
        QStringLiteral("n"), QStringLiteral("100000") });
    parser.addOption({ QStringLiteral("hot"), QStringLiteral("Cards the actions go to."),
        QStringLiteral("n"), QStringLiteral("0") });
    parser.addOption(
        { QStringLiteral("seed"), QStringLiteral("Seed of the think times and choices."),
            QStringLiteral("n"), QStringLiteral("1") });
    parser.addOption({ QStringLiteral("database"),
        QStringLiteral("Use (and keep) this database of the test cluster; demo data is "
                       "generated when it has no cards."),
        QStringLiteral("name") });
    parser.addOption({ QStringLiteral("pooler"),
        QStringLiteral("Workers' connections through this pooler (socket dir or host, and port)."),
        QStringLiteral("host:port") });
    parser.addOption(
        { QStringLiteral("json"), QStringLiteral("Write results here."), QStringLiteral("file") });
    parser.process(app);
    const int n = parser.value(QStringLiteral("workstations")).toInt();
    const QString database = parser.value(QStringLiteral("database"));

    TestDatabase tdb(QStringLiteral("floor"));
    if (!tdb.isValid())
        fail(tdb.error());
    QSqlDatabase db = migratedDatabase(tdb, database);
    if (column(db, QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM sim_cards LIMIT 1) s"))
            .value(0)
        == QLatin1String("0")) {
        DemoDataOptions demo;
        demo.sims = parser.value(QStringLiteral("sims")).toInt();
        demo.now = DemoDataOptions::fixedNow();
        QElapsedTimer t;
        t.start();
        mustOk(DemoData::generate(db, demo), QStringLiteral("demo data"));
        must(runQuery(db, QStringLiteral("VACUUM ANALYZE")), QStringLiteral("vacuum"));
        std::printf("demo data: %d cards in %.1f s\n", demo.sims, double(t.elapsed()) / 1000);
    }

    Shared shared;
    shared.settings = tdb.settings();
    shared.settings.database = db.databaseName();
    ConnectionSettings direct = shared.settings;
    if (parser.isSet(QStringLiteral("pooler"))) {
        const QString p = parser.value(QStringLiteral("pooler"));
        shared.settings.host = p.section(QLatin1Char(':'), 0, -2);
        shared.settings.port = p.section(QLatin1Char(':'), -1).toInt();
    }
    shared.workstations = n;
    shared.actions = parser.value(QStringLiteral("actions")).toInt();
    shared.thinkMs = parser.value(QStringLiteral("think-ms")).toInt();
    shared.seed = parser.value(QStringLiteral("seed")).toUInt();
    int hot = parser.value(QStringLiteral("hot")).toInt();
    if (hot <= 0)
        hot = std::max(100, n * 20);
    for (const QString &id : column(db,
             QStringLiteral("SELECT id FROM sim_cards WHERE status IN ('ACTIVE', 'SUSPENDED') "
                            "ORDER BY hashint8(id), id LIMIT %1")
                 .arg(hot)))
        shared.hot << id.toLongLong();
    for (const QString &id : column(db,
             QStringLiteral("SELECT id FROM sim_cards WHERE status IN ('ACTIVE', 'SUSPENDED') "
                            "ORDER BY hashint8(id), id OFFSET %1 LIMIT %2")
                 .arg(hot)
                 .arg(n * 300)))
        shared.bulkPool << id.toLongLong();
    for (const QString &id : column(db,
             QStringLiteral("SELECT id FROM sim_cards ORDER BY hashint8(id + 1), id LIMIT 5000")))
        shared.sample << id.toLongLong();
    shared.iccidPrefixes
        = column(db, QStringLiteral("SELECT DISTINCT left(iccid, 8) FROM sim_cards ORDER BY 1"));
    shared.msisdnEndings = column(db,
        QStringLiteral("SELECT right(msisdn, 4) FROM sim_cards WHERE msisdn IS NOT NULL "
                       "ORDER BY hashint8(id), id LIMIT 200"));
    shared.customerNos = column(db,
        QStringLiteral("SELECT customer_no FROM customers ORDER BY hashint8(id), id LIMIT 200"));
    for (const QString &id : column(db, QStringLiteral("SELECT id FROM tariff_plans ORDER BY id")))
        shared.tariffs << id.toLongLong();
    if (shared.hot.size() < 20 || shared.bulkPool.size() < n * 20 || shared.iccidPrefixes.isEmpty()
        || shared.msisdnEndings.isEmpty() || shared.customerNos.isEmpty()
        || shared.tariffs.isEmpty())
        fail(QStringLiteral("the database has too few cards"));
    QTemporaryDir importDir;
    shared.importDir = importDir.path();

    // Where the run starts: every card's status and version, and the last event.
    must(runQuery(db, QStringLiteral("DROP TABLE IF EXISTS bench_floor_start")),
        QStringLiteral("start table"));
    must(runQuery(db,
             QStringLiteral("CREATE UNLOGGED TABLE bench_floor_start AS "
                            "SELECT id, status, version FROM sim_cards")),
        QStringLiteral("start table"));
    must(runQuery(db, QStringLiteral("ALTER TABLE bench_floor_start ADD PRIMARY KEY (id)")),
        QStringLiteral("start table"));
    const qint64 firstEvent
        = column(db, QStringLiteral("SELECT coalesce(max(id), 0) + 1 FROM sim_events"))
              .value(0)
              .toLongLong();

    // The workstations: one login each, floor_w<i> (the same names every run, so that a pooler's
    // list of users can be written ahead: scripts/bench), every tenth an admin (the imports).
    // Logins are cluster-wide: one left by an earlier run is used again.
    std::vector<std::unique_ptr<Workstation>> floor;
    for (int i = 0; i < n; ++i) {
        auto ws = std::make_unique<Workstation>();
        ws->index = i;
        ws->admin = i % 10 == 0;
        ws->login = QStringLiteral("floor_w%1").arg(i);
        const QString role = ws->admin ? QStringLiteral("admin") : QStringLiteral("support");
        if (column(db,
                QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'").arg(ws->login))
                .value(0)
            == QLatin1String("0")) {
            must(
                runQuery(db,
                    QStringLiteral("CREATE ROLE %1 LOGIN IN ROLE simdesk_%2").arg(ws->login, role)),
                QStringLiteral("login"));
        }
        must(runQuery(db,
                 QStringLiteral("INSERT INTO staff (login, email, display_name, role) "
                                "VALUES ($1, $1 || '@example.net', $2, $3) "
                                "ON CONFLICT DO NOTHING"),
                 { ws->login, QStringLiteral("Floor %1").arg(i), role }),
            QStringLiteral("staff"));
        ConnectionSettings listenerSettings = direct;
        listenerSettings.user = ws->login;
        ws->listener = std::make_unique<ChangeListener>(
            listenerSettings, ChangeListener::Options {}, ws->own);
        Workstation *w = ws.get();
        QObject::connect(ws->listener.get(), &ChangeListener::cardsChanged,
            [w, &shared](const QSet<qint64> &ids, bool everything) {
                ++w->heardSignals;
                if (everything)
                    w->everythingAtMs.append(qint64(sinceMs(*shared.clock)));
                w->heard.unite(ids);
            });
        floor.push_back(std::move(ws));
    }

    // Connections in use, sampled from the server every 100 ms.
    int peakConnections = 0;
    int peakOurs = 0;
    QTimer sampler;
    sampler.setInterval(100);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        Result<QueryResult> q = runQuery(db,
            QStringLiteral("SELECT count(*), count(*) FILTER (WHERE datname = current_database()) "
                           "FROM pg_stat_activity WHERE backend_type = 'client backend'"));
        if (!q)
            return;
        QueryResult r = std::move(q).value();
        if (r.next()) {
            peakConnections = std::max(peakConnections, r.value(0).toInt());
            peakOurs = std::max(peakOurs, r.value(1).toInt());
        }
    });
    sampler.start();

    QElapsedTimer clock;
    clock.start();
    shared.clock = &clock;
    for (auto &ws : floor)
        ws->listener->start();
    auto waitUntil = [](const std::function<bool()> &done, int ms) {
        QElapsedTimer t;
        t.start();
        while (!done() && t.elapsed() < ms) {
            QEventLoop loop;
            QTimer::singleShot(20, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return done();
    };
    if (!waitUntil(
            [&] {
                return std::all_of(floor.begin(), floor.end(), [](const auto &ws) {
                    return ws->listener->state() == ChangeListener::State::Live;
                });
            },
            60000))
        fail(QStringLiteral("not every listener went live"));
    const double listenersLiveMs = sinceMs(clock);

    // The run.
    clock.restart();
    std::vector<QThread *> threads;
    for (auto &ws : floor) {
        Workstation *w = ws.get();
        threads.push_back(QThread::create([&shared, w] { runWorkstation(shared, *w); }));
        threads.back()->start();
    }
    waitUntil(
        [&] {
            return std::all_of(
                threads.begin(), threads.end(), [](QThread *t) { return t->isFinished(); });
        },
        24 * 3600 * 1000);
    const double runMs = sinceMs(clock);
    // The last notifications: the coalescing window and a heartbeat's worth.
    waitUntil([] { return false; }, 1500);
    sampler.stop();
    for (QThread *t : threads) {
        t->wait();
        delete t;
    }

    // ---- Numbers.
    QHash<QString, QList<double>> times;
    int stale = 0, transition = 0, bulkDone = 0, bulkStale = 0, bulkTransition = 0;
    qint64 imported = 0, signalsHeard = 0, idsHeard = 0, accepted = 0;
    QStringList errors;
    for (const auto &ws : floor) {
        const Outcome &o = ws->outcome;
        for (auto it = o.times.cbegin(); it != o.times.cend(); ++it)
            times[it.key()] += it.value();
        stale += o.stale;
        transition += o.transition;
        bulkDone += o.bulkDone;
        bulkStale += o.bulkStale;
        bulkTransition += o.bulkTransition;
        imported += o.imported;
        signalsHeard += ws->heardSignals;
        idsHeard += ws->heard.size();
        for (const Change &c : o.changes)
            accepted += c.batchId ? 0 : c.ids.size();
        for (const QString &e : o.errors)
            errors << QStringLiteral("workstation %1: %2").arg(ws->index).arg(e);
    }
    std::printf("%d workstations x %d steps, think time %d ms (mean), %lld hot cards, run %.1f s "
                "(listeners live after %.0f ms)\n\n",
        n, shared.actions, shared.thinkMs, qint64(shared.hot.size()), runMs / 1000,
        listenersLiveMs);
    std::printf("%-20s %8s %9s %9s %9s\n", "request", "count", "p50 ms", "p95 ms", "max ms");
    QJsonArray kinds;
    QStringList names = times.keys();
    names.sort();
    for (const QString &k : std::as_const(names)) {
        const QList<double> &v = times[k];
        const double mx = *std::max_element(v.cbegin(), v.cend());
        std::printf("%-20s %8lld %9.1f %9.1f %9.1f\n", qPrintable(k), qint64(v.size()),
            percentile(v, 0.5), percentile(v, 0.95), mx);
        kinds.append(
            QJsonObject { { QStringLiteral("kind"), k }, { QStringLiteral("count"), int(v.size()) },
                { QStringLiteral("p50"), percentile(v, 0.5) },
                { QStringLiteral("p95"), percentile(v, 0.95) }, { QStringLiteral("max"), mx } });
    }
    std::printf(
        "\nsingle actions refused: %d changed since read (stale), %d by the state machine\n", stale,
        transition);
    std::printf("bulk actions: %d cards done, refused %d stale, %d by the state machine\n",
        bulkDone, bulkStale, bulkTransition);
    std::printf("imported cards: %lld\n", imported);
    std::printf("connections at peak: %d on the server, %d to this database (max_connections %s)\n",
        peakConnections, peakOurs,
        qPrintable(column(db, QStringLiteral("SHOW max_connections")).value(0)));
    std::printf("notifications: %lld signals heard by %d listeners (%.1f/s), %lld card ids; "
                "%lld cards changed by accepted actions (%.1f/s)\n",
        signalsHeard, n, double(signalsHeard) * 1000 / runMs, idsHeard, accepted,
        double(accepted) * 1000 / runMs);

    // ---- Invariants.
    QStringList broken;
    for (const QString &e : std::as_const(errors))
        broken << e;
    // Replay and versions of every card that has events since the start.
    const QString replay = QStringLiteral(R"(
        WITH ev AS (
            SELECT e.sim_id, e.id, e.old_status, e.new_status,
                   lag(e.new_status) OVER w AS prev,
                   row_number() OVER w AS k,
                   count(*) OVER (PARTITION BY e.sim_id) AS n,
                   e.event_type
            FROM sim_events e
            WHERE e.id >= %1 AND e.new_status IS NOT NULL
            WINDOW w AS (PARTITION BY e.sim_id ORDER BY e.id)
        )
        SELECT 'chain', count(*) FROM ev
         LEFT JOIN bench_floor_start s ON s.id = ev.sim_id
         WHERE ev.old_status IS DISTINCT FROM CASE WHEN ev.k = 1 THEN s.status ELSE ev.prev END
           AND ev.event_type <> 'IMPORTED'
        UNION ALL
        SELECT 'end', count(*) FROM ev JOIN sim_cards c ON c.id = ev.sim_id
         WHERE ev.k = ev.n AND c.status IS DISTINCT FROM ev.new_status
        UNION ALL
        SELECT 'untouched', count(*) FROM sim_cards c JOIN bench_floor_start s USING (id)
         WHERE (c.status, c.version) IS DISTINCT FROM (s.status, s.version)
           AND NOT EXISTS (SELECT 1 FROM sim_events e WHERE e.sim_id = c.id AND e.id >= %1)
        UNION ALL
        SELECT 'version', count(*) FROM sim_cards c JOIN bench_floor_start s USING (id)
          JOIN (SELECT sim_id, count(*) AS n FROM sim_events WHERE id >= %1 GROUP BY sim_id) e
            ON e.sim_id = c.id
         WHERE c.version <> s.version + e.n
    )")
                               .arg(firstEvent);
    QueryResult q = must(runQuery(db, replay), QStringLiteral("replay"));
    while (q.next()) {
        if (q.value(1).toLongLong() != 0)
            broken << QStringLiteral("replay: %1 cards or events break '%2'")
                          .arg(q.value(1).toLongLong())
                          .arg(q.value(0).toString());
    }
    // No lost update: each login's events per card are exactly what it was told.
    for (const auto &ws : floor) {
        QHash<qint64, int> written;
        QueryResult e = must(runQuery(db,
                                 QStringLiteral("SELECT sim_id, count(*) FROM sim_events WHERE "
                                                "id >= $1 AND created_by = $2 AND "
                                                "event_type <> 'IMPORTED' GROUP BY sim_id"),
                                 { firstEvent, ws->login }),
            QStringLiteral("events"));
        while (e.next())
            written.insert(e.value(0).toLongLong(), e.value(1).toInt());
        if (written != ws->outcome.expectedEvents) {
            int differ = 0;
            QSet<qint64> all;
            for (auto it = written.cbegin(); it != written.cend(); ++it)
                all.insert(it.key());
            for (auto it = ws->outcome.expectedEvents.cbegin();
                 it != ws->outcome.expectedEvents.cend(); ++it)
                all.insert(it.key());
            for (qint64 id : all)
                differ += written.value(id) != ws->outcome.expectedEvents.value(id) ? 1 : 0;
            broken << QStringLiteral("workstation %1: events of %2 cards differ from the actions "
                                     "it was told were done")
                          .arg(ws->index)
                          .arg(differ);
        }
        const qint64 importedEvents = column(db,
            QStringLiteral("SELECT count(*) FROM sim_events WHERE id >= %1 AND created_by = '%2' "
                           "AND event_type = 'IMPORTED'")
                .arg(firstEvent)
                .arg(ws->login))
                                          .value(0)
                                          .toLongLong();
        if (importedEvents != ws->outcome.imported)
            broken << QStringLiteral("workstation %1: %2 IMPORTED events, %3 cards imported")
                          .arg(ws->index)
                          .arg(importedEvents)
                          .arg(ws->outcome.imported);
    }
    // Every listener heard every change of the others.
    QHash<qint64, QList<qint64>> batchCards;
    int missedChanges = 0;
    for (const auto &ws : floor) {
        for (const auto &other : floor) {
            if (other.get() == ws.get())
                continue;
            for (const Change &c : other->outcome.changes) {
                QList<qint64> ids = c.ids;
                if (c.batchId) {
                    if (!batchCards.contains(c.batchId)) {
                        QList<qint64> cards;
                        for (const QString &id : column(db,
                                 QStringLiteral(
                                     "SELECT id FROM sim_cards WHERE import_batch_id = %1")
                                     .arg(c.batchId)))
                            cards << id.toLongLong();
                        batchCards.insert(c.batchId, cards);
                    }
                    ids = batchCards.value(c.batchId);
                }
                const bool everythingAfter = std::any_of(ws->everythingAtMs.cbegin(),
                    ws->everythingAtMs.cend(), [&](qint64 t) { return t >= c.atMs; });
                if (everythingAfter)
                    continue;
                if (!std::all_of(ids.cbegin(), ids.cend(),
                        [&](qint64 id) { return ws->heard.contains(id); }))
                    ++missedChanges;
            }
        }
    }
    if (missedChanges > 0)
        broken << QStringLiteral("%1 changes were not heard by a listener").arg(missedChanges);
    must(runQuery(db, QStringLiteral("DROP TABLE bench_floor_start")), QStringLiteral("cleanup"));

    if (parser.isSet(QStringLiteral("json"))) {
        QFile out(parser.value(QStringLiteral("json")));
        if (!out.open(QIODevice::WriteOnly))
            fail(QStringLiteral("cannot write %1").arg(out.fileName()));
        out.write(QJsonDocument(
            QJsonObject { { QStringLiteral("workstations"), n },
                { QStringLiteral("steps"), shared.actions },
                { QStringLiteral("thinkMs"), shared.thinkMs },
                { QStringLiteral("runSeconds"), runMs / 1000 }, { QStringLiteral("kinds"), kinds },
                { QStringLiteral("refusedStale"), stale },
                { QStringLiteral("refusedTransition"), transition },
                { QStringLiteral("bulkDone"), bulkDone },
                { QStringLiteral("bulkRefusedStale"), bulkStale },
                { QStringLiteral("bulkRefusedTransition"), bulkTransition },
                { QStringLiteral("imported"), imported },
                { QStringLiteral("peakConnections"), peakConnections },
                { QStringLiteral("peakConnectionsDatabase"), peakOurs },
                { QStringLiteral("notificationSignals"), signalsHeard },
                { QStringLiteral("notificationSignalsPerSecond"),
                    double(signalsHeard) * 1000 / runMs },
                { QStringLiteral("brokenInvariants"), QJsonArray::fromStringList(broken) } })
                      .toJson());
    }
    floor.clear(); // the listeners stop before the database goes
    if (!broken.isEmpty()) {
        std::printf("\nBROKEN (%lld):\n", qint64(broken.size()));
        for (const QString &b : std::as_const(broken).mid(0, 50))
            std::printf("  %s\n", qPrintable(b));
        return 1;
    }
    std::printf("\nevery invariant holds\n");
    return 0;
}
