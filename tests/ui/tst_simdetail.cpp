// SPDX-License-Identifier: MIT
#include "common/desk.h"
#include "common/errorview.h"
#include "db/migrator.h"
#include "records/simrepository.h"
#include "screenshots.h"
#include "services/lifecycleservice.h"
#include "sims/actiondialog.h"
#include "sims/editsimdialog.h"
#include "sims/simdetailpage.h"
#include "sims/swapdialog.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTextDocument>
#include <QThreadPool>
#include <QToolButton>

#include <memory>

using namespace simdesk;

namespace {

// Every action button of the page, by object name.
const QStringList kActionButtons { QStringLiteral("reserveButton"), QStringLiteral("releaseButton"),
    QStringLiteral("activateButton"), QStringLiteral("suspendButton"),
    QStringLiteral("resumeButton"), QStringLiteral("reportLostButton"),
    QStringLiteral("terminateButton"), QStringLiteral("swapButton"), QStringLiteral("assignButton"),
    QStringLiteral("unassignButton"), QStringLiteral("changeTariffButton"),
    QStringLiteral("editButton") };

constexpr int kWait = 20000;

// Lets pending layouts settle before the picture is taken.
bool shot(QWidget *widget, const QString &name)
{
    QTest::qWait(50);
    return saveScreenshot(widget, name);
}

} // namespace

// The SIM detail page and its dialogs, driven through their widgets as each role, against the
// real database.
class TestSimDetail : public QObject
{
    Q_OBJECT

public:
    // The page has the status timeline (a WebEngine view).
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void cleanupTestCase();

    void shouldShowOnlyTheActionsStatusAndRoleAllow_data();
    void shouldShowOnlyTheActionsStatusAndRoleAllow();
    void shouldRunTheWholeLifecycleThroughTheWidgets();
    void shouldRevealSecretsForAReasonAuditItAndHideThemAgain();
    void shouldNotRevealWithoutAReasonOrForAViewer();
    void staleDialogActionShouldSayWhoChangedItAndOfferReload();
    void staleDirectActionShouldSayWhoChangedItAndOfferReload();
    void anOpenDialogShouldSayItIsStaleAsSoonAsThePageKnows();
    void namesAndNotesShouldShowAsTypedNeverAsMarkup();
    void staleEditShouldSayWhoChangedItAndOfferReload();
    void editShouldValidateEveryFieldLive();
    void shouldCopyTheIccidOpenTheCustomerAndCloseFromTheKeyboard();
    void holderChangesShouldRunThroughTheWidgets();
    void swapShouldExplainCardsThatCannotTakeTheNumber();
    void swapShouldFindTheNewCardByPartOfItsNumber();
    void shouldExplainALoadErrorAndRetry();

private:
    qint64 newCard(const QString &msisdn = {});
    qint64 cardIn(SimStatus status);
    ConnectionSettings as(const QString &login) const;
    SessionInfo session(const QString &login, StaffRole role) const;
    std::unique_ptr<SimDetailPage> openPage(const QString &login, StaffRole role, qint64 simId);
    // A signed-in desk for `login`, kept until the test case ends.
    Desk *desk(const QString &login, StaffRole role);
    QString status(qint64 simId);
    // Waits for the page's dialog of `type` named `name` to appear.
    template<typename D> D *dialogOf(SimDetailPage &page, const QString &name);
    // The newest history row's event type and login.
    static QPair<QString, QString> newestEvent(SimDetailPage &page);
    static void waitIdle(SimDetailPage &page);

    std::unique_ptr<TestDatabase> m_tdb;
    std::vector<std::unique_ptr<Desk>> m_desks;
    QString m_viewer;
    QString m_support;
    QString m_admin;
    QSqlDatabase m_supportDb;
    qint64 m_anna = 0;
    qint64 m_prepaid = 0;
    int m_cards = 0;
};

void TestSimDetail::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("simdetail"));
    REQUIRE_DATABASE(*m_tdb);
    const Result<QList<int>> r = Migrator(m_tdb->connect()).migrate();
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "INSERT INTO customers (customer_no, full_name, company, email) VALUES "
                 "('C-000101', 'Anna Berg', 'Berg Logistik GmbH', 'anna@berg.example'), "
                 "('C-000102', 'Ben Kurz', '', 'ben@kurz.example'), "
                 "('C-000103', 'Carla Diaz', '', 'carla@example.net');"
                 "INSERT INTO tariff_plans (code, name, sim_type, monthly_fee, data_mb, active) "
                 "VALUES ('PRE-5', 'Prepaid 5 GB', 'prepaid', 9.99, 5120, true),"
                 " ('PRE-UNL', 'Prepaid Unlimited', 'prepaid', 24.99, NULL, true),"
                 " ('POST', 'Postpaid', 'postpaid', 19.99, 20480, true);"
                 "INSERT INTO activation_codes (code, expires_at) VALUES "
                 "('ACT-GOOD-0001', now() + interval '30 days'), ('ACT-LATE-0001', now() - "
                 "interval '1 day')")),
        QString());
    m_anna
        = m_tdb->scalar(QStringLiteral("SELECT id FROM customers WHERE customer_no = 'C-000101'"))
              .toLongLong();
    m_prepaid = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'PRE-5'"))
                    .toLongLong();
    m_viewer = m_tdb->createLogin(QStringLiteral("viewer"), QStringLiteral("viewer"));
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    m_admin = m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
    m_supportDb = m_tdb->connectAs(m_support);
    QVERIFY(m_supportDb.isOpen());
}

void TestSimDetail::cleanupTestCase()
{
    m_supportDb = QSqlDatabase();
    QThreadPool::globalInstance()->waitForDone();
    m_tdb.reset();
}

qint64 TestSimDetail::newCard(const QString &msisdn)
{
    const QString iccid = TestDatabase::iccid(++m_cards);
    m_tdb->exec(QStringLiteral("INSERT INTO sim_cards (iccid, msisdn, imsi, sim_type) VALUES "
                               "('%1', %2, '26201%3', 'prepaid')")
                    .arg(iccid,
                        msisdn.isEmpty() ? QStringLiteral("NULL")
                                         : QLatin1Char('\'') + msisdn + QLatin1Char('\''))
                    .arg(m_cards, 10, 10, QLatin1Char('0')));
    m_tdb->exec(QStringLiteral("INSERT INTO sim_secrets (sim_id, pin, puk) SELECT id, '1234', "
                               "'12345678' FROM sim_cards WHERE iccid = '%1'")
                    .arg(iccid));
    return m_tdb->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'").arg(iccid))
        .toLongLong();
}

