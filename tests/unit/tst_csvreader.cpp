// SPDX-License-Identifier: MIT
#include "domain/printable.h"
#include "import/csvreader.h"

#include <QBuffer>
#include <QRandomGenerator>
#include <QTest>

#include <cstring>

using namespace simdesk;

Q_DECLARE_METATYPE(simdesk::ErrorCode)

namespace {

constexpr qsizetype kLimit = CsvReader::kMaxLineLength;

// /work/shared/samples/sims-small.csv, embedded so that the test does not depend on the checkout
// layout.
const QByteArray kSample
    = QByteArrayLiteral("iccid,pin,puk,type,msisdn\n"
                        "8949029900000010007,8021,39038095,prepaid,+4915901000000\n"
                        "8949029900000010015,8462,38325005,postpaid,\n"
                        "8949029900000010023,7613,62531718,data-only,\n"
                        "8949029900000010031,7640,15905184,prepaid,+4915901000003\n"
                        "8949029900000010049,8996,26742886,postpaid,\n"
                        "8949029900000010056,5106,11523163,data-only,\n"
                        "8949029900000010064,7748,02349408,prepaid,+4915901000006\n"
                        "8949029900000010072,4744,61602021,postpaid,\n"
                        "8949029900000010080,1252,67997185,data-only,\n"
                        "8949029900000010098,7363,36058564,prepaid,+4915901000009\n"
                        "8949029900000010106,6338,28163874,postpaid,\n"
                        "8949029900000010114,3452,10014369,data-only,\n");

// A device that hands out at most `chunk` bytes per read, like a pipe: every block boundary of
// the reader (a CRLF split in two, a BOM in pieces, a quote at the end of a block) is exercised.
class ChunkedDevice : public QIODevice
{
public:
    ChunkedDevice(QByteArray data, qint64 chunk)
        : m_data(std::move(data))
        , m_chunk(chunk)
    { }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *out, qint64 max) override
    {
        const qint64 n = qMin(qMin(max, m_chunk), qint64(m_data.size()) - m_pos);
        std::memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_chunk;
    qint64 m_pos = 0;
};

QString describe(const Error &e)
{
    return e.key() + QLatin1Char('(') + e.args.join(QLatin1Char(',')) + QLatin1Char(')');
}

// One row as a line of text: its line, the fields it has, and its issues.
QString describe(const SimRecord &r)
{
    QString s = QString::number(r.line);
    const auto add = [&s](const char *name, const QString &value) {
        if (!value.isEmpty())
            s += QLatin1Char(' ') + QLatin1String(name) + QLatin1Char('=') + value;
    };
    add("iccid", r.iccid);
    add("msisdn", r.msisdn);
    add("imsi", r.imsi);
    add("pin", r.pin);
    add("puk", r.puk);
    add("type", r.type);
    for (const ImportIssue &issue : r.issues)
        s += QLatin1String(" !") + describe(issue.error);
    return s;
}

struct Outcome
{
    QString open; // empty when open() succeeded, else the error
    QStringList rows;
    QString error; // error() after the last next(), empty when none
    QStringList columns;
    QStringList warnings;
    QChar delimiter;
    qint64 bytesRead = 0;

