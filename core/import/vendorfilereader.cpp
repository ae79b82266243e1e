// SPDX-License-Identifier: MIT
#include "import/vendorfilereader.h"

#include "domain/printable.h"
#include "import/csvreader.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QVarLengthArray>

#include <algorithm>

namespace simdesk {

namespace {

// Bytes asked of the device per readLine() call. A longer line is assembled from several pieces,
// so a damaged file with one endless line costs at most the line limit plus one piece.
constexpr qint64 kChunkSize = 64 * 1024;

constexpr QLatin1String kVarOut("var_out");
constexpr QLatin1String kVarIn("var_in");

// Header lines (before and after the Var_Out: line) a file may have: real ones have a few dozen.
// A file with millions of "key : value" lines is refused rather than held in memory.
constexpr qint64 kMaxHeaderLines = 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::VendorFileReader", text);
}

// The columns SimDesk takes from a vendor file, by the names vendors use for them. Everything
// else (EKI, KI, OPC, PIN2, PUK2, ADM codes, …) is skipped unread.
struct ColumnAlias
{
    QLatin1String name;
    QLatin1String canonical;
};

constexpr ColumnAlias kAliases[] = {
    { QLatin1String("ICCID"), QLatin1String("iccid") },
    { QLatin1String("ICC-ID"), QLatin1String("iccid") },
    { QLatin1String("ICC_ID"), QLatin1String("iccid") },
    { QLatin1String("IMSI"), QLatin1String("imsi") },
    { QLatin1String("PIN1"), QLatin1String("pin") },
    { QLatin1String("PIN"), QLatin1String("pin") },
    { QLatin1String("PUK1"), QLatin1String("puk") },
    { QLatin1String("PUK"), QLatin1String("puk") },
};

QString canonicalColumn(QStringView name)
{
    for (const ColumnAlias &alias : kAliases) {
        if (name.compare(alias.name, Qt::CaseInsensitive) == 0)
            return alias.canonical;
    }
    return {};
}

// "Var_Out: ICCID/IMSI/…", "var_out:IMSI EKI …", "VAR_OUT : …"; the same for var_In: (the
// values a vendor was sent, in the input file and echoed by some output files).
bool isKeyLine(QStringView trimmedLine, QLatin1String key)
{
    const qsizetype colon = trimmedLine.indexOf(QLatin1Char(':'));
    return colon > 0 && trimmedLine.left(colon).trimmed().compare(key, Qt::CaseInsensitive) == 0;
}

// How far apart two short words are (Levenshtein): a header key one or two letters off
// "Quantity" is a misspelling of it, and the refusal says so.
int editDistance(QStringView a, QStringView b)
{
    QList<int> row(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[j];
            const bool same = a.at(i - 1).toLower() == b.at(j - 1).toLower();
            row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1) });
            diagonal = above;
        }
    }
    return row[b.size()];
}

// Banner lines ("*****", "*   HEADER DESCRIPTION") and separators ("*") are decoration.
bool isDecoration(QStringView trimmedLine)
{
    return trimmedLine.startsWith(QLatin1Char('*'));
}

// A section title between the header's blocks: "INPUT VARIABLES DESCRIPTION", "OUTPUT
// VARIABLES". Upper-case words only: a line of prose is still reported as not understood, and
// a card row (digits, hex keys) is not taken for a title.
bool isSectionTitle(QStringView trimmedLine)
{
    if (trimmedLine.isEmpty())
        return false;
    for (const QChar c : trimmedLine) {
        if (!(c >= u'A' && c <= u'Z') && c != u' ' && c != u'_' && c != u'-')
            return false;
    }
    return true;
}

} // namespace

struct VendorFileReader::Private
{
    enum class LineResult { Line, End, Failed };

    explicit Private(QIODevice *dev)
        : device(dev)
    { }

