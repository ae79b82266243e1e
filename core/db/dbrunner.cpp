// SPDX-License-Identifier: MIT
#include "db/dbrunner.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

namespace simdesk {

void TaskState::progress(const QString &p, qint64 d, qint64 t)
{
    const QMutexLocker lock(&mutex);
    phase = p;
    done = d;
    total = t;
    reporting.store(true, std::memory_order_relaxed);
}

Task::Task(QObject *context)
    : QObject(context)
    , m_state(std::make_shared<TaskState>())
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &Task::poll);
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &Task::finish);
}

void Task::cancel()
{
    m_state->cancel.store(true);
}

void Task::poll()
{
    if (!m_state->reporting.load(std::memory_order_relaxed))
        return;
    QString phase;
    qint64 done = 0;
    qint64 total = 0;
    {
        const QMutexLocker lock(&m_state->mutex);
        phase = m_state->phase;
        done = m_state->done;
        total = m_state->total;
    }
    emit progress(phase, done, total);
}

void Task::finish()
{
    m_poll.stop();
    poll(); // the last word on progress before the result
    m_finished = true;
    if (m_deliver)
        m_deliver();
    emit finished();
    deleteLater();
}

// Owns the window's connection; lives in the runner's thread.
class DbRunnerWorker : public QObject
{
public:
    DbRunnerWorker(DbRunner *runner)
        : m_runner(runner)
        , m_connection(runner->m_settings, QStringLiteral("simdesk-window"), runner->m_sessions)
    { }

    void run(const DbRunner::Job &job, TaskState &state)
    {
        if (state.cancelled())
            return;
        const int before = m_connection.opened();
        const Result<QSqlDatabase> db = m_connection.get();
        *m_runner->m_opened += m_connection.opened() - before;
        m_runner->m_windowPid.store(m_connection.backendPid());
        if (const std::optional<Error> error = job(db, state))
            m_connection.noteError(*error);
        m_runner->m_windowPid.store(m_connection.backendPid());
    }

    void close() { m_connection.close(); }

private:
    DbRunner *const m_runner;
    WorkerConnection m_connection;
};

DbRunner::DbRunner(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    m_worker = new DbRunnerWorker(this);
    m_worker->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("simdesk-window-db"));
    m_thread.start();
}

DbRunner::~DbRunner()
{
    // The connection is closed in the thread that opened it; queued jobs behind the running one
    // are dropped with the thread's event loop.
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker] {
            w->close();
            delete w;
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread.wait();
}

void DbRunner::post(Task *task, Lane lane, Job job, std::function<void()> deliver)
{
    std::shared_ptr<TaskState> state = task->state();
    // The work's end reaches the task through a future: a task deleted meanwhile (its context
    // went) simply never hears of it. Work dropped unstarted ends the future too, unfulfilled.
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    task->m_deliver = std::move(deliver);
    task->m_watcher.setFuture(promise->future());
    task->m_poll.start();
    if (lane == Lane::Window) {
        QMetaObject::invokeMethod(
            m_worker,
            [w = m_worker, job = std::move(job), state, promise]() {
                w->run(job, *state);
                promise->finish();
            },
            Qt::QueuedConnection);
        return;
    }
    // Work of its own: a connection opened for it alone, on a pool thread.
    (void)QtConcurrent::run([settings = m_settings, sessions = m_sessions, opened = m_opened,
                                job = std::move(job), state, promise]() {
        if (!state->cancelled()) {
            WorkerConnection connection(settings, QStringLiteral("simdesk-task"), sessions);
            const Result<QSqlDatabase> db = connection.get();
            *opened += connection.opened();
            job(db, *state);
        }
        promise->finish();
    });
}

} // namespace simdesk
