// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "import/csvreader.h"
#include "import/importfileinfo.h"
#include "import/importservice.h"
#include "records/importbatchrepository.h"
#include "records/importprofilerepository.h"
#include "testdatabase.h"

#include <QBuffer>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace simdesk;

// What the import wizard needs from core beyond ImportService's own tests: the column mapping,
// the first look at a file, import profiles in the database (who may, audit, automatic choice)
// and the history of batches.
class TestImportProfiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void aMappingShouldFillFieldsFromUnknownHeadersAndIgnoreSilently();
    void inspectionShouldShowColumnsOfAFileWithoutAKnownIccidHeader();
    void aMappedImportShouldStoreTheCards();
    void profilesShouldBeSavedByNameAndFoundByHeader();
    void onlyAdminsShouldWriteProfilesAndTheDatabaseSaysWho();
    void theHistoryShouldListBatchesWithTheirCards();
    void secretColumnsShouldBeTheSameInCppAndSql_data();
    void secretColumnsShouldBeTheSameInCppAndSql();
    void aProfileShouldNotMapASecretColumnToAVisibleField();
    void anImportShouldNotMapASecretColumnToAVisibleField();

private:
    QString writeFile(const QString &name, const QByteArray &content);

    std::unique_ptr<TestDatabase> m_tdb;
    QTemporaryDir m_dir;
    QString m_admin;
    QString m_support;
};

void TestImportProfiles::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("importprofiles"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_admin = m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
}

void TestImportProfiles::cleanupTestCase()
{
    m_tdb.reset();
}

QString TestImportProfiles::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        return {};
    return path;
}

void TestImportProfiles::aMappingShouldFillFieldsFromUnknownHeadersAndIgnoreSilently()
{
    QByteArray text = QStringLiteral("Karte;Rufnummer;KI;Bemerkung\n%1;+4915100000001;AB12;x\n")
                          .arg(TestDatabase::iccid(1))
                          .toUtf8();
    QBuffer buffer(&text);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    CsvReader reader(&buffer);
    reader.setColumnMapping({ { QStringLiteral("karte"), QStringLiteral("iccid") },
        { QStringLiteral("RUFNUMMER"), QStringLiteral("msisdn") },
        { QStringLiteral("KI"), QString() }, // ignored on purpose: no warning
        { QStringLiteral("Bemerkung"), QStringLiteral("no-such-field") } }); // dropped
    QVERIFY(reader.open().ok());
    QCOMPARE(reader.columns(), (QStringList { QStringLiteral("iccid"), QStringLiteral("msisdn") }));
    QCOMPARE(reader.headerNames(),
        (QStringList { QStringLiteral("Karte"), QStringLiteral("Rufnummer"), QStringLiteral("KI"),
            QStringLiteral("Bemerkung") }));
    QCOMPARE(reader.warnings().size(), 1); // "Bemerkung" only
    QCOMPARE(reader.warnings().first().column, QStringLiteral("Bemerkung"));
    SimRecord rec;
    QVERIFY(reader.next(rec));
    QCOMPARE(rec.iccid, TestDatabase::iccid(1));
    QCOMPARE(rec.msisdn, QStringLiteral("+4915100000001"));
    QCOMPARE(CsvReader::fieldForHeader(QStringLiteral(" Phone Number ")), QStringLiteral("msisdn"));
    QCOMPARE(CsvReader::fieldForHeader(QStringLiteral("Karte")), QString());
}

void TestImportProfiles::inspectionShouldShowColumnsOfAFileWithoutAKnownIccidHeader()
{
    const QString path = writeFile(QStringLiteral("inspect.csv"),
        QByteArray("\xEF\xBB\xBF") // a byte order mark, as spreadsheets write it
            + QStringLiteral("Karte;PIN;Typ\n%1;1234;prepaid\n%2;5678;postpaid\n")
                  .arg(TestDatabase::iccid(2), TestDatabase::iccid(3))
                  .toUtf8());
    const Result<ImportFileInfo> info = inspectImportFile(path, 5);
    QVERIFY2(info.ok(), qPrintable(info ? QString() : info.error().message()));
    QCOMPARE(info->format, QStringLiteral("csv"));
    QCOMPARE(info->encoding, QStringLiteral("UTF-8 with byte order mark"));
    QCOMPARE(info->delimiter, QLatin1Char(';'));
    QCOMPARE(info->headerLine, QStringLiteral("Karte;PIN;Typ"));
    QVERIFY(info->mappable);
    QCOMPARE(info->columns.size(), 3);
    QCOMPARE(info->columns.at(0).field, QString());
    QCOMPARE(info->columns.at(0).samples,
        (QStringList { TestDatabase::iccid(2), TestDatabase::iccid(3) }));
    QCOMPARE(info->columns.at(1).field, QStringLiteral("pin"));
    QVERIFY(!info->columns.at(1).samples.join(QString()).contains(QStringLiteral("1234")));
    QCOMPARE(info->headerSignature,
        headerSignature({ QStringLiteral("karte"), QStringLiteral("pin"), QStringLiteral("typ") }));

    // A file that no mapping can save is refused here already.
    const QString binary = writeFile(QStringLiteral("binary.csv"), QByteArray("iccid\n\0\0\0", 9));
    const Result<ImportFileInfo> refused = inspectImportFile(binary);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::ImportBinary);
}

