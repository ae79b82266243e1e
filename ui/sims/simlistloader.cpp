// SPDX-License-Identifier: MIT
#include "sims/simlistloader.h"

#include <QElapsedTimer>
#include <QTimer>

namespace simdesk {

SimListWorker::~SimListWorker()
{
    m_query.reset(); // before its connection
}

Result<SimListQuery *> SimListWorker::query(quint64 generation)
{
    const int opened = m_connection.opened();
    Result<QSqlDatabase> db = m_connection.get();
    if (!db) {
        m_query.reset();
        return db.error();
    }
    // A new connection (the first, or after a loss) needs a new query object.
    if (!m_query || m_connection.opened() != opened)
        m_query.emplace(*db);
    // One query object per connection keeps what it learnt (a pasted list's matches, the last
    // estimate) for the pages of one generation; a new generation may mean changed data.
    if (generation != m_queryGeneration) {
        m_query->refresh();
        m_queryGeneration = generation;
    }
    return &*m_query;
}

void SimListWorker::enqueue(const SimListRequest &request)
{
    // A new generation makes everything queued before it worthless.
    if (!m_queue.isEmpty() && m_queue.constLast().generation != request.generation) {
        m_queue.erase(
            std::remove_if(m_queue.begin(), m_queue.end(),
                [&](const SimListRequest &r) { return r.generation != request.generation; }),
            m_queue.end());
    }
    // The same block asked again replaces the older request.
    m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(),
                      [&](const SimListRequest &r) {
                          return r.wantTotal == request.wantTotal && r.block == request.block;
                      }),
        m_queue.end());
    m_queue.append(request);
    if (!m_draining) {
        m_draining = true;
        // Let the other requests of this event-loop turn arrive first (a scroll asks for several).
        QTimer::singleShot(0, this, &SimListWorker::drain);
    }
}

void SimListWorker::drain()
{
    // One request per event-loop turn, so that requests that arrive meanwhile (a newer filter,
    // rows scrolled to) are seen before the next one is served.
    if (!m_queue.isEmpty()) {
        // Newest first: the rows the user looks at now.
        const SimListRequest r = m_queue.takeLast();
        serve(r);
    }
    if (m_queue.isEmpty())
        m_draining = false;
    else
        QTimer::singleShot(0, this, &SimListWorker::drain);
}

void SimListWorker::serve(const SimListRequest &r)
{
    {
        Result<SimListQuery *> q = query(r.generation);
        if (!q) {
            emit failed(r.generation, q.error());
            m_queue.clear();
            return;
        }
        QElapsedTimer timer;
        timer.start();
        if (r.wantTotal) {
            Result<SimListTotal> total = (*q)->total(r.filter);
            if (total) {
                emit totalLoaded(r.generation, *total, timer.elapsed());
            } else {
                m_connection.noteError(total.error());
                emit failed(r.generation, total.error());
            }
            return;
        }
        const SimListQuery &list = **q;
        Result<SimListPage> page = r.after ? list.pageAfter(r.filter, r.sort, *r.after, r.size)
            : r.before                     ? list.pageBefore(r.filter, r.sort, *r.before, r.size)
            : r.fromEnd                    ? list.lastPage(r.filter, r.sort, r.size)
            : r.block == 0
            ? list.firstPage(r.filter, r.sort, r.size)
            : list.rowsAt(r.filter, r.sort, qint64(r.block) * r.size, r.size, r.total);
        if (page)
            emit rowsLoaded(r.generation, r.block, page->rows, timer.elapsed());
        else
            emit failed(r.generation, page.error());
        // A connection that died is opened again for the next request.
        if (!page)
            m_connection.noteError(page.error());
    }
}

SimListLoader::SimListLoader(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_worker(new SimListWorker(std::move(settings)))
{
    qRegisterMetaType<SimListRequest>();
    qRegisterMetaType<SimListTotal>();
    qRegisterMetaType<Error>();
    qRegisterMetaType<QList<SimListRow>>();
    m_worker->moveToThread(&m_thread);
    // The worker, and with it its connection, goes in its own thread.
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SimListWorker::rowsLoaded, this, &SimListLoader::rowsLoaded);
    connect(m_worker, &SimListWorker::totalLoaded, this, &SimListLoader::totalLoaded);
    connect(m_worker, &SimListWorker::failed, this, &SimListLoader::failed);
    m_thread.setObjectName(QStringLiteral("simdesk-simlist"));
    m_thread.start();
}

SimListLoader::~SimListLoader()
{
    m_thread.quit();
    m_thread.wait();
}

void SimListLoader::request(const SimListRequest &request)
{
    QMetaObject::invokeMethod(
        m_worker, "enqueue", Qt::QueuedConnection, Q_ARG(simdesk::SimListRequest, request));
}

} // namespace simdesk