    QString summary() const
    {
        return QStringList { open, rows.join(QLatin1String(" | ")), error,
            columns.join(QLatin1Char(',')), warnings.join(QLatin1Char(',')), QString(delimiter) }
            .join(QLatin1String(" # "));
    }
};

Outcome readFrom(QIODevice *device)
{
    Outcome out;
    CsvReader reader(device);
    const Status st = reader.open();
    out.columns = reader.columns();
    for (const ImportIssue &w : reader.warnings())
        out.warnings << QStringLiteral("%1:%2:%3").arg(w.line).arg(w.column, describe(w.error));
    out.delimiter = reader.delimiter();
    if (!st.ok()) {
        out.open = describe(st.error());
        out.bytesRead = reader.bytesRead();
        // After a failed open(), next() must not produce rows.
        SimRecord r;
        if (reader.next(r))
            out.rows << QStringLiteral("unexpected row after failed open");
        return out;
    }
    SimRecord r;
    while (reader.next(r))
        out.rows << describe(r);
    if (reader.error())
        out.error = describe(*reader.error());
    out.bytesRead = reader.bytesRead();
    return out;
}

Outcome readBuffer(const QByteArray &data)
{
    QBuffer buffer;
    buffer.setData(data);
    buffer.open(QIODevice::ReadOnly);
    return readFrom(&buffer);
}

Outcome differs(const char *how, const Outcome &other, const Outcome &whole)
{
    qWarning(
        "%s:\n%s\nread whole:\n%s", how, qPrintable(other.summary()), qPrintable(whole.summary()));
    Outcome broken;
    broken.open = broken.error = QStringLiteral("differs ") + QLatin1String(how);
    return broken;
}

// Reads `data` from a QBuffer. Unless `thoroughly` is false (huge inputs), also:
//  * from a device that delivers 1 or 7 bytes per read, like a pipe;
//  * for inputs up to 256 bytes that open, with every byte after the header line moved onto the
//    reader's 64 KiB block boundary by padding the header line with spaces (which are trimmed):
//    a CRLF, a quote or a multi-byte character split between two blocks must change nothing.
// A different outcome makes every comparison of the test fail.
Outcome readAll(const QByteArray &data, bool thoroughly = true)
{
    const Outcome whole = readBuffer(data);
    if (!thoroughly)
        return whole;
    for (const qint64 chunk : { 1, 7 }) {
        ChunkedDevice device(data, chunk);
        device.open(QIODevice::ReadOnly | QIODevice::Unbuffered);
        const Outcome pieces = readFrom(&device);
        if (pieces.summary() != whole.summary())
            return differs(chunk == 1 ? "in 1-byte pieces" : "in 7-byte pieces", pieces, whole);
    }
    constexpr qsizetype kBlock = 64 * 1024;
    qsizetype headerEnd = 0;
    while (headerEnd < data.size() && data[headerEnd] != '\n' && data[headerEnd] != '\r')
        ++headerEnd;
    if (!whole.open.isEmpty() || headerEnd == data.size() || data.size() > 256)
        return whole;
    for (qsizetype k = headerEnd; k <= data.size(); ++k) {
        const QByteArray padded
            = data.left(headerEnd) + QByteArray(kBlock - k, ' ') + data.mid(headerEnd);
        const Outcome shifted = readBuffer(padded);
        if (shifted.summary() != whole.summary()) {
            qWarning("byte %lld on the block boundary", qint64(k));
            return differs("across a block boundary", shifted, whole);
        }
    }
    return whole;
}

// The file opens, every row comes out as expected, nothing fails, and all of it was read.
void verifyReadsWhole(const QByteArray &input, const QStringList &rows)
{
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.rows, rows);
    QCOMPARE(out.error, QString());
    QCOMPARE(out.bytesRead, qint64(input.size()));
}

QByteArray repeated(const QByteArray &line, int times)
{
    QByteArray out;
    out.reserve(line.size() * times);
    for (int i = 0; i < times; ++i)
        out += line;
    return out;
}

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

private slots:
    void readsTheSampleFile();

    void shouldParseQuotedFields_data();
    void shouldParseQuotedFields();
    void shouldCountPhysicalLines_data();
    void shouldCountPhysicalLines();
    void shouldKeepLineNumbersAcrossManyBlocks();

    void shouldDetectTheDelimiter_data();
    void shouldDetectTheDelimiter();
    void shouldMapHeaderAliases_data();
    void shouldMapHeaderAliases();
    void shouldWarnAboutUnknownColumns();
    void shouldSkipTheUtf8Bom();
    void shouldTrimFields();
    void shouldAcceptAHeaderWithoutRows_data();
    void shouldAcceptAHeaderWithoutRows();

    void shouldRefuseTheFile_data();
    void shouldRefuseTheFile();
    void shouldStopAtAFatalRowError_data();
    void shouldStopAtAFatalRowError();
    void shouldRefuseANulByteAfterTheFirstBlock();
    void shouldFlagRowsWithTheWrongFieldCountAndGoOn();

    void shouldAcceptALineOfExactlyTheLimit();
    void shouldRefuseATenMegabyteLineInBoundedMemory();
    void shouldRefuseATenMegabyteHeader();
    void shouldReportAQuoteThatSwallowsTheFileAsUnterminated();
    void shouldReportALongMultiLineRowAtItsFirstLine();

    void shouldQuoteHeaderNamesPrintable();
    void shouldRefuseToImportASecretColumnAsAVisibleField_data();
    void shouldRefuseToImportASecretColumnAsAVisibleField();
};

void TestCsvReader::readsTheSampleFile()
{
    const Outcome out = readAll(kSample);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.error, QString());
    QCOMPARE(out.columns, (QStringList { "iccid", "pin", "puk", "type", "msisdn" }));
    QCOMPARE(out.warnings, QStringList());
    QCOMPARE(out.delimiter, QChar(u','));
    QCOMPARE(out.rows.size(), 12);
    QCOMPARE(out.rows.at(0),
        "2 iccid=8949029900000010007 msisdn=+4915901000000 pin=8021 puk=39038095 type=prepaid");
    QCOMPARE(out.rows.at(1), "3 iccid=8949029900000010015 pin=8462 puk=38325005 type=postpaid");
    QCOMPARE(out.rows.at(6),
        "8 iccid=8949029900000010064 msisdn=+4915901000006 pin=7748 puk=02349408 type=prepaid");
    QCOMPARE(out.rows.at(11), "13 iccid=8949029900000010114 pin=3452 puk=10014369 type=data-only");
    QCOMPARE(out.bytesRead, qint64(kSample.size()));
}

