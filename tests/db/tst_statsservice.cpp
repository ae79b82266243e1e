// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "import/importservice.h"
#include "services/lifecycleservice.h"
#include "services/statsservice.h"
#include "testdatabase.h"

#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace simdesk;

// The dashboard's numbers: exact values for known data, and the rollups the database
// keeps (sql/008_stats.sql) equal to naive scans of sim_cards and sim_events after every kind
// of change staff can make.
class TestStatsService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void knownDataShouldGiveExactNumbers();
    void weeksAndMonthsShouldBeCalendarPeriodsClippedToTheRange();
    void activationPeriodsShouldCountWhatTheListFilterWouldList();
    void badRangesShouldBeRefused();
    void truncateShouldEmptyTheRollups();
    void timelineShouldListStatusChangesOldestFirst();
    void rollupsShouldEqualNaiveQueriesAfterRandomChanges();
    void aRevertedImportShouldLeaveTheDayItWasImportedOn();
    void compactionShouldNotLoseAConcurrentChange();
    void superuserRepairsShouldKeepTheRollupsEqual();
    void staffShouldNotWriteTheRollups();
    void aViewerShouldReadTheDashboard();

private:
    QString importFile(int first, int count);
    QJsonObject payload(StatsService::Source source, StatsGranularity g, QDate from, QDate to);
    void compareSources(const char *when);

    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_su; // superuser: fixtures
    QSqlDatabase m_support;
    QSqlDatabase m_admin;
    QString m_supportLogin;
    QString m_viewerLogin;
    qint64 m_customer = 0;
    qint64 m_tariffA = 0; // prepaid
    qint64 m_tariffB = 0; // postpaid
    qint64 m_tariffC = 0; // no cards
    QTemporaryDir m_dir;
    int m_files = 0;
};

namespace {

QString dump(const QJsonValue &v)
{
    return QString::fromUtf8(v.isObject()
            ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
            : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
}

// The counts of a period list as [count, ...] (or imported/terminated/reverted triples).
QList<qint64> counts(const QJsonArray &periods, const char *key)
{
    QList<qint64> out;
    for (const QJsonValue &p : periods)
        out.append(p.toObject().value(QLatin1String(key)).toInteger());
    return out;
}

} // namespace

void TestStatsService::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("stats"));
    REQUIRE_DATABASE(*m_tdb);
    m_su = m_tdb->connect();
    const Result<QList<int>> r = Migrator(m_su).migrate();
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    // A fixed zone with a DST change in the range, away from UTC: day boundaries are tested.
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "UPDATE stats_settings SET time_zone = 'Europe/Berlin';"
                 "SELECT simdesk_stats_rebuild();"
                 "INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna Berg');"
                 "INSERT INTO tariff_plans (code, name, sim_type) VALUES "
                 "('PRE', 'Prepaid', 'prepaid'), ('POST', 'Postpaid', 'postpaid'), "
                 "('IOT', 'IoT 1 GB', NULL)")),
        QString());
    m_customer = m_tdb->scalar(QStringLiteral("SELECT id FROM customers")).toLongLong();
    m_tariffA = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'PRE'"))
                    .toLongLong();
    m_tariffB = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'POST'"))
                    .toLongLong();
    m_tariffC = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'IOT'"))
                    .toLongLong();
    m_supportLogin = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    m_viewerLogin = m_tdb->createLogin(QStringLiteral("viewer"), QStringLiteral("viewer"));
    m_support = m_tdb->connectAs(m_supportLogin);
    m_admin
        = m_tdb->connectAs(m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin")));
    QVERIFY(m_support.isOpen());
    QVERIFY(m_admin.isOpen());
}

void TestStatsService::cleanupTestCase()
{
    m_su = m_support = m_admin = QSqlDatabase();
    m_tdb.reset();
}

QJsonObject TestStatsService::payload(
    StatsService::Source source, StatsGranularity g, QDate from, QDate to)
{
    const Result<QJsonObject> r = StatsService(m_su).dashboard({ from, to, g }, source);
    if (!r) {
        qWarning("dashboard: %s", qPrintable(r.error().fullMessage()));
        return {};
    }
    QJsonObject o = r.value();
    o.remove(QStringLiteral("generatedAt")); // the only part that differs between two reads
    return o;
}

