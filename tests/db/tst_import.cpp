// SPDX-License-Identifier: MIT
#include "db/database.h"
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "domain/printable.h"
#include "import/importfileinfo.h"
#include "import/importservice.h"
#include "records/importbatchrepository.h"
#include "services/exportservice.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

#include <QThreadPool>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <sys/stat.h>

using namespace simdesk;

// The import engine against the real database: policies, duplicates, re-import, revert, cancel,
// a killed process, and export → import round trips.
class TestImport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void shouldImportTheSampleCsvInOneBatch();
    void shouldImportAVendorFileCompletingIccids();
    void aVendorFileNeedsAType();
    void policyErrorShouldImportNothingWhenAnyRowIsBad();
    void policySkipShouldImportTheGoodRows();
    void shouldFindDuplicatesInTheFileAndInTheDatabase();
    void skipShouldImportOnlyTheCardsNotYetKnown();
    void aReimportShouldBeRefusedUnlessForced();
    void aDryRunShouldCheckEverythingAndWriteNothing();
    void aPreviewShouldReadOnlyTheFirstRows();
    void cancellingShouldLeaveNothingBehind();
    void cancellingWhileSavingShouldStopTheRunningStatement();
    void twoImportsOfTheSameFileAtOnceShouldCommitOnce();
    void anUnreadableFileShouldBeRefusedWhole();
    void supportShouldNotImport();
    void revertShouldRemoveAnUntouchedBatch();
    void revertShouldRefuseABatchWithUsedCards();
    void aKilledImportShouldLeaveNothingBehind();
    void anExportShouldImportAgainAsIs();
    void theJsonReportShouldListEveryProblem();

    // The import engine as a new user meets it.
    void aFileWithNoImportableRowShouldSaySoWithItsCounts_data();
    void aFileWithNoImportableRowShouldSaySoWithItsCounts();
    void shouldImportTheVendorLayoutsVendorsSend_data();
    void shouldImportTheVendorLayoutsVendorsSend();
    void theFormatOptionShouldForceTheReader();
    void theReportShouldNameTheLinesTheMessagesName_data();
    void theReportShouldNameTheLinesTheMessagesName();
    void aFileWithManyUnknownColumnsShouldGiveOneWarning();
    void noMessageShouldSayARowIsSkippedWhenNothingIs();

    // The problems of a committed import are kept with its batch (010).
    void aSkipImportShouldKeepItsProblemsWithTheBatch();
    void nobodyShouldAddProblemsToABatchLater();

    // The second hardening round: input the import echoes back, files that are no files, real
    // vendor files, and an export a spreadsheet cannot turn into formulas.
    void nonRegularFilesShouldBeRefusedWithAClearMessage();
    void fileValuesShouldReachEveryMessagePrintableAndCut();
    void paddedIccidsShouldBeImportedWithoutThePaddingAndSaidSo();
    void aVendorFileWithSpacesInItsColumnNamesShouldNameTheRealProblem();
    void aSpreadsheetSafeExportShouldNeutraliseFormulas();

private:
    QString writeFile(const QString &name, const QByteArray &content);
    QByteArray validRows(int from, int count, bool header = true) const;
    QString count(const QString &table, const QString &where = QStringLiteral("true"));

    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_admin;
    QString m_adminLogin;
    QTemporaryDir m_dir;
};

namespace {

const QByteArray kSampleCsv = "iccid,pin,puk,type,msisdn\n"
                              "8949029900000010007,8021,39038095,prepaid,+4915901000000\n"
                              "8949029900000010015,8462,38325005,postpaid,\n"
                              "8949029900000010023,7613,62531718,data-only,\n"
                              "8949029900000010031,7640,15905184,prepaid,+4915901000003\n";

const QByteArray kSampleVendor
    = "File Name             : S2026110400012.i01\n"
      "Vendor                : [17]Example Card Works AES 128\n"
      "Quantity              : 3 ( 1 / 1 )\n"
      "Local IMSI From       : 262019900000101   To : 262019900000103\n"
      "SERIAL NUMBER/ICC-ID  : 894902990000000100   To : 894902990000000102\n"
      "var_out:IMSI EKI ICCID PIN1 PUK1 PIN2 PUK2 ADM_code\n"
      "262019900000101 A4C123B1612DD272D1371C17149D4395 894902990000000100 8711 57390467 5146 "
      "62492024 36B3216F\n"
      "262019900000102 EB975729FAE923D5A4FD12AABFE228F2 894902990000000101 5823 22555071 1918 "
      "66262352 19E9CB0E\n"
      "262019900000103 16947CCF25EC84D8DBC74254770F5890 894902990000000102 6521 53550032 6457 "
      "13896513 4DBA41EC\n";

// cancelled() is also asked from QueryCanceller's helper thread: atomics.
class CancelAfter : public ImportObserver
{
public:
    explicit CancelAfter(int calls)
        : m_left(calls)
    { }
    void progress(const QString &, qint64, qint64) override { --m_left; }
    bool cancelled() const override { return m_left <= 0; }

private:
    std::atomic<int> m_left;
};

// Cancels `delay` after the "Saving" phase has started, i.e. while the set-based statements run
// on the server.
class CancelWhileSaving : public ImportObserver
{
public:
    explicit CancelWhileSaving(std::chrono::milliseconds delay)
        : m_delay(delay)
    { }
    void progress(const QString &phase, qint64, qint64) override
    {
        if (phase == QLatin1String("Saving") && m_savingSince.load() == 0)
            m_savingSince = now();
    }
    bool cancelled() const override
    {
        const qint64 since = m_savingSince.load();
        return since != 0 && now() - since >= m_delay.count();
    }
    bool sawSaving() const { return m_savingSince.load() != 0; }
    // Milliseconds since the moment the user cancelled (whether or not anyone asked yet).
    qint64 msSinceCancel() const { return now() - m_savingSince.load() - m_delay.count(); }

private:
    static qint64 now()
    {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }

    std::chrono::milliseconds m_delay;
    std::atomic<qint64> m_savingSince { 0 };
};

} // namespace

void TestImport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("import"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_adminLogin = m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
    m_admin = m_tdb->connectAs(m_adminLogin);
    QVERIFY(m_admin.isOpen());
}

void TestImport::cleanupTestCase()
{
    m_admin = QSqlDatabase();
    m_tdb.reset();
}

void TestImport::init()
{
    // Each case starts from an empty inventory (the superuser may clear the history).
    QCOMPARE(m_tdb->exec(QStringLiteral("TRUNCATE sim_events, sim_secrets, sim_cards, "
                                        "import_batches, customers RESTART IDENTITY CASCADE")),
        QString());
}

QString TestImport::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qWarning("cannot write %s", qPrintable(path));
    return path;
}

QByteArray TestImport::validRows(int from, int n, bool header) const
{
    QByteArray out = header ? QByteArray("iccid,pin,puk,type,msisdn\n") : QByteArray();
    out.reserve(out.size() + n * 64);
    for (int i = from; i < from + n; ++i) {
        out += TestDatabase::iccid(i).toLatin1() + ",1234,12345678,prepaid,";
        if (i % 3 == 0)
            out += "+491590" + QByteArray::number(1000000 + i);
        out += '\n';
    }
    return out;
}

