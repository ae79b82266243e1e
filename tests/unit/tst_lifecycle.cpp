// SPDX-License-Identifier: MIT
#include "domain/lifecycle.h"

#include <QTest>

using namespace simdesk;

class TestLifecycle : public QObject
{
    Q_OBJECT

private slots:
    void shouldAllowExactlyTheDesignTable_data();
    void shouldAllowExactlyTheDesignTable();
    void shouldListAllowedActionsPerStatus_data();
    void shouldListAllowedActionsPerStatus();
    void terminatedShouldBeTheOnlyFinalStatus();
    void tableShouldHaveNoDuplicateRows();
    void keysShouldRoundTrip();
    void requirementsShouldMatchDesign();
};

// Written out independently of kTransitions from docs/domain.md, one row per (from, action).
void TestLifecycle::shouldAllowExactlyTheDesignTable_data()
{
    QTest::addColumn<SimStatus>("from");
    QTest::addColumn<SimAction>("action");
    QTest::addColumn<int>("to"); // -1: refused

    auto expected = [](SimStatus from, SimAction action) -> int {
        using S = SimStatus;
        using A = SimAction;
        switch (action) {
        case A::Reserve:
            return from == S::Available ? int(S::Reserved) : -1;
        case A::Release:
            return from == S::Reserved ? int(S::Available) : -1;
        case A::Activate:
            return (from == S::Available || from == S::Reserved) ? int(S::Active) : -1;
        case A::Suspend:
            return from == S::Active ? int(S::Suspended) : -1;
        case A::Resume:
            return from == S::Suspended ? int(S::Active) : -1;
        case A::ReportLostStolen:
            return (from == S::Active || from == S::Suspended) ? int(S::LostStolen) : -1;
        case A::Terminate:
            return from != S::Terminated ? int(S::Terminated) : -1;
        }
        return -1;
    };
    for (SimStatus from : kAllStatuses) {
        for (SimAction action : kAllActions) {
            const int to = expected(from, action);
            QTest::addRow("%s %s %s", qPrintable(statusKey(from)), to >= 0 ? "→" : "✗",
                qPrintable(actionKey(action)))
                << from << action << to;
        }
    }
}

void TestLifecycle::shouldAllowExactlyTheDesignTable()
{
    QFETCH(SimStatus, from);
    QFETCH(SimAction, action);
    QFETCH(int, to);
    const std::optional<SimStatus> target = transitionTarget(from, action);
    if (to < 0) {
        QVERIFY(!target.has_value());
        QVERIFY(!isAllowed(from, action));
    } else {
        QVERIFY(target.has_value());
        QCOMPARE(int(*target), to);
        QVERIFY(isAllowed(from, action));
    }
}

void TestLifecycle::shouldListAllowedActionsPerStatus_data()
{
    QTest::addColumn<SimStatus>("status");
    QTest::addColumn<QList<SimAction>>("actions");
    using A = SimAction;
    QTest::newRow("AVAILABLE") << SimStatus::Available
                               << QList<A> { A::Reserve, A::Activate, A::Terminate };
    QTest::newRow("RESERVED") << SimStatus::Reserved
                              << QList<A> { A::Release, A::Activate, A::Terminate };
    QTest::newRow("ACTIVE") << SimStatus::Active
                            << QList<A> { A::Suspend, A::ReportLostStolen, A::Terminate };
    QTest::newRow("SUSPENDED") << SimStatus::Suspended
                               << QList<A> { A::Resume, A::ReportLostStolen, A::Terminate };
    QTest::newRow("LOST_STOLEN") << SimStatus::LostStolen << QList<A> { A::Terminate };
    QTest::newRow("TERMINATED") << SimStatus::Terminated << QList<A> {};
}

void TestLifecycle::shouldListAllowedActionsPerStatus()
{
    QFETCH(SimStatus, status);
    QFETCH(QList<SimAction>, actions);
    QCOMPARE(allowedActions(status), actions);
}

void TestLifecycle::terminatedShouldBeTheOnlyFinalStatus()
{
    for (SimStatus s : kAllStatuses)
        QCOMPARE(isFinal(s), s == SimStatus::Terminated);
}

void TestLifecycle::tableShouldHaveNoDuplicateRows()
{
    for (size_t i = 0; i < kTransitions.size(); ++i) {
        for (size_t j = i + 1; j < kTransitions.size(); ++j) {
            QVERIFY(!(kTransitions[i].from == kTransitions[j].from
                && kTransitions[i].action == kTransitions[j].action));
        }
    }
}

void TestLifecycle::keysShouldRoundTrip()
{
    for (SimStatus s : kAllStatuses) {
        QCOMPARE(statusFromKey(statusKey(s)), std::optional<SimStatus>(s));
        QCOMPARE(statusFromKey(statusKey(s).toLower()), std::optional<SimStatus>(s));
        QVERIFY(!statusDisplayName(s).isEmpty());
    }
    for (SimAction a : kAllActions) {
        QCOMPARE(actionFromKey(actionKey(a)), std::optional<SimAction>(a));
        QVERIFY(!actionDisplayName(a).isEmpty());
    }
    QCOMPARE(statusFromKey(u"LOST"), std::nullopt);
    QCOMPARE(actionFromKey(u"delete"), std::nullopt);
}

void TestLifecycle::requirementsShouldMatchDesign()
{
    QVERIFY(requirementsOf(SimAction::Reserve).customer);
    QVERIFY(!requirementsOf(SimAction::Reserve).tariff);
    QVERIFY(requirementsOf(SimAction::Activate).customer);
    QVERIFY(requirementsOf(SimAction::Activate).tariff);
    QVERIFY(requirementsOf(SimAction::Suspend).reason);
    QVERIFY(requirementsOf(SimAction::ReportLostStolen).reason);
    QVERIFY(requirementsOf(SimAction::Terminate).reason);
    QVERIFY(!requirementsOf(SimAction::Resume).reason);
    QVERIFY(!requirementsOf(SimAction::Release).customer);
}

QTEST_APPLESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