    LineResult readLine(QString &text);
    Error fail(Error error);
    Status parseQuantity();
    Status parseColumns(QStringView names);
    // Keeps one "key : value" line of the header, up to kMaxHeaderLines of them.
    Status addHeaderLine(const QString &key, const QString &value);

    QIODevice *device;
    qint64 lineNumber = 0; // physical lines consumed so far
    qint64 bytes = 0;
    bool opened = false;
    bool finished = false;
    std::optional<Error> error;

    QList<QPair<QString, QString>> header;
    QList<qint64> headerLines; // the line of each header entry
    qint64 varOutLine = 0; // the line naming the columns
    qint64 varInLine = 0; // a var_In: line before it, if any
    QList<ImportIssue> warnings;
    std::optional<qint64> quantity;
    QStringList columns;
    qsizetype fieldCount = 0;
    qsizetype iccidIndex = -1;
    qsizetype imsiIndex = -1;
    qsizetype pinIndex = -1;
    qsizetype pukIndex = -1;
    qint64 rows = 0;
};

// Records a fatal error; reading stops for good.
Error VendorFileReader::Private::fail(Error e)
{
    error = e;
    finished = true;
    return e;
}

// Reads one physical line into `text` (without its LF or CRLF). The line is held only in locals
// of this function and its caller, so a card's key material is gone once the row is split.
VendorFileReader::Private::LineResult VendorFileReader::Private::readLine(QString &text)
{
    if (finished)
        return LineResult::End;

    QByteArray line;
    for (;;) {
        const qsizetype old = line.size();
        // readLine() stores a terminating NUL after what it read, hence the extra byte.
        line.resize(old + kChunkSize + 1);
        const qint64 n = device->readLine(line.data() + old, kChunkSize + 1);
        line.resize(old + qMax<qint64>(n, 0));
        bytes += qMax<qint64>(n, 0);
        if (n <= 0 || line.endsWith('\n'))
            break;
        // +1: a CR may be waiting for its LF in the next piece. Stop here rather than read the
        // rest of the line: the error is fatal, so what follows is never needed.
        if (line.size() > CsvReader::kMaxLineLength + 1) {
            fail(Error(ErrorCode::ImportLineTooLong,
                { QString::number(lineNumber + 1), QString::number(CsvReader::kMaxLineLength) }));
            return LineResult::Failed;
        }
    }
    if (line.isEmpty()) {
        finished = true;
        return LineResult::End;
    }
    ++lineNumber;

    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    // Counted in bytes, which for the ASCII these files hold is the same as characters.
    if (line.size() > CsvReader::kMaxLineLength) {
        fail(Error(ErrorCode::ImportLineTooLong,
            { QString::number(lineNumber), QString::number(CsvReader::kMaxLineLength) }));
        return LineResult::Failed;
    }

    if (lineNumber == 1) {
        // A UTF-16/32 file would otherwise be reported as binary (its NUL bytes), which sends the
        // user looking for the wrong problem.
        const QByteArrayView head(line);
        if (head.startsWith(QByteArrayView("\xFF\xFE\0\0", 4))
            || head.startsWith(QByteArrayView("\0\0\xFE\xFF", 4))) {
            fail(Error(
                ErrorCode::ImportEncoding, { QStringLiteral("UTF-32"), QStringLiteral("1") }));
            return LineResult::Failed;
        }
        if (head.startsWith("\xFF\xFE") || head.startsWith("\xFE\xFF")) {
            fail(Error(
                ErrorCode::ImportEncoding, { QStringLiteral("UTF-16"), QStringLiteral("1") }));
            return LineResult::Failed;
        }
        if (head.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
    }
    if (line.contains('\0')) {
        fail(Error(ErrorCode::ImportBinary, { QString::number(lineNumber) }));
        return LineResult::Failed;
    }
    if (!line.isValidUtf8()) {
        fail(Error(ErrorCode::ImportEncoding,
            { QStringLiteral("invalid UTF-8"), QString::number(lineNumber) }));
        return LineResult::Failed;
    }
    text = QString::fromUtf8(line);
    return LineResult::Line;
}

Status VendorFileReader::Private::addHeaderLine(const QString &key, const QString &value)
{
    if (header.size() >= kMaxHeaderLines)
        return fail(Error(ErrorCode::ImportVendorHeader,
            { tr("it has more than %1 “key : value” lines, where a vendor file has a few dozen")
                    .arg(kMaxHeaderLines) }));
    header.append({ key, value });
    headerLines.append(lineNumber);
    return {};
}

Status VendorFileReader::Private::parseQuantity()
{
    const auto it = std::find_if(header.cbegin(), header.cend(), [](const auto &entry) {
        return entry.first.compare(QLatin1String("quantity"), Qt::CaseInsensitive) == 0;
    });
    if (it == header.cend()) {
        // A key one or two letters off ("Quantitiy", "Qantity") is named: that is the fix.
        for (qsizetype i = 0; i < header.size(); ++i) {
            const QString &key = header.at(i).first;
            const int distance = editDistance(key, u"quantity");
            if (distance <= 1
                || (distance <= 2 && key.startsWith(QLatin1String("quan"), Qt::CaseInsensitive)))
                return fail(Error(ErrorCode::ImportVendorLine,
                    { QString::number(headerLines.at(i)),
                        tr("its key “%1” looks like a misspelled Quantity, and the file has no "
                           "Quantity line, which SimDesk needs to check that every card arrived")
                            .arg(printable(header.at(i).first)) }));
        }
        return fail(Error(ErrorCode::ImportVendorHeader, { tr("it has no Quantity line") }));
    }
    const qint64 line = headerLines.at(std::distance(header.cbegin(), it));

    // "12" or "12 ( 1 / 1 )": the suffix numbers the parts of a split delivery. Anything else is
    // refused because the quantity is the only check that the file arrived complete.
    static const QRegularExpression pattern(
        QStringLiteral("^(\\d+)\\s*(\\(\\s*\\d+\\s*/\\s*\\d+\\s*\\))?$"));
    const QRegularExpressionMatch match = pattern.match(it->second);
    bool ok = false;
    const qint64 value = match.hasMatch() ? match.captured(1).toLongLong(&ok) : 0;
    if (!ok) {
        return fail(Error(ErrorCode::ImportVendorLine,
            { QString::number(line),
                tr("the Quantity “%1” is not a number").arg(printable(it->second)) }));
    }
    quantity = value;
    return {};
}

Status VendorFileReader::Private::parseColumns(QStringView names)
{
    // "ICCID/IMSI/…/Code Retailer/Code ADM": with slashes, a name may hold spaces; without them
    // ("IMSI EKI ICCID …"), spaces separate. The card rows are split at white space either way.
    QList<QStringView> parts;
    if (names.contains(QLatin1Char('/'))) {
        for (QStringView part : names.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
            if (!part.trimmed().isEmpty())
                parts.append(part.trimmed());
        }
    } else {
        static const QRegularExpression space(QStringLiteral("\\s+"));
        parts = names.split(space, Qt::SkipEmptyParts);
    }
    fieldCount = parts.size();
    QStringList ignored;
    QStringList taken; // the name of each of `columns`, as written
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString canonical = canonicalColumn(parts.at(i));
        if (canonical.isEmpty()) {
            // Key material (KI, EKI, OPC, ADM codes) and PIN2/PUK2: never read, but said, as a
            // CSV file's ignored columns are, so that nobody believes SimDesk keeps them.
            ignored.append(parts.at(i).toString());
            continue;
        }
        // Two columns for the same field (PIN and PIN1) leave no way to tell which one is meant.
        if (const qsizetype first = columns.indexOf(canonical); first >= 0) {
            return fail(Error(ErrorCode::ImportDuplicateColumn,
                { printable(taken.at(first)), printable(parts.at(i)), canonical.toUpper() }));
        }
        columns.append(canonical);
        taken.append(parts.at(i).toString());
        if (canonical == QLatin1String("iccid"))
            iccidIndex = i;
        else if (canonical == QLatin1String("imsi"))
            imsiIndex = i;
        else if (canonical == QLatin1String("pin"))
            pinIndex = i;
        else
            pukIndex = i;
    }
    if (iccidIndex < 0)
        return fail(Error(ErrorCode::ImportMissingColumn, { QStringLiteral("ICCID") }));
    warnings = unknownColumnWarnings(lineNumber, ignored);
    return {};
}