// Cards and events written directly by the superuser, with known times. Berlin is UTC+1 in
// early March 2026 (summer time starts on 29 March).
void TestStatsService::knownDataShouldGiveExactNumbers()
{
    const QString sql
        = QStringLiteral(R"(
INSERT INTO sim_cards (id, iccid, status, sim_type, customer_id, tariff_plan_id, msisdn, activated_at,
                       terminated_at)
OVERRIDING SYSTEM VALUE VALUES
 (1, '%1', 'AVAILABLE', 'prepaid', NULL, NULL, NULL, NULL, NULL),
 (2, '%2', 'AVAILABLE', 'prepaid', NULL, NULL, NULL, NULL, NULL),
 (3, '%3', 'RESERVED', 'prepaid', %9, NULL, NULL, NULL, NULL),
 (4, '%4', 'ACTIVE', 'prepaid', %9, %10, '+4915900000004', '2026-03-02 10:00+01', NULL),
 (5, '%5', 'ACTIVE', 'prepaid', %9, %10, '+4915900000005', '2026-03-01 23:30+00', NULL),
 (6, '%6', 'SUSPENDED', 'postpaid', %9, %11, '+4915900000006', '2026-03-01 22:30+00', NULL),
 (7, '%7', 'LOST_STOLEN', 'prepaid', %9, %10, '+4915900000007', '2026-03-09 08:00+01', NULL),
 (8, '%8', 'TERMINATED', 'postpaid', %9, %11, NULL, '2026-02-27 12:00+01', '2026-03-05 09:00+01');
INSERT INTO sim_events (sim_id, event_type, old_status, new_status, created_at) VALUES
 (1, 'IMPORTED', NULL, 'AVAILABLE', '2026-03-03 10:00+01'),
 (2, 'IMPORTED', NULL, 'AVAILABLE', '2026-03-03 10:00+01'),
 (3, 'IMPORTED', NULL, 'AVAILABLE', '2026-03-03 10:00+01'),
 (4, 'IMPORTED', NULL, 'AVAILABLE', '2026-03-01 23:30+00'),
 (4, 'ACTIVATED', 'AVAILABLE', 'ACTIVE', '2026-03-02 10:00+01'),
 (8, 'TERMINATED', 'ACTIVE', 'TERMINATED', '2026-03-05 09:00+01'),
 (6, 'SWAPPED_OUT', 'ACTIVE', 'TERMINATED', '2026-03-05 23:59+01'),
 (7, 'SWAPPED_OUT', 'ACTIVE', 'LOST_STOLEN', '2026-03-05 12:00+01'),
 (99, 'IMPORT_REVERTED', 'AVAILABLE', NULL, '2026-03-06 00:00+01'),
 (5, 'SECRET_REVEALED', 'ACTIVE', 'ACTIVE', '2026-03-06 10:00+01');
)")
              .arg(TestDatabase::iccid(1), TestDatabase::iccid(2), TestDatabase::iccid(3),
                  TestDatabase::iccid(4), TestDatabase::iccid(5), TestDatabase::iccid(6),
                  TestDatabase::iccid(7), TestDatabase::iccid(8))
              .arg(m_customer)
              .arg(m_tariffA)
              .arg(m_tariffB);
    QCOMPARE(m_tdb->exec(sql), QString());

    for (auto source : { StatsService::Source::Rollups, StatsService::Source::Naive }) {
        const QJsonObject p
            = payload(source, StatsGranularity::Day, QDate(2026, 3, 1), QDate(2026, 3, 10));
        QCOMPARE(p.value(QLatin1String("timeZone")).toString(), QStringLiteral("Europe/Berlin"));
        QCOMPARE(dump(p.value(QLatin1String("range"))),
            QStringLiteral(R"({"from":"2026-03-01","granularity":"day","to":"2026-03-10"})"));
        QCOMPARE(dump(p.value(QLatin1String("kpis"))),
            QStringLiteral(R"({"ACTIVE":2,"AVAILABLE":2,"LOST_STOLEN":1,"RESERVED":1,)"
                           R"("SUSPENDED":1,"TERMINATED":1,"total":8})"));
        QCOMPARE(dump(p.value(QLatin1String("byStatus"))),
            QStringLiteral(R"([{"count":2,"status":"AVAILABLE"},{"count":1,"status":"RESERVED"},)"
                           R"({"count":2,"status":"ACTIVE"},{"count":1,"status":"SUSPENDED"},)"
                           R"({"count":1,"status":"LOST_STOLEN"},)"
                           R"({"count":1,"status":"TERMINATED"}])"));
        QCOMPARE(dump(p.value(QLatin1String("byTariff"))),
            QStringLiteral(R"([{"code":"PRE","count":3,"name":"Prepaid","tariffPlanId":%1},)"
                           R"({"code":"POST","count":2,"name":"Postpaid","tariffPlanId":%2},)"
                           R"({"code":null,"count":3,"name":null,"tariffPlanId":null}])")
                .arg(m_tariffA)
                .arg(m_tariffB));
        const QJsonArray act = p.value(QLatin1String("activations")).toArray();
        QCOMPARE(act.size(), 10);
        QCOMPARE(counts(act, "count"), (QList<qint64> { 1, 2, 0, 0, 0, 0, 0, 0, 1, 0 }));
        QCOMPARE(dump(act.first()),
            QStringLiteral(R"({"count":1,"end":"2026-03-02","endAt":"2026-03-01T23:00:00.000Z",)"
                           R"("start":"2026-03-01","startAt":"2026-02-28T23:00:00.000Z"})"));
        const QJsonArray ev = p.value(QLatin1String("importsTerminations")).toArray();
        QCOMPARE(ev.size(), 10);
        QCOMPARE(counts(ev, "imported"), (QList<qint64> { 0, 1, 3, 0, 0, 0, 0, 0, 0, 0 }));
        QCOMPARE(counts(ev, "terminated"), (QList<qint64> { 0, 0, 0, 0, 2, 0, 0, 0, 0, 0 }));
        QCOMPARE(counts(ev, "reverted"), (QList<qint64> { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }));
        QCOMPARE(dump(ev.at(4)),
            QStringLiteral(R"({"end":"2026-03-06","endAt":"2026-03-05T23:00:00.000Z",)"
                           R"("imported":0,"reverted":0,"start":"2026-03-05",)"
                           R"("startAt":"2026-03-04T23:00:00.000Z","terminated":2})"));
    }
}

