// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "domain/customersearch.h"
#include "records/customerrepository.h"
#include "services/customerlistquery.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QTest>

#include <memory>

using namespace simdesk;

Q_DECLARE_METATYPE(simdesk::CustomerSortKey)

// The customer search against the real database: the folding twins, what each kind of search
// finds, keyset pages in every sort order, totals and the card counts the list sorts by.
class TestCustomerListQuery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void cppFoldingShouldEqualTheDatabases();
    void searchShouldFindByEveryField_data();
    void searchShouldFindByEveryField();
    void searchShouldUseTheTrigramIndex();
    void pagesShouldWalkEverySortOrderWithoutGapsOrRepeats_data();
    void pagesShouldWalkEverySortOrderWithoutGapsOrRepeats();
    void totalShouldBeExactUpToTheLimitAndEstimatedBeyond();
    void cardCountsShouldFollowEveryCardChange();

private:
    QStringList namesOf(const QString &search);
    qint64 customer(const QString &name, const QString &company, const QString &email,
        const QString &phone, const QString &number = {});

    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_db;
    QSqlDatabase m_support;
};

void TestCustomerListQuery::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("customerlist"));
    REQUIRE_DATABASE(*m_tdb);
    m_db = m_tdb->connect();
    QVERIFY(Migrator(m_db).migrate().ok());
    m_support = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support")));
    QVERIFY(m_support.isOpen());
    // Through the repository (as support), so the database numbers them C-000001, ….
    customer(QStringLiteral("Hans Müller"), QStringLiteral("Müller & Söhne GmbH"),
        QStringLiteral("hans@mueller.example"), QStringLiteral("+49 151 2345 6789"));
    customer(QStringLiteral("Anna MÜLLER-Lüdenscheidt"), {}, QStringLiteral("anna@example.org"),
        QStringLiteral("+49 160 1111111"), QStringLiteral("C-004711"));
    customer(QStringLiteral("Hélène Lefèvre"), QStringLiteral("Café Ça Va"), {},
        QStringLiteral("+33 6 12 34 56 78"));
    customer(QStringLiteral("Łukasz Wałęsa"), QStringLiteral("Stocznia"), {}, {});
    customer(QStringLiteral("Peter Straße"), QStringLiteral("Mullholland Ltd"), {},
        QStringLiteral("+44 7700 900123"));
    customer(QStringLiteral("Percent 100%"), QStringLiteral("under_score"), {}, {},
        QStringLiteral("X-12"));
}

void TestCustomerListQuery::cleanupTestCase()
{
    m_db = QSqlDatabase();
    m_support = QSqlDatabase();
    m_tdb.reset();
}

qint64 TestCustomerListQuery::customer(const QString &name, const QString &company,
    const QString &email, const QString &phone, const QString &number)
{
    Customer c;
    c.customerNo = number;
    c.fullName = name;
    c.company = company;
    c.email = email;
    c.phone = phone;
    Result<Customer> made = CustomerRepository(m_support).create(c);
    if (!made)
        qWarning("%s", qPrintable(made.error().fullMessage()));
    return made ? made->id : 0;
}

QStringList TestCustomerListQuery::namesOf(const QString &search)
{
    CustomerListQuery query(m_support);
    Result<CustomerListPage> page = query.firstPage(search, {}, 100);
    if (!page) {
        qWarning("%s", qPrintable(page.error().fullMessage()));
        return { QStringLiteral("<error>") };
    }
    QStringList names;
    for (const CustomerListRow &row : page->rows)
        names << row.fullName;
    return names;
}

