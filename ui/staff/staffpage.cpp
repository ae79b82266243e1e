// SPDX-License-Identifier: MIT
#include "staffpage.h"

#include "account/passworddialog.h"
#include "common/desk.h"
#include "newstaffdialog.h"
#include "roledialog.h"
#include "services/staffservice.h"

#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>

namespace simdesk {

namespace {

enum Column {
    LoginColumn,
    NameColumn,
    EmailColumn,
    RoleColumn,
    ActiveColumn,
    CreatedColumn,
    ChangedColumn,
    SessionsColumn
};

QString when(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

QTableWidgetItem *item(const QString &text, const QString &tip = {})
{
    auto *i = new QTableWidgetItem(text);
    i->setToolTip(tip);
    return i;
}

} // namespace

StaffPage::StaffPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    m_ui.setupUi(this);
    // Everything readable at a glance; the e-mail address gives way first.
    m_ui.staffTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui.staffTable->horizontalHeader()->setSectionResizeMode(EmailColumn, QHeaderView::Stretch);
    connect(m_ui.refreshButton, &QPushButton::clicked, this, &StaffPage::reload);
    connect(m_ui.addButton, &QPushButton::clicked, this, &StaffPage::addStaff);
    connect(m_ui.roleButton, &QPushButton::clicked, this, &StaffPage::changeRole);
    connect(m_ui.activeButton, &QPushButton::clicked, this, &StaffPage::toggleActive);
    connect(m_ui.passwordButton, &QPushButton::clicked, this, &StaffPage::resetPassword);
    connect(m_ui.endSessionsButton, &QPushButton::clicked, this, &StaffPage::endSessions);
    connect(m_ui.staffTable, &QTableWidget::itemSelectionChanged, this, &StaffPage::updateButtons);
    connect(m_ui.staffTable, &QTableWidget::itemDoubleClicked, this, &StaffPage::changeRole);
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, &StaffPage::reload);
    connect(m_desk, &Desk::liveChanged, this, &StaffPage::updateButtons);
    m_desk->hub()->watch(this, Topic::Staff, [this](const Change &) { reload(); });
    updateButtons();
}

void StaffPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loadedOnce) {
        m_loadedOnce = true;
        reload();
    }
}

void StaffPage::reload()
{
    m_loadedOnce = true;
    if (const std::optional<QString> login = currentLogin(); login && !m_wanted)
        m_wanted = login;
    m_ui.refreshButton->setEnabled(false);
    m_desk->runner()->run<QList<StaffOverview>>(
        this, [](QSqlDatabase db) { return StaffService(db).overview(); },
        [this](const Result<QList<StaffOverview>> &result) {
            m_ui.refreshButton->setEnabled(true);
            if (result)
                showStaff(*result);
            else
                m_ui.errorView->showLoadError(result.error());
            emit loaded();
        });
}

void StaffPage::showStaff(const QList<StaffOverview> &staff)
{
    m_staff = staff;
    const QSignalBlocker block(m_ui.staffTable);
    m_ui.staffTable->setRowCount(int(staff.size()));
    const QLocale locale;
    int row = 0;
    for (const StaffOverview &o : staff) {
        const StaffMember &m = o.member;
        m_ui.staffTable->setItem(row, LoginColumn, item(m.login));
        m_ui.staffTable->setItem(row, NameColumn, item(m.displayName));
        m_ui.staffTable->setItem(row, EmailColumn, item(m.email));
        m_ui.staffTable->setItem(row, RoleColumn, item(staffRoleDisplayName(m.role)));
        m_ui.staffTable->setItem(row, ActiveColumn,
            item(m.active ? tr("Yes") : tr("Disabled"),
                m.active ? tr("May sign in") : tr("Cannot sign in; history kept")));
        m_ui.staffTable->setItem(row, CreatedColumn, item(when(m.createdAt)));
        m_ui.staffTable->setItem(row, ChangedColumn, item(when(o.lastChange)));
        QString sessionTip = o.openSessions == 0 ? tr("No open session")
            : o.newestSession.isValid()          ? tr("Newest since %1").arg(when(o.newestSession))
                                                 : tr("The server does not say since when");
        auto *sessions = item(locale.toString(o.openSessions), sessionTip);
        sessions->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_ui.staffTable->setItem(row, SessionsColumn, sessions);
        if (!m.active) {
            for (int c = 0; c < m_ui.staffTable->columnCount(); ++c)
                m_ui.staffTable->item(row, c)->setForeground(
                    palette().color(QPalette::Disabled, QPalette::Text));
        }
        ++row;
    }
    m_ui.countLabel->setText(tr("%n login(s)", nullptr, int(staff.size())));
    if (m_wanted) {
        const QString wanted = *m_wanted;
        m_wanted.reset();
        selectLogin(wanted);
    }
    updateButtons();
}

std::optional<QString> StaffPage::currentLogin() const
{
    if (const StaffOverview *o = current())
        return o->member.login;
    return std::nullopt;
}