void TestStatsService::weeksAndMonthsShouldBeCalendarPeriodsClippedToTheRange()
{
    // 1 March 2026 is a Sunday: the first week is that day alone, then Monday to Sunday.
    for (auto source : { StatsService::Source::Rollups, StatsService::Source::Naive }) {
        const QJsonObject w
            = payload(source, StatsGranularity::Week, QDate(2026, 3, 1), QDate(2026, 3, 10));
        const QJsonArray act = w.value(QLatin1String("activations")).toArray();
        QCOMPARE(act.size(), 3);
        QCOMPARE(counts(act, "count"), (QList<qint64> { 1, 2, 1 }));
        QCOMPARE(act.at(1).toObject().value(QLatin1String("start")).toString(),
            QStringLiteral("2026-03-02"));
        QCOMPARE(act.at(1).toObject().value(QLatin1String("end")).toString(),
            QStringLiteral("2026-03-09"));
        QCOMPARE(act.at(2).toObject().value(QLatin1String("end")).toString(),
            QStringLiteral("2026-03-11"));
        QCOMPARE(counts(w.value(QLatin1String("importsTerminations")).toArray(), "imported"),
            (QList<qint64> { 0, 4, 0 }));

        // Across the change to summer time (29 March): April starts at 22:00 UTC.
        const QJsonObject m
            = payload(source, StatsGranularity::Month, QDate(2026, 2, 1), QDate(2026, 4, 30));
        const QJsonArray months = m.value(QLatin1String("activations")).toArray();
        QCOMPARE(counts(months, "count"), (QList<qint64> { 1, 4, 0 }));
        QCOMPARE(months.at(2).toObject().value(QLatin1String("startAt")).toString(),
            QStringLiteral("2026-03-31T22:00:00.000Z"));
        QCOMPARE(months.at(2).toObject().value(QLatin1String("end")).toString(),
            QStringLiteral("2026-05-01"));
    }
}

