// SPDX-License-Identifier: MIT
#include "db/connectdiagnosis.h"
#include "db/database.h"
#include "db/migrator.h"
#include "testdatabase.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <clocale>
#include <memory>

using namespace simdesk;

// Why a sign-in failed is told by what libpq saw and the server's SQLSTATE, never by the words
// of either: here the workstation (LANG) and the server (lc_messages) speak German, and every
// failure still gets its own message. The test runs a cluster of its own, started by
// scripts/localdb, whose server messages are German.
class TestSignIn : public QObject
{
    Q_OBJECT

public:
    // Before the application object: libpq takes its language from the process locale.
    static void initMain()
    {
        qputenv("LANG", "de_DE.UTF-8");
        qputenv("LC_ALL", "de_DE.UTF-8");
        qputenv("LANGUAGE", "de");
    }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void failuresShouldBeToldApartWhateverTheLanguage_data();
    void failuresShouldBeToldApartWhateverTheLanguage();
    void theRightPasswordShouldSignIn();

private:
    ConnectionSettings tcp(const QString &user, const QString &password) const;
    bool localdb(const QString &command);

    QTemporaryDir m_state;
    std::unique_ptr<TestDatabase> m_tdb;
    QString m_support;
    QString m_disabled;
    QString m_outsider;
};

bool TestSignIn::localdb(const QString &command)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(QStringLiteral(SIMDESK_SOURCE_DIR "/scripts/localdb"), { command, m_state.path() });
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

void TestSignIn::initTestCase()
{
    // The client side: German is the locale this process runs in.
    QVERIFY2(QByteArray(std::setlocale(LC_MESSAGES, nullptr)).startsWith("de_DE"),
        "the de_DE.UTF-8 locale is missing: scripts/deps generates it (locale-gen)");
    QVERIFY(m_state.isValid());
    QVERIFY2(localdb(QStringLiteral("start")), "scripts/localdb could not start a cluster");
    qputenv("SIMDESK_TEST_CLUSTER", m_state.path().toUtf8());
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("signin"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    // The server side: German messages for every new session, the failed sign-ins included.
    QCOMPARE(
        m_tdb->exec(QStringLiteral("ALTER SYSTEM SET lc_messages = 'de_DE.UTF-8'")), QString());
    QCOMPARE(m_tdb->exec(QStringLiteral("SELECT pg_reload_conf()")), QString());
    m_support = m_tdb->createLogin(QStringLiteral("anna"), QStringLiteral("support"));
    m_disabled = m_tdb->createLogin(QStringLiteral("gone"), QStringLiteral("support"));
    m_outsider = m_tdb->name() + QStringLiteral("_outsider");
    for (const QString &sql :
        { QStringLiteral("ALTER ROLE %1 PASSWORD 'anna-secret-1'").arg(m_support),
            QStringLiteral("ALTER ROLE %1 PASSWORD 'gone-secret-1' NOLOGIN").arg(m_disabled),
            QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'outsider-1'").arg(m_outsider) })
        QCOMPARE(m_tdb->exec(sql), QString());
    QTest::qWait(200); // the reload reaches the postmaster
}

void TestSignIn::cleanupTestCase()
{
    m_tdb.reset();
    localdb(QStringLiteral("remove"));
}

ConnectionSettings TestSignIn::tcp(const QString &user, const QString &password) const
{
    ConnectionSettings s = m_tdb->settings();
    s.host = QStringLiteral("127.0.0.1"); // password authentication (scram-sha-256)
    s.user = user;
    s.password = password;
    return s;
}

void TestSignIn::failuresShouldBeToldApartWhateverTheLanguage_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");
    QTest::addColumn<int>("port"); // 0: the cluster's
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("wrong password")
        << "anna"
        << "not-the-password" << QString() << 0 << ErrorCode::AuthenticationFailed;
    QTest::newRow("no such login")
        << "nobody"
        << "whatever-1" << QString() << 0 << ErrorCode::AuthenticationFailed;
    QTest::newRow("no password") << "anna" << QString() << QString() << 0
                                 << ErrorCode::PasswordRequired;
    QTest::newRow("disabled login")
        << "gone"
        << "gone-secret-1" << QString() << 0 << ErrorCode::LoginDisabled;
    QTest::newRow("no SimDesk role") << "outsider"
                                     << "outsider-1" << QString() << 0 << ErrorCode::NoSimDeskRole;
    QTest::newRow("no such database") << "anna"
                                      << "anna-secret-1"
                                      << "no_such_db" << 0 << ErrorCode::DatabaseMissing;
    QTest::newRow("nothing listens")
        << "anna"
        << "anna-secret-1" << QString() << 1 << ErrorCode::ConnectionFailed;
}

void TestSignIn::failuresShouldBeToldApartWhateverTheLanguage()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, database);
    QFETCH(int, port);
    QFETCH(ErrorCode, code);
    const QString login = user == QLatin1String("anna") ? m_support
        : user == QLatin1String("gone")                 ? m_disabled
        : user == QLatin1String("outsider")             ? m_outsider
                                                        : user;
    ConnectionSettings s = tcp(login, password);
    if (!database.isEmpty())
        s.database = database;
    if (port > 0)
        s.port = port;
    const Result<QSqlDatabase> db
        = Database::open(s, Database::uniqueName(QStringLiteral("signin")));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, code);
    QVERIFY(!db.error().message().isEmpty());
    // The words libpq and the server gave are German: the classification did not read them.
    if (code == ErrorCode::AuthenticationFailed && !password.isEmpty())
        QVERIFY2(
            db.error().detail.contains(QLatin1String("Passwort")), qPrintable(db.error().detail));
    if (code == ErrorCode::ConnectionFailed)
        QVERIFY2(
            db.error().detail.contains(QLatin1String("Verbindung")), qPrintable(db.error().detail));
}

void TestSignIn::theRightPasswordShouldSignIn()
{
    const QString name = Database::uniqueName(QStringLiteral("signin"));
    const Result<QSqlDatabase> db
        = Database::open(tcp(m_support, QStringLiteral("anna-secret-1")), name);
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().fullMessage()));
    Database::close(name);
}

QTEST_GUILESS_MAIN(TestSignIn)
#include "tst_signin.moc"
