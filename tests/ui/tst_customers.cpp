// SPDX-License-Identifier: MIT
#include "codes/codespage.h"
#include "common/errorview.h"
#include "customers/assignsimdialog.h"
#include "customers/customerpage.h"
#include "customers/customerspage.h"
#include "customers/editcustomerdialog.h"
#include "db/changelistener.h"
#include "db/migrator.h"
#include "main/mainwindow.h"
#include "records/activationcoderepository.h"
#include "records/customerrepository.h"
#include "screenshots.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "sims/actiondialog.h"
#include "sims/bulkactiondialog.h"
#include "sims/iccidrangedialog.h"
#include "sims/pastelistdialog.h"
#include "sims/simdetailpage.h"
#include "sims/simspage.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

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
    void theCustomerPageShouldShowDataCardsAndOneHistory();
    void editShouldCheckAsTypedAndSaveTheNormalisedPhone();
    void aStaleEditShouldSayWhoChangedTheCustomer();
    void aNewCustomerFromTheListShouldOpenTheirPage();
    void deleteShouldExplainForACardHolderAndDeleteOtherwise();
    void assignAndActivateFromTheCustomerPageShouldShowInBothHistories();
    void anAdminShouldAnonymiseOnceTheLastCardIsTerminated();
    void aCustomerMadeInsideActivateShouldThenBeServedFromTheirPage();
    void theirCardsShouldTakeTheSimListsBulkActions();
    void ctrlKShouldFindCustomersAndActivationCodes();

private:
    std::unique_ptr<MainWindow> openWindow(StaffRole role = StaffRole::Support);
    CustomerPage *openCustomer(MainWindow &w, qint64 id);
    EditCustomerDialog *openEdit(CustomerPage *page);
    CustomersPage *showCustomers(MainWindow &w);
    void type(CustomersPage *page, const QString &text);

    std::unique_ptr<TestDatabase> m_tdb;
    QString m_support;
    QString m_admin;
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

std::unique_ptr<MainWindow> TestCustomers::openWindow(StaffRole role)
{
    if (role == StaffRole::Admin && m_admin.isEmpty())
        m_admin = m_tdb->createLogin(QStringLiteral("boss"), QStringLiteral("admin"));
    const QString login = role == StaffRole::Admin ? m_admin : m_support;
    ConnectionSettings settings = m_tdb->settings();
    settings.user = login;
    SessionInfo session;
    session.login = login;
    session.displayName = QStringLiteral("Desk");
    session.role = role;
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
    w.activateWindow();
    if (!QTest::qWaitForWindowActive(&w))
        return nullptr;
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

CustomerPage *TestCustomers::openCustomer(MainWindow &w, qint64 id)
{
    QSignalSpy loaded(w.customerPage() ? w.customerPage() : nullptr, &CustomerPage::loaded);
    w.showCustomer(id);
    CustomerPage *page = w.customerPage();
    if (!page || (page->detail() && page->customerId() == id && !loaded.isEmpty()))
        return page;
    QSignalSpy again(page, &CustomerPage::loaded);
    return again.wait(kWait) || (page->detail() && page->detail()->customer.id == id) ? page
                                                                                      : nullptr;
}

EditCustomerDialog *TestCustomers::openEdit(CustomerPage *page)
{
    // Ctrl+E, as the button's tooltip says, with the focus on the page.
    page->window()->activateWindow();
    if (!QTest::qWaitForWindowActive(page->window()))
        return nullptr;
    QWidget *tabs = page->findChild<QTabWidget *>(QStringLiteral("tabs"));
    tabs->setFocus();
    QTest::keyClick(tabs, Qt::Key_E, Qt::ControlModifier);
    return page->findChild<EditCustomerDialog *>(QStringLiteral("editCustomerDialog"));
}

void TestCustomers::theCustomerPageShouldShowDataCardsAndOneHistory()
{
    const auto window = openWindow();
    QVERIFY(window);
    // The customer with the most card events.
    const qint64 id = m_tdb
                          ->scalar(QStringLiteral("SELECT customer_id FROM sim_events WHERE "
                                                  "customer_id IS NOT NULL GROUP BY customer_id "
                                                  "ORDER BY count(*) DESC, customer_id LIMIT 1"))
                          .toLongLong();
    QVERIFY(id > 0);
    // A change of the record, so that both kinds of history are there.
    QCOMPARE(
        m_tdb->exec(
            QStringLiteral("UPDATE customers SET notes = 'Prefers e-mail' WHERE id = %1").arg(id)),
        QString());
    CustomerPage *page = openCustomer(*window, id);
    QVERIFY(page);
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("titleLabel"))->text(),
        m_tdb->scalar(QStringLiteral("SELECT full_name FROM customers WHERE id = %1").arg(id)));
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("notesValue"))->text(),
        QStringLiteral("Prefers e-mail"));
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("customer-details")));

    // Their cards: exactly the cards they hold.
    auto *tabs = page->findChild<QTabWidget *>(QStringLiteral("tabs"));
    tabs->setCurrentWidget(page->findChild<QWidget *>(QStringLiteral("cardsTab")));
    const QString held = m_tdb->scalar(
        QStringLiteral("SELECT count(*) FROM sim_cards WHERE customer_id = %1").arg(id));
    QTRY_COMPARE_WITH_TIMEOUT(QString::number(page->cardsModel()->rowCount()), held, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(page->cardsModel()->rowAt(0), kWait);
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("customer-cards")));

    // One history: the record's change and every event of their cards, newest first.
    tabs->setCurrentWidget(page->findChild<QWidget *>(QStringLiteral("historyTab")));
    auto *tree = page->findChild<QTreeWidget *>(QStringLiteral("historyTree"));
    const int events
        = m_tdb
              ->scalar(
                  QStringLiteral("SELECT count(*) FROM sim_events WHERE customer_id = %1").arg(id))
              .toInt();
    const int audits = m_tdb
                           ->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE "
                                                   "table_name = 'customers' AND row_id = %1")
                                        .arg(id))
                           .toInt();
    QCOMPARE(tree->topLevelItemCount(), std::min(500, events + audits));
    QCOMPARE(tree->topLevelItem(0)->text(2),
        CustomerPage::tr("Changed: %1").arg(CustomerPage::tr("notes")));
    const QList<CustomerHistoryEntry> &history = page->detail()->history;
    for (int i = 1; i < history.size(); ++i)
        QVERIFY(history.at(i - 1).at >= history.at(i).at);
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("customer-history")));
}

