// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"
#include "services/simlistquery.h"

#include <QIODevice>
#include <QSqlDatabase>

#include <functional>
#include <optional>

namespace simdesk {

// CSV export of SIM cards that the import reads back as is: a header line
// "iccid,type,msisdn,imsi", comma-separated, quoted where needed (never, for these values),
// UTF-8, LF line ends, ordered by ICCID. PIN and PUK are never exported: they are secrets, read
// only one card at a time through the audited function. Streams through COPY … TO STDOUT, so a
// million cards take seconds and little memory.
class ExportService
{
public:
    explicit ExportService(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // Writes the cards (all, or those in `status`) to `out`; returns how many.
    Result<qint64> exportCsv(QIODevice *out, std::optional<SimStatus> status = {});

    // Writes the cards of a SIM list filter (the list's own SimListQuery, so exactly the cards
    // the list shows), in the same format, ordered by ICCID, page by page (COPY takes no bound
    // values). `progress` is told the rows written so far and may return false to stop: then
    // ImportCancelled, and the caller discards what was written (QSaveFile).
    Result<qint64> exportCsv(QIODevice *out, const SimListFilter &filter,
        const std::function<bool(qint64 rows)> &progress);

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
