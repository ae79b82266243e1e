// SPDX-License-Identifier: MIT
#pragma once

#include "common/activationcodecheck.h"
#include "domain/customer.h"
#include "sims/simlistmodel.h"
#include "ui_assignsimdialog.h"

#include <QDialog>
#include <QTimer>

namespace simdesk {

class Desk;

// Assign SIM from a customer's page: find available or reserved cards (scan an ICCID, type its
// first or last digits or an MSISDN, paste a list of identifiers or give an ICCID range, with
// the SIM list's own dialogs and filters; several may be selected), then reserve them for the
// customer or activate them at once on a tariff that fits the first selected card, with an
// optional activation code checked as it is typed (ActivationCodeCheck). One set-based action
// for all selected cards; the database decides for each and the dialog says what it refused.
class AssignSimDialog : public QDialog
{
    Q_OBJECT

public:
    AssignSimDialog(Desk *desk, const Customer &customer, QWidget *parent = nullptr);

    SimListModel *model() { return &m_cards; }
    QList<qint64> selectedIds() const;
    // Shows the cards of a pasted list (the lines as PasteListDialog splits them) or of an
    // ICCID range (normalised ends, either may be empty), available or reserved only; the
    // buttons open the SIM list's dialogs for them. Returns the dialog for tests.
    QDialog *pasteList();
    QDialog *chooseIccidRange();
    void setIdentifiers(const QStringList &lines);
    void setIccidRange(const QString &first, const QString &last);
    ActivationCodeCheck *codeCheck() { return m_code; }
    void setDebounceInterval(int ms);

public slots:
    void accept() override;
    void reject() override;

signals:
    // Cards reserved or activated for the customer (those the database accepted).
    void assigned(const QList<qint64> &simIds);
    // What a pasted list named and where its lines went has been said (tests wait for it).
    void listChecked();

private:
    void search();
    void selectionChanged();
    void loadTariffs(SimType type);
    void updateOk();
    void showList();
    void activateWithCode();
    void checkList(const QStringList &lines);
    SimListFilter filter() const;
    bool allSelected() const;

    Ui::AssignSimDialog m_ui;
    Desk *m_desk;
    Customer m_customer;
    SimListModel m_cards;
    QTimer m_debounce;
    ActivationCodeCheck *m_code = nullptr;
    QStringList m_identifiers; // a pasted list, or empty
    QString m_iccidFirst; // an ICCID range; both empty: none
    QString m_iccidLast;
    QString m_listNote; // what a pasted list's check found (lines not found or not assignable)
    std::optional<SimType> m_tariffType; // the card type the tariffs were read for
    bool m_busy = false;
    bool m_selectAllWhenLoaded = false; // a new list or range: select its cards once shown
};

} // namespace simdesk
