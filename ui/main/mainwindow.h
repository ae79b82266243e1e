// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/cardaction.h"
#include "domain/staff.h"
#include "overviewloader.h"
#include "ui_mainwindow.h"

#include <QLabel>
#include <QMainWindow>

namespace simdesk {

class AccountPage;
class ChangeListener;
class DashboardPage;
class Desk;
class ImportController;
class SimDetailPage;
class SimsPage;
class StaffPage;
class TariffsPage;
class CustomersPage;
class CustomerPage;
class CodesPage;
class AuditLogPage;
struct SimListFilter;
struct QuickFindHit;
struct ActivationCode;

// The application window: navigation on the left (the pages that exist), a global search for
// cards, customers and activation codes (Ctrl+K) above the page, a banner while the connection is
// lost, and in the status bar the server, who is signed in and whether the view is live. It owns
// the Desk every page and dialog shares (the window's database runner, the refresh hub, the user's
// settings) and the listener that tells the hub what other sessions changed.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // The most cards one bulk action takes ("all matching" beyond it is refused, with the count).
    static constexpr int kMaxBulkCards = 100000;

    // `session`: who signed in (LoginDialog); shown in the status bar and the Account menu.
    explicit MainWindow(
        ConnectionSettings settings, SessionInfo session = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    const SessionInfo &session() const;
    Desk *desk() const { return m_desk; }

    // The SIM list page (exists once connected).
    SimsPage *simsPage() const { return m_simsPage; }
    CustomersPage *customersPage() const { return m_customersPage; }
    CustomerPage *customerPage() const { return m_customerPage; }
    // Activation codes (exists once connected).
    CodesPage *codesPage() const { return m_codesPage; }
    SimDetailPage *detailPage() const { return m_detailPage; }
    // The dashboard, the first page (exists once connected).
    DashboardPage *dashboardPage() const { return m_dashboardPage; }
    // The listener of changes made elsewhere (exists once connected).
    ChangeListener *listener() const { return m_listener; }
    // Imports: the page, File › Import SIM cards…, drops on the window (exists once connected).
    ImportController *importController() const { return m_imports; }
    // Staff logins (exists once connected, for administrators only).
    StaffPage *staffPage() const { return m_staffPage; }
    // Tariff plans (exists once connected; changes offered to administrators only).
    TariffsPage *tariffsPage() const { return m_tariffsPage; }
    AuditLogPage *auditLogPage() const { return m_auditLogPage; }
    // Account › My account: who is signed in, own password, log out (made when first shown).
    AccountPage *showAccount();
    // Shows the SIM list filtered (the global search with several matches, the dashboard).
    void showSims(const SimListFilter &filter);

public slots:
    // Reads the shown page again from the database (F5).
    void refresh();
    // The global search (Ctrl+K; core/services/quickfind.h): a card or a customer found opens
    // its page, several cards the SIM list filtered to them, several customers the customer
    // list searched for the text; an activation code opens the card it was used on, otherwise
    // it on the codes page with its status next to the field (codeFound is emitted either way).
    void findCard(const QString &text);
    // A bulk action of the catalogue on the SIM list's selection (or every card of its filter).
    void runBulkAction(simdesk::CardAction action);
    // The detail page of one card.
    void showCard(qint64 simId);
    // Back to the page or card shown before (Alt+Left, the mouse's back button).
    void goBack();
    // The page of one customer.
    void showCustomer(qint64 customerId);

signals:
    // Emitted when a refresh has finished, successfully or not (tests wait for it).
    void refreshed();
    // The user chose Account › Log out.
    void loggedOut();
    // A card was asked for (global search with one match, Enter in the list).
    void cardRequested(qint64 simId);
    // The global search finished (tests wait for it).
    void searchFinished();
    // The global search found an activation code (tests watch it).
    void codeFound(qint64 codeId, const QString &code);
    // The database connection went away (false) or is back (true).
    void liveChanged(bool live);

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void addPage(const QString &key, const QString &title, QWidget *page);
    void showFound(const simdesk::QuickFindHit &hit);
    static QString codeStatusText(const simdesk::ActivationCode &code);
    void showPage(const QString &key);
    void ensureWorkPages();
    void createSimPages();
    void createCustomerPages();
    void createCodesPage();
    void createDashboard();
    void createAdministration();
    void startListener();
    void showListenerState(int state);
    void setLive(bool live);
    void showConnected(const Overview &overview);
    void showError(const Error &error);
    void showAbout();
    // Where the user is: a page's key, or "sim" and the card.
    struct Place
    {
        QString key;
        qint64 simId = 0;
    };
    Place currentPlace() const;
    void rememberPlace(const Place &next);

    Ui::MainWindow m_ui;
    Desk *m_desk = nullptr;
    SimsPage *m_simsPage = nullptr;
    CustomersPage *m_customersPage = nullptr;
    CustomerPage *m_customerPage = nullptr;
    CodesPage *m_codesPage = nullptr;
    ChangeListener *m_listener = nullptr;
    SimDetailPage *m_detailPage = nullptr;
    DashboardPage *m_dashboardPage = nullptr;
    ImportController *m_imports = nullptr;
    StaffPage *m_staffPage = nullptr;
    TariffsPage *m_tariffsPage = nullptr;
    AuditLogPage *m_auditLogPage = nullptr;
    AccountPage *m_accountPage = nullptr;
    QMap<QString, QWidget *> m_pageByKey;
    QLabel *m_serverLabel = nullptr;
    QLabel *m_liveLabel = nullptr;
    quint64 m_searchGeneration = 0;
    bool m_refreshing = false;
    QList<Place> m_backStack; // the places before this one, the last one first back
};

} // namespace simdesk
