// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "services/simlistquery.h"
#include "testdatabase.h"

#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>

using namespace simdesk;

Q_DECLARE_METATYPE(simdesk::SimListSortKey)
Q_DECLARE_METATYPE(Qt::SortOrder)

namespace {

// The known cards, as the test expects them to be; the list's answers are checked against it.
struct Card
{
    qint64 id = 0;
    QString iccid;
    QString msisdn;
    QString imsi;
    QString status;
    QString type;
    int customer = -1; // index into customers, -1: none
    int tariff = -1;
    bool batch = false;
    qint64 updatedUs = 0; // µs since the epoch
    qint64 activatedUs = -1;
};

const QStringList kStatuses { QStringLiteral("AVAILABLE"), QStringLiteral("RESERVED"),
    QStringLiteral("ACTIVE"), QStringLiteral("SUSPENDED"), QStringLiteral("LOST_STOLEN"),
    QStringLiteral("TERMINATED") };
const QStringList kTypes { QStringLiteral("prepaid"), QStringLiteral("postpaid"),
    QStringLiteral("data-only") };
constexpr int kCards = 300;
// 2026-01-01T00:00:00Z
constexpr qint64 kBaseUs = 1767225600LL * 1000000LL;

QString usText(qint64 us)
{
    return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
        + QStringLiteral(".%1+00").arg(us % 1000000, 6, 10, QLatin1Char('0'));
}

QList<qint64> idsOf(const QList<SimListRow> &rows)
{
    QList<qint64> ids;
    for (const SimListRow &r : rows)
        ids << r.id;
    return ids;
}

// Every sort key of the SIM list, named for data rows.
QList<QPair<const char *, SimListSortKey>> sortKeys()
{
    return { { "id", SimListSortKey::Id }, { "iccid", SimListSortKey::Iccid },
        { "msisdn", SimListSortKey::Msisdn }, { "status", SimListSortKey::Status },
        { "updated_at", SimListSortKey::UpdatedAt } };
}

} // namespace

// The SIM list's queries against known cards: every filter, search, pasted lists, each sort both
// ways with keyset paging, jumps, and totals. Runs as a viewer: the list needs no more.
class TestSimListQuery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void eachFilterShouldSelectExactlyItsCards_data();
    void eachFilterShouldSelectExactlyItsCards();
    void aNarrowFilterShouldPageTheSameWhetherWindowedOrFenced_data();
    void aNarrowFilterShouldPageTheSameWhetherWindowedOrFenced();
    void searchShouldMatchPrefixesAndLastDigitsWhateverTheSeparators_data();
    void searchShouldMatchPrefixesAndLastDigitsWhateverTheSeparators();
    void searchShouldFindACustomerNumberInAnyCase();
    void anIccidPrefixShouldPageEachSortBothWaysAlternativeByAlternative_data();
    void anIccidPrefixShouldPageEachSortBothWaysAlternativeByAlternative();
    void aPastedListShouldReturnMatchesAndTheLinesNotFoundInOrder();
    void aPastedListShouldFilterAndPageLikeAnyFilter();
    void aPastedListLongerThanTheLimitShouldBeRefused();
    void aPastedListShouldPageAndJumpInPastedOrder();
    void iccidRangeShouldIncludeBothEndsAndCompleteACheckDigit();
    void eachSortBothWaysShouldPageWithoutSkippingOrRepeating_data();
    void eachSortBothWaysShouldPageWithoutSkippingOrRepeating();
    void pagingBackShouldRetraceTheSameRows_data();
    void pagingBackShouldRetraceTheSameRows();
    void cursorsShouldKeepMicroseconds();
    void jumpingToAnOffsetShouldLandOnThatRow_data();
    void jumpingToAnOffsetShouldLandOnThatRow();
    void jumpingInALargeResultShouldStartNearThePosition();
    void totalsShouldBeExactWhenCheapAndMarkedWhenEstimated();
    void searchDigitsShouldDropSeparatorsAndInternationalPrefixes_data();
    void searchDigitsShouldDropSeparatorsAndInternationalPrefixes();

private:
    QList<qint64> expected(const std::function<bool(const Card &)> &keep) const;
    QList<qint64> sorted(SimListSortKey key, Qt::SortOrder order,
        const std::function<bool(const Card &)> &keep = {}) const;
    QList<qint64> all(const SimListFilter &filter, const SimListSort &sort = {},
        int pageSize = 1000, const std::function<void(SimListQuery &)> &setUp = {});
    bool matchesSearch(const Card &c, const QString &head, const QString &tail) const;
    // Case `which` of eachFilterShouldSelectExactlyItsCards: the filter and the cards it keeps.
    void filterCase(int which, SimListFilter &f, std::function<bool(const Card &)> &keep) const;

    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_db; // a viewer's connection
    QList<Card> m_cards;
    QList<qint64> m_customers;
    QStringList m_customerNos;
    QList<qint64> m_tariffs;
    qint64 m_batch = 0;
};

