// SPDX-License-Identifier: MIT
#include "audit/auditlogpage.h"
#include "common/desk.h"
#include "db/database.h"
#include "db/migrator.h"
#include "main/mainwindow.h"
#include "screenshots.h"
#include "services/auditlogquery.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace simdesk;

namespace {

constexpr int kWait = 20000;

// "kind:id" of every row, in the order given: what the page shows and what the database holds
// compare as such lists.
QStringList keysOf(const QList<AuditEntry> &rows)
{
    QStringList keys;
    for (const AuditEntry &e : rows)
        keys << AuditLogQuery::kindKey(e.kind) + QLatin1Char(':') + QString::number(e.id);
    return keys;
}

} // namespace

// The audit log page against a real database: each filter's rows are exactly the rows the
// database recorded for it (read here straight from the tables, newest first), paging by keyset
// neither loses nor repeats a row, every role reads it, and a reveal shows who and why, never
// PIN or PUK.
class TestAuditLog : public QObject
{
    Q_OBJECT

public:
    // The main window of the sidebar check has the dashboard (a WebEngine view).
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void pagingShouldGiveEveryRowOnceNewestFirst();
    void filterByUserShouldShowExactlyTheirChanges();
    void filterByCardShouldShowTheCardsEvents();
    void filterByOperationShouldShowOneBulkAction();
    void supportShouldSeeRevealsWithoutValuesAndOpenTheCard();
    void filterByCustomerShouldShowTheirRecordAndTheirCardsEvents();
    void eachRowShouldOpenWhatItIsAbout();
    void exportShouldWriteTheFilteredRows();
    void everyRoleShouldHaveTheSidebarEntry();

private:
    Desk *desk(const QString &login, StaffRole role);
    std::unique_ptr<AuditLogPage> openPage(Desk *desk);
    // Loads every page of the current filter.
    QList<AuditEntry> showAll(AuditLogPage &page, const AuditFilter &filter);
    QStringList fromDatabase(const QString &eventWhere, const QString &auditWhere = {});
    qint64 newCard();

    std::unique_ptr<TestDatabase> m_tdb;
    std::vector<std::unique_ptr<Desk>> m_desks;
    QString m_admin;
    QString m_support;
    QString m_viewer;
    QList<qint64> m_cards;
    qint64 m_customer = 0;
    qint64 m_tariff = 0;
    QString m_operation;
};

void TestAuditLog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("auditlog"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_admin = m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    m_viewer = m_tdb->createLogin(QStringLiteral("viewer"), QStringLiteral("viewer"));
    QSqlDatabase admin = m_tdb->connectAs(m_admin);
    QSqlDatabase support = m_tdb->connectAs(m_support);
    // Record changes by the admin: a customer and a plan, then one edit of the customer.
    QCOMPARE(Database::execScript(admin,
                 QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES "
                                "('C-1', 'Anna Berg');"
                                "INSERT INTO tariff_plans (code, name, monthly_fee) VALUES "
                                "('BASIC', 'Basic', 9.99);"
                                "UPDATE customers SET full_name = 'Anna Berg-Lund'"))
                 .ok(),
        true);
    m_customer = m_tdb->scalar(QStringLiteral("SELECT id FROM customers")).toLongLong();
    m_tariff = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans")).toLongLong();
    // Card events by support (activations, a reveal) and by the admin (a suspension and a bulk
    // suspension of two cards: one operation).
    for (int i = 0; i < 5; ++i)
        m_cards << newCard();
    m_tdb->exec(QStringLiteral("INSERT INTO sim_secrets (sim_id, pin, puk) SELECT id, '4711', "
                               "'81726354' FROM sim_cards"));
    LifecycleService bySupport(support);
    for (qint64 id : m_cards)
        QVERIFY(bySupport.activate(id, m_customer, m_tariff).ok());
    Result<Secrets> secrets = bySupport.revealSecrets(m_cards.at(0), QStringLiteral("caller id"));
    QVERIFY(secrets.ok());
    QCOMPARE(secrets->pin, QStringLiteral("4711"));
    LifecycleService byAdmin(admin);
    QVERIFY(byAdmin.suspend(m_cards.at(0), QStringLiteral("unpaid invoice")).ok());
    ActionRequest bulk;
    bulk.reason = QStringLiteral("fraud check");
    Result<BulkResult> many
        = LifecycleService(admin, ChangeSource::Bulk)
              .performMany(CardAction::Suspend, { m_cards.at(1), m_cards.at(2) }, bulk);
    QVERIFY(many.ok());
    QCOMPARE(many->done, 2);
    m_operation = m_tdb->scalar(
        QStringLiteral("SELECT DISTINCT operation_id FROM sim_events WHERE source = 'bulk'"));
    QVERIFY(!m_operation.isEmpty());
}