QString TestImport::count(const QString &table, const QString &where)
{
    return m_tdb->scalar(QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(table, where));
}

void TestImport::shouldImportTheSampleCsvInOneBatch()
{
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("sims.csv"), kSampleCsv), {});
    QVERIFY2(r.committed, r.refusal ? qPrintable(r.refusal->fullMessage()) : "");
    QCOMPARE(r.created, 4);
    QCOMPARE(r.skipped, 0);
    QCOMPARE(count(QStringLiteral("sim_cards"),
                 QStringLiteral("import_batch_id = %1 AND status = 'AVAILABLE'").arg(*r.batchId)),
        QStringLiteral("4"));
    QCOMPARE(count(QStringLiteral("sim_secrets")), QStringLiteral("4"));
    QCOMPARE(
        count(QStringLiteral("sim_events"),
            QStringLiteral("event_type = 'IMPORTED' AND import_batch_id = %1").arg(*r.batchId)),
        QStringLiteral("4"));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral(
            "SELECT file_name || ' ' || format || ' ' || total_rows || ' ' || created_count || ' ' "
            "|| created_by || ' ' || (checksum = '%1') FROM import_batches")
                          .arg(r.summary.checksum)),
        QStringLiteral("sims.csv csv 4 4 %1 true").arg(m_adminLogin));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT sim_type || msisdn FROM sim_cards WHERE iccid = '8949029900000010031'")),
        QStringLiteral("prepaid+4915901000003"));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT pin || puk FROM sim_secrets s JOIN sim_cards c ON c.id = s.sim_id "
                 "WHERE c.iccid = '8949029900000010015'")),
        QStringLiteral("846238325005"));
}

void TestImport::shouldImportAVendorFileCompletingIccids()
{
    ImportOptions options;
    options.defaultType = SimType::Prepaid;
    const ImportReport r = ImportService(m_admin).commit(
        writeFile(QStringLiteral("S2026110400012.out"), kSampleVendor), options);
    QVERIFY2(r.committed, r.refusal ? qPrintable(r.refusal->fullMessage()) : "");
    QCOMPARE(r.summary.format, QStringLiteral("vendor-out"));
    QCOMPARE(r.created, 3);
    QCOMPARE(r.summary.checkDigitsAppended, 3);
    // The ignored columns (key material among them), then the appended check digits.
    QCOMPARE(r.summary.warnings.size(), 5);
    QStringList ignored;
    for (qsizetype i = 0; i < 4; ++i) {
        QCOMPARE(r.summary.warnings.at(i).error.code, ErrorCode::ImportUnknownColumn);
        ignored << r.summary.warnings.at(i).column;
    }
    QCOMPARE(ignored, (QStringList { "EKI", "PIN2", "PUK2", "ADM_code" }));
    QCOMPARE(r.summary.warnings.last().error.code, ErrorCode::ImportCheckDigitAppended);
    QCOMPARE(r.summary.warnings.last().error.args,
        (QStringList { "894902990000000100", "8949029900000001006" }));
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT imsi FROM sim_cards WHERE iccid = '8949029900000001006'")),
        QStringLiteral("262019900000101"));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT pin || '/' || puk FROM sim_secrets s JOIN sim_cards c ON c.id = s.sim_id "
                 "WHERE c.iccid = '8949029900000001006'")),
        QStringLiteral("8711/57390467"));
    // Key material is never stored.
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT count(*) FROM sim_cards c, sim_events e WHERE c::text LIKE '%A4C123B1%' "
                 "OR e::text LIKE '%A4C123B1%' OR c::text LIKE '%36B3216F%'")),
        QStringLiteral("0"));
}

void TestImport::aVendorFileNeedsAType()
{
    const ImportReport r = ImportService(m_admin).commit(
        writeFile(QStringLiteral("no-type.out"), kSampleVendor), {});
    QVERIFY(!r.committed);
    QCOMPARE(r.refusal->code, ErrorCode::ImportTypeMissing);
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
}

void TestImport::policyErrorShouldImportNothingWhenAnyRowIsBad()
{
    QByteArray content = validRows(1, 10);
    content += "8949029900000010016,1234,12345678,prepaid,\n"; // bad check digit, line 12
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("bad.csv"), content), {});
    QVERIFY(!r.committed);
    QCOMPARE(r.refusal->code, ErrorCode::ImportRefused);
    QCOMPARE(r.summary.valid, 10);
    QCOMPARE(r.summary.invalid, 1);
    QCOMPARE(r.summary.problems.size(), 1);
    QCOMPARE(r.summary.problems.first().line, 12);
    QCOMPARE(r.summary.problems.first().column, QStringLiteral("iccid"));
    QCOMPARE(r.summary.problems.first().error.code, ErrorCode::IccidBadCheckDigit);
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
    QCOMPARE(count(QStringLiteral("import_batches")), QStringLiteral("0"));
}

void TestImport::policySkipShouldImportTheGoodRows()
{
    QByteArray content = validRows(1, 10);
    content += "8949029900000010016,1234,12345678,prepaid,\n";
    content += TestDatabase::iccid(500).toLatin1() + ",12,12345678,prepaid,\n"; // PIN too short
    content += TestDatabase::iccid(501).toLatin1()
        + ",1234,12345678,contract,0151 234\n"; // type and national number
    ImportOptions options;
    options.duplicates = DuplicatePolicy::Skip;
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("mixed.csv"), content), options);
    QVERIFY2(r.committed, r.refusal ? qPrintable(r.refusal->fullMessage()) : "");
    QCOMPARE(r.created, 10);
    QCOMPARE(r.skipped, 3);
    QCOMPARE(r.summary.invalid, 3);
    QCOMPARE(r.summary.problems.size(), 4); // the last row has two
    QCOMPARE(r.summary.problems.at(1).column, QStringLiteral("pin"));
    QCOMPARE(r.summary.problems.at(1).error.code, ErrorCode::PinWrongLength);
    QCOMPARE(r.summary.problems.at(2).line, 14);
    QCOMPARE(r.summary.problems.at(2).column, QStringLiteral("msisdn"));
    QCOMPARE(r.summary.problems.at(3).column, QStringLiteral("type"));
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("10"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT total_rows || '/' || created_count || '/' || "
                                          "skipped_count FROM import_batches")),
        QStringLiteral("13/10/3"));
}