VendorFileReader::VendorFileReader(QIODevice *device)
    : d(std::make_unique<Private>(device))
{ }

VendorFileReader::~VendorFileReader() = default;

bool VendorFileReader::looksLikeVendorFile(const QByteArray &head)
{
    // Callers pass the first 64 KiB. A header long enough to push var_out: beyond that is not
    // recognised here; the user can still choose the vendor format explicitly.
    static const QRegularExpression keyValue(QStringLiteral("^[^:,;\\t|]+\\s*:\\s*\\S"));

    QByteArrayView rest(head);
    if (rest.startsWith("\xEF\xBB\xBF"))
        rest = rest.sliced(3);
    bool firstSeen = false;
    while (!rest.isEmpty()) {
        const qsizetype end = rest.indexOf('\n');
        const QByteArrayView raw = end < 0 ? rest : rest.first(end);
        rest = end < 0 ? QByteArrayView() : rest.sliced(end + 1);

        // Latin-1 is enough to recognise ASCII structure and cannot fail on odd bytes.
        const QString line = QString::fromLatin1(raw).trimmed();
        if (line.isEmpty() || isDecoration(line))
            continue;
        if (!firstSeen) {
            if (!keyValue.match(line).hasMatch() && !isSectionTitle(line))
                return false;
            firstSeen = true;
        }
        if (isKeyLine(line, kVarOut) || isKeyLine(line, kVarIn))
            return true;
    }
    return false;
}

