// SPDX-License-Identifier: MIT
#pragma once

#include "ui_accountpage.h"

#include <QWidget>

namespace simdesk {

class Desk;

// Who is signed in: login, name, e-mail, role and server; change one's own password (the current
// one asked first, PasswordDialog) and log out (back to the sign-in dialog, SessionFlow).
class AccountPage : public QWidget
{
    Q_OBJECT

public:
    explicit AccountPage(Desk *desk, QWidget *parent = nullptr);

public slots:
    void changePassword();

signals:
    void signOutRequested();

private:
    Ui::AccountPage m_ui;
    Desk *m_desk;
};

} // namespace simdesk
