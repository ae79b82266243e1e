// SPDX-License-Identifier: MIT
#include "customers/customerpage.h"
#include "db/changelistener.h"
#include "db/migrator.h"
#include "main/mainwindow.h"
#include "records/simrepository.h"
#include "screenshots.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "sims/bulkactiondialog.h"
#include "sims/newsimdialog.h"
#include "sims/pastelistdialog.h"
#include "sims/simdetailpage.h"
#include "sims/simspage.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <memory>

using namespace simdesk;

class TestMainWindow : public QObject
{
    Q_OBJECT

public:
    // The window has the dashboard (a WebEngine view).
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void shouldOpenOnTheDashboardWithNoFrozenOverview();
    void shouldExplainAnUnreachableDatabaseAndRetry();
    void shouldRefuseAnUnmigratedDatabase();
    void theSimListShouldPageThroughEveryCard();
    void theGlobalSearchShouldOpenOneMatchOrListSeveral();
    void aChangeElsewhereShouldShowInTheOpenList();
    void exportShouldWriteTheCardsOfTheFilter();
    void aBulkActionShouldPreviewThenApplyWithRefusals();
    void aPastedListShouldShowMatchesAndTheIdentifiersNotFound();
    void anAdminShouldCreateACardWithLiveValidation();
    void aLostListenerShouldShowTheBannerAndComeBack();

private:
    // A window at 1366×768, signed in and connected (its first refresh done); null on failure.
    std::unique_ptr<MainWindow> openWindow(
        const ConnectionSettings &settings, const SessionInfo &session);

    std::unique_ptr<TestDatabase> m_tdb;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the settings of a test run stay out of ~/.config
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("mainwindow"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    DemoDataOptions options;
    options.sims = 1200;
    QVERIFY(DemoData::generate(m_tdb->connect(), options).ok());
}

std::unique_ptr<MainWindow> TestMainWindow::openWindow(
    const ConnectionSettings &settings, const SessionInfo &session)
{
    auto w = std::make_unique<MainWindow>(settings, session);
    w->resize(1366, 768);
    w->show();
    QSignalSpy refreshed(w.get(), &MainWindow::refreshed);
    w->refresh();
    if (!refreshed.wait(20000))
        return nullptr;
    return w;
}

void TestMainWindow::init()
{
    // Each test starts like a first sign-in: no remembered filter, page or columns.
    QSettings().clear();
}

void TestMainWindow::cleanupTestCase()
{
    m_tdb.reset();
}

// The window opens on the dashboard, which shows the counts live; there is no second,
// frozen copy of them (an "Overview" read once at sign-in), and the status bar claims no
// "Updated" time that only a sign-in check set.
void TestMainWindow::shouldOpenOnTheDashboardWithNoFrozenOverview()
{
    SessionInfo session;
    session.login = QStringLiteral("anna");
    session.displayName = QStringLiteral("Anna Berg");
    session.role = StaffRole::Support;
    MainWindow w(m_tdb->settings(), session);
    w.resize(900, 600);
    w.show();
    QSignalSpy done(&w, &MainWindow::refreshed);
    w.refresh();
    QVERIFY(done.wait(20000));
    QCOMPARE(w.findChild<QLabel *>(QStringLiteral("sessionLabel"))->text(),
        QStringLiteral("Signed in as Anna Berg (Support)"));

    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("dashboardPage"));
    auto *nav = w.findChild<QListWidget *>(QStringLiteral("navigationList"));
    QStringList keys;
    for (int i = 0; i < nav->count(); ++i)
        keys << nav->item(i)->data(Qt::UserRole).toString();
    QVERIFY2(!keys.contains(QStringLiteral("overview")), qPrintable(keys.join(u',')));
    QCOMPARE(keys.value(0), QStringLiteral("dashboard"));
    QVERIFY(!w.findChild<QTableWidget *>(QStringLiteral("statusTable")));
    // The server is named, the schema version in its tooltip; no time that means nothing.
    auto *server = w.findChild<QLabel *>(QStringLiteral("serverLabel"));
    QVERIFY(server->text().contains(m_tdb->name()));
    QVERIFY(server->toolTip().contains(QStringLiteral("schema version")));
    QVERIFY2(!w.statusBar()->currentMessage().startsWith(QStringLiteral("Updated")),
        qPrintable(w.statusBar()->currentMessage()));
    // F5 again: still nothing claims an update time in the status bar.
    w.refresh();
    QVERIFY(done.wait(20000));
    QVERIFY(!w.statusBar()->currentMessage().startsWith(QStringLiteral("Updated")));
}