void TestImport::shouldFindDuplicatesInTheFileAndInTheDatabase()
{
    QVERIFY(ImportService(m_admin)
                .commit(writeFile(QStringLiteral("first.csv"), validRows(1, 3)), {})
                .committed);
    QByteArray content = "iccid,pin,puk,type,msisdn\n";
    content += TestDatabase::iccid(2).toLatin1()
        + ",1234,12345678,prepaid,\n"; // line 2: in the database
    content
        += TestDatabase::iccid(3).toLatin1() + "00,1234,12345678,prepaid,\n"; // line 3: 21 digits
    content += TestDatabase::iccid(10).toLatin1()
        + ",1234,12345678,prepaid,+4915901999999\n"; // line 4: new
    content += TestDatabase::iccid(10).toLatin1()
        + ",1234,12345678,prepaid,\n"; // line 5: again in file
    content += TestDatabase::iccid(11).toLatin1()
        + ",1234,12345678,prepaid,+49 1590 1999999\n"; // line 6: number again
    content += TestDatabase::iccid(12).toLatin1()
        + ",1234,12345678,prepaid,+4915901000003\n"; // line 7: number in db
    const ImportReport r
        = ImportService(m_admin).dryRun(writeFile(QStringLiteral("dups.csv"), content), {});
    QCOMPARE(r.summary.rows, 6);
    QCOMPARE(r.summary.valid, 1);
    QCOMPARE(r.summary.invalid, 1);
    QCOMPARE(r.summary.duplicateInFile, 2);
    QCOMPARE(r.summary.alreadyInDatabase, 2);
    QStringList seen;
    for (const ImportIssue &i : r.summary.problems)
        seen << QStringLiteral("%1:%2:%3").arg(i.line).arg(i.column, i.error.key());
    QCOMPARE(seen,
        (QStringList { "2:iccid:import.in-database", "3:iccid:iccid.wrong-length",
            "5:iccid:import.duplicate-in-file", "6:msisdn:import.duplicate-in-file",
            "7:msisdn:import.in-database" }));
    QCOMPARE(
        r.summary.problems.at(2).error.args.at(1), QStringLiteral("4")); // first seen on line 4
    QCOMPARE(r.summary.firstRows.at(0).status, RowStatus::AlreadyInDatabase);
    QCOMPARE(r.summary.firstRows.at(2).status, RowStatus::Valid);
    QCOMPARE(r.summary.firstRows.at(3).status, RowStatus::DuplicateInFile);
}

void TestImport::skipShouldImportOnlyTheCardsNotYetKnown()
{
    // A vendor resends a batch with more cards: the known ones (by ICCID or by number) are skipped.
    QVERIFY(ImportService(m_admin)
                .commit(writeFile(QStringLiteral("part1.csv"), validRows(1, 30)), {})
                .committed);
    QByteArray content = validRows(31, 30); // new
    content += TestDatabase::iccid(900).toLatin1()
        + ",1234,12345678,prepaid,+4915901000003\n"; // card 3's number
    content += validRows(4, 27, false); // known

    ImportOptions options;
    options.duplicates = DuplicatePolicy::Skip;
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("part2.csv"), content), options);
    QVERIFY2(r.committed, r.refusal ? qPrintable(r.refusal->fullMessage()) : "");
    QCOMPARE(r.summary.duplicateInFile, 0);
    QCOMPARE(r.summary.alreadyInDatabase, 28);
    QCOMPARE(r.created, 30);
    QCOMPARE(r.skipped, 28);
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("60"));
    QCOMPARE(count(QStringLiteral("sim_cards"),
                 QStringLiteral("iccid = '%1'").arg(TestDatabase::iccid(900))),
        QStringLiteral("0"));
}

void TestImport::aReimportShouldBeRefusedUnlessForced()
{
    const QString path = writeFile(QStringLiteral("again.csv"), validRows(1, 5));
    const ImportReport first = ImportService(m_admin).commit(path, {});
    QVERIFY(first.committed);
    const ImportReport second = ImportService(m_admin).commit(path, {});
    QVERIFY(!second.committed);
    QCOMPARE(second.refusal->code, ErrorCode::ImportAlreadyImported);
    QCOMPARE(second.refusal->args.at(0), QString::number(*first.batchId));
    // Forced, the rows are still all in the database: refused, as a file none of whose rows
    // can be imported.
    ImportOptions forced;
    forced.force = true;
    const ImportReport third = ImportService(m_admin).commit(path, forced);
    QCOMPARE(third.refusal->code, ErrorCode::ImportNothingImportable);
    QCOMPARE(third.refusal->args, (QStringList { "5", "0", "0", "5" }));
    // After a revert the file may come in again.
    QVERIFY(ImportService(m_admin).revert(*first.batchId).ok());
    QVERIFY(ImportService(m_admin).commit(path, {}).committed);
}

void TestImport::aDryRunShouldCheckEverythingAndWriteNothing()
{
    const ImportReport r = ImportService(m_admin).dryRun(
        writeFile(QStringLiteral("dry.csv"), validRows(1, 1000)), {});
    QVERIFY(!r.committed);
    QVERIFY(!r.refusal);
    QVERIFY(r.summary.complete);
    QCOMPARE(r.summary.valid, 1000);
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
    QCOMPARE(count(QStringLiteral("import_batches")), QStringLiteral("0"));
}

void TestImport::aPreviewShouldReadOnlyTheFirstRows()
{
    const QString path = writeFile(QStringLiteral("big.csv"), validRows(1, 200000));
    QElapsedTimer timer;
    timer.start();
    const ImportSummary s = ImportService(m_admin).preview(path, {}, 100);
    QCOMPARE(s.rows, 100);
    QVERIFY(!s.complete);
    QCOMPARE(s.firstRows.size(), 100);
    QCOMPARE(s.firstRows.last().line, 101);
    QVERIFY(s.firstRows.first().hasPin);
    qInfo("preview of 100 of 200,000 rows: %lld ms", timer.elapsed());
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
}

void TestImport::cancellingShouldLeaveNothingBehind()
{
    // On a worker thread with its own connection, as the UI runs it.
    const QString path = writeFile(QStringLiteral("cancel.csv"), validRows(1, 100000));
    ConnectionSettings settings = m_tdb->settings();
    settings.user = m_adminLogin;
    for (int calls : { 2, 6 }) { // while reading / while saving
        const ImportReport r = QtConcurrent::run([&] {
            const QString name = Database::uniqueName(QStringLiteral("import-worker"));
            ScopedConnection guard(name);
            Result<QSqlDatabase> db = Database::open(settings, name);
            CancelAfter observer(calls);
            return ImportService(*db).commit(path, {}, &observer);
        }).result();
        QVERIFY(!r.committed);
        QCOMPARE(r.refusal->code, ErrorCode::ImportCancelled);
        QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
        QCOMPARE(count(QStringLiteral("import_batches")), QStringLiteral("0"));
    }
}

