// SPDX-License-Identifier: MIT
#pragma once

#include "domain/cardaction.h"
#include "domain/lifecycle.h"
#include "domain/result.h"
#include "domain/simcard.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace simdesk {

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
    BulkOutcomeKind kind = BulkOutcomeKind::Done;
    // The card's status for Transition, the tariff's name for the tariff refusals, the code for
    // the code refusals (the database's detail column).
    QString detail;
    bool done() const { return kind == BulkOutcomeKind::Done; }
    QString message() const { return bulkOutcomeMessage(kind, detail); }
};

struct BulkResult
{
    QList<BulkOutcome> outcomes; // in the order of the ids asked for, each id once
    qint64 done = 0;
    qint64 refused = 0;
};

// Every action of the card-action catalogue (domain/cardaction.h) that changes a card. The
// database does the work and decides: each action is one call of a SECURITY DEFINER function
// (sql/004_audit.sql) that locks the card, checks role, version, transition and requirements,
// applies the change and writes its sim_events row, in one transaction. Nothing is read before
// or after on the way: a refusal comes back as its own SQLSTATE with the values its message
// needs (db/sqlstate.h), so the message says what the database saw. On any error nothing is
// changed. Events record where the change came from (`source`: desktop, CLI, …).
//
// Errors: NotFound; StaleVersion (changed since the user saw it, with who and when);
// TransitionNotAllowed (with the allowed actions); CustomerRequired, TariffRequired,
// ReasonRequired; TariffTypeMismatch, TariffInactive; ActivationCodeUnknown/Used/Expired;
// PermissionDenied (the login's role); RecordLocked (another session holds the card);
// ConcurrentUpdate (a deadlock: try again); ConnectionLost.
class LifecycleService
{
public:
    explicit LifecycleService(QSqlDatabase db, ChangeSource source = ChangeSource::Desktop)
        : m_db(std::move(db))
        , m_source(source)
    { }

    // One card: a lifecycle action or a holder change (Reserve … Terminate, AssignCustomer,
    // UnassignCustomer, ChangeTariff); InvalidArgument for the other catalogue actions, which
    // have their own functions (swap, revealSecrets, SimRepository::edit).
    Status perform(CardAction action, const ActionRequest &request);
    // The same, then the card as it is now (scripts, the command line, tests).
    Result<SimCard> performAndRead(CardAction action, const ActionRequest &request);

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

    // The swap: MSISDN, customer and tariff move from the old card (ACTIVE, SUSPENDED or
    // LOST_STOLEN) to the new one (AVAILABLE, or RESERVED for the same customer), which becomes
    // ACTIVE; the old one ends TERMINATED or LOST_STOLEN. One transaction, both events carry
    // the same swap id. Also SwapSameCard, SwapSourceNotSwappable, SwapTargetNotAvailable,
    // SwapTargetReservedForOther.
    Result<SwapResult> swap(const SwapRequest &request);

    // PIN and PUK of a card (support and admin), for a reason (ReasonRequired without one). Two
    // transactions: the request records SECRET_REVEALED and commits, then the values are read,
    // so no rollback can hide the reveal. Must not be called inside an open transaction.
    Result<Secrets> revealSecrets(qint64 simId, const QString &reason);

    // Bulk: one set-based call for many cards (the catalogue's bulk actions, and any other
    // single-card action but Activate with a code); each card is done or refused with a reason,
    // and a refusal leaves the others alone. All events share one operation id. Errors only for
    // the call as a whole (ReasonRequired, CustomerRequired, TariffRequired, PermissionDenied,
    // NotFound for an unknown customer or tariff, a lost connection).
    // Preview: the same call in a transaction that is rolled back, so the outcomes are exactly
    // what the database would decide now, and nothing changes (no reason needed yet).
    enum class BulkMode : quint8 { Apply, Preview };
    Result<BulkResult> performMany(CardAction action, const QList<qint64> &simIds,
        const ActionRequest &common, BulkMode mode = BulkMode::Apply);

private:
    QSqlDatabase m_db;
    ChangeSource m_source;
};

} // namespace simdesk
