// SPDX-License-Identifier: MIT
#include "customers/customerspage.h"
#include "db/changelistener.h"
#include "db/migrator.h"
#include "main/mainwindow.h"
#include "screenshots.h"
#include "services/demodata.h"
#include "sims/simspage.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace simdesk;

namespace {

constexpr int kWait = 20000;

} // namespace

// The Customers page in the signed-in window, against demo data: search as you type, sorting,
// changes made elsewhere, and Enter to open.
class TestCustomers : public QObject
{
    Q_OBJECT

public:
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void typingShouldNarrowTheListToWhatWasTyped();
    void aPhoneNumberShouldFindItsCustomerHoweverWritten();
    void sortingByCardsShouldPutTheBusiestCustomerFirst();
    void aCustomerRenamedElsewhereShouldShowWithoutAReload();
    void enterShouldOpenTheFirstMatch();

private:
    std::unique_ptr<MainWindow> openWindow();
    CustomersPage *showCustomers(MainWindow &w);
    void type(CustomersPage *page, const QString &text);

    std::unique_ptr<TestDatabase> m_tdb;
    QString m_support;
};

void TestCustomers::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("customers"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    DemoDataOptions options;
    options.sims = 3000;
    options.customers = 600;
    QVERIFY(DemoData::generate(m_tdb->connect(), options).ok());
    m_support = m_tdb->createLogin(QStringLiteral("desk"), QStringLiteral("support"));
}

void TestCustomers::init()
{
    QSettings().clear();
}

void TestCustomers::cleanupTestCase()
{
    m_tdb.reset();
}

std::unique_ptr<MainWindow> TestCustomers::openWindow()
{
    ConnectionSettings settings = m_tdb->settings();
    settings.user = m_support;
    SessionInfo session;
    session.login = m_support;
    session.displayName = QStringLiteral("Desk");
    session.role = StaffRole::Support;
    auto w = std::make_unique<MainWindow>(settings, session);
    w->resize(1024, 768);
    w->show();
    QSignalSpy refreshed(w.get(), &MainWindow::refreshed);
    w->refresh();
    if (!refreshed.wait(kWait))
        return nullptr;
    if (!QTest::qWaitFor(
            [&] { return w->listener()->state() == ChangeListener::State::Live; }, kWait))
        return nullptr;
    return w;
}

CustomersPage *TestCustomers::showCustomers(MainWindow &w)
{
    // The side bar's entry, by its shortcut as its tooltip says.
    auto *nav = w.findChild<QListWidget *>(QStringLiteral("navigationList"));
    for (int i = 0; i < nav->count(); ++i) {
        if (nav->item(i)->data(Qt::UserRole).toString() == QLatin1String("customers")) {
            if (!nav->item(i)->toolTip().contains(QStringLiteral("Ctrl+%1").arg(i + 1)))
                return nullptr;
            QTest::keyClick(&w, Qt::Key(Qt::Key_0 + i + 1), Qt::ControlModifier);
        }
    }
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    return pages->currentWidget() == w.customersPage() ? w.customersPage() : nullptr;
}

void TestCustomers::type(CustomersPage *page, const QString &text)
{
    auto *search = page->findChild<QLineEdit *>(QStringLiteral("searchEdit"));
    search->clear();
    // Key by key, as typed; a Latin-1 letter's key code is its upper-case code point.
    for (QChar c : text) {
        QTest::sendKeyEvent(
            QTest::Click, search, Qt::Key(c.toUpper().unicode()), QString(c), Qt::NoModifier);
    }
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->search(), text, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!page->model()->isLoading(), kWait);
}

void TestCustomers::typingShouldNarrowTheListToWhatWasTyped()
{
    const auto window = openWindow();
    QVERIFY(window);
    CustomersPage *page = showCustomers(*window);
    QVERIFY(page);
    CustomerListModel *model = page->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), CustomerListModel::kPageSize, kWait);
    type(page, QStringLiteral("müll"));
    // Counted here without the search text: any of the fields, accents and case ignored.
    const QString expected = m_tdb->scalar(QStringLiteral(
        "SELECT count(*) FROM customers WHERE lower(unaccent(concat_ws(' ', full_name, company, "
        "customer_no, email))) LIKE '%mull%'"));
    QVERIFY(expected.toInt() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(QString::number(model->rowCount()), expected, kWait);
    for (int r = 0; r < model->rowCount(); ++r) {
        const CustomerListRow *row = model->rowAt(r);
        const QString text = QStringList { row->fullName, row->company, row->email }
                                 .join(QLatin1Char(' '))
                                 .toLower();
        QVERIFY2(text.contains(QStringLiteral("müll")) || text.contains(QStringLiteral("mull")),
            qPrintable(text));
    }
    auto *count = page->findChild<QLabel *>(QStringLiteral("countLabel"));
    QTRY_COMPARE_WITH_TIMEOUT(
        count->text(), CustomersPage::tr("Customers: %1").arg(expected), kWait);
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("customers-search")));
}

