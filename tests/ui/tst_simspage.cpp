// SPDX-License-Identifier: MIT
#include "../db/localcluster.h"
#include "common/desk.h"
#include "db/changelistener.h"
#include "db/database.h"
#include "db/migrator.h"
#include "main/mainwindow.h"
#include "screenshots.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "sims/bulkactiondialog.h"
#include "sims/simdetailpage.h"
#include "sims/simspage.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <memory>

using namespace simdesk;

// The SIM list page in a signed-in window, as a support agent uses it: what it shows after the
// server went away and came back, which filter it shows, and which cards a bulk action takes.
class TestSimsPage : public QObject
{
    Q_OBJECT

public:
    // The window has the dashboard (a WebEngine view).
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void theListShouldShowCurrentRowsByItselfAfterTheServerCameBack();
    void everyPartOfALinkedFilterShouldShowAsAChipThatRemovesIt();
    void onlyTheSelectedRowsShouldBeTheOnesTheUserChose();
    void aBulkActionOnAllMatchingShouldClearTheSelectionAndSaySo();
    void theFirstCtrlEndAfterAClickShouldGoToTheEnd();
    void aCardShouldHaveAWayBackAndTheSideBarShouldAlwaysNavigate();
    void savedFiltersShouldBeNamedRenamedAndDeletedAndTheMenuStayOpen();
    void anIccidRangeShouldShowItsCardsAndAChip();
    void aPastedListShouldShowItsRowsInPastedOrderUntilAColumnIsSorted();

private:
    // A window at 1024×768, signed in as support and connected; null on failure.
    static std::unique_ptr<MainWindow> openWindow(const ConnectionSettings &settings);
    static SessionInfo supportSession();
    // The page's widgets by object name.
    template<typename T> static T *child(SimsPage *page, const char *name)
    {
        return page->findChild<T *>(QLatin1String(name));
    }
    // Waits until the page shows loaded rows (the first one at least) and its count.
    static bool waitForRows(SimsPage *page);

    std::unique_ptr<TestDatabase> m_tdb;
};

void TestSimsPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the settings of a test run stay out of ~/.config
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("simspage"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    DemoDataOptions options;
    options.sims = 1200;
    options.now = DemoDataOptions::fixedNow();
    QVERIFY(DemoData::generate(m_tdb->connect(), options).ok());
}

void TestSimsPage::init()
{
    QSettings().clear(); // no remembered filter, page or columns
}

void TestSimsPage::cleanupTestCase()
{
    m_tdb.reset();
}

SessionInfo TestSimsPage::supportSession()
{
    SessionInfo session;
    session.login = QStringLiteral("anna");
    session.displayName = QStringLiteral("Anna Berg");
    session.role = StaffRole::Support;
    return session;
}

std::unique_ptr<MainWindow> TestSimsPage::openWindow(const ConnectionSettings &settings)
{
    auto w = std::make_unique<MainWindow>(settings, supportSession());
    w->resize(1024, 768);
    w->show();
    QSignalSpy refreshed(w.get(), &MainWindow::refreshed);
    w->refresh();
    if (!refreshed.wait(30000) || !w->simsPage())
        return nullptr;
    return w;
}

bool TestSimsPage::waitForRows(SimsPage *page)
{
    return QTest::qWaitFor(
        [page] {
            auto *stack = child<QStackedWidget>(page, "listStack");
            return stack->currentWidget()->objectName() == QLatin1String("simTable")
                && page->model()->rowAt(0) != nullptr && !page->model()->isLoading();
        },
        20000);
}

