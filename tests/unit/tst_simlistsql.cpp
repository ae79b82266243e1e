// SPDX-License-Identifier: MIT
#include "services/identifierlist.h"
#include "services/simlistsql.h"
#include "testdatabase.h"

#include <QRegularExpression>
#include <QTest>

#include <functional>

using namespace simdesk;

Q_DECLARE_METATYPE(simdesk::SimListFilter)
Q_DECLARE_METATYPE(simdesk::SimListSortKey)

namespace {

// 2026-01-01T00:00:00Z
const QDateTime kNewYear(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);

// The numbers of the placeholders a statement uses, each once, in ascending order.
QList<int> placeholders(const QString &sql)
{
    static const QRegularExpression placeholder(QStringLiteral("\\$(\\d+)"));
    QList<int> numbers;
    for (const QRegularExpressionMatch &m : placeholder.globalMatch(sql)) {
        const int n = m.captured(1).toInt();
        if (!numbers.contains(n))
            numbers << n;
    }
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

// 1..n: what a statement with n bound values must use, every one of them.
QList<int> oneTo(qsizetype n)
{
    QList<int> numbers;
    for (int i = 1; i <= n; ++i)
        numbers << i;
    return numbers;
}

SimListFilter withStatuses(const QList<SimStatus> &statuses)
{
    SimListFilter f;
    f.statuses = statuses;
    return f;
}

SimListFilter withSearch(const QString &search)
{
    SimListFilter f;
    f.search = search;
    return f;
}

// "where | order" of each part, with the part's key and id after it when it has them.
QStringList describe(const QList<SimListPart> &parts)
{
    QStringList out;
    for (const SimListPart &p : parts) {
        QString s = p.where + QStringLiteral(" | ") + p.order;
        if (!p.key.isNull())
            s += QStringLiteral(" | k=") + p.key.toString();
        if (!p.id.isNull())
            s += QStringLiteral(" | i=") + p.id.toString();
        out << s;
    }
    return out;
}

} // namespace

// The SIM list's statements as text and values, with no database: each filter's conditions and
// bound values, the keyset parts of each sort, and the shape of every select. That the
// statements select the right cards is tests/db/tst_simlistquery.cpp's subject.
class TestSimListSql : public QObject
{
    Q_OBJECT

private slots:
    void eachFilterShouldAddItsConditionsWithItsValuesBound_data();
    void eachFilterShouldAddItsConditionsWithItsValuesBound();
    void aSearchShouldBindTheDigitsOfBothEndsOfEveryIdentifier_data();
    void aSearchShouldBindTheDigitsOfBothEndsOfEveryIdentifier();
    void aListLongerThanTheLimitShouldBeRefusedWithNothingAdded();
    void typedValuesShouldNeverBeWrittenIntoAStatement_data();
    void typedValuesShouldNeverBeWrittenIntoAStatement();
    void keysetPartsShouldContinueAfterTheCursor_data();
    void keysetPartsShouldContinueAfterTheCursor();
    void orderedIdsShouldLimitEachPartAndSkipTheOffset_data();
    void orderedIdsShouldLimitEachPartAndSkipTheOffset();
    void aWindowShouldFilterTheNextRowsOfTheListOrder();
    void aPageShouldReadItsIdsRowsWithNamesInListOrder_data();
    void aPageShouldReadItsIdsRowsWithNamesInListOrder();
    void theLocatorShouldReadOnlyTheSortKeyAndId_data();
    void theLocatorShouldReadOnlyTheSortKeyAndId();
    void aSampleShouldBindItsShareAfterTheFiltersValues();
    void countsAndIdsShouldBindTheirLimitsLast();
    void theCacheKeyShouldChangeExactlyWithConditionsOrValues();
    void thePastedOrderShouldNumberTheListsIdsAndPageByNumberThenId();
    void theListOrderShouldPlaceEachCardAtTheFirstLineNamingIt();
};

void TestSimListSql::eachFilterShouldAddItsConditionsWithItsValuesBound_data()
{
    QTest::addColumn<SimListFilter>("filter");
    QTest::addColumn<QStringList>("conditions");
    QTest::addColumn<QVariantList>("values");

    QTest::newRow("no filter adds nothing") << SimListFilter() << QStringList() << QVariantList();
    QTest::newRow("one status is compared with its key")
        << withStatuses({ SimStatus::Suspended }) << QStringList { QStringLiteral("c.status = $1") }
        << QVariantList { QStringLiteral("SUSPENDED") };
    QTest::newRow("several statuses are one text array")
        << withStatuses({ SimStatus::Reserved, SimStatus::LostStolen })
        << QStringList { QStringLiteral("c.status = ANY($1::text[])") }
        << QVariantList { QStringList {
               QStringLiteral("RESERVED"), QStringLiteral("LOST_STOLEN") } };
    SimListFilter f;
    f.type = SimType::DataOnly;
    QTest::newRow("a card type is compared with its key")
        << f << QStringList { QStringLiteral("c.sim_type = $1") }
        << QVariantList { QStringLiteral("data-only") };
    f = {};
    f.tariffPlanId = 7;
    QTest::newRow("a tariff plan by id")
        << f << QStringList { QStringLiteral("c.tariff_plan_id = $1::bigint") }
        << QVariantList { qint64(7) };
    f.noTariff = true;
    QTest::newRow("no tariff plan wins over a tariff plan")
        << f << QStringList { QStringLiteral("c.tariff_plan_id IS NULL") } << QVariantList();
    f = {};
    f.customerId = 12;
    f.importBatchId = 3;
    QTest::newRow("a customer and an import batch by id")
        << f
        << QStringList { QStringLiteral("c.customer_id = $1::bigint"),
               QStringLiteral("c.import_batch_id = $2::bigint") }
        << QVariantList { qint64(12), qint64(3) };
    f = {};
    f.changedSince = kNewYear;
    f.activatedFrom = kNewYear.addDays(-7);
    f.activatedTo = kNewYear;
    QTest::newRow("times: changed since, activated in [from, to)")
        << f
        << QStringList { QStringLiteral("c.updated_at >= $1::timestamptz"),
               QStringLiteral("c.activated_at >= $2::timestamptz"),
               QStringLiteral("c.activated_at < $3::timestamptz") }
        << QVariantList { kNewYear, kNewYear.addDays(-7), kNewYear };
    f = {};
    f.iccidFirst = TestDatabase::iccid(4).left(18).insert(4, QLatin1Char(' '));
    f.iccidLast = QStringLiteral(" 8949-22 ");
    QTest::newRow("an ICCID range: a whole ICCID gets its check digit, a part stays digits")
        << f
        << QStringList { QStringLiteral("c.iccid >= $1::text"),
               QStringLiteral("c.iccid <= $2::text") }
        << QVariantList { TestDatabase::iccid(4), QStringLiteral("894922") };
    QTest::newRow("a search that is no number looks for a customer number in capitals")
        << withSearch(QStringLiteral(" c-000123 "))
        << QStringList { QStringLiteral("c.customer_id = (SELECT cu.id FROM customers cu WHERE "
                                        "cu.customer_no = $1::text)") }
        << QVariantList { QStringLiteral("C-000123") };
    f = {};
    f.statuses = { SimStatus::Active };
    f.customerId = 5;
    f.search = QStringLiteral("c-1");
    f.type = SimType::Prepaid;
    QTest::newRow("parts combine in one fixed order, values numbered as they come")
        << f
        << QStringList { QStringLiteral("c.status = $1"), QStringLiteral("c.sim_type = $2"),
               QStringLiteral("c.customer_id = $3::bigint"),
               QStringLiteral("c.customer_id = (SELECT cu.id FROM customers cu WHERE "
                              "cu.customer_no = $4::text)") }
        << QVariantList { QStringLiteral("ACTIVE"), QStringLiteral("prepaid"), qint64(5),
               QStringLiteral("C-1") };
    f = {};
    f.identifiers = QStringList { QStringLiteral("+49 170 0000007"), QStringLiteral("nothing") };
    QTest::newRow("a pasted list is matched inside the statement by its values")
        << f
        << QStringList { QStringLiteral(
               "c.id = ANY(ARRAY(SELECT l.id FROM sim_cards l WHERE l.iccid = ANY($1::text[]) OR "
               "l.msisdn = ANY($2::text[]) OR l.imsi = ANY($3::text[])))") }
        << QVariantList { QStringList(), QStringList { QStringLiteral("+491700000007") },
               QStringList() };
}

void TestSimListSql::eachFilterShouldAddItsConditionsWithItsValuesBound()
{
    QFETCH(SimListFilter, filter);
    QFETCH(QStringList, conditions);
    QFETCH(QVariantList, values);
    SimListSql sql;
    QVERIFY(sql.addFilter(filter).ok());
    QCOMPARE(sql.conditions(), conditions);
    QCOMPARE(sql.values(), values);
    QCOMPARE(placeholders(sql.whereClause()), oneTo(values.size()));
    // Only a list matched inside the statement needs the planner kept off a table scan.
    QCOMPARE(sql.noSeqScan(), !filter.identifiers.isEmpty());

    // With the list's cards known, the same filter reads just their ids.
    if (!filter.identifiers.isEmpty()) {
        const QList<qint64> ids { 4, 8 };
        SimListSql known;
        QVERIFY(known.addFilter(filter, &ids).ok());
        QCOMPARE(known.conditions(), QStringList { QStringLiteral("c.id = ANY($1::bigint[])") });
        QCOMPARE(known.values(), QVariantList { QVariant::fromValue(ids) });
        QVERIFY(!known.noSeqScan());
    }
}

void TestSimListSql::aSearchShouldBindTheDigitsOfBothEndsOfEveryIdentifier_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("head"); // what the number starts with
    QTest::addColumn<QString>("tail"); // what it ends with
    QTest::newRow("ICCID prefix with separators")
        << QStringLiteral("8949 22-00") << QStringLiteral("89492200") << QStringLiteral("89492200");
    QTest::newRow("MSISDN with +: the + is no digit") << QStringLiteral(
        "+49 170 123") << QStringLiteral("49170123") << QStringLiteral("49170123");
    QTest::newRow("a leading 00 starts a number but ends one as digits")
        << QStringLiteral("00277") << QStringLiteral("277") << QStringLiteral("00277");
    QTest::newRow("last digits in brackets")
        << QStringLiteral("(01) 23") << QStringLiteral("0123") << QStringLiteral("0123");
}

