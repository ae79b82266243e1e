// SPDX-License-Identifier: MIT
#include "db/changelistener.h"
#include "db/migrator.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace simdesk;
using namespace std::chrono_literals;

namespace {

// What one listener said, in the order it said it.
struct Recorder
{
    explicit Recorder(ChangeListener *listener)
        : changes(listener, &ChangeListener::cardsChanged)
        , lost(listener, &ChangeListener::connectionLost)
        , retries(listener, &ChangeListener::reconnectFailed)
        , reconnected(listener, &ChangeListener::reconnected)
    {
        QObject::connect(listener, &ChangeListener::connectionLost, listener,
            [this](const Error &e) { lostCodes << e.code; });
        QObject::connect(listener, &ChangeListener::stateChanged, listener,
            [this](ChangeListener::State s) { states << s; });
    }

    QSet<qint64> ids(int signal) const { return changes.at(signal).at(0).value<QSet<qint64>>(); }
    bool everything(int signal) const { return changes.at(signal).at(1).toBool(); }

    QSignalSpy changes;
    QSignalSpy lost;
    QSignalSpy retries;
    QSignalSpy reconnected;
    QList<ErrorCode> lostCodes;
    QList<ChangeListener::State> states;
};

} // namespace

// A workstation learns which cards other sessions changed, coalesced, and keeps learning it
// across a lost connection.
class TestChangeListener : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void aCardChangedOnAnotherConnectionShouldArriveWithinASecond();
    void fiftyChangesInOneTransactionShouldArriveAsOneSignal();
    void aBulkChangeOfTwoHundredCardsShouldArriveAsOneEverythingSignal();
    void moreIdsThanTheThresholdShouldBecomeEverything();
    void changedCustomersShouldArriveByKindAndNotAsCards();
    void separateCommitsWithinTheWindowShouldBeCoalesced();
    void aKilledBackendShouldReconnectAndDeliverAgain();
    void aTerminatedSessionShouldBeNoticedBeforeTheNextHeartbeat();
    void aRefusedLoginShouldBeRetriedUntilItWorks();
    void destructionWhileReconnectingShouldNotHang_data();
    void destructionWhileReconnectingShouldNotHang();
    void destructionShouldCloseTheConnection();
    void destructionBeforeStartShouldDoNothing();

private:
    ConnectionSettings settingsFor(const QString &login) const;
    std::unique_ptr<ChangeListener> liveListener(
        const QString &login, const ChangeListener::Options &options = fastOptions());
    static ChangeListener::Options fastOptions();
    QList<qint64> cardIds(int count, int offset = 0);
    int listenerBackends(const QString &login);

    std::unique_ptr<TestDatabase> m_tdb;
    QString m_viewer;
    QString m_support;
};

void TestChangeListener::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("listen"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    QStringList rows;
    for (int i = 1; i <= 300; ++i)
        rows << QStringLiteral("('%1', 'prepaid')").arg(TestDatabase::iccid(i));
    QCOMPARE(
        m_tdb->exec(
            QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna');"
                           "INSERT INTO sim_cards (iccid, sim_type) VALUES ")
            + rows.join(QLatin1Char(','))),
        QString());
    // A viewer listens: reading is all a listener needs.
    m_viewer = m_tdb->createLogin(QStringLiteral("viewer"), QStringLiteral("viewer"));
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    QVERIFY(!m_viewer.isEmpty() && !m_support.isEmpty());
}

void TestChangeListener::cleanupTestCase()
{
    m_tdb.reset();
}

ConnectionSettings TestChangeListener::settingsFor(const QString &login) const
{
    ConnectionSettings s = m_tdb->settings();
    s.user = login;
    return s;
}

ChangeListener::Options TestChangeListener::fastOptions()
{
    ChangeListener::Options o;
    o.heartbeatInterval = 300ms;
    o.initialBackoff = 100ms;
    o.maxBackoff = 800ms;
    return o;
}

std::unique_ptr<ChangeListener> TestChangeListener::liveListener(
    const QString &login, const ChangeListener::Options &options)
{
    auto listener = std::make_unique<ChangeListener>(settingsFor(login), options);
    listener->start();
    [&] {
        QTRY_COMPARE_WITH_TIMEOUT(listener->state(), ChangeListener::State::Live, 10000);
    }();
    if (listener->state() != ChangeListener::State::Live)
        return nullptr;
    return listener;
}

