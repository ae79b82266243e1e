// SPDX-License-Identifier: MIT
#pragma once

#include "db/dbrunner.h"
#include "ui_aboutdialog.h"

#include <QDialog>

namespace simdesk {

// Help › About: SimDesk's version (the one CMake declares, as in the packages), the Qt and libpq
// it runs with, the database server's version (asked for off the GUI thread over a connection
// of its own; the dialog shows "asking…" until then), the D3 compiled into the dashboard, and
// the licence.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    // Asks the server for its version on the window's runner.
    explicit AboutDialog(DbRunner *runner, QWidget *parent = nullptr);

    // The version of the D3 compiled into the resources, from the banner line of its file
    // ("// https://d3js.org v7.9.2 …"); empty when it cannot be read.
    static QString d3Version();

signals:
    // The server line is filled in (tests wait for it).
    void serverVersionShown();

private:
    Ui::AboutDialog m_ui;
};

} // namespace simdesk
