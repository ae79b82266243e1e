// SPDX-License-Identifier: MIT
#include "domain/lifecycle.h"

#include <QCoreApplication>

namespace simdesk {

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
    switch (status) {
    case SimStatus::Available:
        return QStringLiteral("AVAILABLE");
    case SimStatus::Reserved:
        return QStringLiteral("RESERVED");
    case SimStatus::Active:
        return QStringLiteral("ACTIVE");
    case SimStatus::Suspended:
        return QStringLiteral("SUSPENDED");
    case SimStatus::LostStolen:
        return QStringLiteral("LOST_STOLEN");
    case SimStatus::Terminated:
        return QStringLiteral("TERMINATED");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<SimStatus> statusFromKey(QStringView key)
{
    for (SimStatus s : kAllStatuses) {
        if (key.compare(statusKey(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

QString sourceKey(ChangeSource source)
{
    switch (source) {
    case ChangeSource::Desktop:
        return QStringLiteral("desktop");
    case ChangeSource::Cli:
        return QStringLiteral("cli");
    case ChangeSource::Import:
        return QStringLiteral("import");
    case ChangeSource::Bulk:
        return QStringLiteral("bulk");
    case ChangeSource::System:
        break;
    }
    return QStringLiteral("system");
}

QString actionKey(SimAction action)
{
    switch (action) {
    case SimAction::Reserve:
        return QStringLiteral("reserve");
    case SimAction::Release:
        return QStringLiteral("release");
    case SimAction::Activate:
        return QStringLiteral("activate");
    case SimAction::Suspend:
        return QStringLiteral("suspend");
    case SimAction::Resume:
        return QStringLiteral("resume");
    case SimAction::ReportLostStolen:
        return QStringLiteral("report_lost_stolen");
    case SimAction::Terminate:
        return QStringLiteral("terminate");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<SimAction> actionFromKey(QStringView key)
{
    for (SimAction a : kAllActions) {
        if (key == actionKey(a))
            return a;
    }
    return std::nullopt;
}

QString statusDisplayName(SimStatus status)
{
    const char *ctx = "simdesk::SimStatus";
    switch (status) {
    case SimStatus::Available:
        return QCoreApplication::translate(ctx, "Available");
    case SimStatus::Reserved:
        return QCoreApplication::translate(ctx, "Reserved");
    case SimStatus::Active:
        return QCoreApplication::translate(ctx, "Active");
    case SimStatus::Suspended:
        return QCoreApplication::translate(ctx, "Suspended");
    case SimStatus::LostStolen:
        return QCoreApplication::translate(ctx, "Lost/stolen");
    case SimStatus::Terminated:
        return QCoreApplication::translate(ctx, "Terminated");
    }
    Q_UNREACHABLE();
    return {};
}

QString actionDisplayName(SimAction action)
{
    const char *ctx = "simdesk::SimAction";
    switch (action) {
    case SimAction::Reserve:
        return QCoreApplication::translate(ctx, "Reserve");
    case SimAction::Release:
        return QCoreApplication::translate(ctx, "Release");
    case SimAction::Activate:
        return QCoreApplication::translate(ctx, "Activate");
    case SimAction::Suspend:
        return QCoreApplication::translate(ctx, "Suspend");
    case SimAction::Resume:
        return QCoreApplication::translate(ctx, "Resume");
    case SimAction::ReportLostStolen:
        return QCoreApplication::translate(ctx, "Report lost/stolen");
    case SimAction::Terminate:
        return QCoreApplication::translate(ctx, "Terminate");
    }
    Q_UNREACHABLE();
    return {};
}

} // namespace simdesk
