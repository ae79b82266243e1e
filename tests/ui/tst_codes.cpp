// SPDX-License-Identifier: MIT
#include "codes/codereasondialog.h"
#include "codes/codespage.h"
#include "codes/generatebatchdialog.h"
#include "db/changelistener.h"
#include "db/migrator.h"
#include "main/mainwindow.h"
#include "records/activationcoderepository.h"
#include "screenshots.h"
#include "services/demodata.h"
#include "services/lifecycleservice.h"
#include "sims/actiondialog.h"
#include "sims/simdetailpage.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace simdesk;

namespace {

constexpr int kWait = 20000;

QPushButton *okOf(QDialog *dialog)
{
    return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

} // namespace

// The Activation codes page in the signed-in window: a batch generated, listed, used once and
// refused the second time; an expired code shown EXPIRED and refused by Activate; codes closed
// by hand and a batch expired, with reasons in the audit log; what each role is offered.
class TestCodes : public QObject
{
    Q_OBJECT

public:
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void aGeneratedBatchShouldBeUniqueAndActivateOneCardOnlyOnce();
    void anExpiredCodeShouldShowExpiredAndBeRefusedByActivate();
    void markingACodeShouldAskForAReasonAndAuditIt();
    void anAdminShouldExportAndExpireAWholeBatch();
    void eachRoleShouldBeOfferedOnlyWhatItMayDo();

private:
    std::unique_ptr<MainWindow> openWindow(StaffRole role);
    CodesPage *showCodes(MainWindow &w);
    void search(CodesPage *page, const QString &text);
    template<typename D> D *dialogOf(QWidget *parent, const QString &name);
    // Opens Activate on an available card and types `code`; returns what the dialog says.
    QString activateDialogSays(MainWindow &w, const QString &code, bool *okEnabled);

    std::unique_ptr<TestDatabase> m_tdb;
    QString m_viewer;
    QString m_support;
    QString m_admin;
    qint64 m_batch = 0;
};

void TestCodes::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("codes"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    DemoDataOptions options;
    options.sims = 400;
    options.customers = 60;
    QVERIFY(DemoData::generate(m_tdb->connect(), options).ok());
    m_viewer = m_tdb->createLogin(QStringLiteral("look"), QStringLiteral("viewer"));
    m_support = m_tdb->createLogin(QStringLiteral("desk"), QStringLiteral("support"));
    m_admin = m_tdb->createLogin(QStringLiteral("boss"), QStringLiteral("admin"));
}

void TestCodes::init()
{
    QSettings().clear();
}

void TestCodes::cleanupTestCase()
{
    m_tdb.reset();
}

std::unique_ptr<MainWindow> TestCodes::openWindow(StaffRole role)
{
    const QString login = role == StaffRole::Admin ? m_admin
        : role == StaffRole::Support               ? m_support
                                                   : m_viewer;
    ConnectionSettings settings = m_tdb->settings();
    settings.user = login;
    SessionInfo session;
    session.login = login;
    session.displayName = QStringLiteral("Desk");
    session.role = role;
    auto w = std::make_unique<MainWindow>(settings, session);
    w->resize(1280, 720);
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

CodesPage *TestCodes::showCodes(MainWindow &w)
{
    // The side bar's entry right after Customers, by its shortcut as its tooltip says.
    w.activateWindow();
    if (!QTest::qWaitForWindowActive(&w))
        return nullptr;
    auto *nav = w.findChild<QListWidget *>(QStringLiteral("navigationList"));
    int customers = -1;
    for (int i = 0; i < nav->count(); ++i) {
        const QString key = nav->item(i)->data(Qt::UserRole).toString();
        if (key == QLatin1String("customers"))
            customers = i;
        if (key == QLatin1String("codes")) {
            if (i != customers + 1
                || !nav->item(i)->toolTip().contains(QStringLiteral("Ctrl+%1").arg(i + 1)))
                return nullptr;
            QTest::keyClick(&w, Qt::Key(Qt::Key_0 + i + 1), Qt::ControlModifier);
        }
    }
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    if (pages->currentWidget() != w.codesPage())
        return nullptr;
    if (!QTest::qWaitFor([&] { return !w.codesPage()->model()->isLoading(); }, kWait))
        return nullptr;
    return w.codesPage();
}

void TestCodes::search(CodesPage *page, const QString &text)
{
    auto *edit = page->findChild<QLineEdit *>(QStringLiteral("searchEdit"));
    edit->clear();
    QTest::keyClicks(edit, text);
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->filter().search, text, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!page->model()->isLoading(), kWait);
}

template<typename D> D *TestCodes::dialogOf(QWidget *parent, const QString &name)
{
    // A dialog closed before may still wait for its deleteLater: take the visible one.
    D *dialog = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            for (D *d : parent->findChildren<D *>(name)) {
                if (d->isVisible())
                    dialog = d;
            }
            return dialog != nullptr;
        },
        kWait);
    return dialog;
}