qint64 TestSimDetail::cardIn(SimStatus target)
{
    LifecycleService life(m_supportDb);
    const qint64 id = newCard(QStringLiteral("+4915900%1").arg(10000 + m_cards + 1));
    auto check = [](const Result<SimCard> &r) {
        if (!r)
            qWarning("cardIn: %s", qPrintable(r.error().fullMessage()));
    };
    switch (target) {
    case SimStatus::Available:
        break;
    case SimStatus::Reserved:
        check(life.reserve(id, m_anna));
        break;
    case SimStatus::Active:
        check(life.activate(id, m_anna, m_prepaid));
        break;
    case SimStatus::Suspended:
        check(life.activate(id, m_anna, m_prepaid));
        check(life.suspend(id, QStringLiteral("unpaid invoice")));
        break;
    case SimStatus::LostStolen:
        check(life.activate(id, m_anna, m_prepaid));
        check(life.reportLostStolen(id, QStringLiteral("phone stolen")));
        break;
    case SimStatus::Terminated:
        check(life.activate(id, m_anna, m_prepaid));
        check(life.terminate(id, QStringLiteral("contract ended")));
        break;
    }
    return id;
}

ConnectionSettings TestSimDetail::as(const QString &login) const
{
    ConnectionSettings s = m_tdb->settings();
    s.user = login;
    return s;
}

SessionInfo TestSimDetail::session(const QString &login, StaffRole role) const
{
    SessionInfo s;
    s.login = login;
    s.role = role;
    s.displayName = login;
    return s;
}

Desk *TestSimDetail::desk(const QString &login, StaffRole role)
{
    m_desks.push_back(std::make_unique<Desk>(as(login), session(login, role)));
    return m_desks.back().get();
}

std::unique_ptr<SimDetailPage> TestSimDetail::openPage(
    const QString &login, StaffRole role, qint64 simId)
{
    auto page = std::make_unique<SimDetailPage>(desk(login, role));
    page->resize(1366, 768);
    page->show();
    // Mnemonics and shortcuts only reach the active window.
    page->activateWindow();
    if (!QTest::qWaitForWindowActive(page.get()))
        qWarning("openPage: the page did not become the active window");
    QSignalSpy loaded(page.get(), &SimDetailPage::loaded);
    page->showCard(simId);
    if (!loaded.wait(kWait))
        qWarning("openPage: the page did not load");
    else if (!loaded.first().first().toBool())
        qWarning("openPage: %s",
            qPrintable(page->findChild<ErrorView *>(QStringLiteral("bannerView"))->text()));
    return page;
}

QString TestSimDetail::status(qint64 simId)
{
    return m_tdb->scalar(QStringLiteral("SELECT status FROM sim_cards WHERE id = %1").arg(simId));
}

template<typename D> D *TestSimDetail::dialogOf(SimDetailPage &page, const QString &name)
{
    // A dialog closed before may still wait for its deleteLater: take the visible one.
    D *dialog = nullptr;
    const bool found = QTest::qWaitFor(
        [&] {
            for (D *d : page.findChildren<D *>(name)) {
                if (d->isVisible())
                    dialog = d;
            }
            return dialog != nullptr;
        },
        kWait);
    if (!found)
        qWarning("dialogOf: no %s", qPrintable(name));
    return dialog;
}

QPair<QString, QString> TestSimDetail::newestEvent(SimDetailPage &page)
{
    auto *table = page.findChild<QTableWidget *>(QStringLiteral("historyTable"));
    if (table->rowCount() == 0)
        return {};
    return { table->item(0, 2)->data(Qt::UserRole).toString(), table->item(0, 1)->text() };
}

void TestSimDetail::waitIdle(SimDetailPage &page)
{
    QTRY_VERIFY_WITH_TIMEOUT(!page.isLoading() && page.detail().has_value(), kWait);
}

void TestSimDetail::shouldShowOnlyTheActionsStatusAndRoleAllow_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("visible");

    // Written out from docs/domain.md and the holder rules, not computed by the code under test.
    const QMap<SimStatus, QStringList> support {
        { SimStatus::Available, { "reserveButton", "activateButton", "terminateButton" } },
        { SimStatus::Reserved,
            { "releaseButton", "activateButton", "terminateButton", "assignButton",
                "changeTariffButton" } },
        { SimStatus::Active,
            { "suspendButton", "reportLostButton", "terminateButton", "swapButton", "assignButton",
                "changeTariffButton" } },
        { SimStatus::Suspended,
            { "resumeButton", "reportLostButton", "terminateButton", "swapButton", "assignButton",
                "changeTariffButton" } },
        { SimStatus::LostStolen, { "terminateButton", "swapButton", "unassignButton" } },
        { SimStatus::Terminated, { "unassignButton" } },
    };
    for (SimStatus s : kAllStatuses) {
        const QByteArray key = statusKey(s).toLatin1();
        QTest::newRow(("viewer sees no action on " + key).constData())
            << int(StaffRole::Viewer) << int(s) << QStringList();
        QTest::newRow(("support on " + key).constData())
            << int(StaffRole::Support) << int(s) << support.value(s);
        QTest::newRow(("admin on " + key + " may also edit").constData())
            << int(StaffRole::Admin) << int(s)
            << (support.value(s) + QStringList { QStringLiteral("editButton") });
    }
}

void TestSimDetail::shouldShowOnlyTheActionsStatusAndRoleAllow()
{
    QFETCH(int, role);
    QFETCH(int, status);
    QFETCH(QStringList, visible);
    const qint64 id = cardIn(SimStatus(status));
    const QString login = role == int(StaffRole::Viewer) ? m_viewer
        : role == int(StaffRole::Support)                ? m_support
                                                         : m_admin;
    auto page = openPage(login, StaffRole(role), id);
    QCOMPARE(page->detail()->card.status, SimStatus(status));
    QStringList shown;
    for (const QString &name : kActionButtons) {
        auto *button = page->findChild<QPushButton *>(name);
        QVERIFY2(button, qPrintable(name));
        if (button->isVisibleTo(page.get())) {
            shown << name;
            QVERIFY2(button->isEnabled(), qPrintable(name));
            QVERIFY2(!button->toolTip().isEmpty(), qPrintable(name));
            QVERIFY2(button->text().contains(QLatin1Char('&')), qPrintable(name)); // a mnemonic
        }
    }
    std::sort(shown.begin(), shown.end());
    std::sort(visible.begin(), visible.end());
    QCOMPARE(shown, visible);
    QCOMPARE(
        page->findChild<QPushButton *>(QStringLiteral("revealButton"))->isVisibleTo(page.get()),
        role != int(StaffRole::Viewer));
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("noActionsLabel"))->isVisibleTo(page.get()),
        role == int(StaffRole::Viewer));
}