void TestCustomers::editShouldCheckAsTypedAndSaveTheNormalisedPhone()
{
    const auto window = openWindow();
    QVERIFY(window);
    const qint64 id = m_tdb->scalar(QStringLiteral("SELECT min(id) FROM customers")).toLongLong();
    CustomerPage *page = openCustomer(*window, id);
    QVERIFY(page);
    EditCustomerDialog *dialog = openEdit(page);
    QVERIFY(dialog);
    QPushButton *save = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!save->isEnabled()); // nothing changed yet
    auto *email = dialog->findChild<QLineEdit *>(QStringLiteral("emailEdit"));
    auto *phone = dialog->findChild<QLineEdit *>(QStringLiteral("phoneEdit"));
    auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"));
    email->setText(QStringLiteral("not an address"));
    QVERIFY(!save->isEnabled());
    QVERIFY(!dialog->findChild<QLabel *>(QStringLiteral("emailMessageLabel"))->text().isEmpty());
    name->setText(QStringLiteral("   "));
    QVERIFY(!save->isEnabled());
    name->setText(QStringLiteral("Greta Gärtner"));
    email->setText(QStringLiteral("greta@example.org"));
    phone->setText(QStringLiteral("0049 (151) 2345-6789"));
    QVERIFY(save->isEnabled());
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("phoneMessageLabel"))
                ->text()
                .contains(QStringLiteral("+4915123456789")));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("customer-edit")));
    QSignalSpy loaded(page, &CustomerPage::loaded);
    QTest::mouseClick(save, Qt::LeftButton);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT full_name || '|' || email || '|' || phone FROM customers "
                                "WHERE id = %1")
                     .arg(id)),
        QStringLiteral("Greta Gärtner|greta@example.org|+4915123456789"));
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("titleLabel"))->text(),
        QStringLiteral("Greta Gärtner"));
    // The list found her by the new name at once (this window announced the change).
    CustomersPage *list = showCustomers(*window);
    QVERIFY(list);
    type(list, QStringLiteral("gartner"));
    QCOMPARE(list->model()->rowCount(), 1);
    QCOMPARE(list->model()->rowAt(0)->id, id);
}

void TestCustomers::aStaleEditShouldSayWhoChangedTheCustomer()
{
    const auto window = openWindow();
    QVERIFY(window);
    const qint64 id = m_tdb->scalar(QStringLiteral("SELECT max(id) FROM customers")).toLongLong();
    CustomerPage *page = openCustomer(*window, id);
    QVERIFY(page);
    EditCustomerDialog *dialog = openEdit(page);
    QVERIFY(dialog);
    // Meanwhile a colleague changes the same customer on another workstation.
    const QString colleague
        = m_tdb->createLogin(QStringLiteral("colleague"), QStringLiteral("support"));
    CustomerRepository other(m_tdb->connectAs(colleague));
    Result<Customer> theirs = other.find(id);
    QVERIFY(theirs.ok());
    Customer changed = theirs.value();
    changed.company = QStringLiteral("Colleague GmbH");
    QVERIFY(other.update(changed).ok());

    dialog->findChild<QLineEdit *>(QStringLiteral("companyEdit"))
        ->setText(QStringLiteral("Mine AG"));
    QPushButton *save = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTest::mouseClick(save, Qt::LeftButton);
    auto *error = dialog->findChild<ErrorView *>(QStringLiteral("errorView"));
    QTRY_VERIFY_WITH_TIMEOUT(error->error().has_value(), kWait);
    QCOMPARE(error->error()->code, ErrorCode::StaleVersion);
    const QString who = m_tdb->scalar(
        QStringLiteral("SELECT display_name FROM staff WHERE login = '%1'").arg(colleague));
    QVERIFY(!who.isEmpty());
    QVERIFY2(error->text().contains(who), qPrintable(error->text()));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("customer-edit-stale")));
    // Nothing of ours was written over theirs.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT company FROM customers WHERE id = %1").arg(id)),
        QStringLiteral("Colleague GmbH"));
    dialog->reject();
}

