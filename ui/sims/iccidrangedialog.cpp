// SPDX-License-Identifier: MIT
#include "sims/iccidrangedialog.h"

#include "common/palette.h"
#include "domain/validation.h"

#include <QPushButton>

namespace simdesk {

IccidRangeDialog::IccidRangeDialog(QWidget *parent)
    : QDialog(parent)
{
    m_ui.setupUi(this);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Show"));
    for (QLineEdit *edit : { m_ui.firstEdit, m_ui.lastEdit })
        connect(edit, &QLineEdit::textChanged, this, &IccidRangeDialog::validate);
    validate();
}

void IccidRangeDialog::setRange(const QString &first, const QString &last)
{
    m_ui.firstEdit->setText(first);
    m_ui.lastEdit->setText(last);
}

void IccidRangeDialog::validate()
{
    // One end: empty (open), or an ICCID as validation knows it; its message beside it.
    auto check = [](QLineEdit *edit, QLabel *message, QString *value) {
        const QString typed = edit->text().trimmed();
        value->clear();
        if (typed.isEmpty()) {
            message->setText(tr("Open: no limit on this side"));
            setTextTone(message, std::nullopt);
            return true;
        }
        const Result<QString> iccid = validation::completeIccid(typed);
        if (!iccid) {
            message->setText(iccid.error().message());
            setTextTone(message, Tone::Error);
            return false;
        }
        *value = *iccid;
        message->setText(tr("✓ %1").arg(*iccid));
        setTextTone(message, Tone::Success);
        return true;
    };
    bool ok = check(m_ui.firstEdit, m_ui.firstMessageLabel, &m_first);
    ok = check(m_ui.lastEdit, m_ui.lastMessageLabel, &m_last) && ok;
    // ICCIDs of one length compare as numbers do; a range across lengths is compared as text,
    // as the database does.
    if (ok && !m_first.isEmpty() && !m_last.isEmpty() && m_first > m_last) {
        m_ui.lastMessageLabel->setText(tr("The last ICCID comes before the first."));
        setTextTone(m_ui.lastMessageLabel, Tone::Error);
        ok = false;
    }
    m_ui.buttonBox->button(QDialogButtonBox::Ok)
        ->setEnabled(ok && (!m_first.isEmpty() || !m_last.isEmpty()));
}

} // namespace simdesk
