// SPDX-License-Identifier: MIT
#include "account/newpasswordfields.h"
#include "account/passworddialog.h"
#include "common/desk.h"
#include "common/errorview.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "main/mainwindow.h"
#include "screenshots.h"
#include "services/staffservice.h"
#include "staff/newstaffdialog.h"
#include "staff/roledialog.h"
#include "staff/staffpage.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace simdesk;

namespace {

constexpr int kWait = 20000;

// Answers the next question box with Yes, once it is up.
void answerYes(QObject *context)
{
    QTimer::singleShot(0, context, [] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        box->button(QMessageBox::Yes)->click();
    });
}

void clickOk(QDialog *dialog)
{
    dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
        ->button(QDialogButtonBox::Ok)
        ->click();
}

void typePassword(QWidget *dialog, const QString &password, const QString &again)
{
    dialog->findChild<QLineEdit *>(QStringLiteral("newPasswordEdit"))->setText(password);
    dialog->findChild<QLineEdit *>(QStringLiteral("repeatPasswordEdit"))->setText(again);
}

} // namespace

// The staff page and its dialogs, driven through their widgets as an administrator, against the
// real database; and what a support login sees of it (nothing) and may call (nothing).
class TestStaffPage : public QObject
{
    Q_OBJECT

public:
    // The main window of the support check has the dashboard (a WebEngine view).
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void shouldListEveryLoginWithRoleStateAndSessions();
    void adminShouldAddALoginWithATypedPassword();
    void adminShouldAddALoginWithAGeneratedPasswordShownOnce();
    void adminShouldChangeARoleAndTheDatabaseShouldAuditIt();
    void theLastActiveAdminShouldBeRefusedInTheDialog();
    void disablingShouldEndTheLoginsOpenSessions();
    void endSessionsShouldSignTheLoginOutEverywhereButKeepItActive();
    void adminShouldResetAPasswordThatThenSignsIn();
    void ownLoginShouldNotBeOfferedForDisabling();
    void supportShouldNotSeeThePageNorCallTheFunctions();

private:
    std::unique_ptr<StaffPage> openPage();
    int selectRow(StaffPage &page, const QString &login);
    template<typename D> D *dialogOf(StaffPage &page, const QString &name);
    bool signsIn(const QString &login, const QString &password);
    int sessionsOf(const QString &login);

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Desk> m_desk;
    QString m_admin;
    QString m_support;
    QString m_viewer;
};

void TestStaffPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("staffpage"));
    REQUIRE_DATABASE(*m_tdb);
    const Result<QList<int>> r = Migrator(m_tdb->connect()).migrate();
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    m_admin = m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    m_viewer = m_tdb->createLogin(QStringLiteral("viewer"), QStringLiteral("viewer"));
    ConnectionSettings as = m_tdb->settings();
    as.user = m_admin;
    SessionInfo session;
    session.login = m_admin;
    session.displayName = QStringLiteral("Test admin");
    session.role = StaffRole::Admin;
    m_desk = std::make_unique<Desk>(as, session);
}

void TestStaffPage::cleanupTestCase()
{
    m_desk.reset();
    m_tdb.reset();
}

std::unique_ptr<StaffPage> TestStaffPage::openPage()
{
    auto page = std::make_unique<StaffPage>(m_desk.get());
    page->resize(1024, 600);
    QSignalSpy loaded(page.get(), &StaffPage::loaded);
    page->show();
    if (!loaded.wait(kWait))
        qWarning("openPage: the page did not load");
    return page;
}

int TestStaffPage::selectRow(StaffPage &page, const QString &login)
{
    page.selectLogin(login);
    const std::optional<QString> current = page.currentLogin();
    if (current != login)
        return -1;
    return page.findChild<QTableWidget *>(QStringLiteral("staffTable"))->currentRow();
}

template<typename D> D *TestStaffPage::dialogOf(StaffPage &page, const QString &name)
{
    // The page opens its dialogs as it handles the click.
    return page.findChild<D *>(name);
}

bool TestStaffPage::signsIn(const QString &login, const QString &password)
{
    ConnectionSettings tcp = m_tdb->settings();
    tcp.host = QStringLiteral("127.0.0.1"); // the cluster asks for passwords over TCP
    tcp.user = login;
    tcp.password = password;
    const QString name = Database::uniqueName(QStringLiteral("staff-signin"));
    const ScopedConnection scope(name);
    return Database::open(tcp, name).ok();
}

