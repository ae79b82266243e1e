// SPDX-License-Identifier: MIT
#include "services/lifecycleservice.h"

#include "db/sqlquery.h"
#include "records/activationcoderepository.h"
#include "records/simrepository.h"

#include <QCoreApplication>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::LifecycleService", text);
}

Error notAllowed(const SimCard &card, const QString &actionName)
{
    QStringList allowed;
    for (SimAction a : allowedActions(card.status))
        allowed << actionDisplayName(a);
    return Error(ErrorCode::TransitionNotAllowed,
        { card.iccid, statusDisplayName(card.status), actionName,
            allowed.isEmpty() ? tr("none (the status is final)")
                              : allowed.join(QStringLiteral(", ")) });
}

// The database refused the change for a reason of its rules (a SimDesk SQLSTATE, or a card,
// customer or tariff that is not there), rather than for a technical one.
bool isRefusal(const Error &e)
{
    const QString state = e.args.value(0);
    return state.startsWith(QLatin1String("SD")) || state == QLatin1String("P0002");
}

// The DETAIL line of a database error ("…\nDETAIL: SUSPENDED").
QString serverDetail(const Error &e)
{
    const qsizetype at = e.detail.indexOf(QLatin1String("\nDETAIL: "));
    if (at < 0)
        return {};
    return e.detail.mid(at + 9).section(QLatin1Char('\n'), 0, 0).trimmed();
}

// The database refused, yet the card as read now passes every check: it changed twice in
// between (refused while SUSPENDED, resumed by someone else since). Say what the database saw.
Error refusalAsSeen(const Error &db, SimCard seen, const QString &actionName)
{
    const QString state = db.args.value(0);
    if (state == QLatin1String("SD001")) {
        if (std::optional<SimStatus> status = statusFromKey(serverDetail(db)))
            seen.status = *status;
        return notAllowed(seen, actionName);
    }
    if (state == QLatin1String("SD006"))
        return Error(ErrorCode::CustomerRequired, { actionName }, db.detail);
    if (state == QLatin1String("SD007"))
        return Error(ErrorCode::TariffRequired, { actionName }, db.detail);
    if (state == QLatin1String("SD008"))
        return Error(ErrorCode::ReasonRequired, { actionName }, db.detail);
    return db;
}

// The customer exists.
Status checkCustomer(const QSqlDatabase &db, qint64 customerId)
{
    Result<QueryResult> q = runSingle(db, QStringLiteral("SELECT 1 FROM customers WHERE id = $1"),
        { customerId }, tr("Customer %1").arg(customerId));
    if (!q)
        return q.error();
    return {};
}

// The tariff exists, is offered, and fits the card's type.
Status checkTariff(const QSqlDatabase &db, qint64 tariffPlanId, const SimCard &card)
{
    Result<QueryResult> q = runSingle(db,
        QStringLiteral("SELECT name, sim_type, active FROM tariff_plans WHERE id = $1"),
        { tariffPlanId }, tr("Tariff plan %1").arg(tariffPlanId));
    if (!q)
        return q.error();
    const QString name = q.value().value(0).toString();
    const std::optional<SimType> type = simTypeFromKey(q.value().value(1).toString());
    if (!q.value().value(2).toBool())
        return Error(ErrorCode::TariffInactive, { name });
    if (type && *type != card.type)
        return Error(ErrorCode::TariffTypeMismatch,
            { name, simTypeDisplayName(*type), card.iccid, simTypeDisplayName(card.type) });
    return {};
}

} // namespace

Status LifecycleService::explain(
    SimAction action, const ActionRequest &request, const SimCard &card) const
{
    const QString actionName = actionDisplayName(action);
    if (request.expectedVersion && *request.expectedVersion != card.version)
        return SimRepository(m_db).staleError(card);
    if (!transitionTarget(card.status, action))
        return notAllowed(card, actionName);
    const std::optional<qint64> customer = request.customerId ? request.customerId : card.customerId;
    if (action == SimAction::Reserve && !request.customerId)
        return Error(ErrorCode::CustomerRequired, { actionName });
    if (action == SimAction::Activate) {
        if (!customer)
            return Error(ErrorCode::CustomerRequired, { actionName });
        const std::optional<qint64> tariff
            = request.tariffPlanId ? request.tariffPlanId : card.tariffPlanId;
        if (!tariff)
            return Error(ErrorCode::TariffRequired, { actionName });
        if (Status s = checkTariff(m_db, *tariff, card); !s)
            return s;
        if (!request.activationCode.trimmed().isEmpty()) {
            if (Status s = ActivationCodeRepository(m_db).checkUsable(request.activationCode); !s)
                return s;
        }
    }
    if (request.customerId && request.customerId != card.customerId)
        return checkCustomer(m_db, *request.customerId);
    return {};
}

