// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "db/progress.h"
#include "db/workerconnection.h"
#include "domain/result.h"

#include <QFutureWatcher>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QSqlDatabase>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace simdesk {

class DbRunnerWorker;

// What a piece of background work shares between its thread and the one that started it.
struct TaskState : ProgressObserver
{
    std::atomic<bool> cancel { false };
    std::atomic<bool> reporting { false }; // the work has reported progress at least once
    QMutex mutex; // guards the progress below
    QString phase;
    qint64 done = 0;
    qint64 total = 0;

    void progress(const QString &phase, qint64 done, qint64 total) override;
    bool cancelled() const override { return cancel.load(std::memory_order_relaxed); }
};

// The handle of one piece of background work, in the thread that started it: cancel it, follow
// its progress (at most ten signals a second, however often the work reports), know when it is
// over. Belongs to the object the work reports to, and deletes itself once finished.
class Task : public QObject
{
    Q_OBJECT

public:
    explicit Task(QObject *context);

    // Asks the work to stop: it sees ProgressObserver::cancelled() between its steps, and a
    // running statement is cancelled on the server when the work uses a QueryCanceller. Work not
    // started yet does not start; its result is a Cancelled error.
    void cancel();
    // Whether the work has ended (its result may still be on its way through the event loop).
    bool isFinished() const { return m_finished || m_watcher.isFinished(); }
    // Blocks until the work has ended, without delivering its result yet (that still comes
    // through the event loop). For a window that closes while long work runs.
    void waitForFinished() { m_watcher.waitForFinished(); }
    const std::shared_ptr<TaskState> &state() const { return m_state; }

signals:
    void progress(const QString &phase, qint64 done, qint64 total);
    void finished();

private:
    friend class DbRunner;
    void poll();
    void finish();

    std::shared_ptr<TaskState> m_state;
    QTimer m_poll;
    QFutureWatcher<void> m_watcher; // the work's end, whichever thread it ran in
    std::function<void()> m_deliver;
    bool m_finished = false;
};

// The one way SimDesk runs database work off the GUI thread. Each window has one runner, and the
// runner one long-lived connection on a thread of its own (opened on first use, opened again
// after it was lost): the window's short reads and single actions run there, one after another.
// Long work (an import, an export) takes a connection of its own on a pool thread, so that it
// does not hold up the window. Results arrive in the thread of the context object, through
// `done`, and not at all once the context is gone. The runner's connections are listed in
// sessions(), so that the window can tell its own changes from other sessions' (ChangeListener).
class DbRunner : public QObject
{
    Q_OBJECT

public:
    enum class Lane : quint8 {
        Window, // the window's connection: short reads and single actions, in order
        Own, // a connection of its own, opened and closed for this work: long work
    };

    template<typename T> using Work = std::function<Result<T>(QSqlDatabase db)>;
    template<typename T>
    using LongWork = std::function<Result<T>(QSqlDatabase db, ProgressObserver &progress)>;
    template<typename T> using Done = std::function<void(const Result<T> &result)>;

    explicit DbRunner(ConnectionSettings settings, QObject *parent = nullptr);
    // Waits for the work running on the window's connection; work queued behind it is dropped.
    ~DbRunner() override;

    // Runs `work` on the window's connection (or, for Lane::Own, on one of its own), then `done`
    // with its result in `context`'s thread. A connection that cannot be opened is the result's
    // error. The returned task belongs to `context`.
    template<typename T>
    Task *run(QObject *context, LongWork<T> work, Done<T> done, Lane lane = Lane::Window)
    {
        auto *task = new Task(context);
        auto result = std::make_shared<std::optional<Result<T>>>();
        post(
            task, lane,
            [work = std::move(work), result](const Result<QSqlDatabase> &db, TaskState &state) {
                result->emplace(db ? work(*db, state) : Result<T>(db.error()));
                return !result->value().ok() ? std::optional<Error>(result->value().error())
                                             : std::nullopt;
            },
            [done = std::move(done), result]() {
                if (result->has_value())
                    done(result->value());
                else
                    done(Result<T>(Error(ErrorCode::Cancelled)));
            });
        return task;
    }
    template<typename T>
    Task *run(QObject *context, Work<T> work, Done<T> done, Lane lane = Lane::Window)
    {
        return run<T>(context,
            LongWork<T>(
                [work = std::move(work)](QSqlDatabase db, ProgressObserver &) { return work(db); }),
            std::move(done), lane);
    }

    const ConnectionSettings &settings() const { return m_settings; }
    // This window's own connections, while open and for a while after.
    const std::shared_ptr<SessionRegistry> &sessions() const { return m_sessions; }
    // Connections opened so far by this runner, on both lanes (tests and benchmarks).
    int connectionsOpened() const { return m_opened->load(); }
    // The server process of the window's connection, 0 while there is none.
    qint64 windowBackendPid() const { return m_windowPid.load(); }

private:
    friend class DbRunnerWorker;
    // The job runs in the worker's thread and returns the error it ended with, if any (a lost
    // connection is opened again for the next job); `deliver` then runs in the task's thread.
    using Job = std::function<std::optional<Error>(const Result<QSqlDatabase> &, TaskState &)>;
    void post(Task *task, Lane lane, Job job, std::function<void()> deliver);

    ConnectionSettings m_settings;
    std::shared_ptr<SessionRegistry> m_sessions = std::make_shared<SessionRegistry>();
    std::shared_ptr<std::atomic<int>> m_opened = std::make_shared<std::atomic<int>>(0);
    std::atomic<qint64> m_windowPid { 0 };
    QThread m_thread;
    DbRunnerWorker *m_worker = nullptr; // lives in m_thread
};

} // namespace simdesk
