// SPDX-License-Identifier: MIT
#pragma once

#include "db/dbrunner.h"
#include "import/importservice.h"
#include "importpreviewmodel.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>

namespace simdesk {

// Runs one validation (a dry run that keeps every row for the preview) or one commit of the
// import wizard as long work of the window's DbRunner (a connection of its own), and reports
// its progress to the GUI thread at most ten times a second: a million rows cost the GUI thread
// nothing but that. Cancel works in every phase (between rows, and a running statement through
// core's QueryCanceller); nothing is written then.
class ImportRunner : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Validate, Commit };

    explicit ImportRunner(DbRunner *runner, QObject *parent = nullptr);
    // Cancels a running import and waits for it.
    ~ImportRunner() override;

    void start(Mode mode, const QString &path, const ImportOptions &options);
    void cancel();
    bool isRunning() const { return m_task && !m_task->isFinished(); }
    // Blocks until the running import has ended (after cancel(): a moment).
    void waitForFinished();
    // The rows of the last validation (moved out).
    ImportPreviewRows takeRows();

    struct Rows;

signals:
    // `phase`: a short translated word; `total` 0: no measure (a database step).
    void progress(const QString &phase, qint64 done, qint64 total);
    void finished(const simdesk::ImportReport &report, qint64 elapsedMs);

private:
    DbRunner *m_runner;
    std::shared_ptr<Rows> m_rows;
    QPointer<Task> m_task;
    QElapsedTimer m_clock;
};

} // namespace simdesk
