// SPDX-License-Identifier: MIT
#include "records/simrepository.h"

#include "db/database.h"
#include "db/sqlquery.h"
#include "domain/validation.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSqlError>
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
    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT %1 FROM sim_cards WHERE iccid = $1").arg(kColumns),
            { iccid }, iccid);
    if (!q)
        return q.error();
    return readCard(q.value());
}

Result<SimCard> SimRepository::lockForUpdate(qint64 id) const
{
    Result<QueryResult> q = runSingle(m_db,
        QStringLiteral("SELECT %1 FROM sim_cards WHERE id = $1 FOR UPDATE").arg(kColumns), { id },
        cardLabel(id));
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
            "import_batch_id, swap_id, note, details, created_by, created_at "
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

    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("INSERT INTO sim_cards (iccid, msisdn, imsi, sim_type) "
                       "VALUES ($1, $2, $3, $4) RETURNING id"),
        { *iccid, nullable(*msisdn), nullable(*imsi), simTypeKey(*type) });
    if (!q)
        return q.error();
    q.value().next();
    const qint64 id = q.value().value(0).toLongLong();
    if (!pin->isEmpty() || !puk->isEmpty()) {
        if (Result<QueryResult> s
            = runQuery(m_db, QStringLiteral("SELECT simdesk_set_secrets($1, $2, $3)"),
                { id, nullable(*pin), nullable(*puk) });
            !s)
            return s.error();
    }
    if (Result<QueryResult> e = runQuery(m_db,
            QStringLiteral("INSERT INTO sim_events (sim_id, event_type, new_status) "
                           "VALUES ($1, 'CREATED', 'AVAILABLE')"),
            { id });
        !e)
        return e.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(id);
}

Result<SimCard> SimRepository::edit(qint64 id, int expectedVersion, const SimCardEdit &edit)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    Result<SimCard> current = lockForUpdate(id);
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

    QJsonObject changes;
    auto note = [&](const char *field, const QString &before, const QString &after) {
        if (before != after)
            changes.insert(QLatin1String(field),
                QJsonObject {
                    { QStringLiteral("old"), before }, { QStringLiteral("new"), after } });
    };
    note("iccid", current->iccid, next.iccid);
    note("msisdn", current->msisdn, next.msisdn);
    note("imsi", current->imsi, next.imsi);
    note("sim_type", simTypeKey(current->type), simTypeKey(next.type));
    if (changes.isEmpty())
        return *current; // nothing to change, nothing to record

    if (Result<QueryResult> u = runQuery(m_db,
            QStringLiteral("UPDATE sim_cards SET iccid = $1, msisdn = $2, imsi = $3, "
                           "sim_type = $4 WHERE id = $5"),
            { next.iccid, nullable(next.msisdn), nullable(next.imsi), simTypeKey(next.type), id });
        !u)
        return u.error();
    if (Result<QueryResult> e = runQuery(m_db,
            QStringLiteral(
                "INSERT INTO sim_events (sim_id, event_type, old_status, new_status, details) "
                "VALUES ($1, 'EDITED', $2, $3, CAST($4 AS jsonb))"),
            { id, statusKey(current->status), statusKey(current->status),
                QString::fromUtf8(QJsonDocument(changes).toJson(QJsonDocument::Compact)) });
        !e)
        return e.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(id);
}

Status SimRepository::remove(qint64 id, int expectedVersion)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s;
    Result<SimCard> current = lockForUpdate(id);
    if (!current)
        return current.error();
    if (current->version != expectedVersion)
        return staleError(*current);
    if (current->status != SimStatus::Available || current->customerId || current->activationCodeId)
        return Error(ErrorCode::CardInUse, { current->iccid });
    // The trigger checks the history too (SD004); say it in our words.
    Result<QueryResult> d
        = runQuery(m_db, QStringLiteral("DELETE FROM sim_cards WHERE id = $1"), { id });
    if (!d) {
        if (d.error().code == ErrorCode::ConstraintViolation
            && d.error().args.value(0) == QLatin1String("SD004"))
            return Error(ErrorCode::CardInUse, { current->iccid }, d.error().detail);
        return d.error();
    }
    return tx.commit();
}

} // namespace simdesk
