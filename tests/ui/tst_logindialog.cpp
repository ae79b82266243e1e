// SPDX-License-Identifier: MIT
#include "common/errorview.h"
#include "db/migrator.h"
#include "login/logindialog.h"
#include "screenshots.h"
#include "testdatabase.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <memory>

using namespace simdesk;

class TestLoginDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void shouldPrefillWhereItSignsIn();
    void aWrongPasswordShouldSayWhatHappenedAndStay();
    void theRightPasswordShouldSignInWithTheDatabaseRole();
    void aLoginWithoutSimDeskRoleShouldBeRefused();

private:
    bool attempt(LoginDialog &dialog, const QString &password);

    std::unique_ptr<TestDatabase> m_tdb;
    ConnectionSettings m_tcp;
    QString m_login;
};

void TestLoginDialog::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("login"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_login = m_tdb->name() + QStringLiteral("_anna");
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "CREATE ROLE %1 LOGIN PASSWORD 'anna-secret-1' IN ROLE simdesk_support;"
                 "INSERT INTO staff (login, email, display_name, role) VALUES ('%1', "
                 "'anna@example.net', 'Anna Berg', 'support')")
                             .arg(m_login)),
        QString());
    // Over TCP the cluster asks for passwords, as a real server does.
    m_tcp = m_tdb->settings();
    m_tcp.host = QStringLiteral("127.0.0.1");
    m_tcp.user = m_login;
}

void TestLoginDialog::cleanupTestCase()
{
    m_tdb.reset();
}

bool TestLoginDialog::attempt(LoginDialog &dialog, const QString &password)
{
    QSignalSpy finished(&dialog, &LoginDialog::attemptFinished);
    dialog.findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->setText(password);
    QTest::mouseClick(dialog.findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                          ->button(QDialogButtonBox::Ok),
        Qt::LeftButton);
    if (!finished.wait(20000))
        return false;
    return finished.at(0).at(0).toBool();
}

void TestLoginDialog::shouldPrefillWhereItSignsIn()
{
    LoginDialog dialog(m_tcp);
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("hostEdit"))->text(),
        QStringLiteral("127.0.0.1"));
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("portSpin"))->value(), m_tcp.port);
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("databaseEdit"))->text(), m_tdb->name());
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("userEdit"))->text(), m_login);
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->echoMode(),
        QLineEdit::Password);
}

void TestLoginDialog::aWrongPasswordShouldSayWhatHappenedAndStay()
{
    LoginDialog dialog(m_tcp);
    dialog.show();
    QVERIFY(!attempt(dialog, QStringLiteral("not-the-password")));
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(dialog.isVisible());
    auto *error = dialog.findChild<ErrorView *>(QStringLiteral("errorView"));
    QVERIFY(error->isVisible());
    // libpq's own words under Details, SimDesk's sentence above them.
    QVERIFY(error->error().has_value());
    QVERIFY2(error->error()->detail.contains(QLatin1String("password authentication failed")),
        qPrintable(error->error()->detail));
    QVERIFY2(error->text().contains(QStringLiteral("did not accept the login %1").arg(m_login)),
        qPrintable(error->text()));
    QVERIFY(saveScreenshot(&dialog, QStringLiteral("login-wrong-password")));
}

void TestLoginDialog::theRightPasswordShouldSignInWithTheDatabaseRole()
{
    LoginDialog dialog(m_tcp);
    dialog.show();
    QVERIFY(saveScreenshot(&dialog, QStringLiteral("login")));
    QVERIFY(attempt(dialog, QStringLiteral("anna-secret-1")));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.session().login, m_login);
    QCOMPARE(dialog.session().role, std::optional<StaffRole>(StaffRole::Support));
    QCOMPARE(dialog.session().displayName, QStringLiteral("Anna Berg"));
    QCOMPARE(dialog.settings().password, QStringLiteral("anna-secret-1"));
}

void TestLoginDialog::aLoginWithoutSimDeskRoleShouldBeRefused()
{
    const QString outsider = m_tdb->name() + QStringLiteral("_outsider");
    QCOMPARE(
        m_tdb->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'outsider-1'").arg(outsider)),
        QString());
    ConnectionSettings s = m_tcp;
    s.user = outsider;
    LoginDialog dialog(s);
    dialog.show();
    QVERIFY(!attempt(dialog, QStringLiteral("outsider-1")));
    const QString text = dialog.findChild<ErrorView *>(QStringLiteral("errorView"))->text();
    QVERIFY2(text.contains(QLatin1String("not allowed")), qPrintable(text));
}

QTEST_MAIN(TestLoginDialog)
#include "tst_logindialog.moc"
