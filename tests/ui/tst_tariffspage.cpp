// SPDX-License-Identifier: MIT
#include "common/desk.h"
#include "common/errorview.h"
#include "db/migrator.h"
#include "records/tariffplanrepository.h"
#include "screenshots.h"
#include "services/lifecycleservice.h"
#include "sims/bulkactiondialog.h"
#include "tariffs/tariffplandialog.h"
#include "tariffs/tariffspage.h"
#include "testdatabase.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace simdesk;

namespace {

constexpr int kWait = 20000;
constexpr int kFirstCountColumn = 7; // Reserved, Active, Suspended, Lost/stolen, Terminated, Cards

} // namespace

// The tariff plans page: counts from the rollups checked against the cards themselves, an
// administrator's create and retire through the widgets, and the database refusing a retired
// plan for new activations and tariff changes while the cards on it keep it.
class TestTariffsPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void feesShouldBeReadExactlyInTheLocalesFormat_data();
    void feesShouldBeReadExactlyInTheLocalesFormat();
    void countsShouldBeTheCardsPerPlanAndStatus();
    void adminShouldCreateAPlanWithAnExactFee();
    void movingEveryCardOfAPlanShouldBeOneAuditedActionWithPreview();
    void retiringAPlanInUseShouldKeepItOnCardsAndRefuseItForNewOnes();
    void supportShouldSeeThePlansButNoChanges();

private:
    Desk *desk(const QString &login, StaffRole role);
    std::unique_ptr<TariffsPage> openPage(Desk *desk);
    qint64 newCard();
    int rowOf(TariffsPage &page, qint64 planId);

    std::unique_ptr<TestDatabase> m_tdb;
    std::vector<std::unique_ptr<Desk>> m_desks;
    QString m_admin;
    QString m_support;
    QSqlDatabase m_supportDb;
    qint64 m_customer = 0;
    qint64 m_basic = 0;
    qint64 m_plus = 0;
    int m_cards = 0;
};

void TestTariffsPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Fees in the locale's currency format: a German desk writes "14,90 €".
    QLocale::setDefault(QLocale(QStringLiteral("de_DE")));
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("tariffs"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "INSERT INTO customers (customer_no, full_name, email) VALUES "
                 "('C-1', 'Anna Berg', 'anna@example.net');"
                 "INSERT INTO tariff_plans (code, name, sim_type, monthly_fee, data_mb) VALUES "
                 "('BASIC', 'Basic', NULL, 9.99, 5120), ('PLUS', 'Plus', 'prepaid', 19.99, NULL)")),
        QString());
    m_customer = m_tdb->scalar(QStringLiteral("SELECT id FROM customers")).toLongLong();
    m_basic = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'BASIC'"))
                  .toLongLong();
    m_plus = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'PLUS'"))
                 .toLongLong();
    m_admin = m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    m_supportDb = m_tdb->connectAs(m_support);
    LifecycleService life(m_supportDb);
    // Basic: 3 active, 1 suspended, 1 terminated; Plus: 2 active.
    for (int i = 0; i < 5; ++i)
        QVERIFY(life.activate(newCard(), m_customer, m_basic).ok());
    const qint64 suspended
        = m_tdb->scalar(QStringLiteral("SELECT max(id) FROM sim_cards")).toLongLong();
    QVERIFY(life.suspend(suspended, QStringLiteral("unpaid")).ok());
    QVERIFY(life.terminate(suspended - 1, QStringLiteral("contract ended")).ok());
    for (int i = 0; i < 2; ++i)
        QVERIFY(life.activate(newCard(), m_customer, m_plus).ok());
}

void TestTariffsPage::cleanupTestCase()
{
    m_supportDb = QSqlDatabase();
    m_desks.clear();
    m_tdb.reset();
}

qint64 TestTariffsPage::newCard()
{
    const QString iccid = TestDatabase::iccid(++m_cards);
    m_tdb->exec(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid')")
                    .arg(iccid));
    return m_tdb->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'").arg(iccid))
        .toLongLong();
}

Desk *TestTariffsPage::desk(const QString &login, StaffRole role)
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

std::unique_ptr<TariffsPage> TestTariffsPage::openPage(Desk *desk)
{
    auto page = std::make_unique<TariffsPage>(desk);
    page->resize(1024, 500);
    QSignalSpy loaded(page.get(), &TariffsPage::loaded);
    page->show();
    if (!loaded.wait(kWait))
        qWarning("openPage: the page did not load");
    return page;
}

int TestTariffsPage::rowOf(TariffsPage &page, qint64 planId)
{
    for (int row = 0; row < page.plans().size(); ++row) {
        if (page.plans().at(row).id == planId)
            return row;
    }
    return -1;
}