void TestSimListSql::aSearchShouldBindTheDigitsOfBothEndsOfEveryIdentifier()
{
    QFETCH(QString, typed);
    QFETCH(QString, head);
    QFETCH(QString, tail);
    SimListSql sql;
    QVERIFY(sql.addFilter(withSearch(typed)).ok());
    QCOMPARE(sql.conditions().size(), 1);
    QString reversedTail = tail;
    std::reverse(reversedTail.begin(), reversedTail.end());
    // Prefix ranges on the identifiers, suffix ranges on their reverse(): [x, x + ':').
    QCOMPARE(sql.values(),
        (QVariantList { head, head + QLatin1Char(':'), reversedTail,
            reversedTail + QLatin1Char(':'), QLatin1Char('+') + head,
            QLatin1Char('+') + head + QLatin1Char(':') }));
    // Exactly 8 digits are an ICCID prefix that (left(iccid, 8), id) orders by id (019): fenced,
    // each alternative on its own, then UNION, so that a card matching two comes once.
    QCOMPARE(sql.searchWalks(), head.size() == 8);
    if (head.size() == 8) {
        const QString fenced = SimListSql(sql).orderedIds(
            SimListSql::keysetParts(withSearch(typed), SimListSortKey::Id, false, nullptr, false),
            SimListSortKey::Id, false, 0, 100, true);
        QCOMPARE(fenced.count(QLatin1String(" UNION ")), 5);
        QVERIFY(!fenced.contains(QLatin1String("UNION ALL")));
        QVERIFY2(fenced.contains(QLatin1String("FROM sim_cards c WHERE left(c.iccid, 8) = $1::text "
                                               "ORDER BY (c.id + 0) DESC LIMIT")),
            qPrintable(fenced));
    }
    const QString condition = sql.conditions().first();
    for (const char *part : { "c.iccid >= $1::text AND c.iccid < $2::text",
             "reverse(c.iccid) >= $3::text AND reverse(c.iccid) < $4::text",
             "c.msisdn >= $5::text AND c.msisdn < $6::text", "reverse(c.msisdn) >= $3::text",
             "c.imsi >= $1::text AND c.imsi < $2::text", "reverse(c.imsi) >= $3::text" })
        QVERIFY2(condition.contains(QLatin1String(part)), part);
    QVERIFY(!sql.noSeqScan());
}

