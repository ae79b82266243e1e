// SPDX-License-Identifier: MIT
#include "db/database.h"
#include "db/migrator.h"
#include "pgsession.h"
#include "services/lifecycleservice.h"
#include "services/serversetup.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QSqlQuery>
#include <QThread>
#include <QtConcurrent>

#include <map>
#include <memory>

using namespace simdesk;

// A hostile staff member, second round (tst_hostile is the first): viewer, support and admin
// logins with psql over TCP, two or more sessions at once, old transactions, snapshots and
// rollbacks, against what only the database can hold: secrets that tell nothing, the moment of
// an act, history in one order, locks nobody can hold against others, rollups that add up, and
// sources, reasons, numbers and swaps that keep their rules. Where a wait on main would hang
// forever, the waiting session has a statement_timeout, so that the test fails instead.
class TestInsider : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void settingSecretsShouldTellNothingAboutTheSecretsItReplaces();
    void anActShouldBeTimedWhenItHappensNotWhenItsTransactionBegan();
    void anExpiredActivationCodeShouldBeRefusedHoweverOldTheTransaction();
    void aRevealShouldNotBeReadAfterItsMinuteFromAnOlderTransaction();
    void aRevealShouldNotReturnSecretsChangedAfterItsRequest();
    void aRevealShouldRecordTheStatusTheCardHasNow();
    void aRevealInAnOutdatedSnapshotShouldBeRefused();
    void advisoryKeysShouldNotBlockStaffImportsOrCompaction();
    void noRoleShouldLockATableOthersRead();
    void aCallWithImpossibleVersionsOrActionsShouldHoldNoLocks();
    void idleTransactionsLockWaitsAndStatementsShouldBeBoundedByTheDatabase();
    void aLockWaitShouldBeReportedAsAnotherSessionHoldingTheRecord();
    void onlyAdminsShouldCompactAndCompactionShouldExcludeTheRebuild();
    void callersShouldNotClaimTheSourcesOfSimDesksOwnPaths();
    void reasonsShouldBeTrimmedOfEveryUnicodeSpaceAndBounded();
    void customerNumbersShouldNotCollidePastSixDigits();
    void aCardShouldBeSwappedOutOnlyOnce();
    void importProfilesShouldNotMapSecretColumnsToVisibleFields();
    void staffLoginsShouldHaveAConnectionLimit();
    void theServerSetUpShouldTakeLargeObjectsFromEveryLogin();
    void everyCardShouldBeTheReplayOfItsEventsInIdAndInTimeOrder();
    void theRevertsMarkerShouldNotLetAUsedCardGo();

private:
    PgSession &as(const QString &who);
    std::unique_ptr<PgSession> fresh(const QString &who);
    PgOutcome su(const QString &sql);
    QString suValue(const QString &sql);
    qint64 suCount(const QString &sql) { return suValue(sql).toLongLong(); }
    // A new card (PIN 1234, PUK 12345678), ACTIVE for CUST on PLAN unless `active` is false.
    qint64 newCard(bool active = true);
    QString version(qint64 card);
    QString act(qint64 card, const QString &action, const QString &versionSql,
        const QString &reason = QStringLiteral("'insider test'"));
    QString statusOf(qint64 card)
    {
        return suValue(QStringLiteral("SELECT status FROM sim_cards WHERE id = %1").arg(card));
    }
    // The new_status of the card's last event that names one, by id.
    QString replayed(qint64 card)
    {
        return suValue(QStringLiteral("SELECT new_status FROM sim_events WHERE sim_id = %1 AND "
                                      "new_status IS NOT NULL ORDER BY id DESC LIMIT 1")
                           .arg(card));
    }
    ConnectionSettings settingsOf(const QString &who) const;

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<PgSession> m_su;
    std::map<QString, std::unique_ptr<PgSession>> m_sessions;
    QMap<QString, QString> m_login;
    QMap<QString, QByteArray> m_password;
    qint64 m_customer = 0;
    qint64 m_plan = 0;
    int m_cards = 0;
};

void TestInsider::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("insider"));
    REQUIRE_DATABASE(*m_tdb);
    {
        const Result<QList<int>> r = Migrator(m_tdb->connect()).migrate();
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    }
    m_su = pgSuperuser(*m_tdb);
    QVERIFY2(m_su->isOpen(), qPrintable(m_su->error()));
    su(QStringLiteral("SET client_min_messages = warning"));
    for (const auto &[who, group] :
        QList<std::pair<QString, QString>> { { QStringLiteral("viewer"), QStringLiteral("viewer") },
            { QStringLiteral("viewer2"), QStringLiteral("viewer") },
            { QStringLiteral("support"), QStringLiteral("support") },
            { QStringLiteral("support2"), QStringLiteral("support") },
            { QStringLiteral("admin"), QStringLiteral("admin") } }) {
        m_login[who] = m_tdb->name() + QLatin1Char('_') + who;
        m_password[who] = QStringLiteral("insider-%1-password").arg(who).toUtf8();
        QVERIFY(pgCreateLogin(*m_su, m_login[who], m_password[who], group));
        QVERIFY2(as(who).isOpen(), qPrintable(as(who).error()));
    }
    PgOutcome o = as(QStringLiteral("admin"))
                      .exec(QStringLiteral("INSERT INTO tariff_plans (code, name, sim_type) VALUES "
                                           "('I-PRE', 'Insider prepaid', "
                                           "'prepaid') RETURNING id"));
    SUCCEEDS(o, "admin creates a plan");
    m_plan = o.value().toLongLong();
    o = as(QStringLiteral("support"))
            .exec(QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES ('I-1', "
                                 "'Ida') RETURNING id"));
    SUCCEEDS(o, "support creates a customer");
    m_customer = o.value().toLongLong();
}

void TestInsider::cleanupTestCase()
{
    m_sessions.clear();
    m_su.reset();
    m_tdb.reset();
}

PgSession &TestInsider::as(const QString &who)
{
    std::unique_ptr<PgSession> &s = m_sessions[who];
    if (!s || !s->isOpen())
        s = fresh(who);
    return *s;
}

std::unique_ptr<PgSession> TestInsider::fresh(const QString &who)
{
    return pgConnectTcp(*m_tdb, m_login.value(who), m_password.value(who));
}

PgOutcome TestInsider::su(const QString &sql)
{
    return m_su->exec(sql);
}