// A chart period opens the SIM list with activatedFrom = startAt, activatedTo = endAt: the same
// cards, counted in the list's own way (activated_at in [from, to)).
void TestStatsService::activationPeriodsShouldCountWhatTheListFilterWouldList()
{
    const Result<QJsonArray> act = StatsService(m_su).activations(
        { QDate(2026, 2, 20), QDate(2026, 3, 20), StatsGranularity::Week });
    QVERIFY(act.ok());
    for (const QJsonValue &v : act.value()) {
        const QJsonObject p = v.toObject();
        const QDateTime from = QDateTime::fromString(
            p.value(QLatin1String("startAt")).toString(), Qt::ISODateWithMs);
        const QDateTime to
            = QDateTime::fromString(p.value(QLatin1String("endAt")).toString(), Qt::ISODateWithMs);
        Result<QueryResult> n = runSingle(m_su,
            QStringLiteral("SELECT count(*) FROM sim_cards WHERE activated_at >= $1 AND "
                           "activated_at < $2"),
            { from, to }, QStringLiteral("count"));
        QVERIFY(n.ok());
        QCOMPARE(p.value(QLatin1String("count")).toInteger(), n->value(0).toLongLong());
    }
}

void TestStatsService::badRangesShouldBeRefused()
{
    StatsService stats(m_su);
    QCOMPARE(stats.dashboard({ QDate(2026, 3, 2), QDate(2026, 3, 1) }).error().code,
        ErrorCode::InvalidArgument);
    QCOMPARE(
        stats.dashboard({ QDate(), QDate(2026, 3, 1) }).error().code, ErrorCode::InvalidArgument);
    QCOMPARE(stats.activations({ QDate(2000, 1, 1), QDate(2026, 3, 1) }).error().code,
        ErrorCode::InvalidArgument);
    QVERIFY(
        stats.activations({ QDate(2000, 1, 1), QDate(2026, 3, 1), StatsGranularity::Month }).ok());
}

void TestStatsService::truncateShouldEmptyTheRollups()
{
    QCOMPARE(m_tdb->exec(QStringLiteral("TRUNCATE sim_cards, sim_events CASCADE")), QString());
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT (SELECT count(*) FROM stats_card_counts) + (SELECT count(*) FROM "
                 "stats_activation_days) + (SELECT count(*) FROM stats_event_days)")),
        QStringLiteral("0"));
    const QJsonObject p = payload(
        StatsService::Source::Rollups, StatsGranularity::Day, QDate(2026, 3, 1), QDate(2026, 3, 2));
    QCOMPARE(
        p.value(QLatin1String("kpis")).toObject().value(QLatin1String("total")).toInteger(), 0);
    QCOMPARE(p.value(QLatin1String("byTariff")).toArray().size(), 0);
}

QString TestStatsService::importFile(int first, int count)
{
    QByteArray csv = "iccid,pin,puk,type\n";
    for (int i = first; i < first + count; ++i)
        csv += TestDatabase::iccid(i).toLatin1() + ",1234,12345678,"
            + (i % 3 == 0 ? "postpaid" : "prepaid") + '\n';
    const QString path = m_dir.filePath(QStringLiteral("cards-%1.csv").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(csv) != csv.size())
        return {};
    return path;
}

