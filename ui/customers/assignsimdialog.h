// SPDX-License-Identifier: MIT
#pragma once

#include "domain/customer.h"
#include "sims/simlistmodel.h"
#include "ui_assignsimdialog.h"

#include <QDialog>
#include <QTimer>

namespace simdesk {

class Desk;

// Assign SIM from a customer's page: find available or reserved cards (scan an ICCID, type its
// first or last digits or an MSISDN; several may be selected), then reserve them for the
// customer or activate them at once on a tariff that fits the first selected card, with an
// optional activation code. One set-based action for all selected cards; the database decides
// for each and the dialog says what it refused.
class AssignSimDialog : public QDialog
{
    Q_OBJECT

public:
    AssignSimDialog(Desk *desk, const Customer &customer, QWidget *parent = nullptr);

    SimListModel *model() { return &m_cards; }
    QList<qint64> selectedIds() const;

public slots:
    void accept() override;
    void reject() override;

signals:
    // Cards reserved or activated for the customer (those the database accepted).
    void assigned(const QList<qint64> &simIds);

private:
    void search();
    void selectionChanged();
    void loadTariffs(SimType type);
    void updateOk();

    Ui::AssignSimDialog m_ui;
    Desk *m_desk;
    Customer m_customer;
    SimListModel m_cards;
    QTimer m_debounce;
    std::optional<SimType> m_tariffType; // the card type the tariffs were read for
    bool m_busy = false;
};

} // namespace simdesk
