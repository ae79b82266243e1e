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

QTEST_MAIN(TestSimsPage)
#include "tst_simspage.moc"
