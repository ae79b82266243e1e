// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

#include <array>
#include <optional>

namespace simdesk {

// What a login may do; each is a PostgreSQL group role (simdesk_viewer, …) that includes the
// one before it.
enum class StaffRole : quint8 { Viewer, Support, Admin };

inline constexpr std::array<StaffRole, 3> kAllStaffRoles { StaffRole::Viewer, StaffRole::Support,
    StaffRole::Admin };

QString staffRoleKey(StaffRole role); // "viewer", "support", "admin"
std::optional<StaffRole> staffRoleFromKey(QStringView key); // in any case
QString staffRoleDisplayName(StaffRole role);
// Whether `role` includes everything `needed` may do.
constexpr bool roleAllows(StaffRole role, StaffRole needed)
{
    return int(role) >= int(needed);
}

// A staff member: a database login and its profile row.
struct StaffMember
{
    qint64 id = 0;
    QString login;
    QString email;
    QString displayName;
    StaffRole role = StaffRole::Viewer;
    bool active = true;
    QDateTime createdAt;
};

// Who this connection is: the database login, the role the database grants it (from group
// membership, not from anything the client says), and the profile when there is one.
struct SessionInfo
{
    QString login;
    std::optional<StaffRole> role; // nullopt: the login is in no SimDesk group
    QString displayName; // the login when there is no profile
    QString email;
};

struct NewStaffMember
{
    QString login;
    QString password; // sent to the server only as a SCRAM-SHA-256 verifier
    QString email;
    QString displayName;
    StaffRole role = StaffRole::Viewer;
};

} // namespace simdesk