void TestImport::cancellingWhileSavingShouldStopTheRunningStatement()
{
    // The saving statements take seconds each on the server; the cancel must not wait for them.
    const QString path = writeFile(QStringLiteral("cancel-saving.csv"), validRows(1, 200000));
    ConnectionSettings settings = m_tdb->settings();
    settings.user = m_adminLogin;
    CancelWhileSaving observer(std::chrono::milliseconds(300));
    const ImportReport r = QtConcurrent::run([&] {
        const QString name = Database::uniqueName(QStringLiteral("import-worker"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        return ImportService(*db).commit(path, {}, &observer);
    }).result();
    const qint64 stoppedAfter = observer.msSinceCancel();
    QVERIFY(observer.sawSaving());
    QVERIFY(!r.committed);
    QVERIFY(!r.batchId);
    QCOMPARE(r.refusal->code, ErrorCode::ImportCancelled);
    qInfo("stopped %lld ms after the cancel", stoppedAfter);
    QVERIFY2(stoppedAfter < 1000, qPrintable(QString::number(stoppedAfter)));
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
    QCOMPARE(count(QStringLiteral("sim_secrets")), QStringLiteral("0"));
    QCOMPARE(count(QStringLiteral("sim_events")), QStringLiteral("0"));
    QCOMPARE(count(QStringLiteral("import_batches")), QStringLiteral("0"));
}

void TestImport::twoImportsOfTheSameFileAtOnceShouldCommitOnce()
{
    // Two admins, two workstations, the same file at the same moment.
    const QString path = writeFile(QStringLiteral("twice.csv"), validRows(1, 20000));
    ConnectionSettings settings = m_tdb->settings();
    settings.user = m_adminLogin;
    std::atomic<int> ready { 0 };
    auto importOnce = [&] {
        const QString name = Database::uniqueName(QStringLiteral("import-worker"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db)
            return ImportReport {};
        ++ready;
        while (ready.load() < 2)
            std::this_thread::yield();
        return ImportService(*db).commit(path, {});
    };
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    QFuture<ImportReport> first = QtConcurrent::run(&pool, importOnce);
    QFuture<ImportReport> second = QtConcurrent::run(&pool, importOnce);
    const QList<ImportReport> reports { first.result(), second.result() };
    int committed = 0;
    for (const ImportReport &r : reports) {
        if (r.committed) {
            ++committed;
            QCOMPARE(r.created, 20000);
        } else {
            QVERIFY(r.refusal);
            QVERIFY2(r.refusal->code == ErrorCode::ImportAlreadyImported,
                qPrintable(r.refusal->fullMessage()));
        }
    }
    QCOMPARE(committed, 1);
    QCOMPARE(count(QStringLiteral("import_batches")), QStringLiteral("1"));
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("20000"));
}

void TestImport::anUnreadableFileShouldBeRefusedWhole()
{
    QByteArray content = validRows(1, 50);
    content += "\"8949029900000010015,1234,12345678,prepaid,\n"; // opens a quote that never closes
    content += validRows(100, 5, false);
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("broken.csv"), content), {});
    QVERIFY(!r.committed);
    QCOMPARE(r.summary.fatal->code, ErrorCode::ImportUnterminatedQuote);
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
    const ImportReport missing
        = ImportService(m_admin).commit(m_dir.filePath(QStringLiteral("nope.csv")), {});
    QCOMPARE(missing.summary.fatal->code, ErrorCode::ImportFileUnreadable);
    const ImportReport empty
        = ImportService(m_admin).commit(writeFile(QStringLiteral("empty.csv"), {}), {});
    QCOMPARE(empty.summary.fatal->code, ErrorCode::ImportEmptyFile);
    const ImportReport headerOnly = ImportService(m_admin).commit(
        writeFile(QStringLiteral("header.csv"), "iccid,type\n"), {});
    QCOMPARE(headerOnly.summary.fatal->code, ErrorCode::ImportNoRows);
}

void TestImport::supportShouldNotImport()
{
    QSqlDatabase support = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support")));
    const ImportReport r
        = ImportService(support).commit(writeFile(QStringLiteral("support.csv"), kSampleCsv), {});
    QVERIFY(!r.committed);
    QCOMPARE(r.refusal->code, ErrorCode::PermissionDenied);
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
    // A dry run stages the file in a temporary table, and since migration 003 only admins may
    // create temporary tables (TEMP is revoked from PUBLIC): support cannot check a file either.
    const ImportReport dry
        = ImportService(support).dryRun(writeFile(QStringLiteral("support.csv"), kSampleCsv), {});
    QVERIFY(dry.refusal);
    QCOMPARE(dry.refusal->code, ErrorCode::PermissionDenied);
}

void TestImport::revertShouldRemoveAnUntouchedBatch()
{
    const ImportReport r = ImportService(m_admin).commit(
        writeFile(QStringLiteral("revert.csv"), validRows(1, 20)), {});
    QVERIFY(r.committed);
    const Result<qint64> removed = ImportService(m_admin).revert(*r.batchId);
    QVERIFY2(removed.ok(), removed.ok() ? "" : qPrintable(removed.error().fullMessage()));
    QCOMPARE(*removed, 20);
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
    QCOMPARE(count(QStringLiteral("sim_secrets")), QStringLiteral("0"));
    // The history stays, with who reverted.
    QCOMPARE(count(QStringLiteral("sim_events"),
                 QStringLiteral("event_type = 'IMPORT_REVERTED' AND created_by = '%1'")
                     .arg(m_adminLogin)),
        QStringLiteral("20"));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT status || ' ' || reverted_by FROM import_batches")),
        QStringLiteral("REVERTED %1").arg(m_adminLogin));
    QCOMPARE(
        ImportService(m_admin).revert(*r.batchId).error().code, ErrorCode::ImportBatchReverted);
    QCOMPARE(ImportService(m_admin).revert(4242).error().code, ErrorCode::ImportBatchNotFound);
}

void TestImport::revertShouldRefuseABatchWithUsedCards()
{
    const ImportReport r = ImportService(m_admin).commit(
        writeFile(QStringLiteral("used.csv"), validRows(1, 20)), {});
    QVERIFY(r.committed);
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna')")),
        QString());
    const qint64 card = m_tdb->scalar(QStringLiteral("SELECT min(id) FROM sim_cards")).toLongLong();
    QVERIFY(
        LifecycleService(m_admin)
            .reserve(card, m_tdb->scalar(QStringLiteral("SELECT id FROM customers")).toLongLong())
            .ok());
    QVERIFY(LifecycleService(m_admin).release(card).ok()); // available again, but used
    const Result<qint64> removed = ImportService(m_admin).revert(*r.batchId);
    QCOMPARE(removed.error().code, ErrorCode::ImportBatchTouched);
    QCOMPARE(removed.error().args.at(1), QStringLiteral("1"));
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("20"));
}

void TestImport::aKilledImportShouldLeaveNothingBehind()
{
    // A workstation that dies mid-commit (power cut, killed process): the server rolls back.
    const QString path = writeFile(QStringLiteral("killed.csv"), validRows(1, 100000));
    const ConnectionSettings s = m_tdb->settings();
    QProcess cli;
    cli.start(QStringLiteral(SIMDESK_CLI),
        { QStringLiteral("import"), path, QStringLiteral("--db"),
            QStringLiteral("postgresql:///%1?host=%2&port=%3&user=%4")
                .arg(s.database, s.host, QString::number(s.port), m_adminLogin) });
    QVERIFY(cli.waitForStarted());
    // Wait until it is writing inside its transaction, then kill it without warning.
    QElapsedTimer timer;
    timer.start();
    bool writing = false;
    while (!writing && timer.elapsed() < 30000 && cli.state() == QProcess::Running) {
        writing = m_tdb->scalar(
                      QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE usename = '%1' "
                                     "AND state = 'active' "
                                     "AND query ~ '^(COPY|SELECT simdesk_import_commit)'")
                          .arg(m_adminLogin))
            == QLatin1String("1");
        if (!writing)
            QTest::qWait(5);
    }
    QVERIFY2(writing, "the import never reached its writing phase");
    cli.kill();
    QVERIFY(cli.waitForFinished());
    // The server notices the dead client within seconds, even in the middle of the long commit
    // statement (client_connection_check_interval, db/connectionsettings.h), and rolls back.
    timer.restart();
    bool gone = false;
    while (!gone && timer.elapsed() < 30000) {
        gone = m_tdb->scalar(
                   QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE usename = '%1'")
                       .arg(m_adminLogin))
            == QLatin1String("1");
        if (!gone)
            QTest::qWait(50);
    }
    QVERIFY2(gone, "the killed workstation's session was still on the server after 30 s");
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("0"));
    QCOMPARE(count(QStringLiteral("import_batches")), QStringLiteral("0"));
    QCOMPARE(count(QStringLiteral("sim_events")), QStringLiteral("0"));
    // Nothing is left locked or half-registered: the same file imports now.
    const ImportReport again = ImportService(m_admin).commit(path, {});
    QVERIFY2(again.committed, again.refusal ? qPrintable(again.refusal->fullMessage()) : "");
    QCOMPARE(again.created, 100000);
}