void TestSimDetail::shouldRunTheWholeLifecycleThroughTheWidgets()
{
    const qint64 id = newCard(QStringLiteral("+491590077001"));
    const QString newIccid = TestDatabase::iccid(++m_cards + 500);
    m_tdb->exec(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid')")
                    .arg(newIccid));
    const qint64 newId
        = m_tdb->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'").arg(newIccid))
              .toLongLong();
    auto page = openPage(m_support, StaffRole::Support, id);
    QSignalSpy changed(m_desks.back()->hub(), &RefreshHub::changed);
    auto *tabs = page->findChild<QTabWidget *>(QStringLiteral("tabs"));
    auto click = [&page](const char *name) {
        auto *button = page->findChild<QPushButton *>(QLatin1String(name));
        QVERIFY2(button && button->isVisibleTo(page.get()) && button->isEnabled(), name);
        QTest::mouseClick(button, Qt::LeftButton);
    };
    auto okOf = [](QDialog *dialog) {
        return dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
            ->button(QDialogButtonBox::Ok);
    };
    auto expectStep = [&](const QString &dbStatus, const QString &event) {
        QTRY_COMPARE_WITH_TIMEOUT(status(page->simId()), dbStatus, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(newestEvent(*page).first, event, kWait);
        waitIdle(*page);
        QCOMPARE(newestEvent(*page).second, m_support);
        QCOMPARE(statusKey(page->detail()->card.status), dbStatus);
        QCOMPARE(page->findChild<QLabel *>(QStringLiteral("statusBadge"))->text(),
            statusDisplayName(*statusFromKey(dbStatus)));
    };

    // Reserve: the customer is found by typing part of the name.
    click("reserveButton");
    if (QTest::currentTestFailed())
        return;
    auto *reserve = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    reserve->setDebounceInterval(0);
    QVERIFY(!okOf(reserve)->isEnabled());
    auto *search = reserve->findChild<QLineEdit *>(QStringLiteral("customerSearchEdit"));
    search->clear();
    QTest::keyClicks(search, QStringLiteral("Berg"));
    auto *customers = reserve->findChild<QListWidget *>(QStringLiteral("customerList"));
    QTRY_COMPARE_WITH_TIMEOUT(customers->count(), 1, kWait);
    QVERIFY(customers->item(0)->text().contains(QLatin1String("Anna Berg")));
    QTRY_VERIFY(okOf(reserve)->isEnabled()); // the only match is picked
    QVERIFY(shot(reserve, QStringLiteral("simdetail-dialog-reserve")));
    QTest::mouseClick(okOf(reserve), Qt::LeftButton);
    expectStep(QStringLiteral("RESERVED"), QStringLiteral("RESERVED"));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT customer_id FROM sim_cards WHERE id = %1").arg(id))
            .toLongLong(),
        m_anna);
    QVERIFY(page->findChild<QPushButton *>(QStringLiteral("customerButton"))
                ->text()
                .contains(QLatin1String("Anna Berg")));

    // Activate with a code: the customer comes preselected, the tariff is picked, the code is
    // checked as it is typed (an expired one first).
    click("activateButton");
    if (QTest::currentTestFailed())
        return;
    auto *activate = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    activate->setDebounceInterval(0);
    auto *tariffs = activate->findChild<QComboBox *>(QStringLiteral("tariffCombo"));
    QTRY_VERIFY_WITH_TIMEOUT(tariffs->isEnabled(), kWait);
    QCOMPARE(tariffs->count(), 2); // the postpaid plan does not fit a prepaid card
    tariffs->setCurrentIndex(tariffs->findData(m_prepaid));
    auto *activateCustomers = activate->findChild<QListWidget *>(QStringLiteral("customerList"));
    QTRY_VERIFY_WITH_TIMEOUT(activateCustomers->currentItem() != nullptr, kWait);
    QCOMPARE(activateCustomers->currentItem()->data(Qt::UserRole).toLongLong(), m_anna);
    auto *code = activate->findChild<QLineEdit *>(QStringLiteral("codeEdit"));
    auto *codeStatus = activate->findChild<QLabel *>(QStringLiteral("codeStatusLabel"));
    QTest::keyClicks(code, QStringLiteral("act-late-0001"));
    QTRY_VERIFY_WITH_TIMEOUT(codeStatus->text().startsWith(QLatin1String("Expired on")), kWait);
    QVERIFY(!okOf(activate)->isEnabled());
    code->clear();
    QTest::keyClicks(code, QStringLiteral("ACT-GOOD-0001"));
    QTRY_VERIFY_WITH_TIMEOUT(codeStatus->text().contains(QLatin1String("Usable")), kWait);
    QTRY_VERIFY(okOf(activate)->isEnabled());
    QVERIFY(shot(activate, QStringLiteral("simdetail-dialog-activate")));
    QTest::mouseClick(okOf(activate), Qt::LeftButton);
    expectStep(QStringLiteral("ACTIVE"), QStringLiteral("ACTIVATED"));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT status FROM activation_codes WHERE code = 'ACT-GOOD-0001'")),
        QStringLiteral("USED"));
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("activationCodeLabel"))->text(),
        QStringLiteral("ACT-GOOD-0001"));
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("tariffLabel"))
                ->text()
                .contains(QLatin1String("Prepaid 5 GB")));

    // Suspend needs a reason.
    click("suspendButton");
    if (QTest::currentTestFailed())
        return;
    auto *suspend = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    QVERIFY(!okOf(suspend)->isEnabled());
    QTest::keyClicks(suspend->findChild<QLineEdit *>(QStringLiteral("reasonEdit")),
        QStringLiteral("Unpaid invoice 2026-11"));
    QVERIFY(okOf(suspend)->isEnabled());
    QVERIFY(shot(suspend, QStringLiteral("simdetail-dialog-suspend")));
    QTest::mouseClick(okOf(suspend), Qt::LeftButton);
    expectStep(QStringLiteral("SUSPENDED"), QStringLiteral("SUSPENDED"));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(page->findChild<QTableWidget *>(QStringLiteral("historyTable"))->item(0, 5)->text(),
        QStringLiteral("Unpaid invoice 2026-11"));

    // Resume runs at once, from the keyboard (its mnemonic).
    page->activateWindow(); // back from the dialog (a window manager does this itself)
    QVERIFY(QTest::qWaitForWindowActive(page.get()));
    QTest::keyClick(page.get(), Qt::Key_U, Qt::AltModifier);
    expectStep(QStringLiteral("ACTIVE"), QStringLiteral("RESUMED"));
    if (QTest::currentTestFailed())
        return;

    // Report lost/stolen.
    click("reportLostButton");
    if (QTest::currentTestFailed())
        return;
    auto *lost = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    QTest::keyClicks(lost->findChild<QLineEdit *>(QStringLiteral("reasonEdit")),
        QStringLiteral("Phone stolen on the train"));
    QTest::mouseClick(okOf(lost), Qt::LeftButton);
    expectStep(QStringLiteral("LOST_STOLEN"), QStringLiteral("LOST_REPORTED"));
    if (QTest::currentTestFailed())
        return;

    // Swap: the new card is scanned with separators, the old one stays lost/stolen.
    click("swapButton");
    if (QTest::currentTestFailed())
        return;
    auto *swap = dialogOf<SwapDialog>(*page, QStringLiteral("swapDialog"));
    QVERIFY(!okOf(swap)->isEnabled());
    auto *scan = swap->findChild<QLineEdit *>(QStringLiteral("newIccidEdit"));
    QSignalSpy checked(swap, &SwapDialog::newCardChecked);
    QString scanned;
    for (int i = 0; i < newIccid.size(); ++i)
        scanned += (i > 0 && i % 4 == 0 ? QStringLiteral("-") : QString()) + newIccid.at(i);
    QTest::keyClicks(scan, scanned);
    QTest::keyClick(scan, Qt::Key_Return);
    QVERIFY(swap->isVisible()); // Enter looks the card up, it does not press a button
    QTRY_VERIFY_WITH_TIMEOUT(!checked.isEmpty() && checked.last().first().toBool(), kWait);
    QVERIFY(swap->findChild<QRadioButton *>(QStringLiteral("lostRadio"))->isChecked());
    const QString moves = swap->findChild<QLabel *>(QStringLiteral("movesLabel"))->text();
    QVERIFY2(moves.contains(QLatin1String("+491590077001")) && moves.contains(newIccid)
            && moves.contains(QLatin1String("Anna Berg"))
            && moves.contains(QLatin1String("Prepaid 5 GB")),
        qPrintable(moves));
    QVERIFY(!okOf(swap)->isEnabled()); // no reason yet
    QTest::keyClicks(swap->findChild<QLineEdit *>(QStringLiteral("reasonEdit")),
        QStringLiteral("Replacement for the stolen card"));
    QVERIFY(okOf(swap)->isEnabled());
    QVERIFY(shot(swap, QStringLiteral("simdetail-dialog-swap")));
    QTest::mouseClick(okOf(swap), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(page->simId(), newId, kWait);
    expectStep(QStringLiteral("ACTIVE"), QStringLiteral("SWAPPED_IN"));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(status(id), QStringLiteral("LOST_STOLEN"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT msisdn FROM sim_cards WHERE id = %1").arg(newId)),
        QStringLiteral("+491590077001"));
    QCOMPARE(
        m_tdb->scalar(
            QStringLiteral("SELECT coalesce(msisdn, '-') FROM sim_cards WHERE id = %1").arg(id)),
        QStringLiteral("-"));
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("msisdnLabel"))->text(),
        QStringLiteral("+491590077001"));
    const QString swapId = m_tdb->scalar(
        QStringLiteral("SELECT swap_id FROM sim_events WHERE sim_id = %1 AND event_type = "
                       "'SWAPPED_IN'")
            .arg(newId));
    auto *history = page->findChild<QTableWidget *>(QStringLiteral("historyTable"));
    QCOMPARE(history->item(0, 7)->data(Qt::UserRole).toString(), swapId);
    // The new card's history names the card the number came from.
    const QString oldIccid
        = m_tdb->scalar(QStringLiteral("SELECT iccid FROM sim_cards WHERE id = %1").arg(id));
    QCOMPARE(history->item(0, 7)->text(), QStringLiteral("Swapped from card %1").arg(oldIccid));
    QVERIFY(page->findChild<ErrorView *>(QStringLiteral("bannerView"))
                ->text()
                .contains(QLatin1String("Swap done")));

    // Terminate the old, lost card: it must be confirmed with the last digits of its ICCID.
    QSignalSpy loaded(page.get(), &SimDetailPage::loaded);
    page->showCard(id);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(newestEvent(*page).first, QStringLiteral("SWAPPED_OUT"));
    click("terminateButton");
    if (QTest::currentTestFailed())
        return;
    auto *terminate = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    QTest::keyClicks(terminate->findChild<QLineEdit *>(QStringLiteral("reasonEdit")),
        QStringLiteral("Stolen card, replaced"));
    auto *confirm = terminate->findChild<QLineEdit *>(QStringLiteral("confirmEdit"));
    QTest::keyClicks(confirm, QStringLiteral("0000"));
    QVERIFY(!okOf(terminate)->isEnabled());
    confirm->clear();
    QTest::keyClicks(confirm, page->detail()->card.iccid.right(4));
    QVERIFY(okOf(terminate)->isEnabled());
    QVERIFY(shot(terminate, QStringLiteral("simdetail-dialog-terminate")));
    QTest::mouseClick(okOf(terminate), Qt::LeftButton);
    expectStep(QStringLiteral("TERMINATED"), QStringLiteral("TERMINATED"));
    if (QTest::currentTestFailed())
        return;

    // The whole story, newest first, on the History tab.
    tabs->setCurrentWidget(page->findChild<QWidget *>(QStringLiteral("historyTab")));
    QStringList events;
    for (int row = history->rowCount() - 1; row >= 0; --row)
        events << history->item(row, 2)->data(Qt::UserRole).toString();
    QCOMPARE(events,
        QStringList({ "RESERVED", "ACTIVATED", "SUSPENDED", "RESUMED", "LOST_REPORTED",
            "SWAPPED_OUT", "TERMINATED" }));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events WHERE sim_id = %1 AND "
                                          "created_by = '%2' AND source = 'desktop'")
                               .arg(id)
                               .arg(m_support)),
        QStringLiteral("7"));
    // Every card the page changed was announced: one per action, two for the swap.
    qsizetype announced = 0;
    for (const QList<QVariant> &call : std::as_const(changed))
        announced += call.at(1).value<Change>().ids.size();
    QVERIFY2(announced >= 8, qPrintable(QString::number(announced)));
    QVERIFY(shot(page.get(), QStringLiteral("simdetail-history")));
}

