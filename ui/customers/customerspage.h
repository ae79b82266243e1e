// SPDX-License-Identifier: MIT
#pragma once

#include "common/refreshhub.h"
#include "customers/customerlistmodel.h"
#include "ui_customerspage.h"

#include <QTimer>
#include <QWidget>

namespace simdesk {

class Desk;

// The customer list: one search field (as you type, over name, company, number, e-mail and
// phone), sortable columns, the count (marked when estimated), the current customer kept by id
// across reloads. No SQL here: CustomerListModel asks core's CustomerListQuery on its own
// thread.
class CustomersPage : public QWidget
{
    Q_OBJECT

public:
    explicit CustomersPage(Desk *desk, QWidget *parent = nullptr);

    CustomerListModel *model() { return &m_model; }
    // Ctrl+F; with `text`, the search is set to it first.
    void focusSearch();
    void setSearch(const QString &text);
    // Customers (or their cards, which change their counts) changed: read the rows again.
    void refresh();
    qint64 currentId() const { return m_currentId; }

signals:
    void openCustomer(qint64 customerId);
    void createRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void setUpTable();
    void applySearch();
    void updateFooter();
    void restoreCurrent();

    Ui::CustomersPage m_ui;
    Desk *m_desk;
    CustomerListModel m_model;
    QTimer m_searchDebounce;
    qint64 m_currentId = 0;
    bool m_openWhenLoaded = false; // Enter was pressed before the search ran
    bool m_started = false; // the list has been asked for (first shown)
};

} // namespace simdesk