QString TestInsider::suValue(const QString &sql)
{
    const PgOutcome o = su(sql);
    if (!o.ok)
        qWarning("superuser check failed: %s\n  %s", qPrintable(sql), qPrintable(o.describe()));
    return o.value();
}

qint64 TestInsider::newCard(bool active)
{
    const QString iccid = TestDatabase::iccid(1000 + ++m_cards);
    const PgOutcome created
        = as(QStringLiteral("admin"))
              .exec(QStringLiteral("SELECT simdesk_sim_create('%1', NULL, NULL, 'prepaid', '1234', "
                                   "'12345678', 'cli')")
                        .arg(iccid));
    if (!created.ok) {
        qWarning("newCard: %s", qPrintable(created.describe()));
        return 0;
    }
    const qint64 id = created.value().toLongLong();
    if (active) {
        const PgOutcome activated
            = as(QStringLiteral("support"))
                  .exec(QStringLiteral(
                      "SELECT simdesk_sim_act(%1, 'activate', NULL, %2, %3, NULL, NULL, 'cli')")
                            .arg(id)
                            .arg(m_customer)
                            .arg(m_plan));
        if (!activated.ok)
            qWarning("newCard: %s", qPrintable(activated.describe()));
    }
    return id;
}

QString TestInsider::version(qint64 card)
{
    return suValue(QStringLiteral("SELECT version FROM sim_cards WHERE id = %1").arg(card));
}

QString TestInsider::act(
    qint64 card, const QString &action, const QString &versionSql, const QString &reason)
{
    return QStringLiteral("SELECT simdesk_sim_act(%1, '%2', %3, NULL, NULL, NULL, %4, 'cli')")
        .arg(QString::number(card), action, versionSql, reason);
}

ConnectionSettings TestInsider::settingsOf(const QString &who) const
{
    ConnectionSettings s;
    s.host = QStringLiteral("127.0.0.1");
    s.port = m_tdb->settings().port;
    s.database = m_tdb->name();
    s.user = m_login.value(who);
    s.password = QString::fromUtf8(m_password.value(who));
    s.options = QStringLiteral("sslmode=disable");
    return s;
}

// ---------------------------------------------------------------------------------------------
// Secrets: an admin guessing a PIN in a transaction it rolls back learns nothing from the
// SECRETS_CHANGED event (it said whether the new PIN equalled the old one).

void TestInsider::settingSecretsShouldTellNothingAboutTheSecretsItReplaces()
{
    const qint64 card = newCard();
    PgSession &admin = as(QStringLiteral("admin"));
    SUCCEEDS(admin.exec(QStringLiteral("BEGIN")), "BEGIN");
    QStringList details;
    for (const char *guess : { "1234", "9999", "1234" }) {
        SUCCEEDS(admin.exec(QStringLiteral("SAVEPOINT guess")), "SAVEPOINT");
        SUCCEEDS(admin.exec(
                     QStringLiteral("SELECT simdesk_set_secrets(%1, '%2', '12345678', 'guessing')")
                         .arg(card)
                         .arg(QLatin1String(guess))),
            "admin sets a guessed PIN");
        const PgOutcome o = admin.exec(QStringLiteral(
            "SELECT coalesce(details::text, '') || '|' || coalesce(note, '') FROM sim_events "
            "WHERE sim_id = %1 ORDER BY id DESC LIMIT 1")
                                           .arg(card));
        SUCCEEDS(o, "admin reads the event");
        details << o.value();
        SUCCEEDS(admin.exec(QStringLiteral("ROLLBACK TO SAVEPOINT guess")), "ROLLBACK TO");
    }
    admin.rollback();
    QCOMPARE(details.value(0), details.value(1));
    QCOMPARE(details.value(1), details.value(2));
    QCOMPARE(suCount(QStringLiteral("SELECT count(*) FROM sim_events WHERE sim_id = %1 AND "
                                    "event_type = 'SECRETS_CHANGED'")
                         .arg(card)),
        0);
}

// ---------------------------------------------------------------------------------------------
// Time.

void TestInsider::anActShouldBeTimedWhenItHappensNotWhenItsTransactionBegan()
{
    const qint64 card = newCard();
    // B opens its transaction first and acts last, after A's committed change.
    std::unique_ptr<PgSession> a = fresh(QStringLiteral("support"));
    std::unique_ptr<PgSession> b = fresh(QStringLiteral("support2"));
    SUCCEEDS(b->exec(QStringLiteral("BEGIN; SELECT 1")), "B begins");
    QThread::msleep(300);
    SUCCEEDS(a->exec(act(card, QStringLiteral("suspend"), version(card))), "A suspends");
    SUCCEEDS(b->exec(act(card, QStringLiteral("resume"), version(card))), "B resumes");
    SUCCEEDS(b->exec(QStringLiteral("COMMIT")), "B commits");
    // The same card's events in id order and in time order: the same order.
    const QString byId = suValue(QStringLiteral(
        "SELECT string_agg(event_type, ',' ORDER BY id) FROM sim_events WHERE sim_id = %1")
                                     .arg(card));
    const QString byTime = suValue(QStringLiteral("SELECT string_agg(event_type, ',' ORDER BY "
                                                  "created_at, id) FROM sim_events WHERE sim_id = "
                                                  "%1")
                                       .arg(card));
    QCOMPARE(byTime, byId);
    QVERIFY2(byId.endsWith(QLatin1String("SUSPENDED,RESUMED")), qPrintable(byId));
    QCOMPARE(replayed(card), statusOf(card));
}