void TestSimListSql::aListLongerThanTheLimitShouldBeRefusedWithNothingAdded()
{
    SimListFilter f;
    f.statuses = { SimStatus::Active };
    for (int i = 0; i <= SimListQuery::kMaxIdentifiers; ++i)
        f.identifiers << QString::number(1000000 + i);
    SimListSql sql;
    const Status s = sql.addFilter(f);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
    QVERIFY(sql.conditions().isEmpty());
    QVERIFY(sql.values().isEmpty());
    f.identifiers.removeLast();
    QVERIFY(sql.addFilter(f).ok());
}

void TestSimListSql::typedValuesShouldNeverBeWrittenIntoAStatement_data()
{
    QTest::addColumn<SimListFilter>("filter");
    QTest::addColumn<QString>("typed"); // must not appear in any statement's text
    const QString hostile = QStringLiteral("x'); DROP TABLE sim_cards; --");
    SimListFilter f = withSearch(hostile);
    QTest::newRow("a search") << f << QStringLiteral("DROP TABLE");
    f = {};
    f.iccidFirst = hostile;
    f.iccidLast = QStringLiteral("$1 OR true");
    QTest::newRow("ICCID range ends") << f << QStringLiteral("DROP TABLE");
    f = {};
    f.identifiers = { hostile, QStringLiteral("+49 170 000 0007") };
    QTest::newRow("a pasted list") << f << QStringLiteral("+49");
    f = withSearch(QStringLiteral("8949"));
    f.statuses = { SimStatus::Active, SimStatus::Suspended };
    f.customerId = 987654321;
    f.changedSince = kNewYear;
    QTest::newRow("numbers and times") << f << QStringLiteral("987654321");
}