const StaffOverview *StaffPage::current() const
{
    const QList<QTableWidgetItem *> selected = m_ui.staffTable->selectedItems();
    if (selected.isEmpty())
        return nullptr;
    const int row = selected.first()->row();
    return row >= 0 && row < m_staff.size() ? &m_staff.at(row) : nullptr;
}

void StaffPage::selectLogin(const QString &login)
{
    for (int row = 0; row < m_staff.size(); ++row) {
        if (m_staff.at(row).member.login == login) {
            m_ui.staffTable->selectRow(row);
            return;
        }
    }
    m_wanted = login; // not loaded yet
}

void StaffPage::updateButtons()
{
    const StaffOverview *o = current();
    const bool live = m_desk->isLive() && !m_busy;
    const bool own = o && o->member.login == m_desk->session().login;
    m_ui.addButton->setEnabled(live);
    m_ui.roleButton->setEnabled(live && o);
    m_ui.passwordButton->setEnabled(live && o);
    m_ui.activeButton->setText(o && !o->member.active ? tr("&Enable") : tr("&Disable"));
    m_ui.activeButton->setEnabled(live && o && !own);
    m_ui.endSessionsButton->setEnabled(live && o && !own && o->openSessions > 0);
    // Why one's own login cannot be disabled here, where the button says it.
    const QString ownTip = tr("You are signed in with this login. Sign out instead.");
    m_ui.activeButton->setToolTip(own ? ownTip : QString());
    m_ui.endSessionsButton->setToolTip(own ? ownTip : QString());
}

void StaffPage::change(const QString &login, std::function<Result<QString>(QSqlDatabase)> work)
{
    m_busy = true;
    updateButtons();
    m_wanted = login;
    m_desk->runner()->run<QString>(this, std::move(work), [this](const Result<QString> &result) {
        m_busy = false;
        if (result) {
            m_ui.errorView->showMessage(Tone::Success, *result);
            m_desk->hub()->changedHere(Topic::Staff, {}, this);
        } else {
            m_ui.errorView->showError(result.error());
        }
        reload();
        emit changeFinished(result.ok());
    });
}

void StaffPage::toggleActive()
{
    const StaffOverview *o = current();
    if (!o)
        return;
    const StaffMember m = o->member;
    if (m.active
        && QMessageBox::question(this, tr("Disable login"),
               tr("Disable %1 (%2)? They can no longer sign in, and their %n open session(s) "
                  "end now. Their history stays; you can enable the login again.",
                   nullptr, o->openSessions)
                   .arg(m.displayName, m.login))
            != QMessageBox::Yes)
        return;
    const bool active = !m.active;
    change(m.login, [login = m.login, active](QSqlDatabase db) -> Result<QString> {
        if (Status s = StaffService(db).setActive(login, active); !s)
            return s.error();
        return active ? tr("%1 may sign in again.").arg(login)
                      : tr("%1 is disabled; their open sessions were ended.").arg(login);
    });
}

void StaffPage::endSessions()
{
    const StaffOverview *o = current();
    if (!o)
        return;
    const StaffMember m = o->member;
    if (QMessageBox::question(this, tr("End sessions"),
            tr("End the %n open session(s) of %1 (%2)? Their work in progress is lost; they can "
               "sign in again.",
                nullptr, o->openSessions)
                .arg(m.displayName, m.login))
        != QMessageBox::Yes)
        return;
    change(m.login, [login = m.login](QSqlDatabase db) -> Result<QString> {
        const Result<int> ended = StaffService(db).endSessions(login);
        if (!ended)
            return ended.error();
        return tr("Ended %n session(s) of %1.", nullptr, *ended).arg(login);
    });
}

void StaffPage::addStaff()
{
    auto *dialog = new NewStaffDialog(m_desk, this);
    dialog->setObjectName(QStringLiteral("newStaffDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewStaffDialog::created, this, [this](const QString &login) {
        m_ui.errorView->showMessage(Tone::Success, tr("%1 was added.").arg(login));
        m_wanted = login;
        m_desk->hub()->changedHere(Topic::Staff, {}, this);
        reload();
    });
    dialog->open();
}

void StaffPage::changeRole()
{
    const StaffOverview *o = current();
    if (!o || !m_ui.roleButton->isEnabled())
        return;
    auto *dialog = new RoleDialog(m_desk, o->member, this);
    dialog->setObjectName(QStringLiteral("roleDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RoleDialog::changed, this, [this](const QString &login, StaffRole role) {
        m_ui.errorView->showMessage(
            Tone::Success, tr("%1 is now %2.").arg(login, staffRoleDisplayName(role)));
        m_wanted = login;
        m_desk->hub()->changedHere(Topic::Staff, {}, this);
        reload();
    });
    dialog->open();
}

void StaffPage::resetPassword()
{
    const StaffOverview *o = current();
    if (!o)
        return;
    auto *dialog = new PasswordDialog(m_desk, o->member, this);
    dialog->setObjectName(QStringLiteral("passwordDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PasswordDialog::passwordSet, this, [this](const QString &login) {
        m_ui.errorView->showMessage(Tone::Success, tr("The password of %1 was set.").arg(login));
        reload();
    });
    dialog->open();
}

} // namespace simdesk