void TestInsider::anExpiredActivationCodeShouldBeRefusedHoweverOldTheTransaction()
{
    const qint64 card = newCard(false);
    SUCCEEDS(
        as(QStringLiteral("admin"))
            .exec(QStringLiteral("INSERT INTO activation_codes (code, expires_at) VALUES "
                                 "('INSIDER-EXP-1', clock_timestamp() + interval '1 second')")),
        "admin creates a code that expires in a second");
    std::unique_ptr<PgSession> s = fresh(QStringLiteral("support"));
    SUCCEEDS(s->exec(QStringLiteral("BEGIN; SELECT 1")), "support begins while the code is valid");
    QThread::msleep(1500);
    const PgOutcome o = s->exec(
        QStringLiteral("SELECT simdesk_sim_act(%1, 'activate', NULL, %2, %3, 'INSIDER-EXP-1', "
                       "NULL, 'cli')")
            .arg(card)
            .arg(m_customer)
            .arg(m_plan));
    s->exec(QStringLiteral("COMMIT"));
    REFUSED(o, "activation with a code that expired after the transaction began");
    QCOMPARE(o.sqlState, QStringLiteral("SD013"));
    QCOMPARE(statusOf(card), QStringLiteral("AVAILABLE"));
    // Closing it by hand as used is refused the same way.
    s->exec(QStringLiteral("BEGIN; SELECT 1"));
    const PgOutcome closed
        = s->exec(QStringLiteral("SELECT simdesk_close_code('INSIDER-EXP-1', 'USED')"));
    s->rollback();
    REFUSED(closed, "closing an expired code as used");
}

void TestInsider::aRevealShouldNotBeReadAfterItsMinuteFromAnOlderTransaction()
{
    const qint64 card = newCard();
    PgSession &support = as(QStringLiteral("support"));
    const PgOutcome token = support.exec(
        QStringLiteral("SELECT simdesk_request_reveal(%1, 'window', 'cli')").arg(card));
    SUCCEEDS(token, "support requests a reveal");
    // The request is 59.3 s old: the minute ends while the reading transactions are open.
    SUCCEEDS(su(QStringLiteral("UPDATE secret_reveals SET requested_at = clock_timestamp() - "
                               "interval '59.3 seconds' WHERE token = '%1'")
                     .arg(token.value())),
        "age the request");
    std::unique_ptr<PgSession> r1 = fresh(QStringLiteral("support"));
    std::unique_ptr<PgSession> r2 = fresh(QStringLiteral("support"));
    SUCCEEDS(r1->exec(QStringLiteral("BEGIN; SELECT 1")), "first reader begins in the minute");
    SUCCEEDS(r2->exec(QStringLiteral("BEGIN; SELECT 1")), "second reader begins in the minute");
    QThread::msleep(1200);
    const QString read
        = QStringLiteral("SELECT * FROM simdesk_read_revealed('%1')").arg(token.value());
    const PgOutcome first = r1->exec(read);
    r1->exec(QStringLiteral("ROLLBACK"));
    const PgOutcome second = r2->exec(read);
    r2->exec(QStringLiteral("COMMIT"));
    REFUSED(first, "a read after the minute, in a transaction begun within it");
    REFUSED(second, "another read after the minute, in a transaction begun within it");
    QCOMPARE(first.sqlState, QStringLiteral("SD030"));
}

void TestInsider::aRevealShouldNotReturnSecretsChangedAfterItsRequest()
{
    const qint64 card = newCard();
    PgSession &support = as(QStringLiteral("support"));
    const PgOutcome token = support.exec(
        QStringLiteral("SELECT simdesk_request_reveal(%1, 'before', 'cli')").arg(card));
    SUCCEEDS(token, "support requests a reveal");
    SUCCEEDS(as(QStringLiteral("admin"))
                 .exec(QStringLiteral("SELECT simdesk_set_secrets(%1, '5678', '87654321', "
                                      "'new card profile')")
                           .arg(card)),
        "admin changes PIN and PUK after the request");
    const PgOutcome read
        = support.exec(QStringLiteral("SELECT pin || '/' || puk FROM simdesk_read_revealed('%1')")
                           .arg(token.value()));
    REFUSED(read, "reading secrets that are newer than the request's record");
    QCOMPARE(read.sqlState, QStringLiteral("SD030"));
    // A new request reads them, under a record written after them.
    const PgOutcome again = support.exec(
        QStringLiteral("SELECT simdesk_request_reveal(%1, 'after', 'cli')").arg(card));
    SUCCEEDS(again, "a new request");
    const PgOutcome now
        = support.exec(QStringLiteral("SELECT pin || '/' || puk FROM simdesk_read_revealed('%1')")
                           .arg(again.value()));
    SUCCEEDS(now, "the new request's read");
    QCOMPARE(now.value(), QStringLiteral("5678/87654321"));
}

// ---------------------------------------------------------------------------------------------
// A function that records a status records the card's status as it is.

void TestInsider::aRevealShouldRecordTheStatusTheCardHasNow()
{
    const qint64 card = newCard();
    std::unique_ptr<PgSession> a = fresh(QStringLiteral("support"));
    std::unique_ptr<PgSession> b = fresh(QStringLiteral("support2"));
    SUCCEEDS(b->exec(QStringLiteral("BEGIN; SELECT 1")), "B begins first");
    SUCCEEDS(b->exec(QStringLiteral("SET LOCAL statement_timeout = '10s'")), "B's bound");
    SUCCEEDS(a->exec(QStringLiteral("BEGIN")), "A begins");
    SUCCEEDS(a->exec(act(card, QStringLiteral("suspend"), version(card))), "A suspends, open");
    QVERIFY(b->send(
        QStringLiteral("SELECT simdesk_request_reveal(%1, 'during a change', 'cli')").arg(card)));
    QThread::msleep(300);
    qInfo("B's reveal waits for A's change: %s", b->busy() ? "yes" : "no");
    SUCCEEDS(a->exec(QStringLiteral("COMMIT")), "A commits");
    SUCCEEDS(b->collect(), "B's reveal request");
    SUCCEEDS(b->exec(QStringLiteral("COMMIT")), "B commits");
    QCOMPARE(statusOf(card), QStringLiteral("SUSPENDED"));
    QCOMPARE(suValue(QStringLiteral("SELECT old_status || '>' || new_status FROM sim_events WHERE "
                                    "sim_id = %1 AND event_type = 'SECRET_REVEALED'")
                         .arg(card)),
        QStringLiteral("SUSPENDED>SUSPENDED"));
    QCOMPARE(replayed(card), QStringLiteral("SUSPENDED"));
    const QString byTime = suValue(QStringLiteral("SELECT string_agg(event_type, ',' ORDER BY "
                                                  "created_at, id) FROM sim_events WHERE sim_id = "
                                                  "%1")
                                       .arg(card));
    QVERIFY2(byTime.endsWith(QLatin1String("SUSPENDED,SECRET_REVEALED")), qPrintable(byTime));
}

