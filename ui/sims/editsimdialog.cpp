// SPDX-License-Identifier: MIT
#include "editsimdialog.h"

#include "common/backgroundtask.h"
#include "dialogsize.h"
#include "domain/validation.h"
#include "records/simrepository.h"

#include <QPushButton>

namespace simdesk {

namespace {

const QString kErrorStyle = QStringLiteral("QLabel { color: #b3261e; }");
const QString kHintStyle = QStringLiteral("QLabel { color: palette(placeholder-text); }");

} // namespace

EditSimDialog::EditSimDialog(ConnectionSettings settings, const SimCard &card, QWidget *parent)
    : QDialog(parent)
    , m_settings(std::move(settings))
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
    m_ui.errorLabel->hide();
    m_ui.reloadButton->hide();
    m_ui.errorLabel->setStyleSheet(kErrorStyle);
    for (QLineEdit *e : { m_ui.iccidEdit, m_ui.msisdnEdit, m_ui.imsiEdit })
        connect(e, &QLineEdit::textChanged, this, [this] { validate(); });
    connect(m_ui.typeCombo, &QComboBox::currentIndexChanged, this, [this] { validate(); });
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &EditSimDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &EditSimDialog::reject);
    connect(m_ui.reloadButton, &QPushButton::clicked, this, [this] {
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
    // One field: its message under it (the error, or the form it will be stored in).
    auto check = [&valid](QLineEdit *field, QLabel *message, bool optional,
                     Result<QString> (*normalize)(QStringView), const QString &current,
                     std::optional<QString> &out) {
        const QString typed = field->text().trimmed();
        if (typed.isEmpty() && optional) {
            message->setText(current.isEmpty() ? QString() : EditSimDialog::tr("Will be removed."));
            message->setStyleSheet(kHintStyle);
            message->setVisible(!current.isEmpty());
            if (!current.isEmpty())
                out = QString();
            return;
        }
        const Result<QString> r = normalize(typed);
        if (!r) {
            message->setText(r.error().message());
            message->setStyleSheet(kErrorStyle);
            message->show();
            valid = false;
            return;
        }
        if (*r != typed) {
            message->setText(EditSimDialog::tr("Stored as %1").arg(*r));
            message->setStyleSheet(kHintStyle);
            message->show();
        } else {
            message->hide();
        }
        if (*r != current)
            out = *r;
    };
    check(m_ui.iccidEdit, m_ui.iccidMessageLabel, false, validation::normalizeIccid, m_card.iccid,
        edit.iccid);
    check(m_ui.msisdnEdit, m_ui.msisdnMessageLabel, true, validation::normalizeMsisdn,
        m_card.msisdn, edit.msisdn);
    check(m_ui.imsiEdit, m_ui.imsiMessageLabel, true, validation::normalizeImsi, m_card.imsi,
        edit.imsi);
    const QString type = m_ui.typeCombo->currentData().toString();
    if (type != simTypeKey(m_card.type))
        edit.type = type;
    const bool changed = edit.iccid || edit.msisdn || edit.imsi || edit.type;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(valid && changed && !m_busy);
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
    m_ui.errorLabel->hide();
    m_ui.reloadButton->hide();
    const qint64 id = m_card.id;
    const int version = m_card.version;
    const SimCardEdit change = *edit;
    whenReady(this,
        runWithDatabase<SimCard>(m_settings,
            [id, version, change](
                QSqlDatabase db) { return SimRepository(db).edit(id, version, change); }),
        [this](const Result<SimCard> &result) {
            m_busy = false;
            if (result) {
                m_card = *result;
                emit saveFinished(true);
                QDialog::accept();
                return;
            }
            const Error &e = result.error();
            QString text = e.message();
            if (!e.detail.isEmpty() && e.code != ErrorCode::StaleVersion)
                text += QStringLiteral("\n") + e.detail;
            m_ui.errorLabel->setText(text);
            m_ui.errorLabel->show();
            m_ui.reloadButton->setVisible(e.code == ErrorCode::StaleVersion);
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

} // namespace simdesk