// Every statement the builder writes, for any filter and cursor: the typed text is only ever a
// bound value, and the statement uses exactly the values bound for it, $1..$n.
void TestSimListSql::typedValuesShouldNeverBeWrittenIntoAStatement()
{
    QFETCH(SimListFilter, filter);
    QFETCH(QString, typed);
    const SimListCursor cursor { QStringLiteral("8949' OR '1'='1"), 42 };
    const QList<std::function<QString(SimListSql &)>> statements {
        [&](SimListSql &s) {
            return s.orderedIds(
                SimListSql::keysetParts(filter, SimListSortKey::Msisdn, true, &cursor, false),
                SimListSortKey::Msisdn, true, 100, 50, false);
        },
        [&](SimListSql &s) {
            return s.orderedIds(
                SimListSql::keysetParts(filter, SimListSortKey::Iccid, false, &cursor, true),
                SimListSortKey::Iccid, false, 0, 50, true);
        },
        [&](SimListSql &s) {
            const QList<SimListPart> parts
                = SimListSql::keysetParts(filter, SimListSortKey::Status, true, &cursor, false);
            return SimListSql::pageSelect(
                s.windowedIds(parts.first(), SimListSortKey::Status, 50, 10000),
                SimListSortKey::Status, true);
        },
        [&](SimListSql &s) {
            return s.locatorSelect(
                SimListSql::keysetParts(filter, SimListSortKey::UpdatedAt, true, nullptr, false),
                SimListSortKey::UpdatedAt, true, 5000, false);
        },
        [](SimListSql &s) { return s.sampleSelect(SimListSortKey::Iccid, false, 2.5, 0.5); },
        [](SimListSql &s) { return s.countSelect(20001); },
        [](SimListSql &s) { return s.countSelect(); },
        [](SimListSql &s) { return s.idSelect(1000); },
        [](SimListSql &s) { return s.matchSelect(); },
        [](SimListSql &s) { return s.cardSelect(); },
    };
    for (int i = 0; i < statements.size(); ++i) {
        SimListSql sql;
        QVERIFY(sql.addFilter(filter).ok());
        const QString statement = statements[i](sql);
        const QByteArray which = QByteArray::number(i) + ": " + statement.toUtf8();
        QVERIFY2(!statement.contains(typed), which.constData());
        QVERIFY2(!statement.contains(QLatin1Char('\'')), which.constData());
        QCOMPARE(placeholders(statement), oneTo(sql.values().size()));
    }
}

void TestSimListSql::keysetPartsShouldContinueAfterTheCursor_data()
{
    QTest::addColumn<SimListSortKey>("key");
    QTest::addColumn<bool>("ascending");
    QTest::addColumn<int>("cursor"); // 0: none, 1: a row with a sort value, 2: a row without one
    QTest::addColumn<bool>("inclusive");
    QTest::addColumn<bool>("terminatedOnly");
    QTest::addColumn<QStringList>("parts");
    using K = SimListSortKey;
    const QString number = QStringLiteral("+491700000007");
    QTest::newRow("id from the start")
        << K::Id << true << 0 << false << false << QStringList { QStringLiteral(" | c.id") };
    QTest::newRow("id descending after a row")
        << K::Id << false << 1 << false << false
        << QStringList {
               QStringLiteral("c.id < {i}::bigint | c.id DESC | k=%1 | i=42").arg(number)
           };
    QTest::newRow("ICCID from a row on, the row included")
        << K::Iccid << true << 1 << true << false
        << QStringList {
               QStringLiteral("c.iccid >= {k}::text | c.iccid, c.id | k=%1 | i=42").arg(number)
           };
    QTest::newRow("status descending after a row: status and id together")
        << K::Status << false << 1 << false << false
        << QStringList { QStringLiteral("(c.status, c.id) < ({k}::text, {i}::bigint) | c.status "
                                        "DESC, c.id DESC | k=%1 | i=42")
                             .arg(number) };
    QTest::newRow("update time after a row: the exact microseconds as text")
        << K::UpdatedAt << true << 1 << false << false
        << QStringList { QStringLiteral(
               "(c.updated_at, c.id) > ({k}::timestamptz, {i}::bigint) | c.updated_at, c.id | "
               "k=2026-01-01T00:00:00.000007+00 | i=42") };
    QTest::newRow("MSISDN from the start: numbers, then the cards without one")
        << K::Msisdn << true << 0 << false << false
        << QStringList { QStringLiteral("c.msisdn IS NOT NULL | c.msisdn"),
               QStringLiteral("c.msisdn IS NULL | c.id") };
    QTest::newRow("MSISDN descending from the start: the cards without one first")
        << K::Msisdn << false << 0 << false << false
        << QStringList { QStringLiteral("c.msisdn IS NULL | c.id DESC"),
               QStringLiteral("c.msisdn IS NOT NULL | c.msisdn DESC") };
    QTest::newRow("MSISDN after a number: the numbers after it, then all without one")
        << K::Msisdn << true << 1 << false << false
        << QStringList { QStringLiteral("c.msisdn > {k}::text | c.msisdn | k=%1").arg(number),
               QStringLiteral("c.msisdn IS NULL | c.id") };
    QTest::newRow("MSISDN descending after a number: only the numbers before it")
        << K::Msisdn << false << 1 << false << false
        << QStringList {
               QStringLiteral("c.msisdn < {k}::text | c.msisdn DESC | k=%1").arg(number)
           };
    QTest::newRow("MSISDN after a card without a number: only the rest of those")
        << K::Msisdn << true << 2 << false << false
        << QStringList { QStringLiteral("c.msisdn IS NULL AND c.id > {i}::bigint | c.id | i=42") };
    QTest::newRow("MSISDN descending after a card without a number: those, then every number")
        << K::Msisdn << false << 2 << true << false
        << QStringList { QStringLiteral(
                             "c.msisdn IS NULL AND c.id <= {i}::bigint | c.id DESC | i=42"),
               QStringLiteral("c.msisdn IS NOT NULL | c.msisdn DESC") };
    QTest::newRow("MSISDN of TERMINATED cards only: no part with numbers")
        << K::Msisdn << true << 0 << false << true
        << QStringList { QStringLiteral("c.msisdn IS NULL | c.id") };
    QTest::newRow("another sort of TERMINATED cards only is unchanged")
        << K::Iccid << true << 0 << false << true
        << QStringList { QStringLiteral(" | c.iccid, c.id") };
}

