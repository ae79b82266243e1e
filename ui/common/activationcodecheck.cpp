// SPDX-License-Identifier: MIT
#include "common/activationcodecheck.h"

#include "common/desk.h"
#include "common/palette.h"
#include "records/activationcoderepository.h"

#include <QLabel>
#include <QLineEdit>
#include <QLocale>

namespace simdesk {

ActivationCodeCheck::ActivationCodeCheck(
    Desk *desk, QLineEdit *edit, QLabel *status, QObject *parent)
    : QObject(parent)
    , m_desk(desk)
    , m_edit(edit)
    , m_status(status)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(300);
    connect(&m_timer, &QTimer::timeout, this, &ActivationCodeCheck::check);
    connect(m_edit, &QLineEdit::textChanged, this, &ActivationCodeCheck::edited);
    // It repeats what was typed: text, never markup.
    m_status->setTextFormat(Qt::PlainText);
    m_status->hide();
}

QString ActivationCodeCheck::code() const
{
    return m_edit->text().trimmed();
}

QString ActivationCodeCheck::describe(const Result<ActivationCode> &result)
{
    if (result) {
        const QLocale locale;
        return result->expiresAt
            ? tr("✓ Usable; expires %1")
                  .arg(locale.toString(result->expiresAt->toLocalTime(), QLocale::ShortFormat))
            : tr("✓ Usable; it does not expire");
    }
    // The repository names the code and, for used and expired ones, when (its second value).
    const Error &e = result.error();
    const QString when = e.args.value(1);
    switch (e.code) {
    case ErrorCode::ActivationCodeUnknown:
        return tr("Unknown: no such code. Check it with the customer.");
    case ErrorCode::ActivationCodeUsed:
        return when.isEmpty() ? tr("Used already") : tr("Used on %1").arg(when);
    case ErrorCode::ActivationCodeExpired:
        return when.isEmpty() ? tr("Expired") : tr("Expired on %1").arg(when);
    default:
        return e.message();
    }
}

void ActivationCodeCheck::edited()
{
    ++m_generation; // a check on its way is for older text
    const bool empty = code().isEmpty();
    m_pending = !empty;
    m_ok = empty;
    m_status->setVisible(!empty);
    m_status->setText(tr("Checking…"));
    setTextTone(m_status, std::nullopt);
    if (empty)
        m_timer.stop();
    else
        m_timer.start();
    emit changed();
}

void ActivationCodeCheck::check()
{
    const QString typed = code();
    if (typed.isEmpty())
        return;
    const quint64 generation = m_generation;
    m_desk->runner()->run<ActivationCode>(
        this, [typed](QSqlDatabase db) { return ActivationCodeRepository(db).findUsable(typed); },
        [this, generation](const Result<ActivationCode> &result) {
            if (generation != m_generation)
                return;
            m_pending = false;
            m_ok = result.ok();
            m_status->setText(describe(result));
            setTextTone(m_status, m_ok ? Tone::Success : Tone::Error);
            m_status->show();
            emit changed();
            emit checked();
        });
}

} // namespace simdesk
