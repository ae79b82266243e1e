// SPDX-License-Identifier: MIT
#include "services/lifecycleservice.h"

#include "db/sqlquery.h"
#include "records/simrepository.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QUuid>

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

QString toJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// One sim_events row; who and when are the database's.
struct EventRow
{
    qint64 simId;
    const char *type;
    std::optional<SimStatus> oldStatus;
    std::optional<SimStatus> newStatus;
    std::optional<qint64> customerId;
    std::optional<qint64> tariffPlanId;
    QString swapId;
    QString note;
    QJsonObject details;
};

Status insertEvent(const QSqlDatabase &db, const EventRow &e)
{
    auto status = [](const std::optional<SimStatus> &s) {
        return s ? QVariant(statusKey(*s)) : nullable(QString());
    };
    Result<QueryResult> q = runQuery(db,
        QStringLiteral(
            "INSERT INTO sim_events (sim_id, event_type, old_status, new_status, customer_id, "
            "tariff_plan_id, swap_id, note, details) "
            "VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS uuid), $8, CAST($9 AS jsonb))"),
        { e.simId, QString::fromLatin1(e.type), status(e.oldStatus), status(e.newStatus),
            nullable(e.customerId), nullable(e.tariffPlanId), nullable(e.swapId),
            nullable(e.note.trimmed()),
            e.details.isEmpty() ? nullable(QString()) : QVariant(toJson(e.details)) });
    if (!q)
        return q.error();
    return {};
}

// The customer exists. (The foreign key keeps it from being deleted before we commit.)
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

// Marks an activation code used for `card`: it must exist, be UNUSED and not be past expiry.
Result<qint64> consumeCode(const QSqlDatabase &db, const QString &input)
{
    const QString code = input.trimmed().toUpper();
    Result<QueryResult> q = runSingle(db,
        QStringLiteral("SELECT id, status, expires_at, used_at, expires_at <= now() "
                       "FROM activation_codes WHERE code = $1 FOR UPDATE"),
        { code }, code);
    if (!q) {
        if (q.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::ActivationCodeUnknown, { code });
        return q.error();
    }
    const QueryResult &r = q.value();
    const QLocale locale;
    if (r.value(1).toString() == QLatin1String("USED"))
        return Error(ErrorCode::ActivationCodeUsed,
            { code, locale.toString(r.value(3).toDateTime().toLocalTime(), QLocale::ShortFormat) });
    if (r.value(1).toString() == QLatin1String("EXPIRED") || r.value(4).toBool())
        return Error(ErrorCode::ActivationCodeExpired,
            { code, locale.toString(r.value(2).toDateTime().toLocalTime(), QLocale::ShortFormat) });
    const qint64 id = r.value(0).toLongLong();
    Result<QueryResult> u = runQuery(db,
        QStringLiteral(
            "UPDATE activation_codes SET status = 'USED', used_at = now() WHERE id = $1"),
        { id });
    if (!u)
        return u.error();
    return id;
}

} // namespace