QString TestCodes::activateDialogSays(MainWindow &w, const QString &code, bool *okEnabled)
{
    const qint64 card
        = m_tdb
              ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE status = 'AVAILABLE' "
                                      "ORDER BY id LIMIT 1"))
              .toLongLong();
    w.showCard(card);
    SimDetailPage *page = w.detailPage();
    auto *activate = page->findChild<QPushButton *>(QStringLiteral("activateButton"));
    if (!QTest::qWaitFor([&] { return activate->isVisible() && activate->isEnabled(); }, kWait))
        return QStringLiteral("(no Activate button)");
    QTest::mouseClick(activate, Qt::LeftButton);
    auto *dialog = dialogOf<ActionDialog>(page, QStringLiteral("actionDialog"));
    if (!dialog)
        return QStringLiteral("(no dialog)");
    dialog->setDebounceInterval(0);
    auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("codeEdit"));
    auto *status = dialog->findChild<QLabel *>(QStringLiteral("codeStatusLabel"));
    QTest::keyClicks(edit, code);
    (void)QTest::qWaitFor(
        [&] { return status->isVisible() && status->text() != ActionDialog::tr("Checking…"); },
        kWait);
    const QString said = status->text();
    *okEnabled = okOf(dialog)->isEnabled();
    saveScreenshot(dialog, QStringLiteral("codes-activate-refused"));
    dialog->reject();
    return said;
}

