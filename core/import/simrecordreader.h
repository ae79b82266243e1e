// SPDX-License-Identifier: MIT
#pragma once

#include "domain/printable.h"
#include "domain/result.h"
#include "import/simrecord.h"

#include <QStringList>

#include <optional>

namespace simdesk {

// The warnings about the columns a file has and SimDesk ignores (ImportUnknownColumn, found on
// `line`): one per column up to kMaxColumnWarnings, beyond that a single ImportUnknownColumns
// naming the first of them, so that a file with thousands of columns does not bury everything
// else under one warning per column.
// The names are the file's, so they are quoted printable() (domain/printable.h).
inline QList<ImportIssue> unknownColumnWarnings(qint64 line, const QStringList &names)
{
    constexpr qsizetype kMaxColumnWarnings = 10;
    QList<ImportIssue> warnings;
    if (names.size() <= kMaxColumnWarnings) {
        for (const QString &name : names) {
            const QString shown = printable(name);
            warnings.append({ line, shown, Error(ErrorCode::ImportUnknownColumn, { shown }) });
        }
        return warnings;
    }
    QStringList quoted;
    for (qsizetype i = 0; i < kMaxColumnWarnings; ++i)
        quoted.append(QChar(0x201C) + printable(names.at(i)) + QChar(0x201D));
    quoted.append(QStringLiteral("…"));
    warnings.append({ line, QString(),
        Error(ErrorCode::ImportUnknownColumns,
            { QString::number(names.size()), quoted.join(QStringLiteral(", ")) }) });
    return warnings;
}

// Reads SIM card rows from a file, one at a time, in bounded memory whatever the file's size.
// Implementations: CsvReader (csvreader.h), VendorFileReader (vendorfilereader.h).
class SimRecordReader
{
public:
    virtual ~SimRecordReader() = default;

    // Reads what comes before the rows (header line, vendor header). A file-level Error when the
    // file cannot be imported at all (empty, not UTF-8, binary, no ICCID column, …).
    virtual Status open() = 0;

    // The next row, or false at the end of the rows or on a fatal error (then error() says
    // what; rows read before it stay valid).
    virtual bool next(SimRecord &record) = 0;

    // The fatal error that stopped reading, if any (e.g. an unterminated quote, a line over
    // the length limit, a vendor file whose rows do not match its declared quantity).
    virtual std::optional<Error> error() const = 0;

    // Non-fatal findings about the whole file, e.g. ImportUnknownColumn (line 1).
    virtual QList<ImportIssue> warnings() const = 0;

    // Which fields the file has ("iccid", "msisdn", "imsi", "pin", "puk", "type").
    virtual QStringList columns() const = 0;

    // Bytes consumed so far (progress while the row count is not known yet).
    virtual qint64 bytesRead() const = 0;

    // "csv" or "vendor-out" (import_batches.format).
    virtual QString format() const = 0;

    // True for vendor files, whose ICCIDs normally lack the check digit: the importer appends
    // it (validation::completeIccid) and says so.
    virtual bool completesIccids() const { return false; }
};

} // namespace simdesk
