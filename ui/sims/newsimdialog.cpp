// SPDX-License-Identifier: MIT
#include "sims/newsimdialog.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "common/fieldcheck.h"
#include "domain/validation.h"
#include "records/simrepository.h"

#include <QPushButton>

namespace simdesk {

NewSimDialog::NewSimDialog(Desk *desk, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
{
    m_ui.setupUi(this);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    for (SimType t : kAllSimTypes)
        m_ui.typeCombo->addItem(simTypeDisplayName(t), simTypeKey(t));
    for (QLineEdit *e :
        { m_ui.iccidEdit, m_ui.msisdnEdit, m_ui.imsiEdit, m_ui.pinEdit, m_ui.pukEdit })
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
    auto check
        = [&valid](QLineEdit *field, QLabel *message, FieldRule rule, bool optional, bool secret) {
              valid = checkField(field, message, rule, { optional, secret, {} }).valid && valid;
          };
    check(m_ui.iccidEdit, m_ui.iccidMessage, validation::normalizeIccid, false, false);
    check(m_ui.msisdnEdit, m_ui.msisdnMessage, validation::normalizeMsisdn, true, false);
    check(m_ui.imsiEdit, m_ui.imsiMessage, validation::normalizeImsi, true, false);
    check(m_ui.pinEdit, m_ui.pinMessage, validation::normalizePin, true, true);
    check(m_ui.pukEdit, m_ui.pukMessage, validation::normalizePuk, true, true);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)
        ->setEnabled(valid && !m_saving && m_desk->isLive());
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
    m_ui.errorView->clear();
    validate();
    m_desk->runner()->run<SimCard>(
        this, [card](QSqlDatabase db) { return SimRepository(db).create(card); },
        [this](const Result<SimCard> &created) {
            m_saving = false;
            validate();
            if (!created) {
                m_ui.errorView->showError(created.error());
                return;
            }
            m_card = *created;
            emit this->created(m_card.id);
            QDialog::accept();
        });
}

} // namespace simdesk
