// SPDX-License-Identifier: MIT
#include "import/csvreader.h"

#include <QByteArrayView>
#include <QFileDevice>

#include <csv.h>

#include <array>
#include <cstring>
#include <vector>

namespace simdesk {

namespace {

// Large enough that libcsv's per-call overhead vanishes, small enough to stay in cache.
constexpr qsizetype kBlockSize = 64 * 1024;

// The candidate delimiters, in the order that wins a tie.
constexpr std::array<char, 4> kDelimiters = { ',', ';', '\t', '|' };

// Header spellings seen in vendor, carrier and spreadsheet exports. Keys are normalised by
// headerKey(): lower case, runs of space, '-' and '.' turned into '_'.
struct Alias
{
    const char *key;
    const char *column;
};
constexpr Alias kAliases[] = {
    { "iccid", "iccid" },
    { "icc_id", "iccid" },
    { "iccid_number", "iccid" },
    { "iccid_no", "iccid" },
    { "sim_iccid", "iccid" },
    { "serial_number_iccid", "iccid" },
    { "msisdn", "msisdn" },
    { "phone_number", "msisdn" },
    { "phone", "msisdn" },
    { "mobile", "msisdn" },
    { "mobile_number", "msisdn" },
    { "number", "msisdn" },
    { "tel", "msisdn" },
    { "telephone", "msisdn" },
    { "imsi", "imsi" },
    { "pin", "pin" },
    { "pin1", "pin" },
    { "puk", "puk" },
    { "puk1", "puk" },
    { "type", "type" },
    { "sim_type", "type" },
    { "simtype", "type" },
};

QString headerKey(const QString &name)
{
    QString key;
    key.reserve(name.size());
    bool separator = false;
    for (const QChar c : name.toLower()) {
        if (c == u' ' || c == u'-' || c == u'.' || c == u'_') {
            separator = true;
            continue;
        }
        if (separator && !key.isEmpty())
            key += u'_';
        separator = false;
        key += c;
    }
    return key;
}

// The words of a header for the secret rule: runs of ASCII letters and digits, lower case;
// every other character separates (simdesk_secret_header() in sql/011_hardening.sql splits the
// same way).
bool hasSecretWord(QStringView name)
{
    static constexpr std::array<QLatin1String, 11> kSecretWords
        = { QLatin1String("pin"), QLatin1String("puk"), QLatin1String("chv"), QLatin1String("adm"),
              QLatin1String("ki"), QLatin1String("eki"), QLatin1String("opc"), QLatin1String("op"),
              QLatin1String("kic"), QLatin1String("kid"), QLatin1String("kik") };
    const auto isWordChar = [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
    };
    qsizetype i = 0;
    while (i < name.size()) {
        while (i < name.size() && !isWordChar(name.at(i)))
            ++i;
        const qsizetype start = i;
        while (i < name.size() && isWordChar(name.at(i)))
            ++i;
        // The word without its trailing digits ("PIN2", "ADM1") must be one of the list.
        qsizetype stem = i;
        while (stem > start && name.at(stem - 1).isDigit())
            --stem;
        const QString word = name.sliced(start, stem - start).toString().toLower();
        for (QLatin1String secret : kSecretWords) {
            if (stem > start && word == secret)
                return true;
        }
    }
    return false;
}

QString canonicalColumn(const QString &name)
{
    const QString key = headerKey(name);
    for (const Alias &a : kAliases) {
        if (key == QLatin1String(a.key))
            return QString::fromLatin1(a.column);
    }
    return {};
}

// Offsets of the SimRecord member each file column fills; resolved once from the header so
// that a data field costs one table look-up.
using Slot = QString SimRecord::*;

Slot slotOf(const QString &column)
{
    if (column == u"iccid")
        return &SimRecord::iccid;
    if (column == u"msisdn")
        return &SimRecord::msisdn;
    if (column == u"imsi")
        return &SimRecord::imsi;
    if (column == u"pin")
        return &SimRecord::pin;
    if (column == u"puk")
        return &SimRecord::puk;
    if (column == u"type")
        return &SimRecord::type;
    return nullptr;
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// The bytes that end a scan segment: line breaks.
constexpr std::array<bool, 256> makeStopTable()
{
    std::array<bool, 256> t {};
    t['\r'] = true;
    t['\n'] = true;
    return t;
}
constexpr std::array<bool, 256> kStop = makeStopTable();

QString number(qint64 n)
{
    return QString::number(n);
}

} // namespace

struct CsvReader::Private
{
    QIODevice *device = nullptr;
    csv_parser parser {};
    bool parserReady = false;

