// SPDX-License-Identifier: MIT
#pragma once

#include "services/lifecycleservice.h"
#include "ui_bulkactiondialog.h"

#include <QDialog>

namespace simdesk {

class Desk;

// A bulk action of the SIM list, in three steps: a preview of what the database will
// do with every card (how many change, how many are refused and why — the real function in a
// transaction that is rolled back), the input the action needs (reason, tariff, for terminate
// the number of cards typed as confirmation), then one set-based call with per-card outcomes.
// All database work runs on the window's DbRunner.
class BulkActionDialog : public QDialog
{
    Q_OBJECT

public:
    // `action`: one of the catalogue's bulk actions (bulkCardActions()).
    BulkActionDialog(
        Desk *desk, CardAction action, QList<qint64> simIds, QWidget *parent = nullptr);

    // After Run: what happened to each card.
    const BulkResult &result() const { return m_result; }
    // Refused cards of the preview, for the CSV (tests read it).
    QString refusalsCsv() const;
    // Whether the latest preview has come back (previewed() has been emitted for it): a caller
    // that finds the dialog after its first preview may have missed the signal.
    bool previewDone() const { return m_previewDone; }

signals:
    void previewed();
    void applied();

private:
    void preview();
    void run();
    void showPreview(const BulkResult &preview);
    void showResult(const BulkResult &result);
    void validate();
    void saveRefusals();
    ActionRequest request() const;

    Ui::BulkActionDialog m_ui;
    Desk *m_desk;
    CardAction m_action;
    QList<qint64> m_ids;
    BulkResult m_preview;
    BulkResult m_result;
    bool m_done = false;
    bool m_busy = false;
    bool m_previewDone = false;
    int m_previewGeneration = 0; // only the latest preview is shown
};

} // namespace simdesk
