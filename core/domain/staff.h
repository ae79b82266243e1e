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

// What a login shows of itself to an administrator: its profile, when it last changed (its
// profile, role or an audited act such as a password set), and its open sessions as the
// server reports them.
struct StaffOverview
{
    StaffMember member;
    QDateTime lastChange;
    int openSessions = 0;
    QDateTime newestSession; // invalid: no session, or the server does not say when it began
};

// How hard a new password would be to guess, as a hint while it is typed. The server's own rule
// is only the minimum length (StaffService::kMinimumPasswordLength); the rest is advice.
enum class PasswordStrength : quint8 { TooShort, Weak, Fair, Strong };

// TooShort below the minimum length; Weak for one kind of character (only letters, only
// digits) or under 12 characters; Strong from 16 characters with three kinds (lower, upper,
// digits, others), or from 20 characters; Fair otherwise.
PasswordStrength passwordStrength(QStringView password);
QString passwordStrengthDisplayName(PasswordStrength strength);

// A new random password of `length` characters (from the system's random source) of letters
// and digits that cannot be mistaken for one another when read aloud or copied by hand (no 0/O,
// 1/l/I); strong at the default length.
QString generatePassword(int length = 20);

struct NewStaffMember
{
    QString login;
    QString password; // sent to the server only as a SCRAM-SHA-256 verifier
    QString email;
    QString displayName;
    StaffRole role = StaffRole::Viewer;
};

} // namespace simdesk