void TestSimDetail::shouldRevealSecretsForAReasonAuditItAndHideThemAgain()
{
    const qint64 id = cardIn(SimStatus::Active);
    auto page = openPage(m_support, StaffRole::Support, id);
    page->setRevealDuration(2);
    auto *pin = page->findChild<QLabel *>(QStringLiteral("pinLabel"));
    auto *puk = page->findChild<QLabel *>(QStringLiteral("pukLabel"));
    QCOMPARE(pin->text(), QStringLiteral("••••"));
    QCOMPARE(puk->text(), QStringLiteral("••••"));
    QVERIFY(shot(page.get(), QStringLiteral("simdetail-details")));

    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("revealButton")), Qt::LeftButton);
    auto *reason = page->findChild<QLineEdit *>(QStringLiteral("revealReasonEdit"));
    auto *show = page->findChild<QPushButton *>(QStringLiteral("revealConfirmButton"));
    QVERIFY(reason->isVisible());
    QVERIFY(!show->isEnabled());
    QTest::keyClicks(reason, QStringLiteral("Customer locked out, ticket 4711"));
    QVERIFY(show->isEnabled());
    QSignalSpy revealed(page.get(), &SimDetailPage::secretsRevealFinished);
    QSignalSpy hidden(page.get(), &SimDetailPage::secretsHidden);
    QTest::keyClick(reason, Qt::Key_Return);
    QVERIFY(revealed.wait(kWait));
    QVERIFY(revealed.first().first().toBool());
    QCOMPARE(pin->text(), QStringLiteral("1234"));
    QCOMPARE(puk->text(), QStringLiteral("12345678"));
    auto *countdown = page->findChild<QLabel *>(QStringLiteral("countdownLabel"));
    QVERIFY(countdown->isVisible());
    QVERIFY(countdown->text().contains(QLatin1String("2 s")));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events WHERE sim_id = %1 AND "
                                          "event_type = 'SECRET_REVEALED' AND created_by = '%2' "
                                          "AND note = 'Customer locked out, ticket 4711'")
                               .arg(id)
                               .arg(m_support)),
        QStringLiteral("1"));
    QTRY_COMPARE_WITH_TIMEOUT(newestEvent(*page).first, QStringLiteral("SECRET_REVEALED"), kWait);
    waitIdle(*page);
    QCOMPARE(pin->text(), QStringLiteral("1234")); // the reload did not mask them early
    QVERIFY(shot(page.get(), QStringLiteral("simdetail-details-revealed")));

    QVERIFY(hidden.wait(5000));
    QCOMPARE(pin->text(), QStringLiteral("••••"));
    QCOMPARE(puk->text(), QStringLiteral("••••"));
    QVERIFY(!countdown->isVisible());
    QVERIFY(page->findChild<QPushButton *>(QStringLiteral("revealButton"))->isVisible());
}

