// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "ui_codereasondialog.h"

#include <QDialog>
#include <QSqlDatabase>

#include <functional>

namespace simdesk {

class Desk;

// Asks for the reason of a change to activation codes (mark a code used or expired, expire a
// batch), checks it as typed with the one reason rule (validation::normalizeReason), and runs
// the change on the window's runner: `work` gets the reason and returns what to tell the user.
// A refusal stays in the dialog (its ErrorView); success emits done() and closes.
class CodeReasonDialog : public QDialog
{
    Q_OBJECT

public:
    using Work = std::function<Result<QString>(QSqlDatabase db, const QString &reason)>;

    CodeReasonDialog(Desk *desk, const QString &title, const QString &prompt, const QString &okText,
        Work work, QWidget *parent = nullptr);

    QString reason() const;

signals:
    void done(const QString &message);

public slots:
    void accept() override;

private:
    void check();

    Ui::CodeReasonDialog m_ui;
    Desk *m_desk;
    Work m_work;
    bool m_busy = false;
};

} // namespace simdesk
