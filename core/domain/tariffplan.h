// SPDX-License-Identifier: MIT
#pragma once

#include "domain/simtypes.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace simdesk {

// What a plan sells: calls, texts and data, or data alone (routers, tablets). Which card types
// it may be activated on is TariffPlan::simType.
enum class PlanType : quint8 { Mobile, DataOnly };

QString planTypeKey(PlanType type); // "mobile", "data-only" (tariff_plans.plan_type)
std::optional<PlanType> planTypeFromKey(QStringView key);
QString planTypeDisplayName(PlanType type);

// The longest description the database takes (tariff_plans_description_check), in characters.
inline constexpr int kTariffDescriptionMaxLength = 2000;

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
    PlanType type = PlanType::Mobile;
    QString description; // free text for staff; may be empty
    bool active = true; // false: retired, no longer offered; the cards on it keep it
    QDateTime retiredAt; // when it was retired (set by the database); invalid while offered
    int version = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
};

} // namespace simdesk