void TestSimDetail::shouldNotRevealWithoutAReasonOrForAViewer()
{
    const qint64 id = cardIn(SimStatus::Active);
    {
        auto page = openPage(m_support, StaffRole::Support, id);
        QTest::mouseClick(
            page->findChild<QPushButton *>(QStringLiteral("revealButton")), Qt::LeftButton);
        auto *reason = page->findChild<QLineEdit *>(QStringLiteral("revealReasonEdit"));
        QTest::keyClicks(reason, QStringLiteral("   "));
        QSignalSpy revealed(page.get(), &SimDetailPage::secretsRevealFinished);
        QTest::keyClick(reason, Qt::Key_Return);
        QVERIFY(!revealed.wait(500));
        QTest::keyClick(reason, Qt::Key_Escape);
        QVERIFY(!reason->isVisible());
    }
    auto viewer = openPage(m_viewer, StaffRole::Viewer, id);
    QVERIFY(!viewer->findChild<QPushButton *>(QStringLiteral("revealButton"))->isVisible());
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events WHERE sim_id = %1 AND "
                                          "event_type = 'SECRET_REVEALED'")
                               .arg(id)),
        QStringLiteral("0"));
}

void TestSimDetail::staleDialogActionShouldSayWhoChangedItAndOfferReload()
{
    const qint64 id = cardIn(SimStatus::Active);
    auto page = openPage(m_support, StaffRole::Support, id);
    // Someone else suspends the card after it was shown here.
    const QString other = m_tdb->createLogin(QStringLiteral("other1"), QStringLiteral("support"));
    QVERIFY(
        LifecycleService(m_tdb->connectAs(other)).suspend(id, QStringLiteral("elsewhere")).ok());

    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("reportLostButton")), Qt::LeftButton);
    auto *dialog = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    QTest::keyClicks(
        dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit")), QStringLiteral("lost"));
    QSignalSpy finished(dialog, &ActionDialog::actionFinished);
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                          ->button(QDialogButtonBox::Ok),
        Qt::LeftButton);
    QVERIFY(finished.wait(kWait));
    QCOMPARE(finished.first().first().toBool(), false);
    const QString message = dialog->findChild<ErrorView *>(QStringLiteral("errorView"))->text();
    QVERIFY2(message.contains(QStringLiteral("changed by %1 at").arg(other)), qPrintable(message));
    auto *reload = dialog->findChild<QPushButton *>(QStringLiteral("reloadButton"));
    QVERIFY(reload->isVisible());
    QVERIFY(shot(dialog, QStringLiteral("simdetail-dialog-stale")));
    QCOMPARE(status(id), QStringLiteral("SUSPENDED")); // nothing overwritten
    QSignalSpy loaded(page.get(), &SimDetailPage::loaded);
    QTest::mouseClick(reload, Qt::LeftButton);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(page->detail()->card.status, SimStatus::Suspended);
    QVERIFY(page->findChild<QPushButton *>(QStringLiteral("resumeButton"))->isVisible());
}

void TestSimDetail::namesAndNotesShouldShowAsTypedNeverAsMarkup()
{
    // People type "&", "<" and ">" into names, company names and reasons.
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "INSERT INTO customers (customer_no, full_name, company) VALUES "
                 "('C-000104', 'Jo <b>Bold</b>', 'Berg GmbH & Co. KG');"
                 "INSERT INTO tariff_plans (code, name, sim_type, monthly_fee, data_mb, active) "
                 "VALUES ('PRE-X', 'Flat <i>XL</i> & more', 'prepaid', 5, NULL, true)")),
        QString());
    const qint64 customer
        = m_tdb
              ->scalar(QStringLiteral("SELECT id FROM customers WHERE customer_no = "
                                      "'C-000104'"))
              .toLongLong();
    const qint64 tariff
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'PRE-X'"))
              .toLongLong();
    const qint64 id = newCard(QStringLiteral("+4915900%1").arg(20000 + m_cards + 1));
    LifecycleService life(m_supportDb);
    QVERIFY(life.activate(id, customer, tariff).ok());
    const QString note = QStringLiteral("<i>unpaid</i> & <late>");
    QVERIFY(life.suspend(id, note).ok());
    auto page = openPage(m_support, StaffRole::Support, id);
    waitIdle(*page);
    // The link: a button's "&" is a mnemonic unless doubled; the words are the customer's.
    auto *customerButton = page->findChild<QPushButton *>(QStringLiteral("customerButton"));
    QCOMPARE(customerButton->text().replace(QStringLiteral("&&"), QStringLiteral("&")),
        QStringLiteral("Jo <b>Bold</b>, Berg GmbH & Co. KG (C-000104)"));
    // Every label that shows such a value shows it as text.
    int shown = 0;
    for (QLabel *label : page->findChildren<QLabel *>()) {
        if (label->text().contains(QLatin1String("<i>XL</i>"))
            || label->text().contains(QLatin1String("<b>Bold</b>"))) {
            ++shown;
            QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->objectName()));
        }
    }
    QVERIFY(shown >= 1); // the tariff
    // The reason in the history and its tooltip: as typed.
    auto *history = page->findChild<QTableWidget *>(QStringLiteral("historyTable"));
    QCOMPARE(history->item(0, 5)->text(), note);
    QTextDocument tip;
    tip.setHtml(history->item(0, 5)->toolTip());
    QCOMPARE(tip.toPlainText(), note);
    QVERIFY(shot(page.get(), QStringLiteral("simdetail-markup-as-text")));
}

