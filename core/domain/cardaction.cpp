// SPDX-License-Identifier: MIT
#include "domain/cardaction.h"

#include "domain/vocabulary.h"

#include <QCoreApplication>

namespace simdesk {

namespace {

struct Entry
{
    CardAction action;
    std::optional<SimAction> lifecycle;
    const char *key; // null: the lifecycle action's key
    const char *name; // null: the lifecycle action's name
    StaffRole role;
    bool dialog;
    bool bulk;
};

// One line per action. Lifecycle actions take their key, name and requirements from the
// transition table's vocabulary (domain/lifecycle.h).
constexpr Entry kCatalogue[] = {
    { CardAction::Reserve, SimAction::Reserve, nullptr, nullptr, StaffRole::Support, true, false },
    { CardAction::Release, SimAction::Release, nullptr, nullptr, StaffRole::Support, false, false },
    { CardAction::Activate, SimAction::Activate, nullptr, nullptr, StaffRole::Support, true,
        false },
    { CardAction::Suspend, SimAction::Suspend, nullptr, nullptr, StaffRole::Support, true, true },
    { CardAction::Resume, SimAction::Resume, nullptr, nullptr, StaffRole::Support, false, true },
    { CardAction::ReportLostStolen, SimAction::ReportLostStolen, nullptr, nullptr,
        StaffRole::Support, true, true },
    { CardAction::Terminate, SimAction::Terminate, nullptr, nullptr, StaffRole::Support, true,
        true },
    { CardAction::AssignCustomer, std::nullopt, "assign_customer",
        QT_TRANSLATE_NOOP("simdesk::CardAction", "Assign customer"), StaffRole::Support, true,
        false },
    { CardAction::UnassignCustomer, std::nullopt, "unassign_customer",
        QT_TRANSLATE_NOOP("simdesk::CardAction", "Unassign customer"), StaffRole::Support, false,
        false },
    { CardAction::ChangeTariff, std::nullopt, "change_tariff",
        QT_TRANSLATE_NOOP("simdesk::CardAction", "Change tariff"), StaffRole::Support, true, true },
    { CardAction::Swap, std::nullopt, "swap", QT_TRANSLATE_NOOP("simdesk::CardAction", "Swap"),
        StaffRole::Support, true, false },
    { CardAction::Edit, std::nullopt, "edit",
        QT_TRANSLATE_NOOP("simdesk::CardAction", "Edit identifiers"), StaffRole::Admin, true,
        false },
    { CardAction::RevealSecrets, std::nullopt, "reveal_secrets",
        QT_TRANSLATE_NOOP("simdesk::CardAction", "Reveal PIN and PUK"), StaffRole::Support, true,
        false },
};

constexpr bool catalogueInOrder()
{
    for (size_t i = 0; i < std::size(kCatalogue); ++i) {
        if (size_t(kCatalogue[i].action) != i)
            return false;
    }
    return std::size(kCatalogue) == kAllCardActions.size();
}
static_assert(catalogueInOrder(), "one catalogue line per CardAction, in enum order");

const Entry &entry(CardAction action)
{
    return kCatalogue[size_t(action)];
}

// Outcomes have keys (simdesk_sim_apply's words) and messages (bulkOutcomeMessage), no names.
constexpr Word<BulkOutcomeKind> kOutcomes[] = {
    { BulkOutcomeKind::Done, "done", nullptr },
    { BulkOutcomeKind::NotFound, "not_found", nullptr },
    { BulkOutcomeKind::Stale, "stale", nullptr },
    { BulkOutcomeKind::Transition, "transition", nullptr },
    { BulkOutcomeKind::CustomerRequired, "customer_required", nullptr },
    { BulkOutcomeKind::TariffRequired, "tariff_required", nullptr },
    { BulkOutcomeKind::TariffInactive, "tariff_inactive", nullptr },
    { BulkOutcomeKind::TariffType, "tariff_type", nullptr },
    { BulkOutcomeKind::CodeUnknown, "code_unknown", nullptr },
    { BulkOutcomeKind::CodeUsed, "code_used", nullptr },
    { BulkOutcomeKind::CodeExpired, "code_expired", nullptr },
};
static_assert(inEnumOrder(kOutcomes, kAllBulkOutcomes.size()), "one key per outcome");

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::CardAction", text);
}

} // namespace

std::optional<SimAction> lifecycleActionOf(CardAction action)
{
    return entry(action).lifecycle;
}

CardAction cardActionOf(SimAction action)
{
    for (const Entry &e : kCatalogue) {
        if (e.lifecycle == action)
            return e.action;
    }
    Q_UNREACHABLE();
    return CardAction::Reserve;
}

