// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "domain/validation.h"
#include "records/simrepository.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace simdesk;

Q_DECLARE_METATYPE(simdesk::ErrorCode)

// Every SIM action through LifecycleService, as a support login, against the real database.
class TestLifecycleService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void everyActionFromEveryStatus_data();
    void everyActionFromEveryStatus();
    void theTriggerShouldRefuseTheSameTransitionsInRawSql_data();
    void theTriggerShouldRefuseTheSameTransitionsInRawSql();

    void shouldRequireCustomerTariffAndReason();
    void shouldRefuseATariffForAnotherTypeOfCard();
    void shouldRefuseAnInactiveTariff();
    void activationShouldConsumeACodeOnce();
    void shouldRefuseExpiredAndUnknownCodes();
    void aRefusedActivationShouldLeaveTheCodeUnused();
    void terminateShouldReleaseTheNumberForReuse();
    void staleVersionShouldSayWhoChangedItAndWhen();
    void eventsShouldRecordWhoWhatAndWhy();
    void assignUnassignAndChangeTariff();

    void swapShouldMoveNumberCustomerAndTariff();
    void swapShouldMarkTheOldCardLost();
    void swapShouldWorkFromALostCard();
    void swapShouldRefuseWrongCards();
    void aFailureMidSwapShouldLeaveBothCardsUnchanged();

    void revealingSecretsShouldBeAudited();
    void aRevealInsideATransactionShouldRevealNothing();
    void bulkActionsShouldReportEachCardAndShareAnOperationId();

private:
    qint64 newCard(const QString &msisdn = {}, const QString &type = QStringLiteral("prepaid"));
    qint64 cardIn(SimStatus status);
    QString eventCount(qint64 simId);

    std::unique_ptr<TestDatabase> m_tdb;
    QString m_support;
    QSqlDatabase m_db; // the support login's connection
    qint64 m_customer = 0;
    qint64 m_otherCustomer = 0;
    qint64 m_prepaidTariff = 0;
    qint64 m_postpaidTariff = 0;
    qint64 m_inactiveTariff = 0;
    int m_cards = 0;
};

void TestLifecycleService::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("lifecycle"));
    REQUIRE_DATABASE(*m_tdb);
    const Result<QList<int>> r = Migrator(m_tdb->connect()).migrate();
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(
        m_tdb->exec(QStringLiteral(
            "INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna Berg'), ('C-2', "
            "'Ben Kurz');"
            "INSERT INTO tariff_plans (code, name, sim_type, active) VALUES ('PRE', 'Prepaid', "
            "'prepaid', true),"
            " ('POST', 'Postpaid', 'postpaid', true), ('OLD', 'Old prepaid', 'prepaid', false);"
            "INSERT INTO activation_codes (code, expires_at) VALUES ('ACT-GOOD-0001', now() + "
            "interval '30 days'),"
            " ('ACT-GOOD-0002', NULL), ('ACT-LATE-0001', now() - interval '1 day')")),
        QString());
    m_customer = m_tdb->scalar(QStringLiteral("SELECT id FROM customers WHERE customer_no = 'C-1'"))
                     .toLongLong();
    m_otherCustomer
        = m_tdb->scalar(QStringLiteral("SELECT id FROM customers WHERE customer_no = 'C-2'"))
              .toLongLong();
    m_prepaidTariff
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'PRE'"))
              .toLongLong();
    m_postpaidTariff
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'POST'"))
              .toLongLong();
    m_inactiveTariff
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'OLD'"))
              .toLongLong();
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    m_db = m_tdb->connectAs(m_support);
    QVERIFY(m_db.isOpen());
}

void TestLifecycleService::cleanupTestCase()
{
    m_db = QSqlDatabase();
    m_tdb.reset();
}