void TestImport::anExportShouldImportAgainAsIs()
{
    ImportOptions options;
    options.defaultType = SimType::Postpaid;
    QVERIFY(ImportService(m_admin)
                .commit(writeFile(QStringLiteral("vendor.out"), kSampleVendor), options)
                .committed);
    QVERIFY(ImportService(m_admin)
                .commit(writeFile(QStringLiteral("sims.csv"), kSampleCsv), {})
                .committed);
    QBuffer exported;
    exported.open(QIODevice::WriteOnly);
    const Result<qint64> rows = ExportService(m_admin).exportCsv(&exported);
    QVERIFY(rows.ok());
    QCOMPARE(*rows, 7);
    QVERIFY(exported.data().startsWith("iccid,type,msisdn,imsi\n"));
    const QString digest = QStringLiteral("SELECT md5(string_agg(iccid || sim_type || "
                                          "coalesce(msisdn, '') || coalesce(imsi, ''), ',' "
                                          "ORDER BY iccid)) FROM sim_cards");
    const QString before = m_tdb->scalar(digest);
    // Into an empty inventory: the same cards come back.
    init();
    const ImportReport back = ImportService(m_admin).commit(
        writeFile(QStringLiteral("export.csv"), exported.data()), {});
    QVERIFY2(back.committed, back.refusal ? qPrintable(back.refusal->fullMessage()) : "");
    QVERIFY(back.summary.warnings.isEmpty());
    QCOMPARE(m_tdb->scalar(digest), before);
    // Filtered by status.
    QBuffer none;
    none.open(QIODevice::WriteOnly);
    QCOMPARE(*ExportService(m_admin).exportCsv(&none, SimStatus::Active), 0);
    QCOMPARE(none.data(), QByteArray("iccid,type,msisdn,imsi\n"));
}

void TestImport::theJsonReportShouldListEveryProblem()
{
    QByteArray content = validRows(1, 3);
    content += "8949029900000010016,1234,12345678,prepaid,\n";
    ImportOptions options;
    options.duplicates = DuplicatePolicy::Skip;
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("report.csv"), content), options);
    const QJsonObject json = QJsonDocument::fromJson(r.toJson()).object();
    QCOMPARE(json.value(QStringLiteral("created")).toInt(), 3);
    QCOMPARE(json.value(QStringLiteral("skipped")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("batch_id")).toInteger(), *r.batchId);
    const QJsonArray errors = json.value(QStringLiteral("errors")).toArray();
    QCOMPARE(errors.size(), 1);
    const QJsonObject e = errors.first().toObject();
    QCOMPARE(e.value(QStringLiteral("line")).toInt(), 5);
    QCOMPARE(e.value(QStringLiteral("column")).toString(), QStringLiteral("iccid"));
    QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("iccid.bad-check-digit"));
    QVERIFY(e.value(QStringLiteral("message")).toString().contains(QLatin1String("should be")));
}

namespace {

QString testFile(const char *name)
{
    return QStringLiteral(SIMDESK_TEST_DATA "/") + QLatin1String(name);
}

QString joined(const QList<ImportIssue> &issues)
{
    QStringList out;
    for (const ImportIssue &i : issues)
        out << QStringLiteral("%1:%2").arg(QString::number(i.line), i.error.key());
    return out.join(QLatin1Char(' '));
}

} // namespace

void TestImport::aFileWithNoImportableRowShouldSaySoWithItsCounts_data()
{
    QTest::addColumn<int>("policy");
    QTest::newRow("--duplicates skip") << int(DuplicatePolicy::Skip);
    QTest::newRow("--duplicates error") << int(DuplicatePolicy::Error);
}

void TestImport::aFileWithNoImportableRowShouldSaySoWithItsCounts()
{
    // A file in which no row can be imported (all invalid, or all already known) is
    // reported as such with its counts, not as 'the file has a header but no SIM card rows'.
    QFETCH(int, policy);
    ImportOptions options;
    options.duplicates = DuplicatePolicy(policy);

    // All invalid: a wrong check digit, too few digits, a duplicate of the bad one's neighbour.
    const QByteArray invalid = "iccid,type\n8949029900000010008,prepaid\n123,prepaid\n";
    ImportReport r = ImportService(m_admin).commit(writeFile("invalid.csv", invalid), options);
    QVERIFY(!r.committed);
    QVERIFY(!r.summary.fatal);
    QCOMPARE(r.refusal->code, ErrorCode::ImportNothingImportable);
    QCOMPARE(r.refusal->args, (QStringList { "2", "2", "0", "0" }));
    QCOMPARE(r.refusal->message(),
        QStringLiteral("None of the file's 2 SIM card rows can be imported: 2 invalid, 0 "
                       "duplicate in the file, 0 already in SimDesk. Nothing was imported; fix "
                       "the rows listed."));

    // One row, invalid: the singular.
    r = ImportService(m_admin).commit(
        writeFile("one.csv", "iccid,type\n8949029900000010008,prepaid\n"), options);
    QCOMPARE(r.refusal->code, ErrorCode::ImportNothingImportable);
    QVERIFY2(r.refusal->message().startsWith(
                 QLatin1String("The file's one SIM card row cannot be imported: 1 invalid")),
        qPrintable(r.refusal->message()));

    // All already known: the sample imported, then the same cards in another file.
    QVERIFY(ImportService(m_admin).commit(writeFile("first.csv", kSampleCsv), {}).committed);
    r = ImportService(m_admin).commit(writeFile("again.csv", kSampleCsv + "\n"), options);
    QVERIFY(!r.committed);
    QCOMPARE(r.refusal->code, ErrorCode::ImportNothingImportable);
    QCOMPARE(r.refusal->args, (QStringList { "4", "0", "0", "4" }));
    QVERIFY(!r.refusal->message().contains(QLatin1String("header but no")));
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("4"));
}

void TestImport::shouldImportTheVendorLayoutsVendorsSend_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("cards");
    QTest::addColumn<QStringList>("ignored");
    QTest::newRow("banner, INPUT/OUTPUT VARIABLES, Var_Out with slashes")
        << testFile("vendor-banner.out") << 10 << QStringList { "PIN2", "PUK2", "KI", "ADM1" };
    QTest::newRow("key:value without spaces, CRLF, blank lines at the end") << testFile(
        "vendor-compact.out") << 5 << QStringList { "PIN2", "PUK2", "EKI", "OPC", "ACC", "ADM1" };
}