void TestSimListQuery::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("simlist"));
    REQUIRE_DATABASE(*m_tdb);
    QSqlDatabase owner = m_tdb->connect();
    Result<QList<int>> migrated = Migrator(owner).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.ok() ? QString() : migrated.error().fullMessage()));

    QCOMPARE(
        m_tdb->exec(QStringLiteral(
            "INSERT INTO customers (customer_no, full_name) VALUES ('C-000001', 'Anna Berg'),"
            " ('C-000002', 'Ben Carter'), ('C-000003', 'Chen Li');"
            "INSERT INTO tariff_plans (code, name) VALUES ('BASIC', 'Basic'), ('MAX', 'Max');"
            "INSERT INTO import_batches (file_name, checksum, format, total_rows, created_count)"
            " VALUES ('box.csv', repeat('a', 64), 'csv', 50, 50)")),
        QString());
    for (const QString &no :
        { QStringLiteral("C-000001"), QStringLiteral("C-000002"), QStringLiteral("C-000003") }) {
        m_customers
            << m_tdb
                   ->scalar(
                       QStringLiteral("SELECT id FROM customers WHERE customer_no = '%1'").arg(no))
                   .toLongLong();
        m_customerNos << no;
    }
    m_tariffs << m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'BASIC'"))
                     .toLongLong()
              << m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'MAX'"))
                     .toLongLong();
    m_batch = m_tdb->scalar(QStringLiteral("SELECT id FROM import_batches")).toLongLong();

    QStringList iccids, msisdns, imsis, statuses, types, updated, activated;
    QList<qint64> customers, tariffs, batches;
    for (int n = 1; n <= kCards; ++n) {
        Card c;
        c.iccid = TestDatabase::iccid(n);
        c.status = kStatuses[n % 6];
        c.type = kTypes[n % 3];
        if (c.status != QLatin1String("TERMINATED") && n % 4 != 0)
            c.msisdn = QStringLiteral("+4917%1").arg(n, 7, 10, QLatin1Char('0'));
        if (n % 5 != 0)
            c.imsi = QStringLiteral("26201%1").arg(n, 10, 10, QLatin1Char('0'));
        const bool held
            = c.status != QLatin1String("AVAILABLE") && c.status != QLatin1String("TERMINATED");
        if (held)
            c.customer = n % 3;
        if (c.status == QLatin1String("ACTIVE") || c.status == QLatin1String("SUSPENDED"))
            c.tariff = n % 2;
        c.batch = n <= 50;
        // Ten cards share each minute (ties broken by id); 201-210 lie microseconds apart.
        c.updatedUs = kBaseUs + qint64(n / 10) * 60 * 1000000;
        if (n > 200 && n <= 210)
            c.updatedUs = kBaseUs + 3600LL * 1000000 + 123456 + (n % 3);
        if (c.status == QLatin1String("ACTIVE") || c.status == QLatin1String("SUSPENDED")
            || c.status == QLatin1String("LOST_STOLEN"))
            c.activatedUs = kBaseUs + qint64(n) * 3600 * 1000000;
        iccids << c.iccid;
        msisdns << (c.msisdn.isEmpty() ? QString() : c.msisdn);
        imsis << (c.imsi.isEmpty() ? QString() : c.imsi);
        statuses << c.status;
        types << c.type;
        customers << (c.customer < 0 ? 0 : m_customers[c.customer]);
        tariffs << (c.tariff < 0 ? 0 : m_tariffs[c.tariff]);
        batches << (c.batch ? m_batch : 0);
        updated << usText(c.updatedUs);
        activated << (c.activatedUs < 0 ? QString() : usText(c.activatedUs));
        m_cards << c;
    }
    // Cards made by the schema owner directly: this test is about reading them.
    Result<QueryResult> inserted = runQuery(owner,
        QStringLiteral(
            "INSERT INTO sim_cards (iccid, msisdn, imsi, status, sim_type, customer_id,"
            " tariff_plan_id, import_batch_id, updated_at, activated_at)"
            " SELECT i, m, s, st, t, nullif(cu, 0), nullif(tp, 0), nullif(b, 0), u::timestamptz,"
            " a::timestamptz"
            " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
            " $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::text[])"
            " WITH ORDINALITY AS x(i, m, s, st, t, cu, tp, b, u, a, o) ORDER BY o RETURNING id"),
        { iccids, msisdns, imsis, statuses, types, QVariant::fromValue(customers),
            QVariant::fromValue(tariffs), QVariant::fromValue(batches), updated, activated });
    QVERIFY2(inserted.ok(), qPrintable(inserted.ok() ? QString() : inserted.error().fullMessage()));
    for (int i = 0; inserted.value().next(); ++i)
        m_cards[i].id = inserted.value().value(0).toLongLong();
    QCOMPARE(m_tdb->exec(QStringLiteral("ANALYZE sim_cards")), QString());

    m_db = m_tdb->connectAs(m_tdb->createLogin(QStringLiteral("viewer"), QStringLiteral("viewer")));
    QVERIFY(m_db.isOpen());
}

