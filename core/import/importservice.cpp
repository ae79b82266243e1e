// SPDX-License-Identifier: MIT
#include "import/importservice.h"

#include "db/copystream.h"
#include "db/sqlquery.h"
#include "domain/validation.h"
#include "import/csvreader.h"
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
#include <QSet>

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

std::unique_ptr<SimRecordReader> readerFor(QFile &file)
{
    // A vendor file announces itself in its first lines; everything else is read as CSV.
    if (VendorFileReader::looksLikeVendorFile(file.peek(64 * 1024)))
        return std::make_unique<VendorFileReader>(&file);
    return std::make_unique<CsvReader>(&file);
}

} // namespace

QByteArray ImportReport::toJson() const
{
    auto issue = [](qint64 line, const QString &column, const Error &e) {
        return QJsonObject { { QStringLiteral("line"), line }, { QStringLiteral("column"), column },
            { QStringLiteral("code"), e.key() }, { QStringLiteral("message"), e.message() } };
    };
    QJsonArray errors;
    for (const ImportIssue &i : summary.problems)
        errors.append(issue(i.line, i.column, i.error));
    if (summary.fatal)
        errors.append(issue(0, QString(), *summary.fatal));
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
        { QStringLiteral("errors"), errors },
        { QStringLiteral("errors_not_listed"), summary.problemsNotListed },
        { QStringLiteral("warnings"), warnings },
        { QStringLiteral("refusal"), refusal ? QJsonValue(refusal->message()) : QJsonValue() },
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

ImportReport ImportService::run(const QString &path, const ImportOptions &options,
    ImportObserver *observer, bool write, qint64 rowLimit)
{
    ImportReport report;
    ImportSummary &s = report.summary;
    s.fileName = QFileInfo(path).fileName();
    auto refuse = [&](const Error &e) {
        report.refusal = e;
        return report;
    };
    auto fatal = [&](const Error &e) {
        s.fatal = e;
        return refuse(e);
    };
    auto cancelled = [&] {
        return observer && observer->cancelled();
    };
    auto progress = [&](const QString &phase, qint64 done, qint64 total) {
        if (observer)
            observer->progress(phase, done, total);
    };

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fatal(Error(ErrorCode::ImportFileUnreadable, { path, file.errorString() }));
    const qint64 fileSize = file.size();
    // The checksum needs the whole file; a quick preview of the first rows does without.
    if (rowLimit == 0) {
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (!hash.addData(&file))
            return fatal(Error(ErrorCode::ImportFileUnreadable, { path, file.errorString() }));
        s.checksum = QString::fromLatin1(hash.result().toHex());
        file.seek(0);
    }

    std::unique_ptr<SimRecordReader> reader = readerFor(file);
    s.format = reader->format();
    if (Status opened = reader->open(); !opened)
        return fatal(opened.error());
    s.warnings = reader->warnings();
    const bool fileHasType = reader->columns().contains(QStringLiteral("type"));
    if (!fileHasType && !options.defaultType)
        return fatal(Error(ErrorCode::ImportTypeMissing));

    if (!s.checksum.isEmpty()) {
        Result<QueryResult> earlier = runQuery(m_db,
            QStringLiteral("SELECT id, created_at FROM import_batches WHERE checksum = $1 AND "
                           "status = 'COMMITTED' "
                           "ORDER BY id DESC LIMIT 1"),
            { s.checksum });
        if (!earlier)
            return refuse(earlier.error());
        if (earlier.value().next()) {
            s.earlierBatchId = earlier.value().value(0).toLongLong();
            if (!options.force)
                report.refusal = Error(ErrorCode::ImportAlreadyImported,
                    { QString::number(*s.earlierBatchId),
                        QLocale().toString(earlier.value().value(1).toDateTime().toLocalTime(),
                            QLocale::ShortFormat) });
        }
    }

    Transaction tx(m_db);
    if (Status st = tx.begin(); !st)
        return refuse(st.error());
    // Sorting and hashing a million staged rows wants more than the default 4 MB.
    if (Result<QueryResult> q = runQuery(m_db, QStringLiteral("SET LOCAL work_mem = '256MB'")); !q)
        return refuse(q.error());
    if (Result<QueryResult> q = runQuery(m_db, stagingTableSql()); !q)
        return refuse(q.error());
    CopyIn copy(m_db);
    if (Status st = copy.begin(QStringLiteral("COPY simdesk_import_staging FROM STDIN")); !st)
        return refuse(st.error());

    auto problem = [&](qint64 line, const QString &column, const Error &e) {
        if (s.problems.size() < ImportSummary::kMaxListedProblems)
            s.problems.append({ line, column, e });
        else
            ++s.problemsNotListed;
    };
    QHash<quint64, qint64> iccids; // key → first line
    QHash<quint64, qint64> msisdns;
    const QString typeLabel = QStringLiteral("type");
    SimRecord rec;
    Error firstCompletion(ErrorCode::ImportCheckDigitAppended);
    while (reader->next(rec)) {
        if (cancelled()) {
            copy.abort("cancelled");
            return refuse(Error(ErrorCode::ImportCancelled));
        }
        ++s.rows;
        if (s.rows % kProgressEvery == 0)
            progress(tr("Checking"), reader->bytesRead(), fileSize);

        // Validate every field with the core rules; collect all problems of the row.
        const qsizetype problemsBefore = s.problems.size() + s.problemsNotListed;
        for (const ImportIssue &i : std::as_const(rec.issues))
            problem(i.line, i.column, i.error);
        Result<QString> iccid = reader->completesIccids() ? validation::completeIccid(rec.iccid)
                                                          : validation::normalizeIccid(rec.iccid);
        if (!iccid)
            problem(rec.line, QStringLiteral("iccid"), iccid.error());
        else if (reader->completesIccids() && iccid->size() != rec.iccid.trimmed().size()) {
            if (s.checkDigitsAppended++ == 0)
                firstCompletion.args = { rec.iccid.trimmed(), *iccid };
        }
        auto optional = [&](const QString &raw, Result<QString> (*rule)(QStringView),
                            const char *column) -> QString {
            if (raw.isEmpty())
                return {};
            Result<QString> v = rule(raw);
            if (!v) {
                problem(rec.line, QLatin1String(column), v.error());
                return {};
            }
            return *v;
        };
        const QString msisdn = optional(rec.msisdn, validation::normalizeMsisdn, "msisdn");
        const QString imsi = optional(rec.imsi, validation::normalizeImsi, "imsi");
        const QString pin = optional(rec.pin, validation::normalizePin, "pin");
        const QString puk = optional(rec.puk, validation::normalizePuk, "puk");
        QString type;
        if (!rec.type.isEmpty()) {
            if (Result<SimType> t = validation::parseSimType(rec.type))
                type = simTypeKey(*t);
            else
                problem(rec.line, typeLabel, t.error());
        } else if (options.defaultType) {
            type = simTypeKey(*options.defaultType);
        } else {
            problem(rec.line, typeLabel, Error(ErrorCode::ImportTypeMissing));
        }

        RowStatus status = RowStatus::Valid;
        if (s.problems.size() + s.problemsNotListed != problemsBefore) {
            status = RowStatus::Invalid;
            ++s.invalid;
        } else {
            const auto firstIccid = iccids.constFind(iccidKey(*iccid));
            const auto firstMsisdn
                = msisdn.isEmpty() ? msisdns.cend() : msisdns.constFind(msisdnKey(msisdn));
            if (firstIccid != iccids.cend()) {
                problem(rec.line, QStringLiteral("iccid"),
                    Error(ErrorCode::ImportDuplicateInFile,
                        { tr("ICCID %1").arg(*iccid), QString::number(*firstIccid) }));
                status = RowStatus::DuplicateInFile;
            } else if (firstMsisdn != msisdns.cend()) {
                problem(rec.line, QStringLiteral("msisdn"),
                    Error(ErrorCode::ImportDuplicateInFile,
                        { tr("MSISDN %1").arg(msisdn), QString::number(*firstMsisdn) }));
                status = RowStatus::DuplicateInFile;
            }
            if (status == RowStatus::DuplicateInFile) {
                ++s.duplicateInFile;
            } else {
                iccids.insert(iccidKey(*iccid), rec.line);
                if (!msisdn.isEmpty())
                    msisdns.insert(msisdnKey(msisdn), rec.line);
                if (Status st
                    = copy.writeLine(copyLine(rec.line, *iccid, msisdn, imsi, type, pin, puk));
                    !st)
                    return refuse(st.error());
            }
        }
        if (s.firstRows.size() < kPreviewRows)
            s.firstRows.append({ rec.line, iccid ? *iccid : rec.iccid,
                msisdn.isEmpty() ? rec.msisdn : msisdn, imsi.isEmpty() ? rec.imsi : imsi,
                type.isEmpty() ? rec.type : type, !pin.isEmpty(), !puk.isEmpty(), status });
        if (rowLimit > 0 && s.rows >= rowLimit)
            break;
    }
    if (const std::optional<Error> readError = reader->error()) {
        copy.abort("unreadable file");
        return fatal(*readError);
    }
    if (Status st = copy.finish(); !st)
        return refuse(st.error());
    if (s.checkDigitsAppended > 0)
        s.warnings.append({ 0, QStringLiteral("iccid"), firstCompletion });
    if (s.rows == 0)
        return fatal(Error(ErrorCode::ImportNoRows));
    s.complete = rowLimit == 0;

    // Already in the database: one set-based look-up through the unique indexes.
    progress(tr("Comparing with the database"), 0, 0);
    Result<QueryResult> known = runQuery(m_db,
        QStringLiteral("SELECT s.line, 'iccid', s.iccid FROM simdesk_import_staging s JOIN "
                       "sim_cards c ON c.iccid = s.iccid "
                       "UNION ALL "
                       "SELECT s.line, 'msisdn', s.msisdn FROM simdesk_import_staging s JOIN "
                       "sim_cards c ON c.msisdn = s.msisdn "
                       "ORDER BY 1, 2"));
    if (!known)
        return refuse(known.error());
    QSet<qint64> knownLines;
    while (known.value().next()) {
        const qint64 line = known.value().value(0).toLongLong();
        const QString column = known.value().value(1).toString();
        const QString value = known.value().value(2).toString();
        problem(line, column,
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
                return refuse(d.error());
        }
    }
    s.alreadyInDatabase = knownLines.size();
    s.valid = s.rows - s.invalid - s.duplicateInFile - s.alreadyInDatabase;

    if (options.duplicates == DuplicatePolicy::Error && s.problemCount() > 0 && !report.refusal)
        report.refusal = Error(ErrorCode::ImportRefused, { QString::number(s.problemCount()) });
    if (s.valid == 0 && !report.refusal)
        report.refusal = Error(ErrorCode::ImportNoRows);
    if (!write || report.refusal)
        return report; // the transaction rolls back: nothing was written

    progress(tr("Saving"), 0, s.valid);
    Result<QueryResult> batch = runQuery(m_db,
        QStringLiteral("INSERT INTO import_batches (file_name, checksum, format, total_rows, "
                       "created_count, skipped_count) "
                       "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"),
        { s.fileName, s.checksum, s.format, s.rows, s.valid, s.rows - s.valid });
    if (!batch)
        return refuse(batch.error());
    batch.value().next();
    const qint64 batchId = batch.value().value(0).toLongLong();
    const QStringList steps = saveStatements();
    for (int i = 0; i < steps.size(); ++i) {
        if (cancelled())
            return refuse(Error(ErrorCode::ImportCancelled));
        if (Result<QueryResult> q = runQuery(m_db, steps.at(i).arg(batchId)); !q)
            return refuse(q.error());
        progress(tr("Saving"), s.valid * (i + 1) / steps.size(), s.valid);
    }
    if (cancelled())
        return refuse(Error(ErrorCode::ImportCancelled));
    if (Status st = tx.commit(); !st)
        return refuse(st.error());
    report.committed = true;
    report.batchId = batchId;
    report.created = s.valid;
    report.skipped = s.rows - s.valid;
    return report;
}

QString ImportService::stagingTableSql()
{
    // `line` keeps the file's order: the cards get their ids in it.
    return QStringLiteral("CREATE TEMP TABLE simdesk_import_staging (line bigint, iccid text, "
                          "msisdn text, imsi text, "
                          "sim_type text, pin text, puk text) ON COMMIT DROP");
}

QStringList ImportService::saveStatements()
{
    return {
        QStringLiteral(
            "INSERT INTO sim_cards (iccid, msisdn, imsi, sim_type, import_batch_id) "
            "SELECT iccid, msisdn, imsi, sim_type, %1 FROM simdesk_import_staging ORDER BY line"),
        QStringLiteral("INSERT INTO sim_secrets (sim_id, pin, puk) SELECT c.id, s.pin, s.puk "
                       "FROM simdesk_import_staging s JOIN sim_cards c ON c.iccid = s.iccid "
                       "WHERE c.import_batch_id = %1 AND (s.pin IS NOT NULL OR s.puk IS NOT NULL)"),
        QStringLiteral(
            "INSERT INTO sim_events (sim_id, event_type, new_status, import_batch_id) "
            "SELECT id, 'IMPORTED', 'AVAILABLE', %1 FROM sim_cards WHERE import_batch_id = %1"),
    };
}

Result<qint64> ImportService::revert(qint64 batchId)
{
    Transaction tx(m_db);
    if (Status st = tx.begin(); !st)
        return st.error();
    Result<QueryResult> batch = runQuery(m_db,
        QStringLiteral("SELECT status FROM import_batches WHERE id = $1 FOR UPDATE"), { batchId });
    if (!batch)
        return batch.error();
    if (!batch.value().next())
        return Error(ErrorCode::ImportBatchNotFound, { QString::number(batchId) });
    if (batch.value().value(0).toString() == QLatin1String("REVERTED"))
        return Error(ErrorCode::ImportBatchReverted, { QString::number(batchId) });
    // Lock the batch's cards, then count the ones used since the import.
    Result<QueryResult> touched = runQuery(m_db,
        QStringLiteral(
            "WITH cards AS (SELECT id, status, customer_id, activation_code_id FROM sim_cards "
            "WHERE import_batch_id = $1 FOR UPDATE) "
            "SELECT count(*) FILTER (WHERE status <> 'AVAILABLE' OR customer_id IS NOT NULL "
            "OR activation_code_id IS NOT NULL OR EXISTS (SELECT 1 FROM sim_events e WHERE "
            "e.sim_id = cards.id "
            "AND e.event_type NOT IN ('CREATED', 'IMPORTED', 'EDITED', 'SECRET_REVEALED'))), "
            "count(*) FROM cards"),
        { batchId });
    if (!touched)
        return touched.error();
    touched.value().next();
    if (const qint64 used = touched.value().value(0).toLongLong(); used > 0)
        return Error(
            ErrorCode::ImportBatchTouched, { QString::number(batchId), QString::number(used) });
    const qint64 cards = touched.value().value(1).toLongLong();
    const QStringList steps {
        QStringLiteral("SELECT set_config('simdesk.delete_event', 'IMPORT_REVERTED', true)"),
        QStringLiteral("DELETE FROM sim_cards WHERE import_batch_id = %1").arg(batchId),
        QStringLiteral("UPDATE import_batches SET status = 'REVERTED', reverted_by = session_user, "
                       "reverted_at = now() "
                       "WHERE id = %1")
            .arg(batchId),
    };
    for (const QString &sql : steps) {
        if (Result<QueryResult> q = runQuery(m_db, sql); !q)
            return q.error();
    }
    if (Status st = tx.commit(); !st)
        return st.error();
    return cards;
}

} // namespace simdesk
