// SPDX-License-Identifier: MIT
#include "codes/codelistloader.h"

#include <QElapsedTimer>
#include <QTimer>

namespace simdesk {

CodeListWorker::~CodeListWorker()
{
    m_query.reset(); // before its connection
}

void CodeListWorker::enqueue(const CodeListRequest &request)
{
    // A new generation (a keystroke, a filter, a sort) makes everything queued before it worthless.
    m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(),
                      [&](const CodeListRequest &r) {
                          return r.generation != request.generation
                              || (r.wantTotal == request.wantTotal
                                  && r.after.has_value() == request.after.has_value());
                      }),
        m_queue.end());
    m_queue.append(request);
    if (!m_draining) {
        m_draining = true;
        QTimer::singleShot(0, this, &CodeListWorker::drain);
    }
}

void CodeListWorker::drain()
{
    // One request per event-loop turn: a newer keystroke arriving meanwhile is seen first.
    if (!m_queue.isEmpty())
        serve(m_queue.takeFirst());
    if (m_queue.isEmpty())
        m_draining = false;
    else
        QTimer::singleShot(0, this, &CodeListWorker::drain);
}

void CodeListWorker::serve(const CodeListRequest &r)
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
        Result<CodeListTotal> total = m_query->total(r.filter);
        if (total) {
            emit totalLoaded(r.generation, *total);
        } else {
            m_connection.noteError(total.error());
            emit failed(r.generation, total.error());
        }
        return;
    }
    Result<CodeListPage> page = r.after ? m_query->pageAfter(r.filter, r.sort, *r.after, r.size)
                                        : m_query->firstPage(r.filter, r.sort, r.size);
    if (page) {
        emit pageLoaded(r.generation, !r.after, *page, timer.elapsed());
    } else {
        m_connection.noteError(page.error());
        emit failed(r.generation, page.error());
    }
}

CodeListLoader::CodeListLoader(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_worker(new CodeListWorker(std::move(settings)))
{
    qRegisterMetaType<CodeListRequest>();
    qRegisterMetaType<CodeListPage>();
    qRegisterMetaType<CodeListTotal>();
    qRegisterMetaType<Error>();
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &CodeListWorker::pageLoaded, this, &CodeListLoader::pageLoaded);
    connect(m_worker, &CodeListWorker::totalLoaded, this, &CodeListLoader::totalLoaded);
    connect(m_worker, &CodeListWorker::failed, this, &CodeListLoader::failed);
    m_thread.setObjectName(QStringLiteral("simdesk-codelist"));
    m_thread.start();
}

CodeListLoader::~CodeListLoader()
{
    m_thread.quit();
    m_thread.wait();
}

void CodeListLoader::request(const CodeListRequest &request)
{
    QMetaObject::invokeMethod(
        m_worker, "enqueue", Qt::QueuedConnection, Q_ARG(simdesk::CodeListRequest, request));
}

} // namespace simdesk
