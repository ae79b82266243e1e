// SPDX-License-Identifier: MIT
#include "sims/newsimdialog.h"

#include "common/backgroundtask.h"
#include "domain/validation.h"
#include "records/simrepository.h"

#include <QPushButton>

namespace simdesk {

namespace {
const QString kErrorStyle = QStringLiteral("QLabel { color: #b3261e; }");
const QString kHintStyle = QStringLiteral("QLabel { color: palette(placeholder-text); }");
} // namespace

NewSimDialog::NewSimDialog(ConnectionSettings settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(std::move(settings))
{
    m_ui.setupUi(this);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    for (SimType t : kAllSimTypes)
        m_ui.typeCombo->addItem(simTypeDisplayName(t), simTypeKey(t));
    m_ui.errorLabel->hide();
    for (QLineEdit *e : { m_ui.iccidEdit, m_ui.msisdnEdit, m_ui.imsiEdit, m_ui.pinEdit, m_ui.pukEdit })
        connect(e, &QLineEdit::textChanged, this, [this] { validate(); });
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &NewSimDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
    m_ui.iccidEdit->setFocus();
}

bool NewSimDialog::validate()
{
    bool valid = true;
    // One field: the error under it, or how it will be stored when that differs from the input.
    auto check = [&valid](QLineEdit *field, QLabel *message, bool optional, bool secret,
                     Result<QString> (*normalize)(QStringView)) {
        const QString typed = field->text().trimmed();
        message->clear();
        message->hide();
        if (typed.isEmpty()) {
            if (!optional)
                valid = false; // required: OK stays disabled, no scolding before typing
            return;
        }
        const Result<QString> r = normalize(typed);
        if (!r) {
            message->setText(r.error().message());
            message->setStyleSheet(kErrorStyle);
            message->show();
            valid = false;
        } else if (*r != typed && !secret) {
            message->setText(NewSimDialog::tr("Stored as %1").arg(*r));
            message->setStyleSheet(kHintStyle);
            message->show();
        }
    };
    check(m_ui.iccidEdit, m_ui.iccidMessage, false, false, validation::normalizeIccid);
    check(m_ui.msisdnEdit, m_ui.msisdnMessage, true, false, validation::normalizeMsisdn);
    check(m_ui.imsiEdit, m_ui.imsiMessage, true, false, validation::normalizeImsi);
    check(m_ui.pinEdit, m_ui.pinMessage, true, true, validation::normalizePin);
    check(m_ui.pukEdit, m_ui.pukMessage, true, true, validation::normalizePuk);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(valid && !m_saving);
    return valid;
}

void NewSimDialog::accept()
{
    if (m_saving || !validate())
        return;
    NewSimCard card;
    card.iccid = m_ui.iccidEdit->text();
    card.msisdn = m_ui.msisdnEdit->text();
    card.imsi = m_ui.imsiEdit->text();
    card.pin = m_ui.pinEdit->text();
    card.puk = m_ui.pukEdit->text();
    card.type = m_ui.typeCombo->currentData().toString();
    m_saving = true;
    m_ui.errorLabel->hide();
    validate();
    whenReady(this,
        runWithDatabase<SimCard>(m_settings, [card](QSqlDatabase db) { return SimRepository(db).create(card); }),
        [this](const Result<SimCard> &created) {
            m_saving = false;
            validate();
            if (!created) {
                m_ui.errorLabel->setText(created.error().message());
                m_ui.errorLabel->show();
                return;
            }
            m_card = *created;
            emit this->created(m_card.id);
            QDialog::accept();
        });
}

} // namespace simdesk