void TestCustomers::aNewCustomerFromTheListShouldOpenTheirPage()
{
    const auto window = openWindow();
    QVERIFY(window);
    CustomersPage *list = showCustomers(*window);
    QVERIFY(list);
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    auto *search = list->findChild<QLineEdit *>(QStringLiteral("searchEdit"));
    search->setFocus();
    QTest::keyClick(search, Qt::Key_N, Qt::ControlModifier);
    auto *dialog = window->findChild<EditCustomerDialog *>(QStringLiteral("newCustomerDialog"));
    QVERIFY(dialog);
    QPushButton *create = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!create->isEnabled()); // a name is needed
    dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"))
        ->setText(QStringLiteral("Neu Kundin"));
    dialog->findChild<QLineEdit *>(QStringLiteral("phoneEdit"))
        ->setText(QStringLiteral("+49 170 7654321"));
    QVERIFY(create->isEnabled());
    QVERIFY(saveScreenshot(dialog, QStringLiteral("customer-new")));
    QTest::mouseClick(create, Qt::LeftButton);
    auto *pages = window->findChild<QStackedWidget *>(QStringLiteral("pages"));
    QTRY_COMPARE_WITH_TIMEOUT(
        pages->currentWidget(), static_cast<QWidget *>(window->customerPage()), kWait);
    const qint64 id
        = m_tdb->scalar(QStringLiteral("SELECT id FROM customers WHERE full_name = 'Neu Kundin'"))
              .toLongLong();
    QVERIFY(id > 0);
    QCOMPARE(window->customerPage()->customerId(), id);
    QTRY_COMPARE_WITH_TIMEOUT(
        window->customerPage()->findChild<QLabel *>(QStringLiteral("titleLabel"))->text(),
        QStringLiteral("Neu Kundin"), kWait);
    QVERIFY(m_tdb->scalar(QStringLiteral("SELECT customer_no FROM customers WHERE id = %1").arg(id))
                .startsWith(QLatin1String("C-")));
}

void TestCustomers::deleteShouldExplainForACardHolderAndDeleteOtherwise()
{
    const auto window = openWindow();
    QVERIFY(window);
    const qint64 holder
        = m_tdb->scalar(QStringLiteral("SELECT min(customer_id) FROM sim_cards")).toLongLong();
    CustomerPage *page = openCustomer(*window, holder);
    QVERIFY(page);
    QVERIFY(!page->askDelete()); // no question: it explains
    auto *banner = page->findChild<ErrorView *>(QStringLiteral("errorView"));
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(CustomerPage::tr("An administrator can anonymise")));
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("customer-delete-explained")));
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("anonymiseButton"))->isVisible());

    Customer fresh;
    fresh.fullName = QStringLiteral("Kurz Besuch");
    const Result<Customer> made = CustomerRepository(m_tdb->connect()).create(fresh);
    QVERIFY(made.ok());
    page = openCustomer(*window, made->id);
    QVERIFY(page);
    QMessageBox *ask = page->askDelete();
    QVERIFY(ask);
    QVERIFY(saveScreenshot(ask, QStringLiteral("customer-delete-question")));
    auto *pages = window->findChild<QStackedWidget *>(QStringLiteral("pages"));
    for (QAbstractButton *b : ask->buttons()) {
        if (ask->buttonRole(b) == QMessageBox::DestructiveRole)
            b->click();
    }
    QTRY_COMPARE_WITH_TIMEOUT(
        pages->currentWidget(), static_cast<QWidget *>(window->customersPage()), kWait);
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM customers WHERE id = %1").arg(made->id)),
        QStringLiteral("0"));
}

void TestCustomers::assignAndActivateFromTheCustomerPageShouldShowInBothHistories()
{
    const auto window = openWindow();
    QVERIFY(window);
    Customer fresh;
    fresh.fullName = QStringLiteral("Neue Karte");
    const Result<Customer> made = CustomerRepository(m_tdb->connect()).create(fresh);
    QVERIFY(made.ok());
    CustomerPage *page = openCustomer(*window, made->id);
    QVERIFY(page);
    auto *dialog = qobject_cast<AssignSimDialog *>(page->assignSim());
    QVERIFY(dialog);
    const QString iccid = m_tdb->scalar(QStringLiteral(
        "SELECT iccid FROM sim_cards WHERE status = 'AVAILABLE' ORDER BY id DESC LIMIT 1"));
    const qint64 sim
        = m_tdb->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'").arg(iccid))
              .toLongLong();
    // Scanned: the whole ICCID, as a scanner types it.
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("searchEdit")), iccid);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->model()->rowCount() == 1 && dialog->model()->rowAt(0)
            && dialog->model()->rowAt(0)->id == sim,
        kWait);
    auto *table = dialog->findChild<QTableView *>(QStringLiteral("cardsTable"));
    table->selectRow(0);
    QCOMPARE(dialog->selectedIds(), QList<qint64> { sim });
    dialog->findChild<QRadioButton *>(QStringLiteral("activateRadio"))->setChecked(true);
    auto *tariffs = dialog->findChild<QComboBox *>(QStringLiteral("tariffCombo"));
    QTRY_VERIFY_WITH_TIMEOUT(tariffs->count() > 0, kWait);
    QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    QVERIFY(saveScreenshot(dialog, QStringLiteral("customer-assign-sim")));
    const qint64 tariff = tariffs->currentData().toLongLong();
    QSignalSpy loaded(page, &CustomerPage::loaded);
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT concat_ws('|', status, customer_id, "
                                          "tariff_plan_id) FROM sim_cards WHERE id = %1")
                               .arg(sim)),
        QStringLiteral("ACTIVE|%1|%2").arg(made->id).arg(tariff));
    // The customer's history and the card's history both show the activation.
    const CustomerHistoryEntry &newest = page->detail()->history.first();
    QCOMPARE(newest.kind, CustomerHistoryEntry::Kind::Card);
    QCOMPARE(newest.what, QStringLiteral("ACTIVATED"));
    QCOMPARE(newest.iccid, iccid);
    QCOMPARE(page->detail()->activeCards, 1);
    window->showCard(sim);
    QTRY_VERIFY_WITH_TIMEOUT(window->detailPage()->detail() && !window->detailPage()->isLoading()
            && window->detailPage()->detail()->card.id == sim,
        kWait);
    const QList<SimEvent> &cardHistory = window->detailPage()->detail()->history;
    QVERIFY(std::any_of(cardHistory.cbegin(), cardHistory.cend(), [&](const SimEvent &e) {
        return e.type == QLatin1String("ACTIVATED") && e.customerId == made->id;
    }));
}