QList<qint64> TestChangeListener::cardIds(int count, int offset)
{
    QList<qint64> ids;
    const QStringList text = m_tdb
                                 ->scalar(QStringLiteral("SELECT string_agg(id::text, ',') FROM "
                                                         "(SELECT id FROM sim_cards ORDER BY id "
                                                         "LIMIT %1 OFFSET %2) t")
                                              .arg(count)
                                              .arg(offset))
                                 .split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &id : text)
        ids << id.toLongLong();
    return ids;
}

int TestChangeListener::listenerBackends(const QString &login)
{
    return m_tdb
        ->scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE usename = '%1' "
                                "AND application_name = 'simdesk-listener'")
                     .arg(login))
        .toInt();
}

void TestChangeListener::aCardChangedOnAnotherConnectionShouldArriveWithinASecond()
{
    // Default timings apart from nothing: what the application uses.
    auto listener = liveListener(m_viewer, ChangeListener::Options());
    QVERIFY(listener);
    Recorder rec(listener.get());
    const qint64 id = cardIds(1).value(0);
    const qint64 customer = m_tdb->scalar(QStringLiteral("SELECT id FROM customers")).toLongLong();

    QElapsedTimer clock;
    clock.start();
    QVERIFY(LifecycleService(m_tdb->connectAs(m_support)).reserve(id, customer).ok());
    const qint64 committed = clock.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(rec.changes.count(), 1, 1000);
    qInfo("change committed after %lld ms, reported after %lld ms", committed, clock.elapsed());
    QCOMPARE(rec.ids(0), QSet<qint64> { id });
    QVERIFY(!rec.everything(0));
}

void TestChangeListener::fiftyChangesInOneTransactionShouldArriveAsOneSignal()
{
    auto listener = liveListener(m_viewer);
    QVERIFY(listener);
    Recorder rec(listener.get());
    const QList<qint64> ids = cardIds(50, 10);
    QStringList sql { QStringLiteral("BEGIN") };
    for (const qint64 id : ids)
        sql << QStringLiteral("UPDATE sim_cards SET imsi = '%1' WHERE id = %2")
                   .arg(262010000000000 + id)
                   .arg(id);
    sql << QStringLiteral("COMMIT");
    QCOMPARE(m_tdb->exec(sql.join(QLatin1Char(';'))), QString());

    QTRY_COMPARE_WITH_TIMEOUT(rec.changes.count(), 1, 5000);
    QTest::qWait(800); // four windows: nothing else follows
    QCOMPARE(rec.changes.count(), 1);
    QCOMPARE(rec.ids(0), QSet<qint64>(ids.begin(), ids.end()));
    QVERIFY(!rec.everything(0));
}

void TestChangeListener::changedCustomersShouldArriveByKindAndNotAsCards()
{
    auto listener = liveListener(m_viewer);
    QVERIFY(listener);
    Recorder rec(listener.get());
    QSignalSpy records(listener.get(), &ChangeListener::recordsChanged);
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES "
                                        "('L-1', 'Lena'), ('L-2', 'Lars')")),
        QString());
    const QSet<qint64> two { m_tdb
                                 ->scalar(QStringLiteral("SELECT id FROM customers WHERE "
                                                         "customer_no = 'L-1'"))
                                 .toLongLong(),
        m_tdb->scalar(QStringLiteral("SELECT id FROM customers WHERE customer_no = 'L-2'"))
            .toLongLong() };
    QTRY_COMPARE_WITH_TIMEOUT(records.count(), 1, 5000);
    QCOMPARE(records.at(0).at(0).toString(), QStringLiteral("customer"));
    QCOMPARE(records.at(0).at(1).value<QSet<qint64>>(), two);
    QVERIFY(!records.at(0).at(2).toBool());
    // A statement over more than 100 customers says "all of them".
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO customers (customer_no, full_name) SELECT "
                                        "'M-' || i, 'Many' FROM generate_series(1, 150) i")),
        QString());
    QTRY_COMPARE_WITH_TIMEOUT(records.count(), 2, 5000);
    QVERIFY(records.at(1).at(2).toBool());
    QTest::qWait(500);
    QCOMPARE(rec.changes.count(), 0); // no card changed
}

