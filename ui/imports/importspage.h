// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/staff.h"
#include "records/importbatchrepository.h"
#include "ui_importspage.h"

#include <QWidget>

#include <optional>

namespace simdesk {

class Desk;

// The history of imports: every batch with file, kind, who, when, counts, checksum
// and status; the selected batch's detail (its cards as they are now); "Show these cards"; and
// Revert for admins, confirmed with the count, refused by the database with its reason when a
// card has been used since. Loads off the GUI thread (ImportBatchRepository, ImportService).
class ImportsPage : public QWidget
{
    Q_OBJECT

public:
    ImportsPage(Desk *desk, QWidget *parent = nullptr);

    // The batch whose detail is shown.
    std::optional<qint64> currentBatchId() const;
    void selectBatch(qint64 batchId);
    const QList<ImportBatch> &batches() const { return m_batches; }

public slots:
    void reload();
    // Asks for confirmation (naming the count), then reverts the selected batch.
    void revertCurrent();
    // Writes every recorded problem of the selected batch to `path` (off the GUI thread);
    // emits problemsSaved. The button asks for the path first.
    void saveProblems(const QString &path);

signals:
    void importRequested();
    void showCardsRequested(qint64 batchId);
    // Tests wait for these.
    void loaded();
    void detailLoaded();
    void reverted(qint64 batchId, qint64 cards);
    void revertFailed(const QString &message);
    // Empty on success, else what went wrong.
    void problemsSaved(const QString &error);

protected:
    void showEvent(QShowEvent *event) override;

private:
    // What the detail shows, loaded together.
    struct DetailData
    {
        ImportBatchDetail detail;
        ImportBatchProblemPage problems; // the first kShownProblems
    };
    static constexpr int kShownProblems = 1000;

    void showBatches(const QList<ImportBatch> &batches);
    void loadDetail();
    void showDetail(const ImportBatchDetail &detail);
    void showProblems(const ImportBatchProblemPage &page);

    Ui::ImportsPage m_ui;
    Desk *m_desk;
    bool m_loadedOnce = false;
    QList<ImportBatch> m_batches;
    std::optional<ImportBatchDetail> m_detail;
    std::optional<qint64> m_wanted; // to select once loaded
    quint64 m_detailGeneration = 0;
    // The batch whose revert the database refused: its refusal stays shown through the reloads
    // that follow, until the user chooses another batch, tries again or closes it.
    std::optional<qint64> m_refusedBatch;
};

} // namespace simdesk