void TestCustomers::anAdminShouldAnonymiseOnceTheLastCardIsTerminated()
{
    const auto window = openWindow(StaffRole::Admin);
    QVERIFY(window);
    // A customer with one card in use, and other cards that held them.
    const qint64 id
        = m_tdb
              ->scalar(QStringLiteral("SELECT customer_id FROM sim_cards WHERE status IN "
                                      "('RESERVED', 'ACTIVE', 'SUSPENDED') GROUP BY "
                                      "customer_id ORDER BY count(*), customer_id LIMIT 1"))
              .toLongLong();
    QVERIFY(id > 0);
    CustomerPage *page = openCustomer(*window, id);
    QVERIFY(page);
    auto *anonymise = page->findChild<QPushButton *>(QStringLiteral("anonymiseButton"));
    QVERIFY(anonymise->isVisible());
    QVERIFY(!anonymise->isEnabled());
    QVERIFY(!anonymise->toolTip().isEmpty());
    // Another workstation terminates the cards in use; the page follows by itself.
    LifecycleService life(m_tdb->connectAs(m_admin));
    for (const QString &sim :
        m_tdb
            ->scalar(QStringLiteral("SELECT string_agg(id::text, ',') FROM sim_cards WHERE "
                                    "customer_id = %1 AND status IN ('RESERVED', 'ACTIVE', "
                                    "'SUSPENDED')")
                         .arg(id))
            .split(QLatin1Char(','))) {
        QVERIFY(life.terminate(sim.toLongLong(), QStringLiteral("Customer left")).ok());
    }
    QTRY_VERIFY_WITH_TIMEOUT(anonymise->isEnabled(), kWait);
    QMessageBox *ask = page->askAnonymise();
    QVERIFY(ask);
    QVERIFY(saveScreenshot(ask, QStringLiteral("customer-anonymise-question")));
    for (QAbstractButton *b : ask->buttons()) {
        if (ask->buttonRole(b) == QMessageBox::DestructiveRole)
            b->click();
    }
    const QString number
        = m_tdb->scalar(QStringLiteral("SELECT customer_no FROM customers WHERE id = %1").arg(id));
    QTRY_COMPARE_WITH_TIMEOUT(page->findChild<QLabel *>(QStringLiteral("titleLabel"))->text(),
        QStringLiteral("Anonymised customer %1").arg(number), kWait);
    QVERIFY(!anonymise->isVisible());
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("editButton"))->isEnabled());
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT concat(email, phone, address) FROM customers "
                                          "WHERE id = %1")
                               .arg(id)),
        QString());
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("customer-anonymised")));
}

// Picks the visible dialog of type D named `name` under `parent` (one closed before may still
// wait for its deleteLater).
template<typename D> static D *visibleDialog(QObject *parent, const QString &name)
{
    D *dialog = nullptr;
    const bool found = QTest::qWaitFor(
        [&] {
            for (D *d : parent->findChildren<D *>(name)) {
                if (d->isVisible())
                    dialog = d;
            }
            return dialog != nullptr;
        },
        kWait);
    return found ? dialog : nullptr;
}

static QPushButton *okOf(QDialog *dialog)
{
    return dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
        ->button(QDialogButtonBox::Ok);
}

