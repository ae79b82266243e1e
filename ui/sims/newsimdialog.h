// SPDX-License-Identifier: MIT
#pragma once

#include "domain/simcard.h"
#include "ui_newsimdialog.h"

#include <QDialog>

namespace simdesk {

class Desk;

// Admin: creates one SIM card. Every field is checked by core's rules as it is typed (the
// message under the field says what is wrong, or how the value will be stored); the card is
// created off the GUI thread, and a refusal of the database (a duplicate ICCID or MSISDN) is
// shown in the dialog, which stays open.
class NewSimDialog : public QDialog
{
    Q_OBJECT

public:
    explicit NewSimDialog(Desk *desk, QWidget *parent = nullptr);

    // The created card, after acceptance.
    const SimCard &card() const { return m_card; }

public slots:
    void accept() override;

signals:
    void created(qint64 simId);

private:
    bool validate();

    Ui::NewSimDialog m_ui;
    Desk *m_desk;
    SimCard m_card;
    bool m_saving = false;
};

} // namespace simdesk
