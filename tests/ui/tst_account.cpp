// SPDX-License-Identifier: MIT
#include "account/accountpage.h"
#include "account/passworddialog.h"
#include "account/sessionflow.h"
#include "common/desk.h"
#include "common/errorview.h"
#include "db/migrator.h"
#include "login/logindialog.h"
#include "main/mainwindow.h"
#include "screenshots.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace simdesk;

namespace {

constexpr int kWait = 20000;

void clickOk(QDialog *dialog)
{
    dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
        ->button(QDialogButtonBox::Ok)
        ->click();
}

// Runs `SELECT session_user` on `lane` of the desk's runner and waits for it.
Result<QString> whoAmI(Desk *desk, DbRunner::Lane lane)
{
    std::optional<Result<QString>> out;
    QObject context;
    desk->runner()->run<QString>(
        &context,
        [](QSqlDatabase db) -> Result<QString> {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("SELECT session_user")) || !q.next())
                return Error(ErrorCode::ConnectionLost, {}, q.lastError().text());
            return q.value(0).toString();
        },
        [&out](const Result<QString> &r) { out = r; }, lane);
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, kWait))
        return Error(ErrorCode::Cancelled, {}, QStringLiteral("no answer from the runner"));
    return *out;
}

// Types `password` into the sign-in dialog and signs in; whether it was accepted.
bool signIn(LoginDialog *dialog, const QString &login, const QString &password)
{
    QSignalSpy finished(dialog, &LoginDialog::attemptFinished);
    dialog->findChild<QLineEdit *>(QStringLiteral("userEdit"))->setText(login);
    dialog->findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->setText(password);
    clickOk(dialog);
    if (!finished.wait(kWait))
        return false;
    return finished.at(0).at(0).toBool();
}

} // namespace

// My account: one's own password, and logging out back to the sign-in dialog in the same
// process, against the real database over TCP (where the cluster asks for passwords).
class TestAccount : public QObject
{
    Q_OBJECT

public:
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void ownPasswordChangeShouldNeedTheCurrentOneAndThenSignIn();
    void logOutShouldLeadBackToSignInAndAnotherLoginInTheSameProcess();
    void aReconnectAfterOwnPasswordChangeShouldUseTheNewPassword();

private:
    QString createLogin(const QString &suffix, const QString &role, const QString &password);
    ConnectionSettings tcp(const QString &login, const QString &password = {}) const;

    std::unique_ptr<TestDatabase> m_tdb;
};

void TestAccount::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("account"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
}

void TestAccount::cleanupTestCase()
{
    m_tdb.reset();
}

QString TestAccount::createLogin(
    const QString &suffix, const QString &role, const QString &password)
{
    const QString login = m_tdb->createLogin(suffix, role);
    m_tdb->exec(QStringLiteral("ALTER ROLE \"%1\" PASSWORD '%2'").arg(login, password));
    return login;
}

ConnectionSettings TestAccount::tcp(const QString &login, const QString &password) const
{
    ConnectionSettings s = m_tdb->settings();
    s.host = QStringLiteral("127.0.0.1");
    s.user = login;
    s.password = password;
    return s;
}