qint64 TestLifecycleService::newCard(const QString &msisdn, const QString &type)
{
    // Cards come from the inventory (an admin's job); the superuser stands in for the admin here.
    const QString iccid = TestDatabase::iccid(++m_cards);
    m_tdb->exec(
        QStringLiteral("INSERT INTO sim_cards (iccid, msisdn, sim_type) VALUES ('%1', %2, '%3')")
            .arg(iccid,
                msisdn.isEmpty() ? QStringLiteral("NULL")
                                 : QLatin1Char('\'') + msisdn + QLatin1Char('\''),
                type));
    m_tdb->exec(
        QStringLiteral("INSERT INTO sim_secrets (sim_id, pin, puk) SELECT id, '1234', '12345678' "
                       "FROM sim_cards WHERE iccid = '%1'")
            .arg(iccid));
    return m_tdb->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'").arg(iccid))
        .toLongLong();
}

// A card brought to `status` through the service, as staff would.
qint64 TestLifecycleService::cardIn(SimStatus status)
{
    LifecycleService life(m_db);
    const qint64 id
        = newCard(QStringLiteral("+49159%1").arg(100000 + m_cards + 1, 7, 10, QLatin1Char('0')));
    auto ok = [](const Result<SimCard> &r) {
        if (!r)
            qWarning("cardIn: %s", qPrintable(r.error().fullMessage()));
    };
    switch (status) {
    case SimStatus::Available:
        break;
    case SimStatus::Reserved:
        ok(life.reserve(id, m_customer));
        break;
    case SimStatus::Active:
        ok(life.activate(id, m_customer, m_prepaidTariff));
        break;
    case SimStatus::Suspended:
        ok(life.activate(id, m_customer, m_prepaidTariff));
        ok(life.suspend(id, QStringLiteral("unpaid invoice")));
        break;
    case SimStatus::LostStolen:
        ok(life.activate(id, m_customer, m_prepaidTariff));
        ok(life.reportLostStolen(id, QStringLiteral("phone stolen")));
        break;
    case SimStatus::Terminated:
        ok(life.terminate(id, QStringLiteral("contract ended")));
        break;
    }
    return id;
}

QString TestLifecycleService::eventCount(qint64 simId)
{
    return m_tdb->scalar(
        QStringLiteral("SELECT count(*) FROM sim_events WHERE sim_id = %1").arg(simId));
}

void TestLifecycleService::everyActionFromEveryStatus_data()
{
    QTest::addColumn<SimStatus>("from");
    QTest::addColumn<SimAction>("action");
    for (SimStatus from : kAllStatuses) {
        for (SimAction action : kAllActions)
            QTest::addRow("%s %s %s", qPrintable(statusKey(from)),
                isAllowed(from, action) ? "→" : "✗", qPrintable(actionKey(action)))
                << from << action;
    }
}

void TestLifecycleService::everyActionFromEveryStatus()
{
    QFETCH(SimStatus, from);
    QFETCH(SimAction, action);
    const qint64 id = cardIn(from);
    const SimCard before = *SimRepository(m_db).find(id);
    QCOMPARE(before.status, from);
    const QString eventsBefore = eventCount(id);

    ActionRequest request;
    request.simId = id;
    request.expectedVersion = before.version;
    request.customerId = m_customer;
    request.tariffPlanId = m_prepaidTariff;
    request.reason = QStringLiteral("test");
    const Result<SimCard> r = LifecycleService(m_db).performAndRead(cardActionOf(action), request);

    if (const std::optional<SimStatus> to = transitionTarget(from, action)) {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
        QCOMPARE(r->status, *to);
        QCOMPARE(r->version, before.version + 1);
        QCOMPARE(eventCount(id).toInt(), eventsBefore.toInt() + 1);
        QCOMPARE(m_tdb->scalar(QStringLiteral(
                     "SELECT new_status FROM sim_events WHERE sim_id = %1 ORDER BY id DESC LIMIT 1")
                                   .arg(id)),
            statusKey(*to));
    } else {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::TransitionNotAllowed);
        QVERIFY2(r.error().message().contains(before.iccid), qPrintable(r.error().message()));
        const SimCard after = *SimRepository(m_db).find(id);
        QCOMPARE(after.status, from);
        QCOMPARE(after.version, before.version);
        QCOMPARE(eventCount(id), eventsBefore);
    }
}

