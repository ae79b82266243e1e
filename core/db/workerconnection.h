// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/result.h"

#include <QHash>
#include <QMutex>
#include <QSqlDatabase>

#include <memory>

namespace simdesk {

// The server processes of this workstation's own connections. A notification sent by one of
// them is a change this window made and has shown already (db/changelistener.h). A process stays
// known for a while after its connection closed: its last commit's notification may still be on
// its way to the listener. Thread-safe.
class SessionRegistry
{
public:
    static constexpr qint64 kGraceMs = 30000;

    void add(qint64 backendPid);
    void remove(qint64 backendPid);
    bool contains(qint64 backendPid) const;

private:
    mutable QMutex m_mutex;
    QHash<qint64, qint64> m_pids; // pid → when its connection closed (ms since epoch), 0: open
};

// A database connection that belongs to the thread that uses it, kept open between uses: opened
// at the first get(), and opened again at the next get() after it was lost. The server process
// of the open connection is listed in the registry, if one is given.
class WorkerConnection
{
public:
    WorkerConnection(ConnectionSettings settings, QString namePrefix,
        std::shared_ptr<SessionRegistry> registry = {});
    ~WorkerConnection();
    WorkerConnection(const WorkerConnection &) = delete;
    WorkerConnection &operator=(const WorkerConnection &) = delete;

    // The open connection, opening it first when there is none (Database::open()'s errors).
    Result<QSqlDatabase> get();
    // Closes the connection when `error` says it is gone (ConnectionLost), so that the next
    // get() opens a new one; anything else leaves it open.
    void noteError(const Error &error);
    // Closes the connection now.
    void close();

    // The open connection's server process id, 0 when closed.
    qint64 backendPid() const { return m_pid; }
    // How many connections get() has opened so far.
    int opened() const { return m_opened; }

private:
    ConnectionSettings m_settings;
    QString m_prefix;
    std::shared_ptr<SessionRegistry> m_registry;
    QString m_name;
    qint64 m_pid = 0;
    int m_opened = 0;
};

} // namespace simdesk
