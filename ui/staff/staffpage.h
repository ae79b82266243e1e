// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "domain/staff.h"
#include "ui_staffpage.h"

#include <QSqlDatabase>
#include <QWidget>

#include <functional>
#include <optional>

namespace simdesk {

class Desk;

// Staff logins, for administrators: every login with name, e-mail, role, whether it may sign in,
// when it was made and last changed, and its open sessions; add a login, change its role,
// disable or enable it (disabling ends its sessions), reset its password, end its sessions.
// Every change goes through the database's staff functions (StaffService), which check the role
// again and record it in the audit log; a refusal (the last active administrator, one's own
// login) is shown as the sentence core gives it. Loads off the GUI thread.
class StaffPage : public QWidget
{
    Q_OBJECT

public:
    explicit StaffPage(Desk *desk, QWidget *parent = nullptr);

    const QList<StaffOverview> &staff() const { return m_staff; }
    // The login of the selected row.
    std::optional<QString> currentLogin() const;
    void selectLogin(const QString &login);

public slots:
    void reload();
    void addStaff();
    void changeRole();
    // Disables the selected login (after asking), or enables it again.
    void toggleActive();
    void resetPassword();
    // Ends the selected login's open sessions (after asking).
    void endSessions();

signals:
    // Tests wait for these.
    void loaded();
    // A change made from the page itself (not from one of its dialogs) ended.
    void changeFinished(bool ok);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showStaff(const QList<StaffOverview> &staff);
    void updateButtons();
    const StaffOverview *current() const;
    // Runs one change of the selected login, then shows `done`'s words or the error, and reloads.
    void change(const QString &login, std::function<Result<QString>(QSqlDatabase)> work);

    Ui::StaffPage m_ui;
    Desk *m_desk;
    QList<StaffOverview> m_staff;
    std::optional<QString> m_wanted;
    bool m_loadedOnce = false;
    bool m_busy = false;
};

} // namespace simdesk