void TestSimDetail::anOpenDialogShouldSayItIsStaleAsSoonAsThePageKnows()
{
    const qint64 id = cardIn(SimStatus::Active);
    auto page = openPage(m_support, StaffRole::Support, id);
    Desk *here = m_desks.back().get();
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("reportLostButton")), Qt::LeftButton);
    auto *dialog = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    QTest::keyClicks(
        dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit")), QStringLiteral("lost"));
    auto *ok = dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                   ->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    auto *errors = dialog->findChild<ErrorView *>(QStringLiteral("errorView"));
    QVERIFY(errors->text().isEmpty());
    // Someone else suspends the card while the dialog is open; the listener tells the page.
    const QString other = m_tdb->createLogin(QStringLiteral("other4"), QStringLiteral("support"));
    QVERIFY(
        LifecycleService(m_tdb->connectAs(other)).suspend(id, QStringLiteral("elsewhere")).ok());
    QSignalSpy loaded(page.get(), &SimDetailPage::loaded);
    here->hub()->changedElsewhere(Topic::Cards, { { id }, false });
    QVERIFY(loaded.wait(kWait));
    // The dialog says so before OK is pressed, and offers nothing the database would refuse.
    QVERIFY(dialog->isVisible());
    QVERIFY2(errors->text().contains(QStringLiteral("changed by %1 at").arg(other)),
        qPrintable(errors->text()));
    QVERIFY(!ok->isEnabled());
    auto *reload = dialog->findChild<QPushButton *>(QStringLiteral("reloadButton"));
    QVERIFY(reload->isVisible());
    QVERIFY(shot(dialog, QStringLiteral("simdetail-dialog-stale-at-once")));
    QSignalSpy reloaded(page.get(), &SimDetailPage::loaded);
    QTest::mouseClick(reload, Qt::LeftButton);
    QVERIFY(reloaded.wait(kWait));
    QCOMPARE(page->detail()->card.status, SimStatus::Suspended);
    QCOMPARE(status(id), QStringLiteral("SUSPENDED"));
}

void TestSimDetail::staleDirectActionShouldSayWhoChangedItAndOfferReload()
{
    const qint64 id = cardIn(SimStatus::Suspended);
    auto page = openPage(m_support, StaffRole::Support, id);
    const QString other = m_tdb->createLogin(QStringLiteral("other2"), QStringLiteral("support"));
    QVERIFY(LifecycleService(m_tdb->connectAs(other)).resume(id).ok());

    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("resumeButton")), Qt::LeftButton);
    auto *banner = page->findChild<ErrorView *>(QStringLiteral("bannerView"));
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kWait);
    QVERIFY2(banner->text().contains(QStringLiteral("changed by %1 at").arg(other)),
        qPrintable(banner->text()));
    auto *reload = banner->findChild<QPushButton *>(QStringLiteral("reloadButton"));
    QVERIFY(reload->isVisible());
    QVERIFY(shot(page.get(), QStringLiteral("simdetail-stale-banner")));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_events WHERE sim_id = %1 AND "
                                          "event_type = 'RESUMED'")
                               .arg(id)),
        QStringLiteral("1")); // only the other login's
    QSignalSpy loaded(page.get(), &SimDetailPage::loaded);
    QTest::mouseClick(reload, Qt::LeftButton);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(page->detail()->card.status, SimStatus::Active);
    QVERIFY(!banner->isVisible());
}

void TestSimDetail::staleEditShouldSayWhoChangedItAndOfferReload()
{
    const qint64 id = cardIn(SimStatus::Active);
    auto page = openPage(m_admin, StaffRole::Admin, id);
    const QString other = m_tdb->createLogin(QStringLiteral("other3"), QStringLiteral("support"));
    QVERIFY(LifecycleService(m_tdb->connectAs(other)).suspend(id, QStringLiteral("x")).ok());
    QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("editButton")), Qt::LeftButton);
    auto *dialog = dialogOf<EditSimDialog>(*page, QStringLiteral("editSimDialog"));
    auto *imsi = dialog->findChild<QLineEdit *>(QStringLiteral("imsiEdit"));
    imsi->clear();
    QTest::keyClicks(imsi, QStringLiteral("262019999999999"));
    QSignalSpy saved(dialog, &EditSimDialog::saveFinished);
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                          ->button(QDialogButtonBox::Ok),
        Qt::LeftButton);
    QVERIFY(saved.wait(kWait));
    QCOMPARE(saved.first().first().toBool(), false);
    const QString message = dialog->findChild<ErrorView *>(QStringLiteral("errorView"))->text();
    QVERIFY2(message.contains(QStringLiteral("changed by %1 at").arg(other)), qPrintable(message));
    QVERIFY(dialog->findChild<QPushButton *>(QStringLiteral("reloadButton"))->isVisible());
    QVERIFY(m_tdb->scalar(QStringLiteral("SELECT imsi FROM sim_cards WHERE id = %1").arg(id))
        != QLatin1String("262019999999999"));
    dialog->reject();
}