void TestImport::shouldImportTheVendorLayoutsVendorsSend()
{
    // Real vendor output files are read in the layouts vendors actually send and
    // "vendor files warn about the columns they ignore … and never store them".
    QFETCH(QString, file);
    QFETCH(int, cards);
    QFETCH(QStringList, ignored);
    ImportOptions options;
    options.defaultType = SimType::DataOnly;
    const ImportReport r = ImportService(m_admin).commit(file, options);
    QVERIFY2(r.committed, r.refusal ? qPrintable(r.refusal->fullMessage()) : "");
    QCOMPARE(r.summary.format, QStringLiteral("vendor-out"));
    QCOMPARE(r.created, cards);
    QCOMPARE(r.summary.checkDigitsAppended, cards);
    QStringList warned;
    for (const ImportIssue &w : r.summary.warnings) {
        if (w.error.code == ErrorCode::ImportUnknownColumn)
            warned << w.column;
    }
    QCOMPARE(warned, ignored);

    // Every value of the columns SimDesk ignores, from the file itself.
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = in.readAll().split('\n');
    QStringList columns;
    QStringList secrets;
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromLatin1(raw).trimmed();
        if (line.startsWith(QLatin1String("Var_Out:"), Qt::CaseInsensitive)) {
            columns = line.mid(8).split(
                QRegularExpression(QStringLiteral("[\\s/]+")), Qt::SkipEmptyParts);
        } else if (!columns.isEmpty() && !line.isEmpty()) {
            const QStringList fields = line.split(QLatin1Char(' '));
            QCOMPARE(fields.size(), columns.size());
            for (qsizetype i = 0; i < columns.size(); ++i) {
                // PIN2 (4 digits) and the access class are too short to search for safely.
                if (ignored.contains(columns.at(i)) && fields.at(i).size() >= 8)
                    secrets << fields.at(i);
            }
        }
    }
    QCOMPARE(secrets.size(), cards * (ignored.size() - (ignored.contains("ACC") ? 2 : 1)));
    // No table anywhere holds any of them.
    const QString tables = m_tdb->scalar(QStringLiteral(
        "SELECT string_agg(format('%I.%I', table_schema, table_name), ',') FROM "
        "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"));
    QVERIFY(tables.contains(QLatin1String("sim_secrets")));
    for (const QString &table : tables.split(QLatin1Char(','))) {
        for (const QString &secret : std::as_const(secrets)) {
            QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM %1 t WHERE "
                                                  "upper(t::text) LIKE '%%2%'")
                                       .arg(table, secret)),
                QStringLiteral("0"));
        }
    }
}

void TestImport::theFormatOptionShouldForceTheReader()
{
    // simdesk-cli import --format csv|vendor forces the reader (the engine's side).
    ImportOptions options;
    options.defaultType = SimType::Prepaid;
    options.format = ImportFormat::Csv;
    ImportReport r = ImportService(m_admin).dryRun(testFile("vendor-banner.out"), options);
    QCOMPARE(r.summary.format, QStringLiteral("csv"));
    QCOMPARE(r.summary.fatal->code, ErrorCode::ImportMissingColumn);

    options.format = ImportFormat::Vendor;
    r = ImportService(m_admin).dryRun(writeFile("sims.csv", kSampleCsv), options);
    QCOMPARE(r.summary.format, QStringLiteral("vendor-out"));
    QCOMPARE(r.summary.fatal->code, ErrorCode::ImportVendorLine);
    QCOMPARE(r.summary.fatalLine, 1);
    QVERIFY2(r.summary.fatal->message().startsWith(QLatin1String("Line 1 of the vendor file")),
        qPrintable(r.summary.fatal->message()));

    options.format = ImportFormat::Vendor;
    r = ImportService(m_admin).dryRun(testFile("vendor-banner.out"), options);
    QVERIFY2(!r.refusal, r.refusal ? qPrintable(r.refusal->message()) : "");
    QCOMPARE(r.summary.valid, 10);
}

void TestImport::theReportShouldNameTheLinesTheMessagesName_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("code");
    QTest::newRow("not UTF-8 on line 3")
        << QByteArray("iccid,type\n8949029900000010007,prepaid\n89490299\xff,prepaid\n") << 3
        << "import.encoding";
    QTest::newRow("a quote opened on line 2")
        << QByteArray("iccid,type\n\"8949029900000010007,prepaid\n") << 2
        << "import.unterminated-quote";
    QFile damaged(testFile("vendor-damaged.out"));
    QVERIFY(damaged.open(QIODevice::ReadOnly));
    QTest::newRow("a vendor file with prose on line 6")
        << damaged.readAll() << 6 << "import.vendor-line";
}

void TestImport::theReportShouldNameTheLinesTheMessagesName()
{
    // The report's line numbers are the ones the message names.
    QFETCH(QByteArray, content);
    QFETCH(int, line);
    QFETCH(QString, code);
    ImportOptions options;
    options.defaultType = SimType::Prepaid;
    const ImportReport r = ImportService(m_admin).commit(writeFile("lines.txt", content), options);
    QVERIFY(r.summary.fatal);
    QVERIFY2(r.summary.fatal->message().contains(QStringLiteral("ine %1 ").arg(line)),
        qPrintable(r.summary.fatal->message()));
    const QJsonObject json = QJsonDocument::fromJson(r.toJson()).object();
    const QJsonArray errors = json.value(QStringLiteral("errors")).toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().toObject().value(QStringLiteral("code")).toString(), code);
    QCOMPARE(errors.first().toObject().value(QStringLiteral("line")).toInt(), line);
    QCOMPARE(json.value(QStringLiteral("refusal")).toString(), r.summary.fatal->message());
}

void TestImport::aFileWithManyUnknownColumnsShouldGiveOneWarning()
{
    // A file with 100,000 unknown columns gives one grouped warning.
    QByteArray header = "iccid,type";
    QByteArray row = "8949029900000010007,prepaid";
    for (int i = 0; i < 100000; ++i) {
        header += ",x" + QByteArray::number(i);
        row += ',';
    }
    const ImportReport r
        = ImportService(m_admin).dryRun(writeFile("wide.csv", header + '\n' + row + '\n'), {});
    QVERIFY2(!r.refusal, r.refusal ? qPrintable(r.refusal->message()) : "");
    QCOMPARE(joined(r.summary.warnings), QStringLiteral("1:import.unknown-columns"));
    QVERIFY2(r.summary.warnings.first().error.message().startsWith(
                 QStringLiteral("100000 columns are not used by SimDesk and are ignored: “x0”")),
        qPrintable(r.summary.warnings.first().error.message()));
    // A few are still named one by one, as before.
    const ImportReport few = ImportService(m_admin).dryRun(
        writeFile("few.csv", "iccid,type,colour,size\n8949029900000010007,prepaid,red,M\n"), {});
    QCOMPARE(joined(few.summary.warnings),
        QStringLiteral("1:import.unknown-column 1:import.unknown-column"));
}