int TestStaffPage::sessionsOf(const QString &login)
{
    return m_tdb
        ->scalar(
            QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE usename = '%1'").arg(login))
        .toInt();
}

void TestStaffPage::shouldListEveryLoginWithRoleStateAndSessions()
{
    QSqlDatabase viewerDb = m_tdb->connectAs(m_viewer); // one open session
    QVERIFY(viewerDb.isOpen());
    const std::unique_ptr<StaffPage> page = openPage();
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("staffTable"));
    QCOMPARE(
        table->rowCount(), m_tdb->scalar(QStringLiteral("SELECT count(*) FROM staff")).toInt());
    const int row = selectRow(*page, m_viewer);
    QVERIFY(row >= 0);
    QCOMPARE(table->item(row, 3)->text(), staffRoleDisplayName(StaffRole::Viewer));
    QCOMPARE(table->item(row, 4)->text(), QStringLiteral("Yes"));
    QCOMPARE(table->item(row, 7)->text(), QString::number(sessionsOf(m_viewer)));
    QVERIFY(table->item(row, 7)->text().toInt() >= 1);
    QVERIFY(!table->item(row, 5)->text().isEmpty()); // created
    QVERIFY(saveScreenshot(page.get(), QStringLiteral("staff-page")));
    viewerDb.close();
}

void TestStaffPage::adminShouldAddALoginWithATypedPassword()
{
    const std::unique_ptr<StaffPage> page = openPage();
    page->findChild<QPushButton *>(QStringLiteral("addButton"))->click();
    auto *dialog = dialogOf<NewStaffDialog>(*page, QStringLiteral("newStaffDialog"));
    QVERIFY(dialog);
    const QString login = m_tdb->name() + QStringLiteral("_berta");
    dialog->findChild<QLineEdit *>(QStringLiteral("loginEdit"))->setText(login);
    dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("Berta"));
    dialog->findChild<QLineEdit *>(QStringLiteral("emailEdit"))
        ->setText(QStringLiteral("berta@example.net"));
    auto *role = dialog->findChild<QComboBox *>(QStringLiteral("roleCombo"));
    role->setCurrentIndex(role->findData(QStringLiteral("support")));

    // Typed differently twice: refused in the dialog, nothing made.
    typePassword(dialog, QStringLiteral("berta-secret-22"), QStringLiteral("berta-secret-23"));
    QSignalSpy attempt(dialog, &NewStaffDialog::attemptFinished);
    clickOk(dialog);
    QVERIFY(attempt.count() == 1 || attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), false);
    auto *error = dialog->findChild<ErrorView *>(QStringLiteral("errorView"));
    QCOMPARE(error->error()->code, ErrorCode::PasswordsDiffer);
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("strengthLabel"))
                ->text()
                .contains(passwordStrengthDisplayName(PasswordStrength::Fair)));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("staff-add-differ")));

    typePassword(dialog, QStringLiteral("berta-secret-22"), QStringLiteral("berta-secret-22"));
    QSignalSpy loaded(page.get(), &StaffPage::loaded);
    clickOk(dialog);
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), true);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(page->currentLogin(), std::optional<QString>(login));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT role || ',' || active FROM staff WHERE "
                                          "login = '%1'")
                               .arg(login)),
        QStringLiteral("support,true"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT pg_has_role('%1', 'simdesk_support', "
                                          "'MEMBER')")
                               .arg(login)),
        QStringLiteral("true"));
    // Recorded, as done by the administrator.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT changed_by FROM audit_log WHERE table_name = "
                                          "'staff' AND action = 'INSERT' AND new_row->>'login' = "
                                          "'%1'")
                               .arg(login)),
        m_admin);
    QVERIFY(signsIn(login, QStringLiteral("berta-secret-22")));
    QVERIFY(!signsIn(login, QStringLiteral("berta-secret-23")));
}

