// SPDX-License-Identifier: MIT
#pragma once

#include "db/dbrunner.h"
#include "domain/staff.h"
#include "ui_logindialog.h"

#include <QDialog>

#include <memory>

namespace simdesk {

// Asks for server, login and password, and checks them by connecting (off the GUI thread, on a
// runner of its own).
// Accepted only when the database let the login in and grants it a SimDesk role. The password
// stays in memory (settings()) and is never written anywhere.
class LoginDialog : public QDialog
{
    Q_OBJECT

public:
    explicit LoginDialog(const ConnectionSettings &defaults, QWidget *parent = nullptr);

    ConnectionSettings settings() const;
    SessionInfo session() const { return m_session; }

public slots:
    void accept() override;

signals:
    // A sign-in attempt ended (tests wait for it); `ok` tells whether the dialog was accepted.
    void attemptFinished(bool ok);

private:
    void setBusy(bool busy);
    void finished(const Result<SessionInfo> &result);

    Ui::LoginDialog m_ui;
    ConnectionSettings m_defaults;
    SessionInfo m_session;
    std::unique_ptr<DbRunner> m_runner;
    bool m_busy = false;
};

} // namespace simdesk
