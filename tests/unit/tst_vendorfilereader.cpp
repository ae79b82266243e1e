// SPDX-License-Identifier: MIT
#include "import/csvreader.h"
#include "import/vendorfilereader.h"

#include <QBuffer>
#include <QFile>
#include <QSet>
#include <QTest>

using namespace simdesk;

Q_DECLARE_METATYPE(simdesk::ErrorCode)

namespace {

// ../shared/samples/vendor-batch.out, embedded so the test does not depend on the checkout layout.
const QByteArray kSample = QByteArrayLiteral(R"(File Name             : S2026110400012.i01
Vendor                : [17]Example Card Works AES 128
Card Type             : USIM 128K triple cut
Quantity              : 12 ( 1 / 1 )
Local IMSI From       : 262019900000101   To : 262019900000112
SERIAL NUMBER/ICC-ID  : 894902990000000100   To : 894902990000000111
KID  : 12
OPID : 3
Generated on          : 2026-11-04 09:12:44
var_out:IMSI EKI ICCID PIN1 PUK1 PIN2 PUK2 ADM_code
262019900000101 A4C123B1612DD272D1371C17149D4395 894902990000000100 8711 57390467 5146 62492024 36B3216F
262019900000102 EB975729FAE923D5A4FD12AABFE228F2 894902990000000101 5823 22555071 1918 66262352 19E9CB0E
262019900000103 16947CCF25EC84D8DBC74254770F5890 894902990000000102 6521 53550032 6457 13896513 4DBA41EC
262019900000104 FC1626E53A13043B026C48BBF33FEFF9 894902990000000103 3362 70901507 5926 19676659 243A8F50
262019900000105 0928B5B7A767C76FB008F86BEBB2737F 894902990000000104 1964 52148384 3265 64160468 6A6F0FB2
262019900000106 5DA2CEC255404E4FB440034D6608697A 894902990000000105 8713 20379134 8577 68524460 8D41BED4
262019900000107 0E50454F31AF3176813E02EA68EF786E 894902990000000106 7017 09814103 3484 89855030 4D3CEA27
262019900000108 934B484E73CF575DCAD6BA2B0AEE0CA9 894902990000000107 2974 36298660 2122 56673996 23732881
262019900000109 8C4FA2815D2802827283E0AD84173581 894902990000000108 4432 46573688 0297 33614663 569969E5
262019900000110 1006F7E3DFC967A64CB14028D512C979 894902990000000109 5966 44147722 8963 43423984 1E558E08
262019900000111 7196B50AC2F86702824C1C099724CAF4 894902990000000110 0510 05618636 2180 85512782 941D4072
262019900000112 B3CE107F80E222F828767EFC2F91624A 894902990000000111 1630 92903521 3566 90691946 8940F1F8
)");

// The sample's key material (EKI, PIN2, PUK2, ADM code of each row), which must never reach a
// record.
const QList<QByteArray> kSampleSecrets = [] {
    QList<QByteArray> secrets;
    const QList<QByteArray> lines = kSample.split('\n');
    for (qsizetype i = 10; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines.at(i).split(' ');
        if (fields.size() == 8)
            secrets << fields.at(1) << fields.at(5) << fields.at(6) << fields.at(7);
    }
    return secrets;
}();

QByteArray withCrlf(QByteArray text)
{
    return text.replace("\n", "\r\n");
}

// A small vendor file; a null `quantity` leaves the Quantity line out.
QByteArray vendorFile(
    const QByteArray &quantity, const QByteArray &varOut, const QList<QByteArray> &rows)
{
    QByteArray out = "File Name : T0001.i01\n";
    if (!quantity.isNull())
        out += "Quantity : " + quantity + "\n";
    out += varOut + "\n";
    for (const QByteArray &row : rows)
        out += row + "\n";
    return out;
}

const QByteArray kVarOut = "var_out:IMSI EKI ICCID PIN1 PUK1";
const QByteArray kRow1
    = "262010000000001 00112233445566778899AABBCCDDEEFF 894902990000000100 1111 11111111";
const QByteArray kRow2
    = "262010000000002 FFEEDDCCBBAA99887766554433221100 894902990000000101 2222 22222222";
const QByteArray kRow3
    = "262010000000003 0123456789ABCDEF0123456789ABCDEF 894902990000000102 3333 33333333";

struct Outcome
{
    std::optional<Error> openError;
    QList<SimRecord> records;
    std::optional<Error> error;
    qint64 bytesRead = 0;
};

Outcome readAll(const QByteArray &data)
{
    QBuffer buffer;
    buffer.setData(data);
    buffer.open(QIODevice::ReadOnly);
    VendorFileReader reader(&buffer);
    Outcome outcome;
    const Status opened = reader.open();
    if (!opened) {
        outcome.openError = opened.error();
    } else {
        SimRecord record;
        while (reader.next(record))
            outcome.records.append(record);
    }
    outcome.error = reader.error();
    outcome.bytesRead = reader.bytesRead();
    return outcome;
}

} // namespace

class TestVendorFileReader : public QObject
{
    Q_OBJECT

private slots:
    void shouldReadEveryCardOfTheSample_data();
    void shouldReadEveryCardOfTheSample();
    void shouldKeepHeaderLinesInFileOrder();
    void shouldNeverKeepKeyMaterial();

    void shouldReadTheDeclaredQuantity_data();
    void shouldReadTheDeclaredQuantity();
    void shouldRefuseFilesWithoutAUsableQuantity_data();
    void shouldRefuseFilesWithoutAUsableQuantity();
    void shouldRefuseRowsThatDoNotMatchTheQuantity_data();
    void shouldRefuseRowsThatDoNotMatchTheQuantity();

