// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "login/logindialog.h"
#include "main/mainwindow.h"

#include <QObject>
#include <QPointer>

namespace simdesk {

// The life of one SimDesk process: sign in, work in a window, and on Log out sign in again — as
// the same person or someone else — without restarting; closing the window (or cancelling the
// sign-in) ends it. Each signed-in window is made new, with its own Desk (connections, settings
// of that login), and the previous one is gone before the next sign-in is asked for.
class SessionFlow : public QObject
{
    Q_OBJECT

public:
    explicit SessionFlow(ConnectionSettings defaults, QObject *parent = nullptr);
    ~SessionFlow() override;

    // Shows the sign-in dialog.
    void start();
    LoginDialog *loginDialog() const { return m_login; }
    MainWindow *window() const { return m_window; }

signals:
    void signInShown(simdesk::LoginDialog *dialog);
    void signedIn(simdesk::MainWindow *window);
    // The person closed the window or cancelled the sign-in: SimDesk ends.
    void finished();

private:
    void openWindow();
    void logOut();

    ConnectionSettings m_last; // where the next sign-in starts (no password)
    QPointer<LoginDialog> m_login;
    QPointer<MainWindow> m_window;
    bool m_loggingOut = false;
};

} // namespace simdesk
