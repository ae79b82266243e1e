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

// A batch of codes issued together (ActivationCodeRepository::generateBatch).
struct CodeBatch
{
    qint64 id = 0;
    QString label;
    QString prefix;
    int length = 0;
    int count = 0;
    std::optional<QDateTime> expiresAt;
    QString createdBy;
    QDateTime createdAt;
    std::optional<QDateTime> expiredAt; // expired as a whole
};

inline constexpr std::array<CodeStatus, 3> kAllCodeStatuses { CodeStatus::Unused, CodeStatus::Used,
    CodeStatus::Expired };

QString codeStatusKey(CodeStatus status); // "UNUSED", "USED", "EXPIRED"
std::optional<CodeStatus> codeStatusFromKey(QStringView key); // in any case
QString codeStatusDisplayName(CodeStatus status); // "Unused", "Used", "Expired"

// The effective status of a code stored as `stored`: UNUSED past its expiry (at or before `now`)
// is Expired, whatever is stored. The SQL twin is simdesk_code_status() (sql/012); every read
// in the database applies that one, and tst_codelistquery proves the two equal.
CodeStatus effectiveCodeStatus(
    CodeStatus stored, const std::optional<QDateTime> &expiresAt, const QDateTime &now);

} // namespace simdesk