    void shouldRefuseBrokenHeaders_data();
    void shouldRefuseBrokenHeaders();
    void shouldMapColumnsInAnyOrderAndSpelling_data();
    void shouldMapColumnsInAnyOrderAndSpelling();

    void shouldFlagRowsWithTheWrongFieldCountAndGoOn();
    void shouldSkipBlankLinesAndKeepPhysicalLineNumbers();

    void shouldRefuseFilesThatAreNotUtf8Text_data();
    void shouldRefuseFilesThatAreNotUtf8Text();
    void shouldRefuseATenMegabyteLineWithoutReadingItAll();
    void shouldAcceptLinesUpToTheLimitOnly_data();
    void shouldAcceptLinesUpToTheLimitOnly();

    void shouldRecogniseVendorFilesByTheirHead_data();
    void shouldRecogniseVendorFilesByTheirHead();

    void shouldReadTheLayoutsVendorsSend_data();
    void shouldReadTheLayoutsVendorsSend();
    void shouldSayWhichLineOfADamagedFileIsNotUnderstood();
    void shouldGroupTheWarningsAboutManyIgnoredColumns();

    void shouldReadTheVendorFilesThatWereMisread_data();
    void shouldReadTheVendorFilesThatWereMisread();
    void shouldRefuseWithTheRealReason_data();
    void shouldRefuseWithTheRealReason();
    void shouldBoundWhatAHeaderMayHold();
    void shouldQuoteTheFilesWordsPrintable();
};

void TestVendorFileReader::shouldReadEveryCardOfTheSample_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("LF as sent") << kSample;
    QTest::newRow("CRLF from a Windows transfer") << withCrlf(kSample);
    QTest::newRow("UTF-8 BOM") << QByteArray("\xEF\xBB\xBF" + kSample);
    QTest::newRow("no line break after the last row") << kSample.chopped(1);
}

void TestVendorFileReader::shouldReadEveryCardOfTheSample()
{
    QFETCH(QByteArray, data);
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    VendorFileReader reader(&buffer);

    QCOMPARE(reader.format(), QStringLiteral("vendor-out"));
    QVERIFY(reader.completesIccids());
    const Status opened = reader.open();
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message()));
    QCOMPARE(reader.declaredQuantity(), std::optional<qint64>(12));
    // No BOM left clinging to the first key.
    QCOMPARE(reader.header().first(), (QPair<QString, QString>("File Name", "S2026110400012.i01")));
    QCOMPARE(reader.columns(), (QStringList { "imsi", "iccid", "pin", "puk" }));
    // The columns SimDesk ignores are said, as a CSV file's are ("vendor files warn
    // about the columns they ignore (key material: KI/EKI/OPC/ADM, PIN2/PUK2) exactly as CSV
    // files do").
    QStringList warnings;
    for (const ImportIssue &w : reader.warnings())
        warnings << QStringLiteral("%1:%2:%3").arg(w.line).arg(w.column, w.error.key());
    QCOMPARE(warnings,
        (QStringList { "10:EKI:import.unknown-column", "10:PIN2:import.unknown-column",
            "10:PUK2:import.unknown-column", "10:ADM_code:import.unknown-column" }));

    QList<SimRecord> records;
    SimRecord record;
    while (reader.next(record))
        records.append(record);
    QVERIFY2(!reader.error(), reader.error() ? qPrintable(reader.error()->message()) : "");
    QCOMPARE(records.size(), 12);
    QCOMPARE(reader.bytesRead(), qint64(data.size()));

    const SimRecord &first = records.first();
    QCOMPARE(first.line, 11);
    QCOMPARE(first.iccid, QStringLiteral("894902990000000100")); // 18 digits, left as sent
    QCOMPARE(first.imsi, QStringLiteral("262019900000101"));
    QCOMPARE(first.pin, QStringLiteral("8711"));
    QCOMPARE(first.puk, QStringLiteral("57390467"));

    const SimRecord &last = records.last();
    QCOMPARE(last.line, 22);
    QCOMPARE(last.iccid, QStringLiteral("894902990000000111"));
    QCOMPARE(last.imsi, QStringLiteral("262019900000112"));
    QCOMPARE(last.pin, QStringLiteral("1630"));
    QCOMPARE(last.puk, QStringLiteral("92903521"));

    for (qsizetype i = 0; i < records.size(); ++i) {
        QCOMPARE(records.at(i).line, 11 + i);
        QCOMPARE(records.at(i).iccid,
            QStringLiteral("8949029900000001%1").arg(i, 2, 10, QLatin1Char('0')));
        QVERIFY(records.at(i).msisdn.isEmpty());
        QVERIFY(records.at(i).type.isEmpty());
        QVERIFY(records.at(i).issues.isEmpty());
    }
    // Once the end is reached it stays reached.
    QVERIFY(!reader.next(record));
    QVERIFY(!reader.error());
}

void TestVendorFileReader::shouldKeepHeaderLinesInFileOrder()
{
    QByteArray data = withCrlf(kSample);
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    VendorFileReader reader(&buffer);
    QVERIFY(reader.open().ok());

    using Entry = QPair<QString, QString>;
    const QList<Entry> expected {
        { "File Name", "S2026110400012.i01" },
        { "Vendor", "[17]Example Card Works AES 128" },
        { "Card Type", "USIM 128K triple cut" },
        { "Quantity", "12 ( 1 / 1 )" },
        { "Local IMSI From", "262019900000101   To : 262019900000112" },
        { "SERIAL NUMBER/ICC-ID", "894902990000000100   To : 894902990000000111" },
        { "KID", "12" },
        { "OPID", "3" },
        { "Generated on", "2026-11-04 09:12:44" },
    };
    QCOMPARE(reader.header(), expected);
}

