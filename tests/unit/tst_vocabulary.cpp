// SPDX-License-Identifier: MIT
#include "domain/activationcode.h"
#include "domain/cardaction.h"
#include "domain/history.h"
#include "domain/lifecycle.h"
#include "domain/simtypes.h"
#include "domain/staff.h"

#include <QSet>
#include <QTest>

using namespace simdesk;

// Every enumeration with stored words: each value's key reads back as that value, keys and
// names are distinct, and a word that is no key reads as nothing.
class TestVocabulary : public QObject
{
    Q_OBJECT

private slots:
    void everyKeyShouldReadBackAsItsValue();
    void keysStoredInCapitalsShouldReadInAnyCase();
    void aWordThatIsNoKeyShouldReadAsNothing();
};

namespace {

template<typename Enum, typename Values, typename Key, typename FromKey, typename Name>
void checkWords(
    const char *what, const Values &values, Key key, FromKey fromKey, Name name, bool named = true)
{
    QSet<QString> keys;
    QSet<QString> names;
    for (Enum v : values) {
        const QString k = key(v);
        QVERIFY2(!k.isEmpty(), what);
        QCOMPARE(fromKey(k), std::optional<Enum>(v));
        keys.insert(k);
        if (named) {
            const QString n = name(v);
            QVERIFY2(!n.isEmpty() && n != k,
                qPrintable(QStringLiteral("%1 %2").arg(QLatin1String(what), k)));
            names.insert(n);
        }
    }
    QCOMPARE(keys.size(), qsizetype(values.size()));
    if (named)
        QCOMPARE(names.size(), qsizetype(values.size()));
}

} // namespace

void TestVocabulary::everyKeyShouldReadBackAsItsValue()
{
    checkWords<SimStatus>("status", kAllStatuses, statusKey, statusFromKey, statusDisplayName);
    checkWords<SimAction>("action", kAllActions, actionKey, actionFromKey, actionDisplayName);
    checkWords<SimType>("type", kAllSimTypes, simTypeKey, simTypeFromKey, simTypeDisplayName);
    checkWords<EventType>("event", kAllEventTypes, eventTypeKey, eventTypeFromKey,
        [](EventType t) { return eventTypeDisplayName(t); });
    checkWords<ChangeSource>("source", kAllSources, sourceKey, sourceFromKey,
        [](ChangeSource s) { return sourceDisplayName(s); });
    checkWords<StaffRole>(
        "role", kAllStaffRoles, staffRoleKey, staffRoleFromKey, staffRoleDisplayName);
    checkWords<CodeStatus>(
        "code status", kAllCodeStatuses, codeStatusKey, codeStatusFromKey, codeStatusDisplayName);
    checkWords<BulkOutcomeKind>(
        "outcome", kAllBulkOutcomes, bulkOutcomeKey, bulkOutcomeFromKey,
        [](BulkOutcomeKind) { return QString(); }, false);
    checkWords<CardAction>(
        "card action", kAllCardActions, cardActionKey, cardActionFromKey, cardActionDisplayName);
    // The words the database stores.
    QCOMPARE(statusKey(SimStatus::LostStolen), QStringLiteral("LOST_STOLEN"));
    QCOMPARE(simTypeKey(SimType::DataOnly), QStringLiteral("data-only"));
    QCOMPARE(actionKey(SimAction::ReportLostStolen), QStringLiteral("report_lost_stolen"));
    QCOMPARE(eventTypeKey(EventType::SecretRevealed), QStringLiteral("SECRET_REVEALED"));
    QCOMPARE(sourceKey(ChangeSource::Cli), QStringLiteral("cli"));
    QCOMPARE(staffRoleKey(StaffRole::Admin), QStringLiteral("admin"));
    QCOMPARE(codeStatusKey(CodeStatus::Expired), QStringLiteral("EXPIRED"));
    QCOMPARE(bulkOutcomeKey(BulkOutcomeKind::TariffInactive), QStringLiteral("tariff_inactive"));
}

void TestVocabulary::keysStoredInCapitalsShouldReadInAnyCase()
{
    // Typed on the command line or in a filter: "lost_stolen", "Admin", "expired".
    QCOMPARE(statusFromKey(u"lost_stolen"), std::optional(SimStatus::LostStolen));
    QCOMPARE(staffRoleFromKey(u"Admin"), std::optional(StaffRole::Admin));
    QCOMPARE(codeStatusFromKey(u"expired"), std::optional(CodeStatus::Expired));
    // Keys that are lower-case words in the database are taken as written.
    QCOMPARE(simTypeFromKey(u"Prepaid"), std::nullopt);
    QCOMPARE(eventTypeFromKey(u"created"), std::nullopt);
}

void TestVocabulary::aWordThatIsNoKeyShouldReadAsNothing()
{
    QCOMPARE(statusFromKey(u"LOST"), std::nullopt);
    QCOMPARE(statusFromKey(u""), std::nullopt);
    QCOMPARE(actionFromKey(u"report_lost"), std::nullopt);
    QCOMPARE(sourceFromKey(u"desktop "), std::nullopt);
    QCOMPARE(bulkOutcomeFromKey(u"DONE"), std::nullopt);
    // An unknown event type is shown as stored rather than lost.
    QCOMPARE(eventTypeDisplayName(u"FUTURE_EVENT"), QStringLiteral("FUTURE_EVENT"));
}

QTEST_GUILESS_MAIN(TestVocabulary)
#include "tst_vocabulary.moc"