void TestCodes::aGeneratedBatchShouldBeUniqueAndActivateOneCardOnlyOnce()
{
    const auto window = openWindow(StaffRole::Admin);
    QVERIFY(window);
    CodesPage *page = showCodes(*window);
    QVERIFY(page);
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("generateButton")), Qt::LeftButton);
    auto *dialog = dialogOf<GenerateBatchDialog>(page, QStringLiteral("generateBatchDialog"));
    QVERIFY(dialog);
    // Checked as typed: no label, no batch.
    QVERIFY(!okOf(dialog)->isEnabled());
    QVERIFY(!dialog->problem().isEmpty());
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("labelEdit")),
        QStringLiteral("Spring campaign, shop Berlin"));
    auto *count = dialog->findChild<QSpinBox *>(QStringLiteral("countSpin"));
    QCOMPARE(count->maximum(), 100000);
    count->setValue(10000);
    auto *length = dialog->findChild<QSpinBox *>(QStringLiteral("lengthSpin"));
    length->setValue(24);
    QTest::keyClicks(
        dialog->findChild<QLineEdit *>(QStringLiteral("prefixEdit")), QStringLiteral("spring-"));
    // "SPRING-" and 24 characters make 31: allowed; one more is not.
    QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
    length->setValue(10);
    QVERIFY(okOf(dialog)->isEnabled());
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("sampleLabel"))
                ->text()
                .contains(QLatin1String("SPRING-")));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("codes-generate-batch")));
    QTest::mouseClick(okOf(dialog), Qt::LeftButton);
    // The list shows the new batch.
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->filter().batchId.has_value(), kWait);
    m_batch = *page->model()->filter().batchId;
    QTRY_VERIFY_WITH_TIMEOUT(
        !page->model()->isLoading() && page->model()->rowCount() == CodeListModel::kPageSize,
        kWait);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) || '|' || count(DISTINCT code) || '|' "
                                          "|| bool_and(code ~ '^SPRING-[%1]{10}$') FROM "
                                          "activation_codes WHERE batch_id = %2")
                               .arg(QLatin1String(ActivationCodeRepository::kCodeAlphabet))
                               .arg(m_batch)),
        QStringLiteral("10000|10000|true"));
    QCOMPARE(page->model()->rowAt(0)->batchLabel, QStringLiteral("Spring campaign, shop Berlin"));
    QCOMPARE(page->model()
                 ->data(page->model()->index(0, CodeListModel::Status), Qt::DisplayRole)
                 .toString(),
        QStringLiteral("UNUSED"));
    auto *countLabel = page->findChild<QLabel *>(QStringLiteral("countLabel"));
    // More than the exact-count limit, yet exact: the batch knows how many codes it made.
    QTRY_COMPARE_WITH_TIMEOUT(
        countLabel->text(), CodesPage::tr("Codes: %1").arg(QLocale().toString(10000)), kWait);
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("codes-page")));

    // One card activated with a code of the batch (another workstation)…
    const QString code = page->model()->rowAt(0)->code;
    const qint64 codeId = page->model()->rowAt(0)->id;
    const qint64 card
        = m_tdb
              ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE status = 'AVAILABLE' "
                                      "AND sim_type = 'prepaid' ORDER BY id DESC LIMIT 1"))
              .toLongLong();
    const qint64 customer
        = m_tdb->scalar(QStringLiteral("SELECT min(id) FROM customers")).toLongLong();
    const qint64 tariff
        = m_tdb
              ->scalar(QStringLiteral("SELECT min(id) FROM tariff_plans WHERE active AND "
                                      "(sim_type IS NULL OR sim_type = 'prepaid')"))
              .toLongLong();
    QSqlDatabase elsewhere = m_tdb->connectAs(m_support);
    const Result<SimCard> activated
        = LifecycleService(elsewhere).activate(card, customer, tariff, code.toLower());
    QVERIFY2(activated.ok(), activated.ok() ? "" : qPrintable(activated.error().fullMessage()));
    // … shows here by itself: used, on that card, which opens from the list.
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->rowOfId(codeId) >= 0
            && page->model()->rowAt(page->model()->rowOfId(codeId))->status == CodeStatus::Used,
        kWait);
    const CodeListRow *row = page->model()->rowAt(page->model()->rowOfId(codeId));
    QCOMPARE(row->simId.value_or(0), card);
    QVERIFY(row->usedAt.has_value());
    QCOMPARE(page->currentId(), codeId);
    auto *usedOn = page->findChild<QPushButton *>(QStringLiteral("usedOnButton"));
    QTRY_VERIFY_WITH_TIMEOUT(usedOn->isVisible(), kWait);
    QCOMPARE(usedOn->text(), row->iccid);
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("codes-used")));
    QTest::mouseClick(usedOn, Qt::LeftButton);
    auto *pages = window->findChild<QStackedWidget *>(QStringLiteral("pages"));
    QTRY_COMPARE_WITH_TIMEOUT(pages->currentWidget(), window->detailPage(), kWait);
    QCOMPARE(window->detailPage()->simId(), card);

    // The same code again: refused by Activate, and by the database.
    bool okEnabled = true;
    const QString said = activateDialogSays(*window, code, &okEnabled);
    QVERIFY2(said.startsWith(QLatin1String("Used on")), qPrintable(said));
    QVERIFY(!okEnabled);
    const qint64 other
        = m_tdb
              ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE status = 'AVAILABLE' "
                                      "AND sim_type = 'prepaid' ORDER BY id LIMIT 1"))
              .toLongLong();
    const Result<SimCard> again
        = LifecycleService(elsewhere).activate(other, customer, tariff, code);
    QCOMPARE(again.error().code, ErrorCode::ActivationCodeUsed);
}