void TestLifecycleService::theTriggerShouldRefuseTheSameTransitionsInRawSql_data()
{
    QTest::addColumn<SimStatus>("from");
    QTest::addColumn<SimStatus>("to");
    for (SimStatus from : kAllStatuses) {
        for (SimStatus to : kAllStatuses) {
            if (from == to)
                continue;
            bool allowed = false;
            for (const Transition &t : kTransitions)
                allowed = allowed || (t.from == from && t.to == to);
            QTest::addRow("%s %s %s", qPrintable(statusKey(from)), allowed ? "→" : "✗",
                qPrintable(statusKey(to)))
                << from << to;
        }
    }
}

void TestLifecycleService::theTriggerShouldRefuseTheSameTransitionsInRawSql()
{
    // psql with a support password: no direct UPDATE at all since 004, whatever the status…
    QFETCH(SimStatus, from);
    QFETCH(SimStatus, to);
    const qint64 id = cardIn(from);
    QSqlQuery refused(m_db);
    QVERIFY(!refused.exec(QStringLiteral("UPDATE sim_cards SET status = '%1' WHERE id = %2")
                              .arg(statusKey(to))
                              .arg(id)));
    QCOMPARE(refused.lastError().nativeErrorCode(), QStringLiteral("42501"));
    // …and for the schema owner, who may write the table, the trigger still allows exactly the
    // transitions of the C++ table.
    QSqlDatabase owner = m_tdb->connect();
    QSqlQuery q(owner);
    const bool holder
        = to == SimStatus::Reserved || to == SimStatus::Active || to == SimStatus::Suspended;
    const QString sql = QStringLiteral(
        "UPDATE sim_cards SET status = '%1', customer_id = %2, tariff_plan_id = %3%4 WHERE id = %5")
                            .arg(statusKey(to),
                                holder ? QString::number(m_customer)
                                       : QStringLiteral("customer_id"),
                                QString::number(m_prepaidTariff),
                                to == SimStatus::Terminated ? QStringLiteral(", msisdn = NULL")
                                                            : QString())
                            .arg(id);
    const bool ok = q.exec(sql);
    bool allowed = false;
    for (const Transition &t : kTransitions)
        allowed = allowed || (t.from == from && t.to == to);
    if (allowed) {
        QVERIFY2(ok, qPrintable(q.lastError().text()));
    } else {
        QVERIFY(!ok);
        QCOMPARE(q.lastError().nativeErrorCode(), QStringLiteral("SD001"));
        QCOMPARE(
            m_tdb->scalar(QStringLiteral("SELECT status FROM sim_cards WHERE id = %1").arg(id)),
            statusKey(from));
    }
}

