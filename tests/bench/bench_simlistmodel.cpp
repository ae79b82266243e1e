// SPDX-License-Identifier: MIT
// The SIM list as the desktop shows it: SimListModel (ui/sims/simlistmodel.h) with its loader
// thread, attached to a QTableView of 1366×768 on the offscreen platform, at a given size (demo
// data, default 1,000,000 cards). Every time runs from the request (setQuery, sort(), a scroll)
// until the rows the view shows are in the model (rowAt() non-null for each of them), waited for
// with an event loop; the view's own painting asks the model for its rows, as in the app.
//   first page, searches, a status filter, a sort change per sortable column, the next block
//   while scrolling: p50/p95 over --runs runs; the scroll bar dragged to 50 % and Ctrl+End;
//   the resident memory (VmRSS) after paging through --scroll-rows rows; a bulk suspend of
//   --bulk ACTIVE cards through LifecycleService::performMany (preview, apply, and the list's
//   refresh afterwards).
// Prints a table, writes JSON with --json FILE. Asserts nothing about time; it fails only when
// the rows never come (--timeout) or the database cannot be set up.
//
//   bench_simlistmodel --sims 1000000             a throwaway database with demo data
//   bench_simlistmodel --database simlist         an existing database of the test cluster
//                                                 (migrated; filled with --sims demo cards when
//                                                 empty; kept afterwards, for repeated runs)
#include "benchsupport.h"
#include "common/statusstyle.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "services/simdetailquery.h"
#include "services/simlistquery.h"
#include "sims/simlistmodel.h"
#include "testdatabase.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QTableView>
#include <QTest>
#include <QTimer>

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
    QList<double> ms; // request → the shown rows in the model
    QList<double> totalMs; // request → the total known (footer), where the request changes it
    QString target;
    QString note;
};

// The view and the model as SimsPage wires them, and waiting for what the view shows.
class Harness
{
public:
    Harness(const ConnectionSettings &settings, int timeoutMs)
        : model(settings)
        , m_timeoutMs(timeoutMs)
    {
        view.setModel(&model);
        view.setItemDelegateForColumn(SimListModel::Status, new StatusBadgeDelegate(&view));
        view.verticalHeader()->setDefaultSectionSize(view.fontMetrics().height() + 10);
        view.horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
        view.setSelectionBehavior(QAbstractItemView::SelectRows);
        view.resize(1366, 768);
        QObject::connect(view.verticalScrollBar(), &QScrollBar::valueChanged, &view, [this] {
            const int first = view.rowAt(0);
            const int last = view.rowAt(view.viewport()->height() - 1);
            model.setVisibleRows(qMax(0, first), last < 0 ? first + 50 : last);
        });
        QObject::connect(
            &model, &SimListModel::totalChanged, &view, [this] { m_totalSeen = true; });
        QObject::connect(&model, &SimListModel::failed, &view,
            [](const Error &e) { fail(QStringLiteral("the model failed: ") + e.fullMessage()); });
        view.show();
        if (!QTest::qWaitForWindowExposed(&view))
            fail(QStringLiteral("the view was never exposed"));
    }

    // The rows the view shows now (first, last), both -1 when none.
    std::pair<int, int> shownRows() const
    {
        const int rows = model.rowCount();
        if (rows == 0)
            return { -1, -1 };
        int first = view.rowAt(0);
        int last = view.rowAt(view.viewport()->height() - 1);
        if (first < 0)
            first = 0;
        if (last < 0)
            last = rows - 1;
        return { first, last };
    }

    bool shownLoaded() const
    {
        const auto [first, last] = shownRows();
        if (first < 0) // nothing to show: done once the total says so
            return m_totalSeen && model.total().exact && model.total().count == 0;
        for (int r = first; r <= last; ++r) {
            if (!model.rowAt(r))
                return false;
        }
        return true;
    }

