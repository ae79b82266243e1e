// SPDX-License-Identifier: MIT
#include "domain/staff.h"

#include "domain/vocabulary.h"

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

} // namespace simdesk
