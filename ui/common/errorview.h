// SPDX-License-Identifier: MIT
#pragma once

#include "common/palette.h"
#include "domain/error.h"
#include "ui_errorview.h"

#include <QFrame>

#include <optional>

namespace simdesk {

// The one way a page or dialog shows what went wrong (or a short word on what went right): the
// message of an Error, what the database or the system said exactly under "Details", and for a
// record that changed or went meanwhile a Reload button. A message stays until the user acts or
// the page shows another one; nothing clears it behind the user's back.
//
// Two looks: Banner (a framed strip above a page's content, with a close button) and Inline (a
// line of coloured text in a dialog, beside the field or above the buttons). Placed in Designer
// forms as a promoted QFrame ("simdesk::ErrorView", header common/errorview.h).
class ErrorView : public QFrame
{
    Q_OBJECT
    Q_PROPERTY(bool banner READ isBanner WRITE setBanner)

public:
    explicit ErrorView(QWidget *parent = nullptr);

    bool isBanner() const { return m_banner; }
    void setBanner(bool banner);

    // Shows `error`. Reload is offered when the record changed, went or is held elsewhere
    // (offersReload()); the detail is offered under Details, except for a stale record, whose
    // message already says who changed it and when.
    void showError(const Error &error);
    // Shows `error` of reading something that can be tried again: the button says Retry.
    void showLoadError(const Error &error);
    // Shows a message in a tone (Info, Success, Warning); `detail` under Details if given.
    void showMessage(Tone tone, const QString &text, const QString &detail = {});
    // Hides the view.
    void clear();

    // The error shown, if the view shows one.
    const std::optional<Error> &error() const { return m_error; }
    QString text() const { return m_ui.messageLabel->text(); }
    // Whether `error` is about a record that should be read again before trying once more.
    static bool offersReload(const Error &error);
    // The message and, unless the message already says it all, the detail, as one text (for a
    // message box or a terminal).
    static QString fullText(const Error &error);

signals:
    void reloadRequested();
    void dismissed();

private:
    enum class Button : quint8 { None, Reload, Retry };
    void show(Tone tone, const QString &text, const QString &detail, Button button);

    Ui::ErrorView m_ui;
    std::optional<Error> m_error;
    Tone m_tone = Tone::Error;
    bool m_banner = true;
};

} // namespace simdesk