void TestImport::noMessageShouldSayARowIsSkippedWhenNothingIs()
{
    // Under --duplicates error no message says 'the row is skipped'.
    QVERIFY(ImportService(m_admin).commit(writeFile("first.csv", kSampleCsv), {}).committed);
    const ImportReport r = ImportService(m_admin).commit(
        writeFile("mixed.csv", kSampleCsv + validRows(100, 2, false)), {});
    QVERIFY(!r.committed);
    QCOMPARE(r.summary.alreadyInDatabase, 4);
    QCOMPARE(r.refusal->code, ErrorCode::ImportRefused);
    QCOMPARE(r.refusal->args.value(0), QStringLiteral("4"));
    const QString json = QString::fromUtf8(r.toJson());
    QVERIFY2(
        !json.contains(QLatin1String("skipped,")) && !json.contains(QLatin1String("is skipped")),
        qPrintable(json));
    QVERIFY(r.summary.problems.first().error.message().contains(
        QLatin1String("is already in SimDesk, so this row cannot add it again")));
    QCOMPARE(count(QStringLiteral("sim_cards")), QStringLiteral("4"));
}

void TestImport::aSkipImportShouldKeepItsProblemsWithTheBatch()
{
    QVERIFY(ImportService(m_admin)
                .commit(writeFile(QStringLiteral("known.csv"), validRows(1, 2)), {})
                .committed);
    QByteArray content = validRows(10, 2); // lines 2, 3
    content += "8949029900000010016,1234,12345678,prepaid,\n"; // line 4: bad check digit
    content += TestDatabase::iccid(10).toLatin1() + ",1234,12345678,prepaid,\n"; // 5: again
    content += TestDatabase::iccid(1).toLatin1() + ",1234,12345678,prepaid,\n"; // 6: known
    ImportOptions options;
    options.duplicates = DuplicatePolicy::Skip;
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("probs.csv"), content), options);
    QVERIFY2(r.committed, r.refusal ? qPrintable(r.refusal->fullMessage()) : "");
    QCOMPARE(r.created, 2);

    const Result<ImportBatchProblemPage> page = ImportBatchRepository(m_admin).problems(*r.batchId);
    QVERIFY2(page.ok(), page ? "" : qPrintable(page.error().fullMessage()));
    QCOMPARE(page->total, 3);
    QStringList seen;
    for (const ImportBatchProblem &p : page->problems)
        seen << QStringLiteral("%1:%2:%3").arg(p.line).arg(p.column, p.code);
    QCOMPARE(seen,
        (QStringList { "4:iccid:iccid.bad-check-digit", "5:iccid:import.duplicate-in-file",
            "6:iccid:import.in-database" }));
    QCOMPARE(page->problems.at(0).message, r.summary.problems.at(0).error.message());

    // Paged, and the first batch (no problems) has none.
    const Result<ImportBatchProblemPage> second
        = ImportBatchRepository(m_admin).problems(*r.batchId, 1, 1);
    QVERIFY(second.ok());
    QCOMPARE(second->total, 3);
    QCOMPARE(second->problems.size(), 1);
    QCOMPARE(second->problems.at(0).line, 5);
    QCOMPARE(ImportBatchRepository(m_admin).problems(*r.batchId - 1)->total, 0);

    // A viewer reads them too.
    QSqlDatabase viewer = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("probviewer"), QStringLiteral("viewer")));
    QCOMPARE(ImportBatchRepository(viewer).problems(*r.batchId)->total, 3);
}

void TestImport::nobodyShouldAddProblemsToABatchLater()
{
    QByteArray content = validRows(1, 2);
    content += "8949029900000010016,1234,12345678,prepaid,\n";
    ImportOptions options;
    options.duplicates = DuplicatePolicy::Skip;
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("own.csv"), content), options);
    QVERIFY(r.committed);
    const qint64 batch = *r.batchId;
    const QString record = QStringLiteral("SELECT simdesk_import_record_problems($1, "
                                          "ARRAY[2]::bigint[], ARRAY['iccid'], "
                                          "ARRAY['forged'], ARRAY['forged'])");
    const QString insert
        = QStringLiteral("INSERT INTO import_batch_problems (batch_id, line, code, message) "
                         "VALUES ($1, 2, 'forged', 'forged')");

    QSqlDatabase support = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("probsupport"), QStringLiteral("support")));
    QSqlDatabase otherAdmin = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("probadmin"), QStringLiteral("admin")));
    // The same admin in a later transaction, another admin, and support: all refused.
    for (const QSqlDatabase &db : { m_admin, otherAdmin, support }) {
        const Result<QueryResult> viaFunction = runQuery(db, record, { batch });
        QVERIFY(!viaFunction.ok());
        QCOMPARE(viaFunction.error().code, ErrorCode::PermissionDenied);
        const Result<QueryResult> direct = runQuery(db, insert, { batch });
        QVERIFY(!direct.ok());
        QCOMPARE(direct.error().code, ErrorCode::PermissionDenied);
        QVERIFY(!runQuery(db, QStringLiteral("DELETE FROM import_batch_problems")).ok());
    }
    // Within the committing transaction it works, but only there (and not for a reverted one).
    QCOMPARE(count(QStringLiteral("import_batch_problems")), QStringLiteral("1"));
    QVERIFY(ImportService(m_admin).revert(batch).ok());
    QVERIFY(!runQuery(m_admin, record, { batch }).ok());
    QCOMPARE(count(QStringLiteral("import_batch_problems")), QStringLiteral("1"));
}

void TestImport::nonRegularFilesShouldBeRefusedWithAClearMessage()
{
    const QString fifo = m_dir.filePath(QStringLiteral("pipe.csv"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QElapsedTimer timer;
    timer.start();
    for (const QString &path :
        { QStringLiteral("/dev/zero"), QStringLiteral("/dev/urandom"), fifo, m_dir.path() }) {
        const ImportReport r = ImportService(m_admin).dryRun(path, {});
        QVERIFY2(r.summary.fatal, qPrintable(path));
        QCOMPARE(r.summary.fatal->code, ErrorCode::ImportNotRegularFile);
        QVERIFY2(r.summary.fatal->message().contains(QLatin1String("not a regular file")),
            qPrintable(r.summary.fatal->message()));
        const Result<ImportFileInfo> info = inspectImportFile(path);
        QVERIFY(!info.ok());
        QCOMPARE(info.error().code, ErrorCode::ImportNotRegularFile);
    }
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    // A link to a regular file is read like the file.
    const QString target = writeFile(QStringLiteral("target.csv"), validRows(1, 2));
    const QString link = m_dir.filePath(QStringLiteral("link.csv"));
    QVERIFY(QFile::link(target, link));
    QVERIFY(!ImportService(m_admin).dryRun(link, {}).summary.fatal);
}

void TestImport::fileValuesShouldReachEveryMessagePrintableAndCut()
{
    const QByteArray hostile = "\x1b[2J\x1b]0;pwned\x07";
    QByteArray content = validRows(1, 2);
    content += TestDatabase::iccid(50).toLatin1() + ",1234,12345678," + hostile + ",\n";
    content += TestDatabase::iccid(51).toLatin1() + ",1234,12345678,prepaid,"
        + QByteArray(1000 * 1000, '4') + "\n";
    ImportOptions options;
    options.duplicates = DuplicatePolicy::Skip;
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("hostile.csv"), content), options);
    QVERIFY2(r.committed, r.refusal ? qPrintable(r.refusal->message()) : "");
    QCOMPARE(r.summary.problems.size(), 2);
    const auto printableOnly = [](const QString &text) {
        for (const QChar c : text) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7F)
                return false;
        }
        return true;
    };
    for (const ImportIssue &p : r.summary.problems) {
        QVERIFY2(printableOnly(p.error.message()), qPrintable(p.error.message()));
        QVERIFY2(
            p.error.message().size() < 400, qPrintable(QString::number(p.error.message().size())));
    }
    QVERIFY(r.summary.problems.at(0).error.message().contains(
        QStringLiteral("“\\x1B[2J\\x1B]0;pwned\\x07”")));
    QVERIFY(r.summary.problems.at(1).error.message().contains(
        QString(kMaxQuotedLength, u'4') + QChar(0x2026)));
    // The preview shows the raw text the same way.
    const ImportSummary preview = ImportService(m_admin).preview(
        writeFile(QStringLiteral("hostile2.csv"), content), options);
    QCOMPARE(preview.firstRows.at(2).type, QStringLiteral("\\x1B[2J\\x1B]0;pwned\\x07"));
    QVERIFY(preview.firstRows.at(3).msisdn.size() < 100);
    // Stored with the batch as shown.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT max(length(message)) < 400 AND bool_and(message "
                                          "!~ '[[:cntrl:]]') FROM import_batch_problems WHERE "
                                          "batch_id = %1")
                               .arg(*r.batchId)),
        QStringLiteral("true"));
}