void TestAuditLog::cleanupTestCase()
{
    m_desks.clear();
    m_tdb.reset();
}

qint64 TestAuditLog::newCard()
{
    const QString iccid = TestDatabase::iccid(int(m_cards.size()) + 1);
    m_tdb->exec(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid')")
                    .arg(iccid));
    return m_tdb->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'").arg(iccid))
        .toLongLong();
}

Desk *TestAuditLog::desk(const QString &login, StaffRole role)
{
    ConnectionSettings as = m_tdb->settings();
    as.user = login;
    SessionInfo s;
    s.login = login;
    s.displayName = login;
    s.role = role;
    m_desks.push_back(std::make_unique<Desk>(as, s));
    return m_desks.back().get();
}

std::unique_ptr<AuditLogPage> TestAuditLog::openPage(Desk *desk)
{
    auto page = std::make_unique<AuditLogPage>(desk);
    page->resize(1024, 600);
    QSignalSpy loaded(page.get(), &AuditLogPage::loaded);
    page->show();
    if (!loaded.wait(kWait))
        qWarning("openPage: the page did not load");
    return page;
}

QList<AuditEntry> TestAuditLog::showAll(AuditLogPage &page, const AuditFilter &filter)
{
    AuditLogModel *model = page.model();
    QSignalSpy loaded(&page, &AuditLogPage::loaded);
    model->setFilter(filter);
    while (true) {
        if (!loaded.wait(kWait)) {
            qWarning("showAll: no page arrived");
            break;
        }
        if (model->atEnd())
            break;
        model->fetchMore({}); // what scrolling to the end asks for
    }
    QList<AuditEntry> rows;
    for (int r = 0; r < model->rowCount(); ++r)
        rows << *model->entryAt(r);
    return rows;
}

// The rows of the tables themselves, newest first in the log's order (time, kind, id).
QStringList TestAuditLog::fromDatabase(const QString &eventWhere, const QString &auditWhere)
{
    QString sql = QStringLiteral("SELECT string_agg(k, ',' ORDER BY at DESC, kind DESC, id DESC) "
                                 "FROM (SELECT created_at AS at, 'card' AS kind, id, 'card:' || id "
                                 "AS k FROM sim_events WHERE %1")
                      .arg(eventWhere);
    if (!auditWhere.isEmpty())
        sql += QStringLiteral(
            " UNION ALL SELECT changed_at, CASE table_name WHEN 'customers' THEN 'customer' "
            "WHEN 'tariff_plans' THEN 'tariff_plan' WHEN 'activation_codes' THEN "
            "'activation_code' ELSE 'staff' END, id, CASE table_name WHEN 'customers' THEN "
            "'customer' WHEN 'tariff_plans' THEN 'tariff_plan' WHEN 'activation_codes' THEN "
            "'activation_code' ELSE 'staff' END || ':' || id FROM audit_log WHERE %1")
                   .arg(auditWhere);
    sql += QStringLiteral(") t");
    return m_tdb->scalar(sql).split(QLatin1Char(','), Qt::SkipEmptyParts);
}

void TestAuditLog::pagingShouldGiveEveryRowOnceNewestFirst()
{
    // Pages of three, each after the last row of the one before, against one read of everything.
    QSqlDatabase viewer = m_tdb->connectAs(m_viewer);
    AuditLogQuery query(viewer);
    Result<QList<AuditEntry>> all = query.page({}, std::nullopt, 10000);
    QVERIFY(all.ok());
    QList<AuditEntry> paged;
    std::optional<AuditCursor> after;
    for (int guard = 0; guard < 1000; ++guard) {
        Result<QList<AuditEntry>> page = query.page({}, after, 3);
        QVERIFY(page.ok());
        paged += *page;
        if (page->size() < 3)
            break;
        after = AuditLogQuery::cursorOf(page->constLast());
    }
    QCOMPARE(keysOf(paged), keysOf(*all));
    // Everything the tables hold (no imports in this database).
    QCOMPARE(keysOf(*all), fromDatabase(QStringLiteral("true"), QStringLiteral("true")));
    for (int i = 1; i < all->size(); ++i)
        QVERIFY(all->at(i - 1).at >= all->at(i).at);
}

void TestAuditLog::filterByUserShouldShowExactlyTheirChanges()
{
    auto page = openPage(desk(m_viewer, StaffRole::Viewer));
    AuditFilter f;
    f.who = m_admin;
    const QList<AuditEntry> rows = showAll(*page, f);
    const QString who = QStringLiteral("created_by = '%1'").arg(m_admin);
    const QStringList expected
        = fromDatabase(who, QStringLiteral("changed_by = '%1'").arg(m_admin));
    // The customer (insert and edit), the plan, one suspension and the bulk's two.
    QCOMPARE(expected.size(), 6);
    QCOMPARE(keysOf(rows), expected);
    // The record change shows its changed field, old and new.
    auto edit = std::find_if(rows.cbegin(), rows.cend(), [](const AuditEntry &e) {
        return e.kind == AuditKind::Customer && e.action == QLatin1String("UPDATE");
    });
    QVERIFY(edit != rows.cend());
    QVERIFY2(
        edit->oldValue.contains(QLatin1String("full_name: Anna Berg")), qPrintable(edit->oldValue));
    QVERIFY2(edit->newValue.contains(QLatin1String("full_name: Anna Berg-Lund")),
        qPrintable(edit->newValue));
}