Status VendorFileReader::open()
{
    if (d->opened || d->finished)
        return d->error ? Status(*d->error) : Status();

    bool sawText = false;
    for (;;) {
        QString text;
        const Private::LineResult result = d->readLine(text);
        if (result == Private::LineResult::Failed)
            return *d->error;
        if (result == Private::LineResult::End) {
            if (!sawText)
                return d->fail(Error(ErrorCode::ImportEmptyFile));
            if (d->varInLine > 0)
                return d->fail(Error(ErrorCode::ImportVendorHeader,
                    { tr("it has a var_In: line (line %1) and no Var_Out: line: it looks like "
                         "the file sent to the vendor, not the output file the vendor sends back "
                         "with the cards")
                            .arg(d->varInLine) }));
            return d->fail(Error(ErrorCode::ImportVendorHeader,
                { tr("it has no Var_Out: line naming the columns") }));
        }

        const QString line = text.trimmed();
        if (line.isEmpty())
            continue;
        sawText = true;
        if (isDecoration(line))
            continue;

        // Split at the first colon only: "Local IMSI From : 262… To : 262…" keeps its range.
        // "Var_In_List:" has no value; the "IMSI: …" and "Ser_nb: …" lines under it are entries.
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon < 0 && isSectionTitle(line))
            continue;
        const QString lineNumber = QString::number(d->lineNumber);
        if (colon < 0 && d->varInLine > 0) {
            return d->fail(Error(ErrorCode::ImportVendorLine,
                { lineNumber,
                    tr("it holds values for the var_In: line (line %1) before any Var_Out: line: "
                       "this looks like the file sent to the vendor, not the output file with "
                       "the cards, which SimDesk imports")
                        .arg(d->varInLine) }));
        }
        if (colon < 0) {
            return d->fail(Error(ErrorCode::ImportVendorLine,
                { lineNumber,
                    tr("it is neither “key: value”, a “*” banner line nor a section title, and "
                       "the Var_Out: line naming the columns has not come yet") }));
        }
        const QString key = line.left(colon).trimmed();
        if (key.isEmpty()) {
            return d->fail(Error(ErrorCode::ImportVendorLine,
                { lineNumber, tr("there is no key before its colon") }));
        }

        if (key.compare(kVarOut, Qt::CaseInsensitive) == 0) {
            d->varOutLine = d->lineNumber;
            if (Status s = d->parseQuantity(); !s)
                return s;
            if (Status s = d->parseColumns(QStringView(line).mid(colon + 1)); !s)
                return s;
            d->opened = true;
            return {};
        }
        if (key.compare(kVarIn, Qt::CaseInsensitive) == 0)
            d->varInLine = d->lineNumber;
        if (Status s = d->addHeaderLine(key, line.mid(colon + 1).trimmed()); !s)
            return s;
    }
}

