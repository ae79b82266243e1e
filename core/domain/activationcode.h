// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

#include <array>
#include <optional>

namespace simdesk {

enum class CodeStatus : quint8 { Unused, Used, Expired };

struct ActivationCode
{
    qint64 id = 0;
    QString code;
    // The effective status: an UNUSED code past its expiry counts as Expired everywhere
    // (computed when read, so no job has to run for it; "mark expired" stores it).
    CodeStatus status = CodeStatus::Unused;
    std::optional<QDateTime> expiresAt;
    std::optional<QDateTime> usedAt;
    std::optional<qint64> simId; // the card it activated
    QDateTime createdAt;
};

inline constexpr std::array<CodeStatus, 3> kAllCodeStatuses { CodeStatus::Unused, CodeStatus::Used,
    CodeStatus::Expired };

QString codeStatusKey(CodeStatus status); // "UNUSED", "USED", "EXPIRED"
std::optional<CodeStatus> codeStatusFromKey(QStringView key); // in any case
QString codeStatusDisplayName(CodeStatus status); // "Unused", "Used", "Expired"

} // namespace simdesk
