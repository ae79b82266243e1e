// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "domain/tariffplan.h"

#include <QList>
#include <QSqlDatabase>

namespace simdesk {

// Tariff plans: everyone reads, admins write. A plan in use cannot be deleted (deactivate it:
// it is then no longer offered for activations, and existing cards keep it).
class TariffPlanRepository
{
public:
    explicit TariffPlanRepository(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    Result<QList<TariffPlan>> list(bool includeInactive = true) const;
    Result<TariffPlan> find(qint64 id) const;
    Result<TariffPlan> create(const TariffPlan &plan);
    Result<TariffPlan> update(const TariffPlan &plan); // plan.version: the one the user saw
    Status remove(qint64 id, int expectedVersion);

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
