// SPDX-License-Identifier: MIT
#pragma once

#include "domain/error.h"
#include "domain/lifecycle.h"
#include "domain/simcard.h"
#include "domain/staff.h"

#include <QList>
#include <QString>
#include <QStringView>

#include <array>
#include <optional>

// The catalogue of everything a person may do to one SIM card, or to many at once: one entry per
// action with its name, what it needs, which role may do it and from which statuses. Screens ask
// the catalogue what to offer; LifecycleService runs the actions; the database decides again
// (sql/004_audit.sql, simdesk_sim_apply), and tests/db/tst_constraints proves the rules here
// equal to the database's.
namespace simdesk {

enum class CardAction : quint8 {
    // The transition table's actions (SimAction).
    Reserve,
    Release,
    Activate,
    Suspend,
    Resume,
    ReportLostStolen,
    Terminate,
    // Changes of who holds the card and on which plan; the status stays.
    AssignCustomer,
    UnassignCustomer,
    ChangeTariff,
    // The number moves to a new card.
    Swap,
    // An administrator corrects the identifiers.
    Edit,
    // PIN and PUK shown, for a reason, audited.
    RevealSecrets,
};

inline constexpr std::array<CardAction, 13> kAllCardActions { CardAction::Reserve,
    CardAction::Release, CardAction::Activate, CardAction::Suspend, CardAction::Resume,
    CardAction::ReportLostStolen, CardAction::Terminate, CardAction::AssignCustomer,
    CardAction::UnassignCustomer, CardAction::ChangeTariff, CardAction::Swap, CardAction::Edit,
    CardAction::RevealSecrets };

// The transition-table action behind a card action, if it is one; and back.
std::optional<SimAction> lifecycleActionOf(CardAction action);
CardAction cardActionOf(SimAction action);

// The database's spelling ("suspend", "assign_customer", "change_tariff", "swap", "edit",
// "reveal_secrets") and back.
QString cardActionKey(CardAction action);
std::optional<CardAction> cardActionFromKey(QStringView key);
// Translated name for buttons, titles and messages ("Report lost/stolen", "Change tariff").
QString cardActionDisplayName(CardAction action);

// What the action needs besides the card: a customer, a tariff plan, a reason.
ActionRequirements cardActionRequirements(CardAction action);
// Whether the action asks for input (a dialog) before it runs; the others run at once.
bool cardActionNeedsDialog(CardAction action);
// The least role that may do it.
StaffRole cardActionRole(CardAction action);
// Whether it can be done to many cards at once (one set-based call, an outcome per card).
bool cardActionIsBulk(CardAction action);
// The bulk actions, in the order a list offers them.
QList<CardAction> bulkCardActions();

// Whether the action is possible on a card in `status` that holds a customer or not, by the
// lifecycle rules alone (the transition table, the holder statuses, the swap statuses).
bool cardActionPossible(CardAction action, SimStatus status, bool hasCustomer);
// …and whether `role` may do it (no role: nothing is allowed).
bool cardActionAllowed(
    CardAction action, SimStatus status, bool hasCustomer, std::optional<StaffRole> role);

// Why `newCard` cannot take over the number of `oldCard` in a swap, or nothing when it can: the
// rules simdesk_sim_swap applies to the new card (not the same card; AVAILABLE, or RESERVED for
// the same customer). SwapSameCard, SwapTargetNotAvailable, SwapTargetReservedForOther.
std::optional<Error> swapTargetRefusal(const SimCard &oldCard, const SimCard &newCard);

// What became of one card of a bulk action (simdesk_sim_apply's outcome column).
enum class BulkOutcomeKind : quint8 {
    Done,
    NotFound,
    Stale,
    Transition,
    CustomerRequired,
    TariffRequired,
    TariffInactive,
    TariffType,
    CodeUnknown,
    CodeUsed,
    CodeExpired,
};

inline constexpr std::array<BulkOutcomeKind, 11> kAllBulkOutcomes { BulkOutcomeKind::Done,
    BulkOutcomeKind::NotFound, BulkOutcomeKind::Stale, BulkOutcomeKind::Transition,
    BulkOutcomeKind::CustomerRequired, BulkOutcomeKind::TariffRequired,
    BulkOutcomeKind::TariffInactive, BulkOutcomeKind::TariffType, BulkOutcomeKind::CodeUnknown,
    BulkOutcomeKind::CodeUsed, BulkOutcomeKind::CodeExpired };

// "done", "not_found", "stale", "transition", "customer_required", "tariff_required",
// "tariff_inactive", "tariff_type", "code_unknown", "code_used", "code_expired".
QString bulkOutcomeKey(BulkOutcomeKind kind);
std::optional<BulkOutcomeKind> bulkOutcomeFromKey(QStringView key);
// Why a card was left as it was, in words, with the database's detail (the card's status for
// Transition, the tariff's name for the tariff refusals, the code for the code refusals).
QString bulkOutcomeMessage(BulkOutcomeKind kind, const QString &detail);

} // namespace simdesk

Q_DECLARE_METATYPE(simdesk::CardAction)
