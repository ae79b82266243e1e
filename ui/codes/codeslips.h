// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "services/codelistquery.h"

#include <QIODevice>
#include <QSqlDatabase>

#include <functional>

namespace simdesk {

// Print-friendly slips of activation codes: an A4 PDF, 3 × 8 slips a page with cutting lines,
// each with the code large in a monospaced face (no look-alike characters in generated codes),
// its expiry and the batch label. Reads the codes of `filter` alphabetically, page by page
// (CodeListQuery), on the connection it is given, so that it can run as the `write` of
// exportToFile (a connection and thread of its own, progress, cancel, QSaveFile). Returns the
// codes written; ImportCancelled when `progress` says stop.
Result<qint64> writeCodeSlipsPdf(QSqlDatabase db, QIODevice *out, const CodeListFilter &filter,
    const std::function<bool(qint64 rows)> &progress);

} // namespace simdesk
