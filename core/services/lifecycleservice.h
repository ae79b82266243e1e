// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"
#include "domain/simcard.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>
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

// What became of one card of a bulk action.
struct BulkOutcome
{
    qint64 simId = 0;
    // "done", or why the card was left as it was: "not_found", "stale", "transition",
    // "customer_required", "tariff_required", "tariff_inactive", "tariff_type", "code_unknown",
    // "code_used", "code_expired" (the keys of simdesk_sim_apply, sql/004_audit.sql).
    QString outcome;
    QString detail; // the card's status for "transition", the tariff's name for tariff refusals
    bool done() const { return outcome == QLatin1String("done"); }
};

struct BulkResult
{
    QList<BulkOutcome> outcomes; // in the order of the ids asked for, each id once
    qint64 done = 0;
    qint64 refused = 0;
};

// Every SIM action of DESIGN.md §3. The database does the work: each action is one call of a
// SECURITY DEFINER function (sql/004_audit.sql) that locks the card, checks role, version,
// transition and requirements, applies the change and writes its sim_events row, in one
// transaction. When the database refuses, this class reads the card and checks the same rules
// against it, so that the refusal comes with a good message (and if the card changed again in
// between, explains it from what the database saw). On any error nothing is changed. Events
// record where the change came from (`source`: desktop, CLI, …).
//
// Errors: NotFound; StaleVersion (changed since the user saw it, with who and when);
// TransitionNotAllowed (with the allowed actions); CustomerRequired, TariffRequired,
// ReasonRequired; TariffTypeMismatch, TariffInactive; ActivationCodeUnknown/Used/Expired;
// PermissionDenied (the login's role); ConcurrentUpdate (a deadlock: try again).
class LifecycleService
{
public:
    explicit LifecycleService(QSqlDatabase db, ChangeSource source = ChangeSource::Desktop)
        : m_db(std::move(db))
        , m_source(source)
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

    // PIN and PUK of a card (support and admin), for a reason (ReasonRequired without one). Two
    // transactions: the request records SECRET_REVEALED and commits, then the values are read,
    // so no rollback can hide the reveal. Must not be called inside an open transaction.
    Result<Secrets> revealSecrets(qint64 simId, const QString &reason);

    // Bulk: one set-based call for many cards; each card is done or refused with a reason, and
    // a refusal leaves the others alone. All events share one operation id. Errors only for the
    // call as a whole (ReasonRequired, CustomerRequired, PermissionDenied, NotFound for an
    // unknown customer or tariff, a lost connection).
    // Preview: the same call in a transaction that is rolled back, so the outcomes are exactly
    // what the database would decide now, and nothing changes (no reason needed yet).
    enum class BulkMode : quint8 { Apply, Preview };
    Result<BulkResult> performMany(SimAction action, const QList<qint64> &simIds,
        const ActionRequest &common, BulkMode mode = BulkMode::Apply);
    Result<BulkResult> changeTariffOfMany(
        const QList<qint64> &simIds, qint64 tariffPlanId, BulkMode mode = BulkMode::Apply);

private:
    enum class HolderChange : quint8 { Assign, Unassign, Tariff };
    Result<SimCard> changeHolder(qint64 simId, std::optional<int> expectedVersion,
        HolderChange change, std::optional<qint64> customerId, std::optional<qint64> tariffPlanId);
    // The checks of an action against the card as read: the good message for a refusal.
    Status explain(SimAction action, const ActionRequest &request, const SimCard &card) const;
    Status explainHolder(HolderChange change, const ActionRequest &request, const SimCard &card) const;
    Status explainSwap(const SwapRequest &request, const SimCard &oldCard, const SimCard &newCard) const;
    // Calls simdesk_sim_act. When the database refuses, the card is read and `explainWith`
    // asked; its error is returned where it has one, else the refusal as the database saw it.
    Result<SimCard> act(const QString &actionKey, const QString &actionName,
        const ActionRequest &request, const std::function<Status(const SimCard &)> &explainWith);
    static QString holderActionName(HolderChange change);
    Result<BulkResult> applyMany(const QString &actionKey, const QList<qint64> &simIds,
        const ActionRequest &common, BulkMode mode);

    QSqlDatabase m_db;
    ChangeSource m_source;
};

} // namespace simdesk