void TestTariffsPage::feesShouldBeReadExactlyInTheLocalesFormat_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("cents"); // -1: refused
    QTest::newRow("English") << "en_US"
                             << "12.34" << qint64(1234);
    QTest::newRow("English with symbol and groups") << "en_US"
                                                    << "$1,234.5" << qint64(123450);
    QTest::newRow("German") << "de_DE"
                            << "1.234,56 €" << qint64(123456);
    QTest::newRow("whole euros") << "de_DE"
                                 << "20" << qint64(2000);
    QTest::newRow("more than cents") << "en_US"
                                     << "1.234" << qint64(-1);
    QTest::newRow("negative") << "en_US"
                              << "-5.00" << qint64(-1);
    QTest::newRow("words") << "en_US"
                           << "free" << qint64(-1);
    QTest::newRow("empty") << "en_US"
                           << "" << qint64(-1);
    // 0.1 + 0.2 is not 0.3 in binary; cents stay exact.
    QTest::newRow("no binary drift") << "en_US"
                                     << "0.30" << qint64(30);
}

void TestTariffsPage::feesShouldBeReadExactlyInTheLocalesFormat()
{
    QFETCH(QString, locale);
    QFETCH(QString, text);
    QFETCH(qint64, cents);
    const std::optional<qint64> read = TariffPlanDialog::parseFee(text, QLocale(locale));
    QCOMPARE(read.value_or(-1), cents);
}

void TestTariffsPage::countsShouldBeTheCardsPerPlanAndStatus()
{
    const std::unique_ptr<TariffsPage> page = openPage(desk(m_admin, StaffRole::Admin));
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("planTable"));
    QCOMPARE(table->rowCount(),
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM tariff_plans")).toInt());
    const QStringList statuses { QStringLiteral("RESERVED"), QStringLiteral("ACTIVE"),
        QStringLiteral("SUSPENDED"), QStringLiteral("LOST_STOLEN"), QStringLiteral("TERMINATED") };
    for (qint64 plan : { m_basic, m_plus }) {
        const int row = rowOf(*page, plan);
        QVERIFY(row >= 0);
        // Against the cards themselves (the page read the rollups).
        for (int i = 0; i < statuses.size(); ++i) {
            const QString expected = m_tdb->scalar(
                QStringLiteral("SELECT count(*) FROM sim_cards WHERE tariff_plan_id = %1 AND "
                               "status = '%2'")
                    .arg(plan)
                    .arg(statuses.at(i)));
            QCOMPARE(table->item(row, kFirstCountColumn + i)->text(), expected);
        }
        QCOMPARE(table->item(row, kFirstCountColumn + 5)->text(),
            m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE tariff_plan_id = %1")
                              .arg(plan)));
    }
    QCOMPARE(
        table->item(rowOf(*page, m_basic), kFirstCountColumn + 1)->text(), QStringLiteral("3"));
    QCOMPARE(table->item(rowOf(*page, m_basic), 3)->text(), QStringLiteral("Any card type"));
    QCOMPARE(table->item(rowOf(*page, m_basic), 2)->text(), QStringLiteral("Mobile"));
    QVERIFY(saveScreenshot(page.get(), QStringLiteral("tariffs-page")));
}

