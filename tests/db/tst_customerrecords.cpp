// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "records/customerrepository.h"
#include "services/customerdetailquery.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QTest>

#include <memory>

using namespace simdesk;

// Deleting and anonymising customers, as the database enforces them whoever asks.
class TestCustomerRecords : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void onlyACustomerWhoNeverHeldACardShouldBeDeleted();
    void anonymiseShouldWaitForTheLastCardInUseAndErasePersonalDataEverywhere();
    void anAnonymisedCustomerShouldGetNoCardAgain();
    void theAuditLogShouldStayClosedToEveryRole();
    void aStaleAnonymiseShouldBeRefused();

private:
    Customer customer(const QString &name);
    qint64 card(int n);

    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_admin;
    QSqlDatabase m_support;
    qint64 m_tariff = 0;
};

void TestCustomerRecords::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("customerrecords"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_admin
        = m_tdb->connectAs(m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin")));
    m_support = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support")));
    QVERIFY(m_admin.isOpen() && m_support.isOpen());
    QCOMPARE(
        m_tdb->exec(QStringLiteral("INSERT INTO tariff_plans (code, name) VALUES ('T1', 'One')")),
        QString());
    m_tariff = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans")).toLongLong();
}

void TestCustomerRecords::cleanupTestCase()
{
    m_admin = QSqlDatabase();
    m_support = QSqlDatabase();
    m_tdb.reset();
}

Customer TestCustomerRecords::customer(const QString &name)
{
    Customer c;
    c.fullName = name;
    c.company = name + QStringLiteral(" GmbH");
    c.email = QStringLiteral("%1@example.org").arg(name.toLower().remove(QLatin1Char(' ')));
    c.phone = QStringLiteral("+49 151 %1").arg(qHash(name) % 10000000 + 10000000);
    // Every personal field names the customer, so that a trace of it is found anywhere.
    c.address = name + QStringLiteral("weg 1, Berlin");
    c.notes = name + QStringLiteral(" calls in the morning");
    Result<Customer> made = CustomerRepository(m_support).create(c);
    if (!made)
        qWarning("%s", qPrintable(made.error().fullMessage()));
    return made ? *made : Customer();
}

qint64 TestCustomerRecords::card(int n)
{
    const QString error = m_tdb->exec(
        QStringLiteral("INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid')")
            .arg(TestDatabase::iccid(n)));
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return m_tdb
        ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                     .arg(TestDatabase::iccid(n)))
        .toLongLong();
}

void TestCustomerRecords::onlyACustomerWhoNeverHeldACardShouldBeDeleted()
{
    const Customer never = customer(QStringLiteral("Nie Karte"));
    const Customer once = customer(QStringLiteral("Einmal Karte"));
    QVERIFY(never.id && once.id);
    // A card reserved and released again: they hold nothing now, but its history names them.
    const qint64 sim = card(1);
    LifecycleService life(m_support);
    QVERIFY(life.reserve(sim, once.id).ok());
    QVERIFY(life.release(sim).ok());

    CustomerRepository repo(m_support);
    const Status refused = repo.remove(once.id, once.version);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::CustomerInUse);
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM customers WHERE id = %1").arg(once.id)),
        QStringLiteral("1"));
    Result<CustomerDetail> detail = CustomerDetailQuery::load(m_support, once.id);
    QVERIFY(detail.ok());
    QVERIFY(detail->everHeldCard);
    QVERIFY(!CustomerDetailQuery::load(m_support, never.id)->everHeldCard);

    QVERIFY(repo.remove(never.id, never.version).ok());
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM customers WHERE id = %1").arg(never.id)),
        QStringLiteral("0"));
    // The deletion is in the audit log, which keeps the rows of the customer.
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT string_agg(action, ',' ORDER BY id) FROM "
                                     "audit_log WHERE table_name = 'customers' AND row_id = %1")
                          .arg(never.id)),
        QStringLiteral("INSERT,DELETE"));
}