void TestCsvReader::shouldParseQuotedFields_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("rows");
    QTest::newRow("delimiter inside quotes") << QByteArray("iccid,type\n\"89,01\",\"pre,paid\"\n")
                                             << QStringList { "2 iccid=89,01 type=pre,paid" };
    QTest::newRow("doubled quotes are one quote") << QByteArray(
        "iccid,type\n\"8\"\"9\",\"\"\"x\"\"\"\n") << QStringList { "2 iccid=8\"9 type=\"x\"" };
    QTest::newRow("LF inside quotes; the next row's line counts it")
        << QByteArray("iccid,type\n\"a\nb\",x\n893,y\n")
        << QStringList { "2 iccid=a\nb type=x", "4 iccid=893 type=y" };
    QTest::newRow("CRLFs inside quotes in a CRLF file")
        << QByteArray("iccid,type\r\n\"a\r\nb\r\nc\",x\r\n893,y\r\n")
        << QStringList { "2 iccid=a\r\nb\r\nc type=x", "5 iccid=893 type=y" };
    QTest::newRow("quoted line break in a later field")
        << QByteArray("iccid,type\n1,\"pre\n\npaid\"\n2,x\n")
        << QStringList { "2 iccid=1 type=pre\n\npaid", "5 iccid=2 type=x" };
    QTest::newRow("empty quoted field")
        << QByteArray("iccid,type\n\"\",x\n") << QStringList { "2 type=x" };
    QTest::newRow("spaces around a quoted field")
        << QByteArray("iccid,type\n  \"89\"  ,x\n") << QStringList { "2 iccid=89 type=x" };
    QTest::newRow("quoted last field, no final line break")
        << QByteArray("iccid,type\n1,\"a,b\"") << QStringList { "2 iccid=1 type=a,b" };
    QTest::newRow("UTF-8 text kept")
        << QByteArray("iccid,type\n1,\"Prepaid – M\xC3\xBCller\"\n")
        << QStringList { QString::fromUtf8("2 iccid=1 type=Prepaid – M\xC3\xBCller") };
}

void TestCsvReader::shouldParseQuotedFields()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, rows);
    verifyReadsWhole(input, rows);
}

void TestCsvReader::shouldCountPhysicalLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("rows");
    QTest::newRow("LF") << QByteArray("iccid\n1\n2\n") << QStringList { "2 iccid=1", "3 iccid=2" };
    QTest::newRow("CRLF") << QByteArray("iccid\r\n1\r\n2\r\n")
                          << QStringList { "2 iccid=1", "3 iccid=2" };
    QTest::newRow("CR only (old Mac Excel)")
        << QByteArray("iccid\r1\r2\r") << QStringList { "2 iccid=1", "3 iccid=2" };
    QTest::newRow("mixed line ends")
        << QByteArray("iccid\r\n1\n2\r3\r\n4")
        << QStringList { "2 iccid=1", "3 iccid=2", "4 iccid=3", "5 iccid=4" };
    QTest::newRow("blank lines in the middle")
        << QByteArray("iccid\n1\n\n\n2\n") << QStringList { "2 iccid=1", "5 iccid=2" };
    QTest::newRow("blank CRLF lines in the middle and at the end") << QByteArray(
        "iccid\r\n1\r\n\r\n2\r\n\r\n\r\n") << QStringList { "2 iccid=1", "4 iccid=2" };
    QTest::newRow("white-space-only lines are blank")
        << QByteArray("iccid\n1\n  \t \n2\n \n") << QStringList { "2 iccid=1", "4 iccid=2" };
    QTest::newRow("CR, then a line of spaces ended by LF")
        << QByteArray("iccid\n1\r \n2\n") << QStringList { "2 iccid=1", "4 iccid=2" };
    QTest::newRow("blank lines before the header")
        << QByteArray("\n\r\n  \niccid\n1\n") << QStringList { "5 iccid=1" };
    QTest::newRow("last line without a line break")
        << QByteArray("iccid\n1\n2") << QStringList { "2 iccid=1", "3 iccid=2" };
    QTest::newRow("last line is white space without a line break")
        << QByteArray("iccid\n1\n   ") << QStringList { "2 iccid=1" };
}

void TestCsvReader::shouldCountPhysicalLines()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, rows);
    verifyReadsWhole(input, rows);
}

