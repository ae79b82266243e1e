// SPDX-License-Identifier: MIT
#pragma once

#include "domain/staff.h"
#include "ui_roledialog.h"

#include <QDialog>

namespace simdesk {

class Desk;

// Changes one login's role (StaffService::setRole: its group in the database and its profile,
// recorded in the audit log). The database's refusal to leave SimDesk without an active
// administrator is shown here, in the dialog, as a sentence.
class RoleDialog : public QDialog
{
    Q_OBJECT

public:
    RoleDialog(Desk *desk, const StaffMember &member, QWidget *parent = nullptr);

    void setRole(StaffRole role);

public slots:
    void accept() override;

signals:
    void changed(const QString &login, simdesk::StaffRole role);
    // The attempt ended (tests wait for it).
    void attemptFinished(bool ok);

private:
    Ui::RoleDialog m_ui;
    Desk *m_desk;
    StaffMember m_member;
    bool m_busy = false;
};

} // namespace simdesk
