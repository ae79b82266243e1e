// SPDX-License-Identifier: MIT
#include "db/database.h"
#include "db/migrator.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QAtomicInteger>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>

using namespace simdesk;

// Many workstations acting on the same few cards at once: afterwards every card's status must be
// the replay of its events, and every successful action must be there exactly once.
class TestConcurrency : public QObject
{
    Q_OBJECT

private slots:
    void sixteenWorkstationsOnTheSameCards();
};

namespace {

constexpr int kWorkers = 16;
constexpr int kCards = 24;
// A fixed amount of work, not a time budget: the test asserts what happened, not how fast (the
// throughput of one card is bench_lifecycle's business).
constexpr int kActionsPerWorker = 120;
// Terminations, losses and swaps end a card's working life; a budget keeps most cards in play
// (cycling through reserve/release/activate/suspend/resume) for the whole run.
constexpr int kEndOfLifeBudget = 12;

struct WorkerResult
{
    int succeeded = 0; // actions that committed
    int eventsWritten = 0; // 2 for a swap, 1 otherwise
    int refused = 0; // refused by the rules (expected under contention)
    QStringList unexpected;
};

} // namespace

void TestConcurrency::sixteenWorkstationsOnTheSameCards()
{
    TestDatabase tdb(QStringLiteral("concurrency"));
    REQUIRE_DATABASE(tdb);
    QVERIFY(Migrator(tdb.connect()).migrate().ok());
    QCOMPARE(
        tdb.exec(QStringLiteral(
            "INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna'), ('C-2', 'Ben');"
            "INSERT INTO tariff_plans (code, name) VALUES ('ANY', 'Any card')")),
        QString());
    QList<qint64> cards;
    for (int i = 1; i <= kCards; ++i) {
        QCOMPARE(tdb.exec(QStringLiteral("INSERT INTO sim_cards (iccid, msisdn, sim_type) VALUES "
                                         "('%1', '+4915900%2', 'prepaid')")
                              .arg(TestDatabase::iccid(i))
                              .arg(i, 5, 10, QLatin1Char('0'))),
            QString());
        cards << tdb.scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                                .arg(TestDatabase::iccid(i)))
                     .toLongLong();
    }
    const QString support = tdb.createLogin(QStringLiteral("support"), QStringLiteral("support"));
    ConnectionSettings settings = tdb.settings();
    settings.user = support;
    const qint64 tariff = tdb.scalar(QStringLiteral("SELECT id FROM tariff_plans")).toLongLong();
    const qint64 customers[2]
        = { tdb.scalar(QStringLiteral("SELECT min(id) FROM customers")).toLongLong(),
              tdb.scalar(QStringLiteral("SELECT max(id) FROM customers")).toLongLong() };

    QAtomicInt endOfLife(kEndOfLifeBudget);
    auto worker = [&](int seed) {
        WorkerResult result;
        const QString name = Database::uniqueName(QStringLiteral("worker"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db) {
            result.unexpected << db.error().fullMessage();
            return result;
        }
        LifecycleService life(*db);
        QRandomGenerator rng { quint32(seed) };
        for (int step = 0; step < kActionsPerWorker; ++step) {
            const qint64 card = cards.at(int(rng.bounded(kCards)));
            const int dice = int(rng.bounded(1000));
            const bool ending = dice < 30 && endOfLife.fetchAndSubRelaxed(1) > 0;
            if (ending && dice < 15) {
                const qint64 other = cards.at(int(rng.bounded(kCards)));
                const Result<SwapResult> r = life.swap({ card, other, {}, {},
                    rng.bounded(2) ? SwapOldCardEnd::LostStolen : SwapOldCardEnd::Terminate,
                    QStringLiteral("swap %1").arg(seed) });
                if (r) {
                    ++result.succeeded;
                    result.eventsWritten += 2;
                } else if (r.error().code == ErrorCode::ConcurrentUpdate) {
                    result.unexpected << QStringLiteral("deadlock in swap: ") + r.error().detail;
                } else {
                    ++result.refused;
                }
                continue;
            }
            static constexpr SimAction kEveryDay[] = { SimAction::Reserve, SimAction::Release,
                SimAction::Activate, SimAction::Suspend, SimAction::Resume };
            SimAction action = kEveryDay[rng.bounded(int(std::size(kEveryDay)))];
            if (ending)
                action = dice < 22 ? SimAction::Terminate : SimAction::ReportLostStolen;
            ActionRequest request;
            request.simId = card;
            request.customerId = customers[rng.bounded(2)];
            request.tariffPlanId = tariff;
            request.reason = QStringLiteral("worker %1").arg(seed);
            const Status r = life.perform(cardActionOf(action), request);
            if (r) {
                ++result.succeeded;
                ++result.eventsWritten;
            } else if (r.error().code == ErrorCode::TransitionNotAllowed) {
                ++result.refused;
            } else {
                result.unexpected << r.error().fullMessage();
            }
        }
        return result;
    };

    QThreadPool pool;
    pool.setMaxThreadCount(kWorkers);
    QList<QFuture<WorkerResult>> futures;
    for (int i = 0; i < kWorkers; ++i)
        futures << QtConcurrent::run(&pool, worker, i + 1);
    int succeeded = 0;
    int events = 0;
    int refused = 0;
    for (QFuture<WorkerResult> &f : futures) {
        const WorkerResult r = f.result();
        QVERIFY2(r.unexpected.isEmpty(), qPrintable(r.unexpected.join(QLatin1Char('\n'))));
        succeeded += r.succeeded;
        events += r.eventsWritten;
        refused += r.refused;
    }
    qInfo("%d workers, %d actions each: %d committed, %d refused by the rules", kWorkers,
        kActionsPerWorker, succeeded, refused);
    // Every attempt ended one way or the other (nothing vanished), and contention produced both.
    QCOMPARE(succeeded + refused, kWorkers * kActionsPerWorker);
    QVERIFY(succeeded > 0);
    QVERIFY(refused > 0);

    // Every committed action left exactly its events, and nothing else did.
    QCOMPARE(tdb.scalar(QStringLiteral("SELECT count(*) FROM sim_events")).toInt(), events);

    QSqlQuery q(tdb.connect());
    for (qint64 card : std::as_const(cards)) {
        // Replay: each event starts where the previous one ended (no lost update), and the
        // last one ends where the card is.
        QVERIFY(q.exec(QStringLiteral(
            "SELECT old_status, new_status FROM sim_events WHERE sim_id = %1 ORDER BY id")
                           .arg(card)));
        QString status = QStringLiteral("AVAILABLE");
        int n = 0;
        while (q.next()) {
            ++n;
            QCOMPARE(q.value(0).toString(), status);
            status = q.value(1).toString();
        }
        QVERIFY(q.exec(
            QStringLiteral("SELECT status, version FROM sim_cards WHERE id = %1").arg(card)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), status);
        // One UPDATE per event on this card: the version counted every one of them.
        QCOMPARE(q.value(1).toInt(), 1 + n);
    }
    // No number ended up on two cards, and no terminated card kept one.
    QCOMPARE(
        tdb.scalar(QStringLiteral(
            "SELECT count(*) FROM sim_cards WHERE status = 'TERMINATED' AND msisdn IS NOT NULL")),
        QStringLiteral("0"));
}

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
