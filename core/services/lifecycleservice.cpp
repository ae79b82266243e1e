// SPDX-License-Identifier: MIT
#include "services/lifecycleservice.h"

#include "db/sqlquery.h"
#include "domain/validation.h"
#include "records/simrepository.h"

#include <QCoreApplication>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::LifecycleService", text);
}

// The actions simdesk_sim_act and simdesk_sim_apply take.
bool isCardChange(CardAction action)
{
    return lifecycleActionOf(action) || action == CardAction::AssignCustomer
        || action == CardAction::UnassignCustomer || action == CardAction::ChangeTariff;
}

// The reason as the database keeps it (validation::normalizeReason, the rule of simdesk_reason()
// in sql/011_hardening.sql): ReasonRequired naming the action when nothing is left of it,
// ReasonTooLong beyond the longest kept.
Result<QString> reasonFor(CardAction action, const QString &reason)
{
    Result<QString> r = validation::normalizeReason(reason);
    if (!r && r.error().code == ErrorCode::ReasonMissing)
        return Error(ErrorCode::ReasonRequired, { cardActionDisplayName(action) });
    return r;
}

// What the caller must give before anything is sent (the database asks again); the reason to
// send, empty (NULL) for an action that goes without one when none was given. A preview
// (reasonNeeded false) has no reason yet.
Result<QString> checkRequest(CardAction action, const ActionRequest &request, bool reasonNeeded)
{
    const ActionRequirements needs = cardActionRequirements(action);
    const QString name = cardActionDisplayName(action);
    Result<QString> reason = reasonFor(action, request.reason);
    if (!reason
        && (reason.error().code != ErrorCode::ReasonRequired || (reasonNeeded && needs.reason)))
        return reason.error();
    if ((action == CardAction::Reserve || action == CardAction::AssignCustomer)
        && !request.customerId)
        return Error(ErrorCode::CustomerRequired, { name });
    if (action == CardAction::ChangeTariff && !request.tariffPlanId)
        return Error(ErrorCode::TariffRequired, { name });
    return reason ? *reason : QString();
}

} // namespace

Status LifecycleService::perform(CardAction action, const ActionRequest &request)
{
    if (!isCardChange(action))
        return Error(ErrorCode::InvalidArgument,
            { tr("%1 is not a change of one card's status or holder.")
                    .arg(cardActionDisplayName(action)) });
    const Result<QString> reason = checkRequest(action, request, true);
    if (!reason)
        return reason.error();
    Result<QueryResult> done = runQuery(m_db,
        QStringLiteral("SELECT simdesk_sim_act($1, $2, $3, $4, $5, $6, $7, $8)"),
        { request.simId, cardActionKey(action), nullable(request.expectedVersion),
            nullable(request.customerId), nullable(request.tariffPlanId),
            nullable(request.activationCode.trimmed()), nullable(*reason), sourceKey(m_source) });
    if (!done)
        return done.error();
    return {};
}

Result<SimCard> LifecycleService::performAndRead(CardAction action, const ActionRequest &request)
{
    if (Status s = perform(action, request); !s)
        return s.error();
    return SimRepository(m_db).find(request.simId);
}

Result<SimCard> LifecycleService::reserve(
    qint64 simId, qint64 customerId, std::optional<int> expectedVersion)
{
    ActionRequest r;
    r.simId = simId;
    r.customerId = customerId;
    r.expectedVersion = expectedVersion;
    return performAndRead(CardAction::Reserve, r);
}

Result<SimCard> LifecycleService::release(qint64 simId, std::optional<int> expectedVersion)
{
    return performAndRead(CardAction::Release, { simId, expectedVersion, {}, {}, {}, {} });
}

Result<SimCard> LifecycleService::activate(qint64 simId, std::optional<qint64> customerId,
    qint64 tariffPlanId, const QString &activationCode, std::optional<int> expectedVersion)
{
    return performAndRead(CardAction::Activate,
        { simId, expectedVersion, customerId, tariffPlanId, activationCode, {} });
}

Result<SimCard> LifecycleService::suspend(
    qint64 simId, const QString &reason, std::optional<int> expectedVersion)
{
    return performAndRead(CardAction::Suspend, { simId, expectedVersion, {}, {}, {}, reason });
}

Result<SimCard> LifecycleService::resume(qint64 simId, std::optional<int> expectedVersion)
{
    return performAndRead(CardAction::Resume, { simId, expectedVersion, {}, {}, {}, {} });
}

Result<SimCard> LifecycleService::reportLostStolen(
    qint64 simId, const QString &reason, std::optional<int> expectedVersion)
{
    return performAndRead(
        CardAction::ReportLostStolen, { simId, expectedVersion, {}, {}, {}, reason });
}

Result<SimCard> LifecycleService::terminate(
    qint64 simId, const QString &reason, std::optional<int> expectedVersion)
{
    return performAndRead(CardAction::Terminate, { simId, expectedVersion, {}, {}, {}, reason });
}

