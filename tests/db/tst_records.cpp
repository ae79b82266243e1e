// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "records/activationcoderepository.h"
#include "records/customerrepository.h"
#include "records/simrepository.h"
#include "records/tariffplanrepository.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QTest>

#include <memory>

using namespace simdesk;

// Plain CRUD of cards (admin), customers (support), tariff plans (admin) and activation codes,
// each against the real database and through the role that does it in practice.
class TestRecords : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void adminShouldCreateACardWithSecretsAndAnEvent();
    void createShouldValidateEveryField();
    void createShouldRefuseDuplicates();
    void supportShouldNotCreateCards();
    void editShouldRecordOldAndNewValues();
    void editShouldRefuseAStaleVersion();
    void onlyAnUnusedCardShouldBeDeleted();

    void customersShouldBeNumberedValidatedAndVersioned();
    void aCustomerWithCardsShouldNotBeDeleted();

    void tariffPlansShouldBeAdminOnly();

    void codesShouldExpireLazilyAndBeMarkedBySupport();

private:
    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_admin;
    QSqlDatabase m_support;
};

void TestRecords::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("records"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_admin
        = m_tdb->connectAs(m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin")));
    m_support = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support")));
    QVERIFY(m_admin.isOpen() && m_support.isOpen());
}

void TestRecords::cleanupTestCase()
{
    m_admin = QSqlDatabase();
    m_support = QSqlDatabase();
    m_tdb.reset();
}

void TestRecords::adminShouldCreateACardWithSecretsAndAnEvent()
{
    const Result<SimCard> card
        = SimRepository(m_admin).create({ QStringLiteral("8949 0299 0000 0010 015"),
            QStringLiteral("+49 1590 1000001"), QStringLiteral("262019900000101"),
            QStringLiteral("0510"), QStringLiteral("05618636"), QStringLiteral("Postpaid") });
    QVERIFY2(card.ok(), card.ok() ? "" : qPrintable(card.error().fullMessage()));
    QCOMPARE(card->iccid, QStringLiteral("8949029900000010015"));
    QCOMPARE(card->msisdn, QStringLiteral("+4915901000001"));
    QCOMPARE(card->type, SimType::Postpaid);
    QCOMPARE(card->status, SimStatus::Available);
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT pin || '/' || puk FROM sim_secrets WHERE sim_id = %1")
                          .arg(card->id)),
        QStringLiteral("0510/05618636"));
    const QList<SimEvent> history = *SimRepository(m_admin).history(card->id);
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().type, QStringLiteral("CREATED"));
    QCOMPARE(history.first().createdBy, m_admin.userName());
}

void TestRecords::createShouldValidateEveryField()
{
    SimRepository cards(m_admin);
    const QString iccid = TestDatabase::iccid(500);
    QCOMPARE(cards
                 .create({ QStringLiteral("894902990000001001"), {}, {}, {}, {},
                     QStringLiteral("prepaid") })
                 .error()
                 .code,
        ErrorCode::IccidMissingCheckDigit);
    QCOMPARE(cards
                 .create({ iccid, QStringLiteral("0151 2345678"), {}, {}, {},
                     QStringLiteral("prepaid") })
                 .error()
                 .code,
        ErrorCode::MsisdnNationalFormat);
    QCOMPARE(cards.create({ iccid, {}, QStringLiteral("12"), {}, {}, QStringLiteral("prepaid") })
                 .error()
                 .code,
        ErrorCode::ImsiWrongLength);
    QCOMPARE(cards.create({ iccid, {}, {}, QStringLiteral("12"), {}, QStringLiteral("prepaid") })
                 .error()
                 .code,
        ErrorCode::PinWrongLength);
    QCOMPARE(cards.create({ iccid, {}, {}, {}, QStringLiteral("1234"), QStringLiteral("prepaid") })
                 .error()
                 .code,
        ErrorCode::PukWrongLength);
    QCOMPARE(cards.create({ iccid, {}, {}, {}, {}, QStringLiteral("contract") }).error().code,
        ErrorCode::SimTypeUnknown);
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT count(*) FROM sim_cards WHERE iccid = '%1'").arg(iccid)),
        QStringLiteral("0"));
}