void TestSimListSql::keysetPartsShouldContinueAfterTheCursor()
{
    QFETCH(SimListSortKey, key);
    QFETCH(bool, ascending);
    QFETCH(int, cursor);
    QFETCH(bool, inclusive);
    QFETCH(bool, terminatedOnly);
    QFETCH(QStringList, parts);
    SimListCursor c { QStringLiteral("+491700000007"), 42 };
    if (key == SimListSortKey::UpdatedAt)
        c.key = kNewYear.toMSecsSinceEpoch() * 1000 + 7;
    if (cursor == 2)
        c.key = QVariant();
    const SimListFilter filter
        = terminatedOnly ? withStatuses({ SimStatus::Terminated }) : SimListFilter();
    QCOMPARE(
        describe(SimListSql::keysetParts(filter, key, ascending, cursor ? &c : nullptr, inclusive)),
        parts);
}

void TestSimListSql::orderedIdsShouldLimitEachPartAndSkipTheOffset_data()
{
    QTest::addColumn<SimListSortKey>("key");
    QTest::addColumn<bool>("ascending");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<bool>("fence");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QVariantList>("values"); // after the filter's status
    using K = SimListSortKey;
    QTest::newRow("by id, one part") << K::Id << true << qint64(0) << false
                                     << QStringLiteral("SELECT c.id FROM sim_cards c WHERE "
                                                       "c.status = $1 ORDER BY c.id LIMIT $2")
                                     << QVariantList { 50 };
    QTest::newRow("by ICCID from an offset")
        << K::Iccid << false << qint64(500) << false
        << QStringLiteral("SELECT c.id, c.iccid FROM sim_cards c WHERE c.status = $1 "
                          "ORDER BY c.iccid DESC, c.id DESC OFFSET $2 LIMIT $3")
        << QVariantList { qint64(500), 50 };
    QTest::newRow("fenced: the matches first, behind OFFSET 0, then sorted")
        << K::UpdatedAt << true << qint64(0) << true
        << QStringLiteral("SELECT c.id, c.updated_at FROM (SELECT c.id, c.updated_at FROM "
                          "sim_cards c WHERE c.status = $1 OFFSET 0) c "
                          "ORDER BY c.updated_at, c.id LIMIT $2")
        << QVariantList { 50 };
    QTest::newRow("by MSISDN: each part limited to offset + limit, then the whole")
        << K::Msisdn << true << qint64(10) << false
        << QStringLiteral("SELECT * FROM ((SELECT 0 AS part, c.id, c.msisdn FROM sim_cards c "
                          "WHERE c.status = $1 AND c.msisdn IS NOT NULL ORDER BY c.msisdn "
                          "LIMIT $2) UNION ALL (SELECT 1 AS part, c.id, c.msisdn FROM sim_cards c "
                          "WHERE c.status = $1 AND c.msisdn IS NULL ORDER BY c.id LIMIT $3)) c "
                          "ORDER BY c.part, c.msisdn, c.id OFFSET $4 LIMIT $5")
        << QVariantList { qint64(60), qint64(60), qint64(10), 50 };
}

