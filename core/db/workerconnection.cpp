// SPDX-License-Identifier: MIT
#include "db/workerconnection.h"

#include "db/database.h"

#include <QDateTime>

#include <libpq-fe.h>
#include <poll.h>

namespace simdesk {

namespace {

// A server that restarted while this connection was idle has closed its end: the socket reads
// the server's goodbye and then end-of-file, which libpq notices only when it next reads. Reading
// what is there now (never blocking: libpq's sockets are non-blocking) finds that out before the
// next statement is sent, so that the first request after an outage does not fail for nothing.
bool closedByServer(PGconn *conn)
{
    if (!conn)
        return false;
    for (int i = 0; i < 4 && PQstatus(conn) == CONNECTION_OK; ++i) {
        pollfd fd { PQsocket(conn), POLLIN, 0 };
        if (fd.fd < 0 || ::poll(&fd, 1, 0) <= 0)
            break; // nothing to read: the connection is as it was
        if (PQconsumeInput(conn) == 0)
            break; // end of file or a broken socket: libpq marks the connection bad
    }
    return PQstatus(conn) != CONNECTION_OK;
}

} // namespace

void SessionRegistry::add(qint64 backendPid)
{
    const QMutexLocker lock(&m_mutex);
    // Forget processes closed long ago: the server may give their ids to others by now.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_pids.removeIf([now](const QHash<qint64, qint64>::iterator it) {
        return it.value() != 0 && now - it.value() > kGraceMs;
    });
    m_pids.insert(backendPid, 0);
}

void SessionRegistry::remove(qint64 backendPid)
{
    const QMutexLocker lock(&m_mutex);
    if (m_pids.contains(backendPid))
        m_pids.insert(backendPid, QDateTime::currentMSecsSinceEpoch());
}

bool SessionRegistry::contains(qint64 backendPid) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_pids.constFind(backendPid);
    if (it == m_pids.cend())
        return false;
    return it.value() == 0 || QDateTime::currentMSecsSinceEpoch() - it.value() <= kGraceMs;
}

WorkerConnection::WorkerConnection(
    ConnectionSettings settings, QString namePrefix, std::shared_ptr<SessionRegistry> registry)
    : m_settings(std::move(settings))
    , m_prefix(std::move(namePrefix))
    , m_registry(std::move(registry))
{ }

WorkerConnection::~WorkerConnection()
{
    close();
}

Result<QSqlDatabase> WorkerConnection::get()
{
    if (!m_name.isEmpty()) {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        // QPSQL's isOpen() reads false once libpq found the connection bad.
        if (db.isOpen() && !closedByServer(Database::pgconn(db)))
            return db;
        close();
    }
    const QString name = Database::uniqueName(m_prefix);
    Result<QSqlDatabase> db = Database::open(m_settings, name);
    if (!db)
        return db.error();
    m_name = name;
    ++m_opened;
    if (PGconn *conn = Database::pgconn(*db))
        m_pid = PQbackendPID(conn);
    if (m_registry && m_pid)
        m_registry->add(m_pid);
    return db;
}

void WorkerConnection::noteError(const Error &error)
{
    if (error.code == ErrorCode::ConnectionLost)
        close();
}

void WorkerConnection::close()
{
    if (m_name.isEmpty())
        return;
    if (m_registry && m_pid)
        m_registry->remove(m_pid);
    m_pid = 0;
    Database::close(m_name);
    m_name.clear();
}

} // namespace simdesk
