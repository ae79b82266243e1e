// SPDX-License-Identifier: MIT
#pragma once

#include "db/dbrunner.h"

#include <QString>

#include <functional>

class QIODevice;
class QWidget;

namespace simdesk {

class Desk;

// Streams rows into `out`; `rowsSoFar` is told how many are written and answers false to stop.
using RowWriter = std::function<Result<qint64>(
    QSqlDatabase db, QIODevice *out, const std::function<bool(qint64)> &rowsSoFar)>;

// What a page's "Export CSV…" does once the user has chosen the file: `write` runs on a
// connection of its own (a long read must not hold the window's), with a progress dialog that
// counts towards `expectedRows` (0: unknown) and cancels; the file appears only complete (a
// failure or Cancel leaves nothing half-written); a failure other than Cancel is shown in a
// message box. `exported` hears the rows written, on the GUI thread, while `parent` lives.
Task *exportToFile(QWidget *parent, Desk *desk, const QString &path, const QString &label,
    qint64 expectedRows, RowWriter write, std::function<void(qint64 rows)> exported);

} // namespace simdesk
