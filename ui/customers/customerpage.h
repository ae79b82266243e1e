// SPDX-License-Identifier: MIT
#pragma once

#include "common/refreshhub.h"
#include "domain/cardaction.h"
#include "services/customerdetailquery.h"
#include "sims/simlistmodel.h"
#include "ui_customerpage.h"

#include <QWidget>

#include <functional>

class QMessageBox;

#include <optional>

namespace simdesk {

class Desk;

// One customer: their data, their cards (the SIM list's model filtered to them, with status
// badges) and their history (changes of the record and events of their cards, newest first,
// one list). Their cards take the SIM list's bulk actions. Edit opens EditCustomerDialog. Reloads
// by itself when the customer or cards change here or elsewhere. No SQL here: CustomerDetailQuery
// on the window's runner.
class CustomerPage : public QWidget
{
    Q_OBJECT

public:
    explicit CustomerPage(Desk *desk, QWidget *parent = nullptr);

    void showCustomer(qint64 id);
    qint64 customerId() const { return m_id; }
    const std::optional<CustomerDetail> &detail() const { return m_detail; }
    SimListModel *cardsModel() { return &m_cards; }
    // Opens the edit dialog (Ctrl+E); returns it for tests.
    QDialog *edit();
    // Delete: asks first when the customer never held a card, otherwise explains why the record
    // stays (and points administrators to Anonymise). Returns the question, if one is asked.
    QMessageBox *askDelete();
    // Anonymise (administrators): asks first; returns the question.
    QMessageBox *askAnonymise();
    // Assign SIM (Ctrl+Shift+A; support and administrators); returns the dialog.
    QDialog *assignSim();
    // A bulk action of the SIM list's catalogue (the Bulk action menu) on the selected cards,
    // or on every card of theirs when all rows are selected: the SIM list's BulkActionDialog
    // (object name "bulkActionDialog"), opened once the cards' ids are known.
    void runBulkAction(simdesk::CardAction action);
    QList<qint64> selectedCardIds() const;

signals:
    void cardRequested(qint64 simId);
    // The customer was deleted: the page has nothing left to show.
    void deleted(qint64 customerId);
    // "Show in the SIM list": the list filtered to this customer.
    void simsRequested(qint64 customerId);
    void backRequested();
    // A load finished (tests wait for it).
    void loaded();

private:
    void load();
    void showDetail();
    void showHistory();
    void updateActions();
    void setUpBulkActions();
    // Runs a change of the customer on the window's runner; on success announces it, says
    // `done` in the banner and reads the customer again.
    void change(const std::function<Status(QSqlDatabase)> &work, const QString &done);

    Ui::CustomerPage m_ui;
    Desk *m_desk;
    SimListModel m_cards;
    qint64 m_id = 0;
    std::optional<CustomerDetail> m_detail;
    QString m_pendingMessage; // said once the customer is read again after a change
};

} // namespace simdesk
