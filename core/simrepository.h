// SPDX-License-Identifier: MIT
#pragma once

#include "lifecycle.h"
#include "result.h"

#include <QMap>
#include <QSqlDatabase>

namespace simdesk {

// Reads and writes of sim_cards. Grows with the SIM list and lifecycle issues; for now the
// overview's numbers.
class SimRepository
{
public:
    explicit SimRepository(QSqlDatabase db) : m_db(std::move(db)) { }

    // Number of SIM cards in each status; every status is present, with 0 where there are none.
    Result<QMap<SimStatus, qint64>> countByStatus() const;

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