void TestSimDetail::editShouldValidateEveryFieldLive()
{
    const qint64 id = cardIn(SimStatus::Active);
    auto page = openPage(m_admin, StaffRole::Admin, id);
    QVERIFY(QTest::qWaitForWindowActive(page.get()));
    QTest::keyClick(page.get(), Qt::Key_E, Qt::AltModifier);
    auto *dialog = dialogOf<EditSimDialog>(*page, QStringLiteral("editSimDialog"));
    QPushButton *ok = dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                          ->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled()); // nothing changed yet
    auto *iccid = dialog->findChild<QLineEdit *>(QStringLiteral("iccidEdit"));
    auto *iccidMessage = dialog->findChild<QLabel *>(QStringLiteral("iccidMessageLabel"));
    const QString good = page->detail()->card.iccid;
    iccid->setText(good.left(18));
    QVERIFY(iccidMessage->isVisible());
    QVERIFY2(iccidMessage->text().contains(QLatin1String("check digit")),
        qPrintable(iccidMessage->text()));
    QVERIFY(!ok->isEnabled());
    iccid->setText(good);
    auto *msisdn = dialog->findChild<QLineEdit *>(QStringLiteral("msisdnEdit"));
    auto *msisdnMessage = dialog->findChild<QLabel *>(QStringLiteral("msisdnMessageLabel"));
    msisdn->setText(QStringLiteral("0151 234"));
    QVERIFY(msisdnMessage->isVisible());
    QVERIFY(!ok->isEnabled());
    QVERIFY(shot(dialog, QStringLiteral("simdetail-dialog-edit-invalid")));
    msisdn->setText(QStringLiteral("0049 151 2345 6789"));
    QVERIFY(msisdnMessage->text().contains(QLatin1String("+4915123456789")));
    QVERIFY(ok->isEnabled());
    QVERIFY(shot(dialog, QStringLiteral("simdetail-dialog-edit")));
    QSignalSpy loaded(page.get(), &SimDetailPage::loaded);
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT msisdn FROM sim_cards WHERE id = %1").arg(id)),
        QStringLiteral("+4915123456789"));
    QCOMPARE(newestEvent(*page).first, QStringLiteral("EDITED"));
    QCOMPARE(newestEvent(*page).second, m_admin);
}

void TestSimDetail::shouldCopyTheIccidOpenTheCustomerAndCloseFromTheKeyboard()
{
    const qint64 id = cardIn(SimStatus::Active);
    auto page = openPage(m_viewer, StaffRole::Viewer, id);
    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(
        page->findChild<QToolButton *>(QStringLiteral("copyIccidButton")), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), page->detail()->card.iccid);
    QGuiApplication::clipboard()->clear();
    QVERIFY(page->isAncestorOf(QApplication::focusWidget())); // the opened card has the focus
    QTest::keyClick(page.get(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), page->detail()->card.iccid);
    // Grouped for reading, copied as digits.
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("iccidLabel"))->text().remove(u' '),
        page->detail()->card.iccid);

    QSignalSpy customer(page.get(), &SimDetailPage::customerRequested);
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("customerButton")), Qt::LeftButton);
    QCOMPARE(customer.count(), 1);
    QCOMPARE(customer.first().first().toLongLong(), m_anna);

    QSignalSpy close(page.get(), &SimDetailPage::closeRequested);
    QTest::keyClick(page.get(), Qt::Key_Escape);
    QCOMPARE(close.count(), 1);
}

void TestSimDetail::holderChangesShouldRunThroughTheWidgets()
{
    const qint64 id = cardIn(SimStatus::Reserved);
    const qint64 ben
        = m_tdb->scalar(QStringLiteral("SELECT id FROM customers WHERE customer_no = 'C-000102'"))
              .toLongLong();
    const qint64 unlimited
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'PRE-UNL'"))
              .toLongLong();
    auto page = openPage(m_support, StaffRole::Support, id);
    auto okOf = [](QDialog *dialog) {
        return dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
            ->button(QDialogButtonBox::Ok);
    };

    // Change tariff: the plan is picked from those fitting a prepaid card.
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("changeTariffButton")), Qt::LeftButton);
    auto *tariff = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    QVERIFY(tariff);
    auto *combo = tariff->findChild<QComboBox *>(QStringLiteral("tariffCombo"));
    QTRY_VERIFY_WITH_TIMEOUT(combo->isEnabled(), kWait);
    combo->setCurrentIndex(combo->findData(unlimited));
    QVERIFY(okOf(tariff)->isEnabled());
    QVERIFY(shot(tariff, QStringLiteral("simdetail-dialog-change-tariff")));
    QTest::mouseClick(okOf(tariff), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(newestEvent(*page).first, QStringLiteral("TARIFF_CHANGED"), kWait);
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT tariff_plan_id FROM sim_cards WHERE id = %1").arg(id))
            .toLongLong(),
        unlimited);
    waitIdle(*page);

    // Assign to another customer, found by e-mail; arrow down from the search picks it.
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("assignButton")), Qt::LeftButton);
    auto *assign = dialogOf<ActionDialog>(*page, QStringLiteral("actionDialog"));
    QVERIFY(assign);
    assign->setDebounceInterval(0);
    auto *search = assign->findChild<QLineEdit *>(QStringLiteral("customerSearchEdit"));
    QTest::keyClicks(search, QStringLiteral("kurz.example"));
    auto *list = assign->findChild<QListWidget *>(QStringLiteral("customerList"));
    QTRY_VERIFY_WITH_TIMEOUT(
        list->count() == 1 && list->item(0)->data(Qt::UserRole).toLongLong() == ben, kWait);
    QTest::keyClick(search, Qt::Key_Down);
    QVERIFY(list->hasFocus());
    QVERIFY(okOf(assign)->isEnabled());
    QTest::keyClick(list, Qt::Key_Return); // Enter presses the default button
    QTRY_COMPARE_WITH_TIMEOUT(newestEvent(*page).first, QStringLiteral("ASSIGNED"), kWait);
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT customer_id FROM sim_cards WHERE id = %1").arg(id))
            .toLongLong(),
        ben);
    waitIdle(*page);
    QVERIFY(page->findChild<QPushButton *>(QStringLiteral("customerButton"))
                ->text()
                .contains(QLatin1String("Ben Kurz")));

    // Release runs at once.
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("releaseButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status(id), QStringLiteral("AVAILABLE"), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(newestEvent(*page).first, QStringLiteral("RELEASED"), kWait);

    // Unassign: a terminated card still linked to its customer.
    const qint64 ended = cardIn(SimStatus::Terminated);
    QSignalSpy loaded(page.get(), &SimDetailPage::loaded);
    page->showCard(ended);
    QVERIFY(loaded.wait(kWait));
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("unassignButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(newestEvent(*page).first, QStringLiteral("UNASSIGNED"), kWait);
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT coalesce(customer_id::text, '-') FROM sim_cards WHERE id = %1")
                               .arg(ended)),
        QStringLiteral("-"));
    waitIdle(*page);
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("unassignButton"))->isVisible());
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("customerButton"))->isEnabled());
}