void TestAccount::ownPasswordChangeShouldNeedTheCurrentOneAndThenSignIn()
{
    const QString anna = createLogin(
        QStringLiteral("anna"), QStringLiteral("support"), QStringLiteral("anna-secret-1"));
    SessionInfo session;
    session.login = anna;
    session.displayName = QStringLiteral("Anna Berg");
    session.email = QStringLiteral("anna@example.net");
    session.role = StaffRole::Support;
    Desk desk(tcp(anna, QStringLiteral("anna-secret-1")), session);
    AccountPage page(&desk);
    page.resize(1024, 600);
    page.show();
    QCOMPARE(page.findChild<QLabel *>(QStringLiteral("loginValue"))->text(), anna);
    QCOMPARE(page.findChild<QLabel *>(QStringLiteral("roleValue"))->text(),
        staffRoleDisplayName(StaffRole::Support));
    QVERIFY(saveScreenshot(&page, QStringLiteral("account-page")));

    page.findChild<QPushButton *>(QStringLiteral("passwordButton"))->click();
    auto *dialog = page.findChild<PasswordDialog *>(QStringLiteral("passwordDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->isOwn());
    QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("currentPasswordEdit"))->isVisible());
    // One's own password is typed, never generated.
    QVERIFY(!dialog->findChild<QWidget *>(QStringLiteral("modeWidget"))->isVisible());
    dialog->findChild<QLineEdit *>(QStringLiteral("newPasswordEdit"))
        ->setText(QStringLiteral("Anna-New-Secret-2"));
    dialog->findChild<QLineEdit *>(QStringLiteral("repeatPasswordEdit"))
        ->setText(QStringLiteral("Anna-New-Secret-2"));

    // The wrong current password: refused by the server, nothing changed.
    dialog->findChild<QLineEdit *>(QStringLiteral("currentPasswordEdit"))
        ->setText(QStringLiteral("not-my-password"));
    QSignalSpy attempt(dialog, &PasswordDialog::attemptFinished);
    clickOk(dialog);
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), false);
    QCOMPARE(dialog->findChild<ErrorView *>(QStringLiteral("errorView"))->error()->code,
        ErrorCode::CurrentPasswordWrong);
    QVERIFY(saveScreenshot(dialog, QStringLiteral("account-password-wrong")));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = "
                                          "'PASSWORD_SET' AND new_row->>'login' = '%1'")
                               .arg(anna)),
        QStringLiteral("0"));

    dialog->findChild<QLineEdit *>(QStringLiteral("currentPasswordEdit"))
        ->setText(QStringLiteral("anna-secret-1"));
    clickOk(dialog);
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), true);
    QVERIFY(page.findChild<ErrorView *>(QStringLiteral("errorView"))
                ->text()
                .contains(QLatin1String("Your password was changed")));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT changed_by FROM audit_log WHERE action = "
                                          "'PASSWORD_SET' AND new_row->>'login' = '%1'")
                               .arg(anna)),
        anna);

    // Signing in: the old password no longer, the new one yes.
    LoginDialog old(tcp(anna));
    old.show();
    QVERIFY(!signIn(&old, anna, QStringLiteral("anna-secret-1")));
    LoginDialog renewed(tcp(anna));
    renewed.show();
    QVERIFY(signIn(&renewed, anna, QStringLiteral("Anna-New-Secret-2")));
    QCOMPARE(renewed.session().login, anna);
}

void TestAccount::logOutShouldLeadBackToSignInAndAnotherLoginInTheSameProcess()
{
    const QString ben = createLogin(
        QStringLiteral("ben"), QStringLiteral("support"), QStringLiteral("ben-secret-11"));
    const QString cleo = createLogin(
        QStringLiteral("cleo"), QStringLiteral("admin"), QStringLiteral("cleo-secret-11"));
    SessionFlow flow(tcp(ben));
    QSignalSpy shown(&flow, &SessionFlow::signInShown);
    QSignalSpy signedIn(&flow, &SessionFlow::signedIn);
    QSignalSpy finished(&flow, &SessionFlow::finished);
    flow.start();
    QCOMPARE(shown.count(), 1);
    QVERIFY(signIn(flow.loginDialog(), ben, QStringLiteral("ben-secret-11")));
    QCOMPARE(signedIn.count(), 1);
    QPointer<MainWindow> first = flow.window();
    QVERIFY(first);
    QSignalSpy refreshed(first.data(), &MainWindow::refreshed);
    QVERIFY(refreshed.wait(kWait));
    QCOMPARE(first->session().login, ben);
    QVERIFY(!first->staffPage()); // support

    // Log out from My account.
    AccountPage *account = first->showAccount();
    QVERIFY(account->isVisible());
    QVERIFY(saveScreenshot(first.data(), QStringLiteral("account-in-window")));
    account->findChild<QPushButton *>(QStringLiteral("signOutButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(first.isNull(), kWait);
    QCOMPARE(shown.count(), 2);
    QCOMPARE(finished.count(), 0);
    LoginDialog *again = flow.loginDialog();
    QVERIFY(again && again->isVisible());
    // Where the last sign-in went, without its password.
    QCOMPARE(again->findChild<QLineEdit *>(QStringLiteral("userEdit"))->text(), ben);
    QVERIFY(again->findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->text().isEmpty());

    // Someone else, in the same process.
    QVERIFY(signIn(again, cleo, QStringLiteral("cleo-secret-11")));
    QCOMPARE(signedIn.count(), 2);
    MainWindow *second = flow.window();
    QSignalSpy refreshedAgain(second, &MainWindow::refreshed);
    QVERIFY(refreshedAgain.wait(kWait));
    QCOMPARE(second->session().login, cleo);
    QCOMPARE(second->session().role, std::optional<StaffRole>(StaffRole::Admin));
    QVERIFY(second->staffPage()); // an administrator's window has the staff page
    // The new window's connections are Cleo's: the database says so.
    QTRY_COMPARE_WITH_TIMEOUT(m_tdb->scalar(QStringLiteral("SELECT count(*) > 0 FROM "
                                                           "pg_stat_activity WHERE usename = "
                                                           "'%1'")
                                                .arg(cleo)),
        QStringLiteral("true"), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM "
                                                           "pg_stat_activity WHERE usename = "
                                                           "'%1'")
                                                .arg(ben)),
        QStringLiteral("0"), kWait);

    // Closing the window ends the flow.
    second->close();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWait);
}