void TestImport::paddedIccidsShouldBeImportedWithoutThePaddingAndSaidSo()
{
    // The on-card form: 19 digits and an F; from a vendor, 18 digits (no check digit) and an F.
    QByteArray csv = "iccid,type\n";
    csv += TestDatabase::iccid(61).toLatin1() + "F,prepaid\n";
    csv += TestDatabase::iccid(62).toLatin1() + "f,prepaid\n";
    const ImportReport r
        = ImportService(m_admin).commit(writeFile(QStringLiteral("padded.csv"), csv), {});
    QVERIFY2(r.committed, r.refusal ? qPrintable(r.refusal->message()) : "");
    QCOMPARE(r.summary.iccidPaddingRemoved, 2);
    QCOMPARE(count(QStringLiteral("sim_cards"),
                 QStringLiteral("iccid IN ('%1', '%2')")
                     .arg(TestDatabase::iccid(61), TestDatabase::iccid(62))),
        QStringLiteral("2"));
    bool said = false;
    for (const ImportIssue &w : r.summary.warnings)
        said = said || w.error.code == ErrorCode::ImportIccidPaddingRemoved;
    QVERIFY(said);

    QByteArray vendor = "Quantity : 1\nvar_out:ICCID IMSI\n";
    vendor += TestDatabase::iccid(63).left(18).toLatin1() + "F 262010000000063\n";
    ImportOptions options;
    options.defaultType = SimType::Prepaid;
    const ImportReport v
        = ImportService(m_admin).commit(writeFile(QStringLiteral("padded.out"), vendor), options);
    QVERIFY2(v.committed, v.refusal ? qPrintable(v.refusal->message()) : "");
    QCOMPARE(v.summary.iccidPaddingRemoved, 1);
    QCOMPARE(v.summary.checkDigitsAppended, 1);
    QCOMPARE(count(QStringLiteral("sim_cards"),
                 QStringLiteral("iccid = '%1'").arg(TestDatabase::iccid(63))),
        QStringLiteral("1"));
}

void TestImport::aVendorFileWithSpacesInItsColumnNamesShouldNameTheRealProblem()
{
    // Real files: names with spaces between slashes, on line 29 after a long header; ICCIDs
    // with the wrong prefix. The problem named is the prefix, not the number of fields.
    QByteArray vendor;
    for (int i = 1; i <= 27; ++i)
        vendor += "Key" + QByteArray::number(i) + " : " + (i == 5 ? "2" : "x") + "\n";
    vendor.replace("Key5 : 2", "Quantity : 2");
    vendor += "\n";
    vendor += "Var_Out: ICCID/IMSI/PIN1/PUK1/Code Retailer/Code ADM\n";
    vendor += "884902990000000100 262010000000001 1111 11111111 R0042 36B3216F\n";
    vendor += "884902990000000101 262010000000002 2222 22222222 R0042 19E9CB0E\n";
    ImportOptions options;
    options.defaultType = SimType::Prepaid;
    const ImportReport r
        = ImportService(m_admin).dryRun(writeFile(QStringLiteral("spaces.out"), vendor), options);
    QVERIFY(!r.summary.fatal);
    QCOMPARE(r.summary.problems.size(), 2);
    for (const ImportIssue &p : r.summary.problems) {
        QCOMPARE(p.error.code, ErrorCode::IccidWrongPrefix);
        QCOMPARE(p.column, QStringLiteral("iccid"));
    }
    QCOMPARE(r.summary.problems.at(0).line, 30);
}

void TestImport::aSpreadsheetSafeExportShouldNeutraliseFormulas()
{
    QVERIFY(ImportService(m_admin)
                .commit(writeFile(QStringLiteral("export-me.csv"), validRows(1, 6)), {})
                .committed);
    QCOMPARE(ExportService::spreadsheetCell(u"=HYPERLINK(\"x\")"),
        QByteArray("\"'=HYPERLINK(\"\"x\"\")\""));
    QCOMPARE(ExportService::spreadsheetCell(u"-1+2"), QByteArray("\"'-1+2\""));
    QCOMPARE(ExportService::spreadsheetCell(u"@SUM(A1)"), QByteArray("\"'@SUM(A1)\""));
    QCOMPARE(ExportService::spreadsheetCell(u"\tx"), QByteArray("\"'\tx\""));
    QCOMPARE(ExportService::spreadsheetCell(u"\uFF1D1"),
        QByteArray("\"'\xEF\xBC\x9D"
                   "1\""));
    QCOMPARE(ExportService::spreadsheetCell(u"prepaid"), QByteArray("\"prepaid\""));
    QCOMPARE(ExportService::spreadsheetCell(u""), QByteArray("\"\""));
    QByteArray plain;
    QByteArray safe;
    QByteArray safeFiltered;
    {
        QBuffer p(&plain), s(&safe), f(&safeFiltered);
        QVERIFY(p.open(QIODevice::WriteOnly) && s.open(QIODevice::WriteOnly)
            && f.open(QIODevice::WriteOnly));
        QCOMPARE(*ExportService(m_admin).exportCsv(&p), 6);
        QCOMPARE(*ExportService(m_admin).exportCsv(&s, {}, CsvFlavour::SpreadsheetSafe), 6);
        QCOMPARE(
            *ExportService(m_admin).exportCsv(&f, SimListFilter(), {}, CsvFlavour::SpreadsheetSafe),
            6);
    }
    QCOMPARE(safeFiltered, safe);
    const QList<QByteArray> lines = safe.split('\n');
    QCOMPARE(lines.first(), QByteArray("\"iccid\",\"type\",\"msisdn\",\"imsi\""));
    // Rows 3 and 6 have numbers: "+491590…" becomes text.
    QVERIFY2(safe.contains(",\"'+491590"), safe.constData());
    QVERIFY(plain.contains(",+491590"));
    QVERIFY(!plain.contains('\''));
}

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"