void TestLifecycleService::shouldRequireCustomerTariffAndReason()
{
    LifecycleService life(m_db);
    const qint64 id = newCard();
    ActionRequest bare;
    bare.simId = id;
    QCOMPARE(life.perform(CardAction::Reserve, bare).error().code, ErrorCode::CustomerRequired);
    QCOMPARE(life.perform(CardAction::Activate, bare).error().code, ErrorCode::CustomerRequired);
    bare.customerId = m_customer;
    QCOMPARE(life.perform(CardAction::Activate, bare).error().code, ErrorCode::TariffRequired);
    QCOMPARE(life.terminate(id, QStringLiteral("   ")).error().code, ErrorCode::ReasonRequired);
    // Core reads a reason as the database keeps it (validation::normalizeReason): pasted
    // invisible characters are no reason, and one beyond the longest kept is refused, also by
    // an action that needs none, before anything is sent.
    QCOMPARE(life.terminate(id, QStringLiteral("\u200B\u00A0\uFEFF")).error().code,
        ErrorCode::ReasonRequired);
    const QString tooLong(validation::kMaxReasonLength + 1, QLatin1Char('x'));
    QCOMPARE(life.terminate(id, tooLong).error().code, ErrorCode::ReasonTooLong);
    ActionRequest chatty;
    chatty.simId = id;
    chatty.customerId = m_customer;
    chatty.reason = tooLong;
    QCOMPARE(life.perform(CardAction::Reserve, chatty).error().code, ErrorCode::ReasonTooLong);
    QCOMPARE(eventCount(id), QStringLiteral("0"));
    // A reserved card already has its customer: activation needs only the tariff.
    QVERIFY(life.reserve(id, m_customer).ok());
    const Result<SimCard> active = life.activate(id, std::nullopt, m_prepaidTariff);
    QVERIFY2(active.ok(), active.ok() ? "" : qPrintable(active.error().fullMessage()));
    QCOMPARE(active->customerId, std::optional<qint64>(m_customer));
    QVERIFY(active->activatedAt.has_value());
    // What is kept is the reason without the padding a paste brought.
    QVERIFY(life.suspend(id, QStringLiteral(" \u200Bphone lost\u00A0\n")).ok());
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT note FROM sim_events WHERE sim_id = %1 AND "
                                          "event_type = 'SUSPENDED'")
                               .arg(id)),
        QStringLiteral("phone lost"));
    // Unknown customer.
    const qint64 other = newCard();
    QCOMPARE(life.reserve(other, 999999).error().code, ErrorCode::NotFound);
    QCOMPARE(life.suspend(424242, QStringLiteral("x")).error().code, ErrorCode::NotFound);
}

void TestLifecycleService::shouldRefuseATariffForAnotherTypeOfCard()
{
    const qint64 id = newCard({}, QStringLiteral("data-only"));
    const Result<SimCard> r = LifecycleService(m_db).activate(id, m_customer, m_postpaidTariff);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::TariffTypeMismatch);
    QVERIFY2(
        r.error().message().contains(QLatin1String("Postpaid")), qPrintable(r.error().message()));
}

void TestLifecycleService::shouldRefuseAnInactiveTariff()
{
    const qint64 id = newCard();
    QCOMPARE(LifecycleService(m_db).activate(id, m_customer, m_inactiveTariff).error().code,
        ErrorCode::TariffInactive);
}

void TestLifecycleService::activationShouldConsumeACodeOnce()
{
    LifecycleService life(m_db);
    const qint64 first = newCard();
    const Result<SimCard> r
        = life.activate(first, m_customer, m_prepaidTariff, QStringLiteral(" act-good-0001 "));
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QVERIFY(r->activationCodeId.has_value());
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT status || ':' || (used_at IS NOT NULL) FROM "
                                          "activation_codes WHERE code = 'ACT-GOOD-0001'")),
        QStringLiteral("USED:true"));
    QVERIFY(m_tdb->scalar(QStringLiteral("SELECT details->>'activation_code' FROM sim_events WHERE "
                                         "sim_id = %1 AND event_type = 'ACTIVATED'")
                              .arg(first))
        == QLatin1String("ACT-GOOD-0001"));

    const qint64 second = newCard();
    const Result<SimCard> again
        = life.activate(second, m_customer, m_prepaidTariff, QStringLiteral("ACT-GOOD-0001"));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, ErrorCode::ActivationCodeUsed);
    QCOMPARE(SimRepository(m_db).find(second)->status, SimStatus::Available);
}

void TestLifecycleService::shouldRefuseExpiredAndUnknownCodes()
{
    LifecycleService life(m_db);
    const qint64 id = newCard();
    QCOMPARE(life.activate(id, m_customer, m_prepaidTariff, QStringLiteral("ACT-LATE-0001"))
                 .error()
                 .code,
        ErrorCode::ActivationCodeExpired);
    QCOMPARE(life.activate(id, m_customer, m_prepaidTariff, QStringLiteral("ACT-NOPE-0000"))
                 .error()
                 .code,
        ErrorCode::ActivationCodeUnknown);
    QCOMPARE(SimRepository(m_db).find(id)->status, SimStatus::Available);
    // Expiry is lazy: the row still says UNUSED, but it counts as expired.
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT status FROM activation_codes WHERE code = 'ACT-LATE-0001'")),
        QStringLiteral("UNUSED"));
}