void TestCodes::anExpiredCodeShouldShowExpiredAndBeRefusedByActivate()
{
    // Stored UNUSED, past its expiry: nothing has marked it.
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO activation_codes (code, expires_at) VALUES "
                                        "('LATE-CODE-0001', now() - interval '1 hour')")),
        QString());
    const auto window = openWindow(StaffRole::Support);
    QVERIFY(window);
    CodesPage *page = showCodes(*window);
    QVERIFY(page);
    search(page, QStringLiteral("late-code"));
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 1, kWait);
    QCOMPARE(page->model()
                 ->data(page->model()->index(0, CodeListModel::Status), Qt::DisplayRole)
                 .toString(),
        QStringLiteral("EXPIRED"));
    QTRY_COMPARE_WITH_TIMEOUT(page->currentId(), page->model()->rowAt(0)->id, kWait);
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("statusBadge"))->text(),
        codeStatusDisplayName(CodeStatus::Expired));
    QVERIFY(!page->findChild<QLabel *>(QStringLiteral("noteLabel"))->text().isEmpty());
    // Nothing to close on an expired code.
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("markUsedButton"))->isEnabled());
    // The status filter agrees.
    auto *status = page->findChild<QComboBox *>(QStringLiteral("statusCombo"));
    status->setCurrentIndex(status->findData(int(CodeStatus::Unused)));
    QTRY_VERIFY_WITH_TIMEOUT(!page->model()->isLoading() && page->model()->rowCount() == 0, kWait);
    status->setCurrentIndex(status->findData(int(CodeStatus::Expired)));
    QTRY_VERIFY_WITH_TIMEOUT(!page->model()->isLoading() && page->model()->rowCount() == 1, kWait);
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("codes-expired")));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT status FROM activation_codes WHERE code = 'LATE-CODE-0001'")),
        QStringLiteral("UNUSED"));

    bool okEnabled = true;
    const QString said = activateDialogSays(*window, QStringLiteral("LATE-CODE-0001"), &okEnabled);
    QVERIFY2(said.startsWith(QLatin1String("Expired on")), qPrintable(said));
    QVERIFY(!okEnabled);
}

void TestCodes::markingACodeShouldAskForAReasonAndAuditIt()
{
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO activation_codes (code) VALUES "
                                        "('HAND-CODE-0001'), ('HAND-CODE-0002')")),
        QString());
    const auto window = openWindow(StaffRole::Support);
    QVERIFY(window);
    CodesPage *page = showCodes(*window);
    QVERIFY(page);
    const struct
    {
        const char *code;
        const char *button;
        const char *reason;
        const char *status;
    } cases[] = {
        { "HAND-CODE-0001", "markUsedButton", "Handed out at the counter", "USED" },
        { "HAND-CODE-0002", "markExpiredButton", "Printed on a damaged slip", "EXPIRED" },
    };
    for (const auto &c : cases) {
        search(page, QString::fromLatin1(c.code));
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 1, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(page->currentId(), page->model()->rowAt(0)->id, kWait);
        auto *button = page->findChild<QPushButton *>(QString::fromLatin1(c.button));
        QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), kWait);
        QTest::mouseClick(button, Qt::LeftButton);
        auto *dialog = dialogOf<CodeReasonDialog>(page, QStringLiteral("codeReasonDialog"));
        QVERIFY(dialog);
        // No reason, no change; blanks are no reason.
        QVERIFY(!okOf(dialog)->isEnabled());
        QTest::keyClicks(
            dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit")), QStringLiteral("   "));
        QVERIFY(!okOf(dialog)->isEnabled());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit")),
            QString::fromLatin1(c.reason));
        QVERIFY(okOf(dialog)->isEnabled());
        if (QLatin1String(c.status) == QLatin1String("USED"))
            QVERIFY(saveScreenshot(dialog, QStringLiteral("codes-mark-used")));
        const QPointer<QDialog> guard(dialog);
        QTest::mouseClick(okOf(dialog), Qt::LeftButton);
        // Closed, and deleted on close: watched through a guard.
        QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(
            page->model()
                ->data(page->model()->index(0, CodeListModel::Status), Qt::DisplayRole)
                .toString(),
            QString::fromLatin1(c.status), kWait);
        QCOMPARE(m_tdb->scalar(QStringLiteral(
                     "SELECT concat_ws('|', a.reason, a.changed_by) FROM audit_log a "
                     "JOIN activation_codes k ON k.id = a.row_id WHERE "
                     "a.table_name = 'activation_codes' AND a.action = 'UPDATE' "
                     "AND k.code = '%1'")
                                   .arg(QLatin1String(c.code))),
            QStringLiteral("%1|%2").arg(QLatin1String(c.reason), m_support));
    }
}