void TestVendorFileReader::shouldNeverKeepKeyMaterial()
{
    QCOMPARE(kSampleSecrets.size(), 48);
    QVERIFY(kSampleSecrets.contains("A4C123B1612DD272D1371C17149D4395"));
    QVERIFY(kSampleSecrets.contains("36B3216F"));

    const Outcome outcome = readAll(kSample);
    QCOMPARE(outcome.records.size(), 12);
    for (const SimRecord &r : outcome.records) {
        for (const QString &field : { r.iccid, r.msisdn, r.imsi, r.pin, r.puk, r.type }) {
            for (const QByteArray &secret : kSampleSecrets) {
                // Equality for the short PIN2/PUK2, containment for anything a field could hide.
                const QString text = QString::fromLatin1(secret);
                QVERIFY2(field != text && (secret.size() < 8 || !field.contains(text)),
                    qPrintable(QStringLiteral("line %1 holds %2").arg(r.line).arg(field)));
            }
        }
    }
}

void TestVendorFileReader::shouldReadTheDeclaredQuantity_data()
{
    QTest::addColumn<QByteArray>("quantity");
    QTest::addColumn<int>("rows");
    QTest::addColumn<qint64>("declared");
    QTest::newRow("part suffix as in the sample") << QByteArray("3 ( 1 / 1 )") << 3 << qint64(3);
    QTest::newRow("plain number") << QByteArray("3") << 3 << qint64(3);
    QTest::newRow("part suffix without spaces") << QByteArray("2 (2/3)") << 2 << qint64(2);
    QTest::newRow("zero cards and no rows agree") << QByteArray("0") << 0 << qint64(0);
}

void TestVendorFileReader::shouldReadTheDeclaredQuantity()
{
    QFETCH(QByteArray, quantity);
    QFETCH(int, rows);
    QFETCH(qint64, declared);
    const QList<QByteArray> allRows { kRow1, kRow2, kRow3 };
    QByteArray data = vendorFile(quantity, kVarOut, allRows.first(rows));
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    VendorFileReader reader(&buffer);
    QVERIFY(reader.open().ok());
    QCOMPARE(reader.declaredQuantity(), std::optional<qint64>(declared));
    SimRecord record;
    int count = 0;
    while (reader.next(record))
        ++count;
    QCOMPARE(count, rows);
    QVERIFY(!reader.error());
}

void TestVendorFileReader::shouldRefuseFilesWithoutAUsableQuantity_data()
{
    QTest::addColumn<QByteArray>("quantity");
    QTest::addColumn<QString>("problem");
    QTest::newRow("no Quantity line") << QByteArray() << "it has no Quantity line";
    QTest::newRow("a word") << QByteArray("twelve") << "the Quantity “twelve” is not a number";
    QTest::newRow("a number with a unit")
        << QByteArray("12 cards") << "the Quantity “12 cards” is not a number";
    QTest::newRow("negative") << QByteArray("-3") << "the Quantity “-3” is not a number";
    QTest::newRow("empty value") << QByteArray("") << "the Quantity “” is not a number";
    QTest::newRow("larger than any count") << QByteArray("99999999999999999999")
                                           << "the Quantity “99999999999999999999” is not a number";
}

void TestVendorFileReader::shouldRefuseFilesWithoutAUsableQuantity()
{
    QFETCH(QByteArray, quantity);
    QFETCH(QString, problem);
    const Outcome outcome = readAll(vendorFile(quantity, kVarOut, { kRow1 }));
    QVERIFY(outcome.openError);
    // A Quantity that is there but wrong is reported at its line (2).
    const QStringList args
        = quantity.isNull() ? QStringList { problem } : QStringList { "2", problem };
    const ErrorCode code
        = quantity.isNull() ? ErrorCode::ImportVendorHeader : ErrorCode::ImportVendorLine;
    QCOMPARE(outcome.openError->code, code);
    QCOMPARE(outcome.openError->args, args);
    QVERIFY(outcome.error);
    QCOMPARE(outcome.error->code, code);
    QVERIFY(outcome.records.isEmpty());
}

void TestVendorFileReader::shouldRefuseRowsThatDoNotMatchTheQuantity_data()
{
    QTest::addColumn<QByteArray>("quantity");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QStringList>("args");
    QTest::newRow("fewer rows: the file was cut off")
        << QByteArray("3 ( 1 / 1 )") << 2 << QStringList { "3", "2" };
    QTest::newRow("more rows than declared") << QByteArray("2") << 3 << QStringList { "2", "3" };
    QTest::newRow("cards declared, no rows at all")
        << QByteArray("3") << 0 << QStringList { "3", "0" };
}

void TestVendorFileReader::shouldRefuseRowsThatDoNotMatchTheQuantity()
{
    QFETCH(QByteArray, quantity);
    QFETCH(int, rows);
    QFETCH(QStringList, args);
    const QList<QByteArray> allRows { kRow1, kRow2, kRow3 };
    const Outcome outcome = readAll(vendorFile(quantity, kVarOut, allRows.first(rows)));
    QVERIFY(!outcome.openError);
    // The rows are handed out; the importer refuses the file on the error at the end.
    QCOMPARE(outcome.records.size(), rows);
    QVERIFY(outcome.error);
    QCOMPARE(outcome.error->code, ErrorCode::ImportQuantityMismatch);
    QCOMPARE(outcome.error->args, args);
}

