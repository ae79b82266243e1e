// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"
#include "domain/simcard.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace simdesk {

class SimRepository;

// What a lifecycle action is asked to do. Which fields matter depends on the action
// (requirementsOf()); the others are ignored.
struct ActionRequest
{
    qint64 simId = 0;
    // The version the user saw; StaleVersion when the card changed since. nullopt: act on the
    // card as it is now (scripts, the CLI).
    std::optional<int> expectedVersion;
    std::optional<qint64> customerId; // reserve, activate
    std::optional<qint64> tariffPlanId; // activate
    QString activationCode; // activate: optional, consumed when given
    QString reason; // suspend, report lost/stolen, terminate
};

// How the old card of a swap ends.
enum class SwapOldCardEnd : quint8 { Terminate, LostStolen };

struct SwapRequest
{
    qint64 oldSimId = 0;
    qint64 newSimId = 0;
    std::optional<int> oldExpectedVersion;
    std::optional<int> newExpectedVersion;
    SwapOldCardEnd oldCardEnd = SwapOldCardEnd::Terminate;
    QString reason;
};

struct SwapResult
{
    SimCard oldCard;
    SimCard newCard;
    QString swapId; // shared by the SWAPPED_OUT and SWAPPED_IN events
};

struct Secrets
{
    QString pin;
    QString puk;
};

// Every SIM action of DESIGN.md §3 in one database transaction: lock the card, check the
// transition table and the action's requirements, write the change and its sim_events row,
// commit, and return the card as it is now. On any error nothing is changed.
//
// Errors: NotFound; StaleVersion (changed since the user saw it, with who and when);
// TransitionNotAllowed (with the allowed actions); CustomerRequired, TariffRequired,
// ReasonRequired; TariffTypeMismatch, TariffInactive; ActivationCodeUnknown/Used/Expired;
// PermissionDenied (the login's role); ConcurrentUpdate (a deadlock: try again).
class LifecycleService
{
public:
    explicit LifecycleService(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    Result<SimCard> perform(SimAction action, const ActionRequest &request);

    Result<SimCard> reserve(
        qint64 simId, qint64 customerId, std::optional<int> expectedVersion = {});
    Result<SimCard> release(qint64 simId, std::optional<int> expectedVersion = {});
    Result<SimCard> activate(qint64 simId, std::optional<qint64> customerId, qint64 tariffPlanId,
        const QString &activationCode = {}, std::optional<int> expectedVersion = {});
    Result<SimCard> suspend(
        qint64 simId, const QString &reason, std::optional<int> expectedVersion = {});
    Result<SimCard> resume(qint64 simId, std::optional<int> expectedVersion = {});
    Result<SimCard> reportLostStolen(
        qint64 simId, const QString &reason, std::optional<int> expectedVersion = {});
    Result<SimCard> terminate(
        qint64 simId, const QString &reason, std::optional<int> expectedVersion = {});

    // Moves a reserved or working card to another customer (ASSIGNED event). Allowed while
    // RESERVED, ACTIVE or SUSPENDED.
    Result<SimCard> assignCustomer(
        qint64 simId, qint64 customerId, std::optional<int> expectedVersion = {});
    // Removes the customer from a card whose status needs none: AVAILABLE, LOST_STOLEN,
    // TERMINATED (UNASSIGNED event), e.g. to erase the link after termination.
    Result<SimCard> unassignCustomer(qint64 simId, std::optional<int> expectedVersion = {});
    // Changes the tariff of a RESERVED, ACTIVE or SUSPENDED card (TARIFF_CHANGED event).
    Result<SimCard> changeTariff(
        qint64 simId, qint64 tariffPlanId, std::optional<int> expectedVersion = {});

    // DESIGN.md §3 swap: MSISDN, customer and tariff move from the old card (ACTIVE, SUSPENDED or
    // LOST_STOLEN) to the new one (AVAILABLE, or RESERVED for the same customer), which becomes
    // ACTIVE; the old one ends TERMINATED or LOST_STOLEN. One transaction, both events carry
    // the same swap id.
    Result<SwapResult> swap(const SwapRequest &request);

    // PIN and PUK of a card (support and admin); the database records a SECRET_REVEALED event.
    Result<Secrets> revealSecrets(qint64 simId, const QString &reason = {});

private:
    enum class HolderChange : quint8 { Assign, Unassign, Tariff };
    Result<SimCard> changeHolder(qint64 simId, std::optional<int> expectedVersion,
        HolderChange change, std::optional<qint64> customerId, std::optional<qint64> tariffPlanId);

    QSqlDatabase m_db;
};

} // namespace simdesk