void TestCustomers::aPhoneNumberShouldFindItsCustomerHoweverWritten()
{
    const auto window = openWindow();
    QVERIFY(window);
    CustomersPage *page = showCustomers(*window);
    QVERIFY(page);
    const QString phone
        = m_tdb->scalar(QStringLiteral("SELECT phone FROM customers WHERE phone IS NOT NULL "
                                       "ORDER BY id LIMIT 1"));
    QVERIFY(phone.startsWith(QLatin1Char('+')));
    const QString id = m_tdb->scalar(
        QStringLiteral("SELECT id FROM customers WHERE phone = '%1' ORDER BY id").arg(phone));
    // "+49 1512 345678", "0049 1512345678": the country code, then groups as people write them.
    const QString spaced
        = phone.left(3) + QLatin1Char(' ') + phone.mid(3, 4) + QLatin1Char(' ') + phone.mid(7);
    const QString zeros = QStringLiteral("00") + phone.mid(1, 2) + QLatin1Char(' ') + phone.mid(3);
    for (const QString &typed : { spaced, zeros }) {
        type(page, typed);
        QVERIFY2(page->model()->rowOfId(id.toLongLong()) >= 0, qPrintable(typed));
    }
}

void TestCustomers::sortingByCardsShouldPutTheBusiestCustomerFirst()
{
    const auto window = openWindow();
    QVERIFY(window);
    CustomersPage *page = showCustomers(*window);
    QVERIFY(page);
    auto *table = page->findChild<QTableView *>(QStringLiteral("customerTable"));
    QHeaderView *header = table->horizontalHeader();
    const int x = header->sectionViewportPosition(CustomerListModel::Cards) + 5;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, 5));
    if (header->sortIndicatorOrder() != Qt::DescendingOrder)
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, 5));
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->customerSort().key == CustomerSortKey::Cards
            && page->model()->customerSort().order == Qt::DescendingOrder,
        kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!page->model()->isLoading() && page->model()->rowAt(0), kWait);
    QCOMPARE(QString::number(page->model()->rowAt(0)->cards),
        m_tdb->scalar(QStringLiteral("SELECT max(n) FROM (SELECT count(*) AS n FROM sim_cards "
                                     "WHERE customer_id IS NOT NULL GROUP BY customer_id) c")));
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("customers-by-cards")));
}

void TestCustomers::aCustomerRenamedElsewhereShouldShowWithoutAReload()
{
    const auto window = openWindow();
    QVERIFY(window);
    CustomersPage *page = showCustomers(*window);
    QVERIFY(page);
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->rowAt(0), kWait);
    const qint64 id = page->model()->rowAt(0)->id;
    // The name stays first by name order; another workstation renames the customer.
    QCOMPARE(
        m_tdb->exec(
            QStringLiteral("UPDATE customers SET full_name = 'Aaron Aalto' WHERE id = %1").arg(id)),
        QString());
    QTRY_COMPARE_WITH_TIMEOUT(
        page->model()->rowAt(0) ? page->model()->rowAt(0)->fullName : QString(),
        QStringLiteral("Aaron Aalto"), kWait);
    QCOMPARE(page->model()->rowAt(0)->id, id);
}

void TestCustomers::enterShouldOpenTheFirstMatch()
{
    const auto window = openWindow();
    QVERIFY(window);
    CustomersPage *page = showCustomers(*window);
    QVERIFY(page);
    QSignalSpy opened(page, &CustomersPage::openCustomer);
    const QString number = m_tdb->scalar(
        QStringLiteral("SELECT customer_no FROM customers ORDER BY id DESC LIMIT 1"));
    auto *search = page->findChild<QLineEdit *>(QStringLiteral("searchEdit"));
    search->clear();
    // Typed and Enter at once, faster than the search runs.
    QTest::keyClicks(search, number);
    QTest::keyClick(search, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kWait);
    QCOMPARE(opened.at(0).at(0).toLongLong(),
        m_tdb
            ->scalar(
                QStringLiteral("SELECT id FROM customers WHERE customer_no = '%1'").arg(number))
            .toLongLong());
}

QTEST_MAIN(TestCustomers)
#include "tst_customers.moc"