void TestCsvReader::shouldKeepLineNumbersAcrossManyBlocks()
{
    // ~1.3 MB: many 64 KiB blocks, with CRLFs, blank lines and quoted line breaks falling on
    // block boundaries somewhere. The expected line of each row is counted while writing it.
    QByteArray data("iccid,type,msisdn\r\n");
    qint64 line = 2;
    QStringList expected;
    for (int i = 0; i < 30000; ++i) {
        const QByteArray iccid = QByteArray::number(8949029900000000000LL + i);
        if (i % 7 == 3) {
            data += iccid + ",\"multi\r\nline\",+49151" + QByteArray::number(i) + "\r\n";
            expected << QStringLiteral("%1 iccid=%2 msisdn=+49151%3 type=multi\r\nline")
                            .arg(line)
                            .arg(QString::fromLatin1(iccid))
                            .arg(i);
            line += 2;
        } else {
            data += iccid + ",prepaid,\r\n";
            expected << QStringLiteral("%1 iccid=%2 type=prepaid")
                            .arg(line)
                            .arg(QString::fromLatin1(iccid));
            line += 1;
        }
        if (i % 11 == 5) {
            data += "\r\n";
            line += 1;
        }
    }
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    const Outcome out = readFrom(&buffer);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.error, QString());
    QCOMPARE(out.rows.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(out.rows.at(i), expected.at(i));
    QCOMPARE(out.bytesRead, qint64(data.size()));
}

void TestCsvReader::shouldDetectTheDelimiter_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("delimiter");
    QTest::addColumn<QStringList>("rows");
    QTest::newRow("comma") << QByteArray("iccid,type\n1,a\n") << ","
                           << QStringList { "2 iccid=1 type=a" };
    QTest::newRow("semicolon (German Excel)")
        << QByteArray("iccid;type\n1;a\n") << ";" << QStringList { "2 iccid=1 type=a" };
    QTest::newRow("tab") << QByteArray("iccid\ttype\n1\ta\n") << "\t"
                         << QStringList { "2 iccid=1 type=a" };
    QTest::newRow("pipe") << QByteArray("iccid|type\n1|a\n") << "|"
                          << QStringList { "2 iccid=1 type=a" };
    QTest::newRow("tab with padded names and values") << QByteArray("iccid\t sim type \n 1 \t a \n")
                                                      << "\t" << QStringList { "2 iccid=1 type=a" };
    QTest::newRow("tab, empty first field keeps its column")
        << QByteArray("\ticcid\ttype\nx\t1\ta\n") << "\t" << QStringList { "2 iccid=1 type=a" };
    QTest::newRow("commas inside quotes do not count")
        << QByteArray("iccid;type;\"note, with, commas\"\n1;a;\"x, y\"\n") << ";"
        << QStringList { "2 iccid=1 type=a" };
    QTest::newRow("only the header decides")
        << QByteArray("iccid;type\n1,2,3,4;a\n") << ";" << QStringList { "2 iccid=1,2,3,4 type=a" };
    QTest::newRow("a tie goes to the comma")
        << QByteArray("iccid,type;x\n1,a;b\n") << "," << QStringList { "2 iccid=1" };
    QTest::newRow("a single column is comma-separated")
        << QByteArray("iccid\n1\n") << "," << QStringList { "2 iccid=1" };
    QTest::newRow("semicolon after blank lines and a BOM") << QByteArray(
        "\xEF\xBB\xBF\n\n"
        "iccid;type\n1;a\n") << ";" << QStringList { "4 iccid=1 type=a" };
}

void TestCsvReader::shouldDetectTheDelimiter()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, delimiter);
    QFETCH(QStringList, rows);
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(QString(out.delimiter), delimiter);
    QCOMPARE(out.rows, rows);
    QCOMPARE(out.error, QString());
}

void TestCsvReader::shouldMapHeaderAliases_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QString>("row");
    QTest::newRow("canonical names")
        << QByteArray("iccid,msisdn,imsi,pin,puk,type\n1,2,3,4,5,6\n")
        << QStringList { "iccid", "msisdn", "imsi", "pin", "puk", "type" }
        << "2 iccid=1 msisdn=2 imsi=3 pin=4 puk=5 type=6";
    QTest::newRow("upper case, other order")
        << QByteArray("TYPE,PUK,PIN,IMSI,MSISDN,ICCID\n1,2,3,4,5,6\n")
        << QStringList { "type", "puk", "pin", "imsi", "msisdn", "iccid" }
        << "2 iccid=6 msisdn=5 imsi=4 pin=3 puk=2 type=1";
    QTest::newRow("mixed case with underscores")
        << QByteArray("Icc_Id,Phone_Number,Pin1,PUK1,Sim_Type\n1,2,3,4,5\n")
        << QStringList { "iccid", "msisdn", "pin", "puk", "type" }
        << "2 iccid=1 msisdn=2 pin=3 puk=4 type=5";
    QTest::newRow("spaces and dashes")
        << QByteArray("ICC-ID,phone number,SIM Type\n1,2,3\n")
        << QStringList { "iccid", "msisdn", "type" } << "2 iccid=1 msisdn=2 type=3";
    QTest::newRow("quoted and padded names")
        << QByteArray(" \"ICCID\" , Mobile \n1,2\n") << QStringList { "iccid", "msisdn" }
        << "2 iccid=1 msisdn=2";
    QTest::newRow("vendor spellings")
        << QByteArray("serial_number_iccid,tel,simtype\n1,2,3\n")
        << QStringList { "iccid", "msisdn", "type" } << "2 iccid=1 msisdn=2 type=3";
    QTest::newRow("icc id with a space, number")
        << QByteArray("icc id,number\n1,2\n") << QStringList { "iccid", "msisdn" }
        << "2 iccid=1 msisdn=2";
}