void TestChangeListener::aBulkChangeOfTwoHundredCardsShouldArriveAsOneEverythingSignal()
{
    auto listener = liveListener(m_viewer);
    QVERIFY(listener);
    Recorder rec(listener.get());
    QCOMPARE(m_tdb->exec(QStringLiteral("UPDATE sim_cards SET version = version + 1 WHERE id IN "
                                        "(SELECT id FROM sim_cards ORDER BY id LIMIT 200)")),
        QString());

    QTRY_COMPARE_WITH_TIMEOUT(rec.changes.count(), 1, 5000);
    QTest::qWait(800);
    QCOMPARE(rec.changes.count(), 1);
    QVERIFY(rec.everything(0));
}

void TestChangeListener::moreIdsThanTheThresholdShouldBecomeEverything()
{
    ChangeListener::Options options = fastOptions();
    options.everythingThreshold = 20;
    auto listener = liveListener(m_viewer, options);
    QVERIFY(listener);
    Recorder rec(listener.get());
    // One statement of 50 rows: 50 "id:STATUS" payloads (the server summarises only above 100).
    QCOMPARE(m_tdb->exec(QStringLiteral("UPDATE sim_cards SET version = version + 1 WHERE id IN "
                                        "(SELECT id FROM sim_cards ORDER BY id LIMIT 50)")),
        QString());

    QTRY_COMPARE_WITH_TIMEOUT(rec.changes.count(), 1, 5000);
    QTest::qWait(800);
    QCOMPARE(rec.changes.count(), 1);
    QVERIFY(rec.everything(0));
    QVERIFY(rec.ids(0).isEmpty());
}

void TestChangeListener::separateCommitsWithinTheWindowShouldBeCoalesced()
{
    ChangeListener::Options options = fastOptions();
    options.coalesceWindow = 1000ms; // wide enough for ten commits on a busy machine
    auto listener = liveListener(m_viewer, options);
    QVERIFY(listener);
    Recorder rec(listener.get());
    const QList<qint64> ids = cardIds(10, 100);
    for (const qint64 id : ids)
        QCOMPARE(m_tdb->exec(QStringLiteral("UPDATE sim_cards SET version = version + 1 "
                                            "WHERE id = %1")
                                 .arg(id)),
            QString());

    QSet<qint64> seen;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            seen.clear();
            for (int i = 0; i < rec.changes.count(); ++i)
                seen.unite(rec.ids(i));
            return seen.size() == ids.size();
        }(),
        5000);
    QCOMPARE(seen, QSet<qint64>(ids.begin(), ids.end()));
    QVERIFY2(rec.changes.count() <= 2, qPrintable(QString::number(rec.changes.count())));
}

void TestChangeListener::aKilledBackendShouldReconnectAndDeliverAgain()
{
    auto listener = liveListener(m_viewer);
    QVERIFY(listener);
    Recorder rec(listener.get());
    const qint64 pid = listener->backendPid();
    QVERIFY(pid > 0);
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT application_name FROM pg_stat_activity WHERE pid = %1")
                          .arg(pid)),
        QStringLiteral("simdesk-listener"));

    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid)),
        QStringLiteral("true"));
    QTRY_COMPARE_WITH_TIMEOUT(rec.lost.count(), 1, 10000);
    QCOMPARE(rec.lostCodes.value(0), ErrorCode::ConnectionLost);
    QTRY_COMPARE_WITH_TIMEOUT(rec.reconnected.count(), 1, 10000);
    QCOMPARE(listener->state(), ChangeListener::State::Live);
    QCOMPARE(rec.states,
        (QList<ChangeListener::State> {
            ChangeListener::State::Reconnecting, ChangeListener::State::Live }));
    QCOMPARE(rec.lost.count(), 1);
    const qint64 newPid = listener->backendPid();
    QVERIFY(newPid > 0 && newPid != pid);

    // Subscribed again: a change made after the reconnect arrives.
    const qint64 id = cardIds(1, 250).value(0);
    QCOMPARE(
        m_tdb->exec(
            QStringLiteral("UPDATE sim_cards SET version = version + 1 WHERE id = %1").arg(id)),
        QString());
    QTRY_VERIFY_WITH_TIMEOUT(!rec.changes.isEmpty(), 5000);
    QCOMPARE(rec.ids(rec.changes.count() - 1), QSet<qint64> { id });
}

