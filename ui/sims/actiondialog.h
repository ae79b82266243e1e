// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/customer.h"
#include "domain/simcard.h"
#include "domain/tariffplan.h"
#include "services/lifecycleservice.h"
#include "ui_actiondialog.h"

#include <QDialog>
#include <QTimer>

#include <optional>

namespace simdesk {

// Everything the detail page can do to one card besides swap and edit: the lifecycle actions
// of the transition table and the holder changes (LifecycleService).
enum class CardAction : quint8 {
    Reserve,
    Release,
    Activate,
    Suspend,
    Resume,
    ReportLostStolen,
    Terminate,
    AssignCustomer,
    UnassignCustomer,
    ChangeTariff,
};

// Whether `action` is possible on a card in `status` holding a customer or not (the transition
// table and the holder rules of LifecycleService), regardless of role.
bool cardActionPossible(CardAction action, SimStatus status, bool hasCustomer);
// Whether the action takes input (a dialog) before it runs.
bool cardActionNeedsDialog(CardAction action);
QString cardActionDisplayName(CardAction action);
// Runs `action` through LifecycleService on `db` (a worker thread's connection).
Result<SimCard> performCardAction(QSqlDatabase db, CardAction action, const ActionRequest &request);

// Asks for what an action needs and runs it: a customer found as you type (Reserve, Activate,
// Assign customer), a tariff plan for the card's type (Activate, Change tariff), an optional
// activation code checked while typed (Activate), a reason (required for Suspend, Report
// lost/stolen and Terminate), and for Terminate the last four digits of the ICCID as
// confirmation. OK stays disabled until everything needed is valid; errors show in the dialog.
// Accepted once the action has been done; card() is then the card as it is now.
class ActionDialog : public QDialog
{
    Q_OBJECT

public:
    ActionDialog(ConnectionSettings settings, CardAction action, const SimCard &card,
        std::optional<Customer> customer, QWidget *parent = nullptr);

    CardAction action() const { return m_action; }
    const SimCard &card() const { return m_card; }
    // True when the dialog closed because the user asked to reload a card changed elsewhere.
    bool reloadRequested() const { return m_reloadRequested; }
    // Delay between the last key typed and the search or code check (tests set 0).
    void setDebounceInterval(int ms);

public slots:
    void accept() override;
    // Esc and Cancel close the dialog, except while the change is on its way to the database:
    // its outcome must reach the page.
    void reject() override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    void customersLoaded(); // a customer search has finished
    void tariffsLoaded();
    void codeChecked(); // an activation code check has finished
    void actionFinished(bool ok); // the action ran (ok) or was refused (the error is shown)

private:
    void searchCustomers();
    void checkCode();
    void updateOk();
    void showError(const Error &error);
    std::optional<qint64> selectedCustomer() const;
    std::optional<qint64> selectedTariff() const;
    bool needsCustomer() const;
    bool needsTariff() const;
    bool needsReason() const;
    bool needsConfirmation() const { return m_action == CardAction::Terminate; }
    QString confirmationDigits() const;

    Ui::ActionDialog m_ui;
    ConnectionSettings m_settings;
    CardAction m_action;
    SimCard m_card;
    std::optional<Customer> m_customer;
    QTimer m_searchTimer;
    QTimer m_codeTimer;
    quint64 m_searchGeneration = 0;
    quint64 m_codeGeneration = 0;
    bool m_codeOk = true; // empty or checked as usable
    bool m_codePending = false;
    bool m_busy = false;
    bool m_reloadRequested = false;
};

} // namespace simdesk