    // Runs the event loop until `done` holds (checked whenever the model reports); fails the
    // benchmark after the timeout.
    void waitFor(const std::function<bool()> &done, const QString &what)
    {
        // Let the view lay out and paint what the request changed (that is what asks the model
        // for the rows it shows).
        QCoreApplication::processEvents();
        if (done())
            return;
        QEventLoop loop;
        auto check = [&] {
            if (done())
                loop.quit();
        };
        const auto a
            = QObject::connect(&model, &SimListModel::loaded, &loop, check, Qt::QueuedConnection);
        const auto b = QObject::connect(
            &model, &SimListModel::totalChanged, &loop, check, Qt::QueuedConnection);
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, [&] { loop.exit(1); });
        timeout.start(m_timeoutMs);
        const int rc = loop.exec();
        QObject::disconnect(a);
        QObject::disconnect(b);
        if (rc != 0) {
            const auto [first, last] = shownRows();
            fail(QStringLiteral("%1: rows %2–%3 not loaded after %4 ms (%5 rows)")
                     .arg(what)
                     .arg(first)
                     .arg(last)
                     .arg(m_timeoutMs)
                     .arg(model.rowCount()));
        }
    }

    // Times `request` until the shown rows are in the model; with `total`, also until the total
    // of the new query is known (second value, else -1).
    std::pair<double, double> time(
        const std::function<void()> &request, const QString &what, bool total = false)
    {
        m_totalSeen = false;
        QElapsedTimer timer;
        timer.start();
        request();
        waitFor([this] { return shownLoaded(); }, what);
        const double rowsMs = timer.nsecsElapsed() / 1e6;
        double totalMs = -1;
        if (total) {
            waitFor([this] { return m_totalSeen; }, what + QStringLiteral(" (total)"));
            totalMs = timer.nsecsElapsed() / 1e6;
        }
        return { rowsMs, totalMs };
    }

    // Lets the loader finish what is queued, so that one run does not pay for the last.
    void settle()
    {
        QElapsedTimer t;
        t.start();
        while (model.isLoading() && t.elapsed() < 2000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (model.isLoading())
            std::fprintf(stderr, "bench_simlistmodel: the loader still busy after 2 s\n");
        QCoreApplication::processEvents();
    }

    void query(const SimListFilter &filter, const SimListSort &sort = {})
    {
        time([&] { model.setQuery(filter, sort); }, QStringLiteral("setQuery"));
        settle();
    }

    SimListModel model;
    QTableView view;

private:
    int m_timeoutMs;
    bool m_totalSeen = false;
};

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption simsOption(QStringLiteral("sims"), QStringLiteral("SIM cards"),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("runs per kind"),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption scrollOption(QStringLiteral("scroll-rows"),
        QStringLiteral("rows paged through before the memory is read"), QStringLiteral("N"),
        QStringLiteral("100000"));
    const QCommandLineOption bulkOption(QStringLiteral("bulk"),
        QStringLiteral("ACTIVE cards suspended in one bulk call"), QStringLiteral("N"),
        QStringLiteral("10000"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
        QStringLiteral("ms to wait for rows before failing"), QStringLiteral("MS"),
        QStringLiteral("60000"));
    const QCommandLineOption dbOption(QStringLiteral("database"),
        QStringLiteral("use (and keep) this database of the test cluster"), QStringLiteral("NAME"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOptions(
        { simsOption, runsOption, scrollOption, bulkOption, timeoutOption, dbOption, jsonOption });
    parser.process(app);
    const int sims = parser.value(simsOption).toInt();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const int scrollRows = std::max(0, parser.value(scrollOption).toInt());
    const int bulk = std::max(0, parser.value(bulkOption).toInt());
    const int timeoutMs = std::max(1000, parser.value(timeoutOption).toInt());
    const qint64 rssStartKb = procKb(QStringLiteral("/proc/self/status"), "VmRSS");

    TestDatabase tdb(QStringLiteral("bench_simlistmodel"));
    if (!tdb.isValid())
        fail(tdb.error());
    ConnectionSettings settings = tdb.settings();
    if (parser.isSet(dbOption))
        settings.database = parser.value(dbOption);
    QSqlDatabase db = migratedDatabase(tdb, parser.value(dbOption));
    QueryResult have = must(
        runQuery(db, QStringLiteral("SELECT count(*) FROM sim_cards")), QStringLiteral("count"));
    have.next();
    if (have.value(0).toLongLong() == 0) {
        DemoDataOptions options;
        options.sims = sims;
        if (Status s = DemoData::generate(db, options); !s)
            fail(QStringLiteral("demo data: ") + s.error().fullMessage());
        // What autovacuum does soon after a big load: statistics and the visibility map that
        // index-only scans need.
        for (const char *sql : { "VACUUM ANALYZE sim_cards", "ANALYZE customers" })
            must(runQuery(db, QString::fromLatin1(sql)), QStringLiteral("vacuum"));
    }
    const qint64 cards = must(SimListQuery(db).countExactly({}), QStringLiteral("count"));

    // A support login, as the desktop uses it (the model's loader and the bulk action). With
    // --database it is kept for the next run, like the database.
    const QString login = settings.database + QStringLiteral("_support");
    must(runQuery(db,
             QStringLiteral("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1') "
                            "THEN CREATE ROLE \"%1\" LOGIN IN ROLE simdesk_support; END IF; END $$")
                 .arg(login)),
        QStringLiteral("login"));
    must(runQuery(db,
             QStringLiteral("INSERT INTO staff (login, email, display_name, role) VALUES "
                            "($1, $1 || '@example.net', 'Benchmark', 'support') "
                            "ON CONFLICT (login) DO NOTHING"),
             { login }),
        QStringLiteral("staff"));
    ConnectionSettings support = settings;
    support.user = login;

    // Real identifiers to search for, spread over the table.
    const QStringList iccids
        = column(db, QStringLiteral("SELECT iccid FROM sim_cards ORDER BY hashint8(id) LIMIT 400"));
    const QStringList msisdns = column(db,
        QStringLiteral("SELECT msisdn FROM sim_cards WHERE msisdn IS NOT NULL "
                       "ORDER BY hashint8(id) LIMIT 400"));
    if (iccids.isEmpty() || msisdns.isEmpty())
        fail(QStringLiteral("no cards to search for"));
    auto pick = [](const QStringList &l, int i) {
        return l[(i * 37) % l.size()];
    };

    const qint64 rssBeforeViewKb = procKb(QStringLiteral("/proc/self/status"), "VmRSS");
    Harness h(support, timeoutMs);
    QList<Measure> results;
    const QString fast = QStringLiteral("≤ 50");
    const QString jumpTarget = QStringLiteral("≤ 150");

    // One kind of request: a warm-up run, then `runs` timed ones; `prepare` (untimed) puts the
    // list where the request starts from.
    auto measure = [&](const QString &kind, const QString &what, const QString &target,
                       const std::function<void(int)> &prepare,
                       const std::function<void(int)> &request, bool total) {
        Measure m { kind, what, {}, {}, target, {} };
        // The shown rows lie in one block or straddle two (two requests to the loader).
        QList<double> oneBlock;
        QList<double> twoBlocks;
        for (int i = -1; i < runs; ++i) {
            const int run = i < 0 ? runs : i; // the warm-up uses values of its own
            if (prepare)
                prepare(run);
            const auto [rowsMs, totalMs]
                = h.time([&] { request(run); }, kind + QLatin1Char(' ') + what, total);
            if (i >= 0) {
                const auto [first, last] = h.shownRows();
                (first / SimListModel::kBlockSize == last / SimListModel::kBlockSize ? oneBlock
                                                                                     : twoBlocks)
                    << rowsMs;
                m.ms << rowsMs;
                if (totalMs >= 0)
                    m.totalMs << totalMs;
            }
            h.settle();
        }
        if (kind.startsWith(QLatin1String("jump"))) {
            auto part = [](const QString &name, const QList<double> &ms) {
                return QStringLiteral("%1 in %2 runs: p50 %3 max %4")
                    .arg(name)
                    .arg(ms.size())
                    .arg(percentile(ms, 0.5), 0, 'f', 1)
                    .arg(percentile(ms, 1.0), 0, 'f', 1);
            };
            QStringList parts;
            if (!twoBlocks.isEmpty())
                parts << part(QStringLiteral("2 blocks"), twoBlocks);
            if (!twoBlocks.isEmpty() && !oneBlock.isEmpty())
                parts << part(QStringLiteral("1 block"), oneBlock);
            m.note = parts.join(QStringLiteral("; "));
        }
        results << m;
        return m;
    };
    const SimListFilter all;
    const SimListSort byId;

    // 1. The first page of the whole list (opening the page, or clearing the filter).
    measure(
        QStringLiteral("first page"), QStringLiteral("no filter, by id"), fast, nullptr,
        [&](int) { h.model.setQuery(all, byId); }, true);

    // 2. Searches as typed in the search field.
    auto search = [&](const QString &what, const std::function<QString(int)> &text) {
        measure(
            QStringLiteral("search"), what, fast, nullptr,
            [&](int i) {
                SimListFilter f;
                f.search = text(i);
                h.model.setQuery(f, byId);
            },
            true);
    };
    search(
        QStringLiteral("MSISDN last 4 digits"), [&](int i) { return pick(msisdns, i).right(4); });
    search(QStringLiteral("ICCID first 8 digits"), [&](int i) { return pick(iccids, i).left(8); });
    search(QStringLiteral("whole ICCID (scanner)"), [&](int i) { return pick(iccids, i); });

    // 2b. Every batch's 8-digit ICCID prefix in turn (the late batches are the hard ones), a
    // customer number, and a pasted list of 10,000 ICCIDs as the filter (another list each run,
    // as the model keeps a list's matches until it changes).
    const QStringList prefixes
        = column(db, QStringLiteral("SELECT DISTINCT left(iccid, 8) FROM sim_cards ORDER BY 1"));
    search(QStringLiteral("ICCID first 8 digits, each prefix in turn"),
        [&](int i) { return prefixes.at(i % prefixes.size()); });
    const QStringList customerNos = column(
        db, QStringLiteral("SELECT customer_no FROM customers ORDER BY hashint8(id) LIMIT 400"));
    if (!customerNos.isEmpty())
        search(QStringLiteral("customer number"), [&](int i) { return pick(customerNos, i); });
    const QStringList pasteSource = column(db,
        QStringLiteral("SELECT iccid FROM sim_cards ORDER BY hashint8(id + 7) LIMIT %1")
            .arg(10000 + 500 * (runs + 1)));
    if (pasteSource.size() >= 10000) {
        measure(
            QStringLiteral("pasted list"), QStringLiteral("10,000 ICCIDs as the filter, by id"),
            fast, nullptr,
            [&](int i) {
                SimListFilter f;
                const int from = std::min<int>(500 * i, int(pasteSource.size()) - 10000);
                f.identifiers = pasteSource.mid(from, 10000);
                h.model.setQuery(f, byId);
            },
            true);
    }

    // 2c. One card's detail with its history, as the detail page reads it (SimDetailQuery on
    // the window's worker connection), cards spread over the table.
    {
        const QString name = Database::uniqueName(QStringLiteral("bench-detail"));
        QSqlDatabase detailDb = must(Database::open(support, name), QStringLiteral("connect"));
        const QStringList cardIds = column(
            db, QStringLiteral("SELECT id FROM sim_cards ORDER BY hashint8(id + 3) LIMIT 200"));
        Measure m { QStringLiteral("card detail"), QStringLiteral("with history (SimDetailQuery)"),
            {}, {}, QStringLiteral("≤ 20"), {} };
        for (int i = -1; i < runs && !cardIds.isEmpty(); ++i) {
            const qint64 id = pick(cardIds, i + 1).toLongLong();
            QElapsedTimer t;
            t.start();
            must(SimDetailQuery(detailDb).load(id), QStringLiteral("detail"));
            if (i >= 0)
                m.ms << double(t.nsecsElapsed()) / 1e6;
        }
        results << m;
    }

    // 3. Status filter changes (several statuses at once too), the sort kept.
    const QList<QList<SimStatus>> statusSets { { SimStatus::Active }, { SimStatus::Suspended },
        { SimStatus::Available, SimStatus::Reserved }, { SimStatus::LostStolen },
        { SimStatus::Suspended, SimStatus::LostStolen }, { SimStatus::Terminated },
        { SimStatus::Reserved } };
    measure(
        QStringLiteral("filter change"), QStringLiteral("status (7 sets, by id)"), fast, nullptr,
        [&](int i) {
            SimListFilter f;
            f.statuses = statusSets[i % statusSets.size()];
            h.model.setQuery(f, byId);
        },
        true);
    measure(
        QStringLiteral("filter change"), QStringLiteral("status (7 sets, by ICCID)"), fast, nullptr,
        [&](int i) {
            SimListFilter f;
            f.statuses = statusSets[i % statusSets.size()];
            h.model.setQuery(f, { SimListSortKey::Iccid, Qt::AscendingOrder });
        },
        true);

    // 4. Sort changes through the view (a header click), each sortable column, both orders.
    for (int c = 0; c < SimListModel::ColumnCount; ++c) {
        if (!SimListModel::sortKeyOf(c))
            continue;
        const QString name = h.model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
        measure(
            QStringLiteral("sort change"), name + QStringLiteral(" asc/desc, no filter"), fast,
            nullptr,
            [&](int) {
                // The other order than the list has now: always a change.
                const bool ascNow = h.model.sort().key == *SimListModel::sortKeyOf(c)
                    && h.model.sort().order == Qt::AscendingOrder;
                h.view.sortByColumn(c, ascNow ? Qt::DescendingOrder : Qt::AscendingOrder);
            },
            true);
    }

    // 5. Scrolling down block after block (the scroll bar moved by 100 rows each time): each
    // step needs the next block, reached by keyset from the one before.
    auto scrollOn = [&](const QString &what, const SimListSort &sort) {
        measure(
            QStringLiteral("next page"), what, fast,
            [&](int i) {
                if (i == 0 || i == runs)
                    h.query(all, sort);
            },
            [&](int) {
                QScrollBar *bar = h.view.verticalScrollBar();
                bar->setValue(bar->value() + SimListModel::kBlockSize);
            },
            false);
    };
    scrollOn(QStringLiteral("scroll bar +100 rows, by id"), byId);
    scrollOn(QStringLiteral("scroll bar +100 rows, by ICCID"),
        { SimListSortKey::Iccid, Qt::AscendingOrder });
    scrollOn(QStringLiteral("scroll bar +100 rows, by MSISDN"),
        { SimListSortKey::Msisdn, Qt::AscendingOrder });
    scrollOn(QStringLiteral("scroll bar +100 rows, by status"),
        { SimListSortKey::Status, Qt::AscendingOrder });
    scrollOn(QStringLiteral("scroll bar +100 rows, by updated"),
        { SimListSortKey::UpdatedAt, Qt::DescendingOrder });

    // 6. Jumps: the scroll bar dragged to 50 % (a little further each run, so that no run finds
    // the last one's rows), and Ctrl+End; each from a freshly opened list.
    auto jump = [&](const QString &what, const SimListFilter &f, const SimListSort &sort,
                    bool end) {
        measure(
            end ? QStringLiteral("jump to end") : QStringLiteral("jump to middle"), what,
            jumpTarget,
            [&](int) {
                h.query(f, sort);
                // The user has clicked a row (Ctrl+End moves the current row).
                h.view.setCurrentIndex(h.model.index(0, 0));
            },
            [&](int i) {
                if (end) {
                    h.view.setFocus();
                    QTest::keyClick(&h.view, Qt::Key_End, Qt::ControlModifier);
                } else {
                    QScrollBar *bar = h.view.verticalScrollBar();
                    bar->setValue(bar->maximum() / 2 + i * 997);
                }
            },
            false);
        if (end && h.view.verticalScrollBar()->value() != h.view.verticalScrollBar()->maximum())
            results.last().note = QStringLiteral("not at the end!");
    };
    SimListFilter active;
    active.statuses = { SimStatus::Active };
    const QList<std::pair<QString, SimListSort>> sorts { { QStringLiteral("id"), byId },
        { QStringLiteral("ICCID"), { SimListSortKey::Iccid, Qt::AscendingOrder } },
        { QStringLiteral("MSISDN"), { SimListSortKey::Msisdn, Qt::AscendingOrder } },
        { QStringLiteral("status"), { SimListSortKey::Status, Qt::AscendingOrder } },
        { QStringLiteral("updated desc"), { SimListSortKey::UpdatedAt, Qt::DescendingOrder } } };
    for (const auto &[name, sort] : sorts)
        jump(QStringLiteral("scroll bar to 50 %, no filter, by ") + name, all, sort, false);
    jump(QStringLiteral("scroll bar to 50 %, ACTIVE, by id"), active, byId, false);
    jump(QStringLiteral("scroll bar to 50 %, ACTIVE, by ICCID"), active, sorts[1].second, false);
    for (const auto &[name, sort] : sorts)
        jump(QStringLiteral("Ctrl+End, no filter, by ") + name, all, sort, true);
    jump(QStringLiteral("Ctrl+End, ACTIVE, by ICCID"), active, sorts[1].second, true);

    // 7. Memory: page through `scrollRows` rows from the top (a screen at a time, each screen
    // waited for), then read VmRSS.
    h.query(all, byId);
    const qint64 rssListKb = procKb(QStringLiteral("/proc/self/status"), "VmRSS");
    QList<double> pageMs;
    double scrollSeconds = 0;
    {
        QScrollBar *bar = h.view.verticalScrollBar();
        const int screen = std::max(1, bar->pageStep());
        QElapsedTimer whole;
        whole.start();
        while (bar->value() + screen < scrollRows && bar->value() < bar->maximum()) {
            const auto [ms, unused] = h.time(
                [&] { bar->setValue(bar->value() + screen); }, QStringLiteral("paging through"));
            Q_UNUSED(unused);
            pageMs << ms;
        }
        scrollSeconds = whole.nsecsElapsed() / 1e9;
        h.settle();
    }
    const qint64 rssScrolledKb = procKb(QStringLiteral("/proc/self/status"), "VmRSS");
    const qint64 hwmKb = procKb(QStringLiteral("/proc/self/status"), "VmHWM");
    const int lastShown = h.shownRows().second;
    {
        Measure m { QStringLiteral("paging"),
            QStringLiteral("a screen at a time to row %1").arg(lastShown + 1), pageMs, {}, fast,
            QStringLiteral("%1 screens in %2 s").arg(pageMs.size()).arg(scrollSeconds, 0, 'f', 1) };
        results << m;
    }

    // 8. A bulk suspend of `bulk` ACTIVE cards spread over the table, as the bulk dialog does
    // it: the preview, then the action; then the open list's refresh (what the change listener
    // triggers) until the shown rows are loaded again.
    double previewS = -1, applyS = -1, refreshMs = -1;
    qint64 bulkDone = 0;
    if (bulk > 0) {
        QList<qint64> ids;
        for (const QString &id : column(db,
                 QStringLiteral("SELECT id FROM sim_cards WHERE status = 'ACTIVE' "
                                "ORDER BY hashint8(id) LIMIT %1")
                     .arg(bulk)))
            ids << id.toLongLong();
        if (ids.size() < bulk)
            fail(QStringLiteral("only %1 ACTIVE cards; give more --sims").arg(ids.size()));
        const QString name = Database::uniqueName(QStringLiteral("bench-bulk"));
        LifecycleService lifecycle(must(Database::open(support, name), QStringLiteral("connect")));
        ActionRequest common;
        common.reason = QStringLiteral("benchmark");
        QElapsedTimer t;
        t.start();
        const BulkResult preview = must(lifecycle.performMany(CardAction::Suspend, ids, common,
                                            LifecycleService::BulkMode::Preview),
            QStringLiteral("bulk preview"));
        previewS = t.nsecsElapsed() / 1e9;
        t.restart();
        const BulkResult done = must(lifecycle.performMany(CardAction::Suspend, ids, common),
            QStringLiteral("bulk suspend"));
        applyS = t.nsecsElapsed() / 1e9;
        bulkDone = done.done;
        if (preview.done != bulk || done.done != bulk)
            fail(QStringLiteral("bulk suspend: %1 of %2 done (preview %3)")
                     .arg(done.done)
                     .arg(bulk)
                     .arg(preview.done));
        // The shown rows stay on screen (stale) until their new rows arrive, so "loaded" here
        // is: every request of the refresh answered.
        QElapsedTimer r;
        r.start();
        h.model.refresh(QSet<qint64>(ids.cbegin(), ids.cend()));
        h.waitFor([&] { return !h.model.isLoading(); }, QStringLiteral("refresh"));
        refreshMs = r.nsecsElapsed() / 1e6;
        h.settle();
    }

    // The table.
    const QLocale c = QLocale::c();
    std::printf("SIM list through SimListModel + QTableView 1366x768 at %lld cards, %d runs each "
                "(ms from request to the shown rows in the model; total: to the total known)\n",
        cards, runs);
    std::printf("%-14s %-50s %8s %8s %8s %9s %9s %7s  %s\n", "kind", "what", "p50", "p95", "max",
        "total p50", "total p95", "target", "note");
    QJsonArray rows;
    for (const Measure &m : results) {
        const double p50 = percentile(m.ms, 0.5);
        const double p95 = percentile(m.ms, 0.95);
        const double mx = percentile(m.ms, 1.0);
        const double t50 = percentile(m.totalMs, 0.5);
        const double t95 = percentile(m.totalMs, 0.95);
        const QString total50
            = m.totalMs.isEmpty() ? QStringLiteral("—") : QString::number(t50, 'f', 1);
        const QString total95
            = m.totalMs.isEmpty() ? QStringLiteral("—") : QString::number(t95, 'f', 1);
        std::printf("%-14s %-50s %8.1f %8.1f %8.1f %9s %9s %7s  %s\n", qPrintable(m.kind),
            qPrintable(m.what), p50, p95, mx, qPrintable(total50), qPrintable(total95),
            qPrintable(m.target), qPrintable(m.note));
        QJsonObject o { { QStringLiteral("kind"), m.kind }, { QStringLiteral("what"), m.what },
            { QStringLiteral("runs"), m.ms.size() }, { QStringLiteral("p50_ms"), p50 },
            { QStringLiteral("p95_ms"), p95 }, { QStringLiteral("max_ms"), mx },
            { QStringLiteral("target"), m.target }, { QStringLiteral("note"), m.note } };
        if (!m.totalMs.isEmpty()) {
            o.insert(QStringLiteral("total_p50_ms"), t50);
            o.insert(QStringLiteral("total_p95_ms"), t95);
        }
        rows.append(o);
    }
    std::printf("\n%-58s %12s %8s\n", "measure", "value", "target");
    std::printf("%-58s %12s %8s\n", "VmRSS at start (MB)",
        qPrintable(c.toString(rssStartKb / 1024.0, 'f', 1)), "");
    std::printf("%-58s %12s %8s\n", "VmRSS before the view (database set up) (MB)",
        qPrintable(c.toString(rssBeforeViewKb / 1024.0, 'f', 1)), "");
    std::printf("%-58s %12s %8s\n", "VmRSS after the runs, list reopened (MB)",
        qPrintable(c.toString(rssListKb / 1024.0, 'f', 1)), "");
    std::printf("%-58s %12s %8s\n",
        qPrintable(QStringLiteral("VmRSS after paging through %1 rows (MB)").arg(lastShown + 1)),
        qPrintable(c.toString(rssScrolledKb / 1024.0, 'f', 1)), "≤ 150");
    std::printf(
        "%-58s %12s %8s\n", "VmHWM, peak (MB)", qPrintable(c.toString(hwmKb / 1024.0, 'f', 1)), "");
    if (bulk > 0) {
        std::printf(
            "%-58s %12d %8s\n", "bulk suspend: ACTIVE cards in one performMany call", bulk, "");
        std::printf("%-58s %12.3f %8s\n", "    preview (s)", previewS, "");
        std::printf("%-58s %12.3f %8s\n", "    apply (s)", applyS, "");
        std::printf(
            "%-58s %12.1f %8s\n", "    list refresh afterwards, shown rows (ms)", refreshMs, "");
    }

    if (parser.isSet(jsonOption)) {
        const QJsonObject json { { QStringLiteral("benchmark"), QStringLiteral("simlistmodel") },
            { QStringLiteral("sims"), cards }, { QStringLiteral("runs"), runs },
            { QStringLiteral("view"), QStringLiteral("1366x768") },
            { QStringLiteral("results"), rows },
            { QStringLiteral("memory"),
                QJsonObject { { QStringLiteral("rss_start_kb"), rssStartKb },
                    { QStringLiteral("rss_before_view_kb"), rssBeforeViewKb },
                    { QStringLiteral("rss_list_kb"), rssListKb },
                    { QStringLiteral("scrolled_rows"), lastShown + 1 },
                    { QStringLiteral("rss_after_scroll_kb"), rssScrolledKb },
                    { QStringLiteral("hwm_kb"), hwmKb } } },
            { QStringLiteral("bulk"),
                QJsonObject { { QStringLiteral("cards"), bulk },
                    { QStringLiteral("done"), bulkDone }, { QStringLiteral("preview_s"), previewS },
                    { QStringLiteral("apply_s"), applyS },
                    { QStringLiteral("refresh_ms"), refreshMs } } } };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            fail(QStringLiteral("cannot write %1").arg(f.fileName()));
    }
    return 0;
}
