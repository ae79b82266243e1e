// SPDX-License-Identifier: MIT
#pragma once

#include "domain/activationcode.h"
#include "domain/result.h"

#include <QObject>
#include <QTimer>

class QLabel;
class QLineEdit;

namespace simdesk {

class Desk;

// The optional activation code of an activation, checked live as it is typed: after a short
// pause the code is looked up on the window's runner with the database's own rule
// (ActivationCodeRepository::findUsable) and the label beside the field says "usable",
// "unknown", "used on <date>" or "expired on <date>". Only the newest check is shown. One
// helper for every dialog that takes a code (ActionDialog's Activate, AssignSimDialog).
class ActivationCodeCheck : public QObject
{
    Q_OBJECT

public:
    // Watches `edit` and writes into `status` (hidden while the field is empty). Both belong to
    // the dialog's form; the helper lives as long as the dialog.
    ActivationCodeCheck(Desk *desk, QLineEdit *edit, QLabel *status, QObject *parent);

    // The code as it will be sent: trimmed; empty for none.
    QString code() const;
    // OK may be offered: no code, or a code checked as usable (not while a check is pending).
    bool acceptable() const { return m_ok && !m_pending; }
    bool pending() const { return m_pending; }
    // Delay between the last key and the check (tests set 0).
    void setDebounceInterval(int ms) { m_timer.setInterval(ms); }
    // The words for a finished check, as the label shows them (tests compare them).
    static QString describe(const Result<ActivationCode> &result);

signals:
    // acceptable() may have changed (typed, or a check came back).
    void changed();
    // A check has come back and is shown.
    void checked();

private:
    void edited();
    void check();

    Desk *m_desk;
    QLineEdit *m_edit;
    QLabel *m_status;
    QTimer m_timer;
    quint64 m_generation = 0;
    bool m_ok = true;
    bool m_pending = false;
};

} // namespace simdesk
