// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "aboutdialog.h"
#include "account/accountpage.h"
#include "audit/auditlogpage.h"
#include "common/desk.h"
#include "common/errorview.h"
#include "dashboard/dashboardpage.h"
#include "db/changelistener.h"
#include "imports/importcontroller.h"
#include "imports/importspage.h"
#include "sims/bulkactiondialog.h"
#include "sims/newsimdialog.h"
#include "sims/simdetailpage.h"
#include "sims/simspage.h"
#include "staff/staffpage.h"
#include "tariffs/tariffspage.h"

#include <QCloseEvent>
#include <QLocale>
#include <QMessageBox>
#include <QShortcut>

namespace simdesk {

MainWindow::MainWindow(ConnectionSettings settings, SessionInfo session, QWidget *parent)
    : QMainWindow(parent)
    , m_desk(new Desk(std::move(settings), std::move(session), this))
{
    m_ui.setupUi(this);
    if (const QByteArray geometry = m_desk->settings()->windowGeometry(); !geometry.isEmpty())
        restoreGeometry(geometry);
    m_ui.connectionBanner->hide();
    setFrameTone(m_ui.connectionBanner, Tone::Error);
    m_ui.navigationList->hide(); // until connected: there is nothing to navigate yet
    m_ui.topBar->hide();
    addPage(QStringLiteral("overview"), tr("Overview"), m_ui.overviewPage);
    // The side bar always navigates: also when its current row is clicked again (SIM cards
    // while a card is open shows the list).
    connect(m_ui.navigationList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (QListWidgetItem *item = m_ui.navigationList->item(row))
            showPage(item->data(Qt::UserRole).toString());
    });
    connect(m_ui.navigationList, &QListWidget::itemClicked, this,
        [this](QListWidgetItem *item) { showPage(item->data(Qt::UserRole).toString()); });
    connect(m_ui.findAction, &QAction::triggered, this, [this] {
        m_ui.globalSearchEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui.globalSearchEdit->selectAll();
    });
    // A barcode scanner types the digits and Enter into the focused field.
    connect(m_ui.globalSearchEdit, &QLineEdit::returnPressed, this,
        [this] { findCard(m_ui.globalSearchEdit->text()); });
    m_serverLabel = new QLabel(this);
    m_serverLabel->setObjectName(QStringLiteral("serverLabel"));
    m_ui.statusBar->addPermanentWidget(m_serverLabel);
    m_liveLabel = new QLabel(this);
    m_liveLabel->setObjectName(QStringLiteral("liveLabel"));
    m_ui.statusBar->addPermanentWidget(m_liveLabel);
    if (const SessionInfo &s = m_desk->session(); s.role) {
        auto *who = new QLabel(
            tr("Signed in as %1 (%2)").arg(s.displayName, staffRoleDisplayName(*s.role)), this);
        who->setObjectName(QStringLiteral("sessionLabel"));
        m_ui.statusBar->addPermanentWidget(who);
        m_ui.accountMenu->setTitle(tr("&Account: %1").arg(s.login));
    }
    connect(m_ui.logoutAction, &QAction::triggered, this, &MainWindow::loggedOut);
    connect(m_ui.accountAction, &QAction::triggered, this, &MainWindow::showAccount);
    m_ui.statusTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ui.statusTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    connect(m_ui.refreshAction, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_ui.retryButton, &QPushButton::clicked, this, &MainWindow::refresh);
    connect(m_ui.quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_ui.aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

MainWindow::~MainWindow()
{
    delete m_listener;
    delete m_detailPage;
    // The pages keep their state in the desk's settings as they go: before the desk does.
    delete m_simsPage;
}

const SessionInfo &MainWindow::session() const
{
    return m_desk->session();
}

void MainWindow::refresh()
{
    if (m_detailPage && m_ui.pages->currentWidget() == m_detailPage) {
        m_detailPage->reload();
        return;
    }
    if (m_refreshing)
        return;
    m_refreshing = true;
    m_ui.refreshAction->setEnabled(false);
    m_ui.retryButton->setEnabled(false);
    m_ui.statusBar->showMessage(tr("Loading…"));
    if (m_ui.pages->currentWidget() == m_ui.errorPage)
        m_ui.pages->setCurrentWidget(m_ui.loadingPage);
    m_desk->runner()->run<Overview>(this, &readOverview, [this](const Result<Overview> &result) {
        m_refreshing = false;
        if (result)
            showOverview(*result);
        else
            showError(result.error());
        m_ui.refreshAction->setEnabled(true);
        m_ui.retryButton->setEnabled(true);
        emit refreshed();
    });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_imports && !m_imports->confirmClose()) {
        event->ignore(); // the user keeps the import running
        return;
    }
    m_desk->settings()->setWindowGeometry(saveGeometry());
    if (QListWidgetItem *item = m_ui.navigationList->currentItem())
        m_desk->settings()->setLastPage(item->data(Qt::UserRole).toString());
    QMainWindow::closeEvent(event);
}

void MainWindow::addPage(const QString &key, const QString &title, QWidget *page)
{
    if (m_ui.pages->indexOf(page) < 0)
        m_ui.pages->addWidget(page);
    m_pageByKey.insert(key, page);
    auto *item = new QListWidgetItem(title, m_ui.navigationList);
    item->setData(Qt::UserRole, key);
    const int number = m_ui.navigationList->count();
    if (number <= 9) {
        item->setToolTip(tr("%1 (Ctrl+%2)").arg(title).arg(number));
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + number)), this);
        connect(shortcut, &QShortcut::activated, this, [this, number] {
            QListWidgetItem *item = m_ui.navigationList->item(number - 1);
            if (m_ui.navigationList->isVisible() && item)
                showPage(item->data(Qt::UserRole).toString());
        });
    }
}