void TestCsvReader::shouldMapHeaderAliases()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, columns);
    QFETCH(QString, row);
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.columns, columns);
    QCOMPARE(out.rows, QStringList { row });
}

void TestCsvReader::shouldWarnAboutUnknownColumns()
{
    const QByteArray input("\n\niccid,Colour,,pin\n1,red,x,1234\n");
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.columns, (QStringList { "iccid", "pin" }));
    QCOMPARE(out.warnings,
        (QStringList { "3:Colour:import.unknown-column(Colour)", "3::import.unknown-column()" }));
    QCOMPARE(out.rows, QStringList { "4 iccid=1 pin=1234" });

    // The warning itself, as the import report shows it.
    QBuffer buffer;
    buffer.setData("iccid,Farbe\n1,rot\n");
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer);
    QVERIFY(reader.open().ok());
    QCOMPARE(reader.warnings().size(), 1);
    const ImportIssue w = reader.warnings().at(0);
    QCOMPARE(w.line, qint64(1));
    QCOMPARE(w.column, "Farbe");
    QCOMPARE(w.error.code, ErrorCode::ImportUnknownColumn);
    QCOMPARE(w.error.args, QStringList { "Farbe" });
}

void TestCsvReader::shouldSkipTheUtf8Bom()
{
    const QByteArray input = QByteArray("\xEF\xBB\xBF") + kSample;
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.columns, (QStringList { "iccid", "pin", "puk", "type", "msisdn" }));
    QCOMPARE(out.warnings, QStringList());
    QCOMPARE(out.rows.size(), 12);
    QCOMPARE(out.rows.at(0),
        "2 iccid=8949029900000010007 msisdn=+4915901000000 pin=8021 puk=39038095 type=prepaid");
    QCOMPARE(out.bytesRead, qint64(input.size()));
}

void TestCsvReader::shouldTrimFields()
{
    const QByteArray input("  iccid , pin ,type\n"
                           "  8949 ,\" 1234 \" ,\t prepaid\t\n"
                           "\xC2\xA0"
                           "8950\xC2\xA0,1,\" \t\"\n");
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.columns, (QStringList { "iccid", "pin", "type" }));
    QCOMPARE(
        out.rows, (QStringList { "2 iccid=8949 pin=1234 type=prepaid", "3 iccid=8950 pin=1" }));
}

void TestCsvReader::shouldAcceptAHeaderWithoutRows_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("header and line break") << QByteArray("iccid,pin\n");
    QTest::newRow("header without line break") << QByteArray("iccid,pin");
    QTest::newRow("header and blank lines") << QByteArray("iccid,pin\r\n\r\n   \r\n");
}

void TestCsvReader::shouldAcceptAHeaderWithoutRows()
{
    QFETCH(QByteArray, input);
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.columns, (QStringList { "iccid", "pin" }));
    QCOMPARE(out.rows, QStringList());
    QCOMPARE(out.error, QString());
    QCOMPARE(out.bytesRead, qint64(input.size()));
}

