// SPDX-License-Identifier: MIT
#include "domain/cardaction.h"
#include "domain/history.h"

#include <QSet>
#include <QTest>

using namespace simdesk;

// The card-action catalogue and the history vocabulary (core/domain): what the screens ask
// before they offer anything. Their SQL twins are proven equal in tests/db/tst_constraints.
class TestCardAction : public QObject
{
    Q_OBJECT

private slots:
    void keysShouldRoundTripAndBeUnique();
    void lifecycleActionsShouldFollowTheTransitionTable();
    void holderChangesAndSwapShouldFollowTheirStatuses();
    void rolesShouldLimitWhatIsOffered();
    void theBulkActionsShouldBeTheListsFive();
    void everyBulkOutcomeShouldHaveAKeyAndItsOwnWords();
    void aSwapTargetShouldBeJudgedByTheSwapRules_data();
    void aSwapTargetShouldBeJudgedByTheSwapRules();
    void eventTypesAndSourcesShouldHaveKeysAndNames();
};

void TestCardAction::keysShouldRoundTripAndBeUnique()
{
    QSet<QString> keys;
    QSet<QString> names;
    for (CardAction a : kAllCardActions) {
        const QString key = cardActionKey(a);
        QVERIFY(!key.isEmpty());
        QCOMPARE(cardActionFromKey(key), std::optional<CardAction>(a));
        QVERIFY2(!keys.contains(key), qPrintable(key));
        keys.insert(key);
        const QString name = cardActionDisplayName(a);
        QVERIFY2(!name.isEmpty() && !names.contains(name), qPrintable(name));
        names.insert(name);
        if (const std::optional<SimAction> s = lifecycleActionOf(a)) {
            QCOMPARE(key, actionKey(*s));
            QCOMPARE(cardActionOf(*s), a);
            QCOMPARE(cardActionRequirements(a).reason, requirementsOf(*s).reason);
        }
    }
    QCOMPARE(cardActionFromKey(u"no_such_action"), std::nullopt);
}

void TestCardAction::lifecycleActionsShouldFollowTheTransitionTable()
{
    for (SimAction s : kAllActions) {
        for (SimStatus status : kAllStatuses) {
            for (bool customer : { false, true })
                QCOMPARE(
                    cardActionPossible(cardActionOf(s), status, customer), isAllowed(status, s));
        }
    }
}

void TestCardAction::holderChangesAndSwapShouldFollowTheirStatuses()
{
    for (SimStatus status : kAllStatuses) {
        QCOMPARE(
            cardActionPossible(CardAction::AssignCustomer, status, true), holdsCustomer(status));
        QCOMPARE(
            cardActionPossible(CardAction::ChangeTariff, status, false), holdsCustomer(status));
        QCOMPARE(
            cardActionPossible(CardAction::UnassignCustomer, status, true), !holdsCustomer(status));
        QVERIFY(!cardActionPossible(CardAction::UnassignCustomer, status, false));
        QCOMPARE(cardActionPossible(CardAction::Swap, status, true), canSwapOut(status));
        QVERIFY(cardActionPossible(CardAction::Edit, status, false));
        QVERIFY(cardActionPossible(CardAction::RevealSecrets, status, false));
    }
}

void TestCardAction::rolesShouldLimitWhatIsOffered()
{
    for (CardAction a : kAllCardActions) {
        QVERIFY(!cardActionAllowed(a, SimStatus::Active, true, std::nullopt));
        QVERIFY(!cardActionAllowed(a, SimStatus::Active, true, StaffRole::Viewer));
    }
    QVERIFY(cardActionAllowed(CardAction::Suspend, SimStatus::Active, true, StaffRole::Support));
    QVERIFY(!cardActionAllowed(CardAction::Suspend, SimStatus::Available, true, StaffRole::Admin));
    QVERIFY(!cardActionAllowed(CardAction::Edit, SimStatus::Active, true, StaffRole::Support));
    QVERIFY(cardActionAllowed(CardAction::Edit, SimStatus::Active, true, StaffRole::Admin));
    QVERIFY(cardActionAllowed(
        CardAction::RevealSecrets, SimStatus::Terminated, false, StaffRole::Support));
}

void TestCardAction::theBulkActionsShouldBeTheListsFive()
{
    QCOMPARE(bulkCardActions(),
        QList<CardAction>({ CardAction::Suspend, CardAction::Resume, CardAction::ReportLostStolen,
            CardAction::Terminate, CardAction::ChangeTariff }));
    for (CardAction a : bulkCardActions())
        QVERIFY(cardActionIsBulk(a));
    QVERIFY(!cardActionIsBulk(CardAction::Swap));
    QVERIFY(cardActionRequirements(CardAction::ChangeTariff).tariff);
    QVERIFY(cardActionRequirements(CardAction::Terminate).reason);
    QVERIFY(!cardActionNeedsDialog(CardAction::Resume));
    QVERIFY(cardActionNeedsDialog(CardAction::Suspend));
}