QList<qint64> TestSimListQuery::expected(const std::function<bool(const Card &)> &keep) const
{
    return sorted(SimListSortKey::Id, Qt::AscendingOrder, keep);
}

QList<qint64> TestSimListQuery::sorted(
    SimListSortKey key, Qt::SortOrder order, const std::function<bool(const Card &)> &keep) const
{
    QList<Card> cards;
    for (const Card &c : m_cards) {
        if (!keep || keep(c))
            cards << c;
    }
    auto less = [key](const Card &a, const Card &b) {
        switch (key) {
        case SimListSortKey::Id:
            return a.id < b.id;
        case SimListSortKey::Iccid:
            return a.iccid < b.iccid;
        case SimListSortKey::Msisdn:
            if (a.msisdn.isEmpty() != b.msisdn.isEmpty())
                return b.msisdn.isEmpty(); // numbers first, then the cards without one
            if (a.msisdn.isEmpty())
                return a.id < b.id;
            return a.msisdn < b.msisdn;
        case SimListSortKey::Status:
            return std::tie(a.status, a.id) < std::tie(b.status, b.id);
        case SimListSortKey::UpdatedAt:
            return std::tie(a.updatedUs, a.id) < std::tie(b.updatedUs, b.id);
        case SimListSortKey::Pasted: // no property of a card: its tests spell the order out
            break;
        }
        return false;
    };
    std::sort(cards.begin(), cards.end(), less);
    if (order == Qt::DescendingOrder)
        std::reverse(cards.begin(), cards.end());
    QList<qint64> ids;
    for (const Card &c : cards)
        ids << c.id;
    return ids;
}

QList<qint64> TestSimListQuery::all(const SimListFilter &filter, const SimListSort &sort,
    int pageSize, const std::function<void(SimListQuery &)> &setUp)
{
    SimListQuery q(m_db);
    if (setUp)
        setUp(q);
    QList<qint64> ids;
    Result<SimListPage> page = q.firstPage(filter, sort, pageSize);
    while (page.ok() && !page->rows.isEmpty()) {
        ids << idsOf(page->rows);
        if (ids.size() > kCards * 2)
            break;
        page = q.pageAfter(
            filter, sort, SimListQuery::cursorOf(page->rows.last(), sort.key), pageSize);
    }
    if (!page.ok())
        qWarning("%s", qPrintable(page.error().fullMessage()));
    return ids;
}

bool TestSimListQuery::matchesSearch(const Card &c, const QString &head, const QString &tail) const
{
    const QString m = c.msisdn.mid(1);
    return c.iccid.startsWith(head) || c.iccid.endsWith(tail)
        || (!m.isEmpty() && (m.startsWith(head) || m.endsWith(tail)))
        || (!c.imsi.isEmpty() && (c.imsi.startsWith(head) || c.imsi.endsWith(tail)));
}

void TestSimListQuery::eachFilterShouldSelectExactlyItsCards_data()
{
    QTest::addColumn<int>("which");
    QTest::newRow("one status") << 0;
    QTest::newRow("several statuses") << 1;
    QTest::newRow("sim type") << 2;
    QTest::newRow("tariff plan") << 3;
    QTest::newRow("no tariff plan") << 4;
    QTest::newRow("customer") << 5;
    QTest::newRow("import batch") << 6;
    QTest::newRow("changed since (exact microsecond)") << 7;
    QTest::newRow("activated within [from, to)") << 8;
    QTest::newRow("status, type and customer together") << 9;
}

void TestSimListQuery::filterCase(
    int which, SimListFilter &f, std::function<bool(const Card &)> &keep) const
{
    const qint64 since = m_cards[204].updatedUs; // card 205: …:00.123457
    const qint64 from = kBaseUs + 100LL * 3600 * 1000000;
    const qint64 to = kBaseUs + 150LL * 3600 * 1000000;
    switch (which) {
    case 0:
        f.statuses = { SimStatus::Suspended };
        keep = [](const Card &c) {
            return c.status == QLatin1String("SUSPENDED");
        };
        break;
    case 1:
        f.statuses = { SimStatus::Reserved, SimStatus::LostStolen };
        keep = [](const Card &c) {
            return c.status == QLatin1String("RESERVED")
                || c.status == QLatin1String("LOST_STOLEN");
        };
        break;
    case 2:
        f.type = SimType::DataOnly;
        keep = [](const Card &c) {
            return c.type == QLatin1String("data-only");
        };
        break;
    case 3:
        f.tariffPlanId = m_tariffs[1];
        keep = [](const Card &c) {
            return c.tariff == 1;
        };
        break;
    case 4:
        f.noTariff = true;
        f.tariffPlanId = m_tariffs[1]; // ignored
        keep = [](const Card &c) {
            return c.tariff < 0;
        };
        break;
    case 5:
        f.customerId = m_customers[2];
        keep = [](const Card &c) {
            return c.customer == 2;
        };
        break;
    case 6:
        f.importBatchId = m_batch;
        keep = [](const Card &c) {
            return c.batch;
        };
        break;
    case 7:
        f.changedSince = QDateTime::fromMSecsSinceEpoch(since / 1000, Qt::UTC); // …:00.123
        keep = [since](const Card &c) {
            return c.updatedUs >= since / 1000 * 1000;
        };
        break;
    case 8:
        f.activatedFrom = QDateTime::fromMSecsSinceEpoch(from / 1000, Qt::UTC);
        f.activatedTo = QDateTime::fromMSecsSinceEpoch(to / 1000, Qt::UTC);
        keep = [from, to](const Card &c) {
            return c.activatedUs >= from && c.activatedUs < to;
        };
        break;
    default:
        f.statuses = { SimStatus::Active, SimStatus::Suspended };
        f.type = SimType::Prepaid;
        f.customerId = m_customers[0];
        keep = [](const Card &c) {
            return (c.status == QLatin1String("ACTIVE") || c.status == QLatin1String("SUSPENDED"))
                && c.type == QLatin1String("prepaid") && c.customer == 0;
        };
        break;
    }
}