void TestLifecycleService::aRefusedActivationShouldLeaveTheCodeUnused()
{
    // The code is consumed before the status update; a constraint failing after it must undo it.
    const qint64 id = newCard();
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "CREATE FUNCTION fail_activation() RETURNS trigger LANGUAGE plpgsql AS $$ "
                 "BEGIN RAISE EXCEPTION 'injected failure'; END $$; "
                 "CREATE TRIGGER fail_activation BEFORE UPDATE ON sim_cards FOR EACH ROW "
                 "WHEN (NEW.status = 'ACTIVE' AND NEW.id = %1) EXECUTE FUNCTION fail_activation()")
                             .arg(id)),
        QString());
    const Result<SimCard> r = LifecycleService(m_db).activate(
        id, m_customer, m_prepaidTariff, QStringLiteral("ACT-GOOD-0002"));
    m_tdb->exec(QStringLiteral(
        "DROP TRIGGER fail_activation ON sim_cards; DROP FUNCTION fail_activation()"));
    QVERIFY(!r.ok());
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT status FROM activation_codes WHERE code = 'ACT-GOOD-0002'")),
        QStringLiteral("UNUSED"));
    QCOMPARE(SimRepository(m_db).find(id)->status, SimStatus::Available);
    QCOMPARE(eventCount(id), QStringLiteral("0"));
}

void TestLifecycleService::terminateShouldReleaseTheNumberForReuse()
{
    LifecycleService life(m_db);
    const qint64 id = newCard(QStringLiteral("+4915900000001"));
    QVERIFY(life.activate(id, m_customer, m_prepaidTariff).ok());
    const Result<SimCard> r = life.terminate(id, QStringLiteral("contract ended"));
    QVERIFY(r.ok());
    QVERIFY(r->msisdn.isEmpty());
    QVERIFY(r->terminatedAt.has_value());
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT details->>'released_msisdn' FROM sim_events "
                                          "WHERE sim_id = %1 AND event_type = 'TERMINATED'")
                               .arg(id)),
        QStringLiteral("+4915900000001"));
    const qint64 next = newCard(QStringLiteral("+4915900000001"));
    QVERIFY(next > 0);
    // Terminated is final.
    QCOMPARE(life.resume(id).error().code, ErrorCode::TransitionNotAllowed);
    QVERIFY(
        life.resume(id).error().message().contains(QLatin1String("none (the status is final)")));
}

void TestLifecycleService::staleVersionShouldSayWhoChangedItAndWhen()
{
    LifecycleService life(m_db);
    const qint64 id = newCard();
    const SimCard seen = *SimRepository(m_db).find(id);
    // A colleague reserves it in the meantime.
    const QString colleague
        = m_tdb->createLogin(QStringLiteral("colleague"), QStringLiteral("support"));
    QVERIFY(LifecycleService(m_tdb->connectAs(colleague)).reserve(id, m_otherCustomer).ok());
    const Result<SimCard> r = life.reserve(id, m_customer, seen.version);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::StaleVersion);
    QCOMPARE(r.error().args.at(1), colleague);
    QVERIFY2(r.error().message().contains(colleague), qPrintable(r.error().message()));
    QCOMPARE(SimRepository(m_db).find(id)->customerId, std::optional<qint64>(m_otherCustomer));
}

void TestLifecycleService::eventsShouldRecordWhoWhatAndWhy()
{
    const qint64 id = cardIn(SimStatus::Active);
    QVERIFY(LifecycleService(m_db).suspend(id, QStringLiteral("unpaid invoice 2026-11")).ok());
    const QList<SimEvent> events = *SimRepository(m_db).history(id);
    QCOMPARE(events.size(), 2);
    const SimEvent &e = events.last();
    QCOMPARE(e.type, QStringLiteral("SUSPENDED"));
    QCOMPARE(e.oldStatus, std::optional<SimStatus>(SimStatus::Active));
    QCOMPARE(e.newStatus, std::optional<SimStatus>(SimStatus::Suspended));
    QCOMPARE(e.note, QStringLiteral("unpaid invoice 2026-11"));
    QCOMPARE(e.createdBy, m_support);
    QCOMPARE(e.customerId, std::optional<qint64>(m_customer));
}