void TestVendorFileReader::shouldRefuseBrokenHeaders_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QStringList>("args");
    const QString notUnderstood
        = "it is neither “key: value”, a “*” banner line nor a section title, and the Var_Out: "
          "line naming the columns has not come yet";
    QTest::newRow("header only, no var_out line")
        << QByteArray("File Name : T.i01\nQuantity : 1\n") << ErrorCode::ImportVendorHeader
        << QStringList { "it has no Var_Out: line naming the columns" };
    QTest::newRow("rows but no var_out line")
        << QByteArray("Quantity : 1\n" + kRow1 + "\n") << ErrorCode::ImportVendorLine
        << QStringList { "2", notUnderstood };
    QTest::newRow("prose line in the header") << QByteArray(
        "File Name : T.i01\nQuantity : 1\nPlease keep this file safe\n" + kVarOut + "\n" + kRow1
        + "\n") << ErrorCode::ImportVendorLine << QStringList { "3", notUnderstood };
    QTest::newRow("colon without a key")
        << QByteArray("File Name : T.i01\n : 5\n") << ErrorCode::ImportVendorLine
        << QStringList { "2", "there is no key before its colon" };
    QTest::newRow("no ICCID column")
        << vendorFile("1", "var_out:IMSI EKI PIN1 PUK1", { "262010000000001 00AA 1111 11111111" })
        << ErrorCode::ImportMissingColumn << QStringList { "ICCID" };
    QTest::newRow("var_out names no columns")
        << vendorFile("0", "var_out:", {}) << ErrorCode::ImportMissingColumn
        << QStringList { "ICCID" };
    QTest::newRow("PIN and PIN1 both present")
        << vendorFile("1", "var_out:ICCID PIN PIN1 PUK1", { "894902990000000100 1 2 3" })
        << ErrorCode::ImportDuplicateColumn << QStringList { "PIN", "PIN1", "PIN" };
}

void TestVendorFileReader::shouldRefuseBrokenHeaders()
{
    QFETCH(QByteArray, data);
    QFETCH(ErrorCode, code);
    QFETCH(QStringList, args);
    const Outcome outcome = readAll(data);
    QVERIFY(outcome.openError);
    QCOMPARE(outcome.openError->code, code);
    QCOMPARE(outcome.openError->args, args);
    QVERIFY(outcome.error);
    QCOMPARE(outcome.error->code, code);
    QVERIFY(!outcome.openError->message().isEmpty());
}

void TestVendorFileReader::shouldMapColumnsInAnyOrderAndSpelling_data()
{
    QTest::addColumn<QByteArray>("varOut");
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QStringList>("fields"); // iccid, imsi, pin, puk
    QTest::newRow("ICCID first")
        << QByteArray("var_out:ICCID IMSI PIN1 PUK1 KI OPC")
        << QByteArray("894902990000000100 262010000000001 1234 87654321 AABB CCDD")
        << QStringList { "iccid", "imsi", "pin", "puk" }
        << QStringList { "894902990000000100", "262010000000001", "1234", "87654321" };
    QTest::newRow("lower case, ICC-ID, PIN and PUK, space after the colon")
        << QByteArray("var_out: puk imsi icc-id pin adm1")
        << QByteArray("87654321 262010000000001 894902990000000100 1234 36B3216F")
        << QStringList { "puk", "imsi", "iccid", "pin" }
        << QStringList { "894902990000000100", "262010000000001", "1234", "87654321" };
    QTest::newRow("slash-separated names, upper-case prefix, ICC_ID")
        << QByteArray("VAR_OUT:ICC_ID/EKI/PUK1 / PIN1")
        << QByteArray("894902990000000100\tA4C123B1612DD272\t87654321  1234")
        << QStringList { "iccid", "puk", "pin" }
        << QStringList { "894902990000000100", "", "1234", "87654321" };
    QTest::newRow("ICCID only") << QByteArray("var_out:ICCID")
                                << QByteArray("  894902990000000100  ") << QStringList { "iccid" }
                                << QStringList { "894902990000000100", "", "", "" };
}

void TestVendorFileReader::shouldMapColumnsInAnyOrderAndSpelling()
{
    QFETCH(QByteArray, varOut);
    QFETCH(QByteArray, row);
    QFETCH(QStringList, columns);
    QFETCH(QStringList, fields);
    QByteArray data = vendorFile("1", varOut, { row });
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    VendorFileReader reader(&buffer);
    const Status opened = reader.open();
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message()));
    QCOMPARE(reader.columns(), columns);

    SimRecord record;
    QVERIFY(reader.next(record));
    QCOMPARE(record.line, 4);
    QVERIFY(record.issues.isEmpty());
    QCOMPARE((QStringList { record.iccid, record.imsi, record.pin, record.puk }), fields);
    QVERIFY(!reader.next(record));
    QVERIFY(!reader.error());
}

