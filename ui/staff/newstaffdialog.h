// SPDX-License-Identifier: MIT
#pragma once

#include "ui_newstaffdialog.h"

#include <QDialog>

namespace simdesk {

class Desk;

// Adds a staff login: login name, display name, e-mail, role, and a first password typed twice
// or generated (shown once, with Copy). The database makes the login and its profile in one
// transaction (StaffService::create) and records it; a refusal stays in the dialog.
class NewStaffDialog : public QDialog
{
    Q_OBJECT

public:
    explicit NewStaffDialog(Desk *desk, QWidget *parent = nullptr);

public slots:
    void accept() override;

signals:
    void created(const QString &login);
    // The attempt ended (tests wait for it).
    void attemptFinished(bool ok);

private:
    void setBusy(bool busy);

    Ui::NewStaffDialog m_ui;
    Desk *m_desk;
    bool m_busy = false;
};

} // namespace simdesk