void TestLifecycleService::assignUnassignAndChangeTariff()
{
    LifecycleService life(m_db);
    const qint64 id = cardIn(SimStatus::Active);
    Result<SimCard> r = life.assignCustomer(id, m_otherCustomer);
    QVERIFY(r.ok());
    QCOMPARE(r->customerId, std::optional<qint64>(m_otherCustomer));
    QCOMPARE(life.unassignCustomer(id).error().code,
        ErrorCode::TransitionNotAllowed); // active needs a holder
    r = life.changeTariff(id, m_inactiveTariff);
    QCOMPARE(r.error().code, ErrorCode::TariffInactive);
    QVERIFY(life.terminate(id, QStringLiteral("moved abroad")).ok());
    r = life.unassignCustomer(id);
    QVERIFY(r.ok());
    QVERIFY(!r->customerId.has_value());
    QCOMPARE(life.assignCustomer(id, m_customer).error().code, ErrorCode::TransitionNotAllowed);
    const QStringList types
        = m_tdb
              ->scalar(QStringLiteral("SELECT string_agg(event_type, ',' ORDER BY id) FROM "
                                      "sim_events WHERE sim_id = %1")
                           .arg(id))
              .split(QLatin1Char(','));
    QCOMPARE(types, (QStringList { "ACTIVATED", "ASSIGNED", "TERMINATED", "UNASSIGNED" }));
}

void TestLifecycleService::swapShouldMoveNumberCustomerAndTariff()
{
    const qint64 oldId = cardIn(SimStatus::Active);
    const SimCard oldBefore = *SimRepository(m_db).find(oldId);
    const qint64 newId = newCard();
    SwapRequest req;
    req.oldSimId = oldId;
    req.newSimId = newId;
    req.reason = QStringLiteral("card damaged");
    const Result<SwapResult> r = LifecycleService(m_db).swap(req);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(r->oldCard.status, SimStatus::Terminated);
    QVERIFY(r->oldCard.msisdn.isEmpty());
    QCOMPARE(r->newCard.status, SimStatus::Active);
    QCOMPARE(r->newCard.msisdn, oldBefore.msisdn);
    QCOMPARE(r->newCard.customerId, oldBefore.customerId);
    QCOMPARE(r->newCard.tariffPlanId, oldBefore.tariffPlanId);
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT count(DISTINCT swap_id) || ':' || count(*) FROM sim_events "
                 "WHERE swap_id = '%1' AND event_type IN ('SWAPPED_OUT', 'SWAPPED_IN')")
                               .arg(r->swapId)),
        QStringLiteral("1:2"));
}

void TestLifecycleService::swapShouldMarkTheOldCardLost()
{
    const qint64 oldId = cardIn(SimStatus::Suspended);
    const qint64 newId = cardIn(SimStatus::Reserved); // reserved for the same customer
    SwapRequest req { oldId, newId, {}, {}, SwapOldCardEnd::LostStolen,
        QStringLiteral("phone lost") };
    const Result<SwapResult> r = LifecycleService(m_db).swap(req);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(r->oldCard.status, SimStatus::LostStolen);
    QCOMPARE(r->newCard.status, SimStatus::Active);
}

void TestLifecycleService::swapShouldWorkFromALostCard()
{
    // The usual case: the phone was reported lost first, then the number moves to a new card.
    const qint64 oldId = cardIn(SimStatus::LostStolen);
    const QString number = SimRepository(m_db).find(oldId)->msisdn;
    const qint64 newId = newCard();
    const Result<SwapResult> r = LifecycleService(m_db).swap(
        { oldId, newId, {}, {}, SwapOldCardEnd::LostStolen, QStringLiteral("replacement card") });
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(r->oldCard.status, SimStatus::LostStolen);
    QCOMPARE(r->newCard.msisdn, number);
}