void TestInsider::aRevealInAnOutdatedSnapshotShouldBeRefused()
{
    const qint64 card = newCard();
    std::unique_ptr<PgSession> a = fresh(QStringLiteral("support"));
    SUCCEEDS(a->exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM "
                                    "sim_cards")),
        "A takes its snapshot");
    SUCCEEDS(
        as(QStringLiteral("support2")).exec(act(card, QStringLiteral("suspend"), version(card))),
        "B suspends the card");
    const PgOutcome reveal = a->exec(
        QStringLiteral("SELECT simdesk_request_reveal(%1, 'old snapshot', 'cli')").arg(card));
    a->exec(QStringLiteral("COMMIT"));
    if (reveal.ok) // recorded: then as the card is
        QCOMPARE(suValue(QStringLiteral("SELECT new_status FROM sim_events WHERE sim_id = %1 AND "
                                        "event_type = 'SECRET_REVEALED'")
                             .arg(card)),
            QStringLiteral("SUSPENDED"));
    else
        QCOMPARE(reveal.sqlState, QStringLiteral("40001"));
    QCOMPARE(replayed(card), statusOf(card));
}

// ---------------------------------------------------------------------------------------------
// Locks.

void TestInsider::advisoryKeysShouldNotBlockStaffImportsOrCompaction()
{
    const QString checksum = QStringLiteral("cd").repeated(32);
    PgSession &viewer = as(QStringLiteral("viewer"));
    for (const QString &key :
        { QStringLiteral("simdesk-staff"), QStringLiteral("simdesk-import:") + checksum,
            QStringLiteral("simdesk-stats-compact") })
        SUCCEEDS(viewer.exec(
                     QStringLiteral("SELECT pg_advisory_lock(hashtextextended('%1', 0))").arg(key)),
            "a viewer takes the advisory key " + key);
    std::unique_ptr<PgSession> admin = fresh(QStringLiteral("admin"));
    SUCCEEDS(admin->exec(QStringLiteral("SET statement_timeout = '5s'")), "admin's bound");
    SUCCEEDS(admin->exec(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'support')")
                             .arg(m_login["viewer2"])),
        "admin changes a role while the viewer holds the old staff key");
    SUCCEEDS(admin->exec(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'viewer')")
                             .arg(m_login["viewer2"])),
        "and back");
    SUCCEEDS(admin->exec(QStringLiteral(
                 "SELECT simdesk_import_commit('insider.csv', '%1', 'csv', 1, false, ARRAY['%2'], "
                 "ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY['prepaid'], "
                 "ARRAY[NULL]::text[], ARRAY[NULL]::text[])")
                             .arg(checksum, TestDatabase::iccid(1900))),
        "admin imports the file whose old key the viewer holds");
    newCard(); // rollup deltas to fold
    const PgOutcome compacted = admin->exec(QStringLiteral("SELECT simdesk_stats_compact(0)"));
    SUCCEEDS(compacted, "admin compacts while the viewer holds the old compaction key");
    QVERIFY2(compacted.value().toLongLong() > 0, qPrintable(compacted.describe()));
    viewer.exec(QStringLiteral("SELECT pg_advisory_unlock_all()"));
}

void TestInsider::noRoleShouldLockATableOthersRead()
{
    const QList<std::pair<QString, QString>> attempts { { QStringLiteral("support"),
                                                            QStringLiteral("customers") },
        { QStringLiteral("admin"), QStringLiteral("tariff_plans") },
        { QStringLiteral("admin"), QStringLiteral("activation_codes") },
        { QStringLiteral("admin"), QStringLiteral("import_profiles") } };
    for (const auto &[who, table] : attempts) {
        std::unique_ptr<PgSession> locker = fresh(who);
        SUCCEEDS(locker->exec(QStringLiteral("BEGIN")), "BEGIN");
        const PgOutcome lock
            = locker->exec(QStringLiteral("LOCK TABLE %1 IN ACCESS EXCLUSIVE MODE").arg(table));
        // Whatever it got, a viewer still reads the table and a reserve still goes through.
        std::unique_ptr<PgSession> reader = fresh(QStringLiteral("viewer"));
        SUCCEEDS(reader->exec(QStringLiteral("SET statement_timeout = '3s'")), "reader's bound");
        const PgOutcome read = reader->exec(QStringLiteral("SELECT count(*) FROM %1").arg(table));
        locker->rollback();
        REFUSED(lock, who + " locks " + table);
        QCOMPARE(lock.sqlState, QStringLiteral("42501"));
        SUCCEEDS(read, "a viewer reads " + table + " meanwhile");
        REFUSED(locker->exec(QStringLiteral("DELETE FROM %1 WHERE false").arg(table)),
            who + " deletes from " + table);
    }
}

void TestInsider::aCallWithImpossibleVersionsOrActionsShouldHoldNoLocks()
{
    const qint64 first = newCard();
    const qint64 second = newCard();
    const QString ids = QStringLiteral("ARRAY[%1, %2]::bigint[]").arg(first).arg(second);
    std::unique_ptr<PgSession> hog = fresh(QStringLiteral("support"));
    std::unique_ptr<PgSession> other = fresh(QStringLiteral("support2"));
    SUCCEEDS(other->exec(QStringLiteral("SET statement_timeout = '3s'")), "other's bound");
    const QStringList hogging {
        // Versions no card has.
        QStringLiteral("SELECT * FROM simdesk_sim_apply(%1, 'suspend', ARRAY[-1, -1], NULL, NULL, "
                       "NULL, 'hold', 'bulk')")
            .arg(ids),
        // The right versions, an action their status does not allow.
        QStringLiteral("SELECT * FROM simdesk_sim_apply(%1, 'resume', ARRAY[%2, %3], NULL, NULL, "
                       "NULL, 'hold', 'bulk')")
            .arg(ids, version(first), version(second)),
        // A requirement that is missing (no tariff of that id's type is the point: a refusal).
        QStringLiteral("SELECT * FROM simdesk_sim_apply(%1, 'activate', NULL, %2, NULL, "
                       "'NO-SUCH-CODE-1', NULL, 'bulk')")
            .arg(QStringLiteral("ARRAY[%1]::bigint[]").arg(first))
            .arg(m_customer),
    };
    for (const QString &sql : hogging) {
        SUCCEEDS(hog->exec(QStringLiteral("BEGIN")), "BEGIN");
        const PgOutcome refused = hog->exec(sql);
        for (const QStringList &row : refused.rows)
            QVERIFY2(row.value(1) != QLatin1String("done"), qPrintable(sql));
        // The refused cards are free: another session changes them at once.
        const PgOutcome meanwhile
            = other->exec(act(first, QStringLiteral("suspend"), version(first)));
        const PgOutcome back = other->exec(act(first, QStringLiteral("resume"), version(first)));
        hog->rollback();
        SUCCEEDS(meanwhile, "suspending a card another session named with: " + sql);
        SUCCEEDS(back, "and resuming it");
    }
}

