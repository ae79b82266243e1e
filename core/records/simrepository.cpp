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

SimCard readCard(const QueryResult &q)
{
    SimCard c;
    c.id = q.value(0).toLongLong();
    c.iccid = q.value(1).toString();
    c.msisdn = q.value(2).toString();
    c.imsi = q.value(3).toString();
    c.status = statusFromKey(q.value(4).toString()).value_or(SimStatus::Available);
    c.type = simTypeFromKey(q.value(5).toString()).value_or(SimType::Prepaid);
    c.customerId = optionalId(q.value(6));
    c.tariffPlanId = optionalId(q.value(7));
    c.activationCodeId = optionalId(q.value(8));
    c.importBatchId = optionalId(q.value(9));
    c.version = q.value(10).toInt();
    c.createdAt = q.value(11).toDateTime();
    c.updatedAt = q.value(12).toDateTime();
    c.statusChangedAt = q.value(13).toDateTime();
    c.activatedAt = optionalTime(q.value(14));
    c.terminatedAt = optionalTime(q.value(15));
    return c;
}

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

Result<SimCard> SimRepository::find(qint64 id) const
{
    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT %1 FROM sim_cards WHERE id = $1").arg(kColumns),
            { id }, cardLabel(id));
    if (!q)
        return q.error();
    return readCard(q.value());
}

Result<SimCard> SimRepository::findByIccid(const QString &iccid) const
{
    Result<QueryResult> q = runSingle(m_db,
        QStringLiteral("SELECT %1 FROM sim_cards WHERE iccid = $1").arg(kColumns), { iccid }, iccid);
    if (!q)
        return q.error();
    return readCard(q.value());
}

Error SimRepository::staleError(const SimCard &current) const
{
    QString who = QStringLiteral("?");
    QDateTime when = current.updatedAt;
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT created_by, created_at FROM sim_events "
                       "WHERE sim_id = $1 ORDER BY id DESC LIMIT 1"),
        { current.id });
    if (q && q.value().next()) {
        who = q.value().value(0).toString();
        when = q.value().value(1).toDateTime();
    }
    return Error(ErrorCode::StaleVersion,
        { QCoreApplication::translate("simdesk::SimRepository", "SIM card %1").arg(current.iccid),
            who, QLocale().toString(when.toLocalTime(), QLocale::ShortFormat) });
}

Result<QList<SimEvent>> SimRepository::history(qint64 simId) const
{
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral(
            "SELECT id, sim_id, event_type, old_status, new_status, customer_id, tariff_plan_id, "
            "import_batch_id, swap_id, note, details, created_by, created_at, operation_id, source "
            "FROM sim_events WHERE sim_id = $1 ORDER BY created_at, id"),
        { simId });
    if (!q)
        return q.error();
    QList<SimEvent> events;
    QueryResult &r = q.value();
    while (r.next()) {
        SimEvent e;
        e.id = r.value(0).toLongLong();
        e.simId = r.value(1).toLongLong();
        e.type = r.value(2).toString();
        e.oldStatus = statusFromKey(r.value(3).toString());
        e.newStatus = statusFromKey(r.value(4).toString());
        e.customerId = optionalId(r.value(5));
        e.tariffPlanId = optionalId(r.value(6));
        e.importBatchId = optionalId(r.value(7));
        e.swapId = r.value(8).toString();
        e.note = r.value(9).toString();
        e.details = r.value(10).toString();
        e.createdBy = r.value(11).toString();
        e.createdAt = r.value(12).toDateTime();
        e.operationId = r.value(13).toString();
        e.source = r.value(14).toString();
        events.append(e);
    }
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

    Result<QueryResult> q = runSingle(m_db,
        QStringLiteral("SELECT simdesk_sim_create($1, $2, $3, $4, $5, $6, $7)"),
        { *iccid, nullable(*msisdn), nullable(*imsi), simTypeKey(*type), nullable(*pin),
            nullable(*puk), sourceKey(m_source) },
        *iccid);
    if (!q)
        return q.error();
    return find(q.value().value(0).toLongLong());
}

Result<SimCard> SimRepository::edit(qint64 id, int expectedVersion, const SimCardEdit &edit)
{
    Result<SimCard> current = find(id);
    if (!current)
        return current.error();
    if (current->version != expectedVersion)
        return staleError(*current);

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
    if (next.iccid == current->iccid && next.msisdn == current->msisdn
        && next.imsi == current->imsi && next.type == current->type)
        return *current; // nothing to change, nothing to record

    // The database writes the EDITED event with old and new values.
    if (Result<QueryResult> u = runQuery(m_db,
            QStringLiteral("SELECT simdesk_sim_edit($1, $2, $3, $4, $5, $6, $7)"),
            { id, expectedVersion, next.iccid, nullable(next.msisdn), nullable(next.imsi),
                simTypeKey(next.type), sourceKey(m_source) });
        !u) {
        if (u.error().args.value(0) == QLatin1String("SD005")) {
            if (Result<SimCard> now = find(id))
                return staleError(*now);
        }
        return u.error();
    }
    return find(id);
}

Status SimRepository::remove(qint64 id, int expectedVersion, const QString &reason)
{
    Result<SimCard> current = find(id);
    if (!current)
        return current.error();
    if (current->version != expectedVersion)
        return staleError(*current);
    // "Unused" is decided in one place, the database (simdesk_card_unused: status, holder,
    // code and history); it refuses with SD004 and writes the DELETED event.
    Result<QueryResult> d = runQuery(m_db,
        QStringLiteral("SELECT simdesk_sim_delete($1, $2, $3, $4)"),
        { id, expectedVersion, nullable(reason.trimmed()), sourceKey(m_source) });
    if (!d) {
        const QString state = d.error().args.value(0);
        if (state == QLatin1String("SD004"))
            return Error(ErrorCode::CardInUse, { current->iccid }, d.error().detail);
        if (state == QLatin1String("SD005")) {
            if (Result<SimCard> now = find(id))
                return staleError(*now);
        }
        return d.error();
    }
    return {};
}

} // namespace simdesk