void TestMainWindow::shouldExplainAnUnreachableDatabaseAndRetry()
{
    ConnectionSettings nowhere = m_tdb->settings();
    nowhere.database = QStringLiteral("no_such_database");
    MainWindow w(nowhere);
    w.resize(900, 600);
    w.show();
    QSignalSpy done(&w, &MainWindow::refreshed);
    w.refresh();
    QVERIFY(done.wait(20000));
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("errorPage"));
    // The server answers, but has no such database: said so, by the server's SQLSTATE.
    const QString message = w.findChild<QLabel *>(QStringLiteral("errorLabel"))->text();
    QVERIFY2(
        message.contains(QLatin1String("has no database no_such_database")), qPrintable(message));
    // libpq's own words only under Details.
    auto *detail = w.findChild<QLabel *>(QStringLiteral("errorDetailLabel"));
    QVERIFY(detail->text().contains(QLatin1String("no_such_database")));
    QVERIFY(!detail->isVisible());
    auto *details = w.findChild<QToolButton *>(QStringLiteral("errorDetailsButton"));
    QVERIFY(details->isVisible());
    details->click();
    QVERIFY(detail->isVisible());
    details->click();
    QVERIFY(saveScreenshot(&w, QStringLiteral("mainwindow-connection-error")));

    // Retry runs the load again (and fails again, the same way).
    auto *retry = w.findChild<QPushButton *>(QStringLiteral("retryButton"));
    QVERIFY(retry->isEnabled());
    QTest::mouseClick(retry, Qt::LeftButton);
    QVERIFY(done.wait(20000));
    QCOMPARE(done.count(), 2);
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("errorPage"));

    // Nothing listens there at all: the server cannot be reached.
    ConnectionSettings unreachable = m_tdb->settings();
    unreachable.host = QStringLiteral("127.0.0.1");
    unreachable.port = 1; // tcpmux: nothing listens on this machine
    MainWindow nobody(unreachable);
    QSignalSpy failed(&nobody, &MainWindow::refreshed);
    nobody.refresh();
    QVERIFY(failed.wait(20000));
    const QString unreachableMessage
        = nobody.findChild<QLabel *>(QStringLiteral("errorLabel"))->text();
    QVERIFY2(unreachableMessage.contains(QLatin1String("Could not connect")),
        qPrintable(unreachableMessage));
    QVERIFY2(
        unreachableMessage.contains(QLatin1String("127.0.0.1")), qPrintable(unreachableMessage));
}

void TestMainWindow::shouldRefuseAnUnmigratedDatabase()
{
    TestDatabase bare(QStringLiteral("mainwindow_bare"));
    REQUIRE_DATABASE(bare);
    MainWindow w(bare.settings());
    w.show();
    QSignalSpy done(&w, &MainWindow::refreshed);
    w.refresh();
    QVERIFY(done.wait(20000));
    const QString message = w.findChild<QLabel *>(QStringLiteral("errorLabel"))->text();
    QVERIFY2(message.contains(QLatin1String("simdesk-cli migrate")), qPrintable(message));
}

namespace {

SessionInfo supportSession()
{
    SessionInfo session;
    session.login = QStringLiteral("anna");
    session.displayName = QStringLiteral("Anna Berg");
    session.role = StaffRole::Support;
    return session;
}

} // namespace

