// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "domain/staff.h"

#include <QList>
#include <QSqlDatabase>

namespace simdesk {

// Staff logins and profiles. Creating and changing logins is admin-only and happens in the
// database's SECURITY DEFINER functions (sql/002_security.sql); passwords leave this process
// only as SCRAM-SHA-256 verifiers computed by libpq, never in clear.
class StaffService
{
public:
    explicit StaffService(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // The logged-in user as the database sees them.
    Result<SessionInfo> currentSession() const;

    Result<QList<StaffMember>> list() const;

    // Creates the login in the chosen group and its profile. StaffLoginInvalid,
    // StaffPasswordTooShort (under 10 characters), DuplicateValue (login exists),
    // PermissionDenied (not an admin).
    Result<StaffMember> create(const NewStaffMember &member);
    Status setRole(const QString &login, StaffRole role);
    // A disabled login cannot connect any more (NOLOGIN); its history stays.
    Status setActive(const QString &login, bool active);
    // Own password, or anybody's for an admin.
    Status setPassword(const QString &login, const QString &password);

    static constexpr int kMinimumPasswordLength = 10;

private:
    Result<QString> verifier(const QString &login, const QString &password) const;

    QSqlDatabase m_db;
};

} // namespace simdesk
