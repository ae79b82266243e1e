// SPDX-License-Identifier: MIT
#pragma once

#include "domain/customer.h"
#include "domain/result.h"
#include "domain/simcard.h"
#include "domain/tariffplan.h"

#include <QSqlDatabase>

#include <optional>

namespace simdesk {

// Everything the detail page shows of one card.
struct SimDetail
{
    SimCard card;
    std::optional<Customer> customer;
    std::optional<TariffPlan> tariff;
    QString activationCode; // the code that activated the card, when one did
    QList<SimEvent> history; // in history order (SimRepository::historyOrder), swaps with partner
};

// Reads one card with its customer, tariff plan, activation code and history in one statement
// (one round trip, one snapshot: the history always belongs to the card as shown). NotFound when
// there is no such card.
class SimDetailQuery
{
public:
    explicit SimDetailQuery(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    Result<SimDetail> load(qint64 simId) const;

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
