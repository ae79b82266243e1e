// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/staff.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

class QAction;
class QMainWindow;
class QMimeData;

namespace simdesk {

class Desk;

class ImportWizard;
class ImportsPage;

// Everything that starts an import in the main window, kept out of MainWindow so that it needs
// only a few lines there: the Imports page, File › Import SIM cards… (Ctrl+I), CSV and .out
// files dropped anywhere on the window (the wizard, several files one after the other), and the
// question when the window closes during an import. Only administrators are offered any of it;
// while the database is offline the action is disabled and says so.
class ImportController : public QObject
{
    Q_OBJECT

public:
    ImportController(Desk *desk, QMainWindow *window);
    ~ImportController() override;

    ImportsPage *page() const { return m_page; }
    QAction *importAction() const { return m_action; }
    // The wizard open now, if any.
    ImportWizard *wizard() const;
    // Files waiting for the wizard (dropped together).
    QStringList queue() const { return m_queue; }

    // The files of a drag that the wizard takes (.csv, .txt, .out), local only.
    static QStringList importableFiles(const QMimeData *mime);
    // Opens the wizard on each file in turn (admins), or says who may import.
    void importFiles(const QStringList &paths);
    // Before the window closes: true when it may (no import running, or the user agreed and it
    // has been cancelled, nothing written).
    bool confirmClose();

public slots:
    // Asks for a file, then importFiles().
    void chooseAndImport();

signals:
    void showCardsRequested(qint64 batchId);
    // A file was refused because of the role (tests wait for it).
    void refused(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void openNext();
    void showLive(bool live);

    Desk *m_desk;
    QMainWindow *m_window;
    ImportsPage *m_page = nullptr;
    QAction *m_action = nullptr;
    QPointer<ImportWizard> m_wizard;
    QStringList m_queue;
};

} // namespace simdesk