void TestLifecycleService::swapShouldRefuseWrongCards()
{
    LifecycleService life(m_db);
    const qint64 active = cardIn(SimStatus::Active);
    const qint64 available = newCard();
    auto swap = [&](qint64 from, qint64 to) {
        return life.swap({ from, to, {}, {}, SwapOldCardEnd::Terminate, QStringLiteral("x") });
    };
    QCOMPARE(swap(active, active).error().code, ErrorCode::SwapSameCard);
    QCOMPARE(swap(available, active).error().code, ErrorCode::SwapSourceNotSwappable);
    QCOMPARE(
        swap(active, cardIn(SimStatus::Suspended)).error().code, ErrorCode::SwapTargetNotAvailable);
    QCOMPARE(swap(active, cardIn(SimStatus::Terminated)).error().code,
        ErrorCode::SwapTargetNotAvailable);
    const qint64 reservedForOther = newCard();
    QVERIFY(life.reserve(reservedForOther, m_otherCustomer).ok());
    QCOMPARE(swap(active, reservedForOther).error().code, ErrorCode::SwapTargetReservedForOther);
    QCOMPARE(swap(active, newCard({}, QStringLiteral("postpaid"))).error().code,
        ErrorCode::TariffTypeMismatch);
    QCOMPARE(
        life.swap({ active, available, {}, {}, SwapOldCardEnd::Terminate, QString() }).error().code,
        ErrorCode::ReasonRequired);
    QCOMPARE(SimRepository(m_db).find(active)->status, SimStatus::Active);
    QCOMPARE(SimRepository(m_db).find(available)->status, SimStatus::Available);
}

void TestLifecycleService::aFailureMidSwapShouldLeaveBothCardsUnchanged()
{
    const qint64 oldId = cardIn(SimStatus::Active);
    const qint64 newId = newCard();
    const SimCard oldBefore = *SimRepository(m_db).find(oldId);
    const SimCard newBefore = *SimRepository(m_db).find(newId);
    // The last write of a swap is the SWAPPED_IN event: make exactly that fail.
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "CREATE FUNCTION fail_swap() RETURNS trigger LANGUAGE plpgsql AS $$ "
                 "BEGIN RAISE EXCEPTION 'disk full (injected)'; END $$; "
                 "CREATE TRIGGER fail_swap BEFORE INSERT ON sim_events FOR EACH ROW "
                 "WHEN (NEW.event_type = 'SWAPPED_IN') EXECUTE FUNCTION fail_swap()")),
        QString());
    const Result<SwapResult> r = LifecycleService(m_db).swap(
        { oldId, newId, {}, {}, SwapOldCardEnd::Terminate, QStringLiteral("card damaged") });
    m_tdb->exec(QStringLiteral("DROP TRIGGER fail_swap ON sim_events; DROP FUNCTION fail_swap()"));
    QVERIFY(!r.ok());
    QVERIFY2(
        r.error().detail.contains(QLatin1String("injected")), qPrintable(r.error().fullMessage()));
    const SimCard oldAfter = *SimRepository(m_db).find(oldId);
    const SimCard newAfter = *SimRepository(m_db).find(newId);
    QCOMPARE(oldAfter.status, oldBefore.status);
    QCOMPARE(oldAfter.msisdn, oldBefore.msisdn);
    QCOMPARE(oldAfter.version, oldBefore.version);
    QCOMPARE(newAfter.status, newBefore.status);
    QCOMPARE(newAfter.msisdn, newBefore.msisdn);
    QCOMPARE(newAfter.version, newBefore.version);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events WHERE event_type LIKE "
                                          "'SWAPPED%' AND sim_id IN (%1, %2)")
                               .arg(oldId)
                               .arg(newId)),
        QStringLiteral("0"));
}

