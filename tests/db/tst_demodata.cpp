// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "domain/lifecycle.h"
#include "domain/validation.h"
#include "services/demodata.h"
#include "services/statsservice.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

#include <memory>

using namespace simdesk;

class TestDemoData : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void shouldCreateTheDefaultSizes();
    void shouldCoverEveryStatusAndEveryMonth();
    void everyIccidShouldPassTheCoreRules();
    void everyCardStatusShouldEqualTheReplayOfItsEvents();
    void eventsShouldFollowTheTransitionTable();
    void shouldBeDeterministic();
    void shouldMakeAsManyCustomersAndCodesAsAsked();
    void byDefaultTheHistoryShouldEndNowWithActivityInTheLastThirtyDays();
    void shouldRefuseANonEmptyDatabase();
    void shouldRefuseANonsensicalSize();

private:
    std::unique_ptr<TestDatabase> m_tdb;
};

namespace {

std::unique_ptr<TestDatabase> migratedDatabase(const QString &tag)
{
    auto tdb = std::make_unique<TestDatabase>(tag);
    if (tdb->isValid()) {
        const Result<QList<int>> r = Migrator(tdb->connect()).migrate();
        if (!r)
            qWarning("migration failed: %s", qPrintable(r.error().fullMessage()));
    }
    return tdb;
}

// The options most tests use: the default size and seed, and a fixed end of history, so that the
// dates and digests below do not move with the calendar.
DemoDataOptions fixedOptions()
{
    DemoDataOptions options;
    options.now = DemoDataOptions::fixedNow();
    return options;
}

} // namespace

void TestDemoData::initTestCase()
{
    m_tdb = migratedDatabase(QStringLiteral("demo"));
    REQUIRE_DATABASE(*m_tdb);
    const Status s = DemoData::generate(m_tdb->connect(), fixedOptions());
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().fullMessage()));
}

void TestDemoData::cleanupTestCase()
{
    m_tdb.reset();
}

void TestDemoData::shouldCreateTheDefaultSizes()
{
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards")), QStringLiteral("5000"));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_secrets")), QStringLiteral("5000"));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM customers")), QStringLiteral("800"));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM tariff_plans")), QStringLiteral("4"));
    QVERIFY(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM activation_codes")).toInt() >= 100);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(DISTINCT status) FROM activation_codes")),
        QStringLiteral("3"));
    QVERIFY(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM import_batches")).toInt() >= 1);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(DISTINCT sim_type) FROM sim_cards")),
        QStringLiteral("3"));
}

void TestDemoData::shouldCoverEveryStatusAndEveryMonth()
{
    for (SimStatus s : kAllStatuses) {
        const int n
            = m_tdb
                  ->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE status = '%1'")
                               .arg(statusKey(s)))
                  .toInt();
        QVERIFY2(n > 0, qPrintable(statusKey(s)));
    }
    // The 12 months before the fixed end (2026-11-01 12:00 UTC) each have new cards and events.
    const QString months = QStringLiteral("SELECT count(*) FROM generate_series(date '2025-11-01', "
                                          "date '2026-10-01', interval '1 month') m "
                                          "WHERE EXISTS (SELECT 1 FROM %1 WHERE created_at >= m "
                                          "AND created_at < m + interval '1 month')");
    QCOMPARE(m_tdb->scalar(months.arg(QLatin1String("sim_cards"))), QStringLiteral("12"));
    QCOMPARE(m_tdb->scalar(months.arg(QLatin1String("sim_events"))), QStringLiteral("12"));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT count(*) FROM sim_events WHERE created_at > '2026-11-01 12:00:00+00'")),
        QStringLiteral("0"));
}

