// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "aboutdialog.h"
#include "account/accountpage.h"
#include "audit/auditlogpage.h"
#include "codes/codespage.h"
#include "common/desk.h"
#include "common/errorview.h"
#include "customers/customerpage.h"
#include "customers/customerspage.h"
#include "customers/editcustomerdialog.h"
#include "dashboard/dashboardpage.h"
#include "db/changelistener.h"
#include "imports/importcontroller.h"
#include "imports/importspage.h"
#include "services/quickfind.h"
#include "sims/bulkactiondialog.h"
#include "sims/newsimdialog.h"
#include "sims/simdetailpage.h"
#include "sims/simspage.h"
#include "staff/staffpage.h"
#include "tariffs/tariffspage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QLocale>
#include <QMessageBox>
#include <QMouseEvent>
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
    m_ui.globalSearchStatus->setTextFormat(Qt::PlainText); // it repeats what was typed
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
    connect(m_ui.refreshAction, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_ui.retryButton, &QPushButton::clicked, this, &MainWindow::refresh);
    connect(m_ui.errorDetailsButton, &QToolButton::toggled, m_ui.errorDetailLabel,
        &QWidget::setVisible);
    connect(m_ui.quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_ui.aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    auto *back = new QAction(tr("Back"), this);
    back->setObjectName(QStringLiteral("backAction"));
    back->setShortcuts(QKeySequence::Back);
    back->setShortcutContext(Qt::WindowShortcut);
    connect(back, &QAction::triggered, this, &MainWindow::goBack);
    addAction(back);
    // The mouse's back button, wherever in the window it is pressed.
    qApp->installEventFilter(this);
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
            showConnected(*result);
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

MainWindow::Place MainWindow::currentPlace() const
{
    QWidget *shown = m_ui.pages->currentWidget();
    if (m_detailPage && shown == m_detailPage)
        return { QStringLiteral("sim"), m_detailPage->simId() };
    return { m_pageByKey.key(shown), 0 };
}

void MainWindow::rememberPlace(const Place &next)
{
    const Place here = currentPlace();
    if (here.key.isEmpty() || (here.key == next.key && here.simId == next.simId))
        return;
    m_backStack.append(here);
    if (m_backStack.size() > 50)
        m_backStack.removeFirst();
}

void MainWindow::goBack()
{
    if (m_backStack.isEmpty())
        return;
    const Place place = m_backStack.takeLast();
    const qsizetype depth = m_backStack.size();
    if (place.key == QLatin1String("sim"))
        showCard(place.simId);
    else
        showPage(place.key);
    m_backStack.resize(depth); // going back is not a step to go back from
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::MouseButtonRelease
        && static_cast<QMouseEvent *>(event)->button() == Qt::BackButton) {
        auto *widget = qobject_cast<QWidget *>(watched);
        if (widget && widget->window() == this) {
            goBack();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::showPage(const QString &key)
{
    QWidget *page = m_pageByKey.value(key);
    if (!page)
        return;
    rememberPlace({ key, 0 });
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
    createCustomerPages();
    createCodesPage();
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
    connect(m_detailPage, &SimDetailPage::customerRequested, this, &MainWindow::showCustomer);
    connect(m_simsPage, &SimsPage::bulkRequested, this, &MainWindow::runBulkAction);
    connect(m_simsPage, &SimsPage::exported, this, [this](const QString &path, qint64 rows) {
        m_ui.statusBar->showMessage(
            tr("Exported %1 SIM cards to %2")
                .arg(QLocale().toString(rows), QDir::toNativeSeparators(path)));
    });
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

void MainWindow::createCustomerPages()
{
    m_customersPage = new CustomersPage(m_desk, this);
    m_customersPage->setObjectName(QStringLiteral("customersPage"));
    addPage(QStringLiteral("customers"), tr("Customers"), m_customersPage);
    connect(m_customersPage, &CustomersPage::openCustomer, this, &MainWindow::showCustomer);
    connect(m_customersPage, &CustomersPage::createRequested, this, [this] {
        auto *dialog = new EditCustomerDialog(m_desk, {}, this);
        dialog->setObjectName(QStringLiteral("newCustomerDialog"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &EditCustomerDialog::saved, this, [this](const Customer &c) {
            m_desk->hub()->changedHere(Topic::Customers, { { c.id }, false });
            showCustomer(c.id);
        });
        dialog->open();
    });
    // One customer: reached from the list, a card's header or the search, not from the side bar.
    m_customerPage = new CustomerPage(m_desk, this);
    m_customerPage->setObjectName(QStringLiteral("customerPage"));
    m_ui.pages->addWidget(m_customerPage);
    m_pageByKey.insert(QStringLiteral("customer"), m_customerPage);
    connect(m_customerPage, &CustomerPage::cardRequested, this, &MainWindow::showCard);
    connect(m_customerPage, &CustomerPage::backRequested, this,
        [this] { showPage(QStringLiteral("customers")); });
    connect(m_customerPage, &CustomerPage::deleted, this,
        [this] { showPage(QStringLiteral("customers")); });
    connect(m_customerPage, &CustomerPage::simsRequested, this, [this](qint64 customerId) {
        SimListFilter filter;
        filter.customerId = customerId;
        showSims(filter);
    });
}

void MainWindow::createCodesPage()
{
    m_codesPage = new CodesPage(m_desk, this);
    m_codesPage->setObjectName(QStringLiteral("codesPage"));
    addPage(QStringLiteral("codes"), tr("Activation codes"), m_codesPage);
    connect(m_codesPage, &CodesPage::openCard, this, &MainWindow::showCard);
    connect(m_codesPage, &CodesPage::message, this,
        [this](const QString &text) { m_ui.statusBar->showMessage(text); });
}

void MainWindow::showCustomer(qint64 customerId)
{
    ensureWorkPages();
    m_customerPage->showCustomer(customerId);
    m_ui.pages->setCurrentWidget(m_customerPage);
    // The navigation keeps "Customers" selected: the customer belongs to it.
    for (int i = 0; i < m_ui.navigationList->count(); ++i) {
        if (m_ui.navigationList->item(i)->data(Qt::UserRole).toString()
            == QLatin1String("customers")) {
            const QSignalBlocker block(m_ui.navigationList);
            m_ui.navigationList->setCurrentRow(i);
        }
    }
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
    connect(m_auditLogPage, &AuditLogPage::customerRequested, this, &MainWindow::showCustomer);
    connect(m_auditLogPage, &AuditLogPage::tariffPlanRequested, this, [this](qint64 id) {
        showPage(QStringLiteral("tariffs"));
        m_tariffsPage->selectPlan(id);
    });
    connect(m_auditLogPage, &AuditLogPage::importBatchRequested, this, [this](qint64 id) {
        if (!m_imports)
            return;
        showPage(QStringLiteral("imports"));
        m_imports->page()->selectBatch(id);
    });
    connect(m_auditLogPage, &AuditLogPage::activationCodeRequested, this, [this](qint64 id) {
        showPage(QStringLiteral("codes"));
        m_codesPage->showCode(id);
    });
    connect(m_auditLogPage, &AuditLogPage::codeBatchRequested, this, [this](qint64 id) {
        showPage(QStringLiteral("codes"));
        m_codesPage->showBatch(id);
    });
    connect(m_auditLogPage, &AuditLogPage::staffRequested, this, [this](const QString &login) {
        if (!m_staffPage)
            return;
        showPage(QStringLiteral("staff"));
        m_staffPage->selectLogin(login);
    });
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
    connect(m_listener, &ChangeListener::recordsChanged, this,
        [this](const QString &kind, const QSet<qint64> &ids, bool everything) {
            if (kind == QLatin1String("customer"))
                m_desk->hub()->changedElsewhere(Topic::Customers, { ids, everything });
            // Batches have ids of their own: any batch change reloads the code list whole.
            else if (kind == QLatin1String("code"))
                m_desk->hub()->changedElsewhere(Topic::Codes, { ids, everything });
            else if (kind == QLatin1String("code_batch"))
                m_desk->hub()->changedElsewhere(Topic::Codes, Change::all());
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
    rememberPlace({ QStringLiteral("sim"), simId });
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
            m_simsPage->clearSelectionAfterBulkAction(int(changed.size()));
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
    if (SimListQuery::splitIdentifierList(text).isEmpty())
        return;
    const quint64 generation = ++m_searchGeneration;
    m_ui.globalSearchStatus->setText(tr("Searching…"));
    m_ui.globalSearchStatus->setToolTip({});
    m_desk->runner()->run<QuickFindHit>(
        this, [text](QSqlDatabase db) { return QuickFind::find(db, text); },
        [this, generation](const Result<QuickFindHit> &hit) {
            if (generation != m_searchGeneration)
                return; // a newer search is on its way
            if (!hit)
                m_ui.globalSearchStatus->setText(hit.error().message());
            else
                showFound(*hit);
            emit searchFinished();
        });
}

// What the global search says about an activation code that was used on no card.
QString MainWindow::codeStatusText(const ActivationCode &code)
{
    const QLocale locale;
    const QString expires = code.expiresAt
        ? locale.toString(code.expiresAt->toLocalTime(), QLocale::ShortFormat)
        : QString();
    QString status;
    switch (code.status) {
    case CodeStatus::Unused:
        status = expires.isEmpty() ? tr("Code %1: unused; it does not expire.").arg(code.code)
                                   : tr("Code %1: unused; expires %2.").arg(code.code, expires);
        break;
    case CodeStatus::Used:
        status = tr("Code %1: marked used on %2; it activated no card.")
                     .arg(code.code,
                         code.usedAt
                             ? locale.toString(code.usedAt->toLocalTime(), QLocale::ShortFormat)
                             : tr("an unknown date"));
        break;
    case CodeStatus::Expired:
        status = expires.isEmpty() ? tr("Code %1: expired.").arg(code.code)
                                   : tr("Code %1: expired on %2.").arg(code.code, expires);
        break;
    }
    return status;
}

void MainWindow::showFound(const QuickFindHit &hit)
{
    const QString typed = m_ui.globalSearchEdit->text().trimmed();
    // What was found is on screen now: the field is ready for the next search.
    auto done = [this] {
        m_ui.globalSearchStatus->clear();
        m_ui.globalSearchEdit->clear();
    };
    switch (hit.kind) {
    case QuickFindHit::Kind::Nothing:
        m_ui.globalSearchStatus->setText(
            tr("No card, customer or activation code matches “%1”.").arg(typed));
        return;
    case QuickFindHit::Kind::Card:
        done();
        emit cardRequested(hit.id);
        return;
    case QuickFindHit::Kind::Cards:
        done();
        showSims(hit.cards);
        return;
    case QuickFindHit::Kind::Customer:
        done();
        showCustomer(hit.id);
        return;
    case QuickFindHit::Kind::Customers:
        done();
        ensureWorkPages();
        showPage(QStringLiteral("customers"));
        m_customersPage->setSearch(hit.search);
        return;
    case QuickFindHit::Kind::Code:
        break;
    }
    const ActivationCode &code = *hit.code;
    emit codeFound(code.id, code.code);
    if (code.simId) {
        done();
        emit cardRequested(*code.simId);
        return;
    }
    // Not used on a card: the code itself, on the codes page, and its status next to the field.
    showPage(QStringLiteral("codes"));
    m_codesPage->showCode(code.id, code.code);
    const QString status = codeStatusText(code);
    m_ui.globalSearchStatus->setText(status);
    m_ui.globalSearchStatus->setToolTip(status); // the whole text, should the bar be narrow
}

// The connection check of sign-in and F5 succeeded. The window has no page of its own for it:
// the dashboard shows the counts, live. The status bar names the server; no "updated at" time
// here, since the pages each read their own data when it changes (the dashboard says when).
void MainWindow::showConnected(const Overview &overview)
{
    m_serverLabel->setText(overview.server);
    m_serverLabel->setToolTip(
        tr("Connected to %1 · schema version %2").arg(overview.server).arg(overview.schemaVersion));
    m_ui.statusBar->clearMessage();
    // The first time the pages are made and load themselves; after that F5 reads every page
    // again (the hidden ones when they are next shown).
    if (m_simsPage)
        m_desk->hub()->everythingChanged();
    else
        ensureWorkPages();
    if (m_ui.pages->currentWidget() == m_ui.loadingPage
        || m_ui.pages->currentWidget() == m_ui.errorPage)
        showPage(QStringLiteral("dashboard"));
}

void MainWindow::showError(const Error &error)
{
    m_ui.errorLabel->setText(error.message());
    // What libpq or the server said, word for word, only under Details: the message above says
    // it in words.
    m_ui.errorDetailLabel->setText(error.detail);
    m_ui.errorDetailsButton->setChecked(false);
    m_ui.errorDetailsButton->setVisible(!error.detail.isEmpty());
    m_ui.errorDetailLabel->hide();
    m_ui.pages->setCurrentWidget(m_ui.errorPage);
    m_ui.statusBar->showMessage(tr("Not connected"));
}

void MainWindow::showAbout()
{
    AboutDialog(m_desk->runner(), this).exec();
}

} // namespace simdesk
