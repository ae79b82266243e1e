// SPDX-License-Identifier: MIT
#include "db/changelistener.h"
#include "db/database.h"
#include "db/migrator.h"
#include "localcluster.h"
#include "records/simrepository.h"
#include "services/exportservice.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace simdesk;
using namespace std::chrono_literals;

// docs/server-setup.md, "Failover": a primary and a standby made with pg_basebackup -R
// (scripts/localdb), synchronous replication, and a workstation connected to both with
// target_session_attrs=read-write. The primary crashes (pg_ctl stop -m immediate), the standby
// is promoted, and the desktop session — its change listener and its work connection —
// reconnects to the new primary by itself, with every action committed before the crash there.
class TestFailover : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void readOnlyWorkShouldRunOnTheStandby();
    void theSessionShouldGoOnOnThePromotedStandbyWithEveryCommittedAction();

private:
    static QString run(QSqlDatabase db, const QString &sql);
    QSqlDatabase superuserOn(const LocalCluster &cluster);
    Result<QSqlDatabase> open(const QString &url);
    QString url(const QString &attrs) const;

    QTemporaryDir m_dir;
    std::unique_ptr<LocalCluster> m_primary;
    std::unique_ptr<LocalCluster> m_standby;
    QList<qint64> m_cards;
    qint64 m_customer = 0;
};

QString TestFailover::run(QSqlDatabase db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        return q.lastError().text();
    return q.next() ? q.value(0).toString() : QString();
}

QSqlDatabase TestFailover::superuserOn(const LocalCluster &cluster)
{
    const QString name = Database::uniqueName(QStringLiteral("failover-su"));
    Result<QSqlDatabase> db = Database::open(cluster.superuser(), name);
    return db ? *db : QSqlDatabase();
}

QString TestFailover::url(const QString &attrs) const
{
    return QStringLiteral("postgresql://failover_agent:agent-secret-1@127.0.0.1:%1,127.0.0.1:%2"
                          "/simdesk?target_session_attrs=%3&connect_timeout=2")
        .arg(m_primary->port())
        .arg(m_standby->port())
        .arg(attrs);
}

Result<QSqlDatabase> TestFailover::open(const QString &url)
{
    Result<ConnectionSettings> s = ConnectionSettings::fromUrl(url);
    if (!s)
        return s.error();
    return Database::open(*s, Database::uniqueName(QStringLiteral("failover-session")));
}

void TestFailover::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_primary = std::make_unique<LocalCluster>(m_dir.filePath(QStringLiteral("primary")));
    QCOMPARE(m_primary->start(), QString());
    {
        QSqlDatabase su = superuserOn(*m_primary);
        QVERIFY(su.isOpen());
        QVERIFY(Migrator(su).migrate().ok());
        QCOMPARE(
            run(su,
                QStringLiteral("CREATE ROLE failover_agent LOGIN PASSWORD 'agent-secret-1' IN ROLE "
                               "simdesk_support")),
            QString());
        QCOMPARE(run(su,
                     QStringLiteral("INSERT INTO staff (login, email, display_name, role) VALUES "
                                    "('failover_agent', 'agent@example.net', 'Agent', 'support')")),
            QString());
        m_customer = run(su,
            QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna') "
                           "RETURNING id"))
                         .toLongLong();
        QVERIFY(m_customer > 0);
        SimRepository cards(su);
        for (int i = 1; i <= 4; ++i) {
            NewSimCard card;
            card.iccid = TestDatabase::iccid(i);
            card.type = QStringLiteral("prepaid");
            const Result<SimCard> created = cards.create(card);
            QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().fullMessage()));
            m_cards << created->id;
        }
    }
    m_standby = std::make_unique<LocalCluster>(m_dir.filePath(QStringLiteral("standby")));
    QCOMPARE(m_standby->standbyOf(*m_primary), QString());
    // Synchronous replication: a commit returns once the standby has it, so a crash of the
    // primary loses no committed action (docs/server-setup.md).
    QSqlDatabase su = superuserOn(*m_primary);
    QCOMPARE(
        run(su, QStringLiteral("ALTER SYSTEM SET synchronous_standby_names = '*'")), QString());
    run(su, QStringLiteral("SELECT pg_reload_conf()"));
    QTRY_COMPARE_WITH_TIMEOUT(run(su, QStringLiteral("SELECT sync_state FROM pg_stat_replication")),
        QStringLiteral("sync"), 10000);
}

void TestFailover::cleanupTestCase()
{
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(QLatin1String("failover-")))
            Database::close(name);
    }
    m_standby.reset();
    m_primary.reset();
}

