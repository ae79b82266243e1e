// SPDX-License-Identifier: MIT
#include "importcontroller.h"

#include "common/desk.h"
#include "importspage.h"
#include "importwizard.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QUrl>

#include <algorithm>

namespace simdesk {

ImportController::ImportController(Desk *desk, QMainWindow *window)
    : QObject(window)
    , m_desk(desk)
    , m_window(window)
{
    m_page = new ImportsPage(m_desk, window);
    m_page->setObjectName(QStringLiteral("importsPage"));
    connect(m_page, &ImportsPage::importRequested, this, &ImportController::chooseAndImport);
    connect(m_page, &ImportsPage::showCardsRequested, this, &ImportController::showCardsRequested);

    m_action = new QAction(tr("&Import SIM cards…"), window);
    m_action->setObjectName(QStringLiteral("importAction"));
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_action->setShortcutContext(Qt::WindowShortcut);
    connect(m_action, &QAction::triggered, this, &ImportController::chooseAndImport);
    // Only administrators may import: nobody else is offered it (no menu entry, no Ctrl+I, no
    // drop), rather than being refused afterwards.
    if (!m_desk->roleAllows(StaffRole::Admin))
        return;
    window->addAction(m_action);
    if (auto *file = window->findChild<QMenu *>(QStringLiteral("fileMenu"))) {
        const QList<QAction *> actions = file->actions();
        file->insertAction(actions.isEmpty() ? nullptr : actions.first(), m_action);
    }
    // Offline the action stays in the menu but says why it cannot run; a wizard already open
    // waits for the connection by itself.
    connect(m_desk, &Desk::liveChanged, this, &ImportController::showLive);
    showLive(m_desk->isLive());

    // Anywhere on the window: the application's filter sees the drag before the widget under
    // the cursor (a line edit would otherwise take the file's path as text).
    window->setAcceptDrops(true);
    qApp->installEventFilter(this);
}

void ImportController::showLive(bool live)
{
    m_action->setEnabled(live);
    m_action->setText(live ? tr("&Import SIM cards…") : tr("&Import SIM cards… (offline)"));
    m_action->setToolTip(live ? tr("Import SIM cards from a CSV or vendor file (Ctrl+I)")
                              : tr("The database is offline: importing is possible again as "
                                   "soon as the connection is back."));
}

ImportController::~ImportController()
{
    qApp->removeEventFilter(this);
}

ImportWizard *ImportController::wizard() const
{
    return m_wizard.data();
}

QStringList ImportController::importableFiles(const QMimeData *mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString suffix = QFileInfo(url.toLocalFile()).suffix().toLower();
        if (suffix == QLatin1String("csv") || suffix == QLatin1String("out")
            || suffix == QLatin1String("txt"))
            files.append(url.toLocalFile());
    }
    return files;
}

bool ImportController::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type type = event->type();
    if (type != QEvent::DragEnter && type != QEvent::DragMove && type != QEvent::Drop)
        return false;
    auto *widget = qobject_cast<QWidget *>(watched);
    if (!widget || widget->window() != m_window)
        return false;
    auto *drop = static_cast<QDropEvent *>(event);
    const QStringList files = importableFiles(drop->mimeData());
    if (files.isEmpty() || !m_desk->isLive())
        return false; // offline: the cursor says the drop is not taken
    if (type == QEvent::Drop) {
        drop->acceptProposedAction();
        importFiles(files);
    } else {
        drop->acceptProposedAction();
    }
    return true;
}

void ImportController::chooseAndImport()
{
    if (!m_desk->roleAllows(StaffRole::Admin)) {
        importFiles({}); // says who may
        return;
    }
    if (!m_desk->isLive())
        return; // the action and the buttons say "offline"
    const QStringList files = QFileDialog::getOpenFileNames(m_window, tr("Import SIM cards"),
        QString(), tr("SIM card files (*.csv *.out *.txt);;All files (*)"));
    if (!files.isEmpty())
        importFiles(files);
}

void ImportController::importFiles(const QStringList &paths)
{
    if (!m_desk->roleAllows(StaffRole::Admin)) {
        const std::optional<StaffRole> role = m_desk->session().role;
        const QString message
            = tr("Only administrators may import SIM cards; you are signed in as %1. Ask an "
                 "administrator to import %2.")
                  .arg(role ? staffRoleDisplayName(*role) : tr("viewer"),
                      paths.isEmpty()
                          ? tr("the file")
                          : QStringLiteral("“%1”").arg(QFileInfo(paths.first()).fileName()));
        auto *box = new QMessageBox(
            QMessageBox::Information, tr("Import SIM cards"), message, QMessageBox::Ok, m_window);
        box->setObjectName(QStringLiteral("importRefusedMessage"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        emit refused(message);
        return;
    }
    m_queue.append(paths);
    if (!m_wizard)
        openNext();
}

void ImportController::openNext()
{
    if (m_queue.isEmpty())
        return;
    const QString path = m_queue.takeFirst();
    auto *wizard = new ImportWizard(m_desk, path, m_window);
    wizard->setObjectName(QStringLiteral("importWizard"));
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    m_wizard = wizard;
    connect(wizard, &ImportWizard::imported, m_page, [this](qint64 batchId) {
        m_page->selectBatch(batchId); // shown when the page reloads for the change below
        // The import's own connection is this window's: its notifications are not reported,
        // so the change is told here, once, to every page that shows cards or imports.
        m_desk->hub()->changedHere(Topic::Cards, Change::all());
    });
    connect(wizard, &ImportWizard::showCardsRequested, this, &ImportController::showCardsRequested);
    connect(wizard, &QDialog::finished, this, [this] {
        m_wizard = nullptr;
        openNext(); // the next dropped file, if any
    });
    // The preview wants the room, up to 1100×680; never more than the window or the screen
    // (down to 1024×768) leaves.
    const QRect screen = m_window->screen()->availableGeometry();
    wizard->resize(std::min({ 1100, m_window->width() - 40, screen.width() - 40 }),
        std::min({ 680, m_window->height() - 40, screen.height() - 40 }));
    wizard->open();
}

bool ImportController::confirmClose()
{
    if (!m_wizard || !m_wizard->isBusy())
        return true;
    QMessageBox ask(QMessageBox::Question, tr("Import running"),
        tr("An import of “%1” is still running. Cancel it and quit? Nothing of it will be "
           "kept.")
            .arg(QFileInfo(m_wizard->path()).fileName()),
        QMessageBox::NoButton, m_window);
    ask.setObjectName(QStringLiteral("closeDuringImportQuestion"));
    QPushButton *quit = ask.addButton(tr("Cancel the import and &quit"), QMessageBox::AcceptRole);
    ask.addButton(tr("&Keep importing"), QMessageBox::RejectRole);
    ask.exec();
    if (ask.clickedButton() != quit)
        return false;
    m_queue.clear();
    if (m_wizard) {
        m_wizard->cancelAndWait();
        m_wizard->close();
    }
    return true;
}

} // namespace simdesk