void TestSimListSql::orderedIdsShouldLimitEachPartAndSkipTheOffset()
{
    QFETCH(SimListSortKey, key);
    QFETCH(bool, ascending);
    QFETCH(qint64, offset);
    QFETCH(bool, fence);
    QFETCH(QString, sql);
    QFETCH(QVariantList, values);
    const SimListFilter filter = withStatuses({ SimStatus::Active });
    SimListSql s;
    QVERIFY(s.addFilter(filter).ok());
    const QList<SimListPart> parts
        = SimListSql::keysetParts(filter, key, ascending, nullptr, false);
    QCOMPARE(s.orderedIds(parts, key, ascending, offset, 50, fence), sql);
    QCOMPARE(s.values(), QVariantList { QStringLiteral("ACTIVE") } + values);
}

void TestSimListSql::aWindowShouldFilterTheNextRowsOfTheListOrder()
{
    SimListFilter filter;
    filter.customerId = 9;
    SimListSql sql;
    QVERIFY(sql.addFilter(filter).ok());
    const SimListCursor cursor { QStringLiteral("8949"), 3 };
    const QList<SimListPart> parts
        = SimListSql::keysetParts(filter, SimListSortKey::Iccid, true, &cursor, false);
    // The window is cut from the sort index before the filter is applied to it.
    QCOMPARE(sql.windowedIds(parts.first(), SimListSortKey::Iccid, 50, 10000),
        QStringLiteral("SELECT c.id, c.iccid FROM (SELECT c.* FROM sim_cards c WHERE "
                       "c.iccid > $2::text ORDER BY c.iccid, c.id LIMIT $3) c WHERE "
                       "c.customer_id = $1::bigint ORDER BY c.iccid, c.id LIMIT $4"));
    QCOMPARE(sql.values(), (QVariantList { qint64(9), QStringLiteral("8949"), 10000, 50 }));
}

void TestSimListSql::aPageShouldReadItsIdsRowsWithNamesInListOrder_data()
{
    QTest::addColumn<SimListSortKey>("key");
    QTest::addColumn<bool>("ascending");
    QTest::addColumn<QString>("order");
    QTest::newRow("by id") << SimListSortKey::Id << true << QStringLiteral("ORDER BY s.id");
    QTest::newRow("by status descending")
        << SimListSortKey::Status << false << QStringLiteral("ORDER BY s.status DESC, s.id DESC");
    QTest::newRow("by MSISDN: the cards without one last")
        << SimListSortKey::Msisdn << true << QStringLiteral("ORDER BY s.msisdn NULLS LAST, s.id");
    QTest::newRow("by MSISDN descending: the cards without one first")
        << SimListSortKey::Msisdn << false
        << QStringLiteral("ORDER BY s.msisdn DESC NULLS FIRST, s.id DESC");
}

void TestSimListSql::aPageShouldReadItsIdsRowsWithNamesInListOrder()
{
    QFETCH(SimListSortKey, key);
    QFETCH(bool, ascending);
    QFETCH(QString, order);
    const QString page = SimListSql::pageSelect(QStringLiteral("IDS"), key, ascending);
    QVERIFY(page.contains(QLatin1String("WHERE c.id = ANY(ARRAY(SELECT z.id FROM (IDS) z))")));
    QVERIFY(page.contains(QLatin1String("LEFT JOIN customers cu ON cu.id = s.customer_id")));
    QVERIFY(page.contains(QLatin1String("LEFT JOIN tariff_plans t ON t.id = s.tariff_plan_id")));
    QVERIFY2(page.endsWith(order), qPrintable(page));
}

void TestSimListSql::theLocatorShouldReadOnlyTheSortKeyAndId_data()
{
    QTest::addColumn<SimListSortKey>("key");
    QTest::addColumn<QString>("sql");
    QTest::newRow("by status") << SimListSortKey::Status
                               << QStringLiteral("SELECT x.k, x.i FROM (SELECT c.status AS k, "
                                                 "c.id AS i FROM sim_cards c ORDER BY c.status, "
                                                 "c.id OFFSET $1 LIMIT $2) x");
    QTest::newRow("by ICCID: unique, so the key alone places the row")
        << SimListSortKey::Iccid
        << QStringLiteral("SELECT x.k, x.i FROM (SELECT c.iccid AS k, 0::bigint AS i FROM "
                          "sim_cards c ORDER BY c.iccid, c.id OFFSET $1 LIMIT $2) x");
    QTest::newRow("by update time: the cursor's microseconds for the one row found")
        << SimListSortKey::UpdatedAt
        << QStringLiteral("SELECT (extract(epoch FROM x.k) * 1000000)::bigint, x.i FROM (SELECT "
                          "c.updated_at AS k, c.id AS i FROM sim_cards c ORDER BY c.updated_at, "
                          "c.id OFFSET $1 LIMIT $2) x");
}

