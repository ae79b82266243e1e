// SPDX-License-Identifier: MIT
#include "accountpage.h"

#include "common/desk.h"
#include "passworddialog.h"

namespace simdesk {

AccountPage::AccountPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    m_ui.setupUi(this);
    const SessionInfo &s = desk->session();
    m_ui.loginValue->setText(s.login);
    m_ui.nameValue->setText(s.displayName);
    m_ui.emailValue->setText(s.email.isEmpty() ? tr("(none)") : s.email);
    m_ui.roleValue->setText(s.role ? staffRoleDisplayName(*s.role) : QString());
    m_ui.serverValue->setText(desk->connection().describe());
    connect(m_ui.passwordButton, &QPushButton::clicked, this, &AccountPage::changePassword);
    connect(m_ui.signOutButton, &QPushButton::clicked, this, &AccountPage::signOutRequested);
    connect(m_desk, &Desk::liveChanged, m_ui.passwordButton, &QWidget::setEnabled);
}

void AccountPage::changePassword()
{
    const SessionInfo &s = m_desk->session();
    StaffMember me;
    me.login = s.login;
    me.displayName = s.displayName;
    me.email = s.email;
    me.role = s.role.value_or(StaffRole::Viewer);
    auto *dialog = new PasswordDialog(m_desk, me, this);
    dialog->setObjectName(QStringLiteral("passwordDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PasswordDialog::passwordSet, this, [this] {
        m_ui.errorView->showMessage(Tone::Success,
            tr("Your password was changed. Use the new one the next time you sign in."));
    });
    dialog->open();
}

} // namespace simdesk