void TestStatsService::timelineShouldListStatusChangesOldestFirst()
{
    const ImportReport imp = ImportService(m_admin).commit(importFile(1000, 1), {});
    QVERIFY2(imp.committed, imp.refusal ? qPrintable(imp.refusal->fullMessage()) : "");
    const qint64 id = m_tdb
                          ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                                       .arg(TestDatabase::iccid(1000)))
                          .toLongLong();
    LifecycleService life(m_support);
    QVERIFY(life.reserve(id, m_customer).ok());
    QVERIFY(life.activate(id, {}, m_tariffA).ok());
    QVERIFY(life.changeTariff(id, m_tariffC).ok()); // no status change: not in the timeline
    QVERIFY(life.suspend(id, QStringLiteral("unpaid bill")).ok());

    const Result<QJsonObject> t = StatsService(m_support).timeline(id);
    QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(t.error().fullMessage()));
    QCOMPARE(t->value(QLatin1String("simId")).toInteger(), id);
    QCOMPARE(t->value(QLatin1String("iccid")).toString(), TestDatabase::iccid(1000));
    QCOMPARE(t->value(QLatin1String("status")).toString(), QStringLiteral("SUSPENDED"));
    const QJsonArray events = t->value(QLatin1String("events")).toArray();
    QStringList seen;
    for (const QJsonValue &e : events) {
        const QJsonObject o = e.toObject();
        seen << o.value(QLatin1String("type")).toString() + QLatin1Char(':')
                + (o.value(QLatin1String("from")).isNull()
                        ? QStringLiteral("-")
                        : o.value(QLatin1String("from")).toString())
                + QLatin1Char('>') + o.value(QLatin1String("to")).toString();
        QVERIFY(o.value(QLatin1String("at")).toString().endsWith(QLatin1Char('Z')));
    }
    QCOMPARE(seen,
        (QStringList { QStringLiteral("IMPORTED:->AVAILABLE"),
            QStringLiteral("RESERVED:AVAILABLE>RESERVED"),
            QStringLiteral("ACTIVATED:RESERVED>ACTIVE"),
            QStringLiteral("SUSPENDED:ACTIVE>SUSPENDED") }));
    QCOMPARE(events.last().toObject().value(QLatin1String("by")).toString(), m_supportLogin);
    QCOMPARE(events.last().toObject().value(QLatin1String("note")).toString(),
        QStringLiteral("unpaid bill"));
    QCOMPARE(StatsService(m_support).timeline(987654321).error().code, ErrorCode::NotFound);
}

void TestStatsService::compareSources(const char *when)
{
    const QDate today = QDate::currentDate();
    for (auto g : { StatsGranularity::Day, StatsGranularity::Week, StatsGranularity::Month }) {
        const QJsonObject rollup
            = payload(StatsService::Source::Rollups, g, today.addDays(-40), today.addDays(3));
        const QJsonObject naive
            = payload(StatsService::Source::Naive, g, today.addDays(-40), today.addDays(3));
        QVERIFY2(!rollup.isEmpty(), when);
        if (rollup != naive)
            qWarning("%s\nrollups: %s\nnaive:   %s", when, qPrintable(dump(rollup)),
                qPrintable(dump(naive)));
        QVERIFY2(rollup == naive, when);
    }
}