void TestCustomerRecords::anonymiseShouldWaitForTheLastCardInUseAndErasePersonalDataEverywhere()
{
    const Customer c = customer(QStringLiteral("Erika Mustermann"));
    QVERIFY(c.id);
    QVERIFY(CustomerRepository(m_support)
                .update([&] {
                    Customer e = c;
                    e.notes = QStringLiteral("Moved to Hamburg");
                    return e;
                }())
                .ok());
    const int version = c.version + 1;
    const qint64 sim = card(2);
    LifecycleService life(m_support);
    QVERIFY(life.activate(sim, c.id, m_tariff).ok());
    const int audits
        = m_tdb
              ->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE table_name "
                                      "= 'customers' AND row_id = %1")
                           .arg(c.id))
              .toInt();
    QCOMPARE(audits, 2);

    // Support may not; an admin may not while the card is active.
    Status s = CustomerRepository(m_support).anonymise(c.id, version);
    QVERIFY(!s);
    QCOMPARE(s.error().code, ErrorCode::PermissionDenied);
    s = CustomerRepository(m_admin).anonymise(c.id, version);
    QVERIFY(!s);
    QCOMPARE(s.error().code, ErrorCode::CustomerCardsInUse);
    QCOMPARE(s.error().args.value(1), QStringLiteral("1"));
    QVERIFY(s.error().message().contains(c.customerNo));

    QVERIFY(life.terminate(sim, QStringLiteral("Contract ended")).ok());
    const QString events = m_tdb->scalar(
        QStringLiteral("SELECT count(*) FROM sim_events WHERE customer_id = %1").arg(c.id));
    s = CustomerRepository(m_admin).anonymise(c.id, version);
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().fullMessage()));

    // The row stays with its number; every personal field is gone from every table.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT concat_ws('|', full_name, company, email, phone, "
                                          "address, notes, anonymised_at IS NOT NULL) FROM "
                                          "customers WHERE id = %1")
                               .arg(c.id)),
        QStringLiteral("Anonymised customer %1|t").arg(c.customerNo));
    for (const QString &personal : { QStringLiteral("Erika"), QStringLiteral("Mustermann"),
             QStringLiteral("erikamustermann@example.org"), c.phone.mid(1),
             QStringLiteral("Hamburg") }) {
        const QString hits = m_tdb->scalar(
            QStringLiteral("SELECT (SELECT count(*) FROM customers c WHERE c::text LIKE '%%1%') + "
                           "(SELECT count(*) FROM audit_log a WHERE a::text LIKE '%%1%') + "
                           "(SELECT count(*) FROM sim_events e WHERE e::text LIKE '%%1%')")
                .arg(personal));
        QVERIFY2(hits == QLatin1String("0"), qPrintable(personal + QStringLiteral(": ") + hits));
    }
    // Every history row kept, the anonymising one added.
    QCOMPARE(m_tdb
                 ->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE table_name = "
                                         "'customers' AND row_id = %1")
                              .arg(c.id))
                 .toInt(),
        audits + 1);
    QCOMPARE(
        m_tdb->scalar(
            QStringLiteral("SELECT count(*) FROM sim_events WHERE customer_id = %1").arg(c.id)),
        events);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT changed_by FROM audit_log WHERE table_name = "
                                          "'customers' AND row_id = %1 ORDER BY id DESC LIMIT 1")
                               .arg(c.id)),
        m_admin.userName());
    // Once is enough.
    s = CustomerRepository(m_admin).anonymise(c.id, version + 1);
    QVERIFY(!s);
    QCOMPARE(s.error().code, ErrorCode::CustomerAnonymised);
}

void TestCustomerRecords::anAnonymisedCustomerShouldGetNoCardAgain()
{
    const QString id = m_tdb->scalar(
        QStringLiteral("SELECT id FROM customers WHERE anonymised_at IS NOT NULL LIMIT 1"));
    QVERIFY(!id.isEmpty());
    const qint64 sim = card(3);
    Result<SimCard> r = LifecycleService(m_support).reserve(sim, id.toLongLong());
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::CustomerAnonymised);
    // Not even a superuser's plain UPDATE.
    QVERIFY(!m_tdb
                 ->exec(QStringLiteral("UPDATE sim_cards SET status = 'RESERVED', customer_id = %1 "
                                       "WHERE id = %2")
                            .arg(id)
                            .arg(sim))
                 .isEmpty());
}

void TestCustomerRecords::theAuditLogShouldStayClosedToEveryRole()
{
    const QString id = m_tdb->scalar(QStringLiteral("SELECT min(row_id) FROM audit_log"));
    // Naming the setting the anonymising uses opens nothing: no role may write the table.
    for (QSqlDatabase db : { m_admin, m_support }) {
        Result<QueryResult> r = runQuery(
            db, QStringLiteral("SELECT set_config('simdesk.anonymising', $1, false)"), { id });
        QVERIFY(r.ok());
        r = runQuery(db,
            QStringLiteral("UPDATE audit_log SET old_row = NULL, new_row = NULL WHERE row_id = $1"),
            { id.toLongLong() });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::PermissionDenied);
    }
}

void TestCustomerRecords::aStaleAnonymiseShouldBeRefused()
{
    const Customer c = customer(QStringLiteral("Veraltet Version"));
    const qint64 sim = card(4);
    QVERIFY(LifecycleService(m_support).reserve(sim, c.id).ok());
    QVERIFY(LifecycleService(m_support).release(sim).ok());
    Customer edited = c;
    edited.notes = QStringLiteral("changed meanwhile");
    QVERIFY(CustomerRepository(m_support).update(edited).ok());
    const Status s = CustomerRepository(m_admin).anonymise(c.id, c.version);
    QVERIFY(!s);
    QCOMPARE(s.error().code, ErrorCode::StaleVersion);
    QVERIFY(s.error().message().contains(
        m_tdb->scalar(QStringLiteral("SELECT display_name FROM staff WHERE login = '%1'")
                          .arg(m_support.userName()))));
}

QTEST_GUILESS_MAIN(TestCustomerRecords)
#include "tst_customerrecords.moc"