void TestSimListSql::theLocatorShouldReadOnlyTheSortKeyAndId()
{
    QFETCH(SimListSortKey, key);
    QFETCH(QString, sql);
    SimListSql s;
    const QList<SimListPart> parts = SimListSql::keysetParts({}, key, true, nullptr, false);
    QCOMPARE(s.locatorSelect(parts, key, true, 4000, false), sql);
    QCOMPARE(s.values(), (QVariantList { qint64(4000), 1 }));
}

void TestSimListSql::aSampleShouldBindItsShareAfterTheFiltersValues()
{
    SimListSql sql;
    QVERIFY(sql.addFilter(withStatuses({ SimStatus::Active })).ok());
    const QString sample = sql.sampleSelect(SimListSortKey::UpdatedAt, false, 2.0, 0.25);
    QCOMPARE(sample,
        QStringLiteral("SELECT k, id FROM (SELECT (extract(epoch FROM c.updated_at) * "
                       "1000000)::bigint AS k, c.id, row_number() OVER (ORDER BY c.updated_at "
                       "DESC, c.id DESC) AS rn, count(*) OVER () AS cnt FROM sim_cards c "
                       "TABLESAMPLE SYSTEM ($2::float8) REPEATABLE (0) WHERE c.status = $1) x "
                       "WHERE rn = least(cnt, floor($3::float8 * cnt)::bigint + 1)"));
    QCOMPARE(sql.values(), (QVariantList { QStringLiteral("ACTIVE"), 2.0, 0.25 }));
}

void TestSimListSql::countsAndIdsShouldBindTheirLimitsLast()
{
    const SimListFilter filter = withStatuses({ SimStatus::Active });
    SimListSql sql;
    QVERIFY(sql.addFilter(filter).ok());
    QCOMPARE(sql.matchSelect(), QStringLiteral("SELECT 1 FROM sim_cards c WHERE c.status = $1"));
    QCOMPARE(
        sql.countSelect(), QStringLiteral("SELECT count(*) FROM sim_cards c WHERE c.status = $1"));
    QCOMPARE(sql.idSelect(), QStringLiteral("SELECT c.id FROM sim_cards c WHERE c.status = $1"));
    QCOMPARE(sql.values().size(), 1);
    QCOMPARE(sql.countSelect(20001),
        QStringLiteral(
            "SELECT count(*) FROM (SELECT 1 FROM sim_cards c WHERE c.status = $1 LIMIT $2) s"));
    SimListSql ids;
    QVERIFY(ids.addFilter(filter).ok());
    QCOMPARE(ids.idSelect(1001),
        QStringLiteral("SELECT c.id FROM sim_cards c WHERE c.status = $1 ORDER BY c.id LIMIT $2"));
    QCOMPARE(sql.values(), (QVariantList { QStringLiteral("ACTIVE"), qint64(20001) }));
    QCOMPARE(ids.values(), (QVariantList { QStringLiteral("ACTIVE"), 1001 }));
}

void TestSimListSql::theCacheKeyShouldChangeExactlyWithConditionsOrValues()
{
    auto keyOf = [](const SimListFilter &f) {
        SimListSql sql;
        return sql.addFilter(f).ok() ? sql.cacheKey() : QString();
    };
    SimListFilter a;
    a.customerId = 1;
    SimListFilter b = a;
    QCOMPARE(keyOf(a), keyOf(b));
    b.customerId = 2;
    QVERIFY(keyOf(a) != keyOf(b));
    b = a;
    b.importBatchId = 1;
    QVERIFY(keyOf(a) != keyOf(b));
    // Id lists with the same digits, split differently.
    auto keyOfIds = [](const QList<qint64> &ids) {
        SimListFilter f;
        f.identifiers = { QStringLiteral("any") };
        SimListSql sql;
        return sql.addFilter(f, &ids).ok() ? sql.cacheKey() : QString();
    };
    QCOMPARE(keyOfIds({ 12, 3 }), keyOfIds({ 12, 3 }));
    QVERIFY(keyOfIds({ 12, 3 }) != keyOfIds({ 1, 23 }));
    QVERIFY(keyOfIds({ 12, 3 }) != keyOfIds({ 123 }));
}

