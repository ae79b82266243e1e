// SPDX-License-Identifier: MIT
#include "domain/simtypes.h"

#include <QCoreApplication>

namespace simdesk {

QString simTypeKey(SimType type)
{
    switch (type) {
    case SimType::Prepaid:
        return QStringLiteral("prepaid");
    case SimType::Postpaid:
        return QStringLiteral("postpaid");
    case SimType::DataOnly:
        return QStringLiteral("data-only");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<SimType> simTypeFromKey(QStringView key)
{
    for (SimType t : kAllSimTypes) {
        if (key == simTypeKey(t))
            return t;
    }
    return std::nullopt;
}

QString simTypeDisplayName(SimType type)
{
    switch (type) {
    case SimType::Prepaid:
        return QCoreApplication::translate("simdesk::SimType", "Prepaid");
    case SimType::Postpaid:
        return QCoreApplication::translate("simdesk::SimType", "Postpaid");
    case SimType::DataOnly:
        return QCoreApplication::translate("simdesk::SimType", "Data only");
    }
    Q_UNREACHABLE();
    return {};
}

} // namespace simdesk
