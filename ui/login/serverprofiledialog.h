// SPDX-License-Identifier: MIT
#pragma once

#include "common/appsettings.h"
#include "ui_serverprofiledialog.h"

#include <QDialog>
#include <QStringList>

namespace simdesk {

// Adds or edits one server profile of the sign-in dialog: its name, where the server is, and how
// its TLS certificate is checked. Accepted only with a name that no other profile has.
class ServerProfileDialog : public QDialog
{
    Q_OBJECT

public:
    // `taken`: the names of the other profiles.
    ServerProfileDialog(const ServerProfile &profile, QStringList taken, QWidget *parent = nullptr);

    // The profile as edited (its last login kept).
    ServerProfile profile() const;

public slots:
    void accept() override;

private:
    Ui::ServerProfileDialog m_ui;
    ServerProfile m_profile;
    QStringList m_taken;
};

} // namespace simdesk
