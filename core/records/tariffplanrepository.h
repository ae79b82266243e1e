// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"
#include "domain/tariffplan.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QSqlDatabase>

namespace simdesk {

class QueryResult;

// Tariff plans: everyone reads, admins write. A plan in use cannot be deleted (deactivate it:
// it is then no longer offered for activations, and existing cards keep it).
class TariffPlanRepository
{
public:
    explicit TariffPlanRepository(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    Result<QList<TariffPlan>> list(bool includeInactive = true) const;
    // The plans a card of `type` may be activated on or moved to now: offered, and for its type
    // or for any type. By name.
    Result<QList<TariffPlan>> listFitting(SimType type) const;
    Result<TariffPlan> find(qint64 id) const;
    // Cards per plan and status, from the dashboard's rollups (no scan of the cards); plans
    // without cards are absent.
    Result<QHash<qint64, QMap<SimStatus, qint64>>> cardCounts() const;
    Result<TariffPlan> create(const TariffPlan &plan);
    Result<TariffPlan> update(const TariffPlan &plan); // plan.version: the one the user saw
    Status remove(qint64 id, int expectedVersion);

    // The columns this repository reads, qualified by `alias`, and a row read from column
    // `first` on (for statements that join tariff plans with other tables).
    static QString columns(const QString &alias = {});
    static TariffPlan fromRow(const QueryResult &row, int first = 0);

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