bool VendorFileReader::next(SimRecord &record)
{
    if (!d->opened || d->finished)
        return false;

    for (;;) {
        QString text;
        const Private::LineResult result = d->readLine(text);
        if (result == Private::LineResult::Failed)
            return false;
        if (result == Private::LineResult::End) {
            if (d->quantity && *d->quantity != d->rows) {
                d->fail(Error(ErrorCode::ImportQuantityMismatch,
                    { QString::number(*d->quantity), QString::number(d->rows) }));
            }
            return false;
        }

        // Views into the line, so the fields SimDesk does not take are never copied.
        QVarLengthArray<QStringView, 16> fields;
        const QStringView view(text);
        qsizetype i = 0;
        while (i < view.size()) {
            while (i < view.size() && view.at(i).isSpace())
                ++i;
            const qsizetype start = i;
            while (i < view.size() && !view.at(i).isSpace())
                ++i;
            if (i > start)
                fields.append(view.mid(start, i - start));
        }
        // Blank lines (often at the end) and a closing "*" banner hold no card.
        if (fields.isEmpty() || fields.first().startsWith(QLatin1Char('*')))
            continue;
        // A card row is digits and hex keys; a "key: value" line after Var_Out: ("FORMAT_OUT:
        // A20 N15 …") describes the columns and belongs to the header.
        if (const qsizetype colon = view.indexOf(QLatin1Char(':')); colon > 0) {
            if (!d->addHeaderLine(view.left(colon).trimmed().toString(),
                    view.mid(colon + 1).trimmed().toString()))
                return false;
            continue;
        }

        record = SimRecord();
        record.line = d->lineNumber;
        ++d->rows;
        if (fields.size() != d->fieldCount) {
            // The fields are left empty: with one missing or extra, a key (EKI, ADM code) could
            // sit where the ICCID or PIN is expected and end up in the record.
            record.issues.append(ImportIssue { d->lineNumber, QString(),
                Error(ErrorCode::ImportVendorFieldCount,
                    { QString::number(d->fieldCount), QString::number(fields.size()),
                        QString::number(d->varOutLine) }) });
            return true;
        }
        const auto take = [&fields](qsizetype index) {
            return index < 0 ? QString() : fields.at(index).toString();
        };
        record.iccid = take(d->iccidIndex);
        record.imsi = take(d->imsiIndex);
        record.pin = take(d->pinIndex);
        record.puk = take(d->pukIndex);
        return true;
    }
}

std::optional<Error> VendorFileReader::error() const
{
    return d->error;
}

QList<ImportIssue> VendorFileReader::warnings() const
{
    return d->warnings;
}

QStringList VendorFileReader::columns() const
{
    return d->columns;
}

qint64 VendorFileReader::bytesRead() const
{
    return d->bytes;
}

std::optional<qint64> VendorFileReader::declaredQuantity() const
{
    return d->quantity;
}

QList<QPair<QString, QString>> VendorFileReader::header() const
{
    return d->header;
}

} // namespace simdesk
