// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/staff.h"
#include "overviewloader.h"
#include "ui_mainwindow.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QMainWindow>

namespace simdesk {

// The application window. For now it shows the connection and the SIM cards per status; the
// navigation of DESIGN.md §6 grows here.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `session`: who signed in (LoginDialog); shown in the status bar and the Account menu.
    explicit MainWindow(
        ConnectionSettings settings, SessionInfo session = {}, QWidget *parent = nullptr);

    const SessionInfo &session() const { return m_session; }

public slots:
    // Reloads everything from the database, off the GUI thread.
    void refresh();

signals:
    // Emitted when a refresh has finished, successfully or not (tests wait for it).
    void refreshed();
    // The user chose Account › Log out.
    void loggedOut();

private:
    void showOverview(const Overview &overview);
    void showError(const Error &error);
    void showAbout();

    Ui::MainWindow m_ui;
    ConnectionSettings m_settings;
    SessionInfo m_session;
    QFutureWatcher<Result<Overview>> m_watcher;
};

} // namespace simdesk
