// SPDX-License-Identifier: MIT
#include "codes/codereasondialog.h"

#include "common/desk.h"
#include "common/palette.h"
#include "domain/validation.h"

#include <QPushButton>

namespace simdesk {

CodeReasonDialog::CodeReasonDialog(Desk *desk, const QString &title, const QString &prompt,
    const QString &okText, Work work, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_work(std::move(work))
{
    m_ui.setupUi(this);
    setWindowTitle(title);
    m_ui.promptLabel->setText(prompt);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(okText);
    connect(m_ui.reasonEdit, &QLineEdit::textChanged, this, &CodeReasonDialog::check);
    connect(m_desk, &Desk::liveChanged, this, &CodeReasonDialog::check);
    check();
}

QString CodeReasonDialog::reason() const
{
    return m_ui.reasonEdit->text();
}

void CodeReasonDialog::check()
{
    const Result<QString> r = validation::normalizeReason(m_ui.reasonEdit->text());
    // Nothing typed yet is not an error to show, only a reason to wait.
    const bool typed = !m_ui.reasonEdit->text().isEmpty();
    m_ui.checkLabel->setText(r || !typed ? QString() : r.error().message());
    setTextTone(m_ui.checkLabel, r ? std::nullopt : std::optional<Tone>(Tone::Error));
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(r.ok() && !m_busy && m_desk->isLive());
}

void CodeReasonDialog::accept()
{
    const Result<QString> r = validation::normalizeReason(m_ui.reasonEdit->text());
    if (!r || m_busy)
        return;
    m_busy = true;
    check();
    m_ui.errorView->clear();
    m_desk->runner()->run<QString>(
        this, [work = m_work, reason = *r](QSqlDatabase db) { return work(db, reason); },
        [this](const Result<QString> &result) {
            m_busy = false;
            check();
            if (!result) {
                m_ui.errorView->showError(result.error());
                return;
            }
            emit done(*result);
            QDialog::accept();
        });
}

} // namespace simdesk