void TestStaffPage::adminShouldAddALoginWithAGeneratedPasswordShownOnce()
{
    const std::unique_ptr<StaffPage> page = openPage();
    page->findChild<QPushButton *>(QStringLiteral("addButton"))->click();
    auto *dialog = dialogOf<NewStaffDialog>(*page, QStringLiteral("newStaffDialog"));
    QVERIFY(dialog);
    dialog->resize(560, dialog->height());
    const QString login = m_tdb->name() + QStringLiteral("_carl");
    dialog->findChild<QLineEdit *>(QStringLiteral("loginEdit"))->setText(login);
    dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("Carl"));
    dialog->findChild<QLineEdit *>(QStringLiteral("emailEdit"))
        ->setText(QStringLiteral("carl@example.net"));
    dialog->findChild<QRadioButton *>(QStringLiteral("generateRadio"))->click();
    const QString shown = dialog->findChild<QLineEdit *>(QStringLiteral("generatedEdit"))->text();
    QCOMPARE(shown.size(), 20);
    QCOMPARE(passwordStrength(shown), PasswordStrength::Strong);
    QVERIFY(!dialog->findChild<QLineEdit *>(QStringLiteral("newPasswordEdit"))->isVisible());
    dialog->findChild<QPushButton *>(QStringLiteral("copyButton"))->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), shown);
    QVERIFY(saveScreenshot(dialog, QStringLiteral("staff-add-generated")));
    QSignalSpy attempt(dialog, &NewStaffDialog::attemptFinished);
    clickOk(dialog);
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), true);
    QVERIFY(signsIn(login, shown));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT role FROM staff WHERE login = '%1'").arg(login)),
        QStringLiteral("support")); // the dialog's default role
}

void TestStaffPage::adminShouldChangeARoleAndTheDatabaseShouldAuditIt()
{
    const QString login = m_tdb->createLogin(QStringLiteral("dora"), QStringLiteral("viewer"));
    const std::unique_ptr<StaffPage> page = openPage();
    QVERIFY(selectRow(*page, login) >= 0);
    page->findChild<QPushButton *>(QStringLiteral("roleButton"))->click();
    auto *dialog = dialogOf<RoleDialog>(*page, QStringLiteral("roleDialog"));
    QVERIFY(dialog);
    dialog->setRole(StaffRole::Support);
    QSignalSpy attempt(dialog, &RoleDialog::attemptFinished);
    QSignalSpy loaded(page.get(), &StaffPage::loaded);
    clickOk(dialog);
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), true);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT role FROM staff WHERE login = '%1'").arg(login)),
        QStringLiteral("support"));
    // The group in the database, not only the profile.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT pg_has_role('%1', 'simdesk_support', "
                                          "'MEMBER')")
                               .arg(login)),
        QStringLiteral("true"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT changed_by || ':' || (old_row->>'role') || '>' "
                                          "|| (new_row->>'role') FROM audit_log WHERE "
                                          "table_name = 'staff' AND action = 'UPDATE' AND "
                                          "new_row->>'login' = '%1' ORDER BY id DESC LIMIT 1")
                               .arg(login)),
        m_admin + QStringLiteral(":viewer>support"));
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("staffTable"));
    QCOMPARE(
        table->item(selectRow(*page, login), 3)->text(), staffRoleDisplayName(StaffRole::Support));
    QVERIFY(page->findChild<ErrorView *>(QStringLiteral("errorView"))
                ->text()
                .contains(QLatin1String("is now Support")));
}

void TestStaffPage::theLastActiveAdminShouldBeRefusedInTheDialog()
{
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM staff WHERE role = 'admin' AND active")),
        QStringLiteral("1"));
    const std::unique_ptr<StaffPage> page = openPage();
    QVERIFY(selectRow(*page, m_admin) >= 0);
    page->findChild<QPushButton *>(QStringLiteral("roleButton"))->click();
    auto *dialog = dialogOf<RoleDialog>(*page, QStringLiteral("roleDialog"));
    QVERIFY(dialog);
    dialog->setRole(StaffRole::Viewer);
    QSignalSpy attempt(dialog, &RoleDialog::attemptFinished);
    clickOk(dialog);
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), false);
    QVERIFY(dialog->isVisible());
    auto *error = dialog->findChild<ErrorView *>(QStringLiteral("errorView"));
    QCOMPARE(error->error()->code, ErrorCode::LastActiveAdmin);
    // A sentence, not a code.
    QVERIFY2(error->text().contains(QLatin1String("without an active administrator")),
        qPrintable(error->text()));
    QVERIFY(!error->text().contains(QLatin1String("SD040")));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("staff-last-admin")));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT role FROM staff WHERE login = '%1'").arg(m_admin)),
        QStringLiteral("admin"));
    dialog->reject();
}

