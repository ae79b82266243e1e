// SPDX-License-Identifier: MIT
#include "records/simrepository.h"

#include "db/database.h"
#include "db/sqlquery.h"
#include "domain/validation.h"

#include <QCoreApplication>
#include <QLocale>
#include <QVariant>

namespace simdesk {

namespace {

const QString kColumns = QStringLiteral(
    "id, iccid, msisdn, imsi, status, sim_type, customer_id, tariff_plan_id, activation_code_id, "
    "import_batch_id, version, created_at, updated_at, status_changed_at, activated_at, "
    "terminated_at");

const QString kEventColumns = QStringLiteral(
    "id, sim_id, event_type, old_status, new_status, customer_id, tariff_plan_id, "
    "import_batch_id, swap_id, note, details, created_by, created_at, operation_id, source");

QString cardLabel(qint64 id)
{
    return QCoreApplication::translate("simdesk::SimRepository", "SIM card %1").arg(id);
}

// Validates an optional field: empty stays empty.
template<typename Fn> Result<QString> optionalField(const QString &input, Fn normalize)
{
    if (input.trimmed().isEmpty())
        return QString();
    return normalize(input);
}

} // namespace

Result<QMap<SimStatus, qint64>> SimRepository::countByStatus() const
{
    QMap<SimStatus, qint64> counts;
    for (SimStatus s : kAllStatuses)
        counts.insert(s, 0);
    Result<QueryResult> q
        = runQuery(m_db, QStringLiteral("SELECT status, count(*) FROM sim_cards GROUP BY status"));
    if (!q)
        return q.error();
    while (q.value().next()) {
        if (std::optional<SimStatus> s = statusFromKey(q.value().value(0).toString()))
            counts[*s] = q.value().value(1).toLongLong();
    }
    return counts;
}

QString SimRepository::columns(const QString &alias)
{
    return qualifiedColumns(kColumns, alias);
}

SimCard SimRepository::cardFromRow(const QueryResult &q, int first)
{
    auto v = [&q, first](int i) {
        return q.value(first + i);
    };
    SimCard c;
    c.id = v(0).toLongLong();
    c.iccid = v(1).toString();
    c.msisdn = v(2).toString();
    c.imsi = v(3).toString();
    c.status = statusFromKey(v(4).toString()).value_or(SimStatus::Available);
    c.type = simTypeFromKey(v(5).toString()).value_or(SimType::Prepaid);
    c.customerId = optionalId(v(6));
    c.tariffPlanId = optionalId(v(7));
    c.activationCodeId = optionalId(v(8));
    c.importBatchId = optionalId(v(9));
    c.version = v(10).toInt();
    c.createdAt = v(11).toDateTime();
    c.updatedAt = v(12).toDateTime();
    c.statusChangedAt = v(13).toDateTime();
    c.activatedAt = optionalTime(v(14));
    c.terminatedAt = optionalTime(v(15));
    return c;
}

QString SimRepository::eventColumns(const QString &alias)
{
    return qualifiedColumns(kEventColumns, alias);
}

QString SimRepository::historyOrder(const QString &alias)
{
    return qualifiedColumns(QStringLiteral("created_at, id"), alias);
}

SimEvent SimRepository::eventFromRow(const QueryResult &q, int first)
{
    auto v = [&q, first](int i) {
        return q.value(first + i);
    };
    SimEvent e;
    e.id = v(0).toLongLong();
    e.simId = v(1).toLongLong();
    e.type = v(2).toString();
    e.oldStatus = statusFromKey(v(3).toString());
    e.newStatus = statusFromKey(v(4).toString());
    e.customerId = optionalId(v(5));
    e.tariffPlanId = optionalId(v(6));
    e.importBatchId = optionalId(v(7));
    e.swapId = v(8).toString();
    e.note = v(9).toString();
    e.details = v(10).toString();
    e.createdBy = v(11).toString();
    e.createdAt = v(12).toDateTime();
    e.operationId = v(13).toString();
    e.source = v(14).toString();
    return e;
}

Result<SimCard> SimRepository::find(qint64 id) const
{
    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT %1 FROM sim_cards WHERE id = $1").arg(kColumns),
            { id }, cardLabel(id));
    if (!q)
        return q.error();
    return cardFromRow(q.value());
}