Result<SimCard> LifecycleService::act(const QString &actionKey, const QString &actionName,
    const ActionRequest &request, const std::function<Status(const SimCard &)> &explainWith)
{
    // Optimistic: the database checks every rule itself, so the card is read first only when
    // it refuses (to say why in good words). One round trip fewer on the usual path.
    SimRepository cards(m_db);
    Result<QueryResult> done = runQuery(m_db,
        QStringLiteral("SELECT simdesk_sim_act($1, $2, $3, $4, $5, $6, $7, $8)"),
        { request.simId, actionKey, nullable(request.expectedVersion),
            nullable(request.customerId), nullable(request.tariffPlanId),
            nullable(request.activationCode.trimmed()), nullable(request.reason.trimmed()),
            sourceKey(m_source) });
    if (!done) {
        if (isRefusal(done.error())) {
            // Say why from the card as it is now.
            Result<SimCard> now = cards.find(request.simId);
            if (!now)
                return now.error();
            if (Status s = explainWith(*now); !s)
                return s.error();
            if (done.error().args.value(0) == QLatin1String("SD005"))
                return cards.staleError(*now);
            return refusalAsSeen(done.error(), *now, actionName);
        }
        return done.error();
    }
    return cards.find(request.simId);
}

Result<SimCard> LifecycleService::perform(SimAction action, const ActionRequest &request)
{
    if (requirementsOf(action).reason && request.reason.trimmed().isEmpty())
        return Error(ErrorCode::ReasonRequired, { actionDisplayName(action) });
    return act(actionKey(action), actionDisplayName(action), request,
        [&](const SimCard &card) { return explain(action, request, card); });
}

Result<SimCard> LifecycleService::reserve(
    qint64 simId, qint64 customerId, std::optional<int> expectedVersion)
{
    ActionRequest r;
    r.simId = simId;
    r.customerId = customerId;
    r.expectedVersion = expectedVersion;
    return perform(SimAction::Reserve, r);
}

Result<SimCard> LifecycleService::release(qint64 simId, std::optional<int> expectedVersion)
{
    return perform(SimAction::Release, { simId, expectedVersion, {}, {}, {}, {} });
}

Result<SimCard> LifecycleService::activate(qint64 simId, std::optional<qint64> customerId,
    qint64 tariffPlanId, const QString &activationCode, std::optional<int> expectedVersion)
{
    return perform(SimAction::Activate,
        { simId, expectedVersion, customerId, tariffPlanId, activationCode, {} });
}

Result<SimCard> LifecycleService::suspend(
    qint64 simId, const QString &reason, std::optional<int> expectedVersion)
{
    return perform(SimAction::Suspend, { simId, expectedVersion, {}, {}, {}, reason });
}

Result<SimCard> LifecycleService::resume(qint64 simId, std::optional<int> expectedVersion)
{
    return perform(SimAction::Resume, { simId, expectedVersion, {}, {}, {}, {} });
}

Result<SimCard> LifecycleService::reportLostStolen(
    qint64 simId, const QString &reason, std::optional<int> expectedVersion)
{
    return perform(SimAction::ReportLostStolen, { simId, expectedVersion, {}, {}, {}, reason });
}

Result<SimCard> LifecycleService::terminate(
    qint64 simId, const QString &reason, std::optional<int> expectedVersion)
{
    return perform(SimAction::Terminate, { simId, expectedVersion, {}, {}, {}, reason });
}