void TestSimsPage::theListShouldShowCurrentRowsByItselfAfterTheServerCameBack()
{
    // A server of its own, to stop and start again on the same port.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    LocalCluster cluster(dir.filePath(QStringLiteral("cluster")));
    QCOMPARE(cluster.start(), QString());
    const int port = cluster.port();
    {
        const QString name = Database::uniqueName(QStringLiteral("outage-setup"));
        Result<QSqlDatabase> su = Database::open(cluster.superuser(), name);
        QVERIFY(su.ok());
        QVERIFY(Migrator(*su).migrate().ok());
        DemoDataOptions options;
        options.sims = 300;
        options.now = DemoDataOptions::fixedNow();
        QVERIFY(DemoData::generate(*su, options).ok());
        Database::close(name);
    }
    std::unique_ptr<MainWindow> window = openWindow(cluster.superuser());
    QVERIFY(window);
    MainWindow &w = *window;
    SimsPage *page = w.simsPage();
    w.showSims({});
    QVERIFY(waitForRows(page));
    QTRY_COMPARE_WITH_TIMEOUT(w.listener()->state(), ChangeListener::State::Live, 10000);
    auto *table = child<QTableView>(page, "simTable");
    auto *count = child<QLabel>(page, "countLabel");
    auto *selection = child<QLabel>(page, "selectionLabel");
    auto *suspend = child<QPushButton>(page, "bulkSuspendButton");
    auto *banner = w.findChild<QWidget *>(QStringLiteral("connectionBanner"));
    const QString all = QLocale().toString(300);
    QVERIFY2(count->text().startsWith(all), qPrintable(count->text()));
    const qint64 chosen = page->model()->rowAt(3)->id;
    table->selectRow(3);
    QCOMPARE(page->selectedIds(), QList<qint64> { chosen });

    // The server goes away for a while and comes back on its port, as after a restart; the
    // list is not touched meanwhile.
    QCOMPARE(cluster.run(QStringLiteral("stop")), QString());
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 15000);
    QCOMPARE(cluster.start(), QString());
    QCOMPARE(cluster.port(), port);
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 30000);
    // The reconnect reloads the list by itself: current rows, the count, the same card chosen.
    QVERIFY(waitForRows(page));
    QVERIFY2(count->text().startsWith(all), qPrintable(count->text()));
    QCOMPARE(page->selectedIds(), QList<qint64> { chosen });
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(
        page->model()->rowAt(table->selectionModel()->selectedRows().first().row())->id, chosen);
    QVERIFY(suspend->isEnabled());

    // Gone again, and this time the list is read while the server is away: it says so, counts
    // nothing and offers no bulk action on a selection it cannot show.
    QCOMPARE(cluster.run(QStringLiteral("stop")), QString());
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 15000);
    page->refresh(Change::all());
    auto *stack = child<QStackedWidget>(page, "listStack");
    QTRY_COMPARE_WITH_TIMEOUT(
        stack->currentWidget()->objectName(), QStringLiteral("errorPage"), 10000);
    QVERIFY2(!count->text().contains(all), qPrintable(count->text()));
    QVERIFY(page->selectedIds().isEmpty());
    QVERIFY(!suspend->isEnabled());
    QVERIFY2(!selection->text().contains(QLatin1String("selected")), qPrintable(selection->text()));
    QCOMPARE(cluster.start(), QString());
    // Back without "Try again".
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 30000);
    QVERIFY(waitForRows(page));
    QVERIFY2(count->text().startsWith(all), qPrintable(count->text()));
    window.reset(); // its connections go before the server
}