void TestCsvReader::shouldRefuseTheFile_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");
    const QString utf8 = QStringLiteral("import.encoding(invalid UTF-8,%1)");
    QTest::newRow("empty file") << QByteArray() << "import.empty-file()";
    QTest::newRow("only white space and line breaks")
        << QByteArray(" \r\n\t\n  ") << "import.empty-file()";
    QTest::newRow("only a UTF-8 BOM") << QByteArray("\xEF\xBB\xBF") << "import.empty-file()";
    QTest::newRow("a BOM and blank lines")
        << QByteArray("\xEF\xBB\xBF\r\n\r\n") << "import.empty-file()";
    QTest::newRow("UTF-16 LE BOM")
        << QByteArrayLiteral("\xFF\xFEi\0c\0c\0i\0d\0") << "import.encoding(UTF-16,1)";
    QTest::newRow("UTF-16 BE BOM")
        << QByteArrayLiteral("\xFE\xFF\0i\0c\0c\0i\0d") << "import.encoding(UTF-16,1)";
    QTest::newRow("UTF-32 LE BOM")
        << QByteArrayLiteral("\xFF\xFE\0\0i\0\0\0") << "import.encoding(UTF-32,1)";
    QTest::newRow("UTF-32 BE BOM")
        << QByteArrayLiteral("\0\0\xFE\xFF\0\0\0i") << "import.encoding(UTF-32,1)";
    QTest::newRow("UTF-16 without BOM")
        << QByteArrayLiteral("i\0c\0c\0i\0d\0\n\0") << "import.binary(1)";
    QTest::newRow("NUL in the header")
        << QByteArrayLiteral("iccid\0,pin\n1,2\n") << "import.binary(1)";
    QTest::newRow("NUL on line 5 of the first block")
        << QByteArrayLiteral("iccid\n1\r\n\r\n3\r4\0\n5\n") << "import.binary(5)";
    QTest::newRow("Latin-1 header") << QByteArray("iccid,t\xFFp\n") << utf8.arg(1);
    QTest::newRow("Latin-1 header after blank lines")
        << QByteArray("\n\r\niccid,n\xFCmmer\n1,2\n") << utf8.arg(3);
    // Both columns are named, as written, and what they both mean.
    QTest::newRow("duplicate column")
        << QByteArray("iccid,pin,ICCID\n1,2,3\n") << "import.duplicate-column(iccid,ICCID,ICCID)";
    QTest::newRow("duplicate through an alias")
        << QByteArray("iccid,phone,msisdn\n") << "import.duplicate-column(phone,msisdn,MSISDN)";
    QTest::newRow("pin and pin1") << QByteArray("iccid;pin;PIN1\n")
                                  << "import.duplicate-column(pin,PIN1,PIN)";
    QTest::newRow("iccid and ICC_ID, far apart") << QByteArray("iccid,pin,puk,type,ICC_ID\n")
                                                 << "import.duplicate-column(iccid,ICC_ID,ICCID)";
    QTest::newRow("no iccid column")
        << QByteArray("msisdn,pin\n+491511,1234\n") << "import.missing-column(iccid)";
    QTest::newRow("only empty header names")
        << QByteArray(",,\n1,2,3\n") << "import.missing-column(iccid)";
    QTest::newRow("unterminated quote in the header")
        << QByteArray("iccid,\"pin\n1,2\n") << "import.unterminated-quote(1)";
    QTest::newRow("stray quote in a header name")
        << QByteArray("\n\nic\"cid\n1\n") << "import.unterminated-quote(3)";

    // Seeded, so the junk is the same on every run.
    QRandomGenerator random(20240601);
    QByteArray withNul(4096, Qt::Uninitialized);
    for (char &c : withNul) {
        c = char(random.bounded(256));
        if (c == '\0' || c == '\r' || c == '\n')
            c = 'x';
    }
    withNul[100] = '\n';
    withNul[200] = '\n';
    withNul[300] = '\0';
    withNul[3000] = '\0';
    QTest::newRow("random bytes with NULs") << withNul << "import.binary(3)";

    QByteArray highBytes(4096, Qt::Uninitialized);
    for (char &c : highBytes)
        c = char(0x80 + random.bounded(128));
    QTest::newRow("random bytes above ASCII") << highBytes << "import.encoding(invalid UTF-8,1)";

    QTest::newRow("PNG image") << QByteArrayLiteral("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10")
                               << "import.binary(3)";
}

void TestCsvReader::shouldRefuseTheFile()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    const Outcome out = readAll(input);
    QCOMPARE(out.open, error);
    QCOMPARE(out.rows, QStringList());
}