void TestTariffsPage::adminShouldCreateAPlanWithAnExactFee()
{
    const std::unique_ptr<TariffsPage> page = openPage(desk(m_admin, StaffRole::Admin));
    page->findChild<QPushButton *>(QStringLiteral("newButton"))->click();
    auto *dialog = page->findChild<TariffPlanDialog *>(QStringLiteral("tariffPlanDialog"));
    QVERIFY(dialog);
    dialog->findChild<QLineEdit *>(QStringLiteral("codeEdit"))->setText(QStringLiteral("DATA-20"));
    dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"))
        ->setText(QStringLiteral("Data 20 GB"));
    auto *fits = dialog->findChild<QComboBox *>(QStringLiteral("fitsCombo"));
    fits->setCurrentIndex(fits->findData(QStringLiteral("data-only")));
    dialog->findChild<QLineEdit *>(QStringLiteral("feeEdit"))->setText(QStringLiteral("14,90 €"));
    dialog->findChild<QLineEdit *>(QStringLiteral("dataEdit"))->setText(QStringLiteral("20480"));
    // Fitting data-only cards suggests a data-only plan.
    auto *type = dialog->findChild<QComboBox *>(QStringLiteral("typeCombo"));
    QCOMPARE(type->currentData().toString(), QStringLiteral("data-only"));
    dialog->findChild<QPlainTextEdit *>(QStringLiteral("descriptionEdit"))
        ->setPlainText(QStringLiteral("20 GB a month for routers and tablets.\nNo calls."));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("tariffs-new-plan")));
    QSignalSpy attempt(dialog, &TariffPlanDialog::attemptFinished);
    QSignalSpy loaded(page.get(), &TariffsPage::loaded);
    dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
        ->button(QDialogButtonBox::Ok)
        ->click();
    QVERIFY(attempt.wait(kWait));
    QCOMPARE(attempt.last().at(0).toBool(), true);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT monthly_fee::text || ',' || sim_type || ',' || "
                                          "data_mb FROM tariff_plans WHERE code = 'DATA-20'")),
        QStringLiteral("14.90,data-only,20480"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT plan_type || '|' || description FROM "
                                          "tariff_plans WHERE code = 'DATA-20'")),
        QStringLiteral("data-only|20 GB a month for routers and tablets.\nNo calls."));
    // The list: the type, the description (in the tooltip, and under the list for the selected
    // plan), the fee in the locale's currency format.
    const qint64 id
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'DATA-20'"))
              .toLongLong();
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("planTable"));
    const int row = rowOf(*page, id);
    QVERIFY(row >= 0);
    QCOMPARE(table->item(row, 2)->text(), QStringLiteral("Data only"));
    QCOMPARE(table->item(row, 4)->text(), QLocale().toCurrencyString(14.90));
    QVERIFY(table->item(row, 1)->toolTip().contains(QLatin1String("No calls.")));
    page->selectPlan(id);
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("descriptionLabel"))
                ->text()
                .contains(QLatin1String("20 GB a month for routers and tablets.")));
    QVERIFY(saveScreenshot(page.get(), QStringLiteral("tariffs-description")));

    // Opened again for editing: the fee in the currency format reads back to the same cents.
    page->findChild<QPushButton *>(QStringLiteral("editButton"))->click();
    TariffPlanDialog *edit = nullptr;
    for (TariffPlanDialog *d : page->findChildren<TariffPlanDialog *>())
        if (d->isVisible())
            edit = d;
    QVERIFY(edit);
    const QString shown = edit->findChild<QLineEdit *>(QStringLiteral("feeEdit"))->text();
    QCOMPARE(TariffPlanDialog::parseFee(shown), std::optional<qint64>(1490));
    QCOMPARE(edit->findChild<QComboBox *>(QStringLiteral("typeCombo"))->currentData().toString(),
        QStringLiteral("data-only"));
    QVERIFY(edit->findChild<QPlainTextEdit *>(QStringLiteral("descriptionEdit"))
                ->toPlainText()
                .endsWith(QLatin1String("No calls.")));
    edit->reject();
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT changed_by FROM audit_log WHERE table_name = "
                                          "'tariff_plans' AND action = 'INSERT' AND "
                                          "new_row->>'code' = 'DATA-20'")),
        m_admin);
}

void TestTariffsPage::movingEveryCardOfAPlanShouldBeOneAuditedActionWithPreview()
{
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO tariff_plans (code, name, monthly_fee) "
                                        "VALUES ('BASIC-2', 'Basic 2026', 8.99)")),
        QString());
    const qint64 target
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'BASIC-2'"))
              .toLongLong();
    const QString movable = m_tdb->scalar(
        QStringLiteral("SELECT count(*) FROM sim_cards WHERE tariff_plan_id = %1 AND status IN "
                       "('RESERVED', 'ACTIVE', 'SUSPENDED')")
            .arg(m_basic));
    QCOMPARE(movable, QStringLiteral("4"));
    const std::unique_ptr<TariffsPage> page = openPage(desk(m_admin, StaffRole::Admin));
    page->selectPlan(m_basic);
    auto *move = page->findChild<QPushButton *>(QStringLiteral("moveButton"));
    QVERIFY(move->isEnabled());
    move->click();
    BulkActionDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (dialog = page->findChild<BulkActionDialog *>(QStringLiteral("bulkActionDialog")))
            != nullptr,
        kWait);
    auto *plans = dialog->findChild<QComboBox *>(QStringLiteral("tariffCombo"));
    QTRY_VERIFY_WITH_TIMEOUT(plans->findData(target) >= 0, kWait);
    // The dialog previews the first plan as soon as the list arrives; choosing another starts
    // a new preview, and only the latest one counts.
    plans->setCurrentIndex(plans->findData(target));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->previewDone(), kWait);
    // The preview changed nothing yet.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE tariff_plan_id "
                                          "= %1")
                               .arg(target)),
        QStringLiteral("0"));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("tariffs-move-preview")));
    QSignalSpy applied(dialog, &BulkActionDialog::applied);
    QSignalSpy loaded(page.get(), &TariffsPage::loaded);
    dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
        ->button(QDialogButtonBox::Ok)
        ->click();
    QVERIFY(applied.wait(kWait));
    QCOMPARE(int(dialog->result().done), 4);
    // Moved in one operation, recorded per card; the terminated card keeps its plan.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) || ':' || count(DISTINCT "
                                          "operation_id) || ':' || min(source) || ':' || "
                                          "min(created_by) FROM sim_events WHERE event_type = "
                                          "'TARIFF_CHANGED' AND tariff_plan_id = %1")
                               .arg(target)),
        QStringLiteral("4:1:bulk:%1").arg(m_admin));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT string_agg(status, ',' ORDER BY status) FROM "
                                          "sim_cards WHERE tariff_plan_id = %1")
                               .arg(m_basic)),
        QStringLiteral("TERMINATED"));
    QVERIFY(loaded.wait(kWait));
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("planTable"));
    QCOMPARE(table->item(rowOf(*page, target), kFirstCountColumn + 1)->text(), QStringLiteral("3"));
    dialog->close();
}