QString cardActionKey(CardAction action)
{
    const Entry &e = entry(action);
    return e.lifecycle ? actionKey(*e.lifecycle) : QString::fromLatin1(e.key);
}

std::optional<CardAction> cardActionFromKey(QStringView key)
{
    for (CardAction a : kAllCardActions) {
        if (key == cardActionKey(a))
            return a;
    }
    return std::nullopt;
}

QString cardActionDisplayName(CardAction action)
{
    const Entry &e = entry(action);
    return e.lifecycle ? actionDisplayName(*e.lifecycle) : tr(e.name);
}

ActionRequirements cardActionRequirements(CardAction action)
{
    if (const std::optional<SimAction> a = entry(action).lifecycle)
        return requirementsOf(*a);
    switch (action) {
    case CardAction::AssignCustomer:
        return { true, false, false };
    case CardAction::ChangeTariff:
        return { false, true, false };
    case CardAction::Swap:
    case CardAction::RevealSecrets:
        return { false, false, true };
    default:
        return {};
    }
}

bool cardActionNeedsDialog(CardAction action)
{
    return entry(action).dialog;
}

StaffRole cardActionRole(CardAction action)
{
    return entry(action).role;
}

bool cardActionIsBulk(CardAction action)
{
    return entry(action).bulk;
}

QList<CardAction> bulkCardActions()
{
    QList<CardAction> out;
    for (const Entry &e : kCatalogue) {
        if (e.bulk)
            out << e.action;
    }
    return out;
}

bool cardActionPossible(CardAction action, SimStatus status, bool hasCustomer)
{
    if (const std::optional<SimAction> a = entry(action).lifecycle)
        return isAllowed(status, *a);
    switch (action) {
    case CardAction::AssignCustomer:
    case CardAction::ChangeTariff:
        return holdsCustomer(status);
    case CardAction::UnassignCustomer:
        return hasCustomer && !holdsCustomer(status);
    case CardAction::Swap:
        return canSwapOut(status);
    case CardAction::Edit:
    case CardAction::RevealSecrets:
        return true;
    default:
        return false;
    }
}

bool cardActionAllowed(
    CardAction action, SimStatus status, bool hasCustomer, std::optional<StaffRole> role)
{
    return role && roleAllows(*role, cardActionRole(action))
        && cardActionPossible(action, status, hasCustomer);
}

std::optional<Error> swapTargetRefusal(const SimCard &oldCard, const SimCard &newCard)
{
    if (newCard.id == oldCard.id)
        return Error(ErrorCode::SwapSameCard);
    if (!canSwapIn(newCard.status))
        return Error(ErrorCode::SwapTargetNotAvailable,
            { newCard.iccid, statusDisplayName(newCard.status) });
    if (newCard.status == SimStatus::Reserved && newCard.customerId != oldCard.customerId)
        return Error(ErrorCode::SwapTargetReservedForOther, { newCard.iccid });
    return std::nullopt;
}

QString bulkOutcomeKey(BulkOutcomeKind kind)
{
    return keyOf(kOutcomes, kind);
}

std::optional<BulkOutcomeKind> bulkOutcomeFromKey(QStringView key)
{
    return valueOfKey(kOutcomes, key);
}

QString bulkOutcomeMessage(BulkOutcomeKind kind, const QString &detail)
{
    switch (kind) {
    case BulkOutcomeKind::Done:
        return tr("done");
    case BulkOutcomeKind::NotFound:
        return tr("no longer exists");
    case BulkOutcomeKind::Stale:
        return tr("changed by someone else meanwhile");
    case BulkOutcomeKind::Transition: {
        const std::optional<SimStatus> s = statusFromKey(detail);
        return tr("not allowed while %1").arg(s ? statusDisplayName(*s) : detail);
    }
    case BulkOutcomeKind::CustomerRequired:
        return tr("the card has no customer");
    case BulkOutcomeKind::TariffRequired:
        return tr("the card has no tariff");
    case BulkOutcomeKind::TariffInactive:
        return tr("tariff %1 is no longer offered").arg(detail);
    case BulkOutcomeKind::TariffType:
        return tr("tariff %1 does not fit the card's type").arg(detail);
    case BulkOutcomeKind::CodeUnknown:
        return tr("there is no activation code %1").arg(detail);
    case BulkOutcomeKind::CodeUsed:
        return tr("activation code %1 is used already").arg(detail);
    case BulkOutcomeKind::CodeExpired:
        return tr("activation code %1 has expired").arg(detail);
    }
    return detail;
}

} // namespace simdesk