void TestSimDetail::swapShouldExplainCardsThatCannotTakeTheNumber()
{
    const qint64 id = cardIn(SimStatus::Active);
    const qint64 busy = cardIn(SimStatus::Active);
    auto page = openPage(m_support, StaffRole::Support, id);
    QTest::keyClick(page.get(), Qt::Key_W, Qt::AltModifier);
    auto *swap = dialogOf<SwapDialog>(*page, QStringLiteral("swapDialog"));
    QVERIFY(swap);
    QVERIFY(swap->findChild<QRadioButton *>(QStringLiteral("terminateRadio"))->isChecked());
    auto *scan = swap->findChild<QLineEdit *>(QStringLiteral("newIccidEdit"));
    auto *verdict = swap->findChild<QLabel *>(QStringLiteral("newCardLabel"));
    QSignalSpy checked(swap, &SwapDialog::newCardChecked);
    auto lookUp = [&](const QString &typed) {
        scan->clear();
        checked.clear();
        QTest::keyClicks(scan, typed);
        QTest::keyClick(scan, Qt::Key_Return);
        if (!QTest::qWaitFor([&] { return !checked.isEmpty(); }, kWait))
            return true; // no answer at all: let the caller's check fail
        return checked.last().first().toBool();
    };
    const QString own = page->detail()->card.iccid;
    QVERIFY(!lookUp(own.left(18)));
    QVERIFY2(verdict->text().contains(QLatin1String("check digit")), qPrintable(verdict->text()));
    QVERIFY(!lookUp(own));
    QVERIFY2(
        verdict->text().contains(QLatin1String("being replaced")), qPrintable(verdict->text()));
    const QString busyIccid
        = m_tdb->scalar(QStringLiteral("SELECT iccid FROM sim_cards WHERE id = %1").arg(busy));
    QVERIFY(!lookUp(busyIccid));
    QVERIFY2(verdict->text().contains(QLatin1String("Active")), qPrintable(verdict->text()));
    QVERIFY(!lookUp(TestDatabase::iccid(9999)));
    QVERIFY2(verdict->text().contains(QLatin1String("no card")), qPrintable(verdict->text()));
    QTest::keyClicks(
        swap->findChild<QLineEdit *>(QStringLiteral("reasonEdit")), QStringLiteral("broken"));
    QVERIFY(!swap->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
                 ->button(QDialogButtonBox::Ok)
                 ->isEnabled());
    QVERIFY(shot(swap, QStringLiteral("simdetail-dialog-swap-refused")));
    QTest::keyClick(swap, Qt::Key_Escape);
    QTRY_VERIFY(!swap->isVisible());
    QCOMPARE(status(id), QStringLiteral("ACTIVE"));
}

void TestSimDetail::swapShouldFindTheNewCardByPartOfItsNumber()
{
    const qint64 id = cardIn(SimStatus::Active);
    const qint64 spare = cardIn(SimStatus::Available);
    const qint64 busy = cardIn(SimStatus::Active);
    const QString spareIccid
        = m_tdb->scalar(QStringLiteral("SELECT iccid FROM sim_cards WHERE id = %1").arg(spare));
    const QString busyIccid
        = m_tdb->scalar(QStringLiteral("SELECT iccid FROM sim_cards WHERE id = %1").arg(busy));
    auto page = openPage(m_support, StaffRole::Support, id);
    QTest::keyClick(page.get(), Qt::Key_W, Qt::AltModifier);
    auto *swap = dialogOf<SwapDialog>(*page, QStringLiteral("swapDialog"));
    QVERIFY(swap);
    swap->setDebounceInterval(0);
    auto *scan = swap->findChild<QLineEdit *>(QStringLiteral("newIccidEdit"));
    auto *list = swap->findChild<QListWidget *>(QStringLiteral("candidatesList"));
    auto *verdict = swap->findChild<QLabel *>(QStringLiteral("newCardLabel"));
    QSignalSpy listed(swap, &SwapDialog::candidatesListed);
    QSignalSpy checked(swap, &SwapDialog::newCardChecked);

    // The last digits of a card in use: it cannot take the number, so it is not offered.
    QTest::keyClicks(scan, busyIccid.right(8));
    QVERIFY(listed.wait(kWait));
    QCOMPARE(listed.last().first().toInt(), 0);
    QVERIFY(!list->isVisible());
    QVERIFY2(verdict->text().contains(QLatin1String("No available or reserved card")),
        qPrintable(verdict->text()));

    // The last digits of an available card, typed the way they are printed (with a space).
    scan->clear();
    listed.clear();
    const QString tail = spareIccid.right(8);
    QTest::keyClicks(scan, tail.left(4) + QLatin1Char(' ') + tail.mid(4));
    QVERIFY(listed.wait(kWait));
    QVERIFY(listed.last().first().toInt() >= 1);
    QVERIFY(list->isVisible());
    QVERIFY(shot(swap, QStringLiteral("simdetail-dialog-swap-search")));
    int row = -1;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->data(Qt::UserRole).toString() == spareIccid)
            row = i;
    }
    QVERIFY2(row >= 0, "the available card is among the cards offered");

    // Down walks into the list, Enter picks: the card is then checked like a scanned one.
    QTest::keyClick(scan, Qt::Key_Down);
    QCOMPARE(list->currentRow(), 0);
    list->setCurrentRow(row);
    QTest::keyClick(list, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!checked.isEmpty(), kWait);
    QCOMPARE(checked.last().first().toBool(), true);
    QCOMPARE(scan->text(), spareIccid);
    QVERIFY(!list->isVisible());
    // The room the list took goes with it: no empty gap above the moves.
    QLayout *layout = swap->layout();
    QCOMPARE(swap->height(),
        layout->hasHeightForWidth() ? layout->totalHeightForWidth(swap->width())
                                    : layout->totalSizeHint().height());
    QVERIFY(shot(swap, QStringLiteral("simdetail-dialog-swap-picked")));
    QTest::keyClick(swap, Qt::Key_Escape);
    QTRY_VERIFY(!swap->isVisible());
    QCOMPARE(status(spare), QStringLiteral("AVAILABLE"));
}

void TestSimDetail::shouldExplainALoadErrorAndRetry()
{
    ConnectionSettings nowhere = as(m_support);
    nowhere.database = QStringLiteral("no_such_database");
    Desk nowhereDesk(nowhere, session(m_support, StaffRole::Support));
    SimDetailPage page(&nowhereDesk);
    page.resize(1366, 768);
    page.show();
    QSignalSpy loaded(&page, &SimDetailPage::loaded);
    page.showCard(1);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(loaded.first().first().toBool(), false);
    auto *banner = page.findChild<ErrorView *>(QStringLiteral("bannerView"));
    QVERIFY(banner->isVisible());
    QVERIFY2(
        banner->text().contains(QLatin1String("no_such_database")), qPrintable(banner->text()));
    auto *retry = banner->findChild<QPushButton *>(QStringLiteral("reloadButton"));
    QVERIFY(retry->isVisible());
    for (const QString &name : kActionButtons)
        QVERIFY(!page.findChild<QPushButton *>(name)->isVisible());
    QVERIFY(shot(&page, QStringLiteral("simdetail-load-error")));
    QTest::mouseClick(retry, Qt::LeftButton);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(loaded.count(), 2);
}

QTEST_MAIN(TestSimDetail)
#include "tst_simdetail.moc"