void TestSimListQuery::eachFilterShouldSelectExactlyItsCards()
{
    QFETCH(int, which);
    SimListFilter f;
    std::function<bool(const Card &)> keep;
    filterCase(which, f, keep);
    const QList<qint64> want = expected(keep);
    QVERIFY(!want.isEmpty());
    QVERIFY(want.size() < kCards);
    QCOMPARE(all(f, {}, 17), want);
    Result<SimListTotal> total = SimListQuery(m_db).total(f);
    QVERIFY(total.ok());
    QVERIFY(total->exact);
    QCOMPARE(total->count, qint64(want.size()));
}

void TestSimListQuery::aNarrowFilterShouldPageTheSameWhetherWindowedOrFenced_data()
{
    QTest::addColumn<int>("which"); // a case of eachFilterShouldSelectExactlyItsCards
    QTest::addColumn<SimListSortKey>("key");
    QTest::addColumn<Qt::SortOrder>("order");
    const QList<QPair<const char *, int>> filters { { "customer", 5 }, { "import batch", 6 },
        { "changed since", 7 }, { "activated", 8 } };
    for (const auto &f : filters) {
        QTest::addRow("%s, by id", f.first) << f.second << SimListSortKey::Id << Qt::AscendingOrder;
        QTest::addRow("%s, by ICCID descending", f.first)
            << f.second << SimListSortKey::Iccid << Qt::DescendingOrder;
        QTest::addRow("%s, by last change", f.first)
            << f.second << SimListSortKey::UpdatedAt << Qt::AscendingOrder;
    }
}

void TestSimListQuery::aNarrowFilterShouldPageTheSameWhetherWindowedOrFenced()
{
    QFETCH(int, which);
    QFETCH(SimListSortKey, key);
    QFETCH(Qt::SortOrder, order);
    SimListFilter f;
    std::function<bool(const Card &)> keep;
    filterCase(which, f, keep);
    const QList<qint64> want = sorted(key, order, keep);
    QVERIFY(!want.isEmpty());
    // The planner expects few matches here, so by default they are fenced; a fence limit below
    // any estimate sends every page through the window first. A window smaller than a page
    // always misses (the fence follows, then later pages go straight to it); one of 40 rows
    // hits where matches are dense and misses across gaps; one larger than the table hits.
    QCOMPARE(all(f, { key, order }, 7), want);
    for (int window : { 5, 40, 100000 }) {
        const QList<qint64> got = all(
            f, { key, order }, 7, [window](SimListQuery &q) { q.setNarrowFilterPlan(-1, window); });
        QVERIFY2(got == want, qPrintable(QStringLiteral("window of %1 rows").arg(window)));
    }
}

void TestSimListQuery::searchShouldMatchPrefixesAndLastDigitsWhateverTheSeparators_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("digits"); // what the typed text means at the start of a number
    QTest::addColumn<QString>("tail"); // … and at its end
    const QString iccid = TestDatabase::iccid(123);
    QTest::newRow("ICCID prefix") << iccid.left(16) << iccid.left(16) << iccid.left(16);
    QTest::newRow("ICCID as scanned, with spaces and dashes")
        << QStringLiteral("%1 %2-%3").arg(iccid.left(6), iccid.mid(6, 7), iccid.mid(13)) << iccid
        << iccid;
    QTest::newRow("ICCID last digits") << iccid.right(7) << iccid.right(7) << iccid.right(7);
    QTest::newRow("MSISDN with +")
        << QStringLiteral("+49 170 000 123") << QStringLiteral("49170000123")
        << QStringLiteral("49170000123");
    QTest::newRow("MSISDN with 00")
        << QStringLiteral("0049-170-000123") << QStringLiteral("49170000123")
        << QStringLiteral("0049170000123");
    QTest::newRow("MSISDN prefix") << QStringLiteral("+4917000001") << QStringLiteral("4917000001")
                                   << QStringLiteral("4917000001");
    QTest::newRow("MSISDN last digits, bracketed")
        << QStringLiteral("(01) 23") << QStringLiteral("0123") << QStringLiteral("0123");
    QTest::newRow("IMSI prefix") << QStringLiteral("26201 00000001")
                                 << QStringLiteral("2620100000001")
                                 << QStringLiteral("2620100000001");
    QTest::newRow("last digits starting with 00")
        << QStringLiteral("00000277") << QStringLiteral("000277") << QStringLiteral("00000277");
    QTest::newRow("no such number")
        << QStringLiteral("+1 555 0100 999") << QStringLiteral("15550100999")
        << QStringLiteral("15550100999");
}

