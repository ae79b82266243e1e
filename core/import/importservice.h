// SPDX-License-Identifier: MIT
#pragma once

#include "db/progress.h"
#include "domain/result.h"
#include "domain/simtypes.h"
#include "import/importfileinfo.h"
#include "import/simrecord.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <optional>

namespace simdesk {

enum class DuplicatePolicy : quint8 {
    Skip, // import the good rows; skip invalid and duplicate ones (they are reported)
    Error, // import nothing if any row has a problem
};

struct ImportOptions
{
    DuplicatePolicy duplicates = DuplicatePolicy::Error;
    // The type of rows without one (vendor files never have one). nullopt: such rows are invalid.
    std::optional<SimType> defaultType;
    // Import a file whose checksum matches an earlier, not reverted, batch.
    bool force = false;
    ImportFormat format = ImportFormat::Auto;
    // CSV only: header names as written in the file (compared case-insensitively) → the field
    // they fill ("iccid", "msisdn", "imsi", "pin", "puk", "type"), or empty to ignore the column
    // without a warning. Headers not listed are matched by the aliases (CsvReader). The import
    // wizard fills it from the user's mapping or a saved import profile.
    QHash<QString, QString> columnMapping;
};

enum class RowStatus : quint8 { Valid, Invalid, DuplicateInFile, AlreadyInDatabase };

// A row as the preview shows it: normalised values where they are valid, raw text otherwise.
// PIN and PUK are never shown; only whether the row has them.
struct PreviewRow
{
    qint64 line = 0;
    QString iccid;
    QString msisdn;
    QString imsi;
    QString type;
    bool hasPin = false;
    bool hasPuk = false;
    RowStatus status = RowStatus::Valid;
};

// What a file holds and what importing it would do (preview, dry run) or did (commit).
struct ImportSummary
{
    QString fileName; // without the folder
    QString format; // "csv", "vendor-out"
    QString checksum; // SHA-256 of the file, hex
    qint64 rows = 0; // rows read (all of the file, or the first N for a quick preview)
    qint64 valid = 0;
    qint64 invalid = 0;
    qint64 duplicateInFile = 0;
    qint64 alreadyInDatabase = 0;
    qint64 checkDigitsAppended = 0; // vendor ICCIDs completed with their check digit
    qint64 iccidPaddingRemoved = 0; // ICCIDs written in their on-card form, F-padded
    bool complete = false; // false for a quick preview of the first rows only
    QList<PreviewRow> firstRows;
    QList<ImportIssue> problems; // every row problem (line, column, error), in file order
    qint64 problemsNotListed = 0; // beyond kMaxListedProblems
    QList<ImportIssue> warnings; // about the file as a whole
    std::optional<Error> fatal; // the file cannot be imported at all
    qint64 fatalLine = 0; // the line `fatal` names (0: the file as a whole)
    std::optional<qint64> earlierBatchId; // the same file was imported before (by checksum)

    static constexpr int kMaxListedProblems = 100000;
    qint64 problemCount() const { return invalid + duplicateInFile + alreadyInDatabase; }
};

struct ImportReport
{
    ImportSummary summary;
    bool committed = false;
    std::optional<qint64> batchId;
    qint64 created = 0;
    qint64 skipped = 0;
    std::optional<Error> refusal; // why nothing was imported (when not committed)

