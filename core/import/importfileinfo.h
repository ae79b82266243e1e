// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QFile>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace simdesk {

// Which reader reads the file: picked from its first lines (Auto), or as the user says.
enum class ImportFormat : quint8 { Auto, Csv, Vendor };

// One column of a file as the import wizard shows it before anything is imported.
struct ImportFileColumn
{
    QString header; // as written in the file (a vendor file: the field's name)
    QString field; // what the aliases match it to ("iccid", …), empty when unrecognised
    QStringList samples; // the first values, raw
};

// What a file is, read from its first lines only (instant whatever its size): the import
// wizard's first two steps.
struct ImportFileInfo
{
    QString fileName; // without the folder
    qint64 size = 0; // bytes
    QString format; // "csv" or "vendor-out"
    QString encoding; // "UTF-8", "UTF-8 with byte order mark"
    QChar delimiter; // CSV only
    QString headerLine; // the header line as written (CSV), the var_out: line (vendor)
    QList<ImportFileColumn> columns;
    QList<QPair<QString, QString>> vendorHeader; // vendor files: "key : value" lines
    // False for vendor files: their layout is fixed, only CSV columns can be mapped.
    bool mappable = false;
    // The header names, normalised (ImportProfile::signatureOf): picks a saved profile.
    QString headerSignature;
    // The file's first lines as written (printable(), each cut at 300 characters), so the user
    // sees what SimDesk reads. Secrets stay hidden, as everywhere: in a CSV file the fields of
    // the PIN and PUK columns read "••••" (the line is then rebuilt from its fields with the
    // file's delimiter); in a vendor file every field of a card line after ICCID and IMSI does
    // (PINs, PUKs and key material).
    QStringList rawLines;
};

// How many lines rawLines holds at most.
constexpr int kRawPreviewLines = 15;

// Reads the start of `path`. Fails with the reader's file-level error when the file cannot be
// imported whatever the mapping (unreadable, empty, binary, not UTF-8, a broken vendor header);
// a CSV header without a recognised ICCID column is not an error here: the user maps it.
// `format`: Auto picks the reader as the import does (a vendor file announces itself in its
// first lines); Csv or Vendor read the file that way, as the CLI's --format does.
Result<ImportFileInfo> inspectImportFile(
    const QString &path, int sampleRows = 5, ImportFormat format = ImportFormat::Auto);

// The normalised header that identifies a vendor's layout: names trimmed, lower case, joined by
// a tab.
QString headerSignature(const QStringList &headers);

// Opens `path` for an import: only a regular file (or a link to one) is read. A device
// (/dev/zero never ends), a pipe (cannot be read twice, for the checksum and the rows) or a
// folder is refused with ImportNotRegularFile; a file that cannot be opened with
// ImportFileUnreadable. Paths in the errors are printable() (domain/printable.h).
Status openImportFile(QFile &file, const QString &path);

} // namespace simdesk
