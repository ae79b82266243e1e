// SPDX-License-Identifier: MIT
#pragma once

#include "audit/auditlogmodel.h"
#include "ui_auditlogpage.h"

#include <QWidget>

namespace simdesk {

class Desk;

// The audit log: every recorded change (card events, reveals among them, and the changes to
// customers, tariff plans, activation codes, staff and imports) in one list, newest first, for
// every role to read. Filters by who, what, time, card, source, operation and words in the
// reason, customer; the list reads page by page as it scrolls; each row opens what it is about
// (its card, customer, plan, code or import); the changed fields of a record show old and new
// side by side; the rows of the filter export as CSV.
class AuditLogPage : public QWidget
{
    Q_OBJECT

public:
    explicit AuditLogPage(Desk *desk, QWidget *parent = nullptr);

    AuditLogModel *model() { return &m_model; }
    // The filter the widgets describe now.
    AuditFilter currentFilter() const;

public slots:
    // Reads the log again with the filter of the widgets.
    void applyFilter();
    void clearFilter();
    // Opens what the current row's change was made to (its card, customer, plan, code, import
    // or staff member), through the signals below.
    void openCurrent();
    // Saves the filtered rows as CSV; asks where when `path` is empty.
    void exportCsv(const QString &path = {});

signals:
    void cardRequested(qint64 simId);
    void customerRequested(qint64 customerId);
    void tariffPlanRequested(qint64 planId);
    void activationCodeRequested(qint64 codeId);
    void codeBatchRequested(qint64 batchId);
    void importBatchRequested(qint64 batchId);
    void staffRequested(const QString &login);
    // A page arrived (the first of a filter, or one more while scrolling).
    void loaded();
    void exported(const QString &path, qint64 rows);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateButtons();
    void updateCount();

    Ui::AuditLogPage m_ui;
    Desk *m_desk;
    AuditLogModel m_model;
    bool m_loadedOnce = false;
};

} // namespace simdesk