void TestSimsPage::everyPartOfALinkedFilterShouldShowAsAChipThatRemovesIt()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings());
    QVERIFY(window);
    SimsPage *page = window->simsPage();
    auto *chips = child<QWidget>(page, "chipBar");
    auto *search = child<QLineEdit>(page, "searchEdit");
    auto *stack = child<QStackedWidget>(page, "listStack");
    window->showSims({});
    QVERIFY(waitForRows(page));
    QVERIFY(!chips->isVisible()); // nothing beyond the controls
    QCoreApplication::processEvents(); // the footer's layout after the count arrived
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("sims-list-1024")));

    // "Show these cards" of an import, then a search for a card of another batch.
    const QString batch = m_tdb->scalar(
        QStringLiteral("SELECT import_batch_id FROM sim_cards WHERE import_batch_id IS NOT NULL "
                       "GROUP BY 1 ORDER BY count(*), 1 LIMIT 1"));
    QVERIFY(!batch.isEmpty());
    const QString elsewhere = m_tdb->scalar(
        QStringLiteral("SELECT iccid FROM sim_cards WHERE import_batch_id IS DISTINCT FROM %1 "
                       "ORDER BY id LIMIT 1")
            .arg(batch));
    SimListFilter fromImport;
    fromImport.importBatchId = batch.toLongLong();
    window->showSims(fromImport);
    QVERIFY(waitForRows(page));
    auto *batchChip = child<QToolButton>(page, "chip_importBatch");
    QVERIFY(batchChip);
    QVERIFY(chips->isVisible());
    QVERIFY2(batchChip->text().contains(QStringLiteral("Import batch %1").arg(batch)),
        qPrintable(batchChip->text()));
    QTest::keyClicks(search, elsewhere);
    QTest::keyClick(search, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(
        stack->currentWidget()->objectName(), QStringLiteral("emptyPage"), 10000);
    // The chip says why nothing matches; removing it finds the card.
    QVERIFY(child<QToolButton>(page, "chip_importBatch")->isVisible());
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("sims-filter-chips")));
    child<QToolButton>(page, "chip_importBatch")->click();
    QVERIFY(!page->currentFilter().importBatchId);
    QCOMPARE(page->currentFilter().search, elsewhere);
    QVERIFY(waitForRows(page));
    QCOMPARE(page->model()->rowAt(0)->iccid, elsewhere);
    QTRY_VERIFY_WITH_TIMEOUT(!chips->isVisible(), 5000);

    // A customer link and a dashboard period: each part its own chip, in words.
    const QString customer = m_tdb->scalar(QStringLiteral(
        "SELECT customer_id FROM sim_cards WHERE customer_id IS NOT NULL ORDER BY id LIMIT 1"));
    const QString number = m_tdb->scalar(
        QStringLiteral("SELECT customer_no FROM customers WHERE id = %1").arg(customer));
    SimListFilter linked;
    linked.customerId = customer.toLongLong();
    linked.activatedFrom = QDateTime(QDate(2026, 11, 1), QTime(0, 0));
    linked.activatedTo = QDateTime(QDate(2026, 11, 8), QTime(0, 0));
    window->showSims(linked);
    QVERIFY(search->text().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        child<QToolButton>(page, "chip_customer")->text().contains(number), 10000);
    const QLocale locale;
    const QString period = child<QToolButton>(page, "chip_activated")->text();
    QVERIFY2(period.contains(locale.toString(QDate(2026, 11, 1), QLocale::ShortFormat))
            && period.contains(locale.toString(QDate(2026, 11, 7), QLocale::ShortFormat)),
        qPrintable(period));
    // Clear removes every part.
    child<QToolButton>(page, "clearFilterButton")->click();
    QVERIFY(page->currentFilter().isEmpty());
    QVERIFY(!chips->isVisible());
    QVERIFY(
        page->findChildren<QToolButton *>(QRegularExpression(QStringLiteral("^chip_"))).isEmpty());
}

