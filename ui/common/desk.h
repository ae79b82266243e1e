// SPDX-License-Identifier: MIT
#pragma once

#include "common/appsettings.h"
#include "common/refreshhub.h"
#include "db/dbrunner.h"
#include "domain/cardaction.h"
#include "domain/staff.h"
#include "services/lifecycleservice.h"

#include <QObject>

#include <functional>
#include <memory>

namespace simdesk {

// What every page and dialog of one signed-in window shares: who is signed in, the window's
// database runner (its one long-lived connection, and connections of their own for long work),
// the refresh hub that tells pages what changed, the user's settings, and whether the database
// is reachable right now. Made by the main window; pages and dialogs get a pointer to it.
class Desk : public QObject
{
    Q_OBJECT

public:
    Desk(ConnectionSettings connection, SessionInfo session, QObject *parent = nullptr);
    ~Desk() override;

    // Where this window connects. Its password is shared by every copy taken of it (the runner,
    // list loaders, the listener): setOwnPassword() changes it for all of them.
    const ConnectionSettings &connection() const { return m_connection; }
    // The signed-in person changed their own password: every connection this window opens from
    // now on (a reconnect after an outage too) signs in with the new one.
    void setOwnPassword(const QString &password);
    const SessionInfo &session() const { return m_session; }
    DbRunner *runner() { return &m_runner; }
    RefreshHub *hub() { return &m_hub; }
    AppSettings *settings() { return m_settings.get(); }

    // Whether the signed-in role includes `role`.
    bool roleAllows(StaffRole role) const;
    // Whether the signed-in role may do `action` to a card in `status` that holds a customer or
    // not (the card-action catalogue).
    bool allows(CardAction action, SimStatus status, bool hasCustomer) const;

    // Does `action` to one card as the desktop, on the window's connection, off the GUI thread:
    // the one way every page and dialog changes a card's status, holder or tariff. `done` hears
    // how it went on the GUI thread, while `context` lives; announcing the change is the
    // caller's (it knows which page it is).
    Task *act(QObject *context, CardAction action, const ActionRequest &request,
        std::function<void(const Status &)> done);

    // Whether the database is reachable (the listener is live); while it is not, nothing may be
    // changed and pages say so.
    bool isLive() const { return m_live; }
    void setLive(bool live);

signals:
    void liveChanged(bool live);

private:
    ConnectionSettings m_connection;
    SessionInfo m_session;
    DbRunner m_runner;
    RefreshHub m_hub;
    std::unique_ptr<AppSettings> m_settings;
    bool m_live = true;
};

} // namespace simdesk