void TestChangeListener::aTerminatedSessionShouldBeNoticedBeforeTheNextHeartbeat()
{
    ChangeListener::Options options = fastOptions();
    options.heartbeatInterval = 60s;
    auto listener = liveListener(m_viewer, options);
    QVERIFY(listener);
    Recorder rec(listener.get());
    QElapsedTimer clock;
    clock.start();
    m_tdb->scalar(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(listener->backendPid()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.lost.count(), 1, 5000);
    qInfo("noticed after %lld ms", clock.elapsed());
    QTRY_COMPARE_WITH_TIMEOUT(rec.reconnected.count(), 1, 5000);
}

void TestChangeListener::aRefusedLoginShouldBeRetriedUntilItWorks()
{
    const QString login = m_tdb->createLogin(QStringLiteral("refused"), QStringLiteral("viewer"));
    auto listener = liveListener(login);
    QVERIFY(listener);
    Recorder rec(listener.get());
    QCOMPARE(m_tdb->exec(QStringLiteral("ALTER ROLE \"%1\" NOLOGIN").arg(login)), QString());
    m_tdb->scalar(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(listener->backendPid()));

    QTRY_COMPARE_WITH_TIMEOUT(rec.lost.count(), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(rec.retries.count() >= 2, 10000);
    QCOMPARE(listener->state(), ChangeListener::State::Reconnecting);
    QCOMPARE(listener->backendPid(), 0);
    QCOMPARE(rec.lost.count(), 1); // one outage, however many attempts fail

    QCOMPARE(m_tdb->exec(QStringLiteral("ALTER ROLE \"%1\" LOGIN").arg(login)), QString());
    QTRY_COMPARE_WITH_TIMEOUT(rec.reconnected.count(), 1, 10000);
    QCOMPARE(listener->state(), ChangeListener::State::Live);
    QVERIFY(listener->backendPid() > 0);
}

void TestChangeListener::destructionWhileReconnectingShouldNotHang_data()
{
    QTest::addColumn<int>("backoffMs");
    QTest::newRow("waiting a minute for the next attempt") << 60000;
    QTest::newRow("attempting every 20 ms") << 20;
}

void TestChangeListener::destructionWhileReconnectingShouldNotHang()
{
    QFETCH(int, backoffMs);
    const QString login
        = m_tdb->createLogin(QStringLiteral("gone%1").arg(backoffMs), QStringLiteral("viewer"));
    ChangeListener::Options options = fastOptions();
    options.initialBackoff = std::chrono::milliseconds(backoffMs);
    options.maxBackoff = options.initialBackoff;
    auto listener = liveListener(login, options);
    QVERIFY(listener);
    Recorder rec(listener.get());
    QCOMPARE(m_tdb->exec(QStringLiteral("ALTER ROLE \"%1\" NOLOGIN").arg(login)), QString());
    m_tdb->scalar(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(listener->backendPid()));
    QTRY_COMPARE_WITH_TIMEOUT(listener->state(), ChangeListener::State::Reconnecting, 10000);
    if (backoffMs < 1000)
        QTRY_VERIFY_WITH_TIMEOUT(rec.retries.count() >= 3, 10000);

    QElapsedTimer clock;
    clock.start();
    listener.reset();
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
}

void TestChangeListener::destructionShouldCloseTheConnection()
{
    const QString login = m_tdb->createLogin(QStringLiteral("closed"), QStringLiteral("viewer"));
    auto listener = liveListener(login);
    QVERIFY(listener);
    QCOMPARE(listenerBackends(login), 1);
    listener.reset();
    QTRY_COMPARE_WITH_TIMEOUT(listenerBackends(login), 0, 5000);
}

void TestChangeListener::destructionBeforeStartShouldDoNothing()
{
    QElapsedTimer clock;
    clock.start();
    {
        ChangeListener listener(settingsFor(m_viewer));
        QCOMPARE(listener.state(), ChangeListener::State::Stopped);
    }
    QVERIFY(clock.elapsed() < 1000);
}

QTEST_GUILESS_MAIN(TestChangeListener)
#include "tst_changelistener.moc"