void TestStaffPage::disablingShouldEndTheLoginsOpenSessions()
{
    const QString login = m_tdb->createLogin(QStringLiteral("emil"), QStringLiteral("support"));
    QSqlDatabase emil = m_tdb->connectAs(login);
    QVERIFY(emil.isOpen());
    QCOMPARE(sessionsOf(login), 1);
    const std::unique_ptr<StaffPage> page = openPage();
    const int row = selectRow(*page, login);
    QVERIFY(row >= 0);
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("staffTable"));
    QCOMPARE(table->item(row, 7)->text(), QStringLiteral("1"));
    auto *active = page->findChild<QPushButton *>(QStringLiteral("activeButton"));
    QCOMPARE(active->text(), QStringLiteral("&Disable"));
    QSignalSpy finished(page.get(), &StaffPage::changeFinished);
    answerYes(this);
    active->click();
    QVERIFY(finished.count() == 1 || finished.wait(kWait));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(sessionsOf(login), 0, kWait);
    QCOMPARE(
        m_tdb->scalar(
            QStringLiteral("SELECT rolcanlogin FROM pg_roles WHERE rolname = '%1'").arg(login)),
        QStringLiteral("false"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT new_row->>'sessions' FROM audit_log WHERE "
                                          "action = 'SESSIONS_ENDED' AND new_row->>'login' = '%1'")
                               .arg(login)),
        QStringLiteral("1"));
    // The ended session is really gone for its owner.
    QVERIFY(!runQuery(emil, QStringLiteral("SELECT 1")).ok());
    QTRY_COMPARE_WITH_TIMEOUT(active->text(), QStringLiteral("&Enable"), kWait);
    QVERIFY(saveScreenshot(page.get(), QStringLiteral("staff-disabled")));

    // And back: the login may sign in again.
    finished.clear(); // enabling is not asked about
    active->click();
    QVERIFY(finished.count() == 1 || finished.wait(kWait));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QCOMPARE(
        m_tdb->scalar(
            QStringLiteral("SELECT rolcanlogin FROM pg_roles WHERE rolname = '%1'").arg(login)),
        QStringLiteral("true"));
}

void TestStaffPage::endSessionsShouldSignTheLoginOutEverywhereButKeepItActive()
{
    const QString login = m_tdb->createLogin(QStringLiteral("fritz"), QStringLiteral("viewer"));
    QSqlDatabase one = m_tdb->connectAs(login);
    QSqlDatabase two = m_tdb->connectAs(login);
    QVERIFY(one.isOpen() && two.isOpen());
    const std::unique_ptr<StaffPage> page = openPage();
    QVERIFY(selectRow(*page, login) >= 0);
    auto *end = page->findChild<QPushButton *>(QStringLiteral("endSessionsButton"));
    QVERIFY(end->isEnabled());
    QSignalSpy finished(page.get(), &StaffPage::changeFinished);
    answerYes(this);
    end->click();
    QVERIFY(finished.count() == 1 || finished.wait(kWait));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(sessionsOf(login), 0, kWait);
    QVERIFY(page->findChild<ErrorView *>(QStringLiteral("errorView"))
                ->text()
                .contains(QLatin1String("Ended 2 session")));
    QCOMPARE(
        m_tdb->scalar(
            QStringLiteral("SELECT rolcanlogin FROM pg_roles WHERE rolname = '%1'").arg(login)),
        QStringLiteral("true"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT changed_by || ':' || (new_row->>'sessions') "
                                          "FROM audit_log WHERE action = 'SESSIONS_ENDED' AND "
                                          "new_row->>'login' = '%1'")
                               .arg(login)),
        m_admin + QStringLiteral(":2"));
    // With no session left there is nothing to end.
    QTRY_VERIFY_WITH_TIMEOUT(!end->isEnabled(), kWait);
}

