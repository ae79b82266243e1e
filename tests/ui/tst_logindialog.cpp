// SPDX-License-Identifier: MIT
#include "common/errorview.h"
#include "db/migrator.h"
#include "login/logindialog.h"
#include "login/serverprofiledialog.h"
#include "screenshots.h"
#include "testdatabase.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

#include <memory>

Q_DECLARE_METATYPE(simdesk::ErrorCode)

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
    void eachFailureShouldHaveItsOwnMessage_data();
    void eachFailureShouldHaveItsOwnMessage();
    void withoutKeychainRememberShouldBeOffAndSayWhy();
    void profilesShouldBeAddedChosenEditedAndRemovedAndRememberTheLogin();

private:
    bool attempt(LoginDialog &dialog, const QString &password);

    std::unique_ptr<TestDatabase> m_tdb;
    ConnectionSettings m_tcp;
    QString m_login;
};

void TestLoginDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    SignInSettings().setProfiles({});
    SignInSettings().setLastProfile(QString());
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

void TestLoginDialog::eachFailureShouldHaveItsOwnMessage_data()
{
    QTest::addColumn<QString>("who"); // "anna", "gone" (disabled), "outsider"
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("port"); // 0: the cluster's
    QTest::addColumn<QString>("schema"); // "", "old", "new"
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("words"); // in the message

    QTest::newRow("wrong password")
        << "anna"
        << "wrong-1" << 0 << "" << ErrorCode::AuthenticationFailed << "did not accept the login";
    QTest::newRow("login disabled")
        << "gone"
        << "gone-secret-1" << 0 << "" << ErrorCode::LoginDisabled << "is disabled";
    QTest::newRow("no SimDesk role")
        << "outsider"
        << "outsider-1" << 0 << "" << ErrorCode::NoSimDeskRole << "not allowed to use SimDesk";
    // Nothing listens on port 1: the message names the server.
    QTest::newRow("server unreachable")
        << "anna"
        << "anna-secret-1" << 1 << "" << ErrorCode::ConnectionFailed << "host=127.0.0.1 port=1";
    QTest::newRow("schema too old")
        << "anna"
        << "anna-secret-1" << 0 << "old" << ErrorCode::SchemaTooOld << "simdesk-cli migrate";
    QTest::newRow("schema too new")
        << "anna"
        << "anna-secret-1" << 0 << "new" << ErrorCode::SchemaTooNew << "Install the newer SimDesk";
}

void TestLoginDialog::eachFailureShouldHaveItsOwnMessage()
{
    QFETCH(QString, who);
    QFETCH(QString, password);
    QFETCH(int, port);
    QFETCH(QString, schema);
    QFETCH(ErrorCode, code);
    QFETCH(QString, words);
    const QString login = m_tdb->name() + QLatin1Char('_') + who;
    if (who == QLatin1String("gone")
        && m_tdb->scalar(
               QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'").arg(login))
            == QLatin1String("0"))
        QCOMPARE(m_tdb->exec(QStringLiteral("CREATE ROLE %1 NOLOGIN PASSWORD 'gone-secret-1' IN "
                                            "ROLE simdesk_support")
                                 .arg(login)),
            QString());
    // The newest migration moved out of the way (too old) or one from the future (too new).
    const QString latest = QString::number(Migrator(m_tdb->connect()).latestVersion());
    if (schema == QLatin1String("old"))
        QCOMPARE(m_tdb->exec(QStringLiteral("UPDATE schema_migrations SET version = -version "
                                            "WHERE version = %1")
                                 .arg(latest)),
            QString());
    if (schema == QLatin1String("new"))
        QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO schema_migrations (version, name, "
                                            "checksum) VALUES (%1 + 1, 'from_the_future', 'x')")
                                 .arg(latest)),
            QString());
    ConnectionSettings s = m_tcp;
    s.user = login;
    if (port > 0)
        s.port = port;
    LoginDialog dialog(s);
    dialog.show();
    const bool signedIn = attempt(dialog, password);
    // The schema as it was, whatever happened.
    if (schema == QLatin1String("old"))
        m_tdb->exec(QStringLiteral("UPDATE schema_migrations SET version = -version WHERE version "
                                   "= -%1")
                        .arg(latest));
    if (schema == QLatin1String("new"))
        m_tdb->exec(
            QStringLiteral("DELETE FROM schema_migrations WHERE version = %1 + 1").arg(latest));
    QVERIFY(!signedIn);
    QVERIFY(dialog.isVisible());
    auto *error = dialog.findChild<ErrorView *>(QStringLiteral("errorView"));
    QVERIFY(error->error().has_value());
    QCOMPARE(error->error()->code, code);
    QVERIFY2(error->text().contains(words), qPrintable(error->text()));
    if (code == ErrorCode::SchemaTooOld || code == ErrorCode::SchemaTooNew)
        QVERIFY(saveScreenshot(&dialog, QStringLiteral("login-schema-") + schema));
}

void TestLoginDialog::withoutKeychainRememberShouldBeOffAndSayWhy()
{
    // CTest gives this test no session bus (tests/ui/CMakeLists.txt): no keychain.
    LoginDialog dialog(m_tcp);
    QSignalSpy checked(&dialog, &LoginDialog::keychainChecked);
    dialog.show();
    QVERIFY(checked.wait(20000));
    QCOMPARE(checked.at(0).at(0).toBool(), false);
    auto *remember = dialog.findChild<QCheckBox *>(QStringLiteral("rememberCheck"));
    QVERIFY(!remember->isEnabled());
    QVERIFY(!remember->isChecked());
    QVERIFY2(remember->toolTip().contains(QLatin1String("no keychain")),
        qPrintable(remember->toolTip()));
}

