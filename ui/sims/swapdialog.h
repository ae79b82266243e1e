// SPDX-License-Identifier: MIT
#pragma once

#include "domain/customer.h"
#include "domain/simcard.h"
#include "domain/tariffplan.h"
#include "services/lifecycleservice.h"
#include "ui_swapdialog.h"

#include <QDialog>
#include <QListWidgetItem>
#include <QTimer>

#include <optional>

namespace simdesk {

class Desk;

// The swap: takes the new card by scanning or typing its ICCID (separators are
// fine; core normalises it) or by searching — a part of an ICCID, MSISDN or IMSI lists the
// cards that could take over the number, to pick from — shows exactly what moves (number, customer,
// tariff) and what becomes of the old card (terminated, or lost/stolen), and asks for the reason.
// The swap runs as one transaction in the database; accepted once it is done, result() says how it
// ended.
class SwapDialog : public QDialog
{
    Q_OBJECT

public:
    SwapDialog(Desk *desk, const SimCard &oldCard, std::optional<Customer> customer,
        std::optional<TariffPlan> tariff, QWidget *parent = nullptr);

    const SwapResult &result() const { return m_result; }
    bool reloadRequested() const { return m_reloadRequested; }
    // The card changed after the dialog opened (the page read it again): says so with Reload,
    // and nothing is offered that would be refused as stale.
    void showStale(const simdesk::Error &error);
    void setDebounceInterval(int ms) { m_lookupTimer.setInterval(ms); }

public slots:
    void accept() override;
    // Esc and Cancel close the dialog, except while the change is on its way to the database:
    // its outcome must reach the page.
    void reject() override;

signals:
    void newCardChecked(bool usable); // a lookup of the typed ICCID has finished
    void candidatesListed(int count); // a search for part of an identifier has finished
    void swapFinished(bool ok);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void lookUp();
    // The first cards that could take over the number and whose identifiers start or end with
    // `digits`.
    void findCandidates(const QString &digits, quint64 generation);
    void pickCandidate(QListWidgetItem *item);
    void showMoves();
    void updateOk();
    void showError(const Error &error);

    Ui::SwapDialog m_ui;
    Desk *m_desk;
    SimCard m_old;
    std::optional<Customer> m_customer;
    std::optional<TariffPlan> m_tariff;
    std::optional<SimCard> m_new; // found and usable
    QTimer m_lookupTimer;
    quint64 m_lookupGeneration = 0;
    bool m_busy = false;
    bool m_stale = false;
    bool m_reloadRequested = false;
    SwapResult m_result;
};

} // namespace simdesk