void TestVendorFileReader::shouldFlagRowsWithTheWrongFieldCountAndGoOn()
{
    // The middle row lost its IMSI: its EKI now stands where the IMSI belongs.
    const QByteArray shortRow = "00112233445566778899AABBCCDDEEFF 894902990000000101 2222 22222222";
    const QByteArray longRow = kRow3 + " EXTRA";
    const Outcome outcome = readAll(vendorFile("4", kVarOut, { kRow1, shortRow, longRow, kRow2 }));
    QVERIFY(!outcome.openError);
    QVERIFY(!outcome.error); // wrong rows still count towards the quantity
    QCOMPARE(outcome.records.size(), 4);

    QVERIFY(outcome.records.at(0).issues.isEmpty());
    QCOMPARE(outcome.records.at(0).iccid, QStringLiteral("894902990000000100"));

    const SimRecord &tooFew = outcome.records.at(1);
    QCOMPARE(tooFew.line, 5);
    QCOMPARE(tooFew.issues.size(), 1);
    QCOMPARE(tooFew.issues.first().line, 5);
    QCOMPARE(tooFew.issues.first().error.code, ErrorCode::ImportVendorFieldCount);
    // The line that names the columns is line 3, not "the first line".
    QCOMPARE(tooFew.issues.first().error.args, (QStringList { "5", "4", "3" }));
    QVERIFY2(tooFew.issues.first().error.message().contains(QLatin1String("(line 3)")),
        qPrintable(tooFew.issues.first().error.message()));
    // Nothing is guessed from a shifted row, so the EKI cannot land in the IMSI field.
    QCOMPARE((QStringList { tooFew.iccid, tooFew.imsi, tooFew.pin, tooFew.puk }),
        (QStringList { "", "", "", "" }));

    const SimRecord &tooMany = outcome.records.at(2);
    QCOMPARE(tooMany.line, 6);
    QCOMPARE(tooMany.issues.size(), 1);
    QCOMPARE(tooMany.issues.first().line, 6);
    QCOMPARE(tooMany.issues.first().error.code, ErrorCode::ImportVendorFieldCount);
    QCOMPARE(tooMany.issues.first().error.args, (QStringList { "5", "6", "3" }));

    const SimRecord &after = outcome.records.at(3);
    QCOMPARE(after.line, 7);
    QVERIFY(after.issues.isEmpty());
    QCOMPARE(after.iccid, QStringLiteral("894902990000000101"));
    QCOMPARE(after.imsi, QStringLiteral("262010000000002"));
    QCOMPARE(after.pin, QStringLiteral("2222"));
    QCOMPARE(after.puk, QStringLiteral("22222222"));
}

void TestVendorFileReader::shouldSkipBlankLinesAndKeepPhysicalLineNumbers()
{
    // One entry per physical line; a trailing \r makes that line end in CRLF.
    const QList<QByteArray> lines {
        "", // 1
        "File Name : T.i01\r", // 2
        "   ", // 3
        "Quantity : 3", // 4
        "", // 5
        "var_out:IMSI EKI ICCID PIN1 PUK1", // 6
        "", // 7
        kRow1, // 8
        "\t \r", // 9
        "", // 10
        kRow2 + "\r", // 11
        kRow3, // 12
        "", // 13
        "", // 14
    };
    const QByteArray data = lines.join('\n') + '\n';
    const Outcome outcome = readAll(data);
    QVERIFY(!outcome.openError);
    QVERIFY(!outcome.error);
    QCOMPARE(outcome.records.size(), 3);
    QCOMPARE(outcome.records.at(0).line, 8);
    QCOMPARE(outcome.records.at(0).iccid, QStringLiteral("894902990000000100"));
    QCOMPARE(outcome.records.at(1).line, 11);
    QCOMPARE(outcome.records.at(1).iccid, QStringLiteral("894902990000000101"));
    QCOMPARE(outcome.records.at(1).puk, QStringLiteral("22222222"));
    QCOMPARE(outcome.records.at(2).line, 12);
    QCOMPARE(outcome.records.at(2).iccid, QStringLiteral("894902990000000102"));
}

void TestVendorFileReader::shouldRefuseFilesThatAreNotUtf8Text_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("inHeader");
    QTest::addColumn<int>("rowsBefore");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QStringList>("args");

    QTest::newRow("empty file") << QByteArray() << true << 0 << ErrorCode::ImportEmptyFile
                                << QStringList {};
    QTest::newRow("only blank lines")
        << QByteArray("\n \r\n\t\n") << true << 0 << ErrorCode::ImportEmptyFile << QStringList {};
    QTest::newRow("only a UTF-8 BOM")
        << QByteArray("\xEF\xBB\xBF") << true << 0 << ErrorCode::ImportEmptyFile << QStringList {};

    QByteArray nulInHeader = kSample;
    nulInHeader[kSample.indexOf("Card Type") + 2] = '\0';
    QTest::newRow("NUL byte in the header")
        << nulInHeader << true << 0 << ErrorCode::ImportBinary << QStringList { "3" };
    QByteArray nulInRow = kSample;
    nulInRow[kSample.indexOf("262019900000103") + 5] = '\0';
    QTest::newRow("NUL byte in the third row")
        << nulInRow << false << 2 << ErrorCode::ImportBinary << QStringList { "13" };
    QTest::newRow("Latin-1 byte in a row")
        << vendorFile("2", kVarOut, { kRow1, "262010000000002 \xE9\xE9 894902990000000101 2 2" })
        << false << 1 << ErrorCode::ImportEncoding << QStringList { "invalid UTF-8", "5" };
    QTest::newRow("UTF-8 sequence cut short at the line end")
        << QByteArray("File Name : caf\xC3\n") << true << 0 << ErrorCode::ImportEncoding
        << QStringList { "invalid UTF-8", "1" };
    QTest::newRow("UTF-16 LE with BOM") << QByteArray("\xFF\xFE"
                                                      "F\0i\0l\0e\0 \0:\0 \0T\0\n\0",
        20) << true << 0 << ErrorCode::ImportEncoding
                                        << QStringList { "UTF-16", "1" };
    QTest::newRow("UTF-16 BE with BOM")
        << QByteArray("\xFE\xFF\0F\0i\0l\0e\0 \0:\0 \0T\0\n", 20) << true << 0
        << ErrorCode::ImportEncoding << QStringList { "UTF-16", "1" };
}

void TestVendorFileReader::shouldRefuseFilesThatAreNotUtf8Text()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, inHeader);
    QFETCH(int, rowsBefore);
    QFETCH(ErrorCode, code);
    QFETCH(QStringList, args);
    const Outcome outcome = readAll(data);
    QCOMPARE(outcome.openError.has_value(), inHeader);
    if (inHeader) {
        QCOMPARE(outcome.openError->code, code);
        QCOMPARE(outcome.openError->args, args);
    }
    QCOMPARE(outcome.records.size(), rowsBefore);
    QVERIFY(outcome.error);
    QCOMPARE(outcome.error->code, code);
    QCOMPARE(outcome.error->args, args);
}