void TestLoginDialog::profilesShouldBeAddedChosenEditedAndRemovedAndRememberTheLogin()
{
    // No server on the command line: the dialog starts from the profiles.
    ConnectionSettings none;
    auto dialog = std::make_unique<LoginDialog>(none);
    dialog->show();
    auto *profiles = dialog->findChild<QComboBox *>(QStringLiteral("profileCombo"));
    QCOMPARE(profiles->count(), 1); // "Other server"
    QVERIFY(!dialog->findChild<QPushButton *>(QStringLiteral("editProfileButton"))->isEnabled());

    // New…: the profile editor, filled with the server typed so far.
    dialog->findChild<QLineEdit *>(QStringLiteral("hostEdit"))
        ->setText(QStringLiteral("127.0.0.1"));
    dialog->findChild<QSpinBox *>(QStringLiteral("portSpin"))->setValue(m_tcp.port);
    dialog->findChild<QLineEdit *>(QStringLiteral("databaseEdit"))->setText(m_tdb->name());
    dialog->findChild<QPushButton *>(QStringLiteral("newProfileButton"))->click();
    auto *editor = dialog->findChild<ServerProfileDialog *>(QStringLiteral("serverProfileDialog"));
    QVERIFY(editor);
    QCOMPARE(editor->findChild<QLineEdit *>(QStringLiteral("hostEdit"))->text(),
        QStringLiteral("127.0.0.1"));
    auto *tls = editor->findChild<QComboBox *>(QStringLiteral("tlsCombo"));
    QCOMPARE(tls->currentData().toString(), QString()); // automatic
    // No name: refused with a word of why.
    auto *save = editor->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                     ->button(QDialogButtonBox::Ok);
    save->click();
    QVERIFY(editor->isVisible());
    QVERIFY(editor->findChild<ErrorView *>(QStringLiteral("errorView"))
                ->text()
                .contains(QLatin1String("name")));
    QTest::keyClicks(
        editor->findChild<QLineEdit *>(QStringLiteral("nameEdit")), QStringLiteral("Test lab"));
    QVERIFY(!editor->findChild<ErrorView *>(QStringLiteral("errorView"))->isVisible());
    tls->setCurrentIndex(tls->findData(QStringLiteral("prefer")));
    editor->findChild<QLineEdit *>(QStringLiteral("caFileEdit"))
        ->setText(QStringLiteral("/etc/simdesk/ca.crt"));
    QVERIFY(saveScreenshot(editor, QStringLiteral("login-profile-editor")));
    save->click();
    QCOMPARE(profiles->count(), 2);
    QCOMPARE(profiles->currentText(), QStringLiteral("Test lab"));
    QCOMPARE(dialog->profileName(), QStringLiteral("Test lab"));
    // A profile's server is changed with Edit…, not in the fields; its TLS goes to libpq.
    QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("hostEdit"))->isReadOnly());
    QVERIFY(dialog->settings().options.contains(QLatin1String("sslmode=prefer")));
    QVERIFY(dialog->settings().options.contains(QLatin1String("sslrootcert=/etc/simdesk/ca.crt")));

    // Edit…: no CA file after all (the test cluster has no TLS), and a second profile.
    dialog->findChild<QPushButton *>(QStringLiteral("editProfileButton"))->click();
    ServerProfileDialog *again = nullptr;
    for (ServerProfileDialog *d : dialog->findChildren<ServerProfileDialog *>())
        if (d->isVisible())
            again = d;
    QVERIFY(again);
    QCOMPARE(again->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->text(),
        QStringLiteral("Test lab"));
    again->findChild<QLineEdit *>(QStringLiteral("caFileEdit"))->clear();
    again->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
        ->button(QDialogButtonBox::Ok)
        ->click();
    QVERIFY(!dialog->settings().options.contains(QLatin1String("sslrootcert")));

    // Signing in with the profile remembers it and its login (never the password).
    dialog->findChild<QLineEdit *>(QStringLiteral("userEdit"))->setText(m_login);
    QVERIFY(saveScreenshot(dialog.get(), QStringLiteral("login-profiles")));
    QVERIFY(attempt(*dialog, QStringLiteral("anna-secret-1")));
    dialog.reset();
    QCOMPARE(SignInSettings().lastProfile(), QStringLiteral("Test lab"));
    QCOMPARE(SignInSettings().profiles().size(), 1);
    QCOMPARE(SignInSettings().profiles().first().lastLogin, m_login);
    QSettings raw;
    for (const QString &key : raw.allKeys())
        QVERIFY2(
            !raw.value(key).toString().contains(QLatin1String("anna-secret-1")), qPrintable(key));

    // The next sign-in: the profile chosen, its login filled in.
    LoginDialog next(none);
    next.show();
    QCOMPARE(next.profileName(), QStringLiteral("Test lab"));
    QCOMPARE(next.findChild<QLineEdit *>(QStringLiteral("userEdit"))->text(), m_login);
    QCOMPARE(next.findChild<QLineEdit *>(QStringLiteral("hostEdit"))->text(),
        QStringLiteral("127.0.0.1"));
    QCOMPARE(next.findChild<QLineEdit *>(QStringLiteral("databaseEdit"))->text(), m_tdb->name());
    // Remove: gone from the list and from the settings.
    next.findChild<QPushButton *>(QStringLiteral("removeProfileButton"))->click();
    QCOMPARE(next.findChild<QComboBox *>(QStringLiteral("profileCombo"))->count(), 1);
    QVERIFY(next.profileName().isEmpty());
    QVERIFY(SignInSettings().profiles().isEmpty());
}

QTEST_MAIN(TestLoginDialog)
#include "tst_logindialog.moc"