void TestImportProfiles::aMappedImportShouldStoreTheCards()
{
    const QString path = writeFile(QStringLiteral("mapped.csv"),
        QStringLiteral("Karte,Rufnummer\n%1,+4915100000004\n%2,+4915100000005\n")
            .arg(TestDatabase::iccid(4), TestDatabase::iccid(5))
            .toUtf8());
    ImportOptions options;
    options.defaultType = SimType::DataOnly;
    options.duplicates = DuplicatePolicy::Error;
    // Without the mapping the file has no ICCID column.
    ImportReport report = ImportService(m_tdb->connectAs(m_admin)).commit(path, options);
    QVERIFY(!report.committed);
    QCOMPARE(report.summary.fatal->code, ErrorCode::ImportMissingColumn);
    options.columnMapping = { { QStringLiteral("Karte"), QStringLiteral("iccid") },
        { QStringLiteral("Rufnummer"), QStringLiteral("msisdn") } };
    report = ImportService(m_tdb->connectAs(m_admin)).commit(path, options);
    QVERIFY2(report.committed, qPrintable(report.refusal ? report.refusal->message() : QString()));
    QCOMPARE(report.created, qint64(2));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT msisdn || ' ' || sim_type FROM sim_cards WHERE "
                                          "iccid = '%1'")
                               .arg(TestDatabase::iccid(5))),
        QStringLiteral("+4915100000005 data-only"));
}

void TestImportProfiles::profilesShouldBeSavedByNameAndFoundByHeader()
{
    ImportProfileRepository repo(m_tdb->connectAs(m_admin));
    ImportProfile p;
    p.name = QStringLiteral("  Acme  ");
    p.headerSignature = QStringLiteral("karte\trufnummer");
    p.mapping = { { QStringLiteral("Karte"), QStringLiteral("iccid") },
        { QStringLiteral("Rufnummer"), QStringLiteral("msisdn") } };
    p.defaultType = SimType::Postpaid;
    const Result<ImportProfile> saved = repo.save(p);
    QVERIFY2(saved.ok(), qPrintable(saved ? QString() : saved.error().message()));
    QCOMPARE(saved->name, QStringLiteral("Acme"));
    QCOMPARE(saved->mapping, p.mapping);
    QCOMPARE(saved->defaultType, std::optional<SimType>(SimType::Postpaid));
    QCOMPARE(saved->updatedBy, m_admin);

    // The same name replaces it; a header finds the profile saved last for it.
    p.mapping.insert(QStringLiteral("Karte"), QString());
    p.defaultType.reset();
    const Result<ImportProfile> replaced = repo.save(p);
    QVERIFY(replaced.ok());
    QCOMPARE(replaced->id, saved->id);
    const Result<std::optional<ImportProfile>> found = repo.findForHeader(p.headerSignature);
    QVERIFY(found.ok() && found->has_value());
    QCOMPARE((*found)->mapping.value(QStringLiteral("Karte")), QString());
    QVERIFY(!(*found)->defaultType);
    QVERIFY(!repo.findForHeader(QStringLiteral("other"))->has_value());
    QCOMPARE(repo.list()->size(), 1);

    p.name = QStringLiteral("   ");
    QCOMPARE(repo.save(p).error().code, ErrorCode::FieldRequired);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE table_name = "
                                          "'import_profiles' AND changed_by = '%1'")
                               .arg(m_admin)),
        QStringLiteral("2"));
    QVERIFY(repo.remove(saved->id).ok());
    QCOMPARE(repo.list()->size(), 0);
}

void TestImportProfiles::onlyAdminsShouldWriteProfilesAndTheDatabaseSaysWho()
{
    ImportProfile p;
    p.name = QStringLiteral("Support's");
    p.headerSignature = QStringLiteral("x");
    const Result<ImportProfile> refused
        = ImportProfileRepository(m_tdb->connectAs(m_support)).save(p);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::PermissionDenied);
    QVERIFY(ImportProfileRepository(m_tdb->connectAs(m_support)).list().ok()); // reading is fine

    // An admin cannot pass someone else off as the author.
    p.name = QStringLiteral("Mine");
    const Result<ImportProfile> saved = ImportProfileRepository(m_tdb->connectAs(m_admin)).save(p);
    QVERIFY(saved.ok());
    QSqlDatabase admin = m_tdb->connectAs(m_admin);
    QSqlQuery forge(admin);
    QVERIFY(!forge.exec(QStringLiteral("UPDATE import_profiles SET updated_by = 'someone'")));
    QVERIFY(forge.exec(QStringLiteral("UPDATE import_profiles SET mapping = '{}'")));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT updated_by FROM import_profiles WHERE name = 'Mine'")),
        m_admin);
}