void TestCustomers::aCustomerMadeInsideActivateShouldThenBeServedFromTheirPage()
{
    const auto window = openWindow();
    QVERIFY(window);
    QCOMPARE(
        m_tdb->exec(QStringLiteral(
            "INSERT INTO activation_codes (code, expires_at) VALUES ('CUST-GOOD-01', now() + "
            "interval '30 days'), ('CUST-LATE-01', now() - interval '1 day'), ('CUST-USED-01', "
            "now() + interval '30 days')")),
        QString());
    QVERIFY(
        ActivationCodeRepository(m_tdb->connect())
            .markUsed(QStringLiteral("CUST-USED-01"), QStringLiteral("handed out at the shop")));
    // Three available cards: one for Activate on its own page, two for Assign SIM.
    const QStringList iccids
        = m_tdb
              ->scalar(QStringLiteral(
                  "SELECT string_agg(iccid, ',' ORDER BY iccid) FROM (SELECT iccid FROM sim_cards "
                  "WHERE "
                  "status = 'AVAILABLE' AND sim_type = 'prepaid' ORDER BY iccid DESC LIMIT 3) s"))
              .split(QLatin1Char(','));
    QCOMPARE(iccids.size(), 3);
    auto idOf = [&](const QString &iccid) {
        return m_tdb
            ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'").arg(iccid))
            .toLongLong();
    };
    const qint64 a = idOf(iccids[0]), b = idOf(iccids[1]), c = idOf(iccids[2]);

    // Activate on the card's page; the customer is not in the database yet: New customer…
    window->showCard(a);
    SimDetailPage *detail = window->detailPage();
    QTRY_VERIFY_WITH_TIMEOUT(
        detail->detail() && !detail->isLoading() && detail->detail()->card.id == a, kWait);
    auto *activateButton = detail->findChild<QPushButton *>(QStringLiteral("activateButton"));
    QTRY_VERIFY_WITH_TIMEOUT(activateButton->isEnabled(), kWait);
    activateButton->click();
    auto *activate = visibleDialog<ActionDialog>(detail, QStringLiteral("actionDialog"));
    QVERIFY(activate);
    activate->setDebounceInterval(0);
    auto *newButton = activate->findChild<QPushButton *>(QStringLiteral("newCustomerButton"));
    QVERIFY(newButton->isVisible());
    newButton->click();
    auto *create = visibleDialog<EditCustomerDialog>(activate, QStringLiteral("newCustomerDialog"));
    QVERIFY(create);
    create->findChild<QLineEdit *>(QStringLiteral("nameEdit"))
        ->setText(QStringLiteral("Inge Innen"));
    create->findChild<QLineEdit *>(QStringLiteral("phoneEdit"))
        ->setText(QStringLiteral("+49 170 1112223"));
    QVERIFY(saveScreenshot(create, QStringLiteral("activate-new-customer")));
    QVERIFY(okOf(create)->isEnabled());
    QTest::mouseClick(okOf(create), Qt::LeftButton);
    qint64 inge = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        (inge = m_tdb
                    ->scalar(
                        QStringLiteral("SELECT id FROM customers WHERE full_name = 'Inge Innen'"))
                    .toLongLong())
            > 0,
        kWait);
    // Back in Activate, which is still open, with the new customer selected.
    auto *customers = activate->findChild<QListWidget *>(QStringLiteral("customerList"));
    QTRY_VERIFY_WITH_TIMEOUT(customers->currentItem()
            && customers->currentItem()->data(Qt::UserRole).toLongLong() == inge,
        kWait);
    QVERIFY(activate->isVisible());
    auto *tariffs = activate->findChild<QComboBox *>(QStringLiteral("tariffCombo"));
    QTRY_VERIFY_WITH_TIMEOUT(tariffs->isEnabled(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(okOf(activate)->isEnabled(), kWait);
    QVERIFY(saveScreenshot(activate, QStringLiteral("activate-new-customer-selected")));
    QTest::mouseClick(okOf(activate), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_tdb->scalar(QStringLiteral("SELECT concat_ws('|', status, customer_id) FROM sim_cards "
                                     "WHERE id = %1")
                          .arg(a)),
        QStringLiteral("ACTIVE|%1").arg(inge), kWait);

    // Their page: Assign SIM with a pasted list (a line naming no card, one an active card),
    // both available cards reserved at once.
    CustomerPage *page = openCustomer(*window, inge);
    QVERIFY(page);
    auto *assign = qobject_cast<AssignSimDialog *>(page->assignSim());
    QVERIFY(assign);
    assign->setDebounceInterval(0);
    auto *paste = qobject_cast<PasteListDialog *>(assign->pasteList());
    QVERIFY(paste);
    const QString activeIccid = m_tdb->scalar(
        QStringLiteral("SELECT iccid FROM sim_cards WHERE status = 'ACTIVE' AND id <> %1 "
                       "ORDER BY id LIMIT 1")
            .arg(a));
    paste->setText(
        QStringList { iccids[1], iccids[2], QStringLiteral("+49 999 0000000"), activeIccid }.join(
            QLatin1Char('\n')));
    QVERIFY(saveScreenshot(paste, QStringLiteral("customer-assign-paste")));
    QSignalSpy checked(assign, &AssignSimDialog::listChecked);
    QTest::mouseClick(okOf(paste), Qt::LeftButton);
    QVERIFY(checked.wait(kWait));
    auto *listLabel = assign->findChild<QLabel *>(QStringLiteral("listLabel"));
    QVERIFY2(listLabel->text().contains(QLatin1String("+49 999 0000000"))
            && listLabel->text().contains(activeIccid),
        qPrintable(listLabel->text()));
    QTRY_COMPARE_WITH_TIMEOUT(assign->model()->rowCount(), 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(assign->selectedIds().size(), 2, kWait); // all of the list
    QVERIFY(saveScreenshot(assign, QStringLiteral("customer-assign-pasted-list")));
    QVERIFY(okOf(assign)->isEnabled());
    // A code activates one card: with two selected, Activate waits for one.
    assign->findChild<QRadioButton *>(QStringLiteral("activateRadio"))->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(
        assign->findChild<QComboBox *>(QStringLiteral("tariffCombo"))->count() > 0, kWait);
    QVERIFY(okOf(assign)->isEnabled());
    auto *listCode = assign->findChild<QLineEdit *>(QStringLiteral("codeEdit"));
    QTest::keyClicks(listCode, QStringLiteral("CUST-GOOD-01"));
    QTRY_VERIFY_WITH_TIMEOUT(assign->codeCheck()->acceptable(), kWait);
    QVERIFY(!okOf(assign)->isEnabled());
    QVERIFY(assign->findChild<QLabel *>(QStringLiteral("selectionLabel"))
                ->text()
                .contains(QLatin1String("activates one card")));
    listCode->clear();
    assign->findChild<QRadioButton *>(QStringLiteral("reserveRadio"))->setChecked(true);
    QVERIFY(okOf(assign)->isEnabled());
    QSignalSpy loaded(page, &CustomerPage::loaded);
    QTest::mouseClick(okOf(assign), Qt::LeftButton);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT string_agg(status || ':' || customer_id, ',' "
                                          "ORDER BY id) FROM sim_cards WHERE id IN (%1, %2)")
                               .arg(b)
                               .arg(c)),
        QStringLiteral("RESERVED:%1,RESERVED:%1").arg(inge));

    // Assign SIM again: one reserved card by its ICCID range, activated with a code that is
    // checked as it is typed.
    assign = qobject_cast<AssignSimDialog *>(page->assignSim());
    QVERIFY(assign);
    assign->setDebounceInterval(0);
    auto *range = qobject_cast<IccidRangeDialog *>(assign->chooseIccidRange());
    QVERIFY(range);
    range->findChild<QLineEdit *>(QStringLiteral("firstEdit"))->setText(iccids[2]);
    range->findChild<QLineEdit *>(QStringLiteral("lastEdit"))->setText(iccids[2]);
    QVERIFY(okOf(range)->isEnabled());
    QTest::mouseClick(okOf(range), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(assign->model()->rowCount() == 1 && assign->model()->rowAt(0)
            && assign->model()->rowAt(0)->id == c,
        kWait);
    QTRY_COMPARE_WITH_TIMEOUT(assign->selectedIds(), QList<qint64> { c }, kWait);
    assign->findChild<QRadioButton *>(QStringLiteral("activateRadio"))->setChecked(true);
    auto *assignTariffs = assign->findChild<QComboBox *>(QStringLiteral("tariffCombo"));
    QTRY_VERIFY_WITH_TIMEOUT(assignTariffs->count() > 0, kWait);
    auto *code = assign->findChild<QLineEdit *>(QStringLiteral("codeEdit"));
    auto *codeStatus = assign->findChild<QLabel *>(QStringLiteral("codeStatusLabel"));
    const struct
    {
        QString typed;
        QString says;
    } cases[] = {
        { QStringLiteral("cust-late-01"), QStringLiteral("Expired on") },
        { QStringLiteral("CUST-USED-01"), QStringLiteral("Used on") },
        { QStringLiteral("NO-SUCH-CODE"), QStringLiteral("Unknown") },
    };
    for (const auto &k : cases) {
        code->clear();
        QTest::keyClicks(code, k.typed);
        QTRY_VERIFY2_WITH_TIMEOUT(
            codeStatus->text().startsWith(k.says), qPrintable(k.typed), kWait);
        QVERIFY(!okOf(assign)->isEnabled());
        if (k.says == QLatin1String("Expired on"))
            QVERIFY(saveScreenshot(assign, QStringLiteral("customer-assign-code-expired")));
    }
    code->clear();
    QVERIFY(okOf(assign)->isEnabled()); // no code is fine too
    QTest::keyClicks(code, QStringLiteral(" cust-good-01 "));
    QVERIFY(!okOf(assign)->isEnabled()); // not until it is checked
    QTRY_VERIFY_WITH_TIMEOUT(codeStatus->text().contains(QLatin1String("Usable")), kWait);
    QVERIFY(okOf(assign)->isEnabled());
    QVERIFY(saveScreenshot(assign, QStringLiteral("customer-assign-range-code")));
    const qint64 tariff = assignTariffs->currentData().toLongLong();
    loaded.clear();
    QTest::mouseClick(okOf(assign), Qt::LeftButton);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT concat_ws('|', status, customer_id, "
                                          "tariff_plan_id) FROM sim_cards WHERE id = %1")
                               .arg(c)),
        QStringLiteral("ACTIVE|%1|%2").arg(inge).arg(tariff));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT a.status || ':' || s.id FROM activation_codes a JOIN sim_cards s ON "
                 "s.activation_code_id = a.id WHERE a.code = 'CUST-GOOD-01'")),
        QStringLiteral("USED:%1").arg(c));

    // The customer's history: the activation on top, the reservations and the first
    // activation (made inside Activate) below; both on the page's History tab.
    QTRY_VERIFY_WITH_TIMEOUT(page->detail() && page->detail()->activeCards == 2, kWait);
    const QList<CustomerHistoryEntry> &history = page->detail()->history;
    QCOMPARE(history.first().what, QStringLiteral("ACTIVATED"));
    QCOMPARE(history.first().iccid, iccids[2]);
    auto has = [&](const QString &what, const QString &iccid) {
        return std::any_of(history.cbegin(), history.cend(),
            [&](const CustomerHistoryEntry &e) { return e.what == what && e.iccid == iccid; });
    };
    QVERIFY(has(QStringLiteral("ACTIVATED"), iccids[0]));
    QVERIFY(has(QStringLiteral("RESERVED"), iccids[1]));
    QVERIFY(has(QStringLiteral("RESERVED"), iccids[2]));
    auto *tree = page->findChild<QTreeWidget *>(QStringLiteral("historyTree"));
    QCOMPARE(tree->topLevelItem(0)->text(3), iccids[2]);
    // The card's history: the same activation, naming the customer; and its header links back.
    window->showCard(c);
    QTRY_VERIFY_WITH_TIMEOUT(detail->detail() && !detail->isLoading()
            && detail->detail()->card.id == c && detail->detail()->card.status == SimStatus::Active,
        kWait);
    const QList<SimEvent> &cardHistory = detail->detail()->history;
    QVERIFY(std::any_of(cardHistory.cbegin(), cardHistory.cend(), [&](const SimEvent &e) {
        return e.type == QLatin1String("ACTIVATED") && e.customerId == inge;
    }));
    auto *link = detail->findChild<QPushButton *>(QStringLiteral("customerButton"));
    QVERIFY(link->text().contains(QLatin1String("Inge Innen")));
    QTest::mouseClick(link, Qt::LeftButton);
    auto *pages = window->findChild<QStackedWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window->customerPage()));
    QCOMPARE(window->customerPage()->customerId(), inge);
}