void TestAuditLog::filterByCardShouldShowTheCardsEvents()
{
    auto page = openPage(desk(m_viewer, StaffRole::Viewer));
    const QString iccid = m_tdb->scalar(
        QStringLiteral("SELECT iccid FROM sim_cards WHERE id = %1").arg(m_cards.at(0)));
    auto *edit = page->findChild<QLineEdit *>(QStringLiteral("iccidEdit"));
    edit->setText(iccid);
    QSignalSpy loaded(page.get(), &AuditLogPage::loaded);
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(loaded.wait(kWait));
    QList<AuditEntry> rows;
    for (int r = 0; r < page->model()->rowCount(); ++r)
        rows << *page->model()->entryAt(r);
    // Activated, revealed, suspended: newest first.
    QCOMPARE(keysOf(rows), fromDatabase(QStringLiteral("sim_id = %1").arg(m_cards.at(0))));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.first().action, QStringLiteral("SUSPENDED"));
    QCOMPARE(rows.first().reason, QStringLiteral("unpaid invoice"));
    for (const AuditEntry &e : rows)
        QCOMPARE(e.iccid, iccid);
}

void TestAuditLog::filterByOperationShouldShowOneBulkAction()
{
    auto page = openPage(desk(m_admin, StaffRole::Admin));
    AuditFilter f;
    f.operationId = m_operation;
    const QList<AuditEntry> rows = showAll(*page, f);
    QCOMPARE(keysOf(rows), fromDatabase(QStringLiteral("operation_id = '%1'").arg(m_operation)));
    QCOMPARE(rows.size(), 2);
    QSet<qint64> cards;
    for (const AuditEntry &e : rows) {
        QCOMPARE(e.source, QStringLiteral("bulk"));
        QCOMPARE(e.reason, QStringLiteral("fraud check"));
        QCOMPARE(e.operationId, m_operation);
        cards << *e.simId;
    }
    QCOMPARE(cards, QSet<qint64>({ m_cards.at(1), m_cards.at(2) }));
    // Not an id: nothing, rather than an error.
    f.operationId = QStringLiteral("not-a-uuid");
    QVERIFY(showAll(*page, f).isEmpty());
}

void TestAuditLog::supportShouldSeeRevealsWithoutValuesAndOpenTheCard()
{
    auto page = openPage(desk(m_support, StaffRole::Support));
    QVERIFY(page->model()->rowCount() > 0);
    QVERIFY(saveScreenshot(page.get(), QStringLiteral("audit-log-page")));
    AuditFilter f;
    f.action = QStringLiteral("SECRET_REVEALED");
    const QList<AuditEntry> rows = showAll(*page, f);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().who, m_support);
    QCOMPARE(*rows.first().simId, m_cards.at(0));
    QCOMPARE(rows.first().reason, QStringLiteral("caller id"));
    // No cell of the row holds the PIN or the PUK.
    for (int c = 0; c < AuditLogModel::ColumnCount; ++c) {
        const QString cell = page->model()->index(0, c).data().toString();
        QVERIFY2(!cell.contains(QLatin1String("4711")) && !cell.contains(QLatin1String("81726354")),
            qPrintable(cell));
    }
    // The row opens its card.
    auto *view = page->findChild<QTableView *>(QStringLiteral("logView"));
    view->setCurrentIndex(page->model()->index(0, 0));
    auto *open = page->findChild<QPushButton *>(QStringLiteral("openButton"));
    QVERIFY(open->isEnabled());
    QSignalSpy requested(page.get(), &AuditLogPage::cardRequested);
    open->click();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toLongLong(), m_cards.at(0));
}

void TestAuditLog::filterByCustomerShouldShowTheirRecordAndTheirCardsEvents()
{
    auto page = openPage(desk(m_viewer, StaffRole::Viewer));
    auto *edit = page->findChild<QLineEdit *>(QStringLiteral("customerEdit"));
    QVERIFY(edit);
    edit->setText(QStringLiteral("C-1"));
    QCOMPARE(page->currentFilter().customerNo, QStringLiteral("C-1"));
    const QList<AuditEntry> rows = showAll(*page, page->currentFilter());
    // The card events recorded with the customer, and the customer's own record changes; not the
    // plan, nor another customer.
    const QStringList expected = fromDatabase(QStringLiteral("customer_id = %1").arg(m_customer),
        QStringLiteral("table_name = 'customers' AND row_id = %1").arg(m_customer));
    QVERIFY(expected.size() >= 7); // five activations, the insert and the edit at least
    QCOMPARE(keysOf(rows), expected);
    // An unknown customer number: nothing.
    AuditFilter none;
    none.customerNo = QStringLiteral("NO-SUCH-CUSTOMER");
    QVERIFY(showAll(*page, none).isEmpty());
}

