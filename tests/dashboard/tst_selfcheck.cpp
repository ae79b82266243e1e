// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "selfcheck.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QProcess>
#include <QTest>

#include <memory>

using namespace simdesk;

// `simdesk --check` (app/gui/selfcheck.h): in this process against the test cluster, as the
// built program offscreen, and failing on a server that is not there.
class TestSelfCheck : public QObject
{
    Q_OBJECT

public:
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyCheckShouldPassAgainstTheTestDatabase();
    void theProgramShouldPassItsCheckOffscreenAndExitZero();
    void aServerThatIsNotThereShouldEndTheCheckWithFailure();

private:
    std::unique_ptr<TestDatabase> m_tdb;
};

void TestSelfCheck::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("selfcheck"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
}

void TestSelfCheck::cleanupTestCase()
{
    m_tdb.reset();
}

void TestSelfCheck::everyCheckShouldPassAgainstTheTestDatabase()
{
    QString text;
    QTextStream out(&text);
    SelfCheck::Options options;
    options.connection = m_tdb->settings();
    QCOMPARE(SelfCheck::run(out, options), 0);
    const QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    qInfo().noquote() << text;
    QCOMPARE(lines.size(), 6);
    for (const QString &l : lines)
        QVERIFY2(l.startsWith(QLatin1String("ok    ")), qPrintable(l));
    QVERIFY(lines.at(3).contains(QLatin1String("D3 7.")));
    QVERIFY(lines.at(4).contains(QLatin1String("2 segments drawn")));
    QVERIFY(lines.at(5).contains(m_tdb->name()));
}

void TestSelfCheck::theProgramShouldPassItsCheckOffscreenAndExitZero()
{
    const ConnectionSettings s = m_tdb->settings();
    const QString url = QStringLiteral("postgresql:///%1?host=%2&port=%3&user=%4")
                            .arg(s.database, s.host)
                            .arg(s.port)
                            .arg(s.user);
    QProcess simdesk;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    simdesk.setProcessEnvironment(env);
    simdesk.setProcessChannelMode(QProcess::MergedChannels);
    simdesk.start(
        QStringLiteral(SIMDESK_GUI), { QStringLiteral("--check"), QStringLiteral("--db"), url });
    QVERIFY(simdesk.waitForFinished(120000));
    const QString output = QString::fromUtf8(simdesk.readAll());
    qInfo().noquote() << output;
    QCOMPARE(simdesk.exitStatus(), QProcess::NormalExit);
    QCOMPARE(simdesk.exitCode(), 0);
    QVERIFY(output.contains(QLatin1String("ok    WebChannel")));
    QVERIFY(output.contains(QLatin1String("ok    Database")));
}

void TestSelfCheck::aServerThatIsNotThereShouldEndTheCheckWithFailure()
{
    QString text;
    QTextStream out(&text);
    SelfCheck::Options options;
    ConnectionSettings nowhere;
    nowhere.host = QStringLiteral("127.0.0.1");
    nowhere.port = 1; // nothing listens there
    nowhere.database = QStringLiteral("simdesk");
    nowhere.user = QStringLiteral("nobody");
    options.connection = nowhere;
    QCOMPARE(SelfCheck::run(out, options), 1);
    const QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    QVERIFY2(lines.last().startsWith(QLatin1String("FAIL  Database")), qPrintable(text));
}

QTEST_MAIN(TestSelfCheck)
#include "tst_selfcheck.moc"
