// SPDX-License-Identifier: MIT
#pragma once

#include "codes/codelistmodel.h"
#include "domain/activationcode.h"
#include "ui_codespage.h"

#include <QTimer>
#include <QWidget>

namespace simdesk {

class Desk;

// The activation code list: filters (effective status, expiring within N days, batch, used on a
// card of a customer), a search by code or its prefix, a virtual table (CodeListModel, keyset
// pages on its own thread), and beside it the current code: the card it activated and when,
// and what the role may do with it (support: mark used or expired, with a reason; admin: generate
// a batch, expire a batch; export a batch as CSV). No SQL here: everything goes through core on
// the list's loader or the window's runner. Reloads through the refresh hub (Topic::Codes).
class CodesPage : public QWidget
{
    Q_OBJECT

public:
    explicit CodesPage(Desk *desk, QWidget *parent = nullptr);

    CodeListModel *model() { return &m_model; }
    void focusSearch();
    void setSearch(const QString &text);
    // Shows the codes used on cards of one customer (the filter shows their number).
    void showCustomer(const QString &customerNo);
    // Shows one batch's codes.
    void showBatch(qint64 batchId);
    // Shows one code, selected, with its detail: the list searched for its text, other filters
    // cleared. Without the text (an audit row knows only the id) it is read first.
    void showCode(qint64 codeId, const QString &code = {});
    void refresh();
    qint64 currentId() const { return m_currentId; }
    const CodeListRow *currentRow() const;

    // The actions, as the buttons run them (tests drive the dialogs they open).
    void markCurrent(CodeStatus to);
    void generateBatch();
    void expireBatch();
    // CSV, or PDF slips when `path` ends in .pdf; asks for the file when `path` is empty.
    void exportBatch(const QString &path = {});

signals:
    void openCard(qint64 simId);
    // A batch was generated or exported; the window shows it in its status bar.
    void message(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void setUpTable();
    void setUpFilters();
    void applyFilter();
    void loadBatches();
    void resolveCustomer();
    void updateFooter();
    void updateDetail();
    void updateActions();
    void restoreCurrent();
    qint64 chosenBatch() const;

    Ui::CodesPage m_ui;
    Desk *m_desk;
    CodeListModel m_model;
    QTimer m_searchDebounce;
    qint64 m_currentId = 0;
    std::optional<qint64> m_customerId; // the customer number typed, found
    bool m_started = false;
};

} // namespace simdesk
