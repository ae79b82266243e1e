// SPDX-License-Identifier: MIT
#include "customers/customerlistloader.h"

#include <QElapsedTimer>
#include <QTimer>

namespace simdesk {

CustomerListWorker::~CustomerListWorker()
{
    m_query.reset(); // before its connection
}

void CustomerListWorker::enqueue(const CustomerListRequest &request)
{
    // A new generation (a keystroke, a sort) makes everything queued before it worthless.
    m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(),
                      [&](const CustomerListRequest &r) {
                          return r.generation != request.generation
                              || (r.wantTotal == request.wantTotal
                                  && r.after.has_value() == request.after.has_value());
                      }),
        m_queue.end());
    m_queue.append(request);
    if (!m_draining) {
        m_draining = true;
        QTimer::singleShot(0, this, &CustomerListWorker::drain);
    }
}

void CustomerListWorker::drain()
{
    // One request per event-loop turn: a newer keystroke arriving meanwhile is seen first.
    if (!m_queue.isEmpty())
        serve(m_queue.takeFirst());
    if (m_queue.isEmpty())
        m_draining = false;
    else
        QTimer::singleShot(0, this, &CustomerListWorker::drain);
}

void CustomerListWorker::serve(const CustomerListRequest &r)
{
    Result<QSqlDatabase> db = m_connection.get();
    if (!db) {
        m_query.reset();
        m_queue.clear();
        emit failed(r.generation, db.error());
        return;
    }
    // A new connection (the first, or after a loss) needs a new query object.
    if (!m_query || m_connection.opened() != m_opened) {
        m_query.emplace(*db);
        m_opened = m_connection.opened();
    }
    QElapsedTimer timer;
    timer.start();
    if (r.wantTotal) {
        Result<CustomerListTotal> total = m_query->total(r.search);
        if (total) {
            emit totalLoaded(r.generation, *total);
        } else {
            m_connection.noteError(total.error());
            emit failed(r.generation, total.error());
        }
        return;
    }
    Result<CustomerListPage> page = r.after ? m_query->pageAfter(r.search, r.sort, *r.after, r.size)
                                            : m_query->firstPage(r.search, r.sort, r.size);
    if (page) {
        emit pageLoaded(r.generation, !r.after, *page, timer.elapsed());
    } else {
        m_connection.noteError(page.error());
        emit failed(r.generation, page.error());
    }
}

CustomerListLoader::CustomerListLoader(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_worker(new CustomerListWorker(std::move(settings)))
{
    qRegisterMetaType<CustomerListRequest>();
    qRegisterMetaType<CustomerListPage>();
    qRegisterMetaType<CustomerListTotal>();
    qRegisterMetaType<Error>();
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &CustomerListWorker::pageLoaded, this, &CustomerListLoader::pageLoaded);
    connect(m_worker, &CustomerListWorker::totalLoaded, this, &CustomerListLoader::totalLoaded);
    connect(m_worker, &CustomerListWorker::failed, this, &CustomerListLoader::failed);
    m_thread.setObjectName(QStringLiteral("simdesk-customerlist"));
    m_thread.start();
}

CustomerListLoader::~CustomerListLoader()
{
    m_thread.quit();
    m_thread.wait();
}

void CustomerListLoader::request(const CustomerListRequest &request)
{
    QMetaObject::invokeMethod(
        m_worker, "enqueue", Qt::QueuedConnection, Q_ARG(simdesk::CustomerListRequest, request));
}

} // namespace simdesk