void TestMainWindow::theSimListShouldPageThroughEveryCard()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings(), supportSession());
    QVERIFY(window);
    MainWindow &w = *window;
    auto *nav = w.findChild<QListWidget *>(QStringLiteral("navigationList"));
    QVERIFY(nav->isVisible());
    // Dashboard, SIM cards, Customers, Activation codes, Imports, Tariff plans, Audit log
    QCOMPARE(nav->count(), 7);
    nav->setCurrentRow(1);
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("simsPage"));
    SimsPage *page = w.simsPage();
    SimListModel *model = page->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1200, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(0) != nullptr, 10000);
    const QString total = m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards"));
    QCOMPARE(QString::number(model->rowCount()), total);
    auto *count = page->findChild<QLabel *>(QStringLiteral("countLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(count->text().startsWith(QLocale().toString(1200)), 5000);
    QVERIFY(saveScreenshot(&w, QStringLiteral("sims-list")));

    // The end of the list, as End or a dragged scroll bar reaches it: the last card by id.
    auto *table = page->findChild<QTableView *>(QStringLiteral("simTable"));
    table->setFocus();
    QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(1199) != nullptr, 10000);
    QCOMPARE(QString::number(model->rowAt(1199)->id),
        m_tdb->scalar(QStringLiteral("SELECT max(id) FROM sim_cards")));
    // Every row once, in order, whatever way it was reached.
    table->scrollToTop();
    QTest::keyClick(table, Qt::Key_Home, Qt::ControlModifier);
    for (int row = 0; row < 1200; row += 37) {
        table->scrollTo(model->index(row, 0));
        QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(row) != nullptr, 10000);
    }
    QList<qint64> ids;
    for (int row = 0; row < 1200; ++row) {
        if (!model->rowAt(row)) {
            table->scrollTo(model->index(row, 0));
            QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(row) != nullptr, 10000);
        }
        ids << model->rowAt(row)->id;
    }
    QVERIFY(std::is_sorted(ids.cbegin(), ids.cend()));
    QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), 1200);

    // A filter: only the suspended cards, counted like the database counts them.
    SimListFilter suspended;
    suspended.statuses = { SimStatus::Suspended };
    page->setFilter(suspended);
    const int expected
        = m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE status = 'SUSPENDED'"))
              .toInt();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), expected, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(0) != nullptr, 10000);
    QCOMPARE(model->rowAt(0)->status, SimStatus::Suspended);
    QVERIFY(saveScreenshot(&w, QStringLiteral("sims-list-filtered")));

    // A filter nobody matches shows the empty state, not an empty table.
    SimListFilter none;
    none.search = QStringLiteral("0000000000000");
    page->setFilter(none);
    auto *stack = page->findChild<QStackedWidget *>(QStringLiteral("listStack"));
    QTRY_COMPARE_WITH_TIMEOUT(
        stack->currentWidget()->objectName(), QStringLiteral("emptyPage"), 10000);
    QVERIFY(saveScreenshot(&w, QStringLiteral("sims-list-empty")));
}

