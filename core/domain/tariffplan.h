// SPDX-License-Identifier: MIT
#pragma once

#include "domain/simtypes.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace simdesk {

struct TariffPlan
{
    qint64 id = 0;
    QString code; // "POST-UNL"
    QString name;
    std::optional<SimType> simType; // nullopt: any type of card
    // Exact money: integer cents (numeric(10, 2) in the database), so no NaN, no infinity and
    // no 0.1 + 0.2 drift.
    qint64 monthlyFeeCents = 0;
    std::optional<int> dataMb; // nullopt: unlimited
    bool active = true; // false: retired, no longer offered; the cards on it keep it
    QDateTime retiredAt; // when it was retired (set by the database); invalid while offered
    int version = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
};

} // namespace simdesk