void TestVendorFileReader::shouldRefuseATenMegabyteLineWithoutReadingItAll()
{
    const QByteArray header = kSample.left(kSample.indexOf("262019900000101 A4C1"));
    QByteArray data = header
        + kSample.mid(header.size(), kSample.indexOf('\n', header.size()) + 1 - header.size());
    data += QByteArray(10 * 1024 * 1024, '7') + "\n";
    data += kSample.mid(data.size() - 10 * 1024 * 1024 - 1);
    QVERIFY(data.size() > 10 * 1024 * 1024);

    const Outcome outcome = readAll(data);
    QVERIFY(!outcome.openError);
    QCOMPARE(outcome.records.size(), 1); // line 11, before the long one
    QVERIFY(outcome.error);
    QCOMPARE(outcome.error->code, ErrorCode::ImportLineTooLong);
    QCOMPARE(
        outcome.error->args, (QStringList { "12", QString::number(CsvReader::kMaxLineLength) }));
    // The reader stopped soon after the limit instead of swallowing the 10 MB.
    QVERIFY2(outcome.bytesRead < header.size() + 2 * CsvReader::kMaxLineLength,
        qPrintable(QString::number(outcome.bytesRead)));
}

void TestVendorFileReader::shouldAcceptLinesUpToTheLimitOnly_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<QByteArray>("lineEnd");
    QTest::addColumn<bool>("accepted");
    const int limit = int(CsvReader::kMaxLineLength);
    QTest::newRow("exactly the limit, LF") << limit << QByteArray("\n") << true;
    QTest::newRow("exactly the limit, CRLF") << limit << QByteArray("\r\n") << true;
    QTest::newRow("one over the limit, LF") << limit + 1 << QByteArray("\n") << false;
    QTest::newRow("one over the limit, CRLF") << limit + 1 << QByteArray("\r\n") << false;
}

void TestVendorFileReader::shouldAcceptLinesUpToTheLimitOnly()
{
    QFETCH(int, length);
    QFETCH(QByteArray, lineEnd);
    QFETCH(bool, accepted);
    const QByteArray prefix = "Remark : ";
    const QByteArray longLine = prefix + QByteArray(length - prefix.size(), 'x');
    QCOMPARE(longLine.size(), length);
    const Outcome outcome = readAll(longLine + lineEnd + vendorFile("1", kVarOut, { kRow1 }));
    if (accepted) {
        QVERIFY(!outcome.openError);
        QVERIFY(!outcome.error);
        QCOMPARE(outcome.records.size(), 1);
        QCOMPARE(outcome.records.first().line, 5);
    } else {
        QVERIFY(outcome.openError);
        QCOMPARE(outcome.openError->code, ErrorCode::ImportLineTooLong);
        QCOMPARE(outcome.openError->args,
            (QStringList { "1", QString::number(CsvReader::kMaxLineLength) }));
    }
}

void TestVendorFileReader::shouldRecogniseVendorFilesByTheirHead_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("vendor");
    QTest::newRow("the sample") << kSample << true;
    QTest::newRow("the sample with CRLF") << withCrlf(kSample) << true;
    QTest::newRow("the sample with a BOM and blank lines first")
        << QByteArray("\xEF\xBB\xBF\n\r\n" + kSample) << true;
    QTest::newRow("upper-case VAR_OUT") << QByteArray("Quantity : 1\nVAR_OUT:ICCID\n") << true;
    QTest::newRow("head ends inside the rows")
        << kSample.left(kSample.indexOf("262019900000105")) << true;
    QTest::newRow("CSV") << QByteArray("iccid,pin,puk\n8949029900000001006,1234,12345678\n")
                         << false;
    QTest::newRow("semicolon CSV with a time in a row")
        << QByteArray("iccid;note\n8949029900000001006;at 12:00\nvar_out:x\n") << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("only blank lines") << QByteArray("\n\n  \n") << false;
    QTest::newRow("key : value lines but no var_out") << QByteArray("A : 1\nB : 2\n") << false;
    QTest::newRow("first line is prose") << QByteArray("Hello there\nvar_out:ICCID\n") << false;
    QTest::newRow("first line has no value") << QByteArray("File Name :\nvar_out:ICCID\n") << false;
    // Callers pass the first 64 KiB; a head cut before var_out: is not recognised.
    QTest::newRow("head cut before var_out") << kSample.left(kSample.indexOf("var_out")) << false;
    QTest::newRow("banner before the header") << QByteArray(
        "*****\n*   HEADER DESCRIPTION\n*****\nQuantity : 1\n*\nOUTPUT "
        "VARIABLES\nVar_Out: ICCID/IMSI\n") << true;
    QTest::newRow("a banner and a CSV header")
        << QByteArray("*****\niccid,pin\nvar_out:x\n") << false;
}

void TestVendorFileReader::shouldRecogniseVendorFilesByTheirHead()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, vendor);
    QCOMPARE(VendorFileReader::looksLikeVendorFile(head), vendor);
}

