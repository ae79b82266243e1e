// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "records/customerrepository.h"
#include "services/lifecycleservice.h"
#include "services/quickfind.h"
#include "testdatabase.h"

#include <QTest>

#include <memory>

using namespace simdesk;

Q_DECLARE_METATYPE(simdesk::QuickFindHit::Kind)

// The main window's quick find (Ctrl+K) against the real database: what each kind of text
// finds, and that exact matches (a full customer number, a card, a full code) come before the
// search over customers.
class TestQuickFind : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void textShouldFindTheRightKindOfRecord_data();
    void textShouldFindTheRightKindOfRecord();

private:
    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_support;
    QHash<QString, qint64> m_ids; // what the rows expect, by a name
};

void TestQuickFind::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("quickfind"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_support = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support")));
    QVERIFY(m_support.isOpen());
    auto customer = [&](const QString &name, const QString &email, const QString &phone,
                        const QString &number) {
        Customer c;
        c.customerNo = number;
        c.fullName = name;
        c.email = email;
        c.phone = phone;
        const Result<Customer> made = CustomerRepository(m_support).create(c);
        QVERIFY2(made.ok(), made ? "" : qPrintable(made.error().fullMessage()));
        m_ids.insert(name, made->id);
    };
    customer(QStringLiteral("Hans Müller"), QStringLiteral("hans@mueller.example"),
        QStringLiteral("+49 151 2345 6789"), QStringLiteral("C-000100"));
    customer(QStringLiteral("Hanna Müller"), {}, {}, QStringLiteral("C-0001000"));
    customer(QStringLiteral("Olga Orth"), QStringLiteral("olga@orth.example"), {}, {});
    // Two cards, one of them activated with a code.
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO sim_cards (iccid, msisdn, sim_type) VALUES "
                                        "('%1', '+4917012345601', 'prepaid'), "
                                        "('%2', '+4917012345602', 'prepaid')")
                             .arg(TestDatabase::iccid(1), TestDatabase::iccid(2))),
        QString());
    m_ids.insert(QStringLiteral("card 1"),
        m_tdb
            ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                         .arg(TestDatabase::iccid(1)))
            .toLongLong());
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "INSERT INTO tariff_plans (code, name) VALUES ('ANY', 'Any card'); "
                 "INSERT INTO activation_codes (code, expires_at) VALUES ('QF-USED-0001', NULL), "
                 "('QF-FREE-0001', now() + interval '1 day'), ('C-0001', NULL)")),
        QString());
    ActionRequest activate;
    activate.simId = m_ids.value(QStringLiteral("card 1"));
    activate.customerId = m_ids.value(QStringLiteral("Olga Orth"));
    activate.tariffPlanId
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'ANY'"))
              .toLongLong();
    activate.activationCode = QStringLiteral("QF-USED-0001");
    const Status done = LifecycleService(m_support, ChangeSource::Desktop)
                            .perform(CardAction::Activate, activate);
    QVERIFY2(done.ok(), done ? "" : qPrintable(done.error().fullMessage()));
    m_ids.insert(QStringLiteral("QF-USED-0001"),
        m_tdb->scalar(QStringLiteral("SELECT id FROM activation_codes WHERE code = 'QF-USED-0001'"))
            .toLongLong());
    m_ids.insert(QStringLiteral("QF-FREE-0001"),
        m_tdb->scalar(QStringLiteral("SELECT id FROM activation_codes WHERE code = 'QF-FREE-0001'"))
            .toLongLong());
}

void TestQuickFind::cleanupTestCase()
{
    m_support = QSqlDatabase();
    m_tdb.reset();
}

void TestQuickFind::textShouldFindTheRightKindOfRecord_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QuickFindHit::Kind>("kind");
    QTest::addColumn<QString>("which"); // a key of m_ids; empty: no id to compare
    using K = QuickFindHit::Kind;
    QTest::newRow("a full customer number, though a longer one contains it")
        << QStringLiteral("c-000100") << K::Customer << QStringLiteral("Hans Müller");
    QTest::newRow("a whole ICCID") << TestDatabase::iccid(1) << K::Card << QStringLiteral("card 1");
    QTest::newRow("an MSISDN written with spaces")
        << QStringLiteral("+49 170 1234 5601") << K::Card << QStringLiteral("card 1");
    QTest::newRow("first digits both cards share")
        << TestDatabase::iccid(1).left(8) << K::Cards << QString();
    QTest::newRow("a pasted list of two lines") << TestDatabase::iccid(1) + QLatin1Char('\n')
            + TestDatabase::iccid(2) << K::Cards << QString();
    QTest::newRow("a code used on a card, any case")
        << QStringLiteral(" qf-used-0001 ") << K::Code << QStringLiteral("QF-USED-0001");
    QTest::newRow("a code not used")
        << QStringLiteral("QF-FREE-0001") << K::Code << QStringLiteral("QF-FREE-0001");
    QTest::newRow("an e-mail") << QStringLiteral("olga@orth.example") << K::Customer
                               << QStringLiteral("Olga Orth");
    QTest::newRow("a phone written another way")
        << QStringLiteral("0049 151 23456789") << K::Customer << QStringLiteral("Hans Müller");
    QTest::newRow("part of a name, without its accent")
        << QStringLiteral("hans mull") << K::Customer << QStringLiteral("Hans Müller");
    QTest::newRow("a name two customers share")
        << QStringLiteral("Müller") << K::Customers << QString();
    QTest::newRow("a full code before the customers whose numbers contain it")
        << QStringLiteral("C-0001") << K::Code << QString();
    QTest::newRow("nothing") << QStringLiteral("zzzz-nothing") << K::Nothing << QString();
}

void TestQuickFind::textShouldFindTheRightKindOfRecord()
{
    QFETCH(QString, text);
    QFETCH(QuickFindHit::Kind, kind);
    QFETCH(QString, which);
    const Result<QuickFindHit> hit = QuickFind::find(m_support, text);
    QVERIFY2(hit.ok(), hit ? "" : qPrintable(hit.error().fullMessage()));
    QCOMPARE(int(hit->kind), int(kind));
    if (!which.isEmpty())
        QCOMPARE(hit->id, m_ids.value(which));
    if (kind == QuickFindHit::Kind::Code && which == QLatin1String("QF-USED-0001"))
        QCOMPARE(hit->code->simId, std::optional<qint64>(m_ids.value(QStringLiteral("card 1"))));
    if (kind == QuickFindHit::Kind::Customers)
        QCOMPARE(hit->search, text);
}

QTEST_GUILESS_MAIN(TestQuickFind)
#include "tst_quickfind.moc"
