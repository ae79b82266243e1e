// SPDX-License-Identifier: MIT
#include "import/importfileinfo.h"

#include "domain/printable.h"
#include "import/csvreader.h"
#include "import/vendorfilereader.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <csv.h>

namespace simdesk {

namespace {

// Enough for the header and a few rows of any sensible file; a longer first row is shown cut.
constexpr qint64 kHeadBytes = 256 * 1024;

struct SampleRows
{
    QList<QStringList> rows;
    QStringList current;
    int wanted = 0;
};

void onField(void *data, size_t size, void *self)
{
    auto *s = static_cast<SampleRows *>(self);
    s->current.append(
        QString::fromUtf8(static_cast<const char *>(data), qsizetype(size)).trimmed());
}

void onRow(int, void *self)
{
    auto *s = static_cast<SampleRows *>(self);
    const bool blank = s->current.size() == 1 && s->current.first().isEmpty();
    if (!s->current.isEmpty() && !blank && s->rows.size() < s->wanted)
        s->rows.append(s->current);
    s->current.clear();
}

// The first rows of a CSV text with a known delimiter, tolerant (the real reader is strict and
// reports; this only shows).
QList<QStringList> firstCsvRows(const QByteArray &head, char delimiter, int rows)
{
    SampleRows sample;
    sample.wanted = rows;
    csv_parser parser;
    if (csv_init(&parser, 0) != 0)
        return {};
    csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
    csv_parse(&parser, head.constData(), size_t(head.size()), onField, onRow, &sample);
    csv_fini(&parser, onField, onRow, &sample);
    csv_free(&parser);
    return sample.rows;
}

QString fieldName(const QString &field)
{
    return field.toUpper();
}

constexpr qsizetype kRawLineLength = 300;
const QString kHidden = QStringLiteral("••••");

// The first lines of a vendor file; on the card lines (after the Var_Out line) only the fields
// its Var_Out line names ICCID or IMSI are kept, wherever the layout puts them; any other name
// (PINs, PUKs, key material, or a name not known here) is hidden.
QStringList vendorRawLines(const QByteArray &head)
{
    static const QRegularExpression separators(QStringLiteral("[\\s/]+"));
    QStringList out;
    QList<qsizetype> shown;
    bool cards = false;
    for (const QByteArray &raw : head.split('\n')) {
        if (out.size() >= kRawPreviewLines)
            break;
        QString line = QString::fromUtf8(raw).trimmed();
        if (cards && !line.isEmpty()) {
            QStringList fields = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            for (qsizetype i = 0; i < fields.size(); ++i) {
                if (!shown.contains(i))
                    fields[i] = kHidden;
            }
            line = fields.join(QLatin1Char(' '));
        } else if (line.toLower().startsWith(QLatin1String("var_out"))) {
            cards = true;
            const QStringList names = line.mid(line.indexOf(QLatin1Char(':')) + 1)
                                          .toUpper()
                                          .split(separators, Qt::SkipEmptyParts);
            for (qsizetype i = 0; i < names.size(); ++i) {
                if (names.at(i) == QLatin1String("ICCID") || names.at(i) == QLatin1String("IMSI"))
                    shown.append(i);
            }
        }
        out.append(printable(line, kRawLineLength));
    }
    return out;
}

// The first lines of a CSV file: as written, or, when it has PIN or PUK columns, rebuilt from
// its fields with those hidden (a field that needs quotes gets them again).
QStringList csvRawLines(const QByteArray &text, char delimiter, const QList<qsizetype> &secret)
{
    QStringList out;
    if (secret.isEmpty()) {
        for (const QByteArray &raw : text.split('\n')) {
            if (out.size() >= kRawPreviewLines)
                break;
            out.append(printable(
                QString::fromUtf8(raw).chopped(raw.endsWith('\r') ? 1 : 0), kRawLineLength));
        }
        return out;
    }
    const QList<QStringList> rows = firstCsvRows(text, delimiter, kRawPreviewLines);
    for (qsizetype r = 0; r < rows.size(); ++r) {
        QStringList fields = rows.at(r);
        for (qsizetype i = 0; i < fields.size(); ++i) {
            if (r > 0 && secret.contains(i) && !fields.at(i).isEmpty())
                fields[i] = kHidden;
            else if (fields.at(i).contains(QLatin1Char(delimiter))
                || fields.at(i).contains(QLatin1Char('"')))
                fields[i] = QLatin1Char('"')
                    + QString(fields.at(i)).replace(QLatin1Char('"'), QStringLiteral("\"\""))
                    + QLatin1Char('"');
        }
        out.append(printable(fields.join(QLatin1Char(delimiter)), kRawLineLength));
    }
    return out;
}

} // namespace

QString headerSignature(const QStringList &headers)
{
    QStringList names;
    names.reserve(headers.size());
    for (const QString &h : headers)
        names.append(h.trimmed().toLower());
    return names.join(QLatin1Char('\t'));
}

Status openImportFile(QFile &file, const QString &path)
{
    // A path is the user's, but it may come from a dropped file or a script: quoted like a value.
    const QString shown = printable(path, 4 * kMaxQuotedLength);
    const QFileInfo info(path);
    if (info.exists() && !info.isFile())
        return Error(ErrorCode::ImportNotRegularFile, { shown });
    file.setFileName(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::ImportFileUnreadable, { shown, file.errorString() });
    // What was opened is asked too (a device put in the path's place after the check).
    if (!file.isSequential())
        return {};
    file.close();
    return Error(ErrorCode::ImportNotRegularFile, { shown });
}

// A vendor file: its header, the fields its Var_Out line names, samples (secrets hidden) and
// its first lines.
static Result<ImportFileInfo> inspectVendorFile(
    QFile &file, const QByteArray &head, bool bom, ImportFileInfo info, int sampleRows)
{
    VendorFileReader reader(&file);
    if (Status st = reader.open(); !st)
        return st.error();
    info.format = reader.format();
    for (const auto &[key, value] : reader.header())
        info.vendorHeader.append({ printable(key), printable(value) });
    const QStringList fields = reader.columns();
    for (const QString &f : fields)
        info.columns.append({ fieldName(f), f, {} });
    SimRecord rec;
    for (int n = 0; n < sampleRows && reader.next(rec); ++n) {
        for (ImportFileColumn &c : info.columns) {
            const QString v = c.field == QLatin1String("iccid") ? rec.iccid
                : c.field == QLatin1String("msisdn")            ? rec.msisdn
                : c.field == QLatin1String("imsi")              ? rec.imsi
                : c.field == QLatin1String("type")              ? rec.type
                                                                : QStringLiteral("••••");
            c.samples.append(printable(v)); // PIN and PUK are never shown
        }
    }
    for (const QByteArray &line : head.split('\n')) {
        if (line.trimmed().toLower().startsWith("var_out")) {
            info.headerLine = printable(QString::fromUtf8(line.trimmed()), 1000);
            break;
        }
    }
    info.headerSignature = headerSignature(fields);
    info.rawLines = vendorRawLines(bom ? head.mid(3) : head);
    return info;
}

Result<ImportFileInfo> inspectImportFile(const QString &path, int sampleRows, ImportFormat format)
{
    QFile file;
    if (Status opened = openImportFile(file, path); !opened)
        return opened.error();
    ImportFileInfo info;
    info.fileName = QFileInfo(path).fileName();
    info.size = file.size();
    const QByteArray head = file.peek(kHeadBytes);
    const bool bom = head.startsWith("\xEF\xBB\xBF");
    info.encoding = bom ? QStringLiteral("UTF-8 with byte order mark") : QStringLiteral("UTF-8");

    if (format == ImportFormat::Vendor
        || (format == ImportFormat::Auto
            && VendorFileReader::looksLikeVendorFile(head.left(64 * 1024))))
        return inspectVendorFile(file, head, bom, std::move(info), sampleRows);

    info.format = QStringLiteral("csv");
    info.mappable = true;
    CsvReader reader(&file);
    if (Status st = reader.open(); !st) {
        // Columns are what the user is about to map; everything else stops the file.
        const ErrorCode code = st.error().code;
        if (code != ErrorCode::ImportMissingColumn && code != ErrorCode::ImportDuplicateColumn)
            return st.error();
    }
    info.delimiter = reader.delimiter();
    const QStringList headers = reader.headerNames();
    QByteArray text = bom ? head.mid(3) : head;
    // The header line as written: the first line with something on it.
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty()) {
            info.headerLine = printable(QString::fromUtf8(line.trimmed()), 1000);
            break;
        }
    }
    const QList<QStringList> rows
        = firstCsvRows(text, reader.delimiter().toLatin1(), sampleRows + 1);
    for (qsizetype i = 0; i < headers.size(); ++i) {
        ImportFileColumn c { headers.at(i), CsvReader::fieldForHeader(headers.at(i)), {} };
        for (qsizetype r = 1; r < rows.size(); ++r)
            c.samples.append(printable(rows.at(r).value(i)));
        // PIN and PUK stay hidden even here: the wizard is shown on a shared screen.
        if (c.field == QLatin1String("pin") || c.field == QLatin1String("puk")) {
            for (QString &v : c.samples)
                v = v.isEmpty() ? QString() : QStringLiteral("••••");
        }
        info.columns.append(c);
    }
    info.headerSignature = headerSignature(headers);
    QList<qsizetype> secret;
    for (qsizetype i = 0; i < info.columns.size(); ++i) {
        if (info.columns.at(i).field == QLatin1String("pin")
            || info.columns.at(i).field == QLatin1String("puk"))
            secret.append(i);
    }
    info.rawLines = csvRawLines(text, reader.delimiter().toLatin1(), secret);
    return info;
}

} // namespace simdesk
