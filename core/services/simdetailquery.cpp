// SPDX-License-Identifier: MIT
#include "services/simdetailquery.h"

#include "db/sqlquery.h"
#include "records/customerrepository.h"
#include "records/simrepository.h"
#include "records/tariffplanrepository.h"

#include <QCoreApplication>

namespace simdesk {

namespace {

int countColumns(const QString &columns)
{
    return int(columns.count(QLatin1Char(',')) + 1);
}

} // namespace

Result<SimDetail> SimDetailQuery::load(qint64 simId) const
{
    // One row per event (one row with NULL events for a card without any): the card, customer
    // and tariff repeat on each, which costs less than a round trip for each of them.
    const QString card = SimRepository::columns(QStringLiteral("c"));
    const QString customer = CustomerRepository::columns(QStringLiteral("cu"));
    const QString tariff = TariffPlanRepository::columns(QStringLiteral("tp"));
    const QString event = SimRepository::eventColumns(QStringLiteral("e"));
    // The other card of a swap: its event has the same operation id (the swap id, indexed).
    const QString sql
        = QStringLiteral(
            "SELECT %1, %2, %3, ac.code, %4, pe.sim_id, pc.iccid "
            "FROM sim_cards c "
            "LEFT JOIN customers cu ON cu.id = c.customer_id "
            "LEFT JOIN tariff_plans tp ON tp.id = c.tariff_plan_id "
            "LEFT JOIN activation_codes ac ON ac.id = c.activation_code_id "
            "LEFT JOIN sim_events e ON e.sim_id = c.id "
            "LEFT JOIN sim_events pe ON e.swap_id IS NOT NULL AND pe.operation_id = e.operation_id "
            "AND pe.swap_id = e.swap_id AND pe.sim_id <> e.sim_id "
            "LEFT JOIN sim_cards pc ON pc.id = pe.sim_id "
            "WHERE c.id = $1 ORDER BY %5")
              .arg(card, customer, tariff, event, SimRepository::historyOrder(QStringLiteral("e")));
    Result<QueryResult> q = runQuery(m_db, sql, { simId });
    if (!q)
        return q.error();
    QueryResult &r = q.value();
    const int customerAt = countColumns(card);
    const int tariffAt = customerAt + countColumns(customer);
    const int codeAt = tariffAt + countColumns(tariff);
    const int eventAt = codeAt + 1;
    const int partnerAt = eventAt + countColumns(event);
    SimDetail d;
    bool first = true;
    while (r.next()) {
        if (first) {
            d.card = SimRepository::cardFromRow(r);
            if (!r.isNull(customerAt))
                d.customer = CustomerRepository::fromRow(r, customerAt);
            if (!r.isNull(tariffAt))
                d.tariff = TariffPlanRepository::fromRow(r, tariffAt);
            d.activationCode = r.value(codeAt).toString();
            first = false;
        }
        if (r.isNull(eventAt))
            continue;
        SimEvent e = SimRepository::eventFromRow(r, eventAt);
        e.partnerSimId = optionalId(r.value(partnerAt));
        e.partnerIccid = r.value(partnerAt + 1).toString();
        d.history.append(e);
    }
    if (first)
        return Error(ErrorCode::NotFound,
            { QCoreApplication::translate("simdesk::SimRepository", "SIM card %1").arg(simId) });
    return d;
}

} // namespace simdesk
