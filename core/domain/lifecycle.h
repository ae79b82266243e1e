// SPDX-License-Identifier: MIT
#pragma once

#include "domain/history.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

// The SIM lifecycle: statuses, actions and the one transition table (docs/domain.md). The database
// holds the same rows in sim_transitions (sql/001_schema.sql); tests/db proves them equal.
namespace simdesk {

enum class SimStatus : quint8 { Available, Reserved, Active, Suspended, LostStolen, Terminated };

enum class SimAction : quint8 {
    Reserve,
    Release,
    Activate,
    Suspend,
    Resume,
    ReportLostStolen,
    Terminate
};

inline constexpr std::array<SimStatus, 6> kAllStatuses {
    SimStatus::Available,
    SimStatus::Reserved,
    SimStatus::Active,
    SimStatus::Suspended,
    SimStatus::LostStolen,
    SimStatus::Terminated,
};

inline constexpr std::array<SimAction, 7> kAllActions {
    SimAction::Reserve,
    SimAction::Release,
    SimAction::Activate,
    SimAction::Suspend,
    SimAction::Resume,
    SimAction::ReportLostStolen,
    SimAction::Terminate,
};

struct Transition
{
    SimStatus from;
    SimAction action;
    SimStatus to;
};

inline constexpr std::array<Transition, 13> kTransitions { {
    { SimStatus::Available, SimAction::Reserve, SimStatus::Reserved },
    { SimStatus::Reserved, SimAction::Release, SimStatus::Available },
    { SimStatus::Available, SimAction::Activate, SimStatus::Active },
    { SimStatus::Reserved, SimAction::Activate, SimStatus::Active },
    { SimStatus::Active, SimAction::Suspend, SimStatus::Suspended },
    { SimStatus::Suspended, SimAction::Resume, SimStatus::Active },
    { SimStatus::Active, SimAction::ReportLostStolen, SimStatus::LostStolen },
    { SimStatus::Suspended, SimAction::ReportLostStolen, SimStatus::LostStolen },
    // Terminate: from any status but TERMINATED, which is final.
    { SimStatus::Available, SimAction::Terminate, SimStatus::Terminated },
    { SimStatus::Reserved, SimAction::Terminate, SimStatus::Terminated },
    { SimStatus::Active, SimAction::Terminate, SimStatus::Terminated },
    { SimStatus::Suspended, SimAction::Terminate, SimStatus::Terminated },
    { SimStatus::LostStolen, SimAction::Terminate, SimStatus::Terminated },
} };

// The status `action` leads to from `from`, or nothing when the table does not allow it.
constexpr std::optional<SimStatus> transitionTarget(SimStatus from, SimAction action)
{
    for (const Transition &t : kTransitions) {
        if (t.from == from && t.action == action)
            return t.to;
    }
    return std::nullopt;
}

constexpr bool isAllowed(SimStatus from, SimAction action)
{
    return transitionTarget(from, action).has_value();
}

// No action leads anywhere from a final status.
constexpr bool isFinal(SimStatus status)
{
    for (const Transition &t : kTransitions) {
        if (t.from == status)
            return false;
    }
    return true;
}

// What an action needs besides the SIM itself.
struct ActionRequirements
{
    bool customer = false; // a customer must be given (or already assigned)
    bool tariff = false; // a tariff plan must be given (or already set)
    bool reason = false; // a free-text reason is recorded with the event
};

constexpr ActionRequirements requirementsOf(SimAction action)
{
    switch (action) {
    case SimAction::Reserve:
        return { true, false, false };
    case SimAction::Activate:
        return { true, true, false };
    case SimAction::Suspend:
    case SimAction::ReportLostStolen:
    case SimAction::Terminate:
        return { false, false, true };
    case SimAction::Release:
    case SimAction::Resume:
        return {};
    }
    return {};
}

// The status sets that are not transitions of their own (sql/004_audit.sql uses the same sets).
// A card in one of these statuses belongs to a customer: it can be assigned to another customer
// or change tariff, not be unassigned.
constexpr bool holdsCustomer(SimStatus s)
{
    return s == SimStatus::Reserved || s == SimStatus::Active || s == SimStatus::Suspended;
}
// Swap: the old card gives up its number from one of these…
constexpr bool canSwapOut(SimStatus s)
{
    return s == SimStatus::Active || s == SimStatus::Suspended || s == SimStatus::LostStolen;
}
// …and the new card takes it over from one of these (the statuses activate starts from).
constexpr bool canSwapIn(SimStatus s)
{
    return isAllowed(s, SimAction::Activate);
}

// The actions allowed from `from`, in the order of kAllActions.
QList<SimAction> allowedActions(SimStatus from);

// Database spelling: "AVAILABLE" … "TERMINATED"; "reserve" … "report_lost_stolen".
QString statusKey(SimStatus status);
std::optional<SimStatus> statusFromKey(QStringView key);
QString actionKey(SimAction action);
std::optional<SimAction> actionFromKey(QStringView key);

// Translated names for people.
QString statusDisplayName(SimStatus status);
QString actionDisplayName(SimAction action);

} // namespace simdesk

Q_DECLARE_METATYPE(simdesk::SimStatus)
Q_DECLARE_METATYPE(simdesk::SimAction)