void TestSimListQuery::searchShouldMatchPrefixesAndLastDigitsWhateverTheSeparators()
{
    QFETCH(QString, typed);
    QFETCH(QString, digits);
    QFETCH(QString, tail);
    SimListFilter f;
    f.search = typed;
    const QList<qint64> want
        = expected([&](const Card &c) { return matchesSearch(c, digits, tail); });
    if (!QTest::currentDataTag() || QByteArray(QTest::currentDataTag()) != "no such number")
        QVERIFY(!want.isEmpty());
    QCOMPARE(all(f, {}, 7), want);
}

void TestSimListQuery::anIccidPrefixShouldPageEachSortBothWaysAlternativeByAlternative_data()
{
    QTest::addColumn<SimListSortKey>("key");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<int>("status"); // -1: no filter
    for (const auto &k : sortKeys()) {
        QTest::addRow("%s ascending", k.first) << k.second << Qt::AscendingOrder << -1;
        QTest::addRow("%s descending, ACTIVE only", k.first)
            << k.second << Qt::DescendingOrder << int(SimStatus::Active);
    }
}

// An 8-digit ICCID prefix is fenced one search alternative at a time (each limited,
// then UNION; SimListSql::searchArmsFrom): every order pages the same cards as the plain filter,
// without gaps or repeats, alone and with another filter.
void TestSimListQuery::anIccidPrefixShouldPageEachSortBothWaysAlternativeByAlternative()
{
    QFETCH(SimListSortKey, key);
    QFETCH(Qt::SortOrder, order);
    QFETCH(int, status);
    const QString prefix = TestDatabase::iccid(1).left(8); // every card
    SimListFilter f;
    f.search = prefix;
    QString wanted;
    if (status >= 0) {
        f.statuses = { SimStatus(status) };
        wanted = statusKey(SimStatus(status));
    }
    const QList<qint64> want = sorted(key, order, [&](const Card &c) {
        return matchesSearch(c, prefix, prefix) && (wanted.isEmpty() || c.status == wanted);
    });
    QVERIFY(want.size() > 7);
    QCOMPARE(all(f, { key, order }, 7), want);
}

void TestSimListQuery::searchShouldFindACustomerNumberInAnyCase()
{
    SimListFilter f;
    f.search = QStringLiteral(" c-000002 ");
    const QList<qint64> want = expected([](const Card &c) { return c.customer == 1; });
    QVERIFY(!want.isEmpty());
    QCOMPARE(all(f), want);
    f.search = QStringLiteral("C-999999");
    QVERIFY(all(f).isEmpty());
}

void TestSimListQuery::aPastedListShouldReturnMatchesAndTheLinesNotFoundInOrder()
{
    const QString text = QStringLiteral("%1\r\n"
                                        "  +49 170 000 007\n"
                                        "\n"
                                        "not a number\n"
                                        "0049 170000013\n"
                                        "26201-0000000014\n"
                                        "%2\n"
                                        "%3\n"
                                        "%4\n")
                             .arg(TestDatabase::iccid(5).insert(6, QLatin1Char('-')),
                                 TestDatabase::iccid(999), // no such card
                                 TestDatabase::iccid(21).left(18), // check digit left out
                                 TestDatabase::iccid(5)); // the first card again
    const QStringList lines = SimListQuery::splitIdentifierList(text);
    QCOMPARE(lines.size(), 8);
    Result<SimListMatches> m = SimListQuery(m_db).matchIdentifiers(lines);
    QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().fullMessage()));
    QCOMPARE(idsOf(m->rows),
        (QList<qint64> {
            m_cards[4].id, m_cards[6].id, m_cards[12].id, m_cards[13].id, m_cards[20].id }));
    QCOMPARE(
        m->notFound, (QStringList { QStringLiteral("not a number"), TestDatabase::iccid(999) }));
    QCOMPARE(m->rows.at(1).msisdn, QStringLiteral("+49170000007"));
}