QString LifecycleService::holderActionName(HolderChange change)
{
    return change == HolderChange::Assign ? tr("Assign customer")
        : change == HolderChange::Unassign ? tr("Unassign customer")
                                           : tr("Change tariff");
}

Status LifecycleService::explainHolder(
    HolderChange change, const ActionRequest &request, const SimCard &card) const
{
    const QString actionName = holderActionName(change);
    if (request.expectedVersion && *request.expectedVersion != card.version)
        return SimRepository(m_db).staleError(card);
    if ((change == HolderChange::Unassign) == holdsCustomer(card.status))
        return notAllowed(card, actionName);
    if (change == HolderChange::Assign)
        return checkCustomer(m_db, *request.customerId);
    if (change == HolderChange::Tariff)
        return checkTariff(m_db, *request.tariffPlanId, card);
    return {};
}

Result<SimCard> LifecycleService::changeHolder(qint64 simId, std::optional<int> expectedVersion,
    HolderChange change, std::optional<qint64> customerId, std::optional<qint64> tariffPlanId)
{
    ActionRequest r;
    r.simId = simId;
    r.expectedVersion = expectedVersion;
    r.customerId = customerId;
    r.tariffPlanId = tariffPlanId;
    const QString key = change == HolderChange::Assign ? QStringLiteral("assign_customer")
        : change == HolderChange::Unassign             ? QStringLiteral("unassign_customer")
                                                       : QStringLiteral("change_tariff");
    return act(key, holderActionName(change), r,
        [&](const SimCard &card) { return explainHolder(change, r, card); });
}

Result<SimCard> LifecycleService::assignCustomer(
    qint64 simId, qint64 customerId, std::optional<int> expectedVersion)
{
    return changeHolder(simId, expectedVersion, HolderChange::Assign, customerId, {});
}

Result<SimCard> LifecycleService::unassignCustomer(qint64 simId, std::optional<int> expectedVersion)
{
    return changeHolder(simId, expectedVersion, HolderChange::Unassign, {}, {});
}

Result<SimCard> LifecycleService::changeTariff(
    qint64 simId, qint64 tariffPlanId, std::optional<int> expectedVersion)
{
    return changeHolder(simId, expectedVersion, HolderChange::Tariff, {}, tariffPlanId);
}

Status LifecycleService::explainSwap(
    const SwapRequest &request, const SimCard &oldCard, const SimCard &newCard) const
{
    SimRepository cards(m_db);
    if (request.oldExpectedVersion && *request.oldExpectedVersion != oldCard.version)
        return cards.staleError(oldCard);
    if (request.newExpectedVersion && *request.newExpectedVersion != newCard.version)
        return cards.staleError(newCard);
    if (!canSwapOut(oldCard.status))
        return Error(ErrorCode::SwapSourceNotSwappable,
            { oldCard.iccid, statusDisplayName(oldCard.status) });
    if (newCard.status == SimStatus::Reserved && newCard.customerId != oldCard.customerId)
        return Error(ErrorCode::SwapTargetReservedForOther, { newCard.iccid });
    if (!canSwapIn(newCard.status))
        return Error(ErrorCode::SwapTargetNotAvailable,
            { newCard.iccid, statusDisplayName(newCard.status) });
    if (oldCard.tariffPlanId) {
        if (Status s = checkTariff(m_db, *oldCard.tariffPlanId, newCard); !s)
            return s;
    }
    // The old card ends terminated, or lost/stolen (where it may already be).
    if (request.oldCardEnd == SwapOldCardEnd::LostStolen && oldCard.status != SimStatus::LostStolen
        && !isAllowed(oldCard.status, SimAction::ReportLostStolen))
        return notAllowed(oldCard, actionDisplayName(SimAction::ReportLostStolen));
    return {};
}