void TestSimsPage::onlyTheSelectedRowsShouldBeTheOnesTheUserChose()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings());
    QVERIFY(window);
    SimsPage *page = window->simsPage();
    window->showSims({});
    QVERIFY(waitForRows(page));
    auto *table = child<QTableView>(page, "simTable");
    auto *all = child<QPushButton>(page, "selectAllMatchingButton");
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->rowAt(5) != nullptr, 10000);
    const QList<qint64> chosen { page->model()->rowAt(2)->id, page->model()->rowAt(5)->id };
    table->selectionModel()->select(QItemSelection(page->model()->index(2, 0),
                                        page->model()->index(2, SimListModel::ColumnCount - 1)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table->selectionModel()->select(QItemSelection(page->model()->index(5, 0),
                                        page->model()->index(5, SimListModel::ColumnCount - 1)),
        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const auto idSet = [page] {
        const QList<qint64> ids = page->selectedIds();
        return QSet<qint64>(ids.cbegin(), ids.cend());
    };
    const QSet<qint64> want(chosen.cbegin(), chosen.cend());
    QCOMPARE(idSet(), want);
    all->click();
    QVERIFY(page->allMatchingSelected());
    QVERIFY(table->selectionModel()->selectedRows().size() > 2);
    // Back to the two rows chosen, not every row that was loaded while all were selected.
    all->click();
    QVERIFY(!page->allMatchingSelected());
    QCOMPARE(idSet(), want);
    QCOMPARE(table->selectionModel()->selectedRows().size(), 2);
}

void TestSimsPage::aBulkActionOnAllMatchingShouldClearTheSelectionAndSaySo()
{
    const QString support = m_tdb->createLogin(QStringLiteral("bulk"), QStringLiteral("support"));
    ConnectionSettings settings = m_tdb->settings();
    settings.user = support;
    const std::unique_ptr<MainWindow> window = openWindow(settings);
    QVERIFY(window);
    SimsPage *page = window->simsPage();
    // Every active or suspended card of one tariff: suspend takes the active ones.
    const QString tariff = m_tdb->scalar(
        QStringLiteral("SELECT tariff_plan_id FROM sim_cards WHERE status = 'ACTIVE' AND "
                       "tariff_plan_id IS NOT NULL GROUP BY 1 HAVING count(*) BETWEEN 20 AND 400 "
                       "ORDER BY count(*) DESC LIMIT 1"));
    QVERIFY(!tariff.isEmpty());
    const int active = m_tdb
                           ->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE status = "
                                                   "'ACTIVE' AND tariff_plan_id = %1")
                                        .arg(tariff))
                           .toInt();
    SimListFilter filter;
    filter.statuses = { SimStatus::Active, SimStatus::Suspended };
    filter.tariffPlanId = tariff.toLongLong();
    window->showSims(filter);
    QVERIFY(waitForRows(page));
    auto *table = child<QTableView>(page, "simTable");
    auto *selection = child<QLabel>(page, "selectionLabel");
    auto *suspend = child<QPushButton>(page, "bulkSuspendButton");
    child<QPushButton>(page, "selectAllMatchingButton")->click();
    QVERIFY(page->allMatchingSelected());
    suspend->click();
    BulkActionDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (dialog = window->findChild<BulkActionDialog *>(QStringLiteral("bulkActionDialog"))),
        10000);
    QSignalSpy previewed(dialog, &BulkActionDialog::previewed);
    QVERIFY(dialog->previewDone() || previewed.wait(10000));
    dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit"))
        ->setText(QStringLiteral("unpaid invoices"));
    QSignalSpy applied(dialog, &BulkActionDialog::applied);
    QSignalSpy reloaded(page->model(), &SimListModel::refreshStarted);
    dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
        ->button(QDialogButtonBox::Ok)
        ->click();
    QVERIFY(applied.wait(10000));
    QCOMPARE(int(dialog->result().done), active);
    dialog->close();
    QTRY_VERIFY_WITH_TIMEOUT(reloaded.size() >= 1, 10000);
    QVERIFY(waitForRows(page));
    // Nothing is left selected that the user did not choose, and the page says why.
    QVERIFY(!page->allMatchingSelected());
    QVERIFY(page->selectedIds().isEmpty());
    QVERIFY(table->selectionModel()->selectedRows().isEmpty());
    QVERIFY(!suspend->isEnabled());
    QVERIFY2(selection->text().contains(QLatin1String("cleared")), qPrintable(selection->text()));
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("sims-after-bulk-action")));
    // Choosing rows again is an ordinary selection.
    table->selectRow(0);
    QCOMPARE(page->selectedIds().size(), 1);
    QVERIFY(suspend->isEnabled());
}