Result<SimCard> SimRepository::findByIccid(const QString &iccid) const
{
    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT %1 FROM sim_cards WHERE iccid = $1").arg(kColumns),
            { iccid }, iccid);
    if (!q)
        return q.error();
    return cardFromRow(q.value());
}

Result<QList<SimEvent>> SimRepository::history(qint64 simId) const
{
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT %1 FROM sim_events WHERE sim_id = $1 ORDER BY %2")
            .arg(eventColumns(), historyOrder()),
        { simId });
    if (!q)
        return q.error();
    QList<SimEvent> events;
    while (q.value().next())
        events.append(eventFromRow(q.value()));
    return events;
}

Result<SimCard> SimRepository::create(const NewSimCard &card)
{
    Result<QString> iccid = validation::normalizeIccid(card.iccid);
    if (!iccid)
        return iccid.error();
    Result<QString> msisdn = optionalField(card.msisdn, validation::normalizeMsisdn);
    if (!msisdn)
        return msisdn.error();
    Result<QString> imsi = optionalField(card.imsi, validation::normalizeImsi);
    if (!imsi)
        return imsi.error();
    Result<QString> pin = optionalField(card.pin, validation::normalizePin);
    if (!pin)
        return pin.error();
    Result<QString> puk = optionalField(card.puk, validation::normalizePuk);
    if (!puk)
        return puk.error();
    Result<SimType> type = validation::parseSimType(card.type);
    if (!type)
        return type.error();

    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT simdesk_sim_create($1, $2, $3, $4, $5, $6, $7)"),
            { *iccid, nullable(*msisdn), nullable(*imsi), simTypeKey(*type), nullable(*pin),
                nullable(*puk), sourceKey(m_source) },
            *iccid);
    if (!q)
        return q.error();
    return find(q.value().value(0).toLongLong());
}

Result<SimCard> SimRepository::edit(qint64 id, int expectedVersion, const SimCardEdit &edit)
{
    // The edit names only what changes; the rest stays as it is now. The database checks the
    // version the user saw (StaleVersion) when it applies the change.
    Result<SimCard> current = find(id);
    if (!current)
        return current.error();

    SimCard next = *current;
    if (edit.iccid) {
        Result<QString> v = validation::normalizeIccid(*edit.iccid);
        if (!v)
            return v.error();
        next.iccid = *v;
    }
    if (edit.msisdn) {
        Result<QString> v = optionalField(*edit.msisdn, validation::normalizeMsisdn);
        if (!v)
            return v.error();
        next.msisdn = *v;
    }
    if (edit.imsi) {
        Result<QString> v = optionalField(*edit.imsi, validation::normalizeImsi);
        if (!v)
            return v.error();
        next.imsi = *v;
    }
    if (edit.type) {
        Result<SimType> v = validation::parseSimType(*edit.type);
        if (!v)
            return v.error();
        next.type = *v;
    }
    if (next.iccid == current->iccid && next.msisdn == current->msisdn && next.imsi == current->imsi
        && next.type == current->type)
        return *current; // nothing to change, nothing to record

    // The database writes the EDITED event with old and new values.
    if (Result<QueryResult> u
        = runQuery(m_db, QStringLiteral("SELECT simdesk_sim_edit($1, $2, $3, $4, $5, $6, $7)"),
            { id, expectedVersion, next.iccid, nullable(next.msisdn), nullable(next.imsi),
                simTypeKey(next.type), sourceKey(m_source) });
        !u)
        return u.error();
    return find(id);
}

Status SimRepository::remove(qint64 id, int expectedVersion, const QString &reason)
{
    // The reason is optional here; given, it follows the one reason rule.
    const Result<QString> why = validation::normalizeReason(reason);
    if (!why && why.error().code != ErrorCode::ReasonMissing)
        return why.error();
    // "Unused" is decided in one place, the database (simdesk_card_unused: status, holder,
    // code and history); it refuses with CardInUse or StaleVersion and writes the DELETED event.
    Result<QueryResult> d
        = runQuery(m_db, QStringLiteral("SELECT simdesk_sim_delete($1, $2, $3, $4)"),
            { id, expectedVersion, nullable(why ? *why : QString()), sourceKey(m_source) });
    if (!d)
        return d.error();
    return {};
}

} // namespace simdesk
