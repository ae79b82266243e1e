// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
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
    // Every login with its last change and open sessions, by login; admins only
    // (PermissionDenied otherwise: the database grants the read to admins alone).
    Result<QList<StaffOverview>> overview() const;

    // Creates the login in the chosen group and its profile. StaffLoginInvalid,
    // StaffPasswordTooShort (under 10 characters), DuplicateValue (login exists),
    // PermissionDenied (not an admin).
    Result<StaffMember> create(const NewStaffMember &member);
    Status setRole(const QString &login, StaffRole role);
    // A disabled login cannot connect any more (NOLOGIN); its history stays.
    Status setActive(const QString &login, bool active);
    // Own password, or anybody's for an admin.
    Status setPassword(const QString &login, const QString &password);
    // Ends every open session of `login` (not the caller's own) and records it; returns how many
    // ended. StaffOwnLogin for the caller's own login, NotFound, PermissionDenied.
    Result<int> endSessions(const QString &login);

    // Whether `password` is the current password of the login in `settings`, proven by signing
    // in with it once (a connection of its own, closed again). CurrentPasswordWrong when the
    // server refuses it; other connection failures as they are. A server that trusts the
    // connection without a password (a local socket set to trust) accepts any password.
    static Status checkPassword(ConnectionSettings settings, const QString &password);

    static constexpr int kMinimumPasswordLength = 10;

private:
    Result<QString> verifier(const QString &login, const QString &password) const;

    QSqlDatabase m_db;
};

} // namespace simdesk