void TestImportProfiles::theHistoryShouldListBatchesWithTheirCards()
{
    const QString path = writeFile(QStringLiteral("history.csv"),
        QStringLiteral("iccid,type\n%1,prepaid\n%2,prepaid\n")
            .arg(TestDatabase::iccid(6), TestDatabase::iccid(7))
            .toUtf8());
    const ImportReport report = ImportService(m_tdb->connectAs(m_admin)).commit(path, {});
    QVERIFY(report.committed);
    const Result<QList<ImportBatch>> list
        = ImportBatchRepository(m_tdb->connectAs(m_support)).list();
    QVERIFY(list.ok());
    QCOMPARE(list->first().id, *report.batchId); // newest first
    QCOMPARE(list->first().fileName, QStringLiteral("history.csv"));
    QCOMPARE(list->first().createdCount, qint64(2));
    QCOMPARE(list->first().createdBy, m_admin);
    QCOMPARE(list->first().checksum, report.summary.checksum);
    const Result<ImportBatchDetail> detail
        = ImportBatchRepository(m_tdb->connectAs(m_support)).detail(*report.batchId);
    QVERIFY(detail.ok());
    QCOMPARE(detail->cardsNow, qint64(2));
    QCOMPARE(detail->cardsByStatus.value(QStringLiteral("AVAILABLE")), qint64(2));
    QCOMPARE(detail->eventsAfterImport, qint64(0));
    QCOMPARE(
        ImportBatchRepository(m_tdb->connect()).detail(999999).error().code, ErrorCode::NotFound);
}

void TestImportProfiles::secretColumnsShouldBeTheSameInCppAndSql_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<bool>("secret");
    for (const char *name : { "PIN", "pin1", "PIN2", "PUK", "Puk1", "PUK2", "CHV1", "ADM1",
             "ADM_code", "Code ADM", "adm-key", "KI", "Ki", "EKI", "OPC", "OP", "KIC1", "KID2",
             "KIK3", "Pin Code", "card.pin", "(PIN)", "PIN/PUK", "Kunden-PIN" })
        QTest::newRow(name) << QString::fromUtf8(name) << true;
    for (const char *name :
        { "ICCID", "MSISDN", "IMSI", "type", "spin", "pinned", "Opcode", "kiosk", "Kidney", "admin",
            "", "PINA", "P1N", "pinyin", "ÄDM", "K1", "ACC", "Number", "Code Retailer" })
        QTest::newRow(name[0] ? name : "(empty)") << QString::fromUtf8(name) << false;
}

// CsvReader::isSecretHeader() and simdesk_secret_header() (sql/011_hardening.sql) are one rule.
void TestImportProfiles::secretColumnsShouldBeTheSameInCppAndSql()
{
    QFETCH(QString, header);
    QFETCH(bool, secret);
    QCOMPARE(CsvReader::isSecretHeader(header), secret);
    QSqlQuery q(m_tdb->connect());
    q.prepare(QStringLiteral("SELECT simdesk_secret_header(?)"));
    q.addBindValue(header);
    QVERIFY(q.exec() && q.next());
    QCOMPARE(q.value(0).toBool(), secret);
}

void TestImportProfiles::aProfileShouldNotMapASecretColumnToAVisibleField()
{
    ImportProfileRepository profiles(m_tdb->connectAs(m_admin));
    ImportProfile leak;
    leak.name = QStringLiteral("Leaky vendor");
    leak.headerSignature = QStringLiteral("iccid\tpin1");
    leak.mapping = { { QStringLiteral("ICCID"), QStringLiteral("iccid") },
        { QStringLiteral("PIN1"), QStringLiteral("imsi") } };
    const Result<ImportProfile> refused = profiles.save(leak);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::ImportColumnHoldsSecrets);
    QVERIFY2(refused.error().message().contains(QLatin1String("PIN1")),
        qPrintable(refused.error().message()));
    leak.mapping.insert(QStringLiteral("PIN1"), QStringLiteral("pin"));
    QVERIFY(profiles.save(leak).ok());
}

void TestImportProfiles::anImportShouldNotMapASecretColumnToAVisibleField()
{
    const QString path = writeFile(QStringLiteral("secret-mapped.csv"),
        QStringLiteral("ICCID,PIN1\n%1,1234\n").arg(TestDatabase::iccid(71)).toUtf8());
    ImportOptions options;
    options.defaultType = SimType::Prepaid;
    options.columnMapping = { { QStringLiteral("PIN1"), QStringLiteral("msisdn") } };
    const ImportReport report = ImportService(m_tdb->connectAs(m_admin)).commit(path, options);
    QVERIFY(!report.committed);
    QVERIFY(report.summary.fatal.has_value());
    QCOMPARE(report.summary.fatal->code, ErrorCode::ImportColumnHoldsSecrets);
}

QTEST_MAIN(TestImportProfiles)
#include "tst_importprofiles.moc"