void TestCustomerListQuery::cppFoldingShouldEqualTheDatabases()
{
    const QStringList samples { QStringLiteral("Müller"), QStringLiteral("ÖZTÜRK Çelik"),
        QStringLiteral("Straße ẞ"), QStringLiteral("Hélène Lefèvre-Ærø"),
        QStringLiteral("Søndergård Œuvre"), QStringLiteral("Łukasz Wałęsa Żółć"),
        QStringLiteral("Dvořák Čapek Ševčík"), QStringLiteral("Yıldız İnönü"),
        QStringLiteral("Peña Núñez"), QStringLiteral("Þórður Ðoðason"),
        QStringLiteral("Mu\u0308ller"), QStringLiteral("Đorđević Ħal"),
        QStringLiteral("Ångström Ñandú"), QStringLiteral("Nguyễn Thị"),
        QStringLiteral("ACME GmbH & Co. KG"), QStringLiteral("anna@example.org") };
    for (const QString &s : samples) {
        Result<QueryResult> q = runQuery(m_db, QStringLiteral("SELECT simdesk_fold($1)"), { s });
        QVERIFY(q.ok());
        QVERIFY(q.value().next());
        QCOMPARE(customersearch::fold(s), q.value().value(0).toString());
    }
}

void TestCustomerListQuery::searchShouldFindByEveryField_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("names");
    const QString hans = QStringLiteral("Hans Müller");
    const QString anna = QStringLiteral("Anna MÜLLER-Lüdenscheidt");
    const QString helene = QStringLiteral("Hélène Lefèvre");
    const QString peter = QStringLiteral("Peter Straße");
    QTest::newRow("partial name, accent typed") << "müll" << QStringList { anna, hans, peter };
    QTest::newRow("partial name, no accent, any case")
        << "MULL" << QStringList { anna, hans, peter };
    QTest::newRow("two words must both match") << "mull hans" << QStringList { hans };
    QTest::newRow("accented company typed plainly") << "cafe ca va" << QStringList { helene };
    QTest::newRow("Polish letters") << "walesa" << QStringList { QStringLiteral("Łukasz Wałęsa") };
    QTest::newRow("sharp s typed as ss") << "strasse" << QStringList { peter };
    QTest::newRow("phone with + and spaces") << "+49 151 23" << QStringList { hans };
    QTest::newRow("phone with 00") << "0049151" << QStringList { hans };
    QTest::newRow("phone, its last digits") << "456789" << QStringList { hans };
    QTest::newRow("phone with trunk zero") << "+33 (0)6 12" << QStringList { helene };
    QTest::newRow("customer number, any case") << "c-004711" << QStringList { anna };
    QTest::newRow("e-mail part") << "example.org" << QStringList { anna };
    QTest::newRow("short term") << "lu" << QStringList { anna, QStringLiteral("Łukasz Wałęsa") };
    QTest::newRow("percent is not a wildcard")
        << "100%" << QStringList { QStringLiteral("Percent 100%") };
    QTest::newRow("underscore is not a wildcard")
        << "r_s" << QStringList { QStringLiteral("Percent 100%") };
    QTest::newRow("nothing matches") << "zzzqqq" << QStringList {};
}

void TestCustomerListQuery::searchShouldFindByEveryField()
{
    QFETCH(QString, search);
    QFETCH(QStringList, names);
    QCOMPARE(namesOf(search), names);
}

void TestCustomerListQuery::searchShouldUseTheTrigramIndex()
{
    // With sequential scans priced out, a plan that cannot use the index still shows one.
    QVERIFY(runQuery(m_db, QStringLiteral("SET enable_seqscan = off")).ok());
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("EXPLAIN SELECT id FROM customers c WHERE c.search_text LIKE $1"),
        { customersearch::containsPattern(u"mull") });
    QVERIFY(q.ok());
    QString plan;
    while (q.value().next())
        plan += q.value().value(0).toString() + QLatin1Char('\n');
    QVERIFY(runQuery(m_db, QStringLiteral("RESET enable_seqscan")).ok());
    QVERIFY2(plan.contains(QLatin1String("customers_search_trgm")), qPrintable(plan));
}