void TestSimListSql::thePastedOrderShouldNumberTheListsIdsAndPageByNumberThenId()
{
    SimListFilter f;
    f.identifiers = { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") };
    f.statuses = { SimStatus::Active };
    const QList<qint64> ids { 9, 4, 7 }; // in list order
    const SimListCursor cursor { qint64(2), 4 };
    SimListSql sql;
    QVERIFY(sql.addFilter(f, &ids).ok());
    const QString ordered
        = sql.orderedIds(SimListSql::keysetParts(f, SimListSortKey::Pasted, true, &cursor, false),
            SimListSortKey::Pasted, true, 0, 50, true);
    QCOMPARE(ordered,
        QStringLiteral(
            "SELECT c.id, c.pos FROM (SELECT c.*, o.pos FROM unnest($2::bigint[]) "
            "WITH ORDINALITY AS o(id, pos) JOIN sim_cards c ON c.id = o.id) c "
            "WHERE c.status = $1 AND c.id = ANY($2::bigint[]) "
            "AND (c.pos, c.id) > ($3::bigint, $4::bigint) ORDER BY c.pos, c.id LIMIT $5"));
    QCOMPARE(sql.values(),
        (QVariantList {
            QStringLiteral("ACTIVE"), QVariant::fromValue(ids), qint64(2), qint64(4), 50 }));
    QVERIFY(sql.noSeqScan());
    // Backwards (a page before, the last page): the exact reverse, the cursor's row included.
    SimListSql back;
    QVERIFY(back.addFilter(f, &ids).ok());
    const QString before
        = back.orderedIds(SimListSql::keysetParts(f, SimListSortKey::Pasted, false, &cursor, true),
            SimListSortKey::Pasted, false, 0, 50);
    QVERIFY2(before.endsWith(QLatin1String("AND (c.pos, c.id) <= ($3::bigint, $4::bigint) "
                                           "ORDER BY c.pos DESC, c.id DESC LIMIT $5")),
        qPrintable(before));
    // The page's rows carry their place, in list order.
    const QString page
        = SimListSql::pageSelect(QStringLiteral("IDS"), SimListSortKey::Pasted, true);
    QVERIFY2(page.contains(QLatin1String("SELECT c.id, c.iccid")), qPrintable(page));
    QVERIFY(page.contains(QLatin1String(", z.pos FROM (IDS) z JOIN sim_cards c ON c.id = z.id")));
    QVERIFY(page.contains(QLatin1String(", s.pos FROM (")));
    QVERIFY(page.endsWith(QLatin1String("ORDER BY s.pos, s.id")));
    // A jump counts off the numbered cards.
    SimListSql jump;
    QVERIFY(jump.addFilter(f, &ids).ok());
    const QString locator = jump.locatorSelect(
        SimListSql::keysetParts(f, SimListSortKey::Pasted, true, nullptr, false),
        SimListSortKey::Pasted, true, 1, false);
    QVERIFY2(locator.startsWith(QLatin1String("SELECT x.k, x.i FROM (SELECT c.pos AS k, c.id AS i "
                                              "FROM (SELECT c.*, o.pos FROM unnest($2::bigint[])")),
        qPrintable(locator));
    QVERIFY(locator.endsWith(QLatin1String("ORDER BY c.pos, c.id OFFSET $3 LIMIT $4) x")));
}

void TestSimListSql::theListOrderShouldPlaceEachCardAtTheFirstLineNamingIt()
{
    // Line 2 names an MSISDN only (a leading +), line 3 repeats line 1.
    const QString iccid = TestDatabase::iccid(5);
    const IdentifierList list({ iccid, QStringLiteral("+49 170 000 007"), iccid });
    SimListSql sql;
    const QString select = sql.listOrderSelect(list);
    QCOMPARE(select,
        QStringLiteral(
            "SELECT m.id FROM (SELECT c.id, x.line FROM unnest($1::text[], $2::bigint[]) AS x(v, "
            "line) JOIN sim_cards c ON c.iccid = x.v COLLATE \"C\" UNION ALL SELECT c.id, x.line "
            "FROM unnest($3::text[], $4::bigint[]) AS x(v, line) JOIN sim_cards c ON c.msisdn = "
            "x.v COLLATE \"C\" UNION ALL SELECT c.id, x.line FROM unnest($5::text[], "
            "$6::bigint[]) AS x(v, line) JOIN sim_cards c ON c.imsi = x.v COLLATE \"C\") m "
            "GROUP BY m.id ORDER BY min(m.line), m.id"));
    QCOMPARE(sql.values().at(0).toStringList(), QStringList { iccid });
    QCOMPARE(sql.values().at(1).value<QList<qint64>>(), QList<qint64> { 1 });
    QCOMPARE(sql.values().at(2).toStringList(), QStringList { QStringLiteral("+49170000007") });
    QCOMPARE(sql.values().at(3).value<QList<qint64>>(), QList<qint64> { 2 });
    QVERIFY(sql.noSeqScan());
}

QTEST_GUILESS_MAIN(TestSimListSql)
#include "tst_simlistsql.moc"
