// SPDX-License-Identifier: MIT
#include "domain/activationcode.h"

#include "domain/vocabulary.h"

namespace simdesk {

namespace {

constexpr Word<CodeStatus> kCodeStatusWords[] = {
    { CodeStatus::Unused, "UNUSED", QT_TRANSLATE_NOOP("simdesk::CodeStatus", "Unused") },
    { CodeStatus::Used, "USED", QT_TRANSLATE_NOOP("simdesk::CodeStatus", "Used") },
    { CodeStatus::Expired, "EXPIRED", QT_TRANSLATE_NOOP("simdesk::CodeStatus", "Expired") },
};
static_assert(inEnumOrder(kCodeStatusWords, kAllCodeStatuses.size()), "one word per status");

} // namespace

QString codeStatusKey(CodeStatus status)
{
    return keyOf(kCodeStatusWords, status);
}

std::optional<CodeStatus> codeStatusFromKey(QStringView key)
{
    return valueOfKey(kCodeStatusWords, key, Qt::CaseInsensitive);
}

QString codeStatusDisplayName(CodeStatus status)
{
    return nameOf("simdesk::CodeStatus", kCodeStatusWords, status);
}

CodeStatus effectiveCodeStatus(
    CodeStatus stored, const std::optional<QDateTime> &expiresAt, const QDateTime &now)
{
    if (stored == CodeStatus::Unused && expiresAt && *expiresAt <= now)
        return CodeStatus::Expired;
    return stored;
}

} // namespace simdesk