void TestCustomers::theirCardsShouldTakeTheSimListsBulkActions()
{
    const auto window = openWindow();
    QVERIFY(window);
    // A customer with at least two active cards.
    const qint64 holder
        = m_tdb
              ->scalar(QStringLiteral(
                  "SELECT customer_id FROM sim_cards WHERE status = 'ACTIVE' AND customer_id IS "
                  "NOT NULL "
                  "GROUP BY customer_id HAVING count(*) >= 2 ORDER BY customer_id LIMIT 1"))
              .toLongLong();
    QVERIFY(holder > 0);
    CustomerPage *page = openCustomer(*window, holder);
    QVERIFY(page);
    auto *tabs = page->findChild<QTabWidget *>(QStringLiteral("tabs"));
    tabs->setCurrentWidget(page->findChild<QWidget *>(QStringLiteral("cardsTab")));
    auto *bulk = page->findChild<QToolButton *>(QStringLiteral("bulkButton"));
    QVERIFY(bulk->isVisible());
    QVERIFY(!bulk->isEnabled()); // nothing selected
    // The SIM list's catalogue, as far as support goes.
    QStringList offered;
    for (QAction *a : bulk->menu()->actions())
        offered << a->text();
    for (CardAction action : bulkCardActions()) {
        QCOMPARE(offered.contains(CustomerPage::tr("%1…").arg(cardActionDisplayName(action))),
            cardActionRole(action) != StaffRole::Admin);
    }
    const int cards
        = m_tdb
              ->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE customer_id = %1")
                           .arg(holder))
              .toInt();
    const int active = m_tdb
                           ->scalar(QStringLiteral(
                               "SELECT count(*) FROM sim_cards WHERE customer_id = %1 AND status = "
                               "'ACTIVE'")
                                        .arg(holder))
                           .toInt();
    QTRY_COMPARE_WITH_TIMEOUT(page->cardsModel()->rowCount(), cards, kWait);
    auto *table = page->findChild<QTableView *>(QStringLiteral("cardsTable"));
    QTRY_VERIFY_WITH_TIMEOUT(page->cardsModel()->rowAt(cards - 1), kWait);
    table->selectAll();
    QVERIFY(bulk->isEnabled());
    QCOMPARE(page->selectedCardIds().size(), cards);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest); // for the screenshot
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("customer-cards-bulk")));
    page->runBulkAction(CardAction::Suspend);
    BulkActionDialog *dialog
        = visibleDialog<BulkActionDialog>(page, QStringLiteral("bulkActionDialog"));
    QVERIFY(dialog);
    QSignalSpy previewed(dialog, &BulkActionDialog::previewed);
    QVERIFY(dialog->previewDone() || previewed.wait(kWait));
    dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit"))
        ->setText(QStringLiteral("Customer asked on the phone"));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("customer-bulk-suspend")));
    QSignalSpy applied(dialog, &BulkActionDialog::applied);
    QSignalSpy loaded(page, &CustomerPage::loaded);
    okOf(dialog)->click();
    QVERIFY(applied.wait(kWait));
    QCOMPARE(int(dialog->result().done), active);
    dialog->close();
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE customer_id = %1 "
                                          "AND status = 'ACTIVE'")
                               .arg(holder)),
        QStringLiteral("0"));
    QTRY_VERIFY_WITH_TIMEOUT(page->detail() && page->detail()->activeCards == 0, kWait);
    QVERIFY(!table->selectionModel()->hasSelection());
    QCOMPARE(page->detail()->history.first().what, QStringLiteral("SUSPENDED"));
}

