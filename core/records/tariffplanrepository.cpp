// SPDX-License-Identifier: MIT
#include "records/tariffplanrepository.h"

#include "db/sqlquery.h"

#include <QCoreApplication>

namespace simdesk {

namespace {

const QString kColumns = QStringLiteral(
    "id, code, name, sim_type, monthly_fee, data_mb, active, version, created_at, updated_at");

TariffPlan readPlan(const QSqlQuery &q)
{
    TariffPlan p;
    p.id = q.value(0).toLongLong();
    p.code = q.value(1).toString();
    p.name = q.value(2).toString();
    p.simType = simTypeFromKey(q.value(3).toString());
    p.monthlyFee = q.value(4).toDouble();
    if (!q.value(5).isNull())
        p.dataMb = q.value(5).toInt();
    p.active = q.value(6).toBool();
    p.version = q.value(7).toInt();
    p.createdAt = q.value(8).toDateTime();
    p.updatedAt = q.value(9).toDateTime();
    return p;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::TariffPlanRepository", text);
}

QVariantList values(const TariffPlan &p)
{
    return { p.code.trimmed().toUpper(), p.name.trimmed(),
        p.simType ? QVariant(simTypeKey(*p.simType)) : nullable(QString()), p.monthlyFee,
        nullable(p.dataMb), p.active };
}

Status validate(const TariffPlan &p)
{
    if (p.code.trimmed().isEmpty())
        return Error(ErrorCode::FieldRequired, { tr("The code") });
    if (p.name.trimmed().isEmpty())
        return Error(ErrorCode::FieldRequired, { tr("The name") });
    if (p.monthlyFee < 0)
        return Error(ErrorCode::InvalidArgument, { tr("The monthly fee cannot be negative.") });
    return {};
}

} // namespace

Result<QList<TariffPlan>> TariffPlanRepository::list(bool includeInactive) const
{
    Result<QSqlQuery> q = runQuery(m_db,
        QStringLiteral("SELECT %1 FROM tariff_plans WHERE active OR ? ORDER BY name").arg(kColumns),
        { includeInactive });
    if (!q)
        return q.error();
    QList<TariffPlan> plans;
    while (q.value().next())
        plans.append(readPlan(q.value()));
    return plans;
}

Result<TariffPlan> TariffPlanRepository::find(qint64 id) const
{
    Result<QSqlQuery> q
        = runSingle(m_db, QStringLiteral("SELECT %1 FROM tariff_plans WHERE id = ?").arg(kColumns),
            { id }, tr("Tariff plan %1").arg(id));
    if (!q)
        return q.error();
    return readPlan(q.value());
}

Result<TariffPlan> TariffPlanRepository::create(const TariffPlan &plan)
{
    if (Status s = validate(plan); !s)
        return s.error();
    Result<QSqlQuery> q = runQuery(m_db,
        QStringLiteral(
            "INSERT INTO tariff_plans (code, name, sim_type, monthly_fee, data_mb, active) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"),
        values(plan));
    if (!q)
        return q.error();
    q.value().next();
    return find(q.value().value(0).toLongLong());
}

Result<TariffPlan> TariffPlanRepository::update(const TariffPlan &plan)
{
    if (Status s = validate(plan); !s)
        return s.error();
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    if (Result<QString> locked = lockAtVersion(m_db, QStringLiteral("tariff_plans"),
            QStringLiteral("name"), plan.id, plan.version, tr("Tariff plan %1"));
        !locked)
        return locked.error();
    QVariantList v = values(plan);
    v << plan.id;
    if (Result<QSqlQuery> u = runQuery(m_db,
            QStringLiteral("UPDATE tariff_plans SET code = ?, name = ?, sim_type = ?, "
                           "monthly_fee = ?, data_mb = ?, active = ? WHERE id = ?"),
            v);
        !u)
        return u.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(plan.id);
}

Status TariffPlanRepository::remove(qint64 id, int expectedVersion)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s;
    if (Result<QString> locked = lockAtVersion(m_db, QStringLiteral("tariff_plans"),
            QStringLiteral("name"), id, expectedVersion, tr("Tariff plan %1"));
        !locked)
        return locked.error();
    if (Result<QSqlQuery> d
        = runQuery(m_db, QStringLiteral("DELETE FROM tariff_plans WHERE id = ?"), { id });
        !d)
        return d.error();
    return tx.commit();
}

} // namespace simdesk