void TestCardAction::everyBulkOutcomeShouldHaveAKeyAndItsOwnWords()
{
    QSet<QString> keys;
    QSet<QString> words;
    for (BulkOutcomeKind k : kAllBulkOutcomes) {
        const QString key = bulkOutcomeKey(k);
        QCOMPARE(bulkOutcomeFromKey(key), std::optional<BulkOutcomeKind>(k));
        QVERIFY(!keys.contains(key));
        keys.insert(key);
        const QString message = bulkOutcomeMessage(k, QStringLiteral("X-1"));
        QVERIFY2(!message.isEmpty() && !words.contains(message), qPrintable(message));
        words.insert(message);
    }
    // The code refusals of an activation name the code.
    for (BulkOutcomeKind k :
        { BulkOutcomeKind::CodeUnknown, BulkOutcomeKind::CodeUsed, BulkOutcomeKind::CodeExpired })
        QVERIFY(bulkOutcomeMessage(k, QStringLiteral("ACT-7")).contains(QLatin1String("ACT-7")));
    QCOMPARE(bulkOutcomeMessage(BulkOutcomeKind::Transition, QStringLiteral("SUSPENDED")),
        QStringLiteral("not allowed while %1").arg(statusDisplayName(SimStatus::Suspended)));
}

void TestCardAction::aSwapTargetShouldBeJudgedByTheSwapRules_data()
{
    QTest::addColumn<SimStatus>("status");
    QTest::addColumn<bool>("sameCustomer");
    QTest::addColumn<bool>("sameCard");
    QTest::addColumn<int>("refusal"); // -1: none
    QTest::newRow("available") << SimStatus::Available << false << false << -1;
    QTest::newRow("reserved for the same customer") << SimStatus::Reserved << true << false << -1;
    QTest::newRow("reserved for another customer")
        << SimStatus::Reserved << false << false << int(ErrorCode::SwapTargetReservedForOther);
    QTest::newRow("active") << SimStatus::Active << true << false
                            << int(ErrorCode::SwapTargetNotAvailable);
    QTest::newRow("terminated") << SimStatus::Terminated << false << false
                                << int(ErrorCode::SwapTargetNotAvailable);
    QTest::newRow("the card itself")
        << SimStatus::Available << true << true << int(ErrorCode::SwapSameCard);
}

void TestCardAction::aSwapTargetShouldBeJudgedByTheSwapRules()
{
    QFETCH(SimStatus, status);
    QFETCH(bool, sameCustomer);
    QFETCH(bool, sameCard);
    QFETCH(int, refusal);
    SimCard old;
    old.id = 1;
    old.status = SimStatus::Active;
    old.customerId = 7;
    SimCard candidate;
    candidate.id = sameCard ? 1 : 2;
    candidate.iccid = QStringLiteral("8949");
    candidate.status = status;
    candidate.customerId = sameCustomer ? std::optional<qint64>(7) : std::optional<qint64>(8);
    const std::optional<Error> r = swapTargetRefusal(old, candidate);
    QCOMPARE(r ? int(r->code) : -1, refusal);
}

void TestCardAction::eventTypesAndSourcesShouldHaveKeysAndNames()
{
    QSet<QString> names;
    for (EventType t : kAllEventTypes) {
        QCOMPARE(eventTypeFromKey(eventTypeKey(t)), std::optional<EventType>(t));
        const QString name = eventTypeDisplayName(t);
        QVERIFY2(!names.contains(name) && name != eventTypeKey(t), qPrintable(name));
        names.insert(name);
        QCOMPARE(eventTypeDisplayName(eventTypeKey(t)), name);
    }
    QCOMPARE(eventTypeDisplayName(u"SOMETHING_NEW"), QStringLiteral("SOMETHING_NEW"));
    for (ChangeSource s : kAllSources) {
        QCOMPARE(sourceFromKey(sourceKey(s)), std::optional<ChangeSource>(s));
        QVERIFY(sourceDisplayName(s) != sourceKey(s));
    }
    QVERIFY(isObservation(EventType::SecretRevealed));
    QVERIFY(!isObservation(EventType::Suspended));
}

QTEST_GUILESS_MAIN(TestCardAction)
#include "tst_cardaction.moc"
