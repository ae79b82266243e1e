// SPDX-License-Identifier: MIT
#include "editsimdialog.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "common/fieldcheck.h"
#include "dialogsize.h"
#include "domain/validation.h"
#include "records/simrepository.h"

#include <QPushButton>

namespace simdesk {

EditSimDialog::EditSimDialog(Desk *desk, const SimCard &card, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_card(card)
{
    m_ui.setupUi(this);
    setWindowTitle(tr("Edit identifiers of SIM card %1").arg(card.iccid));
    m_ui.introLabel->setText(tr("Correct the identifiers of this card. The change is recorded "
                                "in the card's history with the old and new values."));
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Save"));
    m_ui.iccidEdit->setText(card.iccid);
    m_ui.msisdnEdit->setText(card.msisdn);
    m_ui.imsiEdit->setText(card.imsi);
    for (SimType t : kAllSimTypes)
        m_ui.typeCombo->addItem(simTypeDisplayName(t), simTypeKey(t));
    m_ui.typeCombo->setCurrentIndex(m_ui.typeCombo->findData(simTypeKey(card.type)));
    for (QLineEdit *e : { m_ui.iccidEdit, m_ui.msisdnEdit, m_ui.imsiEdit })
        connect(e, &QLineEdit::textChanged, this, [this] { validate(); });
    connect(m_ui.typeCombo, &QComboBox::currentIndexChanged, this, [this] { validate(); });
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &EditSimDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &EditSimDialog::reject);
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, [this] {
        m_reloadRequested = true;
        reject();
    });
    validate();
    m_ui.iccidEdit->setFocus();
    resize(qMax(width(), 600), height());
    growToFit(this, true);
}

std::optional<SimCardEdit> EditSimDialog::validate()
{
    SimCardEdit edit;
    bool valid = true;
    // One field: its message under it (the error, or the form it will be stored in); a change
    // goes into the edit.
    auto check = [&valid](QLineEdit *field, QLabel *message, FieldRule rule, bool optional,
                     const QString &current, std::optional<QString> &out) {
        const FieldCheck c = checkField(field, message, rule, { optional, false, current });
        valid = valid && c.valid;
        if (c.valid && c.value != current)
            out = c.value;
    };
    check(m_ui.iccidEdit, m_ui.iccidMessageLabel, validation::normalizeIccid, false, m_card.iccid,
        edit.iccid);
    check(m_ui.msisdnEdit, m_ui.msisdnMessageLabel, validation::normalizeMsisdn, true,
        m_card.msisdn, edit.msisdn);
    check(m_ui.imsiEdit, m_ui.imsiMessageLabel, validation::normalizeImsi, true, m_card.imsi,
        edit.imsi);
    const QString type = m_ui.typeCombo->currentData().toString();
    if (type != simTypeKey(m_card.type))
        edit.type = type;
    const bool changed = edit.iccid || edit.msisdn || edit.imsi || edit.type;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)
        ->setEnabled(valid && changed && !m_busy && !m_stale && m_desk->isLive());
    growToFit(this);
    if (!valid || !changed)
        return std::nullopt;
    return edit;
}

void EditSimDialog::accept()
{
    if (m_busy)
        return;
    const std::optional<SimCardEdit> edit = validate();
    if (!edit)
        return;
    m_busy = true;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_ui.errorView->clear();
    const qint64 id = m_card.id;
    const int version = m_card.version;
    const SimCardEdit change = *edit;
    m_desk->runner()->run<SimCard>(
        this,
        [id, version, change](
            QSqlDatabase db) { return SimRepository(db).edit(id, version, change); },
        [this](const Result<SimCard> &result) {
            m_busy = false;
            if (result) {
                m_card = *result;
                emit saveFinished(true);
                QDialog::accept();
                return;
            }
            m_ui.errorView->showError(result.error());
            validate();
            growToFit(this);
            emit saveFinished(false);
        });
}

void EditSimDialog::reject()
{
    if (m_busy)
        return;
    QDialog::reject();
}

void EditSimDialog::showStale(const Error &error)
{
    m_stale = true;
    m_ui.errorView->showError(error);
    validate();
}

} // namespace simdesk