void TestFailover::readOnlyWorkShouldRunOnTheStandby()
{
    // A viewer's lists and exports can go to the standby: target_session_attrs=standby (or
    // prefer-standby, to fall back to the primary).
    Result<QSqlDatabase> db = open(url(QStringLiteral("standby")));
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().fullMessage()));
    QCOMPARE(run(*db, QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("true"));
    QCOMPARE(
        Database::describe(*db).section(QLatin1Char(':'), 1, 1).section(QLatin1Char('/'), 0, 0),
        QString::number(m_standby->port()));
    QTRY_COMPARE_WITH_TIMEOUT(
        run(*db, QStringLiteral("SELECT count(*) FROM sim_cards")), QStringLiteral("4"), 10000);
    QBuffer csv;
    QVERIFY(csv.open(QIODevice::WriteOnly));
    const Result<qint64> exported = ExportService(*db).exportCsv(&csv);
    QVERIFY2(exported.ok(), exported.ok() ? "" : qPrintable(exported.error().fullMessage()));
    QCOMPARE(*exported, 4);
    // Writing there is refused by the server.
    QVERIFY(!LifecycleService(*db).reserve(m_cards.at(0), m_customer).ok());
}

void TestFailover::theSessionShouldGoOnOnThePromotedStandbyWithEveryCommittedAction()
{
    const QString sessionUrl = url(QStringLiteral("read-write"));
    const Result<ConnectionSettings> settings = ConnectionSettings::fromUrl(sessionUrl);
    QVERIFY(settings.ok());

    // The desktop session: its listener (quick to retry here) and its work connection.
    ChangeListener::Options options;
    options.heartbeatInterval = 500ms;
    options.initialBackoff = 200ms;
    options.maxBackoff = 1000ms;
    options.coalesceWindow = 50ms;
    ChangeListener listener(*settings, options);
    QSignalSpy changed(&listener, &ChangeListener::cardsChanged);
    QSignalSpy lost(&listener, &ChangeListener::connectionLost);
    QSignalSpy failedAgain(&listener, &ChangeListener::reconnectFailed);
    QSignalSpy reconnected(&listener, &ChangeListener::reconnected);
    listener.start();
    QTRY_COMPARE_WITH_TIMEOUT(listener.state(), ChangeListener::State::Live, 10000);

    Result<QSqlDatabase> session = open(sessionUrl);
    QVERIFY2(session.ok(), session.ok() ? "" : qPrintable(session.error().fullMessage()));
    QVERIFY(Database::describe(*session).contains(QString::number(m_primary->port())));
    for (int i = 0; i < 2; ++i) {
        const Result<SimCard> r = LifecycleService(*session).reserve(m_cards.at(i), m_customer);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    }
    QVERIFY(changed.wait(5000));

    // The primary crashes.
    QElapsedTimer outage;
    outage.start();
    QCOMPARE(m_primary->localdb({ QStringLiteral("stop"), m_dir.filePath(QStringLiteral("primary")),
                 QStringLiteral("--immediate") }),
        QString());
    const Result<SimCard> during = LifecycleService(*session).release(m_cards.at(0));
    QVERIFY(!during.ok());
    QCOMPARE(during.error().code, ErrorCode::ConnectionLost);
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 10000);
    QCOMPARE(listener.state(), ChangeListener::State::Reconnecting);
    // Only the standby is left, and it takes no writes: nothing to connect to yet.
    const Result<QSqlDatabase> early = open(sessionUrl);
    QVERIFY(!early.ok());
    qInfo().noquote() << "while no server accepts writes:" << early.error().fullMessage();
    QTRY_VERIFY_WITH_TIMEOUT(failedAgain.size() >= 1, 10000);

    // The administrator (or a failover manager) promotes the standby.
    QElapsedTimer sincePromote;
    sincePromote.start();
    QCOMPARE(m_standby->run(QStringLiteral("promote")), QString());
    QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, 15000);
    QCOMPARE(listener.state(), ChangeListener::State::Live);
    qInfo("listener live again %lld ms after the promotion, %lld ms after the crash",
        sincePromote.elapsed(), outage.elapsed());
    QSqlDatabase newPrimary = superuserOn(*m_standby);
    QCOMPARE(run(newPrimary,
                 QStringLiteral("SELECT application_name FROM pg_stat_activity WHERE pid = %1")
                     .arg(listener.backendPid())),
        QStringLiteral("simdesk-listener"));

    // The work connection reconnects the same way, to the new primary.
    Result<QSqlDatabase> again = open(sessionUrl);
    QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().fullMessage()));
    QVERIFY(Database::describe(*again).contains(QString::number(m_standby->port())));
    QCOMPARE(run(*again, QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("false"));

    // Every action committed before the crash is there, with its event.
    SimRepository cards(*again);
    for (int i = 0; i < 2; ++i)
        QCOMPARE(cards.find(m_cards.at(i))->status, SimStatus::Reserved);
    QCOMPARE(run(*again,
                 QStringLiteral("SELECT count(*) FROM sim_events WHERE event_type = 'RESERVED'")),
        QStringLiteral("2"));

    // And work goes on, live: the listener hears the next change.
    changed.clear();
    const Result<SimCard> after = LifecycleService(*again).release(m_cards.at(0));
    QVERIFY2(after.ok(), after.ok() ? "" : qPrintable(after.error().fullMessage()));
    QVERIFY(changed.wait(5000) || !changed.isEmpty());
    QVERIFY(changed.constLast().at(0).value<QSet<qint64>>().contains(m_cards.at(0)));
}

QTEST_GUILESS_MAIN(TestFailover)
#include "tst_failover.moc"
