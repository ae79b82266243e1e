// SPDX-License-Identifier: MIT
#include "import/importservice.h"

#include "db/copystream.h"
#include "db/querycanceller.h"
#include "db/sqlquery.h"
#include "domain/printable.h"
#include "domain/validation.h"
#include "import/csvreader.h"
#include "import/importfileinfo.h"
#include "import/vendorfilereader.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <memory>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::ImportService", text);
}

constexpr int kPreviewRows = 100;
constexpr qint64 kProgressEvery = 20000;

// 64-bit keys for duplicate detection, so that a million rows cost megabytes, not a hash of
// strings. An ICCID is "89" and 17 or 18 more digits: those fit in 60 bits, and bit 62 tells
// the two lengths apart. An MSISDN has at most 15 digits.
quint64 iccidKey(const QString &iccid)
{
    quint64 v = 0;
    for (qsizetype i = 2; i < iccid.size(); ++i)
        v = v * 10 + quint64(iccid.at(i).unicode() - '0');
    return iccid.size() == 20 ? (v | (quint64(1) << 62)) : v;
}

quint64 msisdnKey(const QString &msisdn)
{
    quint64 v = 0;
    for (qsizetype i = 1; i < msisdn.size(); ++i)
        v = v * 10 + quint64(msisdn.at(i).unicode() - '0');
    return v;
}

// One COPY text line; every value is validated digits or a fixed key, so nothing needs escaping.
QByteArray copyLine(qint64 line, const QString &iccid, const QString &msisdn, const QString &imsi,
    const QString &type, const QString &pin, const QString &puk)
{
    auto field = [](const QString &v) {
        return v.isEmpty() ? QByteArrayLiteral("\\N") : v.toLatin1();
    };
    QByteArray out;
    out.reserve(96);
    out += QByteArray::number(line);
    for (const QString *v : { &iccid, &msisdn, &imsi, &type, &pin, &puk }) {
        out += '\t';
        out += field(*v);
    }
    return out;
}

std::unique_ptr<SimRecordReader> readerFor(QFile &file, ImportFormat format)
{
    // A vendor file announces itself in its first lines; everything else is read as CSV.
    if (format == ImportFormat::Vendor
        || (format == ImportFormat::Auto
            && VendorFileReader::looksLikeVendorFile(file.peek(64 * 1024))))
        return std::make_unique<VendorFileReader>(&file);
    return std::make_unique<CsvReader>(&file);
}

// The line a file-level error's message names, so that the report says the same.
qint64 lineOf(const Error &e)
{
    int arg = 0; // 1-based
    switch (e.code) {
    case ErrorCode::ImportBinary:
    case ErrorCode::ImportUnterminatedQuote:
    case ErrorCode::ImportLineTooLong:
    case ErrorCode::ImportVendorLine:
        arg = 1;
        break;
    case ErrorCode::ImportEncoding:
        arg = 2;
        break;
    default:
        break;
    }
    return arg > 0 ? e.args.value(arg - 1).toLongLong() : 0;
}

} // namespace

QByteArray ImportReport::toJson() const
{
    return toJson([](const Error &e) { return e.message(); });
}

