// SPDX-License-Identifier: MIT
#include "roledialog.h"

#include "common/desk.h"
#include "services/staffservice.h"
#include "sims/dialogsize.h"

#include <QPushButton>

namespace simdesk {

RoleDialog::RoleDialog(Desk *desk, const StaffMember &member, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_member(member)
{
    m_ui.setupUi(this);
    m_ui.introLabel->setText(tr("Role of %1 (%2):").arg(member.displayName, member.login));
    for (StaffRole role : kAllStaffRoles)
        m_ui.roleCombo->addItem(staffRoleDisplayName(role), staffRoleKey(role));
    setRole(member.role);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Change role"));
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &RoleDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &RoleDialog::reject);
    growToFit(this, true);
}

void RoleDialog::setRole(StaffRole role)
{
    m_ui.roleCombo->setCurrentIndex(m_ui.roleCombo->findData(staffRoleKey(role)));
}

void RoleDialog::accept()
{
    if (m_busy)
        return;
    const StaffRole role
        = staffRoleFromKey(m_ui.roleCombo->currentData().toString()).value_or(StaffRole::Viewer);
    if (role == m_member.role) {
        QDialog::reject(); // nothing to change
        return;
    }
    m_busy = true;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_ui.errorView->clear();
    m_desk->runner()->run<bool>(
        this,
        [login = m_member.login, role](QSqlDatabase db) -> Result<bool> {
            if (Status s = StaffService(db).setRole(login, role); !s)
                return s.error();
            return true;
        },
        [this, role](const Result<bool> &result) {
            m_busy = false;
            m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(true);
            if (!result) {
                m_ui.errorView->showError(result.error());
                growToFit(this);
                emit attemptFinished(false);
                return;
            }
            emit changed(m_member.login, role);
            emit attemptFinished(true);
            QDialog::accept();
        });
}

} // namespace simdesk