void TestCsvReader::shouldStopAtAFatalRowError_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<QString>("error");
    const QString utf8 = QStringLiteral("import.encoding(invalid UTF-8,%1)");
    QTest::newRow("Latin-1 umlaut on line 4")
        << QByteArray("iccid,type\n1,a\n2,b\n3,M\xFCller\n4,c\n")
        << QStringList { "2 iccid=1 type=a", "3 iccid=2 type=b" } << utf8.arg(4);
    QTest::newRow("bad byte on the 2nd line of a quoted field")
        << QByteArray("iccid,type\n1,a\n2,\"b\nc\xE9\"\n3,d\n")
        << QStringList { "2 iccid=1 type=a" } << utf8.arg(4);
    QTest::newRow("bad byte in an ignored column")
        << QByteArray("iccid,note\n1,\xFF\n") << QStringList() << utf8.arg(2);
    QTest::newRow("truncated sequence at the end of a line")
        << QByteArray("iccid,type\r\n\r\n1,\xC3\r\n") << QStringList() << utf8.arg(3);
    QTest::newRow("unterminated quote")
        << QByteArray("iccid,type\n1,a\n\"2,b\n3,c\n") << QStringList { "2 iccid=1 type=a" }
        << "import.unterminated-quote(3)";
    QTest::newRow("unterminated quote in a last field after blank lines")
        << QByteArray("iccid,type\n1,a\n\n\n2,\"b\n\n3,c") << QStringList { "2 iccid=1 type=a" }
        << "import.unterminated-quote(5)";
    QTest::newRow("unterminated quote on the last line")
        << QByteArray("iccid,type\n1,\"a") << QStringList() << "import.unterminated-quote(2)";
    QTest::newRow("quote inside an unquoted field")
        << QByteArray("iccid,type\r\n1,a\r\n2,b\"c\r\n3,d\r\n")
        << QStringList { "2 iccid=1 type=a" } << "import.unterminated-quote(3)";
    QTest::newRow("text after the closing quote of a multi-line field")
        << QByteArray("iccid,type\n1,a\n2,\"b\nc\"d\n") << QStringList { "2 iccid=1 type=a" }
        << "import.unterminated-quote(3)";
}

void TestCsvReader::shouldStopAtAFatalRowError()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, rows);
    QFETCH(QString, error);
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.rows, rows);
    QCOMPARE(out.error, error);
}

void TestCsvReader::shouldRefuseANulByteAfterTheFirstBlock()
{
    // 4000 rows are well beyond the first 64 KiB block that open() reads.
    const QByteArray header("iccid,type\n");
    const QByteArray row("8949029900000010007,prepaid\n");
    QByteArray data = header + repeated(row, 4000);
    const qsizetype line3000 = header.size() + 2998 * row.size();
    data[line3000 + 5] = '\0';
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer);
    QVERIFY(reader.open().ok());
    SimRecord r;
    qint64 expectedLine = 2;
    while (reader.next(r))
        QCOMPARE(r.line, expectedLine++);
    QVERIFY(expectedLine <= 3000);
    QVERIFY(reader.error().has_value());
    QCOMPARE(reader.error()->code, ErrorCode::ImportBinary);
    QCOMPARE(reader.error()->args, QStringList { "3000" });
    QVERIFY(!reader.next(r));
}

void TestCsvReader::shouldFlagRowsWithTheWrongFieldCountAndGoOn()
{
    const QByteArray input("iccid,pin,type\n1,2\n3,4,5,6\n7,8,9\n,,\n10\n");
    const Outcome out = readAll(input);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.error, QString());
    QCOMPARE(out.rows,
        (QStringList { "2 iccid=1 pin=2 !import.field-count(3,2)",
            "3 iccid=3 pin=4 type=5 !import.field-count(3,4)", "4 iccid=7 pin=8 type=9", "5",
            "6 iccid=10 !import.field-count(3,1)" }));

    QBuffer buffer;
    buffer.setData(input);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer);
    QVERIFY(reader.open().ok());
    SimRecord r;
    QVERIFY(reader.next(r));
    QCOMPARE(r.issues.size(), 1);
    QCOMPARE(r.issues.at(0).line, qint64(2));
    QCOMPARE(r.issues.at(0).column, QString());
    QCOMPARE(r.issues.at(0).error.code, ErrorCode::ImportWrongFieldCount);
    QCOMPARE(r.issues.at(0).error.args, (QStringList { "3", "2" }));
}

void TestCsvReader::shouldAcceptALineOfExactlyTheLimit()
{
    const QByteArray atLimit(kLimit, '7');
    const Outcome ok = readAll("iccid\n" + atLimit + "\r\n2\n", false);
    QCOMPARE(ok.open, QString());
    QCOMPARE(ok.error, QString());
    QCOMPARE(ok.rows.size(), 2);
    QCOMPARE(ok.rows.at(0), QStringLiteral("2 iccid=") + QString::fromLatin1(atLimit));
    QCOMPARE(ok.rows.at(1), "3 iccid=2");

    const Outcome tooLong = readAll("iccid\n" + atLimit + "7\r\n2\n", false);
    QCOMPARE(tooLong.open, QString());
    QCOMPARE(tooLong.rows, QStringList());
    QCOMPARE(tooLong.error, QStringLiteral("import.line-too-long(2,%1)").arg(kLimit));
}

void TestCsvReader::shouldRefuseATenMegabyteLineInBoundedMemory()
{
    QByteArray data = "iccid,type\n1,a\n" + QByteArray(10 * 1024 * 1024, 'x') + "\n2,b\n";
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer);
    QVERIFY(reader.open().ok());
    SimRecord r;
    QVERIFY(reader.next(r));
    QCOMPARE(r.line, qint64(2));
    QVERIFY(!reader.next(r));
    QVERIFY(reader.error().has_value());
    QCOMPARE(reader.error()->code, ErrorCode::ImportLineTooLong);
    QCOMPARE(reader.error()->args, (QStringList { "3", QString::number(kLimit) }));
    // It stopped soon after the limit instead of taking in the whole line.
    QVERIFY2(reader.bytesRead() <= kLimit + 2 * 64 * 1024,
        qPrintable(QString::number(reader.bytesRead())));
    QVERIFY(!reader.next(r));
}