void TestStatsService::rollupsShouldEqualNaiveQueriesAfterRandomChanges()
{
    QRandomGenerator rng(20261201);
    ImportReport a = ImportService(m_admin).commit(importFile(2000, 300), {});
    QVERIFY(a.committed);
    ImportReport b = ImportService(m_admin).commit(importFile(3000, 120), {});
    QVERIFY(b.committed && b.batchId);
    compareSources("after two imports");

    Result<QueryResult> ids = runQuery(m_su,
        QStringLiteral("SELECT id FROM sim_cards WHERE import_batch_id = $1 ORDER BY id"),
        { *a.batchId });
    QVERIFY(ids.ok());
    QList<qint64> cards;
    while (ids.value().next())
        cards << ids->value(0).toLongLong();

    LifecycleService life(m_support);
    const QList<SimAction> actions { SimAction::Reserve, SimAction::Release, SimAction::Activate,
        SimAction::Suspend, SimAction::Resume, SimAction::ReportLostStolen, SimAction::Terminate };
    const QList<qint64> tariffs { m_tariffA, m_tariffC };
    int refused = 0;
    for (int round = 0; round < 12; ++round) {
        // Bulk: one action over a random fifth of the cards (many are refused: wrong status).
        QList<qint64> some;
        for (qint64 id : cards)
            if (rng.bounded(5) == 0)
                some << id;
        ActionRequest common;
        common.customerId = m_customer;
        common.tariffPlanId = tariffs.at(int(rng.bounded(2)));
        common.reason = QStringLiteral("round %1").arg(round);
        const SimAction bulk = actions.at(int(rng.bounded(int(actions.size()))));
        const Result<BulkResult> r = life.performMany(cardActionOf(bulk), some, common);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
        refused += int(r->refused);
        // Singles, refused or not.
        for (int i = 0; i < 15; ++i) {
            ActionRequest one = common;
            one.simId = cards.at(int(rng.bounded(int(cards.size()))));
            (void)life.perform(
                cardActionOf(actions.at(int(rng.bounded(int(actions.size()))))), one);
        }
        if (round % 4 == 3) {
            {
                ActionRequest tariff;
                tariff.tariffPlanId = m_tariffA;
                (void)life.performMany(CardAction::ChangeTariff, some, tariff);
            }
            // A swap from a working card to an available one.
            Result<QueryResult> pair = runQuery(m_su, QStringLiteral(R"(
SELECT (SELECT id FROM sim_cards WHERE status IN ('ACTIVE', 'SUSPENDED') AND sim_type = 'prepaid'
        AND import_batch_id = $1 ORDER BY id LIMIT 1),
       (SELECT id FROM sim_cards WHERE status = 'AVAILABLE' AND sim_type = 'prepaid'
        AND import_batch_id = $1 ORDER BY id LIMIT 1))"),
                { *a.batchId });
            QVERIFY(pair.ok() && pair.value().next());
            if (!pair->isNull(0) && !pair->isNull(1)) {
                SwapRequest s;
                s.oldSimId = pair->value(0).toLongLong();
                s.newSimId = pair->value(1).toLongLong();
                s.reason = QStringLiteral("broken card");
                s.oldCardEnd = round == 3 ? SwapOldCardEnd::Terminate : SwapOldCardEnd::LostStolen;
                const Result<SwapResult> sw = life.swap(s);
                QVERIFY2(sw.ok(), sw.ok() ? "" : qPrintable(sw.error().fullMessage()));
            }
        }
        compareSources(qPrintable(QStringLiteral("after round %1").arg(round)));
        if (round == 5) {
            QVERIFY(StatsService(m_admin).compact(0).ok());
            compareSources("after a compaction");
        }
    }
    QVERIFY(refused > 0);

    // An unused card deleted, the untouched batch reverted, a touched one refused.
    Result<QueryResult> unused = runSingle(m_su,
        QStringLiteral(
            "SELECT id FROM sim_cards WHERE status = 'AVAILABLE' AND customer_id IS NULL "
            "AND import_batch_id = $1 AND public.simdesk_card_unused(id, status, "
            "customer_id, activation_code_id) ORDER BY id LIMIT 1"),
        { *a.batchId }, QStringLiteral("unused card"));
    QVERIFY(unused.ok());
    QVERIFY(
        runQuery(m_admin, QStringLiteral("SELECT simdesk_sim_delete($1, NULL, 'test', 'desktop')"),
            { unused->value(0).toLongLong() })
            .ok());
    compareSources("after a delete");
    QVERIFY(ImportService(m_admin).revert(*b.batchId).ok());
    QVERIFY(!ImportService(m_admin).revert(*a.batchId).ok());
    compareSources("after reverts");

    // Compacted (by an admin: for anyone else compaction does nothing): one row per key, same
    // numbers.
    QVERIFY(StatsService(m_admin).compact(0).ok());
    QCOMPARE(
        m_tdb->scalar(QStringLiteral(
            "SELECT count(*) = count(DISTINCT (status, tariff_plan_id)) FROM stats_card_counts")),
        QStringLiteral("true"));
    compareSources("after the last compaction");
}

