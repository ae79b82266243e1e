// SPDX-License-Identifier: MIT
#include "domain/tariffplan.h"

#include <QCoreApplication>

namespace simdesk {

QString planTypeKey(PlanType type)
{
    return type == PlanType::DataOnly ? QStringLiteral("data-only") : QStringLiteral("mobile");
}

std::optional<PlanType> planTypeFromKey(QStringView key)
{
    if (key.compare(QLatin1String("mobile"), Qt::CaseInsensitive) == 0)
        return PlanType::Mobile;
    if (key.compare(QLatin1String("data-only"), Qt::CaseInsensitive) == 0)
        return PlanType::DataOnly;
    return std::nullopt;
}

QString planTypeDisplayName(PlanType type)
{
    return type == PlanType::DataOnly
        ? QCoreApplication::translate("simdesk::PlanType", "Data only")
        : QCoreApplication::translate("simdesk::PlanType", "Mobile");
}

} // namespace simdesk
