// SPDX-License-Identifier: MIT
#pragma once

#include "connectionsettings.h"
#include "overviewloader.h"
#include "ui_mainwindow.h"

#include <QFutureWatcher>
#include <QMainWindow>

namespace simdesk {

// The application window. For now it shows the connection and the SIM cards per status; the
// navigation of DESIGN.md §6 grows here.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(ConnectionSettings settings, QWidget *parent = nullptr);

public slots:
    // Reloads everything from the database, off the GUI thread.
    void refresh();

signals:
    // Emitted when a refresh has finished, successfully or not (tests wait for it).
    void refreshed();

private:
    void showOverview(const Overview &overview);
    void showError(const Error &error);
    void showAbout();

    Ui::MainWindow m_ui;
    ConnectionSettings m_settings;
    QFutureWatcher<Result<Overview>> m_watcher;
};

} // namespace simdesk
