// SPDX-License-Identifier: MIT
#include "domain/lifecycle.h"

#include "domain/vocabulary.h"

namespace simdesk {

namespace {

constexpr Word<SimStatus> kStatusWords[] = {
    { SimStatus::Available, "AVAILABLE", QT_TRANSLATE_NOOP("simdesk::SimStatus", "Available") },
    { SimStatus::Reserved, "RESERVED", QT_TRANSLATE_NOOP("simdesk::SimStatus", "Reserved") },
    { SimStatus::Active, "ACTIVE", QT_TRANSLATE_NOOP("simdesk::SimStatus", "Active") },
    { SimStatus::Suspended, "SUSPENDED", QT_TRANSLATE_NOOP("simdesk::SimStatus", "Suspended") },
    { SimStatus::LostStolen, "LOST_STOLEN",
        QT_TRANSLATE_NOOP("simdesk::SimStatus", "Lost/stolen") },
    { SimStatus::Terminated, "TERMINATED", QT_TRANSLATE_NOOP("simdesk::SimStatus", "Terminated") },
};
static_assert(inEnumOrder(kStatusWords, kAllStatuses.size()), "one word per status");

constexpr Word<SimAction> kActionWords[] = {
    { SimAction::Reserve, "reserve", QT_TRANSLATE_NOOP("simdesk::SimAction", "Reserve") },
    { SimAction::Release, "release", QT_TRANSLATE_NOOP("simdesk::SimAction", "Release") },
    { SimAction::Activate, "activate", QT_TRANSLATE_NOOP("simdesk::SimAction", "Activate") },
    { SimAction::Suspend, "suspend", QT_TRANSLATE_NOOP("simdesk::SimAction", "Suspend") },
    { SimAction::Resume, "resume", QT_TRANSLATE_NOOP("simdesk::SimAction", "Resume") },
    { SimAction::ReportLostStolen, "report_lost_stolen",
        QT_TRANSLATE_NOOP("simdesk::SimAction", "Report lost/stolen") },
    { SimAction::Terminate, "terminate", QT_TRANSLATE_NOOP("simdesk::SimAction", "Terminate") },
};
static_assert(inEnumOrder(kActionWords, kAllActions.size()), "one word per action");

} // namespace

static_assert(isFinal(SimStatus::Terminated), "TERMINATED is final");
static_assert(!isFinal(SimStatus::LostStolen), "a lost card can still be terminated");
static_assert(transitionTarget(SimStatus::Suspended, SimAction::Resume) == SimStatus::Active);
static_assert(!isAllowed(SimStatus::LostStolen, SimAction::Resume), "found cards are swapped");

QList<SimAction> allowedActions(SimStatus from)
{
    QList<SimAction> actions;
    for (SimAction a : kAllActions) {
        if (isAllowed(from, a))
            actions.append(a);
    }
    return actions;
}

QString statusKey(SimStatus status)
{
    return keyOf(kStatusWords, status);
}

std::optional<SimStatus> statusFromKey(QStringView key)
{
    return valueOfKey(kStatusWords, key, Qt::CaseInsensitive);
}

QString actionKey(SimAction action)
{
    return keyOf(kActionWords, action);
}

std::optional<SimAction> actionFromKey(QStringView key)
{
    return valueOfKey(kActionWords, key);
}

QString statusDisplayName(SimStatus status)
{
    return nameOf("simdesk::SimStatus", kStatusWords, status);
}

QString actionDisplayName(SimAction action)
{
    return nameOf("simdesk::SimAction", kActionWords, action);
}

} // namespace simdesk
