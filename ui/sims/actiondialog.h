// SPDX-License-Identifier: MIT
#pragma once

#include "common/activationcodecheck.h"
#include "domain/cardaction.h"
#include "domain/customer.h"
#include "domain/simcard.h"
#include "ui_actiondialog.h"

#include <QDialog>
#include <QTimer>

#include <optional>

namespace simdesk {

class Desk;

// Asks for what a card action needs and runs it (the catalogue says what: domain/cardaction.h):
// a customer found as you type (Reserve, Activate, Assign customer), a tariff plan that fits
// the card (Activate, Change tariff; the database's own list), an optional activation code
// checked while typed (Activate; ActivationCodeCheck), a reason (Suspend, Report lost/stolen,
// Terminate), and for Terminate the last four digits of the ICCID as confirmation. OK stays
// disabled until everything needed is valid; errors show in the dialog. Accepted once the action is
// done.
class ActionDialog : public QDialog
{
    Q_OBJECT

public:
    ActionDialog(Desk *desk, CardAction action, const SimCard &card,
        std::optional<Customer> customer, QWidget *parent = nullptr);

    CardAction action() const { return m_action; }
    const SimCard &card() const { return m_card; }
    // True when the dialog closed because the user asked to reload a card changed elsewhere.
    bool reloadRequested() const { return m_reloadRequested; }
    // The card changed after the dialog opened (the page read it again): says so with Reload,
    // and nothing is offered that would be refused as stale.
    void showStale(const simdesk::Error &error);
    // Delay between the last key typed and the search or code check (tests set 0).
    void setDebounceInterval(int ms);
    // "New customer…" (Reserve, Activate, Assign customer; support): EditCustomerDialog in
    // create mode over this dialog; the customer saved there is found and selected here.
    // Returns that dialog (tests drive it), or nullptr when not offered.
    QDialog *createCustomer();

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
    void setUpText();
    void setUpFields();
    void loadTariffs();
    void searchCustomers();
    void showCustomers(const QList<Customer> &customers, const QString &search);
    void updateOk();
    void showError(const Error &error);
    std::optional<qint64> selectedCustomer() const;
    std::optional<qint64> selectedTariff() const;
    bool needsCustomer() const { return cardActionRequirements(m_action).customer; }
    bool needsTariff() const { return cardActionRequirements(m_action).tariff; }
    bool needsReason() const { return cardActionRequirements(m_action).reason; }
    bool takesCode() const { return m_action == CardAction::Activate; }
    bool needsConfirmation() const { return m_action == CardAction::Terminate; }
    QString confirmationDigits() const { return m_card.iccid.right(4); }

    Ui::ActionDialog m_ui;
    Desk *m_desk;
    CardAction m_action;
    SimCard m_card;
    std::optional<Customer> m_customer;
    QTimer m_searchTimer;
    quint64 m_searchGeneration = 0;
    ActivationCodeCheck *m_code = nullptr; // Activate only
    std::optional<qint64> m_created; // a customer made here: selected when the search returns
    bool m_busy = false;
    bool m_stale = false;
    bool m_reloadRequested = false;
};

} // namespace simdesk
