// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "login/logindialog.h"
#include "login/passwordkeychain.h"
#include "screenshots.h"
#include "testdatabase.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace simdesk;

namespace {

constexpr int kWait = 20000;

// The keychain's answer to `start`, waited for.
template<typename T> std::optional<T> await(std::function<void(std::function<void(T)>)> start)
{
    std::optional<T> out;
    start([&out](T value) { out = std::move(value); });
    (void)QTest::qWaitFor([&out] { return out.has_value(); }, kWait);
    return out;
}

} // namespace

// "Remember password" in the desktop's keychain, against a real Secret Service: GNOME's keyring
// on a D-Bus session of the test's own (tests/ui/with-keyring), and the real database.
class TestKeychain : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void aPasswordShouldBeStoredAndReadBack();
    void rememberShouldBeOffByDefaultAndFillThePasswordNextTime();
    void noSettingsFileShouldHoldThePassword();
    void signingInWithRememberOffShouldForgetIt();

private:
    bool signIn(LoginDialog &dialog);

    std::unique_ptr<TestDatabase> m_tdb;
    ConnectionSettings m_tcp;
    QString m_login;
    const QString m_password = QStringLiteral("Keyring-Secret-0815");
};

void TestKeychain::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Whether a keychain can be had at all: skipped, with the reason, where it cannot; under CI,
    // whose scripts/deps installs the keyring, that is a failure.
    QString missing = qEnvironmentVariable("SIMDESK_KEYRING_MISSING");
    if (missing.isEmpty()) {
        std::optional<QString> reason;
        QObject context;
        PasswordKeychain::probe(&context, [&reason](bool available, const QString &why) {
            reason = available ? QString() : why;
        });
        (void)QTest::qWaitFor([&reason] { return reason.has_value(); }, kWait);
        if (!reason)
            missing = QStringLiteral("the keychain did not answer within %1 ms").arg(kWait);
        else if (!reason->isEmpty())
            missing = QStringLiteral("the keychain is not usable: ") + *reason;
    }
    if (!missing.isEmpty()) {
        if (qEnvironmentVariable("CI") == QLatin1String("true"))
            QFAIL(qPrintable(QStringLiteral("No headless keyring under CI: ") + missing));
        QSKIP(qPrintable(QStringLiteral("No headless keyring: ") + missing));
    }

    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("keychain"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_login = m_tdb->createLogin(QStringLiteral("erik"), QStringLiteral("support"));
    QCOMPARE(
        m_tdb->exec(QStringLiteral("ALTER ROLE \"%1\" PASSWORD '%2'").arg(m_login, m_password)),
        QString());
    m_tcp = m_tdb->settings();
    m_tcp.host = QStringLiteral("127.0.0.1"); // over TCP the cluster asks for passwords
    m_tcp.user = m_login;
}

void TestKeychain::cleanupTestCase()
{
    m_tdb.reset();
}

bool TestKeychain::signIn(LoginDialog &dialog)
{
    QSignalSpy finished(&dialog, &LoginDialog::attemptFinished);
    dialog.findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
        ->button(QDialogButtonBox::Ok)
        ->click();
    return finished.wait(kWait) && finished.at(0).at(0).toBool();
}

void TestKeychain::aPasswordShouldBeStoredAndReadBack()
{
    QObject context;
    const QString key = PasswordKeychain::key(QStringLiteral("probe-user"),
        QStringLiteral("db.example.net"), 5432, QStringLiteral("simdesk"));
    const std::optional<bool> stored = await<bool>([&](std::function<void(bool)> done) {
        PasswordKeychain::store(&context, key, QStringLiteral("p4ss wörd"),
            [done](bool ok, const QString &) { done(ok); });
    });
    QCOMPARE(stored, std::optional<bool>(true));
    const auto read
        = await<std::optional<QString>>([&](std::function<void(std::optional<QString>)> done) {
              PasswordKeychain::read(&context, key, done);
          });
    QVERIFY(read.has_value());
    QCOMPARE(*read, std::optional<QString>(QStringLiteral("p4ss wörd")));
    const std::optional<bool> removed = await<bool>([&](std::function<void(bool)> done) {
        PasswordKeychain::remove(&context, key, [done](bool ok, const QString &) { done(ok); });
    });
    QCOMPARE(removed, std::optional<bool>(true));
    const auto gone
        = await<std::optional<QString>>([&](std::function<void(std::optional<QString>)> done) {
              PasswordKeychain::read(&context, key, done);
          });
    QVERIFY(gone.has_value());
    QVERIFY(!gone->has_value());
}

