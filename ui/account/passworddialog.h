// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "domain/staff.h"
#include "ui_passworddialog.h"

#include <QDialog>

namespace simdesk {

class Desk;

// Sets a login's password. For one's own login the current password is asked first and proven
// by signing in with it once (StaffService::checkPassword); an administrator resetting someone
// else's may type one or generate one (shown once, with Copy). The password leaves the
// workstation only as a SCRAM-SHA-256 verifier; the database records that it was set.
class PasswordDialog : public QDialog
{
    Q_OBJECT

public:
    PasswordDialog(Desk *desk, const StaffMember &member, QWidget *parent = nullptr);

    bool isOwn() const { return m_own; }

public slots:
    void accept() override;

signals:
    void passwordSet(const QString &login);
    // The attempt ended (tests wait for it).
    void attemptFinished(bool ok);

private:
    void finish(const Result<bool> &result);

    Ui::PasswordDialog m_ui;
    Desk *m_desk;
    StaffMember m_member;
    bool m_own = false;
    bool m_busy = false;
};

} // namespace simdesk