void TestSimListQuery::aPastedListShouldFilterAndPageLikeAnyFilter()
{
    SimListFilter f;
    for (int n : { 250, 3, 77, 150, 299, 41 })
        f.identifiers << TestDatabase::iccid(n);
    f.identifiers << QStringLiteral("+49170000006") << QStringLiteral("unknown");
    const QSet<QString> iccids { TestDatabase::iccid(250), TestDatabase::iccid(3),
        TestDatabase::iccid(77), TestDatabase::iccid(150), TestDatabase::iccid(299),
        TestDatabase::iccid(41) };
    auto keep = [&](const Card &c) {
        return iccids.contains(c.iccid) || c.msisdn == QLatin1String("+49170000006");
    };
    QCOMPARE(all(f, {}, 2), expected(keep));
    const SimListSort byIccidDesc { SimListSortKey::Iccid, Qt::DescendingOrder };
    QCOMPARE(all(f, byIccidDesc, 3), sorted(SimListSortKey::Iccid, Qt::DescendingOrder, keep));
    Result<SimListTotal> total = SimListQuery(m_db).total(f);
    QVERIFY(total.ok());
    QCOMPARE(total->count, qint64(7));
    QVERIFY(total->exact);
}

void TestSimListQuery::aPastedListShouldPageAndJumpInPastedOrder()
{
    auto byMsisdn = [this](const QString &msisdn) {
        for (const Card &c : m_cards) {
            if (c.msisdn == msisdn)
                return c.id;
        }
        return qint64(0);
    };
    const qint64 numbered = byMsisdn(QStringLiteral("+49170000006"));
    QVERIFY(numbered != 0);
    SimListFilter f;
    // Repeats (the same line, the same card by another identifier) and lines that match nothing.
    f.identifiers = { TestDatabase::iccid(250), QStringLiteral("+49170000006"),
        TestDatabase::iccid(3), QStringLiteral("unknown"), TestDatabase::iccid(77),
        TestDatabase::iccid(250), TestDatabase::iccid(999), TestDatabase::iccid(41) };
    for (const Card &c : m_cards) {
        if (c.id == numbered)
            f.identifiers.insert(3, c.iccid);
    }
    const QList<qint64> want { m_cards[249].id, numbered, m_cards[2].id, m_cards[76].id,
        m_cards[40].id };
    const SimListSort pasted { SimListSortKey::Pasted, Qt::AscendingOrder };
    for (int pageSize : { 1, 2, 3, 1000 })
        QCOMPARE(all(f, pasted, pageSize), want);
    SimListQuery q(m_db);
    // Back from the end (Ctrl+End, then up).
    QList<qint64> backwards;
    Result<SimListPage> page = q.lastPage(f, pasted, 2);
    while (page.ok() && !page->rows.isEmpty() && backwards.size() <= want.size()) {
        backwards = idsOf(page->rows) + backwards;
        page = q.pageBefore(f, pasted, SimListQuery::cursorOf(page->rows.first(), pasted.key), 2);
    }
    QVERIFY(page.ok());
    QCOMPARE(backwards, want);
    Result<SimListTotal> total = q.total(f);
    QVERIFY(total.ok());
    QCOMPARE(total->count, qint64(want.size()));
    for (qint64 offset = 0; offset < want.size(); ++offset) {
        Result<SimListPage> at = q.rowsAt(f, pasted, offset, 2, *total);
        QVERIFY2(at.ok(), qPrintable(at.ok() ? QString() : at.error().fullMessage()));
        QCOMPARE(idsOf(at->rows), want.mid(offset, 2));
        QCOMPARE(at->offset, offset);
        QVERIFY(at->positionExact);
    }
    // With more of a filter the list keeps its order; a column's order still works.
    QHash<qint64, Card> cardOf;
    for (const Card &c : m_cards)
        cardOf.insert(c.id, c);
    const QString status = m_cards[76].status;
    f.statuses = { *statusFromKey(status) };
    QList<qint64> same;
    for (qint64 id : want) {
        if (cardOf.value(id).status == status)
            same << id;
    }
    QVERIFY(same.size() < want.size());
    QCOMPARE(all(f, pasted, 1), same);
    f.statuses.clear();
    QList<qint64> byIccid = want;
    std::sort(byIccid.begin(), byIccid.end(),
        [&](qint64 a, qint64 b) { return cardOf.value(a).iccid < cardOf.value(b).iccid; });
    QVERIFY(byIccid != want);
    QCOMPARE(all(f, { SimListSortKey::Iccid, Qt::AscendingOrder }, 2), byIccid);
    // Without a pasted list the order is by id.
    QCOMPARE(all({}, pasted), sorted(SimListSortKey::Id, Qt::AscendingOrder));
}

void TestSimListQuery::aPastedListLongerThanTheLimitShouldBeRefused()
{
    QStringList lines;
    for (int i = 0; i <= SimListQuery::kMaxIdentifiers; ++i)
        lines << QString::number(1000000 + i);
    Result<SimListMatches> m = SimListQuery(m_db).matchIdentifiers(lines);
    QVERIFY(!m.ok());
    QCOMPARE(m.error().code, ErrorCode::InvalidArgument);
    lines.removeLast();
    m = SimListQuery(m_db).matchIdentifiers(lines);
    QVERIFY(m.ok());
    QCOMPARE(m->notFound.size(), SimListQuery::kMaxIdentifiers);
}