void TestMainWindow::theGlobalSearchShouldOpenOneMatchOrListSeveral()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings(), supportSession());
    QVERIFY(window);
    MainWindow &w = *window;
    QSignalSpy opened(&w, &MainWindow::cardRequested);
    QSignalSpy searched(&w, &MainWindow::searchFinished);
    auto *search = w.findChild<QLineEdit *>(QStringLiteral("globalSearchEdit"));

    // Scanned: the ICCID with spaces, then Enter, typed into the field Ctrl+K focuses.
    const QString iccid = m_tdb->scalar(
        QStringLiteral("SELECT iccid FROM sim_cards ORDER BY id LIMIT 1 OFFSET 17"));
    const QString id
        = m_tdb->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'").arg(iccid));
    QTest::keyClick(&w, Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(search->hasFocus());
    QString scanned;
    for (int i = 0; i < iccid.size(); ++i)
        scanned += (i > 0 && i % 4 == 0 ? QStringLiteral(" ") : QString()) + iccid.at(i);
    QTest::keyClicks(search, scanned);
    QTest::keyClick(search, Qt::Key_Return);
    QVERIFY(searched.wait(10000));
    QCOMPARE(opened.size(), 1);
    QCOMPARE(QString::number(opened.first().first().toLongLong()), id);
    // …and the card's page is open.
    auto *shown = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    QCOMPARE(shown->currentWidget()->objectName(), QStringLiteral("simDetailPage"));
    QCOMPARE(QString::number(w.detailPage()->simId()), id);
    QTRY_VERIFY_WITH_TIMEOUT(!w.detailPage()->isLoading(), 10000);
    QVERIFY(saveScreenshot(&w, QStringLiteral("sim-detail-from-search")));
    // The customer link opens the customer's page; from there, their cards in the SIM list.
    const qint64 customer
        = m_tdb->scalar(QStringLiteral("SELECT min(customer_id) FROM sim_cards")).toLongLong();
    emit w.detailPage()->customerRequested(customer);
    QCOMPARE(shown->currentWidget()->objectName(), QStringLiteral("customerPage"));
    QCOMPARE(w.customerPage()->customerId(), customer);
    QTest::mouseClick(w.customerPage()->findChild<QPushButton *>(QStringLiteral("allCardsButton")),
        Qt::LeftButton);
    QCOMPARE(shown->currentWidget()->objectName(), QStringLiteral("simsPage"));
    QCOMPARE(w.simsPage()->currentFilter().customerId, std::optional<qint64>(customer));
    QTRY_COMPARE_WITH_TIMEOUT(QString::number(w.simsPage()->model()->rowCount()),
        m_tdb->scalar(
            QStringLiteral("SELECT count(*) FROM sim_cards WHERE customer_id = %1").arg(customer)),
        10000);

    // An MSISDN typed with +: the same.
    const QString msisdn = m_tdb->scalar(QStringLiteral(
        "SELECT msisdn FROM sim_cards WHERE msisdn IS NOT NULL ORDER BY id LIMIT 1"));
    search->setText(msisdn);
    QTest::keyClick(search, Qt::Key_Return);
    QVERIFY(searched.wait(10000));
    QCOMPARE(opened.size(), 2);

    // Several matches (the first digits every ICCID shares): the list, filtered.
    search->setText(iccid.left(6));
    QTest::keyClick(search, Qt::Key_Return);
    QVERIFY(searched.wait(10000));
    QCOMPARE(opened.size(), 2);
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("simsPage"));
    QCOMPARE(w.simsPage()->currentFilter().search, iccid.left(6));

    // Nothing: said next to the field.
    search->setText(QStringLiteral("+999 000 000"));
    QTest::keyClick(search, Qt::Key_Return);
    QVERIFY(searched.wait(10000));
    QVERIFY(w.findChild<QLabel *>(QStringLiteral("globalSearchStatus"))
                ->text()
                .contains(QLatin1String("No card")));
}

void TestMainWindow::aChangeElsewhereShouldShowInTheOpenList()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings(), supportSession());
    QVERIFY(window);
    MainWindow &w = *window;
    QTRY_COMPARE_WITH_TIMEOUT(w.listener()->state(), ChangeListener::State::Live, 10000);
    SimsPage *page = w.simsPage();
    SimListFilter active;
    active.statuses = { SimStatus::Active };
    w.showSims(active);
    SimListModel *model = page->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(0) != nullptr && model->rowAt(5) != nullptr, 10000);
    // The total may arrive after the first rows (the list shows a page's worth until then).
    QTRY_VERIFY_WITH_TIMEOUT(
        model->total().count > 0 && model->rowCount() == model->total().count, 10000);
    const int before = model->rowCount();
    // The user looks at row 5 and has it selected.
    auto *table = page->findChild<QTableView *>(QStringLiteral("simTable"));
    table->selectRow(5);
    const qint64 selected = model->rowAt(5)->id;
    const qint64 changed = model->rowAt(2)->id;

    // Another workstation suspends the card of row 2.
    const QString support
        = m_tdb->createLogin(QStringLiteral("elsewhere"), QStringLiteral("support"));
    const Result<SimCard> r
        = LifecycleService(m_tdb->connectAs(support)).suspend(changed, QStringLiteral("unpaid"));
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));

    // Within a second the open list no longer holds it, and the selection stayed on its card.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), before - 1, 3000);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOfId(changed) < 0 && model->rowAt(4) != nullptr, 3000);
    QTRY_VERIFY_WITH_TIMEOUT(page->selectedIds().contains(selected), 3000);
    QCOMPARE(model->rowAt(4)->id, selected);
}

