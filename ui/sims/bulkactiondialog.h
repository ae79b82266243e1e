// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "services/lifecycleservice.h"
#include "ui_bulkactiondialog.h"

#include <QDialog>

namespace simdesk {

// A bulk action of the SIM list, in three steps (issue 8): a preview of what the database will
// do with every card (how many change, how many are refused and why — the real function in a
// transaction that is rolled back), the input the action needs (reason, tariff, for terminate
// the number of cards typed as confirmation), then one set-based call with per-card outcomes.
// All database work runs off the GUI thread on a connection of its own.
class BulkActionDialog : public QDialog
{
    Q_OBJECT

public:
    // `actionKey`: "suspend", "resume", "report_lost_stolen", "terminate" or "change_tariff".
    BulkActionDialog(ConnectionSettings settings, QString actionKey, QList<qint64> simIds,
        QWidget *parent = nullptr);

    // After Run: what happened to each card.
    const BulkResult &result() const { return m_result; }
    // Refused cards of the preview, for the CSV (tests read it).
    QString refusalsCsv() const;

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
    std::optional<SimAction> action() const;
    QString actionTitle() const;
    static QString refusalText(const QString &outcome, const QString &detail);

    Ui::BulkActionDialog m_ui;
    ConnectionSettings m_settings;
    QString m_actionKey;
    QList<qint64> m_ids;
    BulkResult m_preview;
    BulkResult m_result;
    bool m_done = false;
    bool m_busy = false;
};

} // namespace simdesk