void TestSimsPage::theFirstCtrlEndAfterAClickShouldGoToTheEnd()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings());
    QVERIFY(window);
    SimsPage *page = window->simsPage();
    window->showSims({});
    QVERIFY(waitForRows(page));
    SimListModel *model = page->model();
    auto *table = child<QTableView>(page, "simTable");
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(3) != nullptr, 10000);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
        table->visualRect(model->index(3, SimListModel::Type)).center());
    QCOMPARE(table->currentIndex().row(), 3);
    const qint64 clicked = model->rowAt(3)->id;
    QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
    const int last = model->rowCount() - 1;
    QVERIFY(last > SimListModel::kBlockSize);
    // The last rows arrive (from the end, not loaded before); the view stays there.
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(last) != nullptr, 10000);
    QCOMPARE(table->currentIndex().row(), last);
    QCOMPARE(table->verticalScrollBar()->value(), table->verticalScrollBar()->maximum());
    // Ctrl moves the current row without changing the selection: the clicked card stays chosen.
    QCOMPARE(page->selectedIds(), QList<qint64> { clicked });
}

void TestSimsPage::aCardShouldHaveAWayBackAndTheSideBarShouldAlwaysNavigate()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings());
    QVERIFY(window);
    MainWindow &w = *window;
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    SimsPage *page = w.simsPage();
    w.showSims({});
    QVERIFY(waitForRows(page));
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    auto *nav = w.findChild<QListWidget *>(QStringLiteral("navigationList"));
    auto shown = [pages] {
        return pages->currentWidget()->objectName();
    };
    const qint64 first = page->model()->rowAt(0)->id;
    const qint64 second = page->model()->rowAt(1)->id;

    // Alt+Left from a card goes back to the list it was opened from.
    w.showCard(first);
    QCOMPARE(shown(), QStringLiteral("simDetailPage"));
    QTest::keyClick(&w, Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(shown(), QStringLiteral("simsPage"));

    // The side bar leaves an open card for any page, and Back returns to the card.
    w.showCard(first);
    w.showCard(second);
    QListWidgetItem *dashboard = nav->item(0);
    QCOMPARE(dashboard->data(Qt::UserRole).toString(), QStringLiteral("dashboard"));
    QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(dashboard).center());
    QCOMPARE(shown(), QStringLiteral("dashboardPage"));
    QTest::keyClick(&w, Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(shown(), QStringLiteral("simDetailPage"));
    QCOMPARE(w.detailPage()->simId(), second);
    // The mouse's back button: the card before.
    QTest::mouseClick(w.detailPage(), Qt::BackButton);
    QCOMPARE(shown(), QStringLiteral("simDetailPage"));
    QCOMPARE(w.detailPage()->simId(), first);
    // Ctrl+<row> of the side bar from a card.
    int simsRow = -1;
    for (int i = 0; i < nav->count(); ++i) {
        if (nav->item(i)->data(Qt::UserRole).toString() == QLatin1String("sims"))
            simsRow = i;
    }
    QVERIFY(simsRow >= 0 && simsRow < 9);
    QTest::keyClick(&w, Qt::Key(Qt::Key_1 + simsRow), Qt::ControlModifier);
    QCOMPARE(shown(), QStringLiteral("simsPage"));
    QTest::keyClick(&w, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(shown(), QStringLiteral("dashboardPage"));
}

// Answers the next QInputDialog with `text` (the dialog runs its own event loop).
static void answerNextInput(const QString &text)
{
    QTimer::singleShot(0, [text] {
        auto *input = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!input) {
            answerNextInput(text); // not shown yet
            return;
        }
        input->setTextValue(text);
        input->accept();
    });
}

