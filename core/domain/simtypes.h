// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

namespace simdesk {

enum class SimType : quint8 { Prepaid, Postpaid, DataOnly };

inline constexpr std::array<SimType, 3> kAllSimTypes { SimType::Prepaid, SimType::Postpaid,
    SimType::DataOnly };

// The value stored in the database ("prepaid", "postpaid", "data-only").
QString simTypeKey(SimType type);
std::optional<SimType> simTypeFromKey(QStringView key);
// Translated name for people.
QString simTypeDisplayName(SimType type);

} // namespace simdesk

Q_DECLARE_METATYPE(simdesk::SimType)
