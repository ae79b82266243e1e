// SPDX-License-Identifier: MIT
#include "newstaffdialog.h"

#include "common/desk.h"
#include "services/staffservice.h"
#include "sims/dialogsize.h"

#include <QPushButton>

namespace simdesk {

NewStaffDialog::NewStaffDialog(Desk *desk, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
{
    m_ui.setupUi(this);
    for (StaffRole role : kAllStaffRoles)
        m_ui.roleCombo->addItem(staffRoleDisplayName(role), staffRoleKey(role));
    m_ui.roleCombo->setCurrentIndex(int(StaffRole::Support));
    m_ui.passwordFields->setGenerateOffered(true);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Add"));
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &NewStaffDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &NewStaffDialog::reject);
    connect(m_ui.passwordFields, &NewPasswordFields::changed, this, [this] { growToFit(this); });
    growToFit(this, true);
}

void NewStaffDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
}

void NewStaffDialog::accept()
{
    if (m_busy)
        return;
    if (const std::optional<Error> problem = m_ui.passwordFields->problem()) {
        m_ui.errorView->showError(*problem);
        growToFit(this);
        emit attemptFinished(false);
        return;
    }
    NewStaffMember member;
    member.login = m_ui.loginEdit->text().trimmed();
    member.displayName = m_ui.nameEdit->text().trimmed();
    member.email = m_ui.emailEdit->text().trimmed();
    member.role
        = staffRoleFromKey(m_ui.roleCombo->currentData().toString()).value_or(StaffRole::Viewer);
    member.password = m_ui.passwordFields->password();
    m_ui.errorView->clear();
    setBusy(true);
    m_desk->runner()->run<StaffMember>(
        this, [member](QSqlDatabase db) { return StaffService(db).create(member); },
        [this](const Result<StaffMember> &result) {
            setBusy(false);
            if (!result) {
                m_ui.errorView->showError(result.error());
                growToFit(this);
                emit attemptFinished(false);
                return;
            }
            emit created(result->login);
            emit attemptFinished(true);
            QDialog::accept();
        });
}

} // namespace simdesk
