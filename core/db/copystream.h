// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QSqlDatabase>

#include <functional>

namespace simdesk {

// COPY … FROM STDIN on a QPSQL connection through libpq, which Qt SQL cannot do: ~100 times
// faster than row-by-row inserts (docs/performance.md). Rows are buffered and sent in blocks.
// Text format: the caller escapes tab, newline and backslash and writes \N for NULL.
class CopyIn
{
public:
    explicit CopyIn(QSqlDatabase db)
        : m_db(std::move(db))
    { }
    ~CopyIn();
    CopyIn(const CopyIn &) = delete;
    CopyIn &operator=(const CopyIn &) = delete;

    // Starts `copySql` ("COPY t (a, b) FROM STDIN").
    Status begin(const QString &copySql);
    // Appends one line (without its newline).
    Status writeLine(const QByteArray &line);
    // Sends what is buffered and ends the COPY; the rows are then in the table (inside the
    // caller's transaction).
    Status finish();
    // Ends the COPY with an error: the server discards every row of it.
    void abort(const QByteArray &reason);

private:
    Status flush();

    QSqlDatabase m_db;
    QByteArray m_buffer;
    bool m_active = false;
};

// COPY … TO STDOUT: hands each block of output to `sink` (false from sink stops early with
// ImportCancelled). Returns the number of rows copied.
Result<qint64> copyOut(const QSqlDatabase &db, const QString &copySql,
    const std::function<bool(const QByteArray &)> &sink);

} // namespace simdesk