void TestSimsPage::savedFiltersShouldBeNamedRenamedAndDeletedAndTheMenuStayOpen()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings());
    QVERIFY(window);
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    SimsPage *page = window->simsPage();
    window->showSims({});
    QVERIFY(waitForRows(page));
    auto *statusButton = child<QToolButton>(page, "statusButton");
    auto *combo = child<QComboBox>(page, "savedFiltersCombo");

    // Two statuses picked in one visit of the menu: it stays open after the first click.
    QMenu *menu = statusButton->menu();
    QVERIFY(menu);
    menu->popup(statusButton->mapToGlobal(QPoint(0, statusButton->height())));
    QVERIFY(QTest::qWaitForWindowExposed(menu));
    const QList<QAction *> statuses = menu->actions();
    QVERIFY(statuses.at(0)->icon().isNull()); // the style's check box shows, not an icon
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(statuses.at(0)).center());
    QVERIFY(menu->isVisible());
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(statuses.at(1)).center());
    QVERIFY(menu->isVisible());
    QVERIFY(statuses.at(0)->isChecked() && statuses.at(1)->isChecked());
    menu->close();
    QCOMPARE(page->currentFilter().statuses.size(), 2);

    // Saved under a name, the combo names it; Clear shows every card and the combo no name.
    answerNextInput(QStringLiteral("Two statuses"));
    child<QToolButton>(page, "saveFilterButton")->click();
    QCOMPARE(combo->currentText(), QStringLiteral("Two statuses"));
    child<QToolButton>(page, "clearFilterButton")->click();
    QCOMPARE(combo->currentIndex(), 0);
    // Chosen again, renamed, deleted.
    combo->setCurrentIndex(combo->findText(QStringLiteral("Two statuses")));
    emit combo->activated(combo->currentIndex());
    QCOMPARE(page->currentFilter().statuses.size(), 2);
    auto *rename = page->findChild<QAction *>(QStringLiteral("renameFilterAction"));
    auto *remove = page->findChild<QAction *>(QStringLiteral("deleteFilterAction"));
    QVERIFY(rename->isEnabled() && remove->isEnabled());
    answerNextInput(QStringLiteral("Active and available"));
    rename->trigger();
    QCOMPARE(combo->currentText(), QStringLiteral("Active and available"));
    QCOMPARE(combo->findText(QStringLiteral("Two statuses")), -1);
    remove->trigger();
    QCOMPARE(combo->findText(QStringLiteral("Active and available")), -1);
    QCOMPARE(combo->currentIndex(), 0);
    QCOMPARE(page->currentFilter().statuses.size(), 2); // the list keeps showing them

    // Down from the search field goes into the results.
    auto *search = child<QLineEdit>(page, "searchEdit");
    auto *table = child<QTableView>(page, "simTable");
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    search->setFocus();
    QVERIFY(waitForRows(page));
    QTest::keyClick(search, Qt::Key_Down);
    QCOMPARE(window->focusWidget(), table);
    QCOMPARE(table->currentIndex().row(), 0);
}

void TestSimsPage::anIccidRangeShouldShowItsCardsAndAChip()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings());
    QVERIFY(window);
    SimsPage *page = window->simsPage();
    window->showSims({});
    QVERIFY(waitForRows(page));
    auto iccidAt = [this](int offset) {
        return m_tdb->scalar(
            QStringLiteral("SELECT iccid FROM sim_cards ORDER BY iccid OFFSET %1 LIMIT 1")
                .arg(offset));
    };
    const QString first = iccidAt(10);
    const QString last = iccidAt(25);
    // Typed as printed on a box: groups of four; a wrong last end is explained and refused.
    bool checked = false;
    QTimer::singleShot(0, [&] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        QCOMPARE(dialog->objectName(), QStringLiteral("iccidRangeDialog"));
        auto *ok = dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                       ->button(QDialogButtonBox::Ok);
        QVERIFY(!ok->isEnabled());
        QString grouped = first;
        for (int i = 16; i > 0; i -= 4)
            grouped.insert(i, QLatin1Char(' '));
        dialog->findChild<QLineEdit *>(QStringLiteral("firstEdit"))->setText(grouped);
        auto *lastEdit = dialog->findChild<QLineEdit *>(QStringLiteral("lastEdit"));
        lastEdit->setText(QStringLiteral("8949"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(!dialog->findChild<QLabel *>(QStringLiteral("lastMessageLabel"))->text().isEmpty());
        lastEdit->setText(last);
        QVERIFY(ok->isEnabled());
        QVERIFY(saveScreenshot(dialog, QStringLiteral("sims-iccid-range")));
        checked = true;
        ok->click();
    });
    child<QToolButton>(page, "iccidRangeButton")->click();
    QVERIFY(checked);
    QCOMPARE(page->currentFilter().iccidFirst, first);
    QCOMPARE(page->currentFilter().iccidLast, last);
    QVERIFY(waitForRows(page));
    QCOMPARE(page->model()->total().count, 16);
    auto *chip = child<QToolButton>(page, "chip_iccidRange");
    QVERIFY(chip);
    QVERIFY2(chip->text().contains(first) && chip->text().contains(last), qPrintable(chip->text()));
    chip->click();
    QVERIFY(
        page->currentFilter().iccidFirst.isEmpty() && page->currentFilter().iccidLast.isEmpty());
    QVERIFY(waitForRows(page));
    QCOMPARE(page->model()->total().count, 1200);
}