void TestSimListQuery::iccidRangeShouldIncludeBothEndsAndCompleteACheckDigit()
{
    SimListFilter f;
    f.iccidFirst = TestDatabase::iccid(40).left(18); // the check digit is added
    f.iccidLast = TestDatabase::iccid(60).insert(4, QLatin1Char(' '));
    const QString first = TestDatabase::iccid(40);
    const QString last = TestDatabase::iccid(60);
    const QList<qint64> want
        = expected([&](const Card &c) { return c.iccid >= first && c.iccid <= last; });
    QCOMPARE(want.size(), 21);
    QCOMPARE(all(f, {}, 5), want);
    f.iccidLast.clear();
    QCOMPARE(all(f).size(), kCards - 39);
}

void TestSimListQuery::eachSortBothWaysShouldPageWithoutSkippingOrRepeating_data()
{
    QTest::addColumn<SimListSortKey>("key");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<int>("status"); // -1: no filter
    for (const auto &k : sortKeys()) {
        QTest::addRow("%s ascending", k.first) << k.second << Qt::AscendingOrder << -1;
        QTest::addRow("%s descending", k.first) << k.second << Qt::DescendingOrder << -1;
        QTest::addRow("%s ascending, LOST_STOLEN only", k.first)
            << k.second << Qt::AscendingOrder << int(SimStatus::LostStolen);
        QTest::addRow("%s descending, TERMINATED only", k.first)
            << k.second << Qt::DescendingOrder << int(SimStatus::Terminated);
    }
}

void TestSimListQuery::eachSortBothWaysShouldPageWithoutSkippingOrRepeating()
{
    QFETCH(SimListSortKey, key);
    QFETCH(Qt::SortOrder, order);
    QFETCH(int, status);
    SimListFilter f;
    std::function<bool(const Card &)> keep;
    if (status >= 0) {
        f.statuses = { SimStatus(status) };
        const QString s = statusKey(SimStatus(status));
        keep = [s](const Card &c) {
            return c.status == s;
        };
    }
    // 7 does not divide the groups of 10 equal update times: pages end inside them.
    QCOMPARE(all(f, { key, order }, 7), sorted(key, order, keep));
}

void TestSimListQuery::pagingBackShouldRetraceTheSameRows_data()
{
    eachSortBothWaysShouldPageWithoutSkippingOrRepeating_data();
}

void TestSimListQuery::pagingBackShouldRetraceTheSameRows()
{
    QFETCH(SimListSortKey, key);
    QFETCH(Qt::SortOrder, order);
    QFETCH(int, status);
    SimListFilter f;
    if (status >= 0)
        f.statuses = { SimStatus(status) };
    const SimListSort sort { key, order };
    SimListQuery q(m_db);
    QList<qint64> backwards;
    Result<SimListPage> page = q.lastPage(f, sort, 9);
    QVERIFY(page.ok());
    while (page.ok() && !page->rows.isEmpty() && backwards.size() <= kCards) {
        backwards = idsOf(page->rows) + backwards;
        page = q.pageBefore(f, sort, SimListQuery::cursorOf(page->rows.first(), key), 9);
    }
    QVERIFY(page.ok());
    QCOMPARE(backwards, all(f, sort, 1000));
}

void TestSimListQuery::cursorsShouldKeepMicroseconds()
{
    // Cards 201-210 changed within 3 µs of each other (same millisecond).
    SimListFilter f;
    f.changedSince = QDateTime::fromMSecsSinceEpoch((kBaseUs + 3600LL * 1000000) / 1000, Qt::UTC);
    const SimListSort sort { SimListSortKey::UpdatedAt, Qt::AscendingOrder };
    SimListQuery q(m_db);
    Result<SimListPage> first = q.firstPage(f, sort, 4);
    QVERIFY(first.ok());
    QCOMPARE(first->rows.size(), 4);
    QCOMPARE(first->rows.first().updatedAtUs % 1000000, qint64(123456));
    // The time shown is the exact one cut to milliseconds (never rounded up).
    QCOMPARE(
        first->rows.first().updatedAt.toMSecsSinceEpoch(), first->rows.first().updatedAtUs / 1000);
    QCOMPARE(first->rows.first().updatedAt.time().msec(), 123);
    QCOMPARE(
        first->rows.at(3).updatedAtUs, m_cards[209].updatedUs); // card 210 = …456 (210 % 3 == 0)
    const SimListCursor c = SimListQuery::cursorOf(first->rows.last(), sort.key);
    QCOMPARE(c.key.toLongLong(), first->rows.last().updatedAtUs);
    Result<SimListPage> next = q.pageAfter(f, sort, c, 3);
    QVERIFY(next.ok());
    QCOMPARE(next->rows.size(), 3);
    QVERIFY(next->rows.first().updatedAtUs > first->rows.last().updatedAtUs);
}