    // {"created", "skipped", "errors": [{line, column, code, message}], "batch_id", …}
    QByteArray toJson() const;
    // The same, with each message worded by `describe` (e.g. the CLI naming its own options).
    QByteArray toJson(const std::function<QString(const Error &)> &describe) const;
};

// Reports progress and asks whether to stop; the UI implements it with a progress dialog, the
// CLI with nothing. Called on the importing thread.
class ImportObserver : public ProgressObserver
{
public:
    // progress(): while the file is read and checked, `done` and `total` are bytes of the file
    // (the row count is not known before the end); while saving, rows. cancelled(): asked
    // between rows and, while a statement runs on the server, from a helper thread
    // (QueryCanceller).
    //
    // Every row of the file as it was checked, in file order (the import wizard keeps them for
    // its preview of every row): normalised values where valid, raw text otherwise, and status
    // Valid, Invalid or DuplicateInFile. Rows the database already has are named afterwards by
    // rowsInDatabase(). Called on the importing thread.
    virtual void rowChecked(const PreviewRow &row) { Q_UNUSED(row); }
    // The lines of the rows whose ICCID or MSISDN the database already has (status
    // AlreadyInDatabase), once they are known.
    virtual void rowsInDatabase(const QSet<qint64> &lines) { Q_UNUSED(lines); }
};

// Bulk import of SIM cards from CSV and vendor output files: parse → validate → preview →
// commit → report. The whole commit is one transaction: valid rows are streamed
// into a temporary staging table with COPY, checked against the database set-based, then handed
// to the database function simdesk_import_commit, which writes the batch, the cards, their
// secrets and one IMPORTED event each. A failure or a cancel at any point (a running statement
// included: QueryCanceller) leaves the database as it was. Imports of the same file serialise on
// a lock the database keeps for its checksum (simdesk_import_lock); the second is refused as
// already imported. Only regular files are read (openImportFile()). Values from the file appear
// in messages and in the preview printable() (domain/printable.h).
//
// Runs on the calling thread with the connection it is given (a worker thread opens its own).
// Memory: bounded by the row count (two 64-bit keys per row for duplicate detection, ~40 bytes),
// not by the file size; row problems beyond kMaxListedProblems are counted, not listed.
class ImportService
{
public:
    explicit ImportService(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // The first `rows` rows, validated and checked against the database, in well under a
    // second whatever the file's size. Counts cover those rows only (summary.complete false).
    ImportSummary preview(const QString &path, const ImportOptions &options, int rows = 100);

    // Everything commit() checks, then rolled back: the full summary, nothing written.
    ImportReport dryRun(
        const QString &path, const ImportOptions &options, ImportObserver *observer = nullptr);

    // Imports the file. Refused (nothing written, report.refusal set) when the file cannot be
    // read, the policy is Error and any row has a problem, no row is importable, the file was
    // imported before and options.force is not set, the login is not an admin, or on cancel.
    ImportReport commit(
        const QString &path, const ImportOptions &options, ImportObserver *observer = nullptr);

    // Deletes the cards of a batch while none of them has been used since (AVAILABLE, never
    // assigned, no events but the import, edits and secret reads), with an IMPORT_REVERTED event
    // each, and marks the batch REVERTED (database function simdesk_import_revert). Returns the
    // number of cards removed; fails with ImportBatchNotFound, ImportBatchReverted,
    // ImportBatchTouched (args: batch, cards used) or PermissionDenied (not an admin).
    Result<qint64> revert(qint64 batchId);

    // The staging table, and the statement that moves it into the inventory through the
    // database function simdesk_import_commit ($1 file name, $2 checksum, $3 format, $4 rows
    // read, $5 force), exactly as commit() runs them; the benchmark runs the same ones behind
    // psql's \copy as its reference.
    static QString stagingTableSql();
    static QString commitSql();

private:
    struct Job;
    struct CheckedRow;

    // The steps of preview(), dryRun() and commit(), in this order, inside one transaction; each
    // fails with the error that ends the import (file-level ones also set summary.fatal).
    ImportReport run(const QString &path, const ImportOptions &options, ImportObserver *observer,
        bool write, qint64 rowLimit);
    // Opens the file, computes its checksum and picks the reader by its format.
    Status openFile(Job &job);
    // Serialises imports of the same file, then looks for an earlier batch with its checksum.
    Status findEarlierBatch(Job &job);
    // Reads and validates every row; streams the importable ones into the staging table.
    Status stageRows(Job &job);
    CheckedRow checkRow(Job &job, const SimRecord &rec);
    // Whether the row is the first in the file with its ICCID and MSISDN (then they are
    // remembered); otherwise a duplicate, reported with the line that had them first.
    bool claimInFile(Job &job, qint64 line, const CheckedRow &row);
    // Tells the observer about the checked row and keeps it among the first rows shown.
    void showRow(Job &job, const SimRecord &rec, const CheckedRow &row, RowStatus status);
    // Finds staged rows whose ICCID or MSISDN the inventory already has, and drops them.
    Status compareWithDatabase(Job &job);
    // Moves the staged rows into the inventory as one batch.
    Status save(Job &job);

    QSqlDatabase m_db;
};

} // namespace simdesk