void TestCsvReader::shouldRefuseATenMegabyteHeader()
{
    const Outcome out = readAll(QByteArray(10 * 1024 * 1024, 'x') + "\n1\n", false);
    QCOMPARE(out.open, QStringLiteral("import.line-too-long(1,%1)").arg(kLimit));
    QVERIFY(out.bytesRead <= kLimit + 2 * 64 * 1024);
}

void TestCsvReader::shouldReportAQuoteThatSwallowsTheFileAsUnterminated()
{
    // The quote opened on line 3 is never closed: the rest of the file (2 MB) would become one
    // field. The reader stops once the row passes the limit and names the quote's line.
    const QByteArray data = "iccid,type\n1,a\n2,\"b\n" + repeated("3,c\n", 500000);
    const Outcome out = readAll(data, false);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.rows, QStringList { "2 iccid=1 type=a" });
    QCOMPARE(out.error, "import.unterminated-quote(3)");
    QVERIFY(out.bytesRead <= kLimit + 2 * 64 * 1024);
}

void TestCsvReader::shouldReportALongMultiLineRowAtItsFirstLine()
{
    // Line 4 alone is within the limit, but the row that starts on line 3 is not, and its
    // quoted field is closed: the row is too long, not unterminated.
    const QByteArray data = "iccid,type\n1,a\n\"x\ny\"," + QByteArray(kLimit - 4, 'z') + "\n";
    const Outcome out = readAll(data, false);
    QCOMPARE(out.open, QString());
    QCOMPARE(out.rows, QStringList { "2 iccid=1 type=a" });
    QCOMPARE(out.error, QStringLiteral("import.line-too-long(3,%1)").arg(kLimit));
}

void TestCsvReader::shouldQuoteHeaderNamesPrintable()
{
    // A header that clears the screen and sets the terminal's title, and one a megabyte long.
    QByteArray input
        = "iccid,\x1b[2J\x1b]0;pwned\x07," + QByteArray(1024 * 1024 - 100, 'H') + "\n1,2,3\n";
    QBuffer buffer(&input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    CsvReader reader(&buffer);
    QVERIFY(reader.open().ok());
    const QList<ImportIssue> warnings = reader.warnings();
    QCOMPARE(warnings.size(), 2);
    QCOMPARE(warnings.at(0).error.args, QStringList { "\\x1B[2J\\x1B]0;pwned\\x07" });
    QCOMPARE(warnings.at(0).column, "\\x1B[2J\\x1B]0;pwned\\x07");
    QCOMPARE(warnings.at(1).error.args.value(0), QString(kMaxQuotedLength, u'H') + QChar(0x2026));
    for (const ImportIssue &w : warnings)
        QVERIFY(w.error.message().size() < 300);
}

void TestCsvReader::shouldRefuseToImportASecretColumnAsAVisibleField_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("PIN1 as IMSI") << "PIN1"
                                  << "imsi" << false;
    QTest::newRow("PUK as MSISDN") << "PUK"
                                   << "msisdn" << false;
    QTest::newRow("Code ADM as MSISDN") << "Code ADM"
                                        << "msisdn" << false;
    QTest::newRow("KI as type") << "KI"
                                << "type" << false;
    QTest::newRow("PIN2 as PIN") << "PIN2"
                                 << "pin" << true;
    QTest::newRow("ADM1 ignored") << "ADM1"
                                  << "" << true;
    QTest::newRow("Rufnummer as MSISDN") << "Rufnummer"
                                         << "msisdn" << true;
}

void TestCsvReader::shouldRefuseToImportASecretColumnAsAVisibleField()
{
    QFETCH(QString, header);
    QFETCH(QString, field);
    QFETCH(bool, allowed);
    QCOMPARE(CsvReader::checkMapping(header, field).ok(), allowed);
    QByteArray input = "iccid," + header.toUtf8() + "\n8949029900000010007,1234\n";
    QBuffer buffer(&input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    CsvReader reader(&buffer);
    reader.setColumnMapping({ { header, field } });
    const Status opened = reader.open();
    QCOMPARE(opened.ok(), allowed);
    if (!allowed) {
        QCOMPARE(opened.error().code, ErrorCode::ImportColumnHoldsSecrets);
        QVERIFY(opened.error().message().contains(header));
    }
}

QTEST_APPLESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
