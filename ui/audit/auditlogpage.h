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
// reason; the list reads page by page as it scrolls; a card's row opens the card; the rows of the
// filter export as CSV.
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
    void openCurrentCard();
    // Saves the filtered rows as CSV; asks where when `path` is empty.
    void exportCsv(const QString &path = {});

signals:
    void cardRequested(qint64 simId);
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
