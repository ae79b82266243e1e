// SPDX-License-Identifier: MIT
#include "records/tariffplanrepository.h"

#include "db/sqlquery.h"

#include <QCoreApplication>

namespace simdesk {

namespace {

const QString kColumns = QStringLiteral(
    "id, code, name, sim_type, monthly_fee, data_mb, active, version, created_at, updated_at, "
    "retired_at, plan_type, description");

// numeric(10,2) as text ("12.30", "-0.50") → cents; the database's scale guarantees two
// decimals, and text keeps the value exact (no double on the way).
qint64 centsFromNumeric(const QString &text)
{
    const bool negative = text.startsWith(QLatin1Char('-'));
    const QString digits = negative ? text.mid(1) : text;
    const qsizetype dot = digits.indexOf(QLatin1Char('.'));
    const QString whole = dot < 0 ? digits : digits.left(dot);
    const QString fraction
        = dot < 0 ? QString() : (digits.mid(dot + 1) + QStringLiteral("00")).left(2);
    const qint64 cents = whole.toLongLong() * 100 + fraction.toLongLong();
    return negative ? -cents : cents;
}

// Cents → "12.34" / "-0.05": the exact decimal the numeric column stores.
QString formatCents(qint64 cents)
{
    const quint64 magnitude = cents < 0 ? quint64(-(cents + 1)) + 1 : quint64(cents);
    return QStringLiteral("%1%2.%3")
        .arg(cents < 0 ? QStringLiteral("-") : QString())
        .arg(magnitude / 100)
        .arg(magnitude % 100, 2, 10, QLatin1Char('0'));
}

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::TariffPlanRepository", text);
}

QVariantList values(const TariffPlan &p)
{
    return { p.code.trimmed().toUpper(), p.name.trimmed(),
        p.simType ? QVariant(simTypeKey(*p.simType)) : nullable(QString()),
        formatCents(p.monthlyFeeCents), nullable(p.dataMb), p.active, planTypeKey(p.type),
        p.description.trimmed() };
}

Status validate(const TariffPlan &p)
{
    if (p.code.trimmed().isEmpty())
        return Error(ErrorCode::FieldRequired, { tr("The code") });
    if (p.name.trimmed().isEmpty())
        return Error(ErrorCode::FieldRequired, { tr("The name") });
    if (p.monthlyFeeCents < 0)
        return Error(ErrorCode::InvalidArgument, { tr("The monthly fee cannot be negative.") });
    // numeric(10, 2): at most 99,999,999.99.
    if (p.monthlyFeeCents >= 10'000'000'000)
        return Error(ErrorCode::InvalidArgument, { tr("The monthly fee is too large.") });
    if (p.description.trimmed().size() > kTariffDescriptionMaxLength)
        return Error(ErrorCode::InvalidArgument,
            { tr("The description is longer than %1 characters.")
                    .arg(kTariffDescriptionMaxLength) });
    return {};
}

} // namespace

QString TariffPlanRepository::columns(const QString &alias)
{
    return qualifiedColumns(kColumns, alias);
}

TariffPlan TariffPlanRepository::fromRow(const QueryResult &q, int first)
{
    auto v = [&q, first](int i) {
        return q.value(first + i);
    };
    TariffPlan p;
    p.id = v(0).toLongLong();
    p.code = v(1).toString();
    p.name = v(2).toString();
    p.simType = simTypeFromKey(v(3).toString());
    p.monthlyFeeCents = centsFromNumeric(v(4).toString());
    if (!v(5).isNull())
        p.dataMb = v(5).toInt();
    p.active = v(6).toBool();
    p.version = v(7).toInt();
    p.createdAt = v(8).toDateTime();
    p.updatedAt = v(9).toDateTime();
    p.retiredAt = v(10).toDateTime();
    p.type = planTypeFromKey(v(11).toString()).value_or(PlanType::Mobile);
    p.description = v(12).toString();
    return p;
}

Result<QList<TariffPlan>> TariffPlanRepository::list(bool includeInactive) const
{
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT %1 FROM tariff_plans WHERE active OR $1 ORDER BY name")
            .arg(kColumns),
        { includeInactive });
    if (!q)
        return q.error();
    QList<TariffPlan> plans;
    while (q.value().next())
        plans.append(fromRow(q.value()));
    return plans;
}

Result<QHash<qint64, QMap<SimStatus, qint64>>> TariffPlanRepository::cardCounts() const
{
    // The rollup the database keeps in the same transaction as every card change
    // (sql/008_stats.sql): a few rows per plan and status, however many cards there are.
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT tariff_plan_id, status, sum(n)::bigint FROM stats_card_counts "
                       "WHERE tariff_plan_id IS NOT NULL GROUP BY 1, 2 HAVING sum(n) <> 0"));
    if (!q)
        return q.error();
    QHash<qint64, QMap<SimStatus, qint64>> counts;
    while (q.value().next()) {
        const QueryResult &r = q.value();
        if (const std::optional<SimStatus> status = statusFromKey(r.value(1).toString()))
            counts[r.value(0).toLongLong()][*status] = r.value(2).toLongLong();
    }
    return counts;
}

Result<QList<TariffPlan>> TariffPlanRepository::listFitting(SimType type) const
{
    // The database's own rule (simdesk_tariff_fits), the one activation and tariff changes
    // apply.
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT %1 FROM tariff_plans p WHERE simdesk_tariff_fits(p, $1) "
                       "ORDER BY p.name")
            .arg(columns(QStringLiteral("p"))),
        { simTypeKey(type) });
    if (!q)
        return q.error();
    QList<TariffPlan> plans;
    while (q.value().next())
        plans.append(fromRow(q.value()));
    return plans;
}

Result<TariffPlan> TariffPlanRepository::find(qint64 id) const
{
    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT %1 FROM tariff_plans WHERE id = $1").arg(kColumns),
            { id }, tr("Tariff plan %1").arg(id));
    if (!q)
        return q.error();
    return fromRow(q.value());
}

Result<TariffPlan> TariffPlanRepository::create(const TariffPlan &plan)
{
    if (Status s = validate(plan); !s)
        return s.error();
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral(
            "INSERT INTO tariff_plans (code, name, sim_type, monthly_fee, data_mb, active, "
            "plan_type, description) VALUES ($1, $2, $3, $4::numeric, $5, $6, $7, $8) "
            "RETURNING id"),
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
    if (Result<QueryResult> u = runQuery(m_db,
            QStringLiteral("UPDATE tariff_plans SET code = $1, name = $2, sim_type = $3, "
                           "monthly_fee = $4::numeric, data_mb = $5, active = $6, "
                           "plan_type = $7, description = $8 WHERE id = $9"),
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
    // A function: no role has DELETE on the table (sql/011_hardening.sql).
    if (Result<QueryResult> d
        = runQuery(m_db, QStringLiteral("SELECT simdesk_tariff_plan_delete($1)"), { id });
        !d)
        return d.error();
    return tx.commit();
}

} // namespace simdesk