void TestCodes::anAdminShouldExportAndExpireAWholeBatch()
{
    QVERIFY(m_batch);
    const auto window = openWindow(StaffRole::Admin);
    QVERIFY(window);
    CodesPage *page = showCodes(*window);
    QVERIFY(page);
    auto *batches = page->findChild<QComboBox *>(QStringLiteral("batchCombo"));
    QTRY_VERIFY_WITH_TIMEOUT(batches->findData(m_batch) > 0, kWait);
    batches->setCurrentIndex(batches->findData(m_batch));
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->filter().batchId.value_or(0), m_batch, kWait);

    // Export: every code of the batch, for a spreadsheet or mail merge.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("batch.csv"));
    QSignalSpy exported(page, &CodesPage::message);
    page->exportBatch(path);
    QVERIFY(exported.wait(kWait));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 10000 + 2); // header, codes, and the last line's end
    QCOMPARE(lines.first(),
        QByteArray("\"code\",\"status\",\"expires_at\",\"batch\",\"used_at\","
                   "\"iccid\""));
    QVERIFY2(QRegularExpression(QStringLiteral("^\"SPRING-[A-Z2-9]{10}\",\"(UNUSED|USED)\""))
                 .match(QString::fromUtf8(lines.at(1)))
                 .hasMatch(),
        lines.at(1).constData());

    // Expire the batch: one reason, every unused code; the used one stays used.
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("expireBatchButton")), Qt::LeftButton);
    auto *dialog = dialogOf<CodeReasonDialog>(page, QStringLiteral("expireBatchDialog"));
    QVERIFY(dialog);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit")),
        QStringLiteral("Campaign cancelled"));
    QVERIFY(saveScreenshot(dialog, QStringLiteral("codes-expire-batch")));
    const QPointer<QDialog> guard(dialog);
    QTest::mouseClick(okOf(dialog), Qt::LeftButton);
    // Closed, and deleted on close: watched through a guard.
    QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), kWait);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT string_agg(status || '=' || n, ',' ORDER BY "
                                          "status) FROM (SELECT status, count(*) n FROM "
                                          "activation_codes WHERE batch_id = %1 GROUP BY status) s")
                               .arg(m_batch)),
        QStringLiteral("EXPIRED=9999,USED=1"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE table_name = "
                                          "'activation_codes' AND reason = 'Campaign cancelled'")),
        QStringLiteral("9999"));
    // The newest code of the batch activated a card; the next one is expired now.
    QTRY_COMPARE_WITH_TIMEOUT(
        page->model()
            ->data(page->model()->index(1, CodeListModel::Status), Qt::DisplayRole)
            .toString(),
        QStringLiteral("EXPIRED"), kWait);
    // Twice is refused, with what to do.
    QTest::mouseClick(
        page->findChild<QPushButton *>(QStringLiteral("expireBatchButton")), Qt::LeftButton);
    auto *again = dialogOf<CodeReasonDialog>(page, QStringLiteral("expireBatchDialog"));
    QVERIFY(again);
    QTest::keyClicks(
        again->findChild<QLineEdit *>(QStringLiteral("reasonEdit")), QStringLiteral("Once more"));
    QTest::mouseClick(okOf(again), Qt::LeftButton);
    auto *error = again->findChild<QWidget *>(QStringLiteral("errorView"));
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), kWait);
    QVERIFY(again->isVisible());
    again->reject();
}

void TestCodes::eachRoleShouldBeOfferedOnlyWhatItMayDo()
{
    const struct
    {
        StaffRole role;
        bool mark;
        bool batches;
    } roles[] = {
        { StaffRole::Viewer, false, false },
        { StaffRole::Support, true, false },
        { StaffRole::Admin, true, true },
    };
    for (const auto &r : roles) {
        const auto window = openWindow(r.role);
        QVERIFY(window);
        CodesPage *page = showCodes(*window);
        QVERIFY(page);
        auto shown = [page](const char *name) {
            return !page->findChild<QPushButton *>(QString::fromLatin1(name))->isHidden();
        };
        QCOMPARE(shown("markUsedButton"), r.mark);
        QCOMPARE(shown("markExpiredButton"), r.mark);
        QCOMPARE(shown("exportButton"), r.mark);
        QCOMPARE(shown("generateButton"), r.batches);
        QCOMPARE(shown("expireBatchButton"), r.batches);
    }
}

QTEST_MAIN(TestCodes)
#include "tst_codes.moc"