    QByteArray block; // bytes read from the device and not yet fed to libcsv
    qsizetype blockPos = 0; // first byte of `block` not yet fed
    qint64 bytesRead = 0;
    bool atEof = false;
    bool nulCheck = false; // off until the BOM was looked at: UTF-16 text is full of NULs
    bool finished = false; // csv_fini ran: no more rows will come

    // Physical line bookkeeping. libcsv reports no positions, so the block is fed to it one
    // physical line at a time: every callback then happens on a known line.
    qint64 line = 1; // line of the next byte to feed
    qint64 segmentLine = 1; // line of the bytes being fed (read by the callbacks)
    bool afterCr = false; // the last byte fed was a CR; an LF right after it ends that line
    qint64 rowLine = 1; // line where the current (or next) row starts
    qint64 fieldLine = 1; // line where the current (or next) field starts
    qint64 lineBytes = 0; // bytes on the current physical line, without its line break
    qint64 rowBytes = 0; // bytes of the current row, with line breaks inside quotes
    bool rowEnded = false; // a row or blank line ended during the last csv_parse call

    char delimiter = ',';
    bool headerDone = false;
    QList<QByteArray> headerFields; // raw header fields, until the header row ends
    QStringList columns;
    std::vector<Slot> fieldSlots; // per file column; nullptr = ignored column
    qsizetype headerFieldCount = 0;

    SimRecord current;
    qsizetype fieldIndex = 0;
    std::vector<SimRecord> queue; // complete rows not handed out yet, from queueHead on
    size_t queueHead = 0;

    QHash<QString, QString> mapping; // lower-case header → field (setColumnMapping)
    QStringList headerNames;
    QList<ImportIssue> warnings;
    std::optional<Error> fatal; // stops reading; shown by error() once the queue is drained
    std::optional<Error> error;

    ~Private()
    {
        if (parserReady)
            csv_free(&parser);
    }

    void fail(Error e)
    {
        if (!fatal)
            fatal = std::move(e);
    }

    bool readBlock();
    void checkNul(qsizetype from);
    void readForHeader();
    void detectDelimiter();
    bool pump();
    void feed(const char *data, qsizetype size);
    void finish();
    bool checkUtf8(const char *data, qsizetype size);
    void onField(const char *data, qsizetype size);
    void onRowEnd(int terminator);
    void processHeader();