Result<SimCard> LifecycleService::assignCustomer(
    qint64 simId, qint64 customerId, std::optional<int> expectedVersion)
{
    return performAndRead(
        CardAction::AssignCustomer, { simId, expectedVersion, customerId, {}, {}, {} });
}

Result<SimCard> LifecycleService::unassignCustomer(qint64 simId, std::optional<int> expectedVersion)
{
    return performAndRead(CardAction::UnassignCustomer, { simId, expectedVersion, {}, {}, {}, {} });
}

Result<SimCard> LifecycleService::changeTariff(
    qint64 simId, qint64 tariffPlanId, std::optional<int> expectedVersion)
{
    return performAndRead(
        CardAction::ChangeTariff, { simId, expectedVersion, {}, tariffPlanId, {}, {} });
}

Result<SwapResult> LifecycleService::swap(const SwapRequest &request)
{
    const Result<QString> reason = reasonFor(CardAction::Swap, request.reason);
    if (!reason)
        return reason.error();
    if (request.oldSimId == request.newSimId)
        return Error(ErrorCode::SwapSameCard);
    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT simdesk_sim_swap($1, $2, $3, $4, $5, $6, $7)"),
            { request.oldSimId, request.newSimId, nullable(request.oldExpectedVersion),
                nullable(request.newExpectedVersion),
                request.oldCardEnd == SwapOldCardEnd::LostStolen ? statusKey(SimStatus::LostStolen)
                                                                 : statusKey(SimStatus::Terminated),
                *reason, sourceKey(m_source) },
            cardActionDisplayName(CardAction::Swap));
    if (!q)
        return q.error();
    const QString swapId = q.value().value(0).toString();
    // Both cards as they are now: the caller names them in its message.
    SimRepository cards(m_db);
    Result<SimCard> oldNow = cards.find(request.oldSimId);
    if (!oldNow)
        return oldNow.error();
    Result<SimCard> newNow = cards.find(request.newSimId);
    if (!newNow)
        return newNow.error();
    return SwapResult { *oldNow, *newNow, swapId };
}

Result<Secrets> LifecycleService::revealSecrets(qint64 simId, const QString &reason)
{
    const Result<QString> why = reasonFor(CardAction::RevealSecrets, reason);
    if (!why)
        return why.error();
    // Statement one records the reveal and commits on its own; statement two, a transaction of
    // its own, reads. The database refuses a read in the transaction that asked.
    Result<QueryResult> token
        = runSingle(m_db, QStringLiteral("SELECT simdesk_request_reveal($1, $2, $3)"),
            { simId, *why, sourceKey(m_source) }, tr("SIM card %1").arg(simId));
    if (!token)
        return token.error();
    Result<QueryResult> q
        = runQuery(m_db, QStringLiteral("SELECT pin, puk FROM simdesk_read_revealed($1::uuid)"),
            { token.value().value(0).toString() });
    if (!q)
        return q.error();
    Secrets secrets;
    if (q.value().next())
        secrets = { q.value().value(0).toString(), q.value().value(1).toString() };
    return secrets;
}

Result<BulkResult> LifecycleService::performMany(
    CardAction action, const QList<qint64> &simIds, const ActionRequest &common, BulkMode mode)
{
    const bool preview = mode == BulkMode::Preview;
    if (!isCardChange(action))
        return Error(ErrorCode::InvalidArgument,
            { tr("%1 cannot be done to many cards at once.").arg(cardActionDisplayName(action)) });
    const Result<QString> given = checkRequest(action, common, !preview);
    if (!given)
        return given.error();
    Transaction tx(m_db); // a preview is never committed
    if (preview) {
        if (Status s = tx.begin(); !s)
            return s.error();
    }
    // A preview has no reason yet; what it would say changes nothing of the outcome.
    const QString reason = preview && given->isEmpty() ? QStringLiteral("preview") : *given;
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT sim_id, outcome, detail FROM simdesk_sim_apply($1::bigint[], $2, "
                       "NULL, $3, $4, NULL, $5, $6)"),
        { QVariant::fromValue(simIds), cardActionKey(action), nullable(common.customerId),
            nullable(common.tariffPlanId), nullable(reason), sourceKey(m_source) });
    if (!q)
        return q.error();
    BulkResult result;
    QueryResult &r = q.value();
    while (r.next()) {
        const QString key = r.value(1).toString();
        const std::optional<BulkOutcomeKind> kind = bulkOutcomeFromKey(key);
        if (!kind)
            return Error(
                ErrorCode::QueryFailed, { tr("unknown outcome “%1” of a bulk action").arg(key) });
        BulkOutcome o { r.value(0).toLongLong(), *kind, r.value(2).toString() };
        ++(o.done() ? result.done : result.refused);
        result.outcomes.append(o);
    }
    return result;
}

} // namespace simdesk
