// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QSignalSpy>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace simdesk;

// Other workstations learn of every card change through NOTIFY sim_changed.
class TestNotifications : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void aCommittedChangeShouldReachAnotherConnection();
    void aRolledBackChangeShouldSendNothing();
    void aBulkInsertShouldSendOneSummary();

private:
    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_listener;
    std::unique_ptr<QSignalSpy> m_spy;
    QString m_support;
};

void TestNotifications::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("notify"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna');"
                 "INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid')")
                             .arg(TestDatabase::iccid(1))),
        QString());
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    // A viewer listens: reading is all a listener needs.
    m_listener
        = m_tdb->connectAs(m_tdb->createLogin(QStringLiteral("viewer"), QStringLiteral("viewer")));
    QVERIFY(m_listener.driver()->subscribeToNotification(QStringLiteral("sim_changed")));
    m_spy = std::make_unique<QSignalSpy>(m_listener.driver(), &QSqlDriver::notification);
}

void TestNotifications::cleanupTestCase()
{
    m_spy.reset();
    m_listener = QSqlDatabase();
    m_tdb.reset();
}

void TestNotifications::aCommittedChangeShouldReachAnotherConnection()
{
    m_spy->clear();
    const qint64 id = m_tdb->scalar(QStringLiteral("SELECT id FROM sim_cards")).toLongLong();
    const Result<SimCard> r = LifecycleService(m_tdb->connectAs(m_support)).reserve(id, 1);
    QVERIFY(r.ok());
    QVERIFY(m_spy->wait(5000));
    QCOMPARE(m_spy->count(), 1);
    QCOMPARE(m_spy->at(0).at(0).toString(), QStringLiteral("sim_changed"));
    QCOMPARE(m_spy->at(0).at(2).toString(), QStringLiteral("%1:RESERVED").arg(id));
}

void TestNotifications::aRolledBackChangeShouldSendNothing()
{
    m_spy->clear();
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "BEGIN; UPDATE sim_cards SET status = 'AVAILABLE', customer_id = NULL; ROLLBACK")),
        QString());
    QVERIFY(!m_spy->wait(1000));
}

void TestNotifications::aBulkInsertShouldSendOneSummary()
{
    m_spy->clear();
    QStringList rows;
    for (int i = 1000; i < 1150; ++i)
        rows << QStringLiteral("('%1', 'prepaid')").arg(TestDatabase::iccid(i));
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type) VALUES ")
                 + rows.join(QLatin1Char(','))),
        QString());
    QVERIFY(m_spy->wait(5000));
    QCOMPARE(m_spy->count(), 1);
    QCOMPARE(m_spy->at(0).at(2).toString(), QStringLiteral("*:150"));
}

QTEST_GUILESS_MAIN(TestNotifications)
#include "tst_notifications.moc"