// "Imported" counts imports that happened, on their day, less the cards of an import reverted
// since (sql/015_import_chart.sql): checked against a query over the base tables written here,
// not the service's own naive form, and for both sources.
void TestStatsService::aRevertedImportShouldLeaveTheDayItWasImportedOn()
{
    // Today in the dashboard's zone (Berlin), which is not always the machine's.
    const QDate today = QDate::fromString(
        m_tdb->scalar(QStringLiteral("SELECT ((now() AT TIME ZONE time_zone)::date)::text "
                                     "FROM stats_settings")),
        Qt::ISODate);
    QVERIFY(today.isValid());
    const auto importedToday = [&](StatsService::Source source) {
        const QJsonArray ev = payload(source, StatsGranularity::Day, today, today)
                                  .value(QLatin1String("importsTerminations"))
                                  .toArray();
        return ev.size() == 1 ? ev.first().toObject().value(QLatin1String("imported")).toInteger()
                              : qint64(-1);
    };
    const QString baseTables = QStringLiteral(R"(
SELECT count(*) FROM sim_events x, stats_settings s
WHERE x.event_type = 'IMPORTED' AND (x.created_at AT TIME ZONE s.time_zone)::date
        = (now() AT TIME ZONE s.time_zone)::date
  AND NOT EXISTS (SELECT 1 FROM sim_events r
                  WHERE r.sim_id = x.sim_id AND r.event_type = 'IMPORT_REVERTED'))");
    const qint64 before = importedToday(StatsService::Source::Rollups);
    QCOMPARE(before, m_tdb->scalar(baseTables).toLongLong());

    const ImportReport imp = ImportService(m_admin).commit(importFile(7000, 50), {});
    QVERIFY(imp.committed && imp.batchId);
    for (auto source : { StatsService::Source::Rollups, StatsService::Source::Naive })
        QCOMPARE(importedToday(source), before + 50);
    QCOMPARE(m_tdb->scalar(baseTables).toLongLong(), before + 50);

    QVERIFY(ImportService(m_admin).revert(*imp.batchId).ok());
    // The 50 cards went: they are no longer imported today, and the revert is said apart.
    QCOMPARE(m_tdb->scalar(baseTables).toLongLong(), before);
    for (auto source : { StatsService::Source::Rollups, StatsService::Source::Naive }) {
        QCOMPARE(importedToday(source), before);
        const QJsonArray ev = payload(source, StatsGranularity::Day, today, today)
                                  .value(QLatin1String("importsTerminations"))
                                  .toArray();
        QVERIFY(ev.first().toObject().value(QLatin1String("reverted")).toInteger() >= 50);
    }
    // Compaction and a rebuild keep it so.
    QVERIFY(StatsService(m_admin).compact(0).ok());
    QCOMPARE(importedToday(StatsService::Source::Rollups), before);
    QCOMPARE(m_tdb->exec(QStringLiteral("SELECT simdesk_stats_rebuild()")), QString());
    QCOMPARE(importedToday(StatsService::Source::Rollups), before);
    compareSources("after an import and its revert");
}

// A transaction that changed cards but has not committed while another session compacts: its
// delta rows are not in the compaction's snapshot, stay, and count once it commits.
void TestStatsService::compactionShouldNotLoseAConcurrentChange()
{
    const ImportReport imp = ImportService(m_admin).commit(importFile(5000, 10), {});
    QVERIFY(imp.committed && imp.batchId);
    const qint64 before = m_tdb
                              ->scalar(QStringLiteral("SELECT count(*) FROM sim_cards "
                                                      "WHERE status = 'RESERVED'"))
                              .toLongLong();
    Transaction tx(m_support);
    QVERIFY(tx.begin().ok());
    QVERIFY(runQuery(m_support, QStringLiteral(R"(
SELECT * FROM simdesk_sim_apply(ARRAY(SELECT id FROM sim_cards WHERE import_batch_id = $1),
    'reserve', NULL, $2, NULL, NULL, NULL, 'desktop'))"),
        { *imp.batchId, m_customer })
                .ok());
    const Result<qint64> removed = StatsService(m_su).compact(0);
    QVERIFY(removed.ok());
    QVERIFY(tx.commit().ok());
    const Result<QJsonObject> k = StatsService(m_su).kpis();
    QVERIFY(k.ok());
    QCOMPARE(k->value(QLatin1String("RESERVED")).toInteger(), before + 10);
    compareSources("after a concurrent compaction");
}