void MainWindow::showPage(const QString &key)
{
    QWidget *page = m_pageByKey.value(key);
    if (!page)
        return;
    m_ui.pages->setCurrentWidget(page);
    for (int i = 0; i < m_ui.navigationList->count(); ++i) {
        if (m_ui.navigationList->item(i)->data(Qt::UserRole).toString() == key
            && m_ui.navigationList->currentRow() != i) {
            const QSignalBlocker block(m_ui.navigationList);
            m_ui.navigationList->setCurrentRow(i);
        }
    }
}

void MainWindow::ensureWorkPages()
{
    if (m_simsPage)
        return;
    createSimPages();
    // Imports: the page, File › Import SIM cards… (Ctrl+I), drops on the window.
    m_imports = new ImportController(m_desk, this);
    addPage(QStringLiteral("imports"), tr("Imports"), m_imports->page());
    connect(m_imports, &ImportController::showCardsRequested, this, [this](qint64 batchId) {
        SimListFilter filter;
        filter.importBatchId = batchId;
        showSims(filter);
    });
    connect(m_simsPage, &SimsPage::importRequested, m_imports, &ImportController::chooseAndImport);
    auto *findInList = new QShortcut(QKeySequence::Find, this);
    connect(findInList, &QShortcut::activated, this, [this] {
        showPage(QStringLiteral("sims"));
        m_simsPage->focusSearch();
    });
    createDashboard();
    createAdministration();
    m_ui.navigationList->show();
    m_ui.topBar->show();
    startListener();
    const QString last = m_desk->settings()->lastPage();
    showPage(m_pageByKey.contains(last) ? last : QStringLiteral("dashboard"));
}

