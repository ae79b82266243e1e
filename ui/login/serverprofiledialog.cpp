// SPDX-License-Identifier: MIT
#include "login/serverprofiledialog.h"

#include "common/errorview.h"
#include "common/palette.h"

#include <QFileDialog>
#include <QPushButton>

namespace simdesk {

ServerProfileDialog::ServerProfileDialog(
    const ServerProfile &profile, QStringList taken, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_taken(std::move(taken))
{
    m_ui.setupUi(this);
    setWindowTitle(profile.name.isEmpty() ? tr("New server profile") : tr("Edit server profile"));
    // libpq's sslmode values, the safe one first; "automatic" is SimDesk's own rule.
    m_ui.tlsCombo->addItem(
        tr("Automatic (verify the certificate, except on this computer)"), QString());
    m_ui.tlsCombo->addItem(
        tr("Verify the certificate and the server name"), QStringLiteral("verify-full"));
    m_ui.tlsCombo->addItem(tr("Verify the certificate only"), QStringLiteral("verify-ca"));
    m_ui.tlsCombo->addItem(tr("Encrypt, check nothing"), QStringLiteral("require"));
    m_ui.tlsCombo->addItem(tr("Encrypt if the server offers it"), QStringLiteral("prefer"));
    m_ui.tlsCombo->addItem(tr("Never encrypt"), QStringLiteral("disable"));
    m_ui.nameEdit->setText(profile.name);
    m_ui.hostEdit->setText(profile.host);
    m_ui.portSpin->setValue(profile.port > 0 ? profile.port : 0);
    m_ui.databaseEdit->setText(profile.database);
    m_ui.tlsCombo->setCurrentIndex(qMax(0, m_ui.tlsCombo->findData(profile.tlsMode)));
    m_ui.caFileEdit->setText(profile.caFile);
    connect(m_ui.caBrowseButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificate"),
            m_ui.caFileEdit->text(), tr("Certificates (*.crt *.pem *.cer);;All files (*)"));
        if (!file.isEmpty())
            m_ui.caFileEdit->setText(file);
    });
    // A refusal speaks of what was typed: typing again takes it away.
    for (QLineEdit *edit : { m_ui.nameEdit, m_ui.hostEdit, m_ui.caFileEdit })
        connect(edit, &QLineEdit::textEdited, m_ui.errorView, &ErrorView::clear);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Save"));
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &ServerProfileDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &ServerProfileDialog::reject);
    m_ui.nameEdit->setFocus();
}

ServerProfile ServerProfileDialog::profile() const
{
    ServerProfile p = m_profile;
    p.name = m_ui.nameEdit->text().simplified();
    p.host = m_ui.hostEdit->text().trimmed();
    p.port = m_ui.portSpin->value() > 0 ? m_ui.portSpin->value() : -1;
    p.database = m_ui.databaseEdit->text().trimmed();
    p.tlsMode = m_ui.tlsCombo->currentData().toString();
    p.caFile = m_ui.caFileEdit->text().trimmed();
    return p;
}

void ServerProfileDialog::accept()
{
    const ServerProfile p = profile();
    QString problem;
    if (p.name.isEmpty())
        problem = tr("Give the profile a name, such as the office or the purpose of the server.");
    else if (m_taken.contains(p.name, Qt::CaseInsensitive))
        problem = tr("There is already a profile named “%1”. Choose another name.").arg(p.name);
    // libpq's options are separated by ';' on their way through Qt's driver.
    else if (p.caFile.contains(QLatin1Char(';')) || p.host.contains(QLatin1Char(';')))
        problem = tr("The server name and the CA file cannot contain “;”.");
    if (!problem.isEmpty()) {
        m_ui.errorView->showMessage(Tone::Error, problem);
        return;
    }
    m_ui.errorView->clear();
    QDialog::accept();
}

} // namespace simdesk