void TestDemoData::everyIccidShouldPassTheCoreRules()
{
    QSqlQuery q(m_tdb->connect());
    QVERIFY(q.exec(QStringLiteral("SELECT c.iccid, c.msisdn, c.imsi, s.pin, s.puk "
                                  "FROM sim_cards c JOIN sim_secrets s ON s.sim_id = c.id")));
    int rows = 0;
    while (q.next()) {
        ++rows;
        const QString iccid = q.value(0).toString();
        QVERIFY2(validation::normalizeIccid(iccid).ok(), qPrintable(iccid));
        if (!q.value(1).isNull())
            QCOMPARE(*validation::normalizeMsisdn(q.value(1).toString()), q.value(1).toString());
        if (!q.value(2).isNull())
            QVERIFY(validation::normalizeImsi(q.value(2).toString()).ok());
        QVERIFY(validation::normalizePin(q.value(3).toString()).ok());
        QVERIFY(validation::normalizePuk(q.value(4).toString()).ok());
    }
    QCOMPARE(rows, 5000);
}

void TestDemoData::everyCardStatusShouldEqualTheReplayOfItsEvents()
{
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT count(*) FROM sim_cards c WHERE c.status IS DISTINCT FROM ("
                                " SELECT e.new_status FROM sim_events e WHERE e.sim_id = c.id AND "
                                "e.new_status IS NOT NULL"
                                " ORDER BY e.created_at DESC, e.id DESC LIMIT 1)")),
        QStringLiteral("0"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards c WHERE NOT EXISTS ("
                                          " SELECT 1 FROM sim_events e WHERE e.sim_id = c.id AND "
                                          "e.event_type IN ('CREATED', 'IMPORTED'))")),
        QStringLiteral("0"));
}

void TestDemoData::eventsShouldFollowTheTransitionTable()
{
    // Every status change in the history is a row of the transition table.
    QSqlQuery q(m_tdb->connect());
    QVERIFY(q.exec(QStringLiteral("SELECT DISTINCT old_status, new_status FROM sim_events "
                                  "WHERE old_status IS NOT NULL AND old_status <> new_status")));
    int pairs = 0;
    while (q.next()) {
        ++pairs;
        const SimStatus from = *statusFromKey(q.value(0).toString());
        const SimStatus to = *statusFromKey(q.value(1).toString());
        bool found = false;
        for (const Transition &t : kTransitions)
            found = found || (t.from == from && t.to == to);
        QVERIFY2(found,
            qPrintable(q.value(0).toString() + QStringLiteral(" → ") + q.value(1).toString()));
    }
    QVERIFY(pairs >= 6);
}

void TestDemoData::shouldBeDeterministic()
{
    auto other = migratedDatabase(QStringLiteral("demo_again"));
    REQUIRE_DATABASE(*other);
    QVERIFY(DemoData::generate(other->connect(), fixedOptions()).ok());
    for (const char *table :
        { "sim_cards", "sim_secrets", "sim_events", "customers", "activation_codes" }) {
        const QString digest
            = QStringLiteral("SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM %1 t")
                  .arg(QLatin1String(table));
        QCOMPARE(other->scalar(digest), m_tdb->scalar(digest));
    }
    // A different seed gives different data.
    auto third = migratedDatabase(QStringLiteral("demo_seed"));
    REQUIRE_DATABASE(*third);
    DemoDataOptions seeded = fixedOptions();
    seeded.seed = 7;
    QVERIFY(DemoData::generate(third->connect(), seeded).ok());
    const QString digest
        = QStringLiteral("SELECT md5(string_agg(iccid || status, ',' ORDER BY id)) FROM sim_cards");
    QVERIFY(third->scalar(digest) != m_tdb->scalar(digest));
}