void TestCustomerListQuery::pagesShouldWalkEverySortOrderWithoutGapsOrRepeats_data()
{
    QTest::addColumn<CustomerSortKey>("key");
    QTest::addColumn<QString>("order");
    QTest::newRow("name") << CustomerSortKey::Name << "full_name;id";
    QTest::newRow("number") << CustomerSortKey::Number << "customer_no";
    QTest::newRow("company") << CustomerSortKey::Company << "coalesce(company, '');id";
    QTest::newRow("cards") << CustomerSortKey::Cards << "k.cards;id";
    QTest::newRow("active cards") << CustomerSortKey::ActiveCards << "k.active_cards;id";
    QTest::newRow("created") << CustomerSortKey::Created << "created_at;id";
}

void TestCustomerListQuery::pagesShouldWalkEverySortOrderWithoutGapsOrRepeats()
{
    QFETCH(CustomerSortKey, key);
    QFETCH(QString, order);
    // Ties in every key: equal names, no company, equal card counts, one creation instant.
    const QString tag = QStringLiteral("Walker %1").arg(int(key));
    QVERIFY(m_tdb
                ->exec(QStringLiteral("INSERT INTO customers (customer_no, full_name, company, "
                                      "created_at) SELECT 'W%1-' || i, '%2', "
                                      "CASE WHEN i % 3 = 0 THEN 'Co ' || (i % 2) END, "
                                      "'2026-01-01'::timestamptz + (i % 4) * interval '1 "
                                      "microsecond' FROM generate_series(1, 23) i")
                           .arg(int(key))
                           .arg(tag))
                .isEmpty());
    for (Qt::SortOrder dir : { Qt::AscendingOrder, Qt::DescendingOrder }) {
        const QString d
            = dir == Qt::AscendingOrder ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
        const QString expected = m_tdb->scalar(
            QStringLiteral("SELECT string_agg(id::text, ',' ORDER BY %1) FROM customers c JOIN "
                           "customer_card_counts k ON k.customer_id = c.id WHERE full_name = '%2'")
                .arg(order.split(QLatin1Char(';')).join(d + QLatin1String(", ")) + d, tag));
        CustomerListQuery query(m_support);
        const CustomerSort sort { key, dir };
        QStringList ids;
        Result<CustomerListPage> page = query.firstPage(QStringLiteral("walker"), sort, 5);
        int pages = 1;
        while (page.ok()) {
            for (const CustomerListRow &row : page->rows)
                ids << QString::number(row.id);
            if (page->atEnd)
                break;
            page = query.pageAfter(
                QStringLiteral("walker"), sort, CustomerListQuery::cursorOf(page->rows.last()), 5);
            ++pages;
        }
        QVERIFY2(page.ok(), page.ok() ? "" : qPrintable(page.error().fullMessage()));
        QCOMPARE(ids.join(QLatin1Char(',')), expected);
        QCOMPARE(ids.size(), 23);
        QCOMPARE(pages, 5);
    }
    QVERIFY(m_tdb->exec(QStringLiteral("DELETE FROM customers WHERE full_name = '%1'").arg(tag))
                .isEmpty());
}

void TestCustomerListQuery::totalShouldBeExactUpToTheLimitAndEstimatedBeyond()
{
    QVERIFY(m_tdb
                ->exec(QStringLiteral("INSERT INTO customers (customer_no, full_name) SELECT "
                                      "'T-' || i, 'Totalia ' || i FROM generate_series(1, 300) i"))
                .isEmpty());
    QVERIFY(m_tdb->exec(QStringLiteral("ANALYZE customers")).isEmpty());
    CustomerListQuery query(m_support);
    Result<CustomerListTotal> exact = query.total(QStringLiteral("totalia"));
    QVERIFY(exact.ok());
    QCOMPARE(exact->count, 300);
    QVERIFY(exact->exact);
    QCOMPARE(query.total(QStringLiteral("mull hans"))->count, 1);
    query.setExactCountLimit(50);
    Result<CustomerListTotal> estimated = query.total(QStringLiteral("totalia"));
    QVERIFY(estimated.ok());
    QVERIFY(!estimated->exact);
    QVERIFY2(estimated->count > 50, qPrintable(QString::number(estimated->count)));
    QVERIFY(m_tdb->exec(QStringLiteral("DELETE FROM customers WHERE full_name LIKE 'Totalia %'"))
                .isEmpty());
}