void TestTariffsPage::retiringAPlanInUseShouldKeepItOnCardsAndRefuseItForNewOnes()
{
    const std::unique_ptr<TariffsPage> page = openPage(desk(m_admin, StaffRole::Admin));
    page->selectPlan(m_plus);
    auto *retire = page->findChild<QPushButton *>(QStringLiteral("retireButton"));
    QVERIFY(retire->isEnabled());
    QSignalSpy finished(page.get(), &TariffsPage::changeFinished);
    QString question;
    QTimer::singleShot(0, this, [&question] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        question = box->text();
        box->button(QMessageBox::Yes)->click();
    });
    retire->click();
    QVERIFY(finished.count() == 1 || finished.wait(kWait));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QVERIFY2(question.contains(QLatin1String("The 2 card")), qPrintable(question));
    // Retired, with its date, by the database.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT NOT active AND retired_at IS NOT NULL FROM "
                                          "tariff_plans WHERE id = %1")
                               .arg(m_plus)),
        QStringLiteral("true"));
    // Still on its cards.
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE tariff_plan_id = %1 AND "
                                     "status = 'ACTIVE'")
                          .arg(m_plus)),
        QStringLiteral("2"));
    // Refused for a new activation and for a tariff change, by the database.
    LifecycleService life(m_supportDb);
    const Result<SimCard> activated = life.activate(newCard(), m_customer, m_plus);
    QVERIFY(!activated);
    QCOMPARE(activated.error().code, ErrorCode::TariffInactive);
    QCOMPARE(activated.error().sqlState, QStringLiteral("SD009"));
    const qint64 onAnother
        = m_tdb
              ->scalar(QStringLiteral("SELECT min(id) FROM sim_cards WHERE status = 'ACTIVE' "
                                      "AND tariff_plan_id <> %1")
                           .arg(m_plus))
              .toLongLong();
    const Result<SimCard> changed = life.changeTariff(onAnother, m_plus);
    QVERIFY(!changed);
    QCOMPARE(changed.error().code, ErrorCode::TariffInactive);
    // Nor offered where a plan is chosen.
    const Result<QList<TariffPlan>> fitting
        = TariffPlanRepository(m_supportDb).listFitting(SimType::Prepaid);
    QVERIFY(fitting.ok());
    for (const TariffPlan &p : *fitting)
        QVERIFY(p.id != m_plus);

    // The list: greyed, with its date, after the offered plans; no second retire.
    QTRY_VERIFY_WITH_TIMEOUT(!page->plans().at(rowOf(*page, m_plus)).active, kWait);
    QCOMPARE(rowOf(*page, m_plus), int(page->plans().size()) - 1);
    const int row = rowOf(*page, m_plus);
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("planTable"));
    QVERIFY2(table->item(row, 6)->text().startsWith(QLatin1String("Retired ")),
        qPrintable(table->item(row, 6)->text()));
    QCOMPARE(table->item(row, 1)->foreground().color(),
        page->palette().color(QPalette::Disabled, QPalette::Text));
    page->selectPlan(m_plus);
    QVERIFY(!retire->isEnabled());
    table->clearSelection(); // the greyed row as the list shows it
    QVERIFY(saveScreenshot(page.get(), QStringLiteral("tariffs-retired")));
}

void TestTariffsPage::supportShouldSeeThePlansButNoChanges()
{
    const std::unique_ptr<TariffsPage> page = openPage(desk(m_support, StaffRole::Support));
    QVERIFY(page->findChild<QTableWidget *>(QStringLiteral("planTable"))->rowCount() >= 2);
    for (const char *name : { "newButton", "editButton", "retireButton" })
        QVERIFY(!page->findChild<QPushButton *>(QLatin1String(name))->isVisible());
    // And the database agrees: support cannot change a plan.
    TariffPlan plan = *TariffPlanRepository(m_supportDb).find(m_basic);
    plan.active = false;
    QCOMPARE(
        TariffPlanRepository(m_supportDb).update(plan).error().code, ErrorCode::PermissionDenied);
}

QTEST_MAIN(TestTariffsPage)
#include "tst_tariffspage.moc"
