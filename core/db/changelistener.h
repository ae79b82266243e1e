// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "db/workerconnection.h"
#include "domain/error.h"

#include <QObject>
#include <QSet>
#include <QThread>

#include <chrono>
#include <memory>

namespace simdesk {

class ChangeListenerWorker;

// Tells a workstation which SIM cards other sessions changed (NOTIFY sim_changed, see
// sql/004_audit.sql), and keeps telling it across lost connections.
//
// The object lives in the thread that creates it (the GUI thread) and every signal arrives
// there. The work runs on a QThread of its own with one dedicated connection, opened with the
// session's ConnectionSettings (keepalives included) and application_name "simdesk-listener"
// unless the settings name one. That thread LISTENs, and because QPSQL never reports a dropped
// connection by itself it looks at the libpq status every 250 ms (a session the server ended is
// noticed at once) and runs a heartbeat (`SELECT 1`, for a link that died silently). After any
// failure it closes the connection, reconnects with exponential backoff and LISTENs again.
//
// Notifications are not replayed by PostgreSQL: whatever changed while the listener was not
// Live is unknown, so on reconnected() the caller must reload everything it shows. The same
// holds before the first Live: data loaded before stateChanged(Live) may miss changes made in
// between, so load (or reload) once the listener is Live.
class ChangeListener : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Stopped, // not started yet, or destroyed
        Connecting, // first attempt running, no failure yet
        Live, // listening; changes arrive through cardsChanged
        Reconnecting, // connection lost or refused; retrying with backoff
    };
    Q_ENUM(State)

    struct Options
    {
        // How often the idle connection is checked with `SELECT 1`; a dead connection is noticed
        // within this interval (or, when the link hangs, within the keepalive/tcp_user_timeout
        // of the settings, about a minute).
        std::chrono::milliseconds heartbeatInterval { 5000 };
        // Notifications arriving within this window after the first one go out as one signal.
        std::chrono::milliseconds coalesceWindow { 200 };
        // Delay before the first reconnect attempt, doubled after every failed one up to
        // maxBackoff; each delay gets up to 20 % random jitter so that many workstations do not
        // all return at the same instant after a server restart.
        std::chrono::milliseconds initialBackoff { 500 };
        std::chrono::milliseconds maxBackoff { 30000 };
        // More card ids than this within one window are reported as "everything changed".
        int everythingThreshold = 500;
    };

    // Does not connect yet: connect the signals, then call start(). Notifications sent by the
    // server processes in `ownSessions` (this window's own connections, db/workerconnection.h)
    // are changes the window has shown already: they are not reported.
    explicit ChangeListener(const ConnectionSettings &settings, QObject *parent = nullptr);
    ChangeListener(const ConnectionSettings &settings, const Options &options,
        std::shared_ptr<const SessionRegistry> ownSessions = {}, QObject *parent = nullptr);
    // Stops the worker thread and closes the connection in it; returns at once while the worker
    // waits for its next attempt, and otherwise as soon as a running connect or heartbeat ends
    // (bounded by connect_timeout and tcp_user_timeout of the settings).
    ~ChangeListener() override;
    ChangeListener(const ChangeListener &) = delete;
    ChangeListener &operator=(const ChangeListener &) = delete;

    // Starts the worker thread and the first connection attempt; a second call does nothing.
    void start();

    State state() const { return m_state; }
    // The server process id of the listening connection while Live, else 0 (for diagnostics
    // and tests: pg_stat_activity, pg_terminate_backend).
    qint64 backendPid() const { return m_backendPid; }

    // The channel and its payloads, as sql/004_audit.sql sends them.
    static QString channel();
    // Other records' channel: payload "<kind>:<id>" or "<kind>:*" (kind "customer",
    // sql/013_customers.sql; docs/architecture.md says how another kind attaches).
    static QString recordChannel();

signals:
    // Cards other sessions changed (committed), at most once per coalescing window. A
    // notification's payload is only a hint of what to read again: anyone may send one. With
    // `everything` true a statement touched more than 100 cards ("*:N") or more than
    // Options::everythingThreshold cards changed within the window: reload everything; `ids` is
    // then incomplete or empty. An unreadable payload also counts as everything.
    void cardsChanged(const QSet<qint64> &ids, bool everything);
    // Records of another kind ("customer") other sessions changed, coalesced like cardsChanged:
    // once per kind and window; `everything` for "<kind>:*" or more than everythingThreshold.
    void recordsChanged(const QString &kind, const QSet<qint64> &ids, bool everything);
    // The connection failed (a Live one was lost, or the very first attempt failed); the state
    // is now Reconnecting. Emitted once per outage.
    void connectionLost(const simdesk::Error &error);
    // Another attempt failed while Reconnecting; the next one starts in `retryInMs`.
    void reconnectFailed(const simdesk::Error &error, int retryInMs);
    // Live again after connectionLost(): notifications of the outage are lost, reload everything.
    void reconnected();
    void stateChanged(simdesk::ChangeListener::State state);

private:
    friend class ChangeListenerWorker;
    void setState(State state);

    QThread m_thread;
    ChangeListenerWorker *m_worker = nullptr; // lives in m_thread, deletes itself when it ends
    bool m_started = false;
    State m_state = State::Stopped;
    qint64 m_backendPid = 0;
};

} // namespace simdesk