void TestMainWindow::exportShouldWriteTheCardsOfTheFilter()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings(), supportSession());
    QVERIFY(window);
    MainWindow &w = *window;
    SimListFilter lost;
    lost.statuses = { SimStatus::LostStolen, SimStatus::Suspended };
    w.showSims(lost);
    QSignalSpy exported(w.simsPage(), &SimsPage::exported);
    const QString path
        = QDir(QDir::tempPath())
              .filePath(
                  QStringLiteral("simdesk-export-%1.csv").arg(QCoreApplication::applicationPid()));
    w.simsPage()->exportCsv(path);
    QVERIFY(exported.wait(20000));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines
        = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    file.remove();
    QCOMPARE(lines.first(), QStringLiteral("iccid,type,msisdn,imsi"));
    const QString expected
        = m_tdb->scalar(QStringLiteral("SELECT string_agg(iccid, ',' ORDER BY iccid) FROM "
                                       "sim_cards WHERE status IN ('LOST_STOLEN', 'SUSPENDED')"));
    QStringList iccids;
    for (int i = 1; i < lines.size(); ++i)
        iccids << lines.at(i).section(QLatin1Char(','), 0, 0);
    QCOMPARE(iccids.join(QLatin1Char(',')), expected);
    QCOMPARE(exported.first().at(1).toLongLong(), qint64(iccids.size()));
    // The window says the export finished, how many cards and where the file is.
    QVERIFY2(w.statusBar()->currentMessage().contains(QDir::toNativeSeparators(path)),
        qPrintable(w.statusBar()->currentMessage()));
    QVERIFY(w.statusBar()->currentMessage().contains(QLocale().toString(iccids.size())));

    // The same cards for a spreadsheet: every cell quoted, a phone number kept as text.
    exported.clear();
    w.simsPage()->exportCsv(path, CsvFlavour::SpreadsheetSafe);
    QVERIFY(exported.wait(20000));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList safe
        = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    file.remove();
    QCOMPARE(safe.first(), QStringLiteral("\"iccid\",\"type\",\"msisdn\",\"imsi\""));
    QCOMPARE(safe.size(), lines.size());
    int numbers = 0;
    for (int i = 1; i < safe.size(); ++i) {
        const QStringList cells = safe.at(i).split(QLatin1Char(','));
        QCOMPARE(cells.size(), 4);
        QCOMPARE(cells.at(0), QLatin1Char('"') + iccids.at(i - 1) + QLatin1Char('"'));
        if (cells.at(2) != QLatin1String("\"\"")) {
            QVERIFY2(cells.at(2).startsWith(QLatin1String("\"'+")), qPrintable(cells.at(2)));
            ++numbers;
        }
    }
    QVERIFY2(numbers > 0, "the demo's lost and suspended cards have phone numbers");
}

