// SPDX-License-Identifier: MIT
#include "importrunner.h"

#include "db/database.h"

#include <QMutex>
#include <QMutexLocker>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>

namespace simdesk {

struct ImportRunner::State
{
    std::atomic<bool> cancel { false };
    QMutex mutex; // guards the progress below
    QString phase;
    qint64 done = 0;
    qint64 total = 0;
    quint64 sequence = 0; // bumped on every change, so an unchanged state is not re-sent
    // Only the importing thread touches these until the future has finished.
    bool collect = false;
    ImportPreviewRows rows;
};

namespace {

class Observer : public ImportObserver
{
public:
    explicit Observer(ImportRunner::State &state)
        : m_state(state)
    { }

    void progress(const QString &phase, qint64 done, qint64 total) override
    {
        const QMutexLocker lock(&m_state.mutex);
        m_state.phase = phase;
        m_state.done = done;
        m_state.total = total;
        ++m_state.sequence;
    }
    bool cancelled() const override { return m_state.cancel.load(std::memory_order_relaxed); }
    void rowChecked(const PreviewRow &row) override
    {
        if (m_state.collect)
            m_state.rows.append(row);
    }
    void rowsInDatabase(const QSet<qint64> &lines) override
    {
        if (!m_state.collect)
            return;
        for (const qint64 line : lines) {
            const qsizetype i = m_state.rows.indexOfLine(line);
            if (i >= 0)
                m_state.rows.status[size_t(i)] = quint8(RowStatus::AlreadyInDatabase);
        }
    }

private:
    ImportRunner::State &m_state;
};

} // namespace

ImportRunner::ImportRunner(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &ImportRunner::poll);
    connect(&m_watcher, &QFutureWatcher<ImportReport>::finished, this, [this] {
        m_poll.stop();
        m_running = false;
        emit finished(m_watcher.result(), m_clock.elapsed());
    });
}

ImportRunner::~ImportRunner()
{
    cancel();
    waitForFinished();
}

void ImportRunner::start(Mode mode, const QString &path, const ImportOptions &options)
{
    if (m_running)
        return;
    m_state = std::make_shared<State>();
    m_state->collect = mode == Mode::Validate;
    m_state->phase = tr("Connecting");
    m_running = true;
    m_clock.start();
    const ConnectionSettings settings = m_settings;
    std::shared_ptr<State> state = m_state;
    m_watcher.setFuture(QtConcurrent::run([settings, state, mode, path, options]() {
        const QString name = Database::uniqueName(QStringLiteral("simdesk-import"));
        ScopedConnection guard(name);
        ImportReport report;
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db) {
            report.refusal = db.error();
            return report;
        }
        Observer observer(*state);
        ImportService service(*db);
        if (mode == Mode::Commit)
            return service.commit(path, options, &observer);
        report = service.dryRun(path, options, &observer);
        state->rows.finish();
        return report;
    }));
    m_poll.start();
    emit progress(m_state->phase, 0, 0);
}

void ImportRunner::cancel()
{
    if (m_state)
        m_state->cancel.store(true);
}

void ImportRunner::waitForFinished()
{
    m_watcher.waitForFinished();
}

ImportPreviewRows ImportRunner::takeRows()
{
    if (!m_state || m_running)
        return {};
    return std::move(m_state->rows);
}

void ImportRunner::poll()
{
    if (!m_state)
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

} // namespace simdesk
