// SPDX-License-Identifier: MIT
#include "importrunner.h"

namespace simdesk {

// The rows of a validation; only the importing thread touches them until the work has ended.
struct ImportRunner::Rows
{
    bool collect = false;
    ImportPreviewRows rows;
};

namespace {

// The import's observer: progress and cancel go to the runner's task, the checked rows into
// the preview's store.
class Observer : public ImportObserver
{
public:
    Observer(ProgressObserver &task, ImportRunner::Rows &rows)
        : m_task(task)
        , m_rows(rows)
    { }

    void progress(const QString &phase, qint64 done, qint64 total) override
    {
        m_task.progress(phase, done, total);
    }
    bool cancelled() const override { return m_task.cancelled(); }
    void rowChecked(const PreviewRow &row) override
    {
        if (m_rows.collect)
            m_rows.rows.append(row);
    }
    void rowsInDatabase(const QSet<qint64> &lines) override
    {
        if (!m_rows.collect)
            return;
        for (const qint64 line : lines) {
            const qsizetype i = m_rows.rows.indexOfLine(line);
            if (i >= 0)
                m_rows.rows.status[size_t(i)] = quint8(RowStatus::AlreadyInDatabase);
        }
    }

private:
    ProgressObserver &m_task;
    ImportRunner::Rows &m_rows;
};

} // namespace

ImportRunner::ImportRunner(DbRunner *runner, QObject *parent)
    : QObject(parent)
    , m_runner(runner)
{ }

ImportRunner::~ImportRunner()
{
    cancel();
    waitForFinished();
}

void ImportRunner::start(Mode mode, const QString &path, const ImportOptions &options)
{
    if (m_task)
        return;
    m_rows = std::make_shared<Rows>();
    m_rows->collect = mode == Mode::Validate;
    m_clock.start();
    std::shared_ptr<Rows> rows = m_rows;
    m_task = m_runner->run<ImportReport>(
        this,
        [rows, mode, path, options](QSqlDatabase db, ProgressObserver &task) {
            Observer observer(task, *rows);
            ImportService service(db);
            if (mode == Mode::Commit)
                return Result<ImportReport>(service.commit(path, options, &observer));
            ImportReport report = service.dryRun(path, options, &observer);
            rows->rows.finish();
            return Result<ImportReport>(report);
        },
        [this](const Result<ImportReport> &result) {
            m_task = nullptr;
            ImportReport report;
            if (result)
                report = *result;
            else if (result.error().code == ErrorCode::Cancelled)
                report.refusal = Error(ErrorCode::ImportCancelled); // cancelled before it began
            else
                report.refusal = result.error(); // no connection
            emit finished(report, m_clock.elapsed());
        },
        DbRunner::Lane::Own);
    connect(m_task, &Task::progress, this, &ImportRunner::progress);
    emit progress(tr("Connecting"), 0, 0);
}

void ImportRunner::cancel()
{
    if (m_task)
        m_task->cancel();
}

void ImportRunner::waitForFinished()
{
    if (m_task)
        m_task->waitForFinished();
}

ImportPreviewRows ImportRunner::takeRows()
{
    if (!m_rows || m_task)
        return {};
    return std::move(m_rows->rows);
}

} // namespace simdesk