void TestRecords::createShouldRefuseDuplicates()
{
    SimRepository cards(m_admin);
    const QString iccid = TestDatabase::iccid(501);
    QVERIFY(cards
                .create({ iccid, QStringLiteral("+4915901000501"), {}, {}, {},
                    QStringLiteral("prepaid") })
                .ok());
    const QString events = m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events"));
    QCOMPARE(cards.create({ iccid, {}, {}, {}, {}, QStringLiteral("prepaid") }).error().code,
        ErrorCode::DuplicateValue);
    QCOMPARE(cards
                 .create({ TestDatabase::iccid(502), QStringLiteral("+4915901000501"), {}, {}, {},
                     QStringLiteral("prepaid") })
                 .error()
                 .code,
        ErrorCode::DuplicateValue);
    // Nothing half-done: no card, no event.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events")), events);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE iccid = '%1'")
                               .arg(TestDatabase::iccid(502))),
        QStringLiteral("0"));
}

void TestRecords::supportShouldNotCreateCards()
{
    const Result<SimCard> r = SimRepository(m_support).create(
        { TestDatabase::iccid(503), {}, {}, {}, {}, QStringLiteral("prepaid") });
    QCOMPARE(r.error().code, ErrorCode::PermissionDenied);
}

void TestRecords::editShouldRecordOldAndNewValues()
{
    SimRepository cards(m_admin);
    const SimCard card
        = *cards.create({ TestDatabase::iccid(510), {}, {}, {}, {}, QStringLiteral("prepaid") });
    SimCardEdit edit;
    edit.imsi = QStringLiteral("262019900000510");
    edit.type = QStringLiteral("data-only");
    const Result<SimCard> after = cards.edit(card.id, card.version, edit);
    QVERIFY2(after.ok(), after.ok() ? "" : qPrintable(after.error().fullMessage()));
    QCOMPARE(after->imsi, QStringLiteral("262019900000510"));
    QCOMPARE(after->type, SimType::DataOnly);
    QCOMPARE(after->version, card.version + 1);
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT details->'sim_type'->>'old' || '>' || (details->'sim_type'->>'new') "
                 "FROM sim_events WHERE sim_id = %1 AND event_type = 'EDITED'")
                               .arg(card.id)),
        QStringLiteral("prepaid>data-only"));
    // An edit that changes nothing writes nothing.
    QCOMPARE(cards.edit(card.id, after->version, edit)->version, after->version);
}

void TestRecords::editShouldRefuseAStaleVersion()
{
    SimRepository cards(m_admin);
    const SimCard card
        = *cards.create({ TestDatabase::iccid(511), {}, {}, {}, {}, QStringLiteral("prepaid") });
    SimCardEdit first;
    first.imsi = QStringLiteral("262019900000511");
    QVERIFY(cards.edit(card.id, card.version, first).ok());
    SimCardEdit second;
    second.imsi = QStringLiteral("262019900000999");
    const Result<SimCard> r = cards.edit(card.id, card.version, second);
    QCOMPARE(r.error().code, ErrorCode::StaleVersion);
    QVERIFY2(r.error().message().contains(m_admin.userName()), qPrintable(r.error().message()));
    QCOMPARE(cards.find(card.id)->imsi, QStringLiteral("262019900000511"));
}