void TestMainWindow::aBulkActionShouldPreviewThenApplyWithRefusals()
{
    const QString support = m_tdb->createLogin(QStringLiteral("bulk"), QStringLiteral("support"));
    ConnectionSettings settings = m_tdb->settings();
    settings.user = support;
    const std::unique_ptr<MainWindow> window = openWindow(settings, supportSession());
    QVERIFY(window);
    MainWindow &w = *window;
    // Active and available cards together: suspend allows the first, refuses the others.
    SimListFilter mixed;
    mixed.statuses = { SimStatus::Active, SimStatus::Available };
    w.showSims(mixed);
    SimListModel *model = w.simsPage()->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(0) != nullptr && model->rowAt(39) != nullptr, 10000);
    auto *table = w.simsPage()->findChild<QTableView *>(QStringLiteral("simTable"));
    table->selectionModel()->select(
        QItemSelection(model->index(0, 0), model->index(39, SimListModel::ColumnCount - 1)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    int active = 0;
    QStringList ids;
    for (int row = 0; row < 40; ++row) {
        active += model->rowAt(row)->status == SimStatus::Active;
        ids << QString::number(model->rowAt(row)->id);
    }
    QVERIFY(active > 0 && active < 40);
    QCOMPARE(w.simsPage()->selectedIds().size(), 40);
    auto *suspend = w.simsPage()->findChild<QPushButton *>(QStringLiteral("bulkSuspendButton"));
    QVERIFY(suspend->isEnabled());
    suspend->click();
    auto *dialog = w.findChild<BulkActionDialog *>(QStringLiteral("bulkActionDialog"));
    QVERIFY(dialog);
    QSignalSpy previewed(dialog, &BulkActionDialog::previewed);
    QVERIFY(previewed.wait(10000));
    auto *summary = dialog->findChild<QLabel *>(QStringLiteral("summaryLabel"));
    QVERIFY2(summary->text().contains(QLocale().toString(active)), qPrintable(summary->text()));
    auto *run = dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                    ->button(QDialogButtonBox::Ok);
    QVERIFY(!run->isEnabled()); // suspend needs a reason
    QVERIFY(dialog->refusalsCsv().count(QLatin1Char('\n')) == 1 + 40 - active);
    QVERIFY(saveScreenshot(dialog, QStringLiteral("bulk-action-preview")));
    dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit"))
        ->setText(QStringLiteral("unpaid invoices"));
    QVERIFY(run->isEnabled());
    QSignalSpy applied(dialog, &BulkActionDialog::applied);
    run->click();
    QVERIFY(applied.wait(10000));
    QCOMPARE(int(dialog->result().done), active);
    QCOMPARE(int(dialog->result().refused), 40 - active);
    QVERIFY(saveScreenshot(dialog, QStringLiteral("bulk-action-done")));
    // In the database: the active ones suspended by this login, one operation id, from "bulk".
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT count(*) || ':' || count(DISTINCT operation_id) || ':' || min(source) "
                 "|| ':' || min(created_by) FROM sim_events WHERE event_type = 'SUSPENDED' "
                 "AND note = 'unpaid invoices' AND sim_id IN (%1)")
                               .arg(ids.join(QLatin1Char(',')))),
        QStringLiteral("%1:1:bulk:%2").arg(active).arg(support));
    dialog->close();
}