// After the person changed their own password, the window's connections are opened again with
// the new one: the server ends the window's session (an outage, a restart), and the next work
// of the window reconnects and signs in.
void TestAccount::aReconnectAfterOwnPasswordChangeShouldUseTheNewPassword()
{
    const QString dora = createLogin(
        QStringLiteral("dora"), QStringLiteral("support"), QStringLiteral("dora-secret-1"));
    SessionInfo session;
    session.login = dora;
    session.displayName = dora;
    session.role = StaffRole::Support;
    Desk desk(tcp(dora, QStringLiteral("dora-secret-1")), session);
    QCOMPARE(whoAmI(&desk, DbRunner::Lane::Window).value(), dora);
    const qint64 before = desk.runner()->windowBackendPid();
    QVERIFY(before > 0);

    AccountPage page(&desk);
    page.show();
    page.findChild<QPushButton *>(QStringLiteral("passwordButton"))->click();
    auto *dialog = page.findChild<PasswordDialog *>(QStringLiteral("passwordDialog"));
    QVERIFY(dialog);
    dialog->findChild<QLineEdit *>(QStringLiteral("currentPasswordEdit"))
        ->setText(QStringLiteral("dora-secret-1"));
    dialog->findChild<QLineEdit *>(QStringLiteral("newPasswordEdit"))
        ->setText(QStringLiteral("Dora-New-Secret-2"));
    dialog->findChild<QLineEdit *>(QStringLiteral("repeatPasswordEdit"))
        ->setText(QStringLiteral("Dora-New-Secret-2"));
    QSignalSpy attempt(dialog, &PasswordDialog::attemptFinished);
    clickOk(dialog);
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), true);
    QCOMPARE(desk.connection().currentPassword(), QStringLiteral("Dora-New-Secret-2"));

    // The outage: the server ends every session of the login.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(pg_terminate_backend(pid)) > 0 FROM "
                                          "pg_stat_activity WHERE usename = '%1'")
                               .arg(dora)),
        QStringLiteral("true"));
    // The first work after it may meet the dead connection; the one after reconnects.
    (void)whoAmI(&desk, DbRunner::Lane::Window);
    const Result<QString> again = whoAmI(&desk, DbRunner::Lane::Window);
    QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().fullMessage()));
    QCOMPARE(again.value(), dora);
    QVERIFY(desk.runner()->windowBackendPid() != before);
    // Long work opens a connection of its own: the new password too.
    const Result<QString> own = whoAmI(&desk, DbRunner::Lane::Own);
    QVERIFY2(own.ok(), own.ok() ? "" : qPrintable(own.error().fullMessage()));
    QCOMPARE(own.value(), dora);
}

QTEST_MAIN(TestAccount)
#include "tst_account.moc"