void TestRecords::onlyAnUnusedCardShouldBeDeleted()
{
    SimRepository cards(m_admin);
    const SimCard unused
        = *cards.create({ TestDatabase::iccid(520), {}, {}, {}, {}, QStringLiteral("prepaid") });
    QVERIFY(cards.remove(unused.id, unused.version).ok());
    QCOMPARE(cards.find(unused.id).error().code, ErrorCode::NotFound);
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT count(*) FROM sim_events WHERE sim_id = %1 AND event_type = 'DELETED'")
                               .arg(unused.id)),
        QStringLiteral("1"));

    const Customer anna = *CustomerRepository(m_support).create(
        { 0, {}, QStringLiteral("Anna Berg"), {}, {}, {}, {}, {}, 0, {}, {}, {} });
    const SimCard used
        = *cards.create({ TestDatabase::iccid(521), {}, {}, {}, {}, QStringLiteral("prepaid") });
    QVERIFY(LifecycleService(m_support).reserve(used.id, anna.id).ok());
    QVERIFY(LifecycleService(m_support).release(used.id).ok());
    // Back to AVAILABLE, but it has a history: the database refuses, core says why.
    const SimCard now = *cards.find(used.id);
    const Status s = cards.remove(used.id, now.version);
    QCOMPARE(s.error().code, ErrorCode::CardInUse);
    QVERIFY(cards.find(used.id).ok());
}

void TestRecords::customersShouldBeNumberedValidatedAndVersioned()
{
    CustomerRepository customers(m_support);
    Customer c;
    c.fullName = QStringLiteral("  Łukasz Öztürk ");
    c.email = QStringLiteral("lukasz@example.net");
    c.phone = QStringLiteral("+48 601 234 567");
    const Result<Customer> created = customers.create(c);
    QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().fullMessage()));
    QVERIFY(created->customerNo.startsWith(QLatin1String("C-")));
    QCOMPARE(created->fullName, QStringLiteral("Łukasz Öztürk"));
    QCOMPARE(created->phone, QStringLiteral("+48601234567"));
    QVERIFY(customers.list(QStringLiteral("öztürk"))->size() == 1);

    Customer bad = c;
    bad.email = QStringLiteral("not-an-address");
    QCOMPARE(customers.create(bad).error().code, ErrorCode::InvalidArgument);
    bad = c;
    bad.fullName = QStringLiteral("   ");
    QCOMPARE(customers.create(bad).error().code, ErrorCode::FieldRequired);
    bad = c;
    bad.phone = QStringLiteral("0601 234 567");
    QCOMPARE(customers.create(bad).error().code, ErrorCode::MsisdnNationalFormat);

    Customer edit = *created;
    edit.notes = QStringLiteral("prefers e-mail");
    const Result<Customer> updated = customers.update(edit);
    QVERIFY(updated.ok());
    QCOMPARE(updated->version, created->version + 1);
    edit.notes = QStringLiteral("overwrites?");
    QCOMPARE(customers.update(edit).error().code,
        ErrorCode::StaleVersion); // edit still has the old version
    QCOMPARE(customers.find(created->id)->notes, QStringLiteral("prefers e-mail"));
}

void TestRecords::aCustomerWithCardsShouldNotBeDeleted()
{
    CustomerRepository customers(m_support);
    const Customer c = *customers.create(
        { 0, {}, QStringLiteral("Ben Kurz"), {}, {}, {}, {}, {}, 0, {}, {}, {} });
    const SimCard card = *SimRepository(m_admin).create(
        { TestDatabase::iccid(530), {}, {}, {}, {}, QStringLiteral("prepaid") });
    QVERIFY(LifecycleService(m_support).reserve(card.id, c.id).ok());
    QCOMPARE(customers.remove(c.id, c.version).error().code, ErrorCode::CustomerInUse);
    // Released again, the customer is still in the card's history, which stays whole.
    QVERIFY(LifecycleService(m_support).release(card.id).ok());
    QCOMPARE(customers.remove(c.id, c.version).error().code, ErrorCode::CustomerInUse);
    // A customer nobody has used can go.
    const Customer unused = *customers.create(
        { 0, {}, QStringLiteral("Typo Entry"), {}, {}, {}, {}, {}, 0, {}, {}, {} });
    QVERIFY(customers.remove(unused.id, unused.version).ok());
    QCOMPARE(customers.find(unused.id).error().code, ErrorCode::NotFound);
}

