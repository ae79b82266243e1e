// SPDX-License-Identifier: MIT
#include "passworddialog.h"

#include "common/desk.h"
#include "services/staffservice.h"
#include "sims/dialogsize.h"

#include <QPushButton>

namespace simdesk {

PasswordDialog::PasswordDialog(Desk *desk, const StaffMember &member, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_member(member)
    , m_own(member.login == desk->session().login)
{
    m_ui.setupUi(this);
    if (m_own) {
        setWindowTitle(tr("Change my password"));
        m_ui.introLabel->setText(
            tr("Your new password applies at once; this window stays signed in."));
    } else {
        setWindowTitle(tr("Reset password"));
        m_ui.introLabel->setText(tr("A new password for %1 (%2). Their open sessions stay; end "
                                    "them on the staff page if the old password may be known.")
                                     .arg(member.displayName, member.login));
    }
    m_ui.currentCaption->setVisible(m_own);
    m_ui.currentPasswordEdit->setVisible(m_own);
    m_ui.passwordFields->setGenerateOffered(!m_own);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Set password"));
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &PasswordDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &PasswordDialog::reject);
    connect(m_ui.passwordFields, &NewPasswordFields::changed, this, [this] { growToFit(this); });
    (m_own ? static_cast<QWidget *>(m_ui.currentPasswordEdit) : m_ui.passwordFields)->setFocus();
    growToFit(this, true);
}

void PasswordDialog::accept()
{
    if (m_busy)
        return;
    if (const std::optional<Error> problem = m_ui.passwordFields->problem()) {
        m_ui.errorView->showError(*problem);
        growToFit(this);
        emit attemptFinished(false);
        return;
    }
    m_busy = true;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_ui.errorView->clear();
    const QString login = m_member.login;
    const QString password = m_ui.passwordFields->password();
    // For one's own password the current one is proven first, by the server, on a connection
    // of its own; the change then runs on the window's connection.
    const std::optional<QString> current
        = m_own ? std::optional<QString>(m_ui.currentPasswordEdit->text()) : std::nullopt;
    const ConnectionSettings settings = m_desk->connection();
    m_desk->runner()->run<bool>(
        this,
        [login, password, current, settings](QSqlDatabase db) -> Result<bool> {
            if (current) {
                if (Status s = StaffService::checkPassword(settings, *current); !s)
                    return s.error();
            }
            if (Status s = StaffService(db).setPassword(login, password); !s)
                return s.error();
            return true;
        },
        [this, password](const Result<bool> &result) {
            // The window reconnects with the new password from now on.
            if (result && m_own)
                m_desk->setOwnPassword(password);
            finish(result);
        });
}

void PasswordDialog::finish(const Result<bool> &result)
{
    m_busy = false;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(true);
    if (!result) {
        m_ui.errorView->showError(result.error());
        if (result.error().code == ErrorCode::CurrentPasswordWrong) {
            m_ui.currentPasswordEdit->selectAll();
            m_ui.currentPasswordEdit->setFocus();
        }
        growToFit(this);
        emit attemptFinished(false);
        return;
    }
    emit passwordSet(m_member.login);
    emit attemptFinished(true);
    QDialog::accept();
}

} // namespace simdesk
