// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "main/mainwindow.h"
#include "records/simrepository.h"
#include "screenshots.h"
#include "services/demodata.h"
#include "testdatabase.h"

#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTest>

#include <memory>

using namespace simdesk;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void shouldShowTheCountOfEveryStatus();
    void shouldExplainAnUnreachableDatabaseAndRetry();
    void shouldRefuseAnUnmigratedDatabase();

private:
    std::unique_ptr<TestDatabase> m_tdb;
};

void TestMainWindow::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("mainwindow"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    DemoDataOptions options;
    options.sims = 1200;
    QVERIFY(DemoData::generate(m_tdb->connect(), options).ok());
}

void TestMainWindow::cleanupTestCase()
{
    m_tdb.reset();
}

void TestMainWindow::shouldShowTheCountOfEveryStatus()
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
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("overviewPage"));
    auto *table = w.findChild<QTableWidget *>(QStringLiteral("statusTable"));
    QCOMPARE(table->rowCount(), 6);
    const QMap<SimStatus, qint64> counts = *SimRepository(m_tdb->connect()).countByStatus();
    const QLocale locale;
    for (int row = 0; row < table->rowCount(); ++row) {
        const SimStatus s = *statusFromKey(table->item(row, 0)->data(Qt::UserRole).toString());
        QCOMPARE(table->item(row, 0)->text(), statusDisplayName(s));
        QCOMPARE(table->item(row, 1)->text(), locale.toString(counts.value(s)));
    }
    QVERIFY(w.findChild<QLabel *>(QStringLiteral("totalLabel"))
                ->text()
                .contains(locale.toString(1200)));
    QVERIFY(
        w.findChild<QLabel *>(QStringLiteral("connectionLabel"))->text().contains(m_tdb->name()));
    QVERIFY(saveScreenshot(&w, QStringLiteral("mainwindow-overview")));
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
    const QString message = w.findChild<QLabel *>(QStringLiteral("errorLabel"))->text();
    QVERIFY2(message.contains(QLatin1String("Could not connect")), qPrintable(message));
    QVERIFY(w.findChild<QLabel *>(QStringLiteral("errorDetailLabel"))
                ->text()
                .contains(QLatin1String("no_such_database")));
    QVERIFY(saveScreenshot(&w, QStringLiteral("mainwindow-connection-error")));

    // Retry runs the load again (and fails again, the same way).
    auto *retry = w.findChild<QPushButton *>(QStringLiteral("retryButton"));
    QVERIFY(retry->isEnabled());
    QTest::mouseClick(retry, Qt::LeftButton);
    QVERIFY(done.wait(20000));
    QCOMPARE(done.count(), 2);
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("errorPage"));
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