Result<SimCard> LifecycleService::perform(SimAction action, const ActionRequest &request)
{
    const ActionRequirements needs = requirementsOf(action);
    const QString actionName = actionDisplayName(action);
    if (needs.reason && request.reason.trimmed().isEmpty())
        return Error(ErrorCode::ReasonRequired, { actionName });

    SimRepository cards(m_db);
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    Result<SimCard> locked = cards.lockForUpdate(request.simId);
    if (!locked)
        return locked.error();
    const SimCard card = *locked;
    if (request.expectedVersion && *request.expectedVersion != card.version)
        return cards.staleError(card);
    const std::optional<SimStatus> target = transitionTarget(card.status, action);
    if (!target)
        return notAllowed(card, actionName);

    std::optional<qint64> customer = card.customerId;
    std::optional<qint64> tariff = card.tariffPlanId;
    std::optional<qint64> code = card.activationCodeId;
    QString msisdn = card.msisdn;
    QJsonObject details;
    const char *eventType = "STATUS_CHANGED";

    switch (action) {
    case SimAction::Reserve:
        if (!request.customerId)
            return Error(ErrorCode::CustomerRequired, { actionName });
        customer = request.customerId;
        eventType = "RESERVED";
        break;
    case SimAction::Release:
        customer.reset();
        eventType = "RELEASED";
        break;
    case SimAction::Activate:
        if (request.customerId)
            customer = request.customerId;
        if (!customer)
            return Error(ErrorCode::CustomerRequired, { actionName });
        if (request.tariffPlanId)
            tariff = request.tariffPlanId;
        if (!tariff)
            return Error(ErrorCode::TariffRequired, { actionName });
        if (Status s = checkTariff(m_db, *tariff, card); !s)
            return s.error();
        if (!request.activationCode.trimmed().isEmpty()) {
            Result<qint64> used = consumeCode(m_db, request.activationCode);
            if (!used)
                return used.error();
            code = *used;
            details.insert(
                QStringLiteral("activation_code"), request.activationCode.trimmed().toUpper());
        }
        eventType = "ACTIVATED";
        break;
    case SimAction::Suspend:
        eventType = "SUSPENDED";
        break;
    case SimAction::Resume:
        eventType = "RESUMED";
        break;
    case SimAction::ReportLostStolen:
        eventType = "LOST_REPORTED";
        break;
    case SimAction::Terminate:
        if (!msisdn.isEmpty())
            details.insert(QStringLiteral("released_msisdn"), msisdn);
        msisdn.clear(); // the number goes back to the pool
        eventType = "TERMINATED";
        break;
    }
    if (customer && customer != card.customerId) {
        if (Status s = checkCustomer(m_db, *customer); !s)
            return s.error();
    }

    Result<QueryResult> u = runQuery(m_db,
        QStringLiteral("UPDATE sim_cards SET status = $1, customer_id = $2, tariff_plan_id = $3, "
                       "activation_code_id = $4, msisdn = $5 WHERE id = $6"),
        { statusKey(*target), nullable(customer), nullable(tariff), nullable(code),
            nullable(msisdn), card.id });
    if (!u)
        return u.error();
    if (Status s = insertEvent(m_db,
            { card.id, eventType, card.status, *target, customer, tariff, {}, request.reason,
                details });
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return cards.find(card.id);
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

Result<SimCard> LifecycleService::changeHolder(qint64 simId, std::optional<int> expectedVersion,
    HolderChange change, std::optional<qint64> customerId, std::optional<qint64> tariffPlanId)
{
    const bool assigning = change == HolderChange::Assign;
    const bool unassigning = change == HolderChange::Unassign;
    const char *eventType = assigning ? "ASSIGNED" : unassigning ? "UNASSIGNED" : "TARIFF_CHANGED";
    const QString actionName = assigning ? tr("Assign customer")
        : unassigning                    ? tr("Unassign customer")
                                         : tr("Change tariff");
    SimRepository cards(m_db);
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    Result<SimCard> locked = cards.lockForUpdate(simId);
    if (!locked)
        return locked.error();
    const SimCard card = *locked;
    if (expectedVersion && *expectedVersion != card.version)
        return cards.staleError(card);

    const bool holderStatus = card.status == SimStatus::Reserved || card.status == SimStatus::Active
        || card.status == SimStatus::Suspended;
    if ((unassigning && holderStatus) || (!unassigning && !holderStatus))
        return notAllowed(card, actionName);

    QJsonObject details;
    std::optional<qint64> customer = card.customerId;
    std::optional<qint64> tariff = card.tariffPlanId;
    if (assigning) {
        if (Status s = checkCustomer(m_db, *customerId); !s)
            return s.error();
        if (card.customerId)
            details.insert(QStringLiteral("previous_customer_id"), *card.customerId);
        customer = customerId;
    } else if (unassigning) {
        if (card.customerId)
            details.insert(QStringLiteral("previous_customer_id"), *card.customerId);
        customer.reset();
    } else {
        if (Status s = checkTariff(m_db, *tariffPlanId, card); !s)
            return s.error();
        if (card.tariffPlanId)
            details.insert(QStringLiteral("previous_tariff_plan_id"), *card.tariffPlanId);
        tariff = tariffPlanId;
    }
    Result<QueryResult> u = runQuery(m_db,
        QStringLiteral("UPDATE sim_cards SET customer_id = $1, tariff_plan_id = $2 WHERE id = $3"),
        { nullable(customer), nullable(tariff), card.id });
    if (!u)
        return u.error();
    if (Status s = insertEvent(m_db,
            { card.id, eventType, card.status, card.status, customer, tariff, {}, {}, details });
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return cards.find(card.id);
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

Result<SwapResult> LifecycleService::swap(const SwapRequest &request)
{
    const QString actionName = tr("Swap");
    if (request.reason.trimmed().isEmpty())
        return Error(ErrorCode::ReasonRequired, { actionName });
    if (request.oldSimId == request.newSimId)
        return Error(ErrorCode::SwapSameCard);

    SimRepository cards(m_db);
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    // Lock in id order, so that two swaps over the same pair cannot deadlock.
    const bool oldFirst = request.oldSimId < request.newSimId;
    Result<SimCard> first = cards.lockForUpdate(oldFirst ? request.oldSimId : request.newSimId);
    if (!first)
        return first.error();
    Result<SimCard> second = cards.lockForUpdate(oldFirst ? request.newSimId : request.oldSimId);
    if (!second)
        return second.error();
    const SimCard oldCard = oldFirst ? *first : *second;
    const SimCard newCard = oldFirst ? *second : *first;
    if (request.oldExpectedVersion && *request.oldExpectedVersion != oldCard.version)
        return cards.staleError(oldCard);
    if (request.newExpectedVersion && *request.newExpectedVersion != newCard.version)
        return cards.staleError(newCard);

    if (oldCard.status != SimStatus::Active && oldCard.status != SimStatus::Suspended
        && oldCard.status != SimStatus::LostStolen)
        return Error(ErrorCode::SwapSourceNotSwappable,
            { oldCard.iccid, statusDisplayName(oldCard.status) });
    if (newCard.status == SimStatus::Reserved && newCard.customerId != oldCard.customerId)
        return Error(ErrorCode::SwapTargetReservedForOther, { newCard.iccid });
    if (!isAllowed(newCard.status, SimAction::Activate))
        return Error(ErrorCode::SwapTargetNotAvailable,
            { newCard.iccid, statusDisplayName(newCard.status) });
    if (oldCard.tariffPlanId) {
        if (Status s = checkTariff(m_db, *oldCard.tariffPlanId, newCard); !s)
            return s.error();
    }
    // The old card ends terminated, or lost/stolen (where it may already be).
    SimStatus oldEnd = SimStatus::Terminated;
    if (request.oldCardEnd == SwapOldCardEnd::LostStolen) {
        oldEnd = SimStatus::LostStolen;
        if (oldCard.status != SimStatus::LostStolen
            && !isAllowed(oldCard.status, SimAction::ReportLostStolen))
            return notAllowed(oldCard, actionDisplayName(SimAction::ReportLostStolen));
    }

    const QString swapId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // Free the number first: MSISDNs are unique.
    if (Result<QueryResult> u = runQuery(m_db,
            QStringLiteral("UPDATE sim_cards SET status = $1, msisdn = NULL WHERE id = $2"),
            { statusKey(oldEnd), oldCard.id });
        !u)
        return u.error();
    if (Result<QueryResult> u = runQuery(m_db,
            QStringLiteral("UPDATE sim_cards SET status = 'ACTIVE', msisdn = $1, customer_id = $2, "
                           "tariff_plan_id = $3 WHERE id = $4"),
            { nullable(oldCard.msisdn), nullable(oldCard.customerId),
                nullable(oldCard.tariffPlanId), newCard.id });
        !u)
        return u.error();
    QJsonObject outDetails { { QStringLiteral("to_iccid"), newCard.iccid } };
    QJsonObject inDetails { { QStringLiteral("from_iccid"), oldCard.iccid } };
    if (!oldCard.msisdn.isEmpty()) {
        outDetails.insert(QStringLiteral("msisdn"), oldCard.msisdn);
        inDetails.insert(QStringLiteral("msisdn"), oldCard.msisdn);
    }
    if (Status s = insertEvent(m_db,
            { oldCard.id, "SWAPPED_OUT", oldCard.status, oldEnd, oldCard.customerId,
                oldCard.tariffPlanId, swapId, request.reason, outDetails });
        !s)
        return s.error();
    if (Status s = insertEvent(m_db,
            { newCard.id, "SWAPPED_IN", newCard.status, SimStatus::Active, oldCard.customerId,
                oldCard.tariffPlanId, swapId, request.reason, inDetails });
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();

    Result<SimCard> oldNow = cards.find(oldCard.id);
    if (!oldNow)
        return oldNow.error();
    Result<SimCard> newNow = cards.find(newCard.id);
    if (!newNow)
        return newNow.error();
    return SwapResult { *oldNow, *newNow, swapId };
}

Result<Secrets> LifecycleService::revealSecrets(qint64 simId, const QString &reason)
{
    if (Result<SimCard> card = SimRepository(m_db).find(simId); !card)
        return card.error();
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    Result<QueryResult> q
        = runQuery(m_db, QStringLiteral("SELECT pin, puk FROM simdesk_reveal_secrets($1, $2)"),
            { simId, nullable(reason.trimmed()) });
    if (!q)
        return q.error();
    Secrets secrets;
    if (q.value().next())
        secrets = { q.value().value(0).toString(), q.value().value(1).toString() };
    if (Status s = tx.commit(); !s)
        return s.error();
    return secrets;
}

} // namespace simdesk