void MainWindow::createSimPages()
{
    m_simsPage = new SimsPage(m_desk, this);
    m_simsPage->setObjectName(QStringLiteral("simsPage"));
    addPage(QStringLiteral("sims"), tr("SIM cards"), m_simsPage);
    connect(m_simsPage, &SimsPage::openCard, this, &MainWindow::cardRequested);
    // The detail of one card: reached from the list or the search, not from the navigation.
    m_detailPage = new SimDetailPage(m_desk, this);
    m_detailPage->setObjectName(QStringLiteral("simDetailPage"));
    m_ui.pages->addWidget(m_detailPage);
    m_pageByKey.insert(QStringLiteral("sim"), m_detailPage);
    connect(this, &MainWindow::cardRequested, this, &MainWindow::showCard);
    connect(m_detailPage, &SimDetailPage::cardRequested, this, &MainWindow::showCard);
    connect(m_detailPage, &SimDetailPage::closeRequested, this,
        [this] { showPage(QStringLiteral("sims")); });
    // There is no customers page yet: a customer opens as the list of their cards.
    connect(m_detailPage, &SimDetailPage::customerRequested, this, [this](qint64 customerId) {
        SimListFilter filter;
        filter.customerId = customerId;
        showSims(filter);
    });
    connect(m_simsPage, &SimsPage::bulkRequested, this, &MainWindow::runBulkAction);
    connect(m_simsPage, &SimsPage::createRequested, this, [this] {
        auto *dialog = new NewSimDialog(m_desk, this);
        dialog->setObjectName(QStringLiteral("newSimDialog"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &NewSimDialog::created, this, [this](qint64 id) {
            m_desk->hub()->changedHere(Topic::Cards, { { id }, false });
            showCard(id);
        });
        dialog->open();
    });
}

void MainWindow::createDashboard()
{
    // The first page of the navigation, and the one shown after sign-in unless the user left
    // another one open.
    m_dashboardPage = new DashboardPage(m_desk, this);
    m_dashboardPage->setObjectName(QStringLiteral("dashboardPage"));
    addPage(QStringLiteral("dashboard"), tr("Dashboard"), m_dashboardPage);
    // First in the list: Ctrl+1 (the shortcuts follow the rows; the tooltips say so).
    QListWidget *nav = m_ui.navigationList;
    const QSignalBlocker block(nav);
    nav->insertItem(0, nav->takeItem(nav->count() - 1));
    for (int i = 0; i < nav->count() && i < 9; ++i)
        nav->item(i)->setToolTip(tr("%1 (Ctrl+%2)").arg(nav->item(i)->text()).arg(i + 1));
    connect(m_dashboardPage, &DashboardPage::simsRequested, this, &MainWindow::showSims);
}

void MainWindow::createAdministration()
{
    m_tariffsPage = new TariffsPage(m_desk, this);
    m_tariffsPage->setObjectName(QStringLiteral("tariffsPage"));
    addPage(QStringLiteral("tariffs"), tr("Tariff plans"), m_tariffsPage);
    // Every role reads the audit log; nothing on it changes anything.
    m_auditLogPage = new AuditLogPage(m_desk, this);
    m_auditLogPage->setObjectName(QStringLiteral("auditLogPage"));
    addPage(QStringLiteral("audit"), tr("Audit log"), m_auditLogPage);
    connect(m_auditLogPage, &AuditLogPage::cardRequested, this, &MainWindow::showCard);
    // What a role may not do is not offered: support and viewers do not see the staff page.
    if (!m_desk->roleAllows(StaffRole::Admin))
        return;
    m_staffPage = new StaffPage(m_desk, this);
    m_staffPage->setObjectName(QStringLiteral("staffPage"));
    addPage(QStringLiteral("staff"), tr("Staff"), m_staffPage);
}

AccountPage *MainWindow::showAccount()
{
    if (!m_accountPage) {
        m_accountPage = new AccountPage(m_desk, this);
        m_accountPage->setObjectName(QStringLiteral("accountPage"));
        m_ui.pages->addWidget(m_accountPage);
        m_pageByKey.insert(QStringLiteral("account"), m_accountPage);
        connect(m_accountPage, &AccountPage::signOutRequested, this, &MainWindow::loggedOut);
    }
    showPage(QStringLiteral("account"));
    // Not a page of the navigation: nothing there is current while it is shown.
    const QSignalBlocker block(m_ui.navigationList);
    m_ui.navigationList->setCurrentRow(-1);
    return m_accountPage;
}

void MainWindow::startListener()
{
    // One connection of its own that LISTENs for changes made anywhere; this window's own
    // connections' notifications are left out (the window shows its changes itself).
    m_listener = new ChangeListener(
        m_desk->connection(), ChangeListener::Options(), m_desk->runner()->sessions(), this);
    connect(m_listener, &ChangeListener::cardsChanged, this,
        [this](const QSet<qint64> &ids, bool everything) {
            m_desk->hub()->changedElsewhere(Topic::Cards, { ids, everything });
        });
    connect(m_listener, &ChangeListener::connectionLost, this, [this] { setLive(false); });
    connect(m_listener, &ChangeListener::reconnected, this, [this] {
        setLive(true);
        // Notifications are not replayed: every page reads everything again.
        m_desk->hub()->everythingChanged();
    });
    connect(m_listener, &ChangeListener::stateChanged, this,
        [this](ChangeListener::State state) { showListenerState(int(state)); });
    m_listener->start();
}

void MainWindow::showListenerState(int state)
{
    switch (ChangeListener::State(state)) {
    case ChangeListener::State::Live:
        m_liveLabel->setText(tr("● Live"));
        setTextTone(m_liveLabel, Tone::Success);
        m_liveLabel->setToolTip(
            tr("Changes made on other workstations show here within a second."));
        break;
    case ChangeListener::State::Connecting:
    case ChangeListener::State::Reconnecting:
        m_liveLabel->setText(tr("● Reconnecting…"));
        setTextTone(m_liveLabel, Tone::Error);
        m_liveLabel->setToolTip(tr("The connection was lost; SimDesk tries again by itself."));
        break;
    case ChangeListener::State::Stopped:
        m_liveLabel->clear();
        break;
    }
}

void MainWindow::showCard(qint64 simId)
{
    ensureWorkPages();
    m_detailPage->showCard(simId);
    m_ui.pages->setCurrentWidget(m_detailPage);
    // The navigation keeps "SIM cards" selected: the detail belongs to it.
    for (int i = 0; i < m_ui.navigationList->count(); ++i) {
        if (m_ui.navigationList->item(i)->data(Qt::UserRole).toString() == QLatin1String("sims")) {
            const QSignalBlocker block(m_ui.navigationList);
            m_ui.navigationList->setCurrentRow(i);
        }
    }
}

void MainWindow::setLive(bool live)
{
    m_ui.connectionBanner->setVisible(!live);
    m_desk->setLive(live); // pages and dialogs disable what changes the database
    emit liveChanged(live);
}

void MainWindow::runBulkAction(CardAction action)
{
    auto collect = [this, action](const QList<qint64> &ids) {
        auto *dialog = new BulkActionDialog(m_desk, action, ids, this);
        dialog->setObjectName(QStringLiteral("bulkActionDialog"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &BulkActionDialog::applied, this, [this, dialog] {
            QSet<qint64> changed;
            for (const BulkOutcome &o : dialog->result().outcomes) {
                if (o.done())
                    changed.insert(o.simId);
            }
            m_desk->hub()->changedHere(Topic::Cards, { changed, false });
        });
        dialog->open();
    };
    if (!m_simsPage->allMatchingSelected()) {
        collect(m_simsPage->selectedIds());
        return;
    }
    // Every card of the filter: their ids first, off the GUI thread.
    const SimListFilter filter = m_simsPage->currentFilter();
    m_desk->runner()->run<QList<qint64>>(
        this,
        [filter](QSqlDatabase db) { return SimListQuery(db).matchingIds(filter, kMaxBulkCards); },
        [this, collect](const Result<QList<qint64>> &ids) {
            if (!ids) {
                QMessageBox::warning(this, tr("Bulk action"), ErrorView::fullText(ids.error()));
                return;
            }
            collect(*ids);
        });
}

void MainWindow::showSims(const SimListFilter &filter)
{
    ensureWorkPages();
    m_simsPage->setFilter(filter);
    showPage(QStringLiteral("sims"));
}

void MainWindow::findCard(const QString &text)
{
    const QStringList lines = SimListQuery::splitIdentifierList(text);
    if (lines.isEmpty())
        return;
    SimListFilter filter;
    if (lines.size() == 1)
        filter.search = lines.first();
    else
        filter.identifiers = lines;
    const quint64 generation = ++m_searchGeneration;
    m_ui.globalSearchStatus->setText(tr("Searching…"));
    m_desk->runner()->run<SimListPage>(
        this,
        // Two rows tell one match from several.
        [filter](QSqlDatabase db) { return SimListQuery(db).firstPage(filter, {}, 2); },
        [this, filter, generation](const Result<SimListPage> &page) {
            if (generation != m_searchGeneration)
                return; // a newer search is on its way
            if (!page) {
                m_ui.globalSearchStatus->setText(page.error().message());
            } else if (page->rows.isEmpty()) {
                m_ui.globalSearchStatus->setText(
                    tr("No card matches “%1”.").arg(m_ui.globalSearchEdit->text().trimmed()));
            } else if (page->rows.size() == 1) {
                m_ui.globalSearchStatus->clear();
                m_ui.globalSearchEdit->clear();
                emit cardRequested(page->rows.first().id);
            } else {
                m_ui.globalSearchStatus->clear();
                m_ui.globalSearchEdit->clear();
                showSims(filter);
            }
            emit searchFinished();
        });
}

void MainWindow::showOverview(const Overview &overview)
{
    const QLocale locale;
    m_ui.connectionLabel->setText(
        tr("Connected to %1 · schema version %2").arg(overview.server).arg(overview.schemaVersion));
    m_ui.statusTable->setRowCount(int(overview.counts.size()));
    qint64 total = 0;
    int row = 0;
    for (auto it = overview.counts.cbegin(); it != overview.counts.cend(); ++it, ++row) {
        auto *name = new QTableWidgetItem(statusDisplayName(it.key()));
        name->setData(Qt::UserRole, statusKey(it.key()));
        auto *count = new QTableWidgetItem(locale.toString(it.value()));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_ui.statusTable->setItem(row, 0, name);
        m_ui.statusTable->setItem(row, 1, count);
        total += it.value();
    }
    m_ui.totalLabel->setText(tr("Total: %1 SIM cards").arg(locale.toString(total)));
    m_serverLabel->setText(overview.server);
    // The first time the pages are made and load themselves; after that F5 reads every page
    // again (the hidden ones when they are next shown).
    if (m_simsPage)
        m_desk->hub()->everythingChanged();
    else
        ensureWorkPages();
    if (m_ui.pages->currentWidget() == m_ui.loadingPage
        || m_ui.pages->currentWidget() == m_ui.errorPage)
        showPage(QStringLiteral("overview"));
    m_ui.statusBar->showMessage(
        tr("Updated %1").arg(locale.toString(QTime::currentTime(), QLocale::ShortFormat)));
}

void MainWindow::showError(const Error &error)
{
    m_ui.errorLabel->setText(error.message());
    m_ui.errorDetailLabel->setText(error.detail);
    m_ui.errorDetailLabel->setVisible(!error.detail.isEmpty());
    m_ui.pages->setCurrentWidget(m_ui.errorPage);
    m_ui.statusBar->showMessage(tr("Not connected"));
}

void MainWindow::showAbout()
{
    AboutDialog(m_desk->runner(), this).exec();
}

} // namespace simdesk