void TestAuditLog::eachRowShouldOpenWhatItIsAbout()
{
    auto page = openPage(desk(m_admin, StaffRole::Admin));
    auto *view = page->findChild<QTableView *>(QStringLiteral("logView"));
    auto *open = page->findChild<QPushButton *>(QStringLiteral("openButton"));
    QSignalSpy customer(page.get(), &AuditLogPage::customerRequested);
    QSignalSpy plan(page.get(), &AuditLogPage::tariffPlanRequested);
    QSignalSpy staff(page.get(), &AuditLogPage::staffRequested);
    const QList<AuditEntry> rows = showAll(*page, {});
    bool sawCustomer = false;
    bool sawPlan = false;
    for (int r = 0; r < rows.size(); ++r) {
        const AuditEntry &e = rows.at(r);
        if (e.kind != AuditKind::Customer && e.kind != AuditKind::TariffPlan)
            continue;
        view->setCurrentIndex(page->model()->index(r, 0));
        QVERIFY(open->isEnabled());
        open->click();
        if (e.kind == AuditKind::Customer) {
            QVERIFY(open->text().contains(QLatin1String("customer")));
            QCOMPARE(customer.last().first().toLongLong(), m_customer);
            sawCustomer = true;
        } else {
            QVERIFY(open->text().contains(QLatin1String("tariff plan")));
            QCOMPARE(plan.last().first().toLongLong(), m_tariff);
            sawPlan = true;
        }
    }
    QVERIFY(sawCustomer && sawPlan);
    // The side by side of a record change: old and new in neighbouring columns.
    for (int r = 0; r < rows.size(); ++r) {
        if (rows.at(r).kind == AuditKind::Customer
            && rows.at(r).action == QLatin1String("UPDATE")) {
            QVERIFY(page->model()
                        ->index(r, AuditLogModel::Old)
                        .data()
                        .toString()
                        .contains(QLatin1String("Anna Berg")));
            QVERIFY(page->model()
                        ->index(r, AuditLogModel::New)
                        .data()
                        .toString()
                        .contains(QLatin1String("Anna Berg-Lund")));
            QCOMPARE(int(AuditLogModel::New), int(AuditLogModel::Old) + 1);
        }
    }
    QCOMPARE(staff.size(), 0);
}

void TestAuditLog::exportShouldWriteTheFilteredRows()
{
    auto page = openPage(desk(m_viewer, StaffRole::Viewer));
    AuditFilter f;
    f.who = m_admin;
    showAll(*page, f);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.csv"));
    QSignalSpy exported(page.get(), &AuditLogPage::exported);
    page->exportCsv(path);
    QVERIFY(exported.wait(kWait));
    QCOMPARE(exported.first().at(1).toLongLong(), 6);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 1 + 6 + 1); // header, rows, the empty piece after the last line end
    QVERIFY(lines.at(0).startsWith("\"time\",\"kind\""));
    for (int i = 1; i <= 6; ++i)
        QVERIFY2(lines.at(i).contains(m_admin.toUtf8()), lines.at(i).constData());
}

void TestAuditLog::everyRoleShouldHaveTheSidebarEntry()
{
    for (const auto &[login, role] : { std::pair { m_viewer, StaffRole::Viewer },
             std::pair { m_support, StaffRole::Support } }) {
        ConnectionSettings as = m_tdb->settings();
        as.user = login;
        SessionInfo session;
        session.login = login;
        session.displayName = login;
        session.role = role;
        MainWindow window(as, session);
        window.resize(1024, 768);
        window.show();
        QSignalSpy refreshed(&window, &MainWindow::refreshed);
        window.refresh();
        QVERIFY(refreshed.wait(kWait)); // signed in and connected: the pages exist
        QVERIFY(window.auditLogPage());
        auto *nav = window.findChild<QListWidget *>(QStringLiteral("navigationList"));
        QStringList keys;
        for (int i = 0; i < nav->count(); ++i)
            keys << nav->item(i)->data(Qt::UserRole).toString();
        QVERIFY2(keys.contains(QLatin1String("audit")), qPrintable(keys.join(QLatin1Char(' '))));
        // Right after the tariff plans.
        QCOMPARE(keys.indexOf(QLatin1String("audit")), keys.indexOf(QLatin1String("tariffs")) + 1);
    }
}

QTEST_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