void TestRecords::tariffPlansShouldBeAdminOnly()
{
    TariffPlan plan;
    plan.code = QStringLiteral("pre-s");
    plan.name = QStringLiteral("Prepaid S");
    plan.simType = SimType::Prepaid;
    plan.monthlyFeeCents = 499;
    plan.dataMb = 3072;
    QCOMPARE(
        TariffPlanRepository(m_support).create(plan).error().code, ErrorCode::PermissionDenied);
    const Result<TariffPlan> created = TariffPlanRepository(m_admin).create(plan);
    QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().fullMessage()));
    QCOMPARE(created->code, QStringLiteral("PRE-S"));
    QCOMPARE(created->dataMb, std::optional<int>(3072));
    TariffPlan retire = *created;
    retire.active = false;
    QVERIFY(TariffPlanRepository(m_admin).update(retire).ok());
    QCOMPARE(TariffPlanRepository(m_support).list(false)->size(), 0);
    QCOMPARE(TariffPlanRepository(m_support).list(true)->size(), 1);
    QCOMPARE(TariffPlanRepository(m_admin).update(retire).error().code, ErrorCode::StaleVersion);
}

void TestRecords::codesShouldExpireLazilyAndBeMarkedBySupport()
{
    ActivationCodeRepository admin(m_admin);
    QVERIFY(
        admin.create(QStringLiteral("act-fresh-0001"), QDateTime::currentDateTimeUtc().addDays(30))
            .ok());
    QVERIFY(
        admin.create(QStringLiteral("ACT-STALE-0001"), QDateTime::currentDateTimeUtc().addSecs(-60))
            .ok());
    QVERIFY(admin.create(QStringLiteral("ACT-HAND-0001"), std::nullopt).ok());
    QCOMPARE(admin.create(QStringLiteral("ACT-FRESH-0001"), std::nullopt).error().code,
        ErrorCode::DuplicateValue);
    QCOMPARE(ActivationCodeRepository(m_support)
                 .create(QStringLiteral("ACT-SUPP-0001"), std::nullopt)
                 .error()
                 .code,
        ErrorCode::PermissionDenied);

    ActivationCodeRepository codes(m_support);
    const Result<ActivationCode> stale = codes.find(QStringLiteral(" act-stale-0001 "));
    QVERIFY2(stale.ok(), stale.ok() ? "" : qPrintable(stale.error().fullMessage()));
    QCOMPARE(stale->status, CodeStatus::Expired); // lazily
    QCOMPARE(codes.list(CodeStatus::Expired)->size(), 1);
    QCOMPARE(codes.list(CodeStatus::Unused)->size(), 2);
    const Result<int> expired = codes.expireOverdue();
    QVERIFY2(expired.ok(), expired.ok() ? "" : qPrintable(expired.error().fullMessage()));
    QCOMPARE(*expired, 1);
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT status FROM activation_codes WHERE code = 'ACT-STALE-0001'")),
        QStringLiteral("EXPIRED"));

    const Result<ActivationCode> used = codes.markUsed(
        QStringLiteral("ACT-HAND-0001"), QStringLiteral("handed out at the counter"));
    QVERIFY(used.ok());
    QCOMPARE(used->status, CodeStatus::Used);
    QVERIFY(used->usedAt.has_value());
    QCOMPARE(
        codes.markUsed(QStringLiteral("ACT-HAND-0001"), QStringLiteral("handed out at the counter"))
            .error()
            .code,
        ErrorCode::ActivationCodeUsed);
    QCOMPARE(
        codes.markUsed(QStringLiteral("ACT-STALE-0001"), QStringLiteral("handed out")).error().code,
        ErrorCode::ActivationCodeExpired);
    QCOMPARE(
        codes.markExpired(QStringLiteral("ACT-FRESH-0001"), QStringLiteral("withdrawn"))->status,
        CodeStatus::Expired);
    QCOMPARE(codes.markExpired(QStringLiteral("ACT-NONE-0001"), QStringLiteral("withdrawn"))
                 .error()
                 .code,
        ErrorCode::ActivationCodeUnknown);
}

QTEST_GUILESS_MAIN(TestRecords)
#include "tst_records.moc"