    static void fieldCallback(void *data, size_t size, void *self)
    {
        static_cast<Private *>(self)->onField(static_cast<const char *>(data), qsizetype(size));
    }
    static void rowCallback(int terminator, void *self)
    {
        static_cast<Private *>(self)->onRowEnd(terminator);
    }
};

// Appends the next block of the device to `block`, dropping what was already fed.
bool CsvReader::Private::readBlock()
{
    if (atEof)
        return false;
    if (blockPos > 0) {
        block.remove(0, blockPos);
        blockPos = 0;
    }
    const qsizetype old = block.size();
    block.resize(old + kBlockSize);
    // Whole blocks even from a device that delivers a few bytes per read (a pipe): where the
    // blocks end decides which of two problems is found first, and that must not depend on it.
    qsizetype got = 0;
    while (got < kBlockSize) {
        const qint64 n = device->read(block.data() + old + got, kBlockSize - got);
        if (n < 0) {
            block.resize(old + got);
            atEof = true;
            const auto *file = qobject_cast<QFileDevice *>(device);
            fail(Error(ErrorCode::ImportFileUnreadable,
                { file ? file->fileName() : QString(), device->errorString() }));
            return false;
        }
        if (n == 0) {
            atEof = true;
            break;
        }
        got += qsizetype(n);
    }
    block.resize(old + got);
    bytesRead += got;
    if (nulCheck)
        checkNul(old);
    return got > 0;
}

// A NUL byte means binary data, whatever else the block holds, so it is looked for as soon as a
// block arrives (a binary file is refused by open() rather than as "not UTF-8" or a bad quote).
void CsvReader::Private::checkNul(qsizetype from)
{
    const char *p = block.constData();
    const void *nul = std::memchr(p + from, 0, size_t(block.size() - from));
    if (!nul)
        return;
    const qsizetype at = static_cast<const char *>(nul) - p;
    qint64 nulLine = line;
    bool cr = afterCr;
    for (qsizetype i = blockPos; i < at; ++i) {
        if (p[i] == '\r' || (p[i] == '\n' && !cr))
            ++nulLine;
        cr = p[i] == '\r';
    }
    fail(Error(ErrorCode::ImportBinary, { number(nulLine) }));
}

// Reads until the first non-blank line (the header) is complete in `block`, so that the
// delimiter can be detected from it. Stops at the line length limit: the parser then reports it.
void CsvReader::Private::readForHeader()
{
    for (;;) {
        const char *p = block.constData();
        const qsizetype n = block.size();
        qsizetype i = blockPos;
        bool inQuotes = false;
        bool content = false;
        for (; i < n; ++i) {
            const char c = p[i];
            if (c == '"')
                inQuotes = !inQuotes;
            if (!inQuotes && (c == '\n' || c == '\r')) {
                if (content)
                    return;
            } else if (!isBlank(c)) {
                content = true;
            }
        }
        if (n > kMaxLineLength || !readBlock() || fatal)
            return;
    }
}

// The delimiter is the candidate that splits the header into the most fields; quoted header
// names may contain any of them.
void CsvReader::Private::detectDelimiter()
{
    const char *p = block.constData() + blockPos;
    const qsizetype n = block.size() - blockPos;
    qsizetype start = 0;
    // Skip blank lines (only spaces and tabs) before the header.
    for (qsizetype i = 0; i < n; ++i) {
        if (p[i] == '\n' || p[i] == '\r')
            start = i + 1;
        else if (!isBlank(p[i]))
            break;
    }
    std::array<qsizetype, kDelimiters.size()> counts {};
    bool inQuotes = false;
    for (qsizetype i = start; i < n; ++i) {
        const char c = p[i];
        if (c == '"') {
            inQuotes = !inQuotes;
        } else if (!inQuotes) {
            if (c == '\n' || c == '\r')
                break;
            for (size_t k = 0; k < kDelimiters.size(); ++k) {
                if (c == kDelimiters[k])
                    ++counts[k];
            }
        }
    }
    size_t best = 0;
    for (size_t k = 1; k < kDelimiters.size(); ++k) {
        if (counts[k] > counts[best])
            best = k;
    }
    delimiter = kDelimiters[best];
}

// Feeds one physical line (or the part of it in this block) to libcsv, or reads the next block,
// or finishes at the end of input. Returns false when there is nothing more to do.
bool CsvReader::Private::pump()
{
    if (fatal || finished)
        return false;
    if (blockPos >= block.size()) {
        if (!readBlock()) {
            if (!fatal)
                finish();
            return false;
        }
    }
    const char *p = block.constData();
    const qsizetype n = block.size();
    qsizetype pos = blockPos;

    // An LF right after a CR that ended the previous segment (maybe in the previous block)
    // completes that CRLF: same line, no new line.
    if (afterCr && p[pos] == '\n') {
        afterCr = false;
        segmentLine = line - 1;
        blockPos = pos + 1;
        feed(p + pos, 1);
        return true;
    }

    qsizetype i = pos;
    while (i < n && !kStop[static_cast<unsigned char>(p[i])])
        ++i;

    // Checked before libcsv sees the bytes, so that its field buffer never grows far beyond
    // the limit however long the line is.
    const qsizetype content = i - pos;
    lineBytes += content;
    rowBytes += content;
    if (lineBytes > kMaxLineLength) {
        fail(Error(ErrorCode::ImportLineTooLong, { number(line), number(kMaxLineLength) }));
        return false;
    }
    if (rowBytes > kMaxLineLength) {
        // A row spans lines only through a quoted field. When one that is still open has
        // swallowed more than a row could ever hold, a closing quote is missing; otherwise the
        // row as a whole is too long and is reported at its first line.
        if (parser.quoted)
            fail(Error(ErrorCode::ImportUnterminatedQuote, { number(fieldLine) }));
        else
            fail(Error(ErrorCode::ImportLineTooLong, { number(rowLine), number(kMaxLineLength) }));
        return false;
    }

    qsizetype end = i;
    bool lineEnds = false;
    if (i < n) {
        lineEnds = true;
        end = i + 1;
        if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
            end = i + 2;
    }
    segmentLine = line;
    blockPos = end;
    feed(p + pos, end - pos);
    if (lineEnds) {
        // A line break inside a quoted field is part of the row (and of libcsv's buffer).
        if (!rowEnded)
            rowBytes += end - i;
        afterCr = p[end - 1] == '\r';
        ++line;
        lineBytes = 0;
    } else {
        afterCr = false;
    }
    return true;
}

void CsvReader::Private::feed(const char *data, qsizetype size)
{
    rowEnded = false;
    const size_t used = csv_parse(&parser, data, size_t(size), fieldCallback, rowCallback, this);
    if (used < size_t(size) && !fatal) {
        // Strict mode refuses a quote inside an unquoted field (ab"c) and text after a closing
        // quote ("ab"c). Guessing what was meant would import wrong digits, so the file stops
        // here, reported like an unclosed quote: the message's advice (add the missing quote or
        // remove the stray one) fits both, and the line is where the broken field starts.
        if (csv_error(&parser) == CSV_EPARSE)
            fail(Error(ErrorCode::ImportUnterminatedQuote, { number(fieldLine) }));
        else
            fail(Error(ErrorCode::ImportLineTooLong, { number(rowLine), number(kMaxLineLength) }));
    }
    if (rowEnded)
        rowBytes = 0;
}

void CsvReader::Private::finish()
{
    finished = true;
    if (!parserReady)
        return;
    segmentLine = line;
    if (csv_fini(&parser, fieldCallback, rowCallback, this) != 0 && !fatal)
        fail(Error(ErrorCode::ImportUnterminatedQuote, { number(fieldLine) }));
}

// Line breaks cannot occur inside a UTF-8 sequence, so validating line by line finds the line of
// the first bad byte in a field that spans lines.
bool CsvReader::Private::checkUtf8(const char *data, qsizetype size)
{
    if (QByteArrayView(data, size).isValidUtf8())
        return true;
    qint64 badLine = fieldLine;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= size; ++i) {
        if (i < size && data[i] != '\n' && data[i] != '\r')
            continue;
        if (!QByteArrayView(data + start, i - start).isValidUtf8())
            break;
        if (i < size && !(data[i] == '\r' && i + 1 < size && data[i + 1] == '\n'))
            ++badLine;
        start = i + 1;
    }
    fail(Error(ErrorCode::ImportEncoding, { QStringLiteral("invalid UTF-8"), number(badLine) }));
    return false;
}

void CsvReader::Private::onField(const char *data, qsizetype size)
{
    if (fatal)
        return;
    if (!checkUtf8(data, size))
        return;
    // The next field starts right after the delimiter that ended this one.
    fieldLine = segmentLine;
    const qsizetype index = fieldIndex++;
    if (!headerDone) {
        headerFields.append(QByteArray(data, size));
        return;
    }
    if (size_t(index) < fieldSlots.size() && fieldSlots[size_t(index)] && size > 0)
        current.*fieldSlots[size_t(index)] = QString::fromUtf8(data, size).trimmed();
}

void CsvReader::Private::onRowEnd(int terminator)
{
    rowEnded = true;
    const qint64 nextLine = terminator < 0 ? segmentLine : segmentLine + 1;
    if (fatal || fieldIndex == 0) {
        // A blank line, or the second half of a CRLF (CSV_REPALL_NL reports both).
        rowLine = fieldLine = nextLine;
        return;
    }
    if (!headerDone) {
        processHeader();
    } else {
        current.line = rowLine;
        if (fieldIndex != headerFieldCount) {
            current.issues.append(ImportIssue { rowLine, QString(),
                Error(ErrorCode::ImportWrongFieldCount,
                    { number(headerFieldCount), number(fieldIndex) }) });
        }
        if (queueHead == queue.size()) {
            queue.clear();
            queueHead = 0;
        }
        queue.push_back(std::move(current));
        current = SimRecord();
    }
    fieldIndex = 0;
    rowLine = fieldLine = nextLine;
}

void CsvReader::Private::processHeader()
{
    const qint64 headerLine = rowLine;
    headerDone = true;
    headerFieldCount = headerFields.size();
    fieldSlots.assign(size_t(headerFieldCount), nullptr);
    QStringList unknown;
    QStringList namesOfColumns; // the header name that filled each of `columns`
    for (qsizetype i = 0; i < headerFields.size(); ++i) {
        const QString name = QString::fromUtf8(headerFields.at(i)).trimmed();
        headerNames.append(name);
        const auto mapped = mapping.constFind(name.toLower());
        if (mapped != mapping.cend() && mapped->isEmpty())
            continue; // ignored on the user's word: no warning
        const QString column = mapped != mapping.cend() ? *mapped : canonicalColumn(name);
        if (column.isEmpty()) {
            unknown.append(name);
            continue;
        }
        if (Status allowed = CsvReader::checkMapping(name, column); !allowed) {
            fail(allowed.error());
            return;
        }
        if (const qsizetype first = columns.indexOf(column); first >= 0) {
            fail(Error(ErrorCode::ImportDuplicateColumn,
                { printable(namesOfColumns.at(first)), printable(name), column.toUpper() }));
            return;
        }
        columns.append(column);
        namesOfColumns.append(name);
        fieldSlots[size_t(i)] = slotOf(column);
    }
    headerFields.clear();
    warnings.append(unknownColumnWarnings(headerLine, unknown));
    if (!columns.contains(QStringLiteral("iccid")))
        fail(Error(ErrorCode::ImportMissingColumn, { QStringLiteral("iccid") }));
}

CsvReader::CsvReader(QIODevice *device)
    : d(std::make_unique<Private>())
{
    d->device = device;
}

CsvReader::~CsvReader() = default;

Status CsvReader::open()
{
    if (!d->device || !d->device->isReadable()) {
        const auto *file = qobject_cast<QFileDevice *>(d->device);
        const Error e(ErrorCode::ImportFileUnreadable,
            { file ? file->fileName() : QString(),
                d->device ? d->device->errorString() : QString() });
        d->error = e;
        return e;
    }

    d->readBlock();
    if (d->fatal) {
        d->error = d->fatal;
        return *d->error;
    }
    const QByteArrayView start(d->block.constData(), d->block.size());
    std::optional<QString> foreign;
    // UTF-32 LE starts like UTF-16 LE, so it is tested first. Sizes are explicit: NUL bytes.
    if (start.startsWith(QByteArrayView("\xFF\xFE\x00\x00", 4))
        || start.startsWith(QByteArrayView("\x00\x00\xFE\xFF", 4)))
        foreign = QStringLiteral("UTF-32");
    else if (start.startsWith(QByteArrayView("\xFF\xFE", 2))
        || start.startsWith(QByteArrayView("\xFE\xFF", 2)))
        foreign = QStringLiteral("UTF-16");
    if (foreign) {
        d->error = Error(ErrorCode::ImportEncoding, { *foreign, QStringLiteral("1") });
        return *d->error;
    }
    if (start.startsWith(QByteArrayView("\xEF\xBB\xBF", 3)))
        d->blockPos = 3;
    d->nulCheck = true;
    d->checkNul(d->blockPos);

    d->readForHeader();
    if (d->fatal) {
        d->error = d->fatal;
        return *d->error;
    }
    d->detectDelimiter();

    // Strict: malformed quoting stops the import rather than being guessed at (see feed()).
    // REPALL_NL: every line break outside a field reaches onRowEnd(), which keeps the row's start
    // line right across blank lines.
    csv_init(&d->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
    d->parserReady = true;
    csv_set_delim(&d->parser, static_cast<unsigned char>(d->delimiter));
    // Grow a long field in few steps rather than libcsv's default 128 bytes at a time.
    csv_set_blk_size(&d->parser, size_t(kBlockSize));

    while (!d->headerDone && d->pump()) { }
    if (d->fatal) {
        d->error = d->fatal;
        return *d->error;
    }
    if (!d->headerDone) {
        // Nothing but a BOM, white space and line breaks.
        d->error = Error(ErrorCode::ImportEmptyFile);
        return *d->error;
    }
    return {};
}

bool CsvReader::next(SimRecord &record)
{
    if (d->error || !d->headerDone)
        return false;
    while (d->queueHead == d->queue.size() && d->pump()) { }
    if (d->queueHead < d->queue.size()) {
        record = std::move(d->queue[d->queueHead++]);
        return true;
    }
    // Rows before a fatal error were handed out first; now the error becomes visible.
    if (d->fatal)
        d->error = d->fatal;
    return false;
}

std::optional<Error> CsvReader::error() const
{
    return d->error;
}

QList<ImportIssue> CsvReader::warnings() const
{
    return d->warnings;
}

QStringList CsvReader::columns() const
{
    return d->columns;
}

qint64 CsvReader::bytesRead() const
{
    return d->bytesRead;
}

QChar CsvReader::delimiter() const
{
    return QChar::fromLatin1(d->delimiter);
}

void CsvReader::setColumnMapping(const QHash<QString, QString> &mapping)
{
    d->mapping.clear();
    for (auto it = mapping.cbegin(); it != mapping.cend(); ++it) {
        if (it.value().isEmpty() || slotOf(it.value()))
            d->mapping.insert(it.key().trimmed().toLower(), it.value());
    }
}

QStringList CsvReader::headerNames() const
{
    return d->headerNames;
}

QString CsvReader::fieldForHeader(const QString &name)
{
    return canonicalColumn(name.trimmed());
}

bool CsvReader::isSecretHeader(QStringView name)
{
    return hasSecretWord(name);
}

Status CsvReader::checkMapping(const QString &header, const QString &field)
{
    if (field.isEmpty() || field == QLatin1String("pin") || field == QLatin1String("puk")
        || !isSecretHeader(header))
        return {};
    return Error(ErrorCode::ImportColumnHoldsSecrets, { printable(header), field.toUpper() });
}

} // namespace simdesk