namespace {

QByteArray testFile(const char *name)
{
    QFile file(QStringLiteral(SIMDESK_TEST_DATA "/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

} // namespace

void TestVendorFileReader::shouldReadTheLayoutsVendorsSend_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("cards");
    QTest::addColumn<int>("firstLine");
    QTest::addColumn<QString>("batch");
    QTest::addColumn<QStringList>("ignored");
    // A "*" banner with HEADER DESCRIPTION, INPUT VARIABLES DESCRIPTION (Var_In_List: with
    // IMSI:/Ser_nb: lines) and OUTPUT VARIABLES, "key : value", Var_Out: with slashes, blank
    // lines at the end.
    QTest::newRow("banner, spaced colons, slashes")
        << testFile("vendor-banner.out") << 10 << 24 << "B2026-1104"
        << QStringList { "PIN2", "PUK2", "KI", "ADM1" };
    // Untitled section names between "*" separators, "key:value" without spaces, CRLF.
    QTest::newRow("compact colons, CRLF, section titles without stars")
        << testFile("vendor-compact.out") << 5 << 17 << "B2026-1105"
        << QStringList { "PIN2", "PUK2", "EKI", "OPC", "ACC", "ADM1" };
}

void TestVendorFileReader::shouldReadTheLayoutsVendorsSend()
{
    // Real vendor output files are read in the layouts vendors actually send.
    QFETCH(QByteArray, data);
    QFETCH(int, cards);
    QFETCH(int, firstLine);
    QFETCH(QString, batch);
    QFETCH(QStringList, ignored);
    QVERIFY(VendorFileReader::looksLikeVendorFile(data));

    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    VendorFileReader reader(&buffer);
    const Status opened = reader.open();
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message()));
    QCOMPARE(reader.declaredQuantity(), std::optional<qint64>(cards));
    QVERIFY(reader.header().contains(QPair<QString, QString>("Batch", batch)));
    QCOMPARE(reader.columns(), (QStringList { "iccid", "imsi", "pin", "puk" }));
    QStringList warned;
    for (const ImportIssue &w : reader.warnings()) {
        QCOMPARE(w.error.code, ErrorCode::ImportUnknownColumn);
        QCOMPARE(w.line, qint64(firstLine - 1)); // the Var_Out: line
        warned << w.column;
    }
    QCOMPARE(warned, ignored);

    QList<SimRecord> records;
    SimRecord record;
    while (reader.next(record))
        records.append(record);
    QVERIFY2(!reader.error(), reader.error() ? qPrintable(reader.error()->message()) : "");
    QCOMPARE(records.size(), cards);
    const QList<QByteArray> lines = data.split('\n');
    for (qsizetype i = 0; i < records.size(); ++i) {
        const SimRecord &r = records.at(i);
        QCOMPARE(r.line, firstLine + i);
        QVERIFY(r.issues.isEmpty());
        // The row's own first four fields, and none of its key material.
        const QList<QByteArray> fields = lines.at(r.line - 1).trimmed().split(' ');
        QCOMPARE((QStringList { r.iccid, r.imsi, r.pin, r.puk }),
            (QStringList { QString::fromLatin1(fields.at(0)), QString::fromLatin1(fields.at(1)),
                QString::fromLatin1(fields.at(2)), QString::fromLatin1(fields.at(3)) }));
        QCOMPARE(r.iccid.size(), 18); // without its check digit, as vendors send it
    }
}

void TestVendorFileReader::shouldSayWhichLineOfADamagedFileIsNotUnderstood()
{
    // A vendor file that still does not parse says which line and why.
    const Outcome outcome = readAll(testFile("vendor-damaged.out"));
    QVERIFY(outcome.openError);
    QCOMPARE(outcome.openError->code, ErrorCode::ImportVendorLine);
    QCOMPARE(outcome.openError->args.value(0), QStringLiteral("6"));
    const QString message = outcome.openError->message();
    QVERIFY2(message.startsWith(QStringLiteral("Line 6 of the vendor file is not understood: it is "
                                               "neither “key: value”")),
        qPrintable(message));
}

void TestVendorFileReader::shouldGroupTheWarningsAboutManyIgnoredColumns()
{
    // A file with 100,000 unknown columns gives one grouped warning.
    QByteArray varOut = "var_out:ICCID";
    QByteArray row = "894902990000000100";
    for (int i = 0; i < 100000; ++i) {
        varOut += " X" + QByteArray::number(i);
        row += " 0";
    }
    QBuffer buffer;
    buffer.setData(vendorFile("1", varOut, { row }));
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    VendorFileReader reader(&buffer);
    QVERIFY(reader.open().ok());
    QCOMPARE(reader.warnings().size(), 1);
    const ImportIssue w = reader.warnings().first();
    QCOMPARE(w.line, qint64(3));
    QCOMPARE(w.error.code, ErrorCode::ImportUnknownColumns);
    QCOMPARE(w.error.args.value(0), QStringLiteral("100000"));
    QVERIFY2(w.error.message().startsWith(QStringLiteral(
                 "100000 columns are not used by SimDesk and are ignored: “X0”, “X1”")),
        qPrintable(w.error.message()));
    SimRecord record;
    QVERIFY(reader.next(record));
    QCOMPARE(record.iccid, QStringLiteral("894902990000000100"));
}

// Layouts real vendor files have, which an earlier reader split or counted wrongly.
void TestVendorFileReader::shouldReadTheVendorFilesThatWereMisread_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QStringList>("first"); // iccid, imsi, pin, puk of the first row
    QTest::addColumn<int>("rows");
    // Names with spaces between the slashes: one column each, not one per word.
    QTest::newRow("slash-separated names with spaces")
        << vendorFile("2", "Var_Out: ICCID/IMSI/PIN1/PUK1/Code Retailer/Code ADM",
               { "894902990000000100 262010000000001 1111 11111111 R0042 36B3216F",
                   "894902990000000101 262010000000002 2222 22222222 R0042 19E9CB0E" })
        << QStringList { "iccid", "imsi", "pin", "puk" }
        << QStringList { "894902990000000100", "262010000000001", "1111", "11111111" } << 2;
    // A FORMAT_OUT: line after VAR_OUT: describes the columns; it is no card.
    QTest::newRow("FORMAT_OUT after VAR_OUT")
        << vendorFile("1", "VAR_OUT: ICCID/IMSI/PIN1/PUK1\nFORMAT_OUT: A18/N15/N4/N8",
               { "894902990000000100 262010000000001 1111 11111111" })
        << QStringList { "iccid", "imsi", "pin", "puk" }
        << QStringList { "894902990000000100", "262010000000001", "1111", "11111111" } << 1;
    // The on-card form, padded with F: the reader keeps it, the import strips the padding.
    QTest::newRow("F-padded ICCIDs")
        << vendorFile("1", "var_out:ICCID IMSI", { "8949029900000001007F 262010000000001" })
        << QStringList { "iccid", "imsi" }
        << QStringList { "8949029900000001007F", "262010000000001", "", "" } << 1;
}

