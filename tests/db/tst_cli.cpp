// SPDX-License-Identifier: MIT
#include "cli/clicommands.h"
#include "testdatabase.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace simdesk;

// simdesk-cli's commands, run in-process against the test cluster.
class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void migrateShouldApplyThenReportUpToDate();
    void demoDataShouldFillOnceThenRefuse();
    void statusShouldListEveryStatus();
    void badUsageShouldExitWithTwo_data();
    void badUsageShouldExitWithTwo();
    void unreachableServerShouldExitWithTwo();
    void staffCommandsShouldManageLogins();
    void shouldAskForThePasswordWhenTheServerWantsOne();

private:
    struct Run
    {
        int code;
        QString out;
        QString err;
    };
    Run run(
        QStringList args, const QString &stdinText = {},
        CliCommands::PasswordPrompt prompt = [](const QString &) { return std::nullopt; }) const;
    QString url() const;

    std::unique_ptr<TestDatabase> m_tdb;
};

void TestCli::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("cli"));
    REQUIRE_DATABASE(*m_tdb);
}

void TestCli::cleanupTestCase()
{
    m_tdb.reset();
}

QString TestCli::url() const
{
    const ConnectionSettings s = m_tdb->settings();
    return QStringLiteral("postgresql:///%1?host=%2&port=%3&user=%4")
        .arg(s.database, s.host, QString::number(s.port), s.user);
}

TestCli::Run TestCli::run(
    QStringList args, const QString &stdinText, CliCommands::PasswordPrompt prompt) const
{
    args.prepend(QStringLiteral("simdesk-cli"));
    QString out;
    QString err;
    QString input = stdinText;
    QTextStream outStream(&out);
    QTextStream errStream(&err);
    QTextStream inStream(&input);
    const int code = CliCommands(outStream, errStream, &inStream, std::move(prompt)).run(args);
    outStream.flush();
    errStream.flush();
    return { code, out, err };
}

void TestCli::migrateShouldApplyThenReportUpToDate()
{
    Run r = run({ QStringLiteral("migrate"), QStringLiteral("--db"), url() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("Applied migration 001.")), qPrintable(r.out));
    r = run({ QStringLiteral("migrate"), QStringLiteral("--db"), url() });
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith(QLatin1String("Schema is up to date")), qPrintable(r.out));
}

