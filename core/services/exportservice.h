// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"
#include "services/codelistquery.h"
#include "services/simlistquery.h"

#include <QIODevice>
#include <QSqlDatabase>

#include <functional>
#include <optional>

namespace simdesk {

// How the cells of an export are written.
enum class CsvFlavour : quint8 {
    // What the import reads back as is: "iccid,type,msisdn,imsi", quoted only where needed
    // (never, for these values).
    Reimportable,
    // For a spreadsheet program (OWASP, "CSV Injection"): every cell in double quotes, and a cell
    // that starts with =, +, -, @, a tab or a carriage return (or the full-width =, +, -, @) gets a
    // leading apostrophe, so that no cell is taken for a formula and a "+49…" number stays text.
    // Not for re-import: the apostrophes are part of the values then.
    SpreadsheetSafe,
};

// CSV export of SIM cards: a header line, then one line per card (iccid, type, msisdn, imsi),
// comma-separated, UTF-8, LF line ends, ordered by ICCID. PIN and PUK are never exported: they
// are secrets, read only one card at a time through the audited function. Streams through
// COPY … TO STDOUT, so a million cards take seconds and little memory.
class ExportService
{
public:
    explicit ExportService(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // Writes the cards (all, or those in `status`) to `out`; returns how many.
    Result<qint64> exportCsv(QIODevice *out, std::optional<SimStatus> status = {},
        CsvFlavour flavour = CsvFlavour::Reimportable);

    // Writes the cards of a SIM list filter (the list's own SimListQuery, so exactly the cards
    // the list shows), in the same format, ordered by ICCID, page by page (COPY takes no bound
    // values). `progress` is told the rows written so far and may return false to stop: then
    // ImportCancelled, and the caller discards what was written (QSaveFile).
    Result<qint64> exportCsv(QIODevice *out, const SimListFilter &filter,
        const std::function<bool(qint64 rows)> &progress,
        CsvFlavour flavour = CsvFlavour::Reimportable);

    // Writes the activation codes of a code list filter (a batch, typically) for printing or
    // mail merge: "code,status,expires_at,batch,used_at,iccid", every cell as SpreadsheetSafe
    // writes it, times in ISO 8601 UTC, alphabetically by code, page by page. `progress` as
    // above (ImportCancelled when it returns false).
    Result<qint64> exportCodesCsv(QIODevice *out, const CodeListFilter &filter,
        const std::function<bool(qint64 rows)> &progress);

    // One cell as CsvFlavour::SpreadsheetSafe writes it: quoted, inner quotes doubled, a leading
    // apostrophe before a character that would start a formula.
    static QByteArray spreadsheetCell(QStringView value);

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