void TestSimsPage::aPastedListShouldShowItsRowsInPastedOrderUntilAColumnIsSorted()
{
    const std::unique_ptr<MainWindow> window = openWindow(m_tdb->settings());
    QVERIFY(window);
    SimsPage *page = window->simsPage();
    window->showSims({});
    QVERIFY(waitForRows(page));
    // Six cards in an order that is neither by ICCID nor by id.
    const QStringList iccids
        = m_tdb
              ->scalar(QStringLiteral("SELECT string_agg(iccid, ',' ORDER BY md5(iccid)) FROM "
                                      "(SELECT iccid FROM sim_cards ORDER BY id DESC LIMIT 6) s"))
              .split(QLatin1Char(','));
    QCOMPARE(iccids.size(), 6);
    QStringList byIccid = iccids;
    byIccid.sort();
    QVERIFY(byIccid != iccids);
    // A repeated line and one that names no card change nothing in the order.
    const QStringList pasted = QStringList(iccids.mid(0, 3))
        << QStringLiteral("8949000000000000000") << iccids.at(1) << iccids.mid(3);
    QTimer::singleShot(0, [&] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        dialog->findChild<QPlainTextEdit *>(QStringLiteral("listEdit"))
            ->setPlainText(pasted.join(QLatin1Char('\n')));
        dialog->accept();
    });
    child<QToolButton>(page, "pasteListButton")->click();
    QVERIFY(waitForRows(page));
    auto shown = [page] {
        QStringList rows;
        for (int r = 0; r < page->model()->rowCount(); ++r)
            rows << (page->model()->rowAt(r) ? page->model()->rowAt(r)->iccid : QString());
        return rows;
    };
    auto *table = child<QTableView>(page, "simTable");
    auto *inPastedOrder = child<QToolButton>(page, "pastedOrderButton");
    QCOMPARE(shown(), iccids);
    QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), -1);
    QVERIFY(QTest::qWaitFor([&] { return inPastedOrder->isVisible(); }, 10000));
    QVERIFY(inPastedOrder->isChecked());
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("sims-pasted-order")));
    // A column's order, then back to the pasted one.
    table->sortByColumn(SimListModel::Iccid, Qt::AscendingOrder);
    QVERIFY(waitForRows(page));
    QCOMPARE(shown(), byIccid);
    QVERIFY(!inPastedOrder->isChecked());
    inPastedOrder->click();
    QVERIFY(waitForRows(page));
    QCOMPARE(shown(), iccids);
    QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), -1);
    QVERIFY(inPastedOrder->isChecked());
    inPastedOrder->click(); // stays in that order
    QVERIFY(inPastedOrder->isChecked());
    QCOMPARE(page->model()->sort().key, SimListSortKey::Pasted);
}

QTEST_MAIN(TestSimsPage)
#include "tst_simspage.moc"
