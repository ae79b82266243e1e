// SPDX-License-Identifier: MIT
#include "logindialog.h"

#include "common/errorview.h"
#include "services/staffservice.h"

#include <QPushButton>

namespace simdesk {

LoginDialog::LoginDialog(const ConnectionSettings &defaults, QWidget *parent)
    : QDialog(parent)
    , m_defaults(defaults)
{
    m_ui.setupUi(this);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Sign in"));
    // Show what libpq would use, so that people see where they are signing in.
    m_ui.hostEdit->setText(
        defaults.host.isEmpty() ? qEnvironmentVariable("PGHOST") : defaults.host);
    m_ui.portSpin->setValue(
        defaults.port > 0 ? defaults.port : qEnvironmentVariable("PGPORT").toInt());
    m_ui.databaseEdit->setText(
        defaults.database.isEmpty() ? qEnvironmentVariable("PGDATABASE") : defaults.database);
    m_ui.userEdit->setText(
        defaults.user.isEmpty() ? qEnvironmentVariable("PGUSER") : defaults.user);
    m_ui.busyLabel->hide();
    (m_ui.userEdit->text().isEmpty() ? m_ui.userEdit : m_ui.passwordEdit)->setFocus();

    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &LoginDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &LoginDialog::reject);
}

void LoginDialog::finished(const Result<SessionInfo> &result)
{
    setBusy(false);
    m_runner.reset(); // the window opens connections of its own
    if (result && result->role) {
        m_session = *result;
        QDialog::accept();
        emit attemptFinished(true);
        return;
    }
    m_ui.errorView->showError(
        result ? Error(ErrorCode::NoSimDeskRole, { result->login }) : result.error());
    m_ui.passwordEdit->selectAll();
    m_ui.passwordEdit->setFocus();
    emit attemptFinished(false);
}

ConnectionSettings LoginDialog::settings() const
{
    ConnectionSettings s = m_defaults;
    s.host = m_ui.hostEdit->text().trimmed();
    s.port = m_ui.portSpin->value() > 0 ? m_ui.portSpin->value() : -1;
    s.database = m_ui.databaseEdit->text().trimmed();
    s.user = m_ui.userEdit->text().trimmed();
    s.password = m_ui.passwordEdit->text();
    return s;
}

void LoginDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_ui.busyLabel->setVisible(busy);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    for (QWidget *w : { static_cast<QWidget *>(m_ui.hostEdit),
             static_cast<QWidget *>(m_ui.portSpin), static_cast<QWidget *>(m_ui.databaseEdit),
             static_cast<QWidget *>(m_ui.userEdit), static_cast<QWidget *>(m_ui.passwordEdit) })
        w->setEnabled(!busy);
}

void LoginDialog::accept()
{
    if (m_busy)
        return;
    m_ui.errorView->clear();
    setBusy(true);
    // A runner for this attempt's settings: its connection closes with it.
    m_runner = std::make_unique<DbRunner>(settings());
    m_runner->run<SessionInfo>(
        this, [](QSqlDatabase db) { return StaffService(db).currentSession(); },
        [this](const Result<SessionInfo> &result) { finished(result); });
}

} // namespace simdesk