QByteArray ImportReport::toJson(const std::function<QString(const Error &)> &describe) const
{
    auto issue = [&describe](qint64 line, const QString &column, const Error &e) {
        return QJsonObject { { QStringLiteral("line"), line }, { QStringLiteral("column"), column },
            { QStringLiteral("code"), e.key() }, { QStringLiteral("message"), describe(e) } };
    };
    QJsonArray errors;
    for (const ImportIssue &i : summary.problems)
        errors.append(issue(i.line, i.column, i.error));
    if (summary.fatal)
        errors.append(issue(summary.fatalLine, QString(), *summary.fatal));
    QJsonArray warnings;
    for (const ImportIssue &i : summary.warnings)
        warnings.append(issue(i.line, i.column, i.error));
    QJsonObject o {
        { QStringLiteral("file"), summary.fileName },
        { QStringLiteral("format"), summary.format },
        { QStringLiteral("checksum"), summary.checksum },
        { QStringLiteral("committed"), committed },
        { QStringLiteral("batch_id"), batchId ? QJsonValue(*batchId) : QJsonValue() },
        { QStringLiteral("rows"), summary.rows },
        { QStringLiteral("created"), created },
        { QStringLiteral("skipped"), skipped },
        { QStringLiteral("valid"), summary.valid },
        { QStringLiteral("invalid"), summary.invalid },
        { QStringLiteral("duplicate_in_file"), summary.duplicateInFile },
        { QStringLiteral("already_in_database"), summary.alreadyInDatabase },
        { QStringLiteral("check_digits_appended"), summary.checkDigitsAppended },
        { QStringLiteral("iccid_padding_removed"), summary.iccidPaddingRemoved },
        { QStringLiteral("errors"), errors },
        { QStringLiteral("errors_not_listed"), summary.problemsNotListed },
        { QStringLiteral("warnings"), warnings },
        { QStringLiteral("refusal"), refusal ? QJsonValue(describe(*refusal)) : QJsonValue() },
    };
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

ImportSummary ImportService::preview(const QString &path, const ImportOptions &options, int rows)
{
    return run(path, options, nullptr, false, qMax(1, rows)).summary;
}

ImportReport ImportService::dryRun(
    const QString &path, const ImportOptions &options, ImportObserver *observer)
{
    return run(path, options, observer, false, 0);
}

ImportReport ImportService::commit(
    const QString &path, const ImportOptions &options, ImportObserver *observer)
{
    return run(path, options, observer, true, 0);
}

// One run of the import: what it was asked to do, the report it fills, and the file it reads.
struct ImportService::Job
{
    Job(const QString &filePath, const ImportOptions &importOptions, ImportObserver *importObserver,
        bool writeRows, qint64 maxRows)
        : path(filePath)
        , options(importOptions)
        , observer(importObserver)
        , write(writeRows)
        , rowLimit(maxRows)
    {
        report.summary.fileName = QFileInfo(filePath).fileName();
    }

    ImportSummary &summary() { return report.summary; }
    // Also asked on QueryCanceller's helper thread while a statement runs.
    bool cancelled() const { return observer && observer->cancelled(); }
    void progress(const QString &phase, qint64 done, qint64 total) const
    {
        if (observer)
            observer->progress(phase, done, total);
    }
    // A problem with the file as a whole: nothing of it can be imported.
    Error fatal(const Error &e)
    {
        report.summary.fatal = e;
        report.summary.fatalLine = lineOf(e);
        return e;
    }
    void problem(qint64 line, const QString &column, const Error &e)
    {
        ImportSummary &s = report.summary;
        if (s.problems.size() < ImportSummary::kMaxListedProblems)
            s.problems.append({ line, column, e });
        else
            ++s.problemsNotListed;
    }
    // Ends the run with nothing written. Once the user has cancelled, whatever failed did so
    // because of it (a statement the cancel request stopped fails with SQLSTATE 57014, a COPY
    // it interrupted with a broken stream): the user is told it was cancelled.
    ImportReport stop(const Error &e)
    {
        report.refusal = cancelled() ? Error(ErrorCode::ImportCancelled) : e;
        report.batchId.reset(); // save() may have got that far before the end
        report.created = report.skipped = 0;
        return report;
    }

    const QString path;
    const ImportOptions options;
    ImportObserver *const observer;
    const bool write; // commit (true) or preview / dry run
    const qint64 rowLimit; // 0: the whole file
    ImportReport report;
    QFile file;
    std::unique_ptr<SimRecordReader> reader;
    QStringList firstCompletion; // the first ICCID completed with its check digit, and how
    QStringList firstUnpadded; // the first ICCID whose F padding was removed, and how
    QHash<quint64, qint64> iccidsSeen; // iccidKey → the first line with it
    QHash<quint64, qint64> msisdnsSeen; // msisdnKey → the first line with it
};

// One row of the file after checkRow(): normalised values, valid or not.
struct ImportService::CheckedRow
{
    bool valid = false;
    QString iccid; // empty when invalid
    QString msisdn;
    QString imsi;
    QString type;
    QString pin;
    QString puk;
};

ImportReport ImportService::run(const QString &path, const ImportOptions &options,
    ImportObserver *observer, bool write, qint64 rowLimit)
{
    Job job(path, options, observer, write, rowLimit);
    if (Status st = openFile(job); !st)
        return job.stop(st.error());

    // One transaction for everything: a failure or a cancel at any point leaves nothing behind.
    Transaction tx(m_db);
    if (Status st = tx.begin(); !st)
        return job.stop(st.error());
    // Cancels a long statement while it runs. Declared after the transaction, so that it has
    // stopped before the rollback.
    QueryCanceller canceller(
        m_db, observer ? std::function<bool()>([&job] { return job.cancelled(); }) : nullptr);

    if (Status st = findEarlierBatch(job); !st)
        return job.stop(st.error());
    if (Status st = stageRows(job); !st)
        return job.stop(st.error());
    if (Status st = compareWithDatabase(job); !st)
        return job.stop(st.error());
    if (!write || job.report.refusal)
        return job.report; // the transaction rolls back: nothing was written
    if (Status st = save(job); !st)
        return job.stop(st.error());
    if (job.cancelled())
        return job.stop(Error(ErrorCode::ImportCancelled));
    if (Status st = tx.commit(); !st)
        return job.stop(st.error());
    job.report.committed = true;
    return job.report;
}

Status ImportService::openFile(Job &job)
{
    ImportSummary &s = job.summary();
    if (Status opened = openImportFile(job.file, job.path); !opened)
        return job.fatal(opened.error());
    // The checksum needs the whole file; a quick preview of the first rows does without.
    if (job.rowLimit == 0) {
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (!hash.addData(&job.file))
            return job.fatal(Error(ErrorCode::ImportFileUnreadable,
                { printable(job.path, 4 * kMaxQuotedLength), job.file.errorString() }));
        s.checksum = QString::fromLatin1(hash.result().toHex());
        job.file.seek(0);
    }
    job.reader = readerFor(job.file, job.options.format);
    if (auto *csv = dynamic_cast<CsvReader *>(job.reader.get()))
        csv->setColumnMapping(job.options.columnMapping);
    s.format = job.reader->format();
    if (Status opened = job.reader->open(); !opened)
        return job.fatal(opened.error());
    s.warnings = job.reader->warnings();
    if (!job.reader->columns().contains(QStringLiteral("type")) && !job.options.defaultType)
        return job.fatal(Error(ErrorCode::ImportTypeMissing));
    return {};
}

Status ImportService::findEarlierBatch(Job &job)
{
    ImportSummary &s = job.summary();
    if (s.checksum.isEmpty())
        return {}; // a quick preview
    if (job.write) {
        // Two admins importing the same file at once: the second waits here until the first
        // has committed (or rolled back), then finds its batch below and is refused clearly,
        // instead of passing this check too and dying on a unique violation. Held until the
        // end of the transaction.
        if (Result<QueryResult> q
            = runQuery(m_db, QStringLiteral("SELECT simdesk_import_lock($1)"), { s.checksum });
            !q)
            return q.error();
    }
    Result<QueryResult> earlier = runQuery(m_db,
        QStringLiteral("SELECT id, created_at FROM import_batches WHERE checksum = $1 AND "
                       "status = 'COMMITTED' ORDER BY id DESC LIMIT 1"),
        { s.checksum });
    if (!earlier)
        return earlier.error();
    if (earlier.value().next()) {
        s.earlierBatchId = earlier.value().value(0).toLongLong();
        // Refused, but the rest of the file is still checked for the summary.
        if (!job.options.force)
            job.report.refusal = Error(ErrorCode::ImportAlreadyImported,
                { QString::number(*s.earlierBatchId),
                    QLocale().toString(earlier.value().value(1).toDateTime().toLocalTime(),
                        QLocale::ShortFormat) });
    }
    return {};
}

ImportService::CheckedRow ImportService::checkRow(Job &job, const SimRecord &rec)
{
    // Every field with the core rules; all problems of the row are collected.
    ImportSummary &s = job.summary();
    CheckedRow row;
    const qsizetype problemsBefore = s.problems.size() + s.problemsNotListed;
    for (const ImportIssue &i : std::as_const(rec.issues))
        job.problem(i.line, i.column, i.error);
    const bool completes = job.reader->completesIccids();
    // On the card (and from a card reader) an ICCID is padded with F to 20 digits: the padding is
    // no part of the number.
    const QString written = rec.iccid.trimmed();
    QStringView digits(written);
    while (digits.endsWith(QLatin1Char('F'), Qt::CaseInsensitive))
        digits.chop(1);
    const bool padded = digits.size() < written.size() && !digits.isEmpty()
        && written.size() - digits.size() <= 2
        && std::all_of(digits.begin(), digits.end(), [](QChar c) { return c.isDigit(); });
    const QStringView number = padded ? digits : QStringView(written);
    Result<QString> iccid
        = completes ? validation::completeIccid(number) : validation::normalizeIccid(number);
    if (!iccid) {
        job.problem(rec.line, QStringLiteral("iccid"), iccid.error());
    } else {
        row.iccid = *iccid;
        if (padded && s.iccidPaddingRemoved++ == 0)
            job.firstUnpadded = { written, number.toString() };
        if (completes && iccid->size() != number.size()) {
            if (s.checkDigitsAppended++ == 0)
                job.firstCompletion = { number.toString(), *iccid };
        }
    }
    auto optional = [&](const QString &raw, Result<QString> (*rule)(QStringView),
                        const char *column) -> QString {
        if (raw.isEmpty())
            return {};
        Result<QString> v = rule(raw);
        if (!v) {
            job.problem(rec.line, QLatin1String(column), v.error());
            return {};
        }
        return *v;
    };
    row.msisdn = optional(rec.msisdn, validation::normalizeMsisdn, "msisdn");
    row.imsi = optional(rec.imsi, validation::normalizeImsi, "imsi");
    row.pin = optional(rec.pin, validation::normalizePin, "pin");
    row.puk = optional(rec.puk, validation::normalizePuk, "puk");
    const QString typeColumn = QStringLiteral("type");
    if (!rec.type.isEmpty()) {
        if (Result<SimType> t = validation::parseSimType(rec.type))
            row.type = simTypeKey(*t);
        else
            job.problem(rec.line, typeColumn, t.error());
    } else if (job.options.defaultType) {
        row.type = simTypeKey(*job.options.defaultType);
    } else {
        job.problem(rec.line, typeColumn, Error(ErrorCode::ImportTypeMissing));
    }
    row.valid = s.problems.size() + s.problemsNotListed == problemsBefore;
    return row;
}

Status ImportService::stageRows(Job &job)
{
    ImportSummary &s = job.summary();
    // Sorting and hashing a million staged rows wants more than the default 4 MB.
    if (Result<QueryResult> q = runQuery(m_db, QStringLiteral("SET LOCAL work_mem = '256MB'")); !q)
        return q.error();
    if (Result<QueryResult> q = runQuery(m_db, stagingTableSql()); !q)
        return q.error();
    CopyIn copy(m_db);
    if (Status st = copy.begin(QStringLiteral("COPY simdesk_import_staging FROM STDIN")); !st)
        return st;

    const qint64 fileSize = job.file.size();
    SimRecord rec;
    while (job.reader->next(rec)) {
        if (job.cancelled()) {
            copy.abort("cancelled");
            return Error(ErrorCode::ImportCancelled);
        }
        ++s.rows;
        if (s.rows % kProgressEvery == 0)
            job.progress(tr("Checking"), job.reader->bytesRead(), fileSize);

        const CheckedRow row = checkRow(job, rec);
        RowStatus status = RowStatus::Invalid;
        if (!row.valid) {
            ++s.invalid;
        } else if (claimInFile(job, rec.line, row)) {
            status = RowStatus::Valid;
            if (Status st = copy.writeLine(copyLine(
                    rec.line, row.iccid, row.msisdn, row.imsi, row.type, row.pin, row.puk));
                !st)
                return st;
        } else {
            status = RowStatus::DuplicateInFile;
            ++s.duplicateInFile;
        }
        showRow(job, rec, row, status);
        if (job.rowLimit > 0 && s.rows >= job.rowLimit)
            break;
    }
    if (const std::optional<Error> readError = job.reader->error()) {
        copy.abort("unreadable file");
        return job.fatal(*readError);
    }
    if (Status st = copy.finish(); !st)
        return st;
    if (s.iccidPaddingRemoved > 0)
        s.warnings.append({ 0, QStringLiteral("iccid"),
            Error(ErrorCode::ImportIccidPaddingRemoved, job.firstUnpadded) });
    if (s.checkDigitsAppended > 0)
        s.warnings.append({ 0, QStringLiteral("iccid"),
            Error(ErrorCode::ImportCheckDigitAppended, job.firstCompletion) });
    if (s.rows == 0)
        return job.fatal(Error(ErrorCode::ImportNoRows));
    s.complete = job.rowLimit == 0;
    return {};
}

bool ImportService::claimInFile(Job &job, qint64 line, const CheckedRow &row)
{
    const auto firstIccid = job.iccidsSeen.constFind(iccidKey(row.iccid));
    if (firstIccid != job.iccidsSeen.cend()) {
        job.problem(line, QStringLiteral("iccid"),
            Error(ErrorCode::ImportDuplicateInFile,
                { tr("ICCID %1").arg(row.iccid), QString::number(*firstIccid) }));
        return false;
    }
    if (!row.msisdn.isEmpty()) {
        const auto firstMsisdn = job.msisdnsSeen.constFind(msisdnKey(row.msisdn));
        if (firstMsisdn != job.msisdnsSeen.cend()) {
            job.problem(line, QStringLiteral("msisdn"),
                Error(ErrorCode::ImportDuplicateInFile,
                    { tr("MSISDN %1").arg(row.msisdn), QString::number(*firstMsisdn) }));
            return false;
        }
        job.msisdnsSeen.insert(msisdnKey(row.msisdn), line);
    }
    job.iccidsSeen.insert(iccidKey(row.iccid), line);
    return true;
}

void ImportService::showRow(Job &job, const SimRecord &rec, const CheckedRow &row, RowStatus status)
{
    ImportSummary &s = job.summary();
    if (!job.observer && s.firstRows.size() >= kPreviewRows)
        return;
    // Normalised values where valid; the file's own text, printable, where not.
    const auto shown = [](const QString &normal, const QString &raw) {
        return normal.isEmpty() ? printable(raw) : normal;
    };
    const PreviewRow preview { rec.line, shown(row.iccid, rec.iccid), shown(row.msisdn, rec.msisdn),
        shown(row.imsi, rec.imsi), shown(row.type, rec.type), !row.pin.isEmpty(),
        !row.puk.isEmpty(), status };
    if (job.observer)
        job.observer->rowChecked(preview);
    if (s.firstRows.size() < kPreviewRows)
        s.firstRows.append(preview);
}

Status ImportService::compareWithDatabase(Job &job)
{
    ImportSummary &s = job.summary();
    // One set-based look-up through the unique indexes.
    job.progress(tr("Comparing with the database"), 0, 0);
    Result<QueryResult> known = runQuery(m_db,
        QStringLiteral("SELECT s.line, 'iccid', s.iccid FROM simdesk_import_staging s JOIN "
                       "sim_cards c ON c.iccid = s.iccid "
                       "UNION ALL "
                       "SELECT s.line, 'msisdn', s.msisdn FROM simdesk_import_staging s JOIN "
                       "sim_cards c ON c.msisdn = s.msisdn "
                       "ORDER BY 1, 2"));
    if (!known)
        return known.error();
    QSet<qint64> knownLines;
    while (known.value().next()) {
        const qint64 line = known.value().value(0).toLongLong();
        const QString column = known.value().value(1).toString();
        const QString value = known.value().value(2).toString();
        job.problem(line, column,
            Error(ErrorCode::ImportAlreadyInDatabase,
                { column == QLatin1String("iccid") ? tr("ICCID %1").arg(value)
                                                   : tr("MSISDN %1").arg(value) }));
        knownLines.insert(line);
    }
    if (!knownLines.isEmpty()) {
        // Problems in file order.
        std::stable_sort(s.problems.begin(), s.problems.end(),
            [](const ImportIssue &a, const ImportIssue &b) { return a.line < b.line; });
        for (PreviewRow &row : s.firstRows) {
            if (knownLines.contains(row.line))
                row.status = RowStatus::AlreadyInDatabase;
        }
        // Two joins rather than one with OR, so that each can be a hash join over a million rows.
        for (const char *column : { "iccid", "msisdn" }) {
            if (Result<QueryResult> d = runQuery(m_db,
                    QStringLiteral("DELETE FROM simdesk_import_staging s USING sim_cards c "
                                   "WHERE c.%1 = s.%1")
                        .arg(QLatin1String(column)));
                !d)
                return d.error();
        }
    }
    if (job.observer && !knownLines.isEmpty())
        job.observer->rowsInDatabase(knownLines);
    s.alreadyInDatabase = knownLines.size();
    s.valid = s.rows - s.invalid - s.duplicateInFile - s.alreadyInDatabase;

    ImportReport &report = job.report;
    // Rows were read (stageRows() refuses a file without any), but none of them can be imported:
    // said with the counts, whatever the policy, since "skip" would not help either.
    if (s.valid == 0 && !report.refusal)
        report.refusal = Error(ErrorCode::ImportNothingImportable,
            { QString::number(s.rows), QString::number(s.invalid),
                QString::number(s.duplicateInFile), QString::number(s.alreadyInDatabase) });
    if (job.options.duplicates == DuplicatePolicy::Error && s.problemCount() > 0 && !report.refusal)
        report.refusal = Error(ErrorCode::ImportRefused, { QString::number(s.problemCount()) });
    return {};
}

Status ImportService::save(Job &job)
{
    ImportSummary &s = job.summary();
    job.progress(tr("Saving"), 0, s.valid);
    // The database function writes the batch, the cards, their secrets and the IMPORTED events
    // (the application roles may not write those tables themselves); the rows go to it as
    // arrays built from the staging table on the server, so no value passes through here.
    Result<QueryResult> batch = runQuery(
        m_db, commitSql(), { s.fileName, s.checksum, s.format, s.rows, job.options.force });
    // The function's own re-import check comes back as ImportAlreadyImported (db/sqlstate.h)
    // with the earlier batch; it refuses only what findEarlierBatch() did not see, an import
    // of the same file that committed a moment ago.
    if (!batch) {
        Error e = batch.error();
        if (e.code == ErrorCode::ImportAlreadyImported)
            e.args = { e.args.value(0), tr("a moment ago") };
        return e;
    }
    batch.value().next();
    const qint64 batchId = batch.value().value(0).toLongLong();
    // The skipped rows' problems, with the batch in the same transaction, so that the Imports
    // page can list them later (010: only the committing transaction may record them).
    if (!s.problems.isEmpty()) {
        QList<qint64> lines;
        QStringList columns;
        QStringList codes;
        QStringList messages;
        const qsizetype n
            = std::min<qsizetype>(s.problems.size(), ImportSummary::kMaxListedProblems);
        lines.reserve(n);
        columns.reserve(n);
        codes.reserve(n);
        messages.reserve(n);
        for (qsizetype i = 0; i < n; ++i) {
            const ImportIssue &p = s.problems.at(i);
            lines.append(p.line);
            columns.append(p.column); // a null one is stored as ''
            codes.append(p.error.key());
            messages.append(p.error.message());
        }
        Result<QueryResult> recorded = runQuery(m_db,
            QStringLiteral("SELECT simdesk_import_record_problems($1, $2::bigint[], $3::text[], "
                           "$4::text[], $5::text[])"),
            { batchId, QVariant::fromValue(lines), columns, codes, messages });
        if (!recorded)
            return recorded.error();
    }
    job.progress(tr("Saving"), s.valid, s.valid);
    job.report.batchId = batchId;
    job.report.created = s.valid;
    job.report.skipped = s.rows - s.valid;
    return {};
}

QString ImportService::stagingTableSql()
{
    // `line` keeps the file's order: the cards get their ids in it.
    return QStringLiteral("CREATE TEMP TABLE simdesk_import_staging (line bigint, iccid text, "
                          "msisdn text, imsi text, "
                          "sim_type text, pin text, puk text) ON COMMIT DROP");
}

QString ImportService::commitSql()
{
    // One aggregate pass over the staging table; each array in file order, so that the cards get
    // their ids in it.
    return QStringLiteral(
        "SELECT simdesk_import_commit($1::text, $2::text, $3::text, $4::integer, $5::boolean, "
        "a.iccids, a.msisdns, a.imsis, a.types, a.pins, a.puks) "
        "FROM (SELECT array_agg(iccid ORDER BY line) AS iccids, "
        "array_agg(msisdn ORDER BY line) AS msisdns, array_agg(imsi ORDER BY line) AS imsis, "
        "array_agg(sim_type ORDER BY line) AS types, array_agg(pin ORDER BY line) AS pins, "
        "array_agg(puk ORDER BY line) AS puks FROM simdesk_import_staging) a");
}

Result<qint64> ImportService::revert(qint64 batchId)
{
    // The database function checks, locks, deletes with one IMPORT_REVERTED event per card and
    // marks the batch, all in this one statement.
    Result<QueryResult> removed
        = runQuery(m_db, QStringLiteral("SELECT simdesk_import_revert($1)"), { batchId });
    // A reverted or used batch comes back as ImportBatchReverted or ImportBatchTouched
    // (db/sqlstate.h); "no such row" means no such batch here.
    if (!removed) {
        Error e = removed.error();
        if (e.code == ErrorCode::NotFound)
            return Error(ErrorCode::ImportBatchNotFound, { QString::number(batchId) });
        // The batch is the one asked about.
        if (e.code == ErrorCode::ImportBatchReverted || e.code == ErrorCode::ImportBatchTouched)
            e.args[0] = QString::number(batchId);
        return e;
    }
    removed.value().next();
    return removed.value().value(0).toLongLong();
}

} // namespace simdesk
