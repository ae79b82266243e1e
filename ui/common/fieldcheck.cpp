// SPDX-License-Identifier: MIT
#include "common/fieldcheck.h"

#include "common/palette.h"

#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::FieldCheck", text);
}

void hint(QLabel *message, const QString &text)
{
    message->setText(text);
    QPalette p = message->palette();
    p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    message->setPalette(p);
    message->setVisible(!text.isEmpty());
}

} // namespace

FieldCheck checkField(QLineEdit *field, QLabel *message, FieldRule rule, const FieldSpec &spec)
{
    const QString typed = field->text().trimmed();
    if (typed.isEmpty()) {
        if (!spec.optional) {
            message->clear();
            message->hide();
            return { false, {}, true };
        }
        hint(message, spec.current.isEmpty() ? QString() : tr("Will be removed."));
        return { true, {}, true };
    }
    const Result<QString> r = rule(typed);
    if (!r) {
        message->setText(r.error().message());
        setTextTone(message, Tone::Error);
        message->show();
        return { false, {}, false };
    }
    hint(message, *r != typed && !spec.secret ? tr("Stored as %1").arg(*r) : QString());
    return { true, *r, false };
}

} // namespace simdesk
