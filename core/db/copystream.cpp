// SPDX-License-Identifier: MIT
#include "db/copystream.h"

#include "db/database.h"

#include <libpq-fe.h>

namespace simdesk {

namespace {

constexpr qsizetype kBlock = 256 * 1024;

// The error of the last command on `conn`, as an Error chosen by SQLSTATE.
Error resultError(PGresult *res, PGconn *conn)
{
    return Database::errorForResult(res, conn);
}

// Reads the results that follow a COPY until the connection is idle again.
Status drainResults(PGconn *conn)
{
    Status status;
    while (PGresult *res = PQgetResult(conn)) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && status.ok())
            status = resultError(res, conn);
        PQclear(res);
    }
    return status;
}

} // namespace

CopyIn::~CopyIn()
{
    if (m_active)
        abort("abandoned");
}

Status CopyIn::begin(const QString &copySql)
{
    PGconn *conn = Database::pgconn(m_db);
    if (!conn)
        return Error(ErrorCode::ConnectionLost);
    PGresult *res = PQexec(conn, copySql.toUtf8().constData());
    const bool ok = PQresultStatus(res) == PGRES_COPY_IN;
    Status status = ok ? Status() : Status(resultError(res, conn));
    PQclear(res);
    m_active = ok;
    m_buffer.reserve(kBlock + 4096);
    return status;
}

Status CopyIn::flush()
{
    if (m_buffer.isEmpty())
        return {};
    PGconn *conn = Database::pgconn(m_db);
    if (PQputCopyData(conn, m_buffer.constData(), int(m_buffer.size())) != 1)
        return Error(ErrorCode::ConnectionLost, {}, QString::fromUtf8(PQerrorMessage(conn)));
    m_buffer.clear();
    return {};
}

Status CopyIn::writeLine(const QByteArray &line)
{
    m_buffer += line;
    m_buffer += '\n';
    if (m_buffer.size() >= kBlock)
        return flush();
    return {};
}

Status CopyIn::finish()
{
    if (Status s = flush(); !s)
        return s;
    PGconn *conn = Database::pgconn(m_db);
    m_active = false;
    if (PQputCopyEnd(conn, nullptr) != 1)
        return Error(ErrorCode::ConnectionLost, {}, QString::fromUtf8(PQerrorMessage(conn)));
    return drainResults(conn);
}

void CopyIn::abort(const QByteArray &reason)
{
    PGconn *conn = Database::pgconn(m_db);
    m_active = false;
    m_buffer.clear();
    if (!conn)
        return;
    PQputCopyEnd(conn, reason.constData());
    // The server answers the abort with the error we asked for; nothing to report.
    static_cast<void>(drainResults(conn));
}

Result<qint64> copyOut(const QSqlDatabase &db, const QString &copySql,
    const std::function<bool(const QByteArray &)> &sink)
{
    PGconn *conn = Database::pgconn(db);
    if (!conn)
        return Error(ErrorCode::ConnectionLost);
    PGresult *res = PQexec(conn, copySql.toUtf8().constData());
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        const Error e = resultError(res, conn);
        PQclear(res);
        return e;
    }
    PQclear(res);
    bool stopped = false;
    char *buffer = nullptr;
    int n = 0;
    while ((n = PQgetCopyData(conn, &buffer, 0)) > 0) {
        if (!stopped && !sink(QByteArray::fromRawData(buffer, n)))
            stopped = true; // keep reading: the protocol must run to its end
        PQfreemem(buffer);
    }
    if (n == -2)
        return Error(ErrorCode::ConnectionLost, {}, QString::fromUtf8(PQerrorMessage(conn)));
    qint64 rows = 0;
    Status status;
    while (PGresult *r = PQgetResult(conn)) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            rows = QByteArray(PQcmdTuples(r)).toLongLong();
        else if (status.ok())
            status = resultError(r, conn);
        PQclear(r);
    }
    if (!status)
        return status.error();
    if (stopped)
        return Error(ErrorCode::ImportCancelled);
    return rows;
}

} // namespace simdesk
