// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "import/importservice.h"
#include "importpreviewmodel.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

namespace simdesk {

// Runs one validation (a dry run that keeps every row for the preview) or one commit of the
// import wizard on a pool thread with its own database connection (DESIGN.md §5), and reports
// its progress to the GUI thread by polling a shared state ten times a second: a million rows
// cost the GUI thread nothing but that timer. Cancel works in every phase (ImportObserver:
// between rows, and a running statement through core's QueryCanceller); nothing is written
// then.
class ImportRunner : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Validate, Commit };

    explicit ImportRunner(ConnectionSettings settings, QObject *parent = nullptr);
    // Cancels a running import and waits for it: its thread must not outlive the runner.
    ~ImportRunner() override;

    void start(Mode mode, const QString &path, const ImportOptions &options);
    void cancel();
    bool isRunning() const { return m_running && !m_watcher.isFinished(); }
    // Blocks until the running import has ended (after cancel(): a moment).
    void waitForFinished();
    // The rows of the last validation (moved out).
    ImportPreviewRows takeRows();

    struct State;

signals:
    // `phase`: a short translated word; `total` 0: no measure (a database step).
    void progress(const QString &phase, qint64 done, qint64 total);
    void finished(const simdesk::ImportReport &report, qint64 elapsedMs);

private:
    void poll();

    ConnectionSettings m_settings;
    std::shared_ptr<State> m_state;
    QFutureWatcher<ImportReport> m_watcher;
    QTimer m_poll;
    QElapsedTimer m_clock;
    bool m_running = false;
};

} // namespace simdesk