void TestMainWindow::aPastedListShouldShowMatchesAndTheIdentifiersNotFound()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings(), supportSession());
    QVERIFY(window);
    MainWindow &w = *window;
    w.showSims({});
    const QStringList known
        = m_tdb
              ->scalar(QStringLiteral("SELECT string_agg(iccid, ',' ORDER BY id) FROM (SELECT id, "
                                      "iccid FROM sim_cards ORDER BY id LIMIT 3) c"))
              .split(QLatin1Char(','));
    const QString msisdn = m_tdb->scalar(QStringLiteral(
        "SELECT msisdn FROM sim_cards WHERE msisdn IS NOT NULL ORDER BY id DESC LIMIT 1"));
    // Scanned with spaces and dashes, an MSISDN with 00, and two that are nowhere.
    const QString text = known.at(0) + QStringLiteral("\n") + known.at(1).left(4)
        + QStringLiteral(" ") + known.at(1).mid(4) + QStringLiteral("\n8949-0000-0000-0000-018\n")
        + QStringLiteral("00") + msisdn.mid(1) + QStringLiteral("\n") + known.at(2)
        + QStringLiteral("\n+49 999 0000000\n");
    QTimer::singleShot(0, this, [&] {
        auto *dialog = w.simsPage()->findChild<PasteListDialog *>();
        QVERIFY(dialog);
        dialog->findChild<QPlainTextEdit *>(QStringLiteral("listEdit"))->setPlainText(text);
        QVERIFY(saveScreenshot(dialog, QStringLiteral("sims-paste-list")));
        dialog->accept();
    });
    w.simsPage()->findChild<QToolButton *>(QStringLiteral("pasteListButton"))->click();
    SimListModel *model = w.simsPage()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, 10000);
    auto *notFound = w.simsPage()->findChild<QLabel *>(QStringLiteral("notFoundLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(notFound->isVisible(), 10000);
    QVERIFY2(notFound->text().startsWith(QLatin1String("2 of 6")), qPrintable(notFound->text()));
    QVERIFY(notFound->text().contains(QLatin1String("8949-0000-0000-0000-018, +49 999 0000000")));
    QVERIFY(saveScreenshot(&w, QStringLiteral("sims-pasted-list")));
}

void TestMainWindow::anAdminShouldCreateACardWithLiveValidation()
{
    const QString admin = m_tdb->createLogin(QStringLiteral("creator"), QStringLiteral("admin"));
    ConnectionSettings settings = m_tdb->settings();
    settings.user = admin;
    SessionInfo session = supportSession();
    session.role = StaffRole::Admin;
    const std::unique_ptr<MainWindow> window = openWindow(settings, session);
    QVERIFY(window);
    MainWindow &w = *window;
    w.showSims({});
    auto *create = w.simsPage()->findChild<QPushButton *>(QStringLiteral("createButton"));
    QVERIFY(create->isVisible());
    create->click();
    auto *dialog = w.findChild<NewSimDialog *>(QStringLiteral("newSimDialog"));
    QVERIFY(dialog);
    auto *ok = dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                   ->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    auto *iccid = dialog->findChild<QLineEdit *>(QStringLiteral("iccidEdit"));
    // 18 digits: the check digit is missing, and the message says which it would be.
    const QString full = TestDatabase::iccid(987654);
    iccid->setText(full.left(18));
    auto *message = dialog->findChild<QLabel *>(QStringLiteral("iccidMessage"));
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(full.right(1)), qPrintable(message->text()));
    QVERIFY(!ok->isEnabled());
    dialog->findChild<QLineEdit *>(QStringLiteral("pukEdit"))->setText(QStringLiteral("123"));
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("pukMessage"))->isVisible());
    QVERIFY(saveScreenshot(dialog, QStringLiteral("new-sim-invalid")));
    iccid->setText(full.left(4) + QStringLiteral(" ") + full.mid(4));
    dialog->findChild<QLineEdit *>(QStringLiteral("pukEdit"))->setText(QStringLiteral("12345678"));
    dialog->findChild<QLineEdit *>(QStringLiteral("msisdnEdit"))
        ->setText(QStringLiteral("+49 151 7654321"));
    QVERIFY(ok->isEnabled());
    QSignalSpy created(dialog, &NewSimDialog::created);
    ok->click();
    QVERIFY(created.wait(10000));
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT status || ':' || msisdn FROM sim_cards WHERE iccid = '%1'")
                     .arg(full)),
        QStringLiteral("AVAILABLE:+491517654321"));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT event_type || ':' || created_by FROM sim_events e JOIN sim_cards c "
                 "ON c.id = e.sim_id WHERE c.iccid = '%1'")
                               .arg(full)),
        QStringLiteral("CREATED:%1").arg(admin));
    // The new card's page opens.
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("simDetailPage"));
}

void TestMainWindow::aLostListenerShouldShowTheBannerAndComeBack()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings(), supportSession());
    QVERIFY(window);
    MainWindow &w = *window;
    QTRY_COMPARE_WITH_TIMEOUT(w.listener()->state(), ChangeListener::State::Live, 10000);
    auto *banner = w.findChild<QWidget *>(QStringLiteral("connectionBanner"));
    auto *live = w.findChild<QLabel *>(QStringLiteral("liveLabel"));
    QVERIFY(!banner->isVisible());
    QVERIFY(live->text().contains(QLatin1String("Live")));

    QSignalSpy liveChanged(&w, &MainWindow::liveChanged);
    const qint64 pid = w.listener()->backendPid();
    QVERIFY(pid > 0);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid)),
        QStringLiteral("true"));
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 5000);
    QCOMPARE(liveChanged.first().first().toBool(), false);
    QVERIFY(saveScreenshot(&w, QStringLiteral("mainwindow-reconnecting")));
    // It comes back by itself, listens again and reloads.
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(live->text().contains(QLatin1String("Live")), 5000);
    QVERIFY(w.listener()->backendPid() != pid);
    QCOMPARE(liveChanged.last().first().toBool(), true);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