void TestInsider::idleTransactionsLockWaitsAndStatementsShouldBeBoundedByTheDatabase()
{
    // A login's psql, which sets nothing of its own.
    std::unique_ptr<PgSession> s = fresh(QStringLiteral("viewer"));
    const PgOutcome o = s->exec(
        QStringLiteral("SELECT current_setting('idle_in_transaction_session_timeout'), "
                       "current_setting('lock_timeout'), current_setting('statement_timeout')"));
    SUCCEEDS(o, "settings");
    QCOMPARE(o.rows.value(0), (QStringList { "2min", "1min", "10min" }));
    // A transaction left idle is ended by the server (here with the bound lowered, as any
    // session may: the database's default only bounds the sessions that do not).
    SUCCEEDS(s->exec(QStringLiteral("SET idle_in_transaction_session_timeout = '500ms'; BEGIN; "
                                    "SELECT 1")),
        "idle transaction");
    QThread::msleep(1500);
    REFUSED(s->exec(QStringLiteral("SELECT 1")), "the session of an idle transaction");
}

void TestInsider::aLockWaitShouldBeReportedAsAnotherSessionHoldingTheRecord()
{
    const qint64 card = newCard();
    const int expected = version(card).toInt();
    // SimDesk's own connections wait five seconds for a lock, not the database's minute.
    {
        const QString name = Database::uniqueName(QStringLiteral("insider-client"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settingsOf(QStringLiteral("support")), name);
        QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().fullMessage()));
        QSqlQuery q(*db);
        QVERIFY(q.exec(QStringLiteral("SHOW lock_timeout")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("5s"));
        // …and compile no statement (connectionsettings.h: JIT only cost time at 10M cards).
        QVERIFY(q.exec(QStringLiteral("SHOW jit")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("off"));
    }
    std::unique_ptr<PgSession> holder = fresh(QStringLiteral("support2"));
    SUCCEEDS(
        holder->exec(QStringLiteral("BEGIN; SELECT 1 FROM simdesk_sim_apply(ARRAY[%1]::bigint[], "
                                    "'change_tariff', NULL, NULL, %2, NULL, NULL, 'cli')")
                         .arg(card)
                         .arg(m_plan)),
        "another session changes the card and keeps its transaction open");
    const ConnectionSettings settings = settingsOf(QStringLiteral("support"));
    QElapsedTimer timer;
    timer.start();
    // The action runs on a thread of its own with its own connection, as SimDesk's workers do,
    // so that this thread can end the other session's transaction if the action never returns.
    QFuture<QStringList> result = QtConcurrent::run([settings, card, expected]() {
        const QString name = Database::uniqueName(QStringLiteral("insider-worker"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db)
            return QStringList { db.error().key(), db.error().fullMessage() };
        Result<SimCard> done
            = LifecycleService(*db).suspend(card, QStringLiteral("waits"), expected);
        if (done)
            return QStringList { QStringLiteral("done"), QString() };
        return QStringList { done.error().key(), done.error().message() };
    });
    while (!result.isFinished() && timer.elapsed() < 15000)
        QThread::msleep(50);
    const qint64 waited = timer.elapsed();
    holder->rollback();
    result.waitForFinished();
    const QStringList outcome = result.result();
    QCOMPARE(outcome.value(0), Error(ErrorCode::RecordLocked).key());
    QVERIFY2(waited >= 4000 && waited < 12000, qPrintable(QString::number(waited)));
    QVERIFY2(
        outcome.value(1).contains(QLatin1String("Another session")), qPrintable(outcome.value(1)));
    QCOMPARE(statusOf(card), QStringLiteral("ACTIVE"));
}

// ---------------------------------------------------------------------------------------------
// Rollups.

void TestInsider::onlyAdminsShouldCompactAndCompactionShouldExcludeTheRebuild()
{
    const auto deltas = [this] {
        return suCount(
            QStringLiteral("SELECT count(*) FROM stats_card_counts WHERE NOT compacted"));
    };
    const auto countsAddUp = [this] {
        return suValue(QStringLiteral(
            "SELECT (SELECT coalesce(sum(n), 0) FROM stats_card_counts) = (SELECT count(*) FROM "
            "sim_cards) AND NOT EXISTS (SELECT status FROM sim_cards GROUP BY status HAVING "
            "count(*) <> (SELECT coalesce(sum(n), 0) FROM stats_card_counts s WHERE s.status = "
            "sim_cards.status))"));
    };
    newCard();
    QVERIFY(deltas() > 0);
    const qint64 before = deltas();
    for (const QString &who : { QStringLiteral("viewer"), QStringLiteral("support") }) {
        const PgOutcome o = as(who).exec(QStringLiteral("SELECT simdesk_stats_compact(0)"));
        SUCCEEDS(o, who + " asks for a compaction");
        QCOMPARE(o.value(), QStringLiteral("0"));
        QCOMPARE(deltas(), before);
    }
    // An admin's compaction left open, the owner's rebuild, then the compaction's commit.
    std::unique_ptr<PgSession> admin = fresh(QStringLiteral("admin"));
    std::unique_ptr<PgSession> owner = pgSuperuser(*m_tdb);
    SUCCEEDS(admin->exec(QStringLiteral("BEGIN")), "BEGIN");
    const PgOutcome compacted = admin->exec(QStringLiteral("SELECT simdesk_stats_compact(0)"));
    SUCCEEDS(compacted, "admin compacts, open");
    QVERIFY(owner->send(
        QStringLiteral("SET statement_timeout = '20s'; SELECT simdesk_stats_rebuild()")));
    QThread::msleep(300);
    qInfo("the rebuild waits for the open compaction: %s", owner->busy() ? "yes" : "no");
    SUCCEEDS(admin->exec(QStringLiteral("COMMIT")), "the compaction commits");
    SUCCEEDS(owner->collect(), "the rebuild");
    QCOMPARE(countsAddUp(), QStringLiteral("t"));
    // A compaction during the rebuild skips rather than waits or interleaves.
    newCard();
    SUCCEEDS(owner->exec(QStringLiteral("BEGIN; SELECT simdesk_stats_rebuild()")), "rebuild, open");
    SUCCEEDS(admin->exec(QStringLiteral("SET statement_timeout = '3s'")), "admin's bound");
    const PgOutcome skipped = admin->exec(QStringLiteral("SELECT simdesk_stats_compact(0)"));
    SUCCEEDS(owner->exec(QStringLiteral("COMMIT")), "the rebuild commits");
    SUCCEEDS(skipped, "a compaction during the rebuild");
    QCOMPARE(skipped.value(), QStringLiteral("0"));
    QCOMPARE(countsAddUp(), QStringLiteral("t"));
}

// ---------------------------------------------------------------------------------------------

void TestInsider::callersShouldNotClaimTheSourcesOfSimDesksOwnPaths()
{
    const qint64 card = newCard();
    for (const QString &source : { QStringLiteral("import"), QStringLiteral("system") }) {
        REFUSED(as(QStringLiteral("support"))
                    .exec(QStringLiteral("SELECT simdesk_sim_act(%1, 'suspend', NULL, NULL, NULL, "
                                         "NULL, 'claim', '%2')")
                              .arg(card)
                              .arg(source)),
            "support claims the source " + source);
        REFUSED(as(QStringLiteral("support"))
                    .exec(QStringLiteral("SELECT simdesk_request_reveal(%1, 'claim', '%2')")
                              .arg(card)
                              .arg(source)),
            "support claims the source " + source + " for a reveal");
        REFUSED(as(QStringLiteral("admin"))
                    .exec(QStringLiteral("SELECT simdesk_sim_create('%1', NULL, NULL, 'prepaid', "
                                         "NULL, NULL, '%2')")
                              .arg(TestDatabase::iccid(1950), source)),
            "admin claims the source " + source + " for a new card");
    }
    QCOMPARE(suCount(QStringLiteral("SELECT count(*) FROM sim_events WHERE source IN ('import', "
                                    "'system') AND event_type NOT IN ('IMPORTED', "
                                    "'IMPORT_REVERTED', 'SECRETS_CHANGED', 'DELETED')")),
        0);
    // What remains the caller's word.
    for (const QString &source :
        { QStringLiteral("desktop"), QStringLiteral("cli"), QStringLiteral("bulk") })
        SUCCEEDS(as(QStringLiteral("support"))
                     .exec(QStringLiteral("SELECT simdesk_request_reveal(%1, 'claim', '%2')")
                               .arg(card)
                               .arg(source)),
            "support gives the source " + source);
}

void TestInsider::reasonsShouldBeTrimmedOfEveryUnicodeSpaceAndBounded()
{
    const qint64 card = newCard();
    PgSession &support = as(QStringLiteral("support"));
    for (const char *blank : { "E'\\t'", "E'\\n'", "E'\\r\\n'", "E'\\u00A0'", "E'\\u200B'",
             "E'\\u3000 \\t\\u2028'", "E'\\uFEFF'" }) {
        for (const QString &sql : { QStringLiteral("SELECT simdesk_request_reveal(%1, %2, 'cli')"),
                 QStringLiteral("SELECT simdesk_sim_act(%1, 'suspend', NULL, NULL, NULL, NULL, %2, "
                                "'cli')") }) {
            const PgOutcome o = support.exec(sql.arg(card).arg(QLatin1String(blank)));
            REFUSED(o, sql.arg(card).arg(QLatin1String(blank)));
            QCOMPARE(o.sqlState, QStringLiteral("SD008"));
        }
        REFUSED(as(QStringLiteral("admin"))
                    .exec(QStringLiteral("SELECT simdesk_set_secrets(%1, '1234', '12345678', %2)")
                              .arg(card)
                              .arg(QLatin1String(blank))),
            "set_secrets with a blank reason");
    }
    const PgOutcome tooLong = support.exec(
        QStringLiteral("SELECT simdesk_request_reveal(%1, repeat('x', 501), 'cli')").arg(card));
    REFUSED(tooLong, "a reason of 501 characters");
    QCOMPARE(tooLong.sqlState, QStringLiteral("SD019"));
    const PgOutcome huge = support.exec(
        QStringLiteral("SELECT simdesk_request_reveal(%1, repeat('y', 16 * 1024 * 1024), 'cli')")
            .arg(card));
    QCOMPARE(huge.sqlState, QStringLiteral("SD019"));
    SUCCEEDS(
        support.exec(
            QStringLiteral("SELECT simdesk_request_reveal(%1, repeat('x', 500), 'cli')").arg(card)),
        "a reason of 500 characters");
    SUCCEEDS(support.exec(
                 QStringLiteral("SELECT simdesk_request_reveal(%1, E'\\u00A0\\t customer called "
                                "\\u200B\\n', 'cli')")
                     .arg(card)),
        "a reason with spaces around it");
    QCOMPARE(
        suValue(QStringLiteral("SELECT note FROM sim_events WHERE sim_id = %1 ORDER BY id DESC "
                               "LIMIT 1")
                    .arg(card)),
        QStringLiteral("customer called"));
}

void TestInsider::customerNumbersShouldNotCollidePastSixDigits()
{
    PgSession &support = as(QStringLiteral("support"));
    REFUSED(support.exec(QStringLiteral("SELECT nextval('customer_no_seq')")),
        "support advances the customer number sequence");
    // As if the numbers had run up to a million, and someone had typed C-100000 by hand.
    SUCCEEDS(su(QStringLiteral("SELECT setval('customer_no_seq', 999998)")), "setval");
    SUCCEEDS(support.exec(QStringLiteral(
                 "INSERT INTO customers (customer_no, full_name) VALUES ('C-100000', 'Typed')")),
        "a number typed by hand");
    SUCCEEDS(
        support.exec(QStringLiteral(
            "INSERT INTO customers (customer_no, full_name) VALUES ('C-1000001', 'Typed too')")),
        "another number typed by hand");
    QStringList numbers;
    for (int i = 0; i < 3; ++i) {
        const PgOutcome o = support.exec(QStringLiteral(
            "INSERT INTO customers (full_name) VALUES ('Numbered') RETURNING customer_no"));
        SUCCEEDS(o, "a customer without a number");
        numbers << o.value();
    }
    QCOMPARE(numbers, (QStringList { "C-999999", "C-1000000", "C-1000002" }));
}

void TestInsider::aCardShouldBeSwappedOutOnlyOnce()
{
    const qint64 old = newCard();
    const qint64 first = newCard(false);
    const qint64 second = newCard(false);
    PgSession &support = as(QStringLiteral("support"));
    const QString swap = QStringLiteral(
        "SELECT simdesk_sim_swap(%1, %2, NULL, NULL, 'LOST_STOLEN', 'phone lost', 'desktop')");
    SUCCEEDS(support.exec(swap.arg(old).arg(first)), "the swap");
    const PgOutcome again = support.exec(swap.arg(old).arg(second));
    REFUSED(again, "the same old card swapped out again");
    QCOMPARE(again.sqlState, QStringLiteral("SD018"));
    QCOMPARE(statusOf(second), QStringLiteral("AVAILABLE"));
    QCOMPARE(
        suCount(QStringLiteral("SELECT count(*) FROM sim_cards WHERE id IN (%1, %2) AND status "
                               "= 'ACTIVE'")
                    .arg(first)
                    .arg(second)),
        1);
}

void TestInsider::importProfilesShouldNotMapSecretColumnsToVisibleFields()
{
    PgSession &admin = as(QStringLiteral("admin"));
    for (const char *mapping : { R"({"PIN1": "imsi"})", R"({"iccid": "iccid", "PUK": "msisdn"})",
             R"({"Code ADM": "msisdn"})", R"({"ki": "type"})" }) {
        const PgOutcome o = admin.exec(
            QStringLiteral("INSERT INTO import_profiles (name, header_signature, mapping) VALUES "
                           "('leak', 'x', '%1')")
                .arg(QLatin1String(mapping)));
        REFUSED(o, QStringLiteral("a profile mapping %1").arg(QLatin1String(mapping)));
        QCOMPARE(o.sqlState, QStringLiteral("SD023"));
    }
    const PgOutcome ok = admin.exec(QStringLiteral(
        "INSERT INTO import_profiles (name, header_signature, mapping) VALUES ('fine', 'x', "
        "'{\"PIN1\": \"pin\", \"PUK1\": \"puk\", \"KI\": \"\", \"Number\": \"msisdn\"}') RETURNING "
        "id"));
    SUCCEEDS(ok, "a profile that keeps the secrets secret");
    REFUSED(admin.exec(QStringLiteral("UPDATE import_profiles SET mapping = '{\"PIN1\": \"imsi\"}' "
                                      "WHERE id = %1")
                           .arg(ok.value())),
        "changing it to publish PIN1");
    SUCCEEDS(admin.exec(QStringLiteral("SELECT simdesk_import_profile_delete(%1)").arg(ok.value())),
        "deleting it through the function");
}

void TestInsider::staffLoginsShouldHaveAConnectionLimit()
{
    const QString login = m_tdb->name() + QStringLiteral("_limited");
    const QByteArray password = "limited login password";
    SUCCEEDS(as(QStringLiteral("admin"))
                 .exec(QStringLiteral("SELECT simdesk_create_staff('%1', '%2', 'l@example.net', "
                                      "'Limited', 'viewer')")
                           .arg(login, pgVerifier(*m_su, password))),
        "admin creates a login");
    QCOMPARE(
        suValue(
            QStringLiteral("SELECT rolconnlimit FROM pg_roles WHERE rolname = '%1'").arg(login)),
        QString::number(ServerSetup::kConnectionLimit));
    std::vector<std::unique_ptr<PgSession>> open;
    for (int i = 0; i < ServerSetup::kConnectionLimit; ++i) {
        open.push_back(pgConnectTcp(*m_tdb, login, password));
        QVERIFY2(open.back()->isOpen(), qPrintable(open.back()->error()));
    }
    std::unique_ptr<PgSession> oneMore = pgConnectTcp(*m_tdb, login, password);
    QVERIFY2(!oneMore->isOpen(), "a connection over the login's limit");
    QVERIFY2(oneMore->error().contains(QLatin1String("too many connections")),
        qPrintable(oneMore->error()));
}

void TestInsider::theServerSetUpShouldTakeLargeObjectsFromEveryLogin()
{
    PgSession &viewer = as(QStringLiteral("viewer"));
    const QString write = QStringLiteral("BEGIN; SELECT lo_from_bytea(0, 'x'::bytea)");
    const PgOutcome before = viewer.exec(write);
    viewer.rollback();
    qInfo("a viewer writes a large object before the server set-up (site configuration): %s",
        qPrintable(before.describe()));
    QSqlDatabase superuser = m_tdb->connect();
    Result<QList<ServerSetupStep>> steps = ServerSetup(superuser).run(true);
    QVERIFY2(steps.ok(), steps.ok() ? "" : qPrintable(steps.error().fullMessage()));
    QStringList keys;
    for (const ServerSetupStep &s : *steps)
        keys << s.key;
    QCOMPARE(keys,
        (QStringList { "large-objects", "temp-file-limit", "timeouts", "connection-limits",
            "signal-backend", "passwordcheck", "own-password", "log-statement" }));
    QCOMPARE(int(steps->at(0).state), int(ServerSetupStep::State::Applied));
    for (const QString &sql : { QStringLiteral("SELECT lo_from_bytea(0, 'x'::bytea)"),
             QStringLiteral("SELECT lo_create(0)"), QStringLiteral("SELECT lo_creat(-1)") }) {
        std::unique_ptr<PgSession> s = fresh(QStringLiteral("viewer"));
        const PgOutcome o = s->exec(QStringLiteral("BEGIN; ") + sql);
        s->rollback();
        REFUSED(o, "a viewer after the set-up: " + sql);
        QCOMPARE(o.sqlState, QStringLiteral("42501"));
    }
    // libpq's own large-object calls go through the same functions.
    std::unique_ptr<PgSession> s = fresh(QStringLiteral("admin"));
    s->exec(QStringLiteral("BEGIN"));
    QCOMPARE(lo_creat(s->conn(), 0x00020000 /* INV_WRITE */), Oid(0));
    s->rollback();
    QCOMPARE(fresh(QStringLiteral("viewer"))->exec(QStringLiteral("SHOW temp_file_limit")).value(),
        QStringLiteral("5GB"));
    // Run again, nothing left to apply.
    Result<QList<ServerSetupStep>> again = ServerSetup(superuser).run(true);
    QVERIFY(again.ok());
    for (const ServerSetupStep &step : *again)
        QVERIFY2(step.state != ServerSetupStep::State::Applied, qPrintable(step.key));
    // A non-superuser is told who may run it.
    QSqlDatabase admin = m_tdb->connectAs(m_login["admin"]);
    Result<QList<ServerSetupStep>> refused = ServerSetup(admin).run(false);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::PermissionDenied);
}

// ---------------------------------------------------------------------------------------------

void TestInsider::everyCardShouldBeTheReplayOfItsEventsInIdAndInTimeOrder()
{
    for (const char *order : { "e.id DESC", "e.created_at DESC, e.id DESC" }) {
        const PgOutcome wrong = su(QStringLiteral(
            "SELECT c.id, c.status, r.new_status FROM sim_cards c LEFT JOIN LATERAL (SELECT "
            "e.new_status FROM sim_events e WHERE e.sim_id = c.id AND e.new_status IS NOT NULL "
            "ORDER BY %1 LIMIT 1) r ON true WHERE r.new_status IS DISTINCT FROM c.status")
                                       .arg(QLatin1String(order)));
        SUCCEEDS(wrong, "replay query");
        QVERIFY2(wrong.rows.isEmpty(),
            qPrintable(QStringLiteral("ordered by %1: card %2 is %3, its events say %4")
                           .arg(QLatin1String(order), wrong.value(0, 0), wrong.value(0, 1),
                               wrong.value(0, 2))));
    }
    // Along one card's ids, time never runs backwards.
    QCOMPARE(suCount(QStringLiteral(
                 "SELECT count(*) FROM (SELECT created_at < lag(created_at) OVER (PARTITION BY "
                 "sim_id ORDER BY id) AS back FROM sim_events) x WHERE back")),
        0);
    QVERIFY(m_cards > 15);
}

// ---------------------------------------------------------------------------------------------
// The revert checks its whole batch itself (020), and the per-card delete check stands aside
// while simdesk.delete_event says IMPORT_REVERTED, a setting anyone may set. An admin who sets it
// still cannot delete a used card; a card of the batch used after the revert's snapshot, or
// after an old transaction's, keeps the batch.
void TestInsider::theRevertsMarkerShouldNotLetAUsedCardGo()
{
    PgSession &admin = as(QStringLiteral("admin"));
    const qint64 used = newCard();
    SUCCEEDS(admin.exec(QStringLiteral("BEGIN")), "admin begins");
    SUCCEEDS(admin.exec(QStringLiteral(
                 "SELECT set_config('simdesk.delete_event', 'IMPORT_REVERTED', true)")),
        "admin sets the revert's marker");
    const PgOutcome deleted
        = admin.exec(QStringLiteral("SELECT simdesk_sim_delete(%1, %2, 'marker', 'cli')")
                         .arg(used)
                         .arg(version(used)));
    REFUSED(deleted, "deleting an active card under the revert's marker");
    QCOMPARE(deleted.sqlState, QStringLiteral("SD004"));
    admin.exec(QStringLiteral("ROLLBACK"));
    SUCCEEDS(admin.exec(QStringLiteral("BEGIN")), "admin begins again");
    admin.exec(
        QStringLiteral("SELECT set_config('simdesk.delete_event', 'IMPORT_REVERTED', true)"));
    REFUSED(admin.exec(QStringLiteral("DELETE FROM sim_cards WHERE id = %1").arg(used)),
        "a DELETE on sim_cards under the revert's marker");
    admin.exec(QStringLiteral("ROLLBACK"));
    QCOMPARE(statusOf(used), QStringLiteral("ACTIVE"));

    // A batch of two, one of them activated while an admin's REPEATABLE READ snapshot is older.
    const QString checksum = QStringLiteral("ef").repeated(32);
    const PgOutcome batch
        = admin.exec(QStringLiteral(
            "SELECT simdesk_import_commit('revert.csv', '%1', 'csv', 2, false, ARRAY['%2', '%3'], "
            "ARRAY[NULL, NULL]::text[], ARRAY[NULL, NULL]::text[], ARRAY['prepaid', 'prepaid'], "
            "ARRAY[NULL, NULL]::text[], ARRAY[NULL, NULL]::text[])")
                         .arg(checksum, TestDatabase::iccid(1960), TestDatabase::iccid(1961)));
    SUCCEEDS(batch, "admin imports two cards");
    const QString batchId = batch.value();
    const qint64 card = suCount(
        QStringLiteral("SELECT min(id) FROM sim_cards WHERE import_batch_id = %1").arg(batchId));
    std::unique_ptr<PgSession> old = fresh(QStringLiteral("admin"));
    SUCCEEDS(
        old->exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ")), "an old transaction");
    SUCCEEDS(old->exec(QStringLiteral("SELECT count(*) FROM sim_cards")), "takes its snapshot");
    SUCCEEDS(as(QStringLiteral("support"))
                 .exec(QStringLiteral(
                     "SELECT simdesk_sim_act(%1, 'activate', NULL, %2, %3, NULL, NULL, 'cli')")
                           .arg(card)
                           .arg(m_customer)
                           .arg(m_plan)),
        "support activates a card of the batch");
    REFUSED(old->exec(QStringLiteral("SELECT simdesk_import_revert(%1)").arg(batchId)),
        "the revert in the snapshot from before the activation");
    old->exec(QStringLiteral("ROLLBACK"));
    const PgOutcome now
        = admin.exec(QStringLiteral("SELECT simdesk_import_revert(%1)").arg(batchId));
    REFUSED(now, "the revert after the activation");
    QCOMPARE(now.sqlState, QStringLiteral("SD022"));
    QCOMPARE(suCount(QStringLiteral("SELECT count(*) FROM sim_cards WHERE import_batch_id = %1")
                         .arg(batchId)),
        2);
    QCOMPARE(statusOf(card), QStringLiteral("ACTIVE"));
    QCOMPARE(replayed(card), QStringLiteral("ACTIVE"));
}

QTEST_GUILESS_MAIN(TestInsider)
#include "tst_insider.moc"
