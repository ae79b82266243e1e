// SPDX-License-Identifier: MIT
#pragma once

#include "domain/simcard.h"
#include "ui_editsimdialog.h"

#include <QDialog>

namespace simdesk {

class Desk;

// Administrators correct a card's identifiers (ICCID, MSISDN, IMSI, type). Every field is
// checked by core's rules as it is typed, with the message under the field; OK stays disabled
// until everything is valid and something changed. Saved against the version shown: a card
// changed elsewhere meanwhile is refused ("changed by X at T") and the dialog offers Reload.
class EditSimDialog : public QDialog
{
    Q_OBJECT

public:
    EditSimDialog(Desk *desk, const SimCard &card, QWidget *parent = nullptr);

    const SimCard &card() const { return m_card; }
    bool reloadRequested() const { return m_reloadRequested; }
    // The card changed after the dialog opened (the page read it again): says so with Reload,
    // and nothing is offered that would be refused as stale.
    void showStale(const simdesk::Error &error);

public slots:
    void accept() override;
    // Esc and Cancel close the dialog, except while the change is on its way to the database:
    // its outcome must reach the page.
    void reject() override;

signals:
    void saveFinished(bool ok);

private:
    // Validates every field, shows the messages and returns the edit (empty when invalid).
    std::optional<SimCardEdit> validate();

    Ui::EditSimDialog m_ui;
    Desk *m_desk;
    SimCard m_card;
    bool m_busy = false;
    bool m_stale = false;
    bool m_reloadRequested = false;
};

} // namespace simdesk
