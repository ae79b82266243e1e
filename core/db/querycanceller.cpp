// SPDX-License-Identifier: MIT
#include "db/querycanceller.h"

#include "db/database.h"

#include <libpq-fe.h>

#include <chrono>

namespace simdesk {

namespace {
// Short enough that a cancel feels immediate, long enough to cost nothing.
constexpr std::chrono::milliseconds kPollInterval(50);
} // namespace

QueryCanceller::QueryCanceller(const QSqlDatabase &db, std::function<bool()> cancelled)
    : m_cancelled(std::move(cancelled))
{
    // PQgetCancel copies what a cancel request needs (the server's address, the backend's pid and
    // key), so the helper thread never touches the PGconn the importing thread is using.
    if (PGconn *conn = Database::pgconn(db); conn && m_cancelled) {
        m_cancel = PQgetCancel(conn);
        if (m_cancel)
            m_thread = std::thread([this] { watch(); });
    }
}

QueryCanceller::~QueryCanceller()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (m_cancel)
        PQfreeCancel(m_cancel);
}

void QueryCanceller::watch()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_wake.wait_for(lock, kPollInterval, [this] { return m_stop; })) {
        if (!m_cancelled())
            continue;
        // PQcancel returns once the server has taken the request; its failure (server gone)
        // needs no handling: the statement then fails on its own.
        char error[256];
        PQcancel(m_cancel, error, int(sizeof error));
        m_fired = true;
        return;
    }
}

} // namespace simdesk