void TestStaffPage::adminShouldResetAPasswordThatThenSignsIn()
{
    const QString login = m_tdb->createLogin(QStringLiteral("gina"), QStringLiteral("support"));
    const std::unique_ptr<StaffPage> page = openPage();
    QVERIFY(selectRow(*page, login) >= 0);
    page->findChild<QPushButton *>(QStringLiteral("passwordButton"))->click();
    auto *dialog = dialogOf<PasswordDialog>(*page, QStringLiteral("passwordDialog"));
    QVERIFY(dialog);
    QVERIFY(!dialog->isOwn());
    // Someone else's: no current password asked.
    QVERIFY(!dialog->findChild<QLineEdit *>(QStringLiteral("currentPasswordEdit"))->isVisible());
    typePassword(dialog, QStringLiteral("short"), QStringLiteral("short"));
    QSignalSpy attempt(dialog, &PasswordDialog::attemptFinished);
    clickOk(dialog);
    QVERIFY(attempt.count() == 1 || attempt.wait(kWait));
    QCOMPARE(dialog->findChild<ErrorView *>(QStringLiteral("errorView"))->error()->code,
        ErrorCode::StaffPasswordTooShort);
    typePassword(dialog, QStringLiteral("Gina-New-Secret-9"), QStringLiteral("Gina-New-Secret-9"));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("staff-reset-password")));
    clickOk(dialog);
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), true);
    QVERIFY(signsIn(login, QStringLiteral("Gina-New-Secret-9")));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT changed_by FROM audit_log WHERE action = "
                                          "'PASSWORD_SET' AND new_row->>'login' = '%1'")
                               .arg(login)),
        m_admin);
}

void TestStaffPage::ownLoginShouldNotBeOfferedForDisabling()
{
    const std::unique_ptr<StaffPage> page = openPage();
    QVERIFY(selectRow(*page, m_admin) >= 0);
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("activeButton"))->isEnabled());
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("endSessionsButton"))->isEnabled());
    // And the database refuses it with its own sentence, whoever asks.
    QSqlDatabase admin = m_tdb->connectAs(m_admin);
    const Status disabled = StaffService(admin).setActive(m_admin, false);
    QVERIFY(!disabled);
    QCOMPARE(disabled.error().code, ErrorCode::StaffOwnLogin);
    const Result<int> ended = StaffService(admin).endSessions(m_admin);
    QVERIFY(!ended);
    QCOMPARE(ended.error().code, ErrorCode::StaffOwnLogin);
}

void TestStaffPage::supportShouldNotSeeThePageNorCallTheFunctions()
{
    ConnectionSettings as = m_tdb->settings();
    as.user = m_support;
    SessionInfo session;
    session.login = m_support;
    session.displayName = QStringLiteral("Test support");
    session.role = StaffRole::Support;
    MainWindow window(as, session);
    window.resize(1024, 768);
    window.show();
    QSignalSpy refreshed(&window, &MainWindow::refreshed);
    window.refresh();
    QVERIFY(refreshed.wait(kWait));
    QVERIFY(window.simsPage()); // signed in and connected
    QVERIFY(!window.staffPage());
    auto *nav = window.findChild<QListWidget *>(QStringLiteral("navigationList"));
    for (int i = 0; i < nav->count(); ++i)
        QVERIFY(nav->item(i)->data(Qt::UserRole).toString() != QLatin1String("staff"));

    // Past the workstation, psql-like: the database grants the functions to admins alone.
    QSqlDatabase support = m_tdb->connectAs(m_support);
    StaffService staff(support);
    QCOMPARE(staff.overview().error().code, ErrorCode::PermissionDenied);
    QCOMPARE(staff.setRole(m_viewer, StaffRole::Admin).error().code, ErrorCode::PermissionDenied);
    QCOMPARE(staff.setActive(m_viewer, false).error().code, ErrorCode::PermissionDenied);
    QCOMPARE(staff.endSessions(m_viewer).error().code, ErrorCode::PermissionDenied);
    QCOMPARE(staff.setPassword(m_viewer, QStringLiteral("viewer-secret-1")).error().code,
        ErrorCode::PermissionDenied);
    NewStaffMember member { m_tdb->name() + QStringLiteral("_mallory"),
        QStringLiteral("mallory-secret-1"), QStringLiteral("m@example.net"),
        QStringLiteral("Mallory"), StaffRole::Admin };
    QCOMPARE(staff.create(member).error().code, ErrorCode::PermissionDenied);
    // Nothing changed.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT role || ',' || active FROM staff WHERE login = "
                                          "'%1'")
                               .arg(m_viewer)),
        QStringLiteral("viewer,true"));
    QCOMPARE(
        m_tdb->scalar(
            QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'").arg(member.login)),
        QStringLiteral("0"));
}

QTEST_MAIN(TestStaffPage)
#include "tst_staffpage.moc"
