// SPDX-License-Identifier: MIT
#include "newpasswordfields.h"

#include "common/palette.h"
#include "domain/staff.h"
#include "services/staffservice.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>

namespace simdesk {

NewPasswordFields::NewPasswordFields(QWidget *parent)
    : QWidget(parent)
{
    m_ui.setupUi(this);
    m_ui.generatedEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_ui.typeRadio, &QRadioButton::toggled, this, &NewPasswordFields::updateMode);
    connect(m_ui.newPasswordEdit, &QLineEdit::textChanged, this, &NewPasswordFields::updateHints);
    connect(
        m_ui.repeatPasswordEdit, &QLineEdit::textChanged, this, &NewPasswordFields::updateHints);
    connect(m_ui.regenerateButton, &QPushButton::clicked, this, [this] {
        m_generated = generatePassword();
        m_ui.generatedEdit->setText(m_generated);
        m_ui.copiedLabel->clear();
        emit changed();
    });
    connect(m_ui.copyButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_generated);
        m_ui.copiedLabel->setText(tr("Copied."));
    });
    updateMode();
    updateHints();
}

void NewPasswordFields::setGenerateOffered(bool offered)
{
    m_ui.modeWidget->setVisible(offered);
    if (!offered)
        m_ui.typeRadio->setChecked(true);
    updateMode();
}

bool NewPasswordFields::isGenerated() const
{
    return m_ui.generateRadio->isChecked();
}

QString NewPasswordFields::password() const
{
    return isGenerated() ? m_generated : m_ui.newPasswordEdit->text();
}

std::optional<Error> NewPasswordFields::problem() const
{
    const QString chosen = password();
    if (chosen.size() < StaffService::kMinimumPasswordLength)
        return Error(ErrorCode::StaffPasswordTooShort,
            { QString::number(chosen.size()),
                QString::number(StaffService::kMinimumPasswordLength) });
    if (chosen.contains(QChar(u'\0')))
        return Error(ErrorCode::PasswordHasNul);
    if (!isGenerated() && m_ui.repeatPasswordEdit->text() != chosen)
        return Error(ErrorCode::PasswordsDiffer);
    return std::nullopt;
}

void NewPasswordFields::clear()
{
    m_ui.newPasswordEdit->clear();
    m_ui.repeatPasswordEdit->clear();
    m_generated.clear();
    m_ui.generatedEdit->clear();
    m_ui.typeRadio->setChecked(true);
}

void NewPasswordFields::updateMode()
{
    const bool generated = isGenerated();
    m_ui.typedWidget->setVisible(!generated);
    m_ui.generatedWidget->setVisible(generated);
    if (generated && m_generated.isEmpty()) {
        m_generated = generatePassword();
        m_ui.generatedEdit->setText(m_generated);
    }
    m_ui.copiedLabel->clear();
    emit changed();
}

void NewPasswordFields::updateHints()
{
    const QString typed = m_ui.newPasswordEdit->text();
    const PasswordStrength strength = passwordStrength(typed);
    if (typed.isEmpty()) {
        m_ui.strengthLabel->setText(
            tr("At least %1 characters; longer and mixed (letters, digits, signs) is better.")
                .arg(StaffService::kMinimumPasswordLength));
        setTextTone(m_ui.strengthLabel, std::nullopt);
    } else {
        m_ui.strengthLabel->setText(tr("Strength: %1").arg(passwordStrengthDisplayName(strength)));
        switch (strength) {
        case PasswordStrength::TooShort:
        case PasswordStrength::Weak:
            setTextTone(m_ui.strengthLabel, Tone::Error);
            break;
        case PasswordStrength::Fair:
            setTextTone(m_ui.strengthLabel, Tone::Warning);
            break;
        case PasswordStrength::Strong:
            setTextTone(m_ui.strengthLabel, Tone::Success);
            break;
        }
    }
    const QString repeated = m_ui.repeatPasswordEdit->text();
    const bool differ = !repeated.isEmpty() && repeated != typed;
    m_ui.matchLabel->setText(differ ? tr("The two passwords are not the same yet.") : QString());
    setTextTone(m_ui.matchLabel, differ ? std::optional<Tone>(Tone::Error) : std::nullopt);
    emit changed();
}

} // namespace simdesk