void TestSimListQuery::jumpingToAnOffsetShouldLandOnThatRow_data()
{
    QTest::addColumn<SimListSortKey>("key");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<int>("offset");
    for (int offset : { 0, 1, 137, 150, 151, 290, 295 }) {
        QTest::addRow("id from %d", offset) << SimListSortKey::Id << Qt::AscendingOrder << offset;
        QTest::addRow("msisdn descending from %d", offset)
            << SimListSortKey::Msisdn << Qt::DescendingOrder << offset;
        QTest::addRow("updated_at from %d", offset)
            << SimListSortKey::UpdatedAt << Qt::AscendingOrder << offset;
        QTest::addRow("status descending from %d", offset)
            << SimListSortKey::Status << Qt::DescendingOrder << offset;
        QTest::addRow("iccid from %d", offset)
            << SimListSortKey::Iccid << Qt::AscendingOrder << offset;
    }
}

void TestSimListQuery::jumpingToAnOffsetShouldLandOnThatRow()
{
    QFETCH(SimListSortKey, key);
    QFETCH(Qt::SortOrder, order);
    QFETCH(int, offset);
    SimListQuery q(m_db);
    Result<SimListTotal> total = q.total({});
    QVERIFY(total.ok());
    QVERIFY(total->exact);
    QCOMPARE(total->count, qint64(kCards));
    Result<SimListPage> page = q.rowsAt({}, { key, order }, offset, 10, *total);
    QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().fullMessage()));
    const QList<qint64> want = sorted(key, order).mid(offset, 10);
    QCOMPARE(idsOf(page->rows), want);
    QCOMPARE(page->offset, qint64(offset));
    QVERIFY(page->positionExact);
}

void TestSimListQuery::jumpingInALargeResultShouldStartNearThePosition()
{
    // A total larger than the real one (as an estimate may be): the jump still returns rows
    // in list order from a cursor, and says whether its position is exact.
    SimListQuery q(m_db);
    for (SimListSortKey key :
        { SimListSortKey::Id, SimListSortKey::Msisdn, SimListSortKey::Iccid }) {
        const QList<qint64> order = sorted(key, Qt::AscendingOrder);
        Result<SimListPage> page
            = q.rowsAt({}, { key, Qt::AscendingOrder }, 100, 10, SimListTotal { 400, false });
        QVERIFY(page.ok());
        QVERIFY(!page->rows.isEmpty());
        const qint64 at = order.indexOf(page->rows.first().id);
        QVERIFY(at >= 0);
        QCOMPARE(idsOf(page->rows), order.mid(at, page->rows.size()));
    }
}

void TestSimListQuery::totalsShouldBeExactWhenCheapAndMarkedWhenEstimated()
{
    SimListQuery q(m_db);
    q.setExactCountLimit(100);
    // Every card, or those of some statuses and a tariff: the database's rollup counts them
    // exactly at no cost, whatever the limit.
    Result<SimListTotal> whole = q.total({});
    QVERIFY(whole.ok());
    QVERIFY(whole->exact);
    QCOMPARE(whole->count, qint64(kCards));
    SimListFilter byStatus;
    byStatus.statuses = { SimStatus::Active, SimStatus::Available };
    byStatus.noTariff = true;
    Result<SimListTotal> statuses = q.total(byStatus);
    QVERIFY(statuses.ok());
    QVERIFY(statuses->exact);
    QCOMPARE(statuses->count, *q.countExactly(byStatus));
    // Beyond the limit, any other filter is the planner's estimate, marked so.
    SimListFilter recent;
    recent.changedSince = QDateTime(QDate(2000, 1, 1), QTime(0, 0), Qt::UTC);
    Result<SimListTotal> estimated = q.total(recent);
    QVERIFY(estimated.ok());
    QVERIFY(!estimated->exact);
    QVERIFY2(estimated->count > 200 && estimated->count < 400,
        qPrintable(QString::number(estimated->count)));
    Result<qint64> exact = q.countExactly(recent);
    QVERIFY(exact.ok());
    QCOMPARE(*exact, qint64(kCards));

    SimListFilter few;
    few.customerId = m_customers[0];
    const qint64 want = expected([](const Card &c) { return c.customer == 0; }).size();
    QVERIFY(want <= 100);
    Result<SimListTotal> small = q.total(few);
    QVERIFY(small.ok());
    QVERIFY(small->exact);
    QCOMPARE(small->count, want);
    QCOMPARE(*q.countExactly(few), want);
}

void TestSimListQuery::searchDigitsShouldDropSeparatorsAndInternationalPrefixes_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("digits");
    QTest::newRow("plus") << QStringLiteral("+49 170 1234567") << QStringLiteral("491701234567");
    QTest::newRow("double zero") << QStringLiteral("0049-170-1234567")
                                 << QStringLiteral("491701234567");
    QTest::newRow("dots, slash, brackets")
        << QStringLiteral("(8949) 12.34/56") << QStringLiteral("8949123456");
    QTest::newRow("letters") << QStringLiteral("C-000123") << QString();
    QTest::newRow("plus inside") << QStringLiteral("49+170") << QString();
}

void TestSimListQuery::searchDigitsShouldDropSeparatorsAndInternationalPrefixes()
{
    QFETCH(QString, input);
    QFETCH(QString, digits);
    QCOMPARE(SimListQuery::searchDigits(input), digits);
}

QTEST_GUILESS_MAIN(TestSimListQuery)
#include "tst_simlistquery.moc"
