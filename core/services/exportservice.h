// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"

#include <QIODevice>
#include <QSqlDatabase>

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

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
