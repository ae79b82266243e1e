// SPDX-License-Identifier: MIT
#pragma once

#include <QSqlDatabase>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

struct pg_cancel;

namespace simdesk {

// Makes the statements of a connection stoppable while they run. The thread that runs a
// statement waits inside libpq until the server answers, so it cannot look at a cancel flag for
// the 10–30 s a big set-based statement takes; this object asks `cancelled` every ~50 ms on a
// helper thread instead and, the first time it answers yes, sends the server a cancel request
// (libpq PQcancel, made for exactly this). The running statement then fails with SQLSTATE 57014
// (query_canceled) and the transaction is aborted; a request that arrives while the connection
// is idle is ignored by the server.
//
// `cancelled` is called on the helper thread: it must be safe to call from there (an atomic
// flag). At most one request is sent. The destructor stops and joins the helper thread, so no
// request is still on its way afterwards: destroy it before rolling back (declare it after the
// Transaction). Without a libpq connection behind `db` it does nothing.
class QueryCanceller
{
public:
    QueryCanceller(const QSqlDatabase &db, std::function<bool()> cancelled);
    ~QueryCanceller();
    QueryCanceller(const QueryCanceller &) = delete;
    QueryCanceller &operator=(const QueryCanceller &) = delete;

    // True once the cancel request has been sent.
    bool fired() const { return m_fired.load(); }

private:
    void watch();

    std::function<bool()> m_cancelled;
    pg_cancel *m_cancel = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::atomic<bool> m_fired { false };
    std::thread m_thread;
};

} // namespace simdesk