// The sizes of a national operator's database are asked for, not derived (bench at 10,000,000
// cards: 1,600,000 customers, 2,000,000 codes); every card's code is among them.
void TestDemoData::shouldMakeAsManyCustomersAndCodesAsAsked()
{
    auto sized = migratedDatabase(QStringLiteral("demo_sized"));
    REQUIRE_DATABASE(*sized);
    DemoDataOptions options = fixedOptions();
    options.sims = 2000;
    options.customers = 150;
    options.codes = 900;
    QVERIFY(DemoData::generate(sized->connect(), options).ok());
    QCOMPARE(
        sized->scalar(QStringLiteral("SELECT count(*) FROM customers")), QStringLiteral("150"));
    QCOMPARE(sized->scalar(QStringLiteral("SELECT count(*) FROM activation_codes")),
        QStringLiteral("900"));
    QCOMPARE(
        sized->scalar(QStringLiteral(
            "SELECT count(*) FROM sim_cards c WHERE c.activation_code_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM activation_codes a WHERE a.id = c.activation_code_id "
            "AND a.status = 'USED')")),
        QStringLiteral("0"));
}

// What `scripts/demo` shows a new user first: the dashboard's default range, the last 30 days up
// to today in the dashboard's time zone (ui/dashboard/dashboardloader.cpp, presetRange()).
void TestDemoData::byDefaultTheHistoryShouldEndNowWithActivityInTheLastThirtyDays()
{
    auto live = migratedDatabase(QStringLiteral("demo_now"));
    REQUIRE_DATABASE(*live);
    const Status s = DemoData::generate(live->connect(), DemoDataOptions {});
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().fullMessage()));

    // Nothing after the moment of generation, and the last events close to it (business hours
    // only: on a Monday morning the history ends on Friday at 17:00 UTC).
    QCOMPARE(
        live->scalar(QStringLiteral("SELECT count(*) FROM sim_events WHERE created_at > now()")),
        QStringLiteral("0"));
    QCOMPARE(live->scalar(QStringLiteral(
                 "SELECT max(created_at) > now() - interval '4 days' FROM sim_events")),
        QStringLiteral("true"));
    for (const char *type : { "ACTIVATED", "IMPORTED", "TERMINATED" }) {
        const int n = live->scalar(QStringLiteral("SELECT count(*) FROM sim_events WHERE "
                                                  "event_type = '%1' AND created_at >= now() - "
                                                  "interval '30 days'")
                                       .arg(QLatin1String(type)))
                          .toInt();
        QVERIFY2(n > 0, type);
    }

    // The same, as the dashboard reads it (from the rollups).
    StatsService stats(live->connect());
    const Result<QString> zone = stats.timeZone();
    QVERIFY(zone.ok());
    const QDate today
        = QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone(zone->toUtf8())).date();
    const Result<QJsonObject> dashboard
        = stats.dashboard({ today.addDays(-29), today, StatsGranularity::Day });
    QVERIFY2(dashboard.ok(), dashboard.ok() ? "" : qPrintable(dashboard.error().fullMessage()));
    auto total = [&](const char *part, const char *key) {
        qint64 sum = 0;
        for (const QJsonValue &p : dashboard->value(QLatin1String(part)).toArray())
            sum += p.toObject().value(QLatin1String(key)).toInteger();
        return sum;
    };
    QVERIFY(total("activations", "count") > 0);
    QVERIFY(total("importsTerminations", "imported") > 0);
    QVERIFY(total("importsTerminations", "terminated") > 0);
}

void TestDemoData::shouldRefuseANonEmptyDatabase()
{
    const Status s = DemoData::generate(m_tdb->connect(), fixedOptions());
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::DemoDataNotEmpty);
    QCOMPARE(s.error().args, QStringList { QStringLiteral("5000") });
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM customers")), QStringLiteral("800"));
}

void TestDemoData::shouldRefuseANonsensicalSize()
{
    auto empty = migratedDatabase(QStringLiteral("demo_zero"));
    REQUIRE_DATABASE(*empty);
    DemoDataOptions zero;
    zero.sims = 0;
    const Status s = DemoData::generate(empty->connect(), zero);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(empty->scalar(QStringLiteral("SELECT count(*) FROM customers")), QStringLiteral("0"));
}

QTEST_GUILESS_MAIN(TestDemoData)
#include "tst_demodata.moc"