Result<SwapResult> LifecycleService::swap(const SwapRequest &request)
{
    if (request.reason.trimmed().isEmpty())
        return Error(ErrorCode::ReasonRequired, { tr("Swap") });
    if (request.oldSimId == request.newSimId)
        return Error(ErrorCode::SwapSameCard);

    SimRepository cards(m_db);
    auto explainNow = [&]() -> Status {
        Result<SimCard> oldCard = cards.find(request.oldSimId);
        if (!oldCard)
            return oldCard.error();
        Result<SimCard> newCard = cards.find(request.newSimId);
        if (!newCard)
            return newCard.error();
        return explainSwap(request, *oldCard, *newCard);
    };
    if (Status s = explainNow(); !s)
        return s.error();
    Result<QueryResult> q = runSingle(m_db,
        QStringLiteral("SELECT simdesk_sim_swap($1, $2, $3, $4, $5, $6, $7)"),
        { request.oldSimId, request.newSimId, nullable(request.oldExpectedVersion),
            nullable(request.newExpectedVersion),
            request.oldCardEnd == SwapOldCardEnd::LostStolen ? statusKey(SimStatus::LostStolen)
                                                             : statusKey(SimStatus::Terminated),
            request.reason.trimmed(), sourceKey(m_source) },
        tr("Swap"));
    if (!q) {
        if (isRefusal(q.error())) {
            if (Status s = explainNow(); !s)
                return s.error();
        }
        return q.error();
    }
    const QString swapId = q.value().value(0).toString();
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
    if (reason.trimmed().isEmpty())
        return Error(ErrorCode::ReasonRequired, { tr("Reveal PIN and PUK") });
    if (Result<SimCard> card = SimRepository(m_db).find(simId); !card)
        return card.error();
    // Statement one records the reveal and commits on its own; statement two, a transaction of
    // its own, reads. The database refuses a read in the transaction that asked.
    Result<QueryResult> token = runSingle(m_db,
        QStringLiteral("SELECT simdesk_request_reveal($1, $2, $3)"),
        { simId, reason.trimmed(), sourceKey(m_source) }, tr("SIM card %1").arg(simId));
    if (!token)
        return token.error();
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT pin, puk FROM simdesk_read_revealed($1::uuid)"),
        { token.value().value(0).toString() });
    if (!q)
        return q.error();
    Secrets secrets;
    if (q.value().next())
        secrets = { q.value().value(0).toString(), q.value().value(1).toString() };
    return secrets;
}

Result<BulkResult> LifecycleService::applyMany(const QString &actionKey,
    const QList<qint64> &simIds, const ActionRequest &common, BulkMode mode)
{
    const bool preview = mode == BulkMode::Preview;
    Transaction tx(m_db); // a preview is never committed
    if (preview) {
        if (Status s = tx.begin(); !s)
            return s.error();
    }
    // A preview has no reason yet; what it would say changes nothing of the outcome.
    const QString reason = preview && common.reason.trimmed().isEmpty() ? QStringLiteral("preview")
                                                                        : common.reason.trimmed();
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT sim_id, outcome, detail FROM simdesk_sim_apply($1::bigint[], $2, "
                       "NULL, $3, $4, NULL, $5, $6)"),
        { QVariant::fromValue(simIds), actionKey, nullable(common.customerId),
            nullable(common.tariffPlanId), nullable(reason), sourceKey(m_source) });
    if (!q)
        return q.error();
    BulkResult result;
    QueryResult &r = q.value();
    while (r.next()) {
        BulkOutcome o { r.value(0).toLongLong(), r.value(1).toString(), r.value(2).toString() };
        ++(o.done() ? result.done : result.refused);
        result.outcomes.append(o);
    }
    return result;
}

Result<BulkResult> LifecycleService::performMany(
    SimAction action, const QList<qint64> &simIds, const ActionRequest &common, BulkMode mode)
{
    if (mode == BulkMode::Apply && requirementsOf(action).reason && common.reason.trimmed().isEmpty())
        return Error(ErrorCode::ReasonRequired, { actionDisplayName(action) });
    if (action == SimAction::Reserve && !common.customerId)
        return Error(ErrorCode::CustomerRequired, { actionDisplayName(action) });
    return applyMany(actionKey(action), simIds, common, mode);
}

Result<BulkResult> LifecycleService::changeTariffOfMany(
    const QList<qint64> &simIds, qint64 tariffPlanId, BulkMode mode)
{
    ActionRequest common;
    common.tariffPlanId = tariffPlanId;
    return applyMany(QStringLiteral("change_tariff"), simIds, common, mode);
}

} // namespace simdesk