// The owner's maintenance (deleting and back-dating events, correcting activation times) goes
// through the same triggers.
void TestStatsService::superuserRepairsShouldKeepTheRollupsEqual()
{
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "DELETE FROM sim_events WHERE id % 7 = 0;"
                 "UPDATE sim_events SET created_at = created_at - interval '9 days', "
                 "event_type = CASE WHEN event_type = 'EDITED' THEN 'IMPORTED' ELSE event_type END "
                 "WHERE id % 5 = 0;"
                 "UPDATE sim_cards SET activated_at = activated_at - interval '20 hours' "
                 "WHERE id % 3 = 0 AND activated_at IS NOT NULL")),
        QString());
    compareSources("after the owner's repairs");
}

// What staff could try with psql: write the rollups or rebuild them. The database refuses.
void TestStatsService::staffShouldNotWriteTheRollups()
{
    const QStringList attempts {
        QStringLiteral("INSERT INTO stats_card_counts (status, tariff_plan_id, n) VALUES "
                       "('ACTIVE', NULL, 1000)"),
        QStringLiteral("UPDATE stats_card_counts SET n = n + 1"),
        QStringLiteral("DELETE FROM stats_card_counts"),
        QStringLiteral("TRUNCATE stats_card_counts"),
        QStringLiteral("INSERT INTO stats_activation_days (day, n) VALUES (current_date, 5)"),
        QStringLiteral("DELETE FROM stats_activation_days"),
        QStringLiteral("INSERT INTO stats_event_days (day, event_type, n) VALUES (current_date, "
                       "'IMPORTED', 5)"),
        QStringLiteral("UPDATE stats_event_days SET n = 0"),
        QStringLiteral("UPDATE stats_settings SET time_zone = 'UTC'"),
        QStringLiteral("SELECT simdesk_stats_rebuild()"),
        QStringLiteral("SELECT simdesk_stats_cards_changed()"),
    };
    const QString sums = QStringLiteral(
        "SELECT (SELECT sum(n) FROM stats_card_counts)::text || '/' || (SELECT "
        "sum(n) FROM stats_activation_days)::text || '/' || (SELECT sum(n) FROM "
        "stats_event_days)::text || '/' || (SELECT time_zone FROM stats_settings)");
    const QString before = m_tdb->scalar(sums);
    for (const QString &sql : attempts) {
        const Result<QueryResult> r = runQuery(m_support, sql);
        QVERIFY2(!r.ok(), qPrintable(sql));
        QCOMPARE(r.error().code, ErrorCode::PermissionDenied);
    }
    QCOMPARE(m_tdb->scalar(sums), before);
}

void TestStatsService::aViewerShouldReadTheDashboard()
{
    QSqlDatabase viewer = m_tdb->connectAs(m_viewerLogin);
    const QDate today = QDate::currentDate();
    const Result<QJsonObject> p
        = StatsService(viewer).dashboard({ today.addDays(-7), today, StatsGranularity::Day });
    QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().fullMessage()));
    QVERIFY(
        QDateTime::fromString(p->value(QLatin1String("generatedAt")).toString(), Qt::ISODateWithMs)
            .isValid());
    QCOMPARE(p->value(QLatin1String("activations")).toArray().size(), 8);
    // A viewer's dashboard asks for a compaction; it is refused nothing, and does nothing.
    const Result<qint64> compacted = StatsService(viewer).compact(0);
    QVERIFY(compacted.ok());
    QCOMPARE(*compacted, 0);
}

QTEST_GUILESS_MAIN(TestStatsService)
#include "tst_statsservice.moc"