void TestKeychain::rememberShouldBeOffByDefaultAndFillThePasswordNextTime()
{
    {
        LoginDialog dialog(m_tcp);
        QSignalSpy checked(&dialog, &LoginDialog::keychainChecked);
        dialog.show();
        QVERIFY(checked.wait(kWait));
        QCOMPARE(checked.at(0).at(0).toBool(), true);
        auto *remember = dialog.findChild<QCheckBox *>(QStringLiteral("rememberCheck"));
        QVERIFY(remember->isVisible());
        QVERIFY(remember->isEnabled());
        QVERIFY(!remember->isChecked()); // off by default
        dialog.findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->setText(m_password);
        remember->setChecked(true);
        QVERIFY(saveScreenshot(&dialog, QStringLiteral("login-remember-password")));
        QSignalSpy updated(&dialog, &LoginDialog::keychainUpdated);
        QVERIFY(signIn(dialog));
        QVERIFY(updated.count() > 0 || updated.wait(kWait));
        QCOMPARE(updated.at(0).at(0).toBool(), true);
    }
    // The next sign-in as this login on this server: the password is filled in, the box ticked.
    LoginDialog next(m_tcp);
    QSignalSpy looked(&next, &LoginDialog::rememberedPasswordLooked);
    next.show();
    QVERIFY(looked.wait(kWait));
    QCOMPARE(looked.last().at(0).toBool(), true);
    QCOMPARE(next.findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->text(), m_password);
    QVERIFY(next.findChild<QCheckBox *>(QStringLiteral("rememberCheck"))->isChecked());
    QVERIFY(signIn(next));
}

void TestKeychain::noSettingsFileShouldHoldThePassword()
{
    // Everything QSettings wrote for SimDesk (in test mode: under ~/.qttest), and the rest of
    // the configuration folders, read as bytes: the password is in none of them.
    QSettings settings;
    settings.sync();
    QStringList folders { QFileInfo(settings.fileName()).absolutePath(),
        QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) };
    int files = 0;
    for (const QString &folder : std::as_const(folders)) {
        QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (!f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(m_password.toUtf8()), qPrintable(f.fileName()));
            QVERIFY2(!bytes.contains(m_password.toUtf8().toBase64()), qPrintable(f.fileName()));
        }
    }
    QVERIFY2(files > 0, "SimDesk wrote no settings file: nothing was checked");
    QVERIFY(!QFile::exists(settings.fileName())
        || !settings.allKeys().join(QLatin1Char(' ')).contains(QLatin1String("password")));
}

void TestKeychain::signingInWithRememberOffShouldForgetIt()
{
    {
        LoginDialog dialog(m_tcp);
        QSignalSpy looked(&dialog, &LoginDialog::rememberedPasswordLooked);
        dialog.show();
        QVERIFY(looked.wait(kWait));
        auto *remember = dialog.findChild<QCheckBox *>(QStringLiteral("rememberCheck"));
        QVERIFY(remember->isChecked());
        remember->setChecked(false);
        QSignalSpy updated(&dialog, &LoginDialog::keychainUpdated);
        QVERIFY(signIn(dialog));
        QVERIFY(updated.count() > 0 || updated.wait(kWait));
        QCOMPARE(updated.at(0).at(0).toBool(), true);
    }
    LoginDialog next(m_tcp);
    QSignalSpy looked(&next, &LoginDialog::rememberedPasswordLooked);
    next.show();
    QVERIFY(looked.wait(kWait));
    QCOMPARE(looked.last().at(0).toBool(), false);
    QVERIFY(next.findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->text().isEmpty());
    QVERIFY(!next.findChild<QCheckBox *>(QStringLiteral("rememberCheck"))->isChecked());
}

QTEST_MAIN(TestKeychain)
#include "tst_keychain.moc"