void TestVendorFileReader::shouldReadTheVendorFilesThatWereMisread()
{
    QFETCH(QByteArray, data);
    QFETCH(QStringList, columns);
    QFETCH(QStringList, first);
    QFETCH(int, rows);
    const Outcome outcome = readAll(data);
    QVERIFY2(!outcome.openError, outcome.openError ? qPrintable(outcome.openError->message()) : "");
    QVERIFY2(!outcome.error, outcome.error ? qPrintable(outcome.error->message()) : "");
    QCOMPARE(outcome.records.size(), rows);
    const SimRecord &r = outcome.records.first();
    QVERIFY2(
        r.issues.isEmpty(), r.issues.isEmpty() ? "" : qPrintable(r.issues.first().error.message()));
    QCOMPARE((QStringList { r.iccid, r.imsi, r.pin, r.puk }), first);
    QBuffer buffer;
    buffer.setData(data);
    buffer.open(QIODevice::ReadOnly);
    VendorFileReader reader(&buffer);
    QVERIFY(reader.open().ok());
    QCOMPARE(reader.columns(), columns);
}

void TestVendorFileReader::shouldRefuseWithTheRealReason_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("says"); // a part of the message
    QTest::newRow("Quantity misspelled")
        << QByteArray("File Name : T.i01\nQuantitiy : 1\nvar_out:ICCID\n894902990000000100\n")
        << ErrorCode::ImportVendorLine
        << QStringLiteral("“Quantitiy” looks like a misspelled Quantity");
    QTest::newRow("Quantity with a letter missing")
        << QByteArray("File Name : T.i01\nQantity : 1\nvar_out:ICCID\n894902990000000100\n")
        << ErrorCode::ImportVendorLine << QStringLiteral("Line 2 of the vendor file");
    QTest::newRow("var_In: with its values, no var_out")
        << QByteArray("File Name : T.i01\nQuantity : 1\nvar_In: IMSI Ser_nb\n"
                      "262010000000001 894902990000000100\n")
        << ErrorCode::ImportVendorLine
        << QStringLiteral("holds values for the var_In: line (line 3)");
    QTest::newRow("var_In: and nothing else")
        << QByteArray("File Name : T.i01\nQuantity : 1\nvar_In: IMSI Ser_nb\n")
        << ErrorCode::ImportVendorHeader << QStringLiteral("var_In: line (line 3)");
}

void TestVendorFileReader::shouldRefuseWithTheRealReason()
{
    QFETCH(QByteArray, data);
    QFETCH(ErrorCode, code);
    QFETCH(QString, says);
    // Such a file is taken for a vendor file (not read as CSV, which would blame other things).
    QVERIFY(VendorFileReader::looksLikeVendorFile(data));
    const Outcome outcome = readAll(data);
    QVERIFY(outcome.openError);
    QCOMPARE(outcome.openError->code, code);
    QVERIFY2(outcome.openError->message().contains(says), qPrintable(outcome.openError->message()));
}

void TestVendorFileReader::shouldBoundWhatAHeaderMayHold()
{
    // Four million "key : value" lines once took 737 MB: now the header stops at a thousand.
    QByteArray data = "File Name : T.i01\nQuantity : 1\n";
    for (int i = 0; i < 200000; ++i)
        data += "Key" + QByteArray::number(i) + " : value\n";
    data += "var_out:ICCID\n894902990000000100\n";
    const Outcome outcome = readAll(data);
    QVERIFY(outcome.openError);
    QCOMPARE(outcome.openError->code, ErrorCode::ImportVendorHeader);
    QVERIFY2(outcome.openError->message().contains(QLatin1String("more than 1000")),
        qPrintable(outcome.openError->message()));
    QVERIFY2(outcome.bytesRead < 100 * 1024, qPrintable(QString::number(outcome.bytesRead)));
    // The same after the Var_Out: line.
    QByteArray after = "Quantity : 1\nvar_out:ICCID\n";
    for (int i = 0; i < 2000; ++i)
        after += "FORMAT_OUT: A18\n";
    const Outcome late = readAll(after + "894902990000000100\n");
    QVERIFY(late.error);
    QCOMPARE(late.error->code, ErrorCode::ImportVendorHeader);
}

void TestVendorFileReader::shouldQuoteTheFilesWordsPrintable()
{
    const Outcome outcome = readAll(
        "Quantity : \x1b[2J" + QByteArray(5000, '9') + "\nvar_out:ICCID\n894902990000000100\n");
    QVERIFY(outcome.openError);
    const QString message = outcome.openError->message();
    QVERIFY2(!message.contains(QChar(0x1b)) && message.contains(QLatin1String("\\x1B[2J")),
        qPrintable(message));
    QVERIFY2(message.size() < 600, qPrintable(QString::number(message.size())));
}

QTEST_GUILESS_MAIN(TestVendorFileReader)
#include "tst_vendorfilereader.moc"