void TestLifecycleService::revealingSecretsShouldBeAudited()
{
    const qint64 id = newCard();
    const Result<Secrets> s
        = LifecycleService(m_db).revealSecrets(id, QStringLiteral("customer on the phone"));
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().fullMessage()));
    QCOMPARE(s->pin, QStringLiteral("1234"));
    QCOMPARE(s->puk, QStringLiteral("12345678"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT created_by || ':' || note FROM sim_events WHERE "
                                          "sim_id = %1 AND event_type = 'SECRET_REVEALED'")
                               .arg(id)),
        m_support + QStringLiteral(":customer on the phone"));
    QCOMPARE(LifecycleService(m_db).revealSecrets(999999, QStringLiteral("x")).error().code,
        ErrorCode::NotFound);
    QCOMPARE(LifecycleService(m_db).revealSecrets(id, QStringLiteral("  ")).error().code,
        ErrorCode::ReasonRequired);
}

void TestLifecycleService::aRevealInsideATransactionShouldRevealNothing()
{
    // The read must come after the request is committed: inside one transaction the database
    // refuses it, so rolling back cannot leave secrets read and no record of it.
    const qint64 id = newCard();
    QVERIFY(m_db.transaction());
    const Result<Secrets> s = LifecycleService(m_db).revealSecrets(id, QStringLiteral("sneaky"));
    m_db.rollback();
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::SecretsReadRefused);
    QCOMPARE(eventCount(id), QStringLiteral("0"));
}

void TestLifecycleService::bulkActionsShouldReportEachCardAndShareAnOperationId()
{
    const qint64 active1 = cardIn(SimStatus::Active);
    const qint64 active2 = cardIn(SimStatus::Active);
    const qint64 available = cardIn(SimStatus::Available);
    // The preview says exactly what will happen, and changes nothing.
    const QString eventsBefore = m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events"));
    const Result<BulkResult> preview
        = LifecycleService(m_db, ChangeSource::Bulk)
              .performMany(CardAction::Suspend, { active1, available, active2, 99999999 }, {},
                  LifecycleService::BulkMode::Preview);
    QVERIFY2(preview.ok(), preview.ok() ? "" : qPrintable(preview.error().fullMessage()));
    QCOMPARE(preview->done, 2);
    QCOMPARE(preview->outcomes.at(1).kind, BulkOutcomeKind::Transition);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events")), eventsBefore);
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT status FROM sim_cards WHERE id = %1").arg(active1)),
        QStringLiteral("ACTIVE"));

    ActionRequest common;
    common.reason = QStringLiteral("unpaid bills");
    const Result<BulkResult> r
        = LifecycleService(m_db, ChangeSource::Bulk)
              .performMany(CardAction::Suspend, { active1, available, active2, 99999999 }, common);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(r->done, 2);
    QCOMPARE(r->refused, 2);
    QCOMPARE(r->outcomes.size(), 4);
    QCOMPARE(r->outcomes.at(0).simId, active1);
    QVERIFY(r->outcomes.at(0).done());
    QCOMPARE(r->outcomes.at(1).kind, BulkOutcomeKind::Transition);
    QCOMPARE(r->outcomes.at(1).detail, QStringLiteral("AVAILABLE"));
    QCOMPARE(r->outcomes.at(3).kind, BulkOutcomeKind::NotFound);
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT count(DISTINCT operation_id) || ':' || count(*) || ':' || min(source) "
                 "|| ':' || min(note) FROM sim_events WHERE event_type = 'SUSPENDED' "
                 "AND sim_id IN (%1, %2)")
                               .arg(active1)
                               .arg(active2)),
        QStringLiteral("1:2:bulk:unpaid bills"));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT status FROM sim_cards WHERE id = %1").arg(available)),
        QStringLiteral("AVAILABLE"));
    // Without a reason the whole call is refused before any card is touched.
    QCOMPARE(
        LifecycleService(m_db).performMany(CardAction::Terminate, { active1 }, {}).error().code,
        ErrorCode::ReasonRequired);
}

QTEST_GUILESS_MAIN(TestLifecycleService)
#include "tst_lifecycleservice.moc"
