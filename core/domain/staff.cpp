// SPDX-License-Identifier: MIT
#include "domain/staff.h"

#include "domain/vocabulary.h"

#include <QCoreApplication>
#include <QRandomGenerator>

namespace simdesk {

namespace {

constexpr Word<StaffRole> kRoleWords[] = {
    { StaffRole::Viewer, "viewer", QT_TRANSLATE_NOOP("simdesk::StaffRole", "Viewer") },
    { StaffRole::Support, "support", QT_TRANSLATE_NOOP("simdesk::StaffRole", "Support") },
    { StaffRole::Admin, "admin", QT_TRANSLATE_NOOP("simdesk::StaffRole", "Administrator") },
};
static_assert(inEnumOrder(kRoleWords, kAllStaffRoles.size()), "one word per role");

} // namespace

QString staffRoleKey(StaffRole role)
{
    return keyOf(kRoleWords, role);
}

std::optional<StaffRole> staffRoleFromKey(QStringView key)
{
    return valueOfKey(kRoleWords, key, Qt::CaseInsensitive);
}

QString staffRoleDisplayName(StaffRole role)
{
    return nameOf("simdesk::StaffRole", kRoleWords, role);
}

PasswordStrength passwordStrength(QStringView password)
{
    // The same minimum as StaffService::kMinimumPasswordLength (core/services cannot be
    // included from domain; tst_password checks that both say the same).
    constexpr int kMinimum = 10;
    const qsizetype length = password.size();
    if (length < kMinimum)
        return PasswordStrength::TooShort;
    bool lower = false, upper = false, digit = false, other = false;
    for (QChar c : password) {
        if (c.isLower())
            lower = true;
        else if (c.isUpper())
            upper = true;
        else if (c.isDigit())
            digit = true;
        else
            other = true;
    }
    const int kinds = int(lower) + int(upper) + int(digit) + int(other);
    if (length >= 20 || (length >= 16 && kinds >= 3))
        return PasswordStrength::Strong;
    if (kinds <= 1 || length < 12)
        return PasswordStrength::Weak;
    return PasswordStrength::Fair;
}

QString passwordStrengthDisplayName(PasswordStrength strength)
{
    switch (strength) {
    case PasswordStrength::TooShort:
        return QCoreApplication::translate("simdesk::PasswordStrength", "Too short");
    case PasswordStrength::Weak:
        return QCoreApplication::translate("simdesk::PasswordStrength", "Weak");
    case PasswordStrength::Fair:
        return QCoreApplication::translate("simdesk::PasswordStrength", "Fair");
    case PasswordStrength::Strong:
        return QCoreApplication::translate("simdesk::PasswordStrength", "Strong");
    }
    return {};
}

QString generatePassword(int length)
{
    static constexpr char kAlphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    constexpr int kSize = int(sizeof(kAlphabet)) - 1;
    QString password;
    password.reserve(length);
    QRandomGenerator *random = QRandomGenerator::system();
    for (int i = 0; i < length; ++i)
        password += QLatin1Char(kAlphabet[random->bounded(kSize)]);
    return password;
}

} // namespace simdesk
