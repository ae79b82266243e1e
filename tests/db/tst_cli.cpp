// SPDX-License-Identifier: MIT
#include "cli/clicommands.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
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

    // simdesk-cli import as a new user meets it.
    void importOfAMissingFileShouldBeARefusalWithAReport();
    void importShouldReadTheFormatItIsTold();
    void importShouldCountProblemsNotRows();
    void importShouldGroupManyUnknownColumns();
    void importMessagesShouldNameTheCliOptions();
    void importMessagesShouldUseTheRightPlural();
    void importHelpShouldNameTheCommand();
    void importShouldPrintTheFilesValuesPrintableAndCut();
    void importOfADeviceShouldBeRefusedAtOnce();
    void theReportOptionShouldSayWhatTheReportHolds();
    void exportShouldWriteSpreadsheetSafeCsvOnRequest();
    void setupServerShouldSayWhatItDidAndWhatIsTheSites();

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
    QString adminUrl();
    QString writeFile(const QString &name, const QByteArray &content) const;
    static QJsonObject readReport(const QString &path);

    std::unique_ptr<TestDatabase> m_tdb;
    QString m_adminLogin;
    QTemporaryDir m_dir;
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
    r = run(
        { QStringLiteral("staff"), QStringLiteral("add"), login + QStringLiteral("_bo"),
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

QString TestCli::adminUrl()
{
    // Imports need an administrator's login (the superuser is none).
    if (m_adminLogin.isEmpty())
        m_adminLogin = m_tdb->createLogin(QStringLiteral("cliadmin"), QStringLiteral("admin"));
    const ConnectionSettings s = m_tdb->settings();
    return QStringLiteral("postgresql:///%1?host=%2&port=%3&user=%4")
        .arg(s.database, s.host, QString::number(s.port), m_adminLogin);
}

QString TestCli::writeFile(const QString &name, const QByteArray &content) const
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qWarning("cannot write %s", qPrintable(path));
    return path;
}

QJsonObject TestCli::readReport(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

namespace {

QString testFile(const char *name)
{
    return QStringLiteral(SIMDESK_TEST_DATA "/") + QLatin1String(name);
}

// "iccid,type" rows with valid ICCIDs of TestDatabase's own range, from `first` on.
QByteArray csvRows(int first, int count)
{
    QByteArray out = "iccid,type\n";
    for (int i = first; i < first + count; ++i)
        out += TestDatabase::iccid(i).toLatin1() + ",prepaid\n";
    return out;
}

} // namespace

void TestCli::importOfAMissingFileShouldBeARefusalWithAReport()
{
    // A missing file is a refusal (exit 1) with a one-line message, not a usage
    // error (exit 2) followed by the usage text; --report is written for every refusal.
    const QString report = m_dir.filePath(QStringLiteral("missing.json"));
    const QString missing = m_dir.filePath(QStringLiteral("no-such-file.csv"));
    const Run r = run({ QStringLiteral("import"), missing, QStringLiteral("--report"), report,
        QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("simdesk-cli: Cannot read %1").arg(missing)),
        qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("Commands:")), qPrintable(r.err));
    const QJsonObject json = readReport(report);
    QCOMPARE(json.value(QStringLiteral("committed")).toBool(true), false);
    QCOMPARE(json.value(QStringLiteral("refusal")).toString() + QLatin1Char('\n'),
        r.err.mid(QStringLiteral("simdesk-cli: ").size()));
    QCOMPARE(json.value(QStringLiteral("errors"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("code"))
                 .toString(),
        QStringLiteral("import.unreadable"));
}

void TestCli::importShouldReadTheFormatItIsTold()
{
    // simdesk-cli import --format csv|vendor forces the reader.
    const QString banner = testFile("vendor-banner.out");
    Run r = run(
        { QStringLiteral("import"), banner, QStringLiteral("--type"), QStringLiteral("prepaid"),
            QStringLiteral("--dry-run"), QStringLiteral("--db"), adminUrl() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QLatin1String("vendor-banner.out (vendor-out): 10 rows: 10 valid")),
        qPrintable(r.out));
    // The ignored key material is said, as a CSV file's unknown columns are.
    QVERIFY2(r.err.contains(QStringLiteral("warning: The column “KI” is not used by SimDesk")),
        qPrintable(r.err));

    r = run({ QStringLiteral("import"), banner, QStringLiteral("--format"), QStringLiteral("csv"),
        QStringLiteral("--type"), QStringLiteral("prepaid"), QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("no “iccid” column")), qPrintable(r.err));

    const QString csv = writeFile(QStringLiteral("plain.csv"), csvRows(1, 2));
    r = run({ QStringLiteral("import"), csv, QStringLiteral("--format"), QStringLiteral("vendor"),
        QStringLiteral("--type"), QStringLiteral("prepaid"), QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.startsWith(QLatin1String("simdesk-cli: Line 1 of the vendor file is not "
                                            "understood")),
        qPrintable(r.err));

    r = run({ QStringLiteral("import"), csv, QStringLiteral("--format"), QStringLiteral("xml"),
        QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 2);
    QVERIFY2(
        r.err.contains(QStringLiteral("--format takes auto, csv or vendor")), qPrintable(r.err));
}

void TestCli::importShouldCountProblemsNotRows()
{
    // The terminal summary counts problems, not rows ('… and N more problems'
    // equals what the report holds). 25 rows with 4 problems each, one good row.
    QByteArray content
        = "iccid,type,msisdn,pin\n" + TestDatabase::iccid(50).toLatin1() + ",prepaid,,1234\n";
    for (int i = 0; i < 25; ++i)
        content += "123,bogus,12,x\n";
    const QString report = m_dir.filePath(QStringLiteral("problems.json"));
    const Run r = run({ QStringLiteral("import"),
        writeFile(QStringLiteral("problems.csv"), content), QStringLiteral("--dry-run"),
        QStringLiteral("--report"), report, QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    const qsizetype listed = readReport(report).value(QStringLiteral("errors")).toArray().size();
    QCOMPARE(listed, 100);
    QCOMPARE(r.err.count(QRegularExpression(
                 QStringLiteral("^line \\d+, "), QRegularExpression::MultilineOption)),
        20);
    QVERIFY2(r.err.contains(QStringLiteral("… and %1 more problems").arg(listed - 20)),
        qPrintable(r.err));
}

void TestCli::importShouldGroupManyUnknownColumns()
{
    // Caps warnings like errors; a file with 100,000 unknown columns gives one
    // grouped warning, not 100,000 lines.
    QByteArray header = "iccid,type";
    QByteArray row = TestDatabase::iccid(60).toLatin1() + ",prepaid";
    for (int i = 0; i < 100000; ++i) {
        header += ",x" + QByteArray::number(i);
        row += ",";
    }
    const Run r = run({ QStringLiteral("import"),
        writeFile(QStringLiteral("wide.csv"), header + '\n' + row + '\n'),
        QStringLiteral("--dry-run"), QStringLiteral("--db"), adminUrl() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(r.err.startsWith(QStringLiteral(
                 "warning: 100000 columns are not used by SimDesk and are ignored: “x0”, “x1”")),
        qPrintable(r.err));
}

void TestCli::importMessagesShouldNameTheCliOptions()
{
    // CLI messages name the CLI's flags (--force, --duplicates skip, --type) … and
    // under --duplicates error no message says 'the row is skipped'.
    const QString vendor = testFile("vendor-compact.out");
    Run r = run({ QStringLiteral("import"), vendor, QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("with --type prepaid, --type postpaid or --type "
                                          "data-only")),
        qPrintable(r.err));

    const QString first = writeFile(QStringLiteral("first.csv"), csvRows(100, 3));
    r = run({ QStringLiteral("import"), first, QStringLiteral("--db"), adminUrl() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run({ QStringLiteral("import"), first, QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("Import it again only if you mean to, with --force.")),
        qPrintable(r.err));

    // Three known cards and two new ones under the default --duplicates error.
    const QString mixed = writeFile(QStringLiteral("mixed.csv"), csvRows(100, 5));
    r = run({ QStringLiteral("import"), mixed, QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("3 rows of the file cannot be imported, and with "
                                          "--duplicates error nothing is imported then. Fix the "
                                          "rows listed, or import the others with --duplicates "
                                          "skip.")),
        qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("skipped")), qPrintable(r.err));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE iccid IN ('%1', "
                                          "'%2')")
                               .arg(TestDatabase::iccid(103), TestDatabase::iccid(104))),
        QStringLiteral("0"));
    r = run({ QStringLiteral("import"), mixed, QStringLiteral("--duplicates"),
        QStringLiteral("skip"), QStringLiteral("--db"), adminUrl() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QRegularExpression(
                 QStringLiteral("Imported 2 SIM cards as batch \\d+; 3 skipped"))),
        qPrintable(r.out));
}

void TestCli::importMessagesShouldUseTheRightPlural()
{
    // Plurals are right ('1 row', '1 digit').
    const QString one = writeFile(QStringLiteral("one.csv"),
        "iccid,type,pin\n" + TestDatabase::iccid(200).toLatin1() + ",prepaid,1\n");
    const Run r = run({ QStringLiteral("import"), one, QStringLiteral("--dry-run"),
        QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.startsWith(QLatin1String("one.csv (csv): 1 row: 0 valid, 1 invalid")),
        qPrintable(r.out));
    QVERIFY2(r.err.contains(QLatin1String("line 2, pin: The PIN has 1 digit. A PIN has 4 to 8")),
        qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("The file's one SIM card row cannot be imported")),
        qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("(s)")) && !r.out.contains(QLatin1String("(s)")),
        qPrintable(r.err));
    // Several: the plural.
    QCOMPARE(Error(ErrorCode::PinWrongLength, { QStringLiteral("3") }).message(),
        QStringLiteral("The PIN has 3 digits. A PIN has 4 to 8 digits."));
    QCOMPARE(Error(ErrorCode::IccidWrongLength, { QStringLiteral("1") }).message(),
        QStringLiteral("The ICCID has 1 digit. It must have 19 or 20 digits; check that none are "
                       "missing or doubled."));
}

void TestCli::importHelpShouldNameTheCommand()
{
    for (const char *command : { "import", "export", "staff", "setup-server" }) {
        const Run r = run({ QString::fromLatin1(command), QStringLiteral("--help") });
        QCOMPARE(r.code, 0);
        static const QRegularExpression usage(QStringLiteral("^Usage: \\S+ (\\S+) "));
        const QRegularExpressionMatch m = usage.match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out.left(200)));
        QCOMPARE(m.captured(1), QString::fromLatin1(command));
    }
}

void TestCli::importShouldPrintTheFilesValuesPrintableAndCut()
{
    // A field that would clear the terminal and set its title, and an MSISDN of a megabyte.
    const QByteArray content = "iccid,msisdn,type\n" + TestDatabase::iccid(801).toLatin1()
        + ",+49\x1b[2J\x1b]0;pwned\x07,prepaid\n" + TestDatabase::iccid(802).toLatin1() + ","
        + QByteArray(1000 * 1000, '4') + ",prepaid\n";
    const QString report = m_dir.filePath(QStringLiteral("hostile-report.json"));
    const Run r = run({ QStringLiteral("import"), QStringLiteral("--dry-run"),
        QStringLiteral("--duplicates"), QStringLiteral("skip"), QStringLiteral("--report"), report,
        writeFile(QStringLiteral("hostile.csv"), content), QStringLiteral("--db"), adminUrl() });
    QVERIFY2(r.err.contains(QStringLiteral("“\\x1B” at position 4")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QString(60, u'4') + QChar(0x2026)), qPrintable(r.err.left(500)));
    for (const QChar c : r.out + r.err)
        QVERIFY2(c == u'\n' || (c.unicode() >= 0x20 && c.unicode() != 0x7F), qPrintable(r.err));
    QVERIFY2(r.err.size() < 2000, qPrintable(QString::number(r.err.size())));
    const QJsonObject json = readReport(report);
    const QByteArray text = QJsonDocument(json).toJson();
    QVERIFY2(text.size() < 4000, qPrintable(QString::number(text.size())));
    QVERIFY(!text.contains("\\u001b"));
}

void TestCli::importOfADeviceShouldBeRefusedAtOnce()
{
    QElapsedTimer timer;
    timer.start();
    const Run r = run({ QStringLiteral("import"), QStringLiteral("--dry-run"),
        QStringLiteral("/dev/zero"), QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("/dev/zero is not a regular file")), qPrintable(r.err));
    QVERIFY(timer.elapsed() < 10000);
}

void TestCli::theReportOptionShouldSayWhatTheReportHolds()
{
    const Run r = run({ QStringLiteral("import"), QStringLiteral("--help") });
    QVERIFY2(r.out.simplified().contains(QLatin1String("every problem up to 100000")),
        qPrintable(r.out));
}

void TestCli::exportShouldWriteSpreadsheetSafeCsvOnRequest()
{
    m_tdb->exec(QStringLiteral("INSERT INTO sim_cards (iccid, msisdn, sim_type) VALUES ('%1', "
                               "'+4915999000001', 'prepaid')")
                    .arg(TestDatabase::iccid(901)));
    const QString plain = m_dir.filePath(QStringLiteral("plain.csv"));
    const QString safe = m_dir.filePath(QStringLiteral("safe.csv"));
    QCOMPARE(run({ QStringLiteral("export"), QStringLiteral("-o"), plain, QStringLiteral("--db"),
                     url() })
                 .code,
        0);
    Run r = run({ QStringLiteral("export"), QStringLiteral("--spreadsheet-safe"),
        QStringLiteral("-o"), safe, QStringLiteral("--db"), url() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QFile p(plain);
    QFile f(safe);
    QVERIFY(p.open(QIODevice::ReadOnly) && f.open(QIODevice::ReadOnly));
    const QByteArray plainText = p.readAll();
    const QByteArray safeText = f.readAll();
    QVERIFY(plainText.startsWith("iccid,type,msisdn,imsi\n"));
    QVERIFY(plainText.contains(TestDatabase::iccid(901).toLatin1() + ",prepaid,+4915999000001,\n"));
    QVERIFY(safeText.startsWith("\"iccid\",\"type\",\"msisdn\",\"imsi\"\n"));
    QVERIFY2(safeText.contains("\"" + TestDatabase::iccid(901).toLatin1()
                 + "\",\"prepaid\",\"'+4915999000001\",\"\"\n"),
        safeText.left(300).constData());
    // No cell of it starts with a formula character.
    static const QRegularExpression formula(QStringLiteral("(^|,)\"[=+\\-@\\t\\r]"));
    QVERIFY(!formula.match(QString::fromUtf8(safeText)).hasMatch());
    QCOMPARE(safeText.count('\n'), plainText.count('\n'));
}

void TestCli::setupServerShouldSayWhatItDidAndWhatIsTheSites()
{
    Run r = run({ QStringLiteral("setup-server"), QStringLiteral("--dry-run"),
        QStringLiteral("--db"), url() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("[to do] large-objects")), qPrintable(r.out));
    r = run({ QStringLiteral("setup-server"), QStringLiteral("--only-hardening"),
        QStringLiteral("--db"), url() });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("[done now] large-objects")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("[to do] own-password")), qPrintable(r.out));
    r = run({ QStringLiteral("setup-server"), QStringLiteral("--only-hardening"),
        QStringLiteral("--db"), url() });
    QVERIFY2(r.out.contains(QLatin1String("[in place] large-objects")), qPrintable(r.out));
    QVERIFY(!r.out.contains(QLatin1String("[done now]")));
    // An administrator is no superuser: told so, nothing done.
    r = run({ QStringLiteral("setup-server"), QStringLiteral("--only-hardening"),
        QStringLiteral("--db"), adminUrl() });
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("superuser")), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