void TestCli::demoDataShouldFillOnceThenRefuse()
{
    Run r = run({ QStringLiteral("demo-data"), QStringLiteral("--sims"), QStringLiteral("300"),
        QStringLiteral("--db"), url() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards")), QStringLiteral("300"));
    r = run({ QStringLiteral("demo-data"), QStringLiteral("--db"), url() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("already holds 300 SIM cards")), qPrintable(r.err));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards")), QStringLiteral("300"));
}

void TestCli::statusShouldListEveryStatus()
{
    const Run r = run({ QStringLiteral("status"), QStringLiteral("--db"), url() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    for (const char *s :
        { "AVAILABLE", "RESERVED", "ACTIVE", "SUSPENDED", "LOST_STOLEN", "TERMINATED" })
        QVERIFY2(r.out.contains(QLatin1String(s)), s);
    const QString active
        = m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE status = 'ACTIVE'"));
    QVERIFY2(r.out.contains(QStringLiteral("ACTIVE      %1\n").arg(active)), qPrintable(r.out));
}

void TestCli::badUsageShouldExitWithTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList {} << "no command given";
    QTest::newRow("unknown command") << QStringList { "explode" } << "unknown command “explode”";
    QTest::newRow("unknown option") << QStringList { "migrate", "--frobnicate" } << "frobnicate";
    QTest::newRow("bad URL") << QStringList { "migrate", "--db", "http://x" }
                             << "is not a database address";
    QTest::newRow("size not a number")
        << QStringList { "demo-data", "--sims", "lots", "--db", "@URL@" } << "whole numbers";
}

void TestCli::badUsageShouldExitWithTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    args.replaceInStrings(QStringLiteral("@URL@"), url());
    const Run r = run(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

void TestCli::unreachableServerShouldExitWithTwo()
{
    // Port 1 on loopback: nothing listens there.
    const Run r = run({ QStringLiteral("status"), QStringLiteral("--db"),
        QStringLiteral("postgresql://nobody@127.0.0.1:1/none?connect_timeout=3") });
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("Could not connect to the database")), qPrintable(r.err));
}

void TestCli::staffCommandsShouldManageLogins()
{
    for (const QString &help : { QStringLiteral("--help"), QStringLiteral("help") }) {
        const Run h = run({ QStringLiteral("staff"), help });
        QVERIFY2(h.code == 0, qPrintable(h.err));
        QVERIFY2(h.out.contains(QLatin1String("staff add LOGIN")), qPrintable(h.out));
        QVERIFY2(h.out.contains(QLatin1String("--db")), qPrintable(h.out));
    }

    const QString login = m_tdb->name() + QStringLiteral("_anna");
    Run r
        = run({ QStringLiteral("staff"), QStringLiteral("add"), login, QStringLiteral("--role"),
                  QStringLiteral("support"), QStringLiteral("--name"), QStringLiteral("Anna Berg"),
                  QStringLiteral("--email"), QStringLiteral("anna@example.net"),
                  QStringLiteral("--password-stdin"), QStringLiteral("--db"), url() },
            QStringLiteral("a long enough password\n"));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT role FROM staff WHERE login = '%1'").arg(login)),
        QStringLiteral("support"));

    r = run({ QStringLiteral("staff"), QStringLiteral("role"), login, QStringLiteral("admin"),
        QStringLiteral("--db"), url() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run({ QStringLiteral("staff"), QStringLiteral("list"), QStringLiteral("--db"), url() });
    QVERIFY2(r.out.contains(QRegularExpression(
                 QStringLiteral("%1\\s+admin\\s+active\\s+Anna Berg").arg(login))),
        qPrintable(r.out));

    r = run({ QStringLiteral("staff"), QStringLiteral("role"), login, QStringLiteral("boss"),
        QStringLiteral("--db"), url() });
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains(QLatin1String("not a SimDesk role")));

    // Anna is the only admin: disabling her would leave nobody to manage staff.
    r = run({ QStringLiteral("staff"), QStringLiteral("disable"), login, QStringLiteral("--db"),
        url() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("without an active administrator")), qPrintable(r.err));
    QCOMPARE(
        m_tdb->scalar(
            QStringLiteral("SELECT rolcanlogin FROM pg_roles WHERE rolname = '%1'").arg(login)),
        QStringLiteral("true"));
    r = run({ QStringLiteral("staff"), QStringLiteral("add"), login + QStringLiteral("_bo"),
                QStringLiteral("--role"), QStringLiteral("admin"), QStringLiteral("--name"),
                QStringLiteral("Bo Lind"), QStringLiteral("--email"), QStringLiteral("bo@example.net"),
                QStringLiteral("--password-stdin"), QStringLiteral("--db"), url() },
        QStringLiteral("another long password\n"));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run({ QStringLiteral("staff"), QStringLiteral("disable"), login, QStringLiteral("--db"),
        url() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(
        m_tdb->scalar(
            QStringLiteral("SELECT rolcanlogin FROM pg_roles WHERE rolname = '%1'").arg(login)),
        QStringLiteral("false"));

    // No terminal and no --password-stdin: nothing may prompt.
    r = run({ QStringLiteral("staff"), QStringLiteral("password"), login, QStringLiteral("--db"),
        url() });
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("--password-stdin")));
}

void TestCli::shouldAskForThePasswordWhenTheServerWantsOne()
{
    const QString login = m_tdb->name() + QStringLiteral("_ben");
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "CREATE ROLE %1 LOGIN PASSWORD 'pass-for-ben' IN ROLE simdesk_viewer")
                             .arg(login)),
        QString());
    // Over TCP the cluster wants a password.
    const QString tcp = QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
                            .arg(login)
                            .arg(m_tdb->settings().port)
                            .arg(m_tdb->name());
    QStringList prompts;
    const Run asked = run(
        { QStringLiteral("status"), QStringLiteral("--db"), tcp }, {}, [&](const QString &prompt) {
            prompts << prompt;
            return std::optional<QString>(QStringLiteral("pass-for-ben"));
        });
    QVERIFY2(asked.code == 0, qPrintable(asked.err));
    QCOMPARE(prompts, QStringList { QStringLiteral("Password for %1: ").arg(login) });

    const Run noTerminal = run({ QStringLiteral("status"), QStringLiteral("--db"), tcp });
    QCOMPARE(noTerminal.code, 2);
    QVERIFY2(
        noTerminal.err.contains(QLatin1String("no password supplied")), qPrintable(noTerminal.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