void TestCustomers::ctrlKShouldFindCustomersAndActivationCodes()
{
    const auto window = openWindow();
    QVERIFY(window);
    MainWindow &w = *window;
    CustomerRepository customers(m_tdb->connect());
    Customer one;
    one.fullName = QStringLiteral("Zyxa Quickfind");
    one.email = QStringLiteral("zyxa.quick@example.org");
    one.phone = QStringLiteral("+49 170 5550123");
    const Result<Customer> zyxa = customers.create(one);
    QVERIFY(zyxa.ok());
    Customer two;
    two.fullName = QStringLiteral("Zyxa Zweite");
    QVERIFY(customers.create(two).ok());
    QCOMPARE(
        m_tdb->exec(QStringLiteral("INSERT INTO activation_codes (code, expires_at) VALUES "
                                   "('FIND-FREE-01', now() + interval '30 days'), ('FIND-CARD-01', "
                                   "NULL), ('FIND-LATE-01', now() - interval '2 days')")),
        QString());
    // A card activated with a code: the code leads to the card.
    const qint64 sim
        = m_tdb
              ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE status = "
                                      "'AVAILABLE' AND sim_type = 'prepaid' ORDER BY id "
                                      "LIMIT 1"))
              .toLongLong();
    ActionRequest request;
    request.simId = sim;
    request.customerId = zyxa->id;
    request.tariffPlanId
        = m_tdb
              ->scalar(QStringLiteral("SELECT t.id FROM tariff_plans t WHERE "
                                      "simdesk_tariff_fits(t, 'prepaid') ORDER BY t.id "
                                      "LIMIT 1"))
              .toLongLong();
    request.activationCode = QStringLiteral("FIND-CARD-01");
    QVERIFY(LifecycleService(m_tdb->connect(), ChangeSource::Desktop)
                .perform(CardAction::Activate, request));

    QSignalSpy searched(&w, &MainWindow::searchFinished);
    QSignalSpy codes(&w, &MainWindow::codeFound);
    auto *search = w.findChild<QLineEdit *>(QStringLiteral("globalSearchEdit"));
    auto *status = w.findChild<QLabel *>(QStringLiteral("globalSearchStatus"));
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    auto find = [&](const QString &text) {
        w.activateWindow();
        QTest::keyClick(&w, Qt::Key_K, Qt::ControlModifier);
        search->setText(text);
        QTest::keyClick(search, Qt::Key_Return);
        return searched.wait(kWait);
    };
    auto expectCustomer = [&](const QString &text, qint64 id) {
        QVERIFY2(find(text), qPrintable(text));
        QVERIFY2(pages->currentWidget() == w.customerPage(), qPrintable(text));
        QCOMPARE(w.customerPage()->customerId(), id);
        QVERIFY(search->text().isEmpty());
    };
    expectCustomer(zyxa->customerNo.toLower(), zyxa->id); // the number, any case
    expectCustomer(QStringLiteral("zyxa.quick@example.org"), zyxa->id);
    expectCustomer(QStringLiteral("Zyxa Quick"), zyxa->id);
    expectCustomer(QStringLiteral("0049 170 555 0123"), zyxa->id); // the phone, another way
    // Several: the customer list, searched for it.
    QVERIFY(find(QStringLiteral("Zyxa")));
    QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(w.customersPage()));
    QCOMPARE(w.customersPage()->model()->search(), QStringLiteral("Zyxa"));
    QTRY_COMPARE_WITH_TIMEOUT(w.customersPage()->model()->rowCount(), 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(
        w.customersPage()->findChild<QLabel *>(QStringLiteral("countLabel"))->text(),
        CustomersPage::tr("Customers: %1").arg(2), kWait);
    QVERIFY(saveScreenshot(&w, QStringLiteral("quickfind-customers")));

    // A code used on a card opens the card.
    QSignalSpy opened(&w, &MainWindow::cardRequested);
    QVERIFY(find(QStringLiteral("find-card-01")));
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().first().toLongLong(), sim);
    QCOMPARE(codes.size(), 1);
    QCOMPARE(codes.last().at(1).toString(), QStringLiteral("FIND-CARD-01"));
    // One that is not: the codes page with that code selected, its status next to the field,
    // and the field keeps the code.
    QVERIFY(find(QStringLiteral("FIND-FREE-01")));
    QCOMPARE(opened.size(), 1);
    QVERIFY2(status->text().contains(QLatin1String("unused")), qPrintable(status->text()));
    auto *codesPage = w.findChild<CodesPage *>(QStringLiteral("codesPage"));
    QVERIFY(codesPage);
    QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(codesPage));
    QCOMPARE(codesPage->currentId(), codes.last().at(0).toLongLong());
    auto *codeTable = codesPage->findChild<QTableView *>(QStringLiteral("codeTable"));
    QVERIFY(codeTable);
    QTRY_COMPARE_WITH_TIMEOUT(codeTable->model()->rowCount(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(codeTable->currentIndex().row(), 0, kWait);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest); // for the screenshot
    QVERIFY(saveScreenshot(&w, QStringLiteral("quickfind-code")));
    QVERIFY(find(QStringLiteral("FIND-LATE-01")));
    QVERIFY2(status->text().contains(QLatin1String("expired on")), qPrintable(status->text()));
    QCOMPARE(codes.size(), 3);
    // Nothing at all: said so.
    QVERIFY(find(QStringLiteral("qqq-nothing-like-it")));
    QVERIFY(status->text().contains(QLatin1String("No card, customer or activation code")));
}

QTEST_MAIN(TestCustomers)
#include "tst_customers.moc"