void TestCustomerListQuery::cardCountsShouldFollowEveryCardChange()
{
    const qint64 a = customer(QStringLiteral("Counted A"), {}, {}, {});
    const qint64 b = customer(QStringLiteral("Counted B"), {}, {}, {});
    QVERIFY(a && b);
    QVERIFY(m_tdb
                ->exec(QStringLiteral("INSERT INTO tariff_plans (code, name) VALUES ('CNT', "
                                      "'Counting')"))
                .isEmpty());
    const QString tariff
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'CNT'"));
    // Inserted as they are (a superuser may): two working cards of A, one spare.
    QVERIFY(
        m_tdb
            ->exec(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type, status, customer_id, "
                                  "tariff_plan_id) VALUES ('%1', 'prepaid', 'ACTIVE', %4, %5), "
                                  "('%2', 'prepaid', 'SUSPENDED', %4, %5), ('%3', 'prepaid', "
                                  "'AVAILABLE', NULL, NULL)")
                       .arg(TestDatabase::iccid(9001), TestDatabase::iccid(9002),
                           TestDatabase::iccid(9003))
                       .arg(a)
                       .arg(tariff))
            .isEmpty());
    auto counts = [this](qint64 id) {
        return m_tdb->scalar(QStringLiteral(
            "SELECT cards || '/' || active_cards FROM customer_card_counts WHERE customer_id = %1")
                                 .arg(id));
    };
    QCOMPARE(counts(a), QStringLiteral("2/1"));
    QCOMPARE(counts(b), QStringLiteral("0/0"));
    const qint64 spare = m_tdb
                             ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                                          .arg(TestDatabase::iccid(9003)))
                             .toLongLong();
    LifecycleService life(m_support);
    QVERIFY(life.reserve(spare, b).ok());
    QCOMPARE(counts(b), QStringLiteral("1/0"));
    QVERIFY(life.activate(spare, b, tariff.toLongLong()).ok());
    QCOMPARE(counts(b), QStringLiteral("1/1"));
    const qint64 suspended
        = m_tdb
              ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                           .arg(TestDatabase::iccid(9002)))
              .toLongLong();
    QVERIFY(life.resume(suspended).ok());
    QCOMPARE(counts(a), QStringLiteral("2/2"));
    // A statement that moves several cards at once between customers.
    QVERIFY(
        m_tdb
            ->exec(QStringLiteral("UPDATE sim_cards SET customer_id = %1 WHERE customer_id = %2")
                       .arg(b)
                       .arg(a))
            .isEmpty());
    QCOMPARE(counts(a), QStringLiteral("0/0"));
    QCOMPARE(counts(b), QStringLiteral("3/3"));
    // Whatever happened, the kept counts are the counted ones.
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT count(*) FROM customers c JOIN customer_card_counts k ON k.customer_id = "
                 "c.id, LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE "
                 "s.status = 'ACTIVE') AS a FROM sim_cards s WHERE s.customer_id "
                 "= c.id) r WHERE (k.cards, k.active_cards) <> (r.n, r.a)")),
        QStringLiteral("0"));
    // The list sorts by them.
    CustomerListQuery query(m_support);
    Result<CustomerListPage> page = query.firstPage(
        QStringLiteral("counted"), { CustomerSortKey::Cards, Qt::DescendingOrder }, 5);
    QVERIFY(page.ok());
    QCOMPARE(page->rows.size(), 2);
    QCOMPARE(page->rows.first().id, b);
    QCOMPARE(page->rows.first().cards, 3);
    QCOMPARE(page->rows.first().activeCards, 3);
}

QTEST_GUILESS_MAIN(TestCustomerListQuery)
#include "tst_customerlistquery.moc"
