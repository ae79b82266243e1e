// SPDX-License-Identifier: MIT
#include "common/desk.h"
#include "db/migrator.h"
#include "import/importfileinfo.h"
#include "import/importservice.h"
#include "imports/importcontroller.h"
#include "imports/importpreviewmodel.h"
#include "imports/importspage.h"
#include "imports/importwizard.h"
#include "main/mainwindow.h"
#include "screenshots.h"
#include "services/lifecycleservice.h"
#include "sims/simspage.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDropEvent>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <memory>

using namespace simdesk;

// The import wizard, the Imports page and how an import is started, against the real database
// of the test cluster, as an admin login (the database's grants apply) and as support.
class TestImportWizard : public QObject
{
    Q_OBJECT

public:
    // The main window holds the dashboard's web view.
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void aFileDroppedByAnAdminShouldOpenTheWizardAndQueueTheRest();
    void importShouldNotBeOfferedToSupport();
    void offlineTheWizardShouldSayOfflineAndWait();
    void skipPolicyShouldImportTheGoodRowsAndShowEveryProblem();
    void errorPolicyShouldImportNothingWhileARowHasAProblem();
    void errorPolicyShouldImportACleanFile();
    void anUnknownHeaderMappedAndSavedShouldBeReusedForTheNextFile();
    void aVendorFileShouldTakeTheTypeFromTheUser();
    void cancelDuringCommitShouldLeaveNothing();
    void closingTheWindowDuringAnImportShouldAskThenCancel();
    void revertFromTheImportsPageShouldDeleteTheBatchCards();
    void aRefusedRevertShouldKeepItsReasonAfterThePageReloads();
    void theCheckShouldNameTheWrongSecretAndUseTheWidthForProblems();
    void theFirstStepShouldShowTheFileAsWrittenWithSecretsHidden();
    void theFormatShouldBeChosenAsWithTheClisFormatOption();

private:
    QString writeFile(const QString &name, const QByteArray &content);
    // ICCID number n without a valid check digit (the last digit changed).
    static QString badLuhn(int n);
    ConnectionSettings adminSettings() const;
    std::unique_ptr<Desk> m_adminDesk; // for the wizards opened on their own
    SessionInfo session(StaffRole role) const;
    std::unique_ptr<MainWindow> openWindow(const ConnectionSettings &settings, StaffRole role);
    // Opens a wizard on `path` and walks it to the end of the check (step c).
    std::unique_ptr<ImportWizard> checkedWizard(const QString &path, const QString &shot = {});
    // From the check to the end of the import.
    bool commit(ImportWizard &w, const QString &shot = {});
    qint64 count(const QString &sql);

    std::unique_ptr<TestDatabase> m_tdb;
    QTemporaryDir m_dir;
    QString m_admin;
    QString m_support;
};

void TestImportWizard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("importwizard"));
    REQUIRE_DATABASE(*m_tdb);
    QVERIFY(Migrator(m_tdb->connect()).migrate().ok());
    m_admin = m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
    m_support = m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support"));
    // One card the files below meet again: "already in the database".
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', "
                                        "'prepaid')")
                             .arg(TestDatabase::iccid(900))),
        QString());
}

void TestImportWizard::init()
{
    QSettings().clear();
}

void TestImportWizard::cleanupTestCase()
{
    m_tdb.reset();
}

QString TestImportWizard::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        return {};
    return path;
}

QString TestImportWizard::badLuhn(int n)
{
    QString iccid = TestDatabase::iccid(n);
    const int last = iccid.back().digitValue();
    iccid.back() = QChar(u'0' + char16_t((last + 1) % 10));
    return iccid;
}

ConnectionSettings TestImportWizard::adminSettings() const
{
    ConnectionSettings s = m_tdb->settings();
    s.user = m_admin;
    return s;
}

SessionInfo TestImportWizard::session(StaffRole role) const
{
    SessionInfo s;
    s.login = role == StaffRole::Admin ? m_admin : m_support;
    s.displayName
        = role == StaffRole::Admin ? QStringLiteral("Ada Admin") : QStringLiteral("Sam Support");
    s.role = role;
    return s;
}

std::unique_ptr<MainWindow> TestImportWizard::openWindow(
    const ConnectionSettings &settings, StaffRole role)
{
    auto w = std::make_unique<MainWindow>(settings, session(role));
    w->resize(1366, 768);
    w->show();
    QSignalSpy refreshed(w.get(), &MainWindow::refreshed);
    w->refresh();
    if (!refreshed.wait(20000) || !w->importController())
        return nullptr;
    return w;
}

qint64 TestImportWizard::count(const QString &sql)
{
    return m_tdb->scalar(sql).toLongLong();
}

std::unique_ptr<ImportWizard> TestImportWizard::checkedWizard(
    const QString &path, const QString &shot)
{
    if (!m_adminDesk) {
        SessionInfo admin;
        admin.login = adminSettings().user;
        admin.role = StaffRole::Admin;
        m_adminDesk = std::make_unique<Desk>(adminSettings(), admin);
    }
    auto w = std::make_unique<ImportWizard>(m_adminDesk.get(), path);
    w->resize(1100, 680);
    w->show();
    QSignalSpy inspected(w.get(), &ImportWizard::fileInspected);
    if (!inspected.wait(20000))
        return nullptr;
    if (!shot.isEmpty())
        saveScreenshot(w.get(), shot + QStringLiteral("-1-file"));
    w->next();
    if (w->step() != ImportWizard::MappingStep)
        return w;
    if (!shot.isEmpty())
        saveScreenshot(w.get(), shot + QStringLiteral("-2-columns"));
    auto *next = w->findChild<QPushButton *>(QStringLiteral("nextButton"));
    if (!next->isEnabled())
        return w; // the mapping is not complete: the test goes on from here
    QSignalSpy validated(w.get(), &ImportWizard::validated);
    w->next();
    if (!validated.wait(60000))
        return nullptr;
    return w;
}

bool TestImportWizard::commit(ImportWizard &w, const QString &shot)
{
    if (w.step() != ImportWizard::CheckStep)
        return false;
    w.next();
    if (w.step() != ImportWizard::PolicyStep)
        return false;
    if (!shot.isEmpty())
        saveScreenshot(&w, shot + QStringLiteral("-4-policy"));
    auto *next = w.findChild<QPushButton *>(QStringLiteral("nextButton"));
    if (!next->isEnabled())
        return false;
    QSignalSpy committed(&w, &ImportWizard::committed);
    next->click();
    if (!committed.wait(60000))
        return false;
    if (!shot.isEmpty())
        saveScreenshot(&w, shot + QStringLiteral("-5-result"));
    return true;
}

void TestImportWizard::aFileDroppedByAnAdminShouldOpenTheWizardAndQueueTheRest()
{
    const QString first = writeFile(QStringLiteral("drop-a.csv"),
        QStringLiteral("iccid,type\n%1,prepaid\n").arg(TestDatabase::iccid(1)).toUtf8());
    const QString second = writeFile(QStringLiteral("drop-b.csv"),
        QStringLiteral("iccid,type\n%1,prepaid\n").arg(TestDatabase::iccid(2)).toUtf8());
    const std::unique_ptr<MainWindow> window = openWindow(adminSettings(), StaffRole::Admin);
    QVERIFY(window);
    window->showSims({});
    // Dropped on whatever is under the cursor: here the SIM list's table.
    QWidget *target = window->simsPage()->findChild<QTableView *>();
    QVERIFY(target);
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(first), QUrl::fromLocalFile(second),
        QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("photo.png"))) });
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());

    ImportController *imports = window->importController();
    QVERIFY(imports->wizard());
    QCOMPARE(imports->wizard()->path(), first);
    QCOMPARE(imports->queue(), QStringList { second }); // the .png is not an import file
    QVERIFY(imports->wizard()->isVisible());
    QSignalSpy inspected(imports->wizard(), &ImportWizard::fileInspected);
    QVERIFY(inspected.wait(20000));
    saveScreenshot(window.get(), QStringLiteral("import-drop-wizard-over-window"));
    // Closing it opens the next file.
    imports->wizard()->reject();
    QTRY_VERIFY(imports->wizard() && imports->wizard()->path() == second);
    QVERIFY(imports->queue().isEmpty());
    imports->wizard()->reject();
    QTRY_VERIFY(!imports->wizard());

    // Ctrl+I is in the File menu, and the SIM list has a button for it.
    QCOMPARE(imports->importAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_I));
    QVERIFY(
        window->simsPage()->findChild<QPushButton *>(QStringLiteral("importButton"))->isVisible());
}

void TestImportWizard::importShouldNotBeOfferedToSupport()
{
    const QString file = writeFile(QStringLiteral("support.csv"),
        QStringLiteral("iccid,type\n%1,prepaid\n").arg(TestDatabase::iccid(3)).toUtf8());
    ConnectionSettings settings = m_tdb->settings();
    settings.user = m_support;
    const std::unique_ptr<MainWindow> window = openWindow(settings, StaffRole::Support);
    QVERIFY(window);
    ImportController *imports = window->importController();
    QSignalSpy refused(imports, &ImportController::refused);
    // Not in the File menu, no Ctrl+I on the window.
    for (QAction *a : window->findChildren<QAction *>())
        QVERIFY2(!(a->isVisible() && a->isEnabled() && window->actions().contains(a)
                     && a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_I)),
            qPrintable(a->text()));
    auto *fileMenu = window->findChild<QMenu *>(QStringLiteral("fileMenu"));
    QVERIFY(fileMenu);
    QVERIFY(!fileMenu->actions().contains(imports->importAction()));
    QTest::keyClick(window.get(), Qt::Key_I, Qt::ControlModifier);
    QVERIFY(!imports->wizard());
    // A dragged file is not taken: the cursor says so before anything is dropped.
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(file) });
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.ignore();
    QApplication::sendEvent(window.get(), &enter);
    QVERIFY(!enter.isAccepted());
    QVERIFY(refused.isEmpty());
    QVERIFY(!imports->wizard());
    QVERIFY(!window->findChild<QMessageBox *>(QStringLiteral("importRefusedMessage")));
    QVERIFY(
        !window->simsPage()->findChild<QPushButton *>(QStringLiteral("importButton"))->isVisible());
    QVERIFY(
        !imports->page()->findChild<QPushButton *>(QStringLiteral("importButton"))->isVisible());
}

// Offline, an administrator's wizard says so and waits, instead of blaming the file; the
// action that opens it says "offline". When the connection is back, the wizard goes on.
void TestImportWizard::offlineTheWizardShouldSayOfflineAndWait()
{
    const QString file = writeFile(QStringLiteral("offline.csv"),
        QStringLiteral("iccid,type\n%1,prepaid\n").arg(TestDatabase::iccid(71)).toUtf8());
    const std::unique_ptr<MainWindow> window = openWindow(adminSettings(), StaffRole::Admin);
    QVERIFY(window);
    ImportController *imports = window->importController();
    QVERIFY(imports->importAction()->isEnabled());
    window->desk()->setLive(false);
    QVERIFY(!imports->importAction()->isEnabled());
    QVERIFY(imports->importAction()->text().contains(QStringLiteral("offline")));
    QVERIFY(
        !imports->page()->findChild<QPushButton *>(QStringLiteral("importButton"))->isEnabled());

    imports->importFiles({ file });
    QPointer<ImportWizard> w = imports->wizard();
    QVERIFY(w);
    auto *fileError = w->findChild<QLabel *>(QStringLiteral("fileErrorLabel"));
    QVERIFY2(fileError->text().contains(QStringLiteral("offline")), qPrintable(fileError->text()));
    QVERIFY(!fileError->text().contains(QStringLiteral("cannot be imported")));
    QVERIFY(w->findChild<QLabel *>(QStringLiteral("stepLabel"))
                ->text()
                .contains(QStringLiteral("offline")));
    QVERIFY(!w->findChild<QPushButton *>(QStringLiteral("nextButton"))->isEnabled());
    saveScreenshot(w, QStringLiteral("import-wizard-offline"));

    QSignalSpy inspected(w, &ImportWizard::fileInspected);
    window->desk()->setLive(true);
    QVERIFY(inspected.wait(20000));
    QVERIFY(!fileError->text().contains(QStringLiteral("offline")));
    QVERIFY(w->findChild<QPushButton *>(QStringLiteral("nextButton"))->isEnabled());
    QVERIFY(imports->importAction()->isEnabled());
    w->reject();
    QTRY_VERIFY(!imports->wizard());
}

void TestImportWizard::skipPolicyShouldImportTheGoodRowsAndShowEveryProblem()
{
    // Lines: 1 header, 2–4 valid, 5 bad Luhn, 6 duplicate of line 2, 7 already in the database.
    const QByteArray csv = QStringLiteral("iccid,msisdn,type\n"
                                          "%1,+4915100000011,prepaid\n"
                                          "%2,+4915100000012,postpaid\n"
                                          "%3,,data-only\n"
                                          "%4,+4915100000014,prepaid\n"
                                          "%1,+4915100000015,prepaid\n"
                                          "%5,,prepaid\n")
                               .arg(TestDatabase::iccid(11), TestDatabase::iccid(12),
                                   TestDatabase::iccid(13), badLuhn(14), TestDatabase::iccid(900))
                               .toUtf8();
    const QString path = writeFile(QStringLiteral("vendor-mixed.csv"), csv);
    const std::unique_ptr<ImportWizard> w = checkedWizard(path, QStringLiteral("import-wizard"));
    QVERIFY(w);
    QCOMPARE(w->step(), ImportWizard::CheckStep);
    QCOMPARE(w->findChild<QLabel *>(QStringLiteral("fileKindValue"))
                 ->text()
                 .startsWith(QStringLiteral("CSV")),
        true);

    ImportPreviewModel *model = w->previewModel();
    QCOMPARE(model->rowCount(), 6);
    auto status = [model](int row) {
        return RowStatus(model->index(row, 0).data(Qt::UserRole).toInt());
    };
    QCOMPARE(status(0), RowStatus::Valid);
    QCOMPARE(status(3), RowStatus::Invalid);
    QCOMPARE(status(4), RowStatus::DuplicateInFile);
    QCOMPARE(status(5), RowStatus::AlreadyInDatabase);
    // The bad check digit is highlighted in the ICCID cell, and says what it is.
    QVERIFY(model->index(3, ImportPreviewModel::IccidColumn).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model->index(3, ImportPreviewModel::MsisdnColumn).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model->index(3, ImportPreviewModel::ProblemColumn).data().toString().isEmpty());
    const auto counts = model->problemCounts();
    QCOMPARE(counts.size(), 3);
    for (const auto &c : counts)
        QCOMPARE(c.second, qint64(1));
    QVERIFY(model->problemsCsv().contains(badLuhn(14).toUtf8()));
    auto *only = w->findChild<QCheckBox *>(QStringLiteral("onlyProblemsCheck"));
    only->setChecked(true);
    QCOMPARE(model->rowCount(), 3);
    saveScreenshot(w.get(), QStringLiteral("import-wizard-3-check"));
    only->setChecked(false);

    QVERIFY(commit(*w, QStringLiteral("import-wizard")));
    QVERIFY(w->batchId());
    const QString batch = QString::number(*w->batchId());
    QCOMPARE(w->lastReport().created, qint64(3));
    QCOMPARE(
        count(
            QStringLiteral("SELECT count(*) FROM sim_cards WHERE import_batch_id = %1").arg(batch)),
        qint64(3));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sim_cards WHERE iccid = '%1'")
                       .arg(TestDatabase::iccid(900))),
        qint64(1));
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT created_by FROM import_batches WHERE id = %1").arg(batch)),
        m_admin);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT msisdn FROM sim_cards WHERE iccid = '%1'")
                               .arg(TestDatabase::iccid(11))),
        QStringLiteral("+4915100000011"));
    QVERIFY(w->findChild<QPushButton *>(QStringLiteral("showCardsButton"))->isVisible());
    QSignalSpy show(w.get(), &ImportWizard::showCardsRequested);
    w->findChild<QPushButton *>(QStringLiteral("showCardsButton"))->click();
    QCOMPARE(show.size(), 1);
    QCOMPARE(show.first().first().toLongLong(), *w->batchId());
}

void TestImportWizard::errorPolicyShouldImportNothingWhileARowHasAProblem()
{
    const QByteArray csv
        = QStringLiteral("iccid,type\n%1,prepaid\n%2,prepaid\n%3,prepaid\n")
              .arg(TestDatabase::iccid(21), TestDatabase::iccid(21), TestDatabase::iccid(900))
              .toUtf8();
    const QString path = writeFile(QStringLiteral("strict.csv"), csv);
    const qint64 batchesBefore = count(QStringLiteral("SELECT count(*) FROM import_batches"));
    const std::unique_ptr<ImportWizard> w = checkedWizard(path);
    QVERIFY(w);
    w->next();
    QCOMPARE(w->step(), ImportWizard::PolicyStep);
    auto *next = w->findChild<QPushButton *>(QStringLiteral("nextButton"));
    auto *sentence = w->findChild<QLabel *>(QStringLiteral("summarySentenceLabel"));
    QVERIFY(next->isEnabled());
    QCOMPARE(sentence->text(), QStringLiteral("1 SIM card will be created, 2 skipped."));
    w->findChild<QRadioButton *>(QStringLiteral("errorRadio"))->setChecked(true);
    QCOMPARE(sentence->text(), QStringLiteral("Nothing will be imported: 2 rows have problems."));
    QVERIFY(!next->isEnabled());
    // Core refuses it the same way, whatever the wizard shows.
    ImportOptions options = w->options();
    QCOMPARE(options.duplicates, DuplicatePolicy::Error);
    const ImportReport report = ImportService(m_tdb->connectAs(m_admin)).commit(path, options);
    QVERIFY(!report.committed);
    QCOMPARE(report.refusal->code, ErrorCode::ImportRefused);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM import_batches")), batchesBefore);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sim_cards WHERE iccid = '%1'")
                       .arg(TestDatabase::iccid(21))),
        qint64(0));
}

void TestImportWizard::errorPolicyShouldImportACleanFile()
{
    const QByteArray csv = QStringLiteral("iccid,type\n%1,prepaid\n%2,postpaid\n")
                               .arg(TestDatabase::iccid(31), TestDatabase::iccid(32))
                               .toUtf8();
    const std::unique_ptr<ImportWizard> w
        = checkedWizard(writeFile(QStringLiteral("clean.csv"), csv));
    QVERIFY(w);
    w->findChild<QRadioButton *>(QStringLiteral("errorRadio"))->setChecked(true);
    QVERIFY(commit(*w));
    QVERIFY(w->lastReport().committed);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sim_cards WHERE import_batch_id = %1")
                       .arg(*w->batchId())),
        qint64(2));
}

void TestImportWizard::anUnknownHeaderMappedAndSavedShouldBeReusedForTheNextFile()
{
    // "Kartennummer" is no header SimDesk knows; "Rufnummer" neither; "Hinweis" is ignored.
    const QString header = QStringLiteral("Kartennummer;Rufnummer;Hinweis\n");
    const QString first = writeFile(QStringLiteral("acme-1.csv"),
        (header
            + QStringLiteral("%1;+4915100000041;box 1\n%2;+4915100000042;box 1\n")
                  .arg(TestDatabase::iccid(41), TestDatabase::iccid(42)))
            .toUtf8());
    std::unique_ptr<ImportWizard> w = checkedWizard(first, QStringLiteral("import-mapping"));
    QVERIFY(w);
    QCOMPARE(w->step(), ImportWizard::MappingStep);
    auto *next = w->findChild<QPushButton *>(QStringLiteral("nextButton"));
    QVERIFY(!next->isEnabled()); // no ICCID column yet
    auto combo = [&w](int column) {
        return w->findChild<QComboBox *>(QStringLiteral("mappingCombo%1").arg(column));
    };
    QVERIFY(combo(0) && combo(1) && combo(2));
    QCOMPARE(combo(0)->currentData().toString(), QString());
    combo(0)->setCurrentIndex(combo(0)->findData(QStringLiteral("iccid")));
    combo(1)->setCurrentIndex(combo(1)->findData(QStringLiteral("msisdn")));
    auto *type = w->findChild<QComboBox *>(QStringLiteral("defaultTypeCombo"));
    QVERIFY(!next->isEnabled()); // no type column and no default type
    type->setCurrentIndex(type->findData(QStringLiteral("postpaid")));
    QVERIFY(next->isEnabled());
    w->findChild<QLineEdit *>(QStringLiteral("profileNameEdit"))->setText(QStringLiteral("Acme"));
    QSignalSpy saved(w.get(), &ImportWizard::profileSaved);
    w->findChild<QPushButton *>(QStringLiteral("saveProfileButton"))->click();
    QVERIFY(saved.wait(20000));
    QVERIFY(w->findChild<QLabel *>(QStringLiteral("profileStatusLabel"))
                ->text()
                .contains(QStringLiteral("Saved")));
    saveScreenshot(w.get(), QStringLiteral("import-mapping-2-columns-saved"));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM import_profiles WHERE name = 'Acme'")),
        qint64(1));
    QCOMPARE(count(QStringLiteral(
                 "SELECT count(*) FROM audit_log WHERE table_name = 'import_profiles'")),
        qint64(1));
    QSignalSpy validated(w.get(), &ImportWizard::validated);
    w->next();
    QVERIFY(validated.wait(20000));
    QCOMPARE(w->lastReport().summary.valid, qint64(2));
    QVERIFY(commit(*w));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sim_cards WHERE import_batch_id = %1 AND "
                                  "sim_type = 'postpaid' AND msisdn IS NOT NULL")
                       .arg(*w->batchId())),
        qint64(2));
    w.reset();

    // The next file with the same header: the profile is chosen by itself.
    const QString second = writeFile(QStringLiteral("acme-2.csv"),
        (header + QStringLiteral("%1;+4915100000043;box 2\n").arg(TestDatabase::iccid(43)))
            .toUtf8());
    w = checkedWizard(second);
    QVERIFY(w);
    QCOMPARE(w->step(), ImportWizard::CheckStep); // the mapping was complete at once
    QCOMPARE(combo(0)->currentData().toString(), QStringLiteral("iccid"));
    QCOMPARE(combo(2)->currentData().toString(), QString());
    QVERIFY(w->findChild<QLabel *>(QStringLiteral("profileStatusLabel"))
                ->text()
                .contains(QStringLiteral("Acme")));
    QVERIFY(commit(*w));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT sim_type || ' ' || msisdn FROM sim_cards WHERE iccid = '%1'")
                               .arg(TestDatabase::iccid(43))),
        QStringLiteral("postpaid +4915100000043"));
}

void TestImportWizard::aVendorFileShouldTakeTheTypeFromTheUser()
{
    QFile sample(QStringLiteral(SIMDESK_SAMPLES_DIR "/vendor-batch.out"));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const QString path = writeFile(QStringLiteral("vendor-batch.out"), sample.readAll());
    std::unique_ptr<ImportWizard> w = checkedWizard(path, QStringLiteral("import-vendor"));
    QVERIFY(w);
    QCOMPARE(w->step(), ImportWizard::MappingStep); // the type is missing
    QVERIFY(w->findChild<QLabel *>(QStringLiteral("fileKindValue"))
                ->text()
                .startsWith(QStringLiteral("Vendor")));
    auto *type = w->findChild<QComboBox *>(QStringLiteral("defaultTypeCombo"));
    type->setCurrentIndex(type->findData(QStringLiteral("data-only")));
    QSignalSpy validated(w.get(), &ImportWizard::validated);
    w->next();
    QVERIFY(validated.wait(20000));
    QVERIFY(w->lastReport().summary.valid > 0);
    QCOMPARE(w->lastReport().summary.checkDigitsAppended, w->lastReport().summary.valid);
    QVERIFY(commit(*w));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sim_cards WHERE import_batch_id = %1 AND "
                                  "sim_type = 'data-only'")
                       .arg(*w->batchId())),
        w->lastReport().created);
}

void TestImportWizard::cancelDuringCommitShouldLeaveNothing()
{
    QByteArray csv("iccid,type\n");
    for (int n = 100000; n < 160000; ++n)
        csv += TestDatabase::iccid(n).toLatin1() + ",prepaid\n";
    const QString path = writeFile(QStringLiteral("big.csv"), csv);
    const qint64 batchesBefore = count(QStringLiteral("SELECT count(*) FROM import_batches"));
    const qint64 cardsBefore = count(QStringLiteral("SELECT count(*) FROM sim_cards"));
    const std::unique_ptr<ImportWizard> w = checkedWizard(path);
    QVERIFY(w);
    QCOMPARE(w->lastReport().summary.valid, qint64(60000));
    w->next();
    QSignalSpy committed(w.get(), &ImportWizard::committed);
    w->findChild<QPushButton *>(QStringLiteral("nextButton"))->click();
    QCOMPARE(w->step(), ImportWizard::CommitStep);
    QVERIFY(w->isBusy());
    auto *cancel = w->findChild<QPushButton *>(QStringLiteral("cancelButton"));
    QCOMPARE(cancel->text(), QStringLiteral("&Cancel"));
    cancel->click();
    QVERIFY(committed.wait(60000));
    QVERIFY(w->isVisible()); // the wizard stays and says so
    QVERIFY(!w->lastReport().committed);
    QCOMPARE(w->lastReport().refusal->code, ErrorCode::ImportCancelled);
    QVERIFY(w->findChild<QLabel *>(QStringLiteral("resultLabel"))
                ->text()
                .contains(QStringLiteral("cancelled")));
    saveScreenshot(w.get(), QStringLiteral("import-wizard-5-cancelled"));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM import_batches")), batchesBefore);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sim_cards")), cardsBefore);
}

void TestImportWizard::closingTheWindowDuringAnImportShouldAskThenCancel()
{
    QByteArray csv("iccid,type\n");
    for (int n = 200000; n < 400000; ++n)
        csv += TestDatabase::iccid(n).toLatin1() + ",prepaid\n";
    const QString path = writeFile(QStringLiteral("closing.csv"), csv);
    const qint64 batchesBefore = count(QStringLiteral("SELECT count(*) FROM import_batches"));
    const qint64 cardsBefore = count(QStringLiteral("SELECT count(*) FROM sim_cards"));
    const std::unique_ptr<MainWindow> window = openWindow(adminSettings(), StaffRole::Admin);
    QVERIFY(window);
    ImportController *imports = window->importController();
    imports->importFiles({ path });
    QPointer<ImportWizard> w = imports->wizard();
    QVERIFY(w);
    QSignalSpy inspected(w.data(), &ImportWizard::fileInspected);
    QVERIFY(inspected.wait(20000));
    QSignalSpy validated(w.data(), &ImportWizard::validated);
    w->next();
    w->next();
    QVERIFY(validated.wait(60000));
    w->next();
    w->findChild<QPushButton *>(QStringLiteral("nextButton"))->click(); // Import
    QVERIFY(w->isBusy());

    QString question;
    QTimer::singleShot(0, this, [&question] {
        QTRY_VERIFY(QApplication::activeModalWidget()
            && QApplication::activeModalWidget()->objectName()
                == QLatin1String("closeDuringImportQuestion"));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        question = box->text();
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::AcceptRole)
                b->click();
        }
    });
    QVERIFY(window->close());
    QVERIFY(question.contains(QStringLiteral("closing.csv")));
    QVERIFY(!window->isVisible());
    QTRY_VERIFY(!w); // the wizard is gone, its import cancelled and waited for
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM import_batches")), batchesBefore);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sim_cards")), cardsBefore);
}

void TestImportWizard::revertFromTheImportsPageShouldDeleteTheBatchCards()
{
    const QString path = writeFile(QStringLiteral("to-revert.csv"),
        QStringLiteral("iccid,type\n%1,prepaid\n%2,prepaid\n8949029900000010016,prepaid\n")
            .arg(TestDatabase::iccid(51), TestDatabase::iccid(52))
            .toUtf8());
    ImportOptions skip;
    skip.duplicates = DuplicatePolicy::Skip; // line 4 (bad check digit) is skipped and kept
    const ImportReport report = ImportService(m_tdb->connectAs(m_admin)).commit(path, skip);
    QVERIFY2(!report.refusal, report.refusal ? qPrintable(report.refusal->fullMessage()) : "");
    QVERIFY(report.committed);
    const qint64 batch = *report.batchId;

    const std::unique_ptr<MainWindow> window = openWindow(adminSettings(), StaffRole::Admin);
    QVERIFY(window);
    ImportsPage *page = window->importController()->page();
    QSignalSpy loaded(page, &ImportsPage::loaded);
    QSignalSpy detail(page, &ImportsPage::detailLoaded);
    auto *nav = window->findChild<QListWidget *>(QStringLiteral("navigationList"));
    for (int i = 0; i < nav->count(); ++i) {
        if (nav->item(i)->data(Qt::UserRole).toString() == QLatin1String("imports"))
            nav->setCurrentRow(i);
    }
    QVERIFY(page->isVisible());
    QTRY_VERIFY(!loaded.isEmpty());
    page->selectBatch(batch);
    QTRY_VERIFY(page->currentBatchId() == batch);
    QTRY_VERIFY(page->findChild<QLabel *>(QStringLiteral("detailTitleLabel"))
                    ->text()
                    .contains(QStringLiteral("to-revert.csv")));
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("batchTable"));
    QVERIFY(table->rowCount() >= 1);
    // The skipped row and why, from the database (010), long after the import.
    auto *problems = page->findChild<QTableWidget *>(QStringLiteral("problemTable"));
    QTRY_COMPARE(problems->rowCount(), 1);
    QVERIFY(problems->isVisible());
    QCOMPARE(problems->item(0, 0)->text(), QStringLiteral("4"));
    QCOMPARE(problems->item(0, 1)->text(), QStringLiteral("iccid"));
    QVERIFY(!problems->item(0, 2)->text().isEmpty());
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("problemsNoteLabel"))
                ->text()
                .contains(QStringLiteral("1 problem")));
    QSignalSpy saved(page, &ImportsPage::problemsSaved);
    const QString csvPath = m_dir.filePath(QStringLiteral("batch-problems.csv"));
    page->saveProblems(csvPath);
    QVERIFY(saved.wait(20000));
    QCOMPARE(saved.first().at(0).toString(), QString());
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> csvLines = csv.readAll().split('\n');
    QCOMPARE(csvLines.at(0), QByteArray("line,column,problem,message"));
    QVERIFY(csvLines.at(1).startsWith("4,iccid,iccid.bad-check-digit,"));
    saveScreenshot(window.get(), QStringLiteral("imports-page"));

    // The confirmation names the count; the test answers it.
    QString question;
    QTimer::singleShot(0, this, [&question] {
        QTRY_VERIFY(QApplication::activeModalWidget());
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        question = box->text();
        saveScreenshot(box, QStringLiteral("imports-revert-confirmation"));
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                b->click();
        }
    });
    QSignalSpy reverted(page, &ImportsPage::reverted);
    page->findChild<QPushButton *>(QStringLiteral("revertButton"))->click();
    QVERIFY(reverted.wait(20000));
    QVERIFY(question.contains(QStringLiteral("Delete the 2 SIM cards of batch %1").arg(batch)));
    QCOMPARE(reverted.first().at(1).toLongLong(), qint64(2));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT status FROM import_batches WHERE id = %1").arg(batch)),
        QStringLiteral("REVERTED"));
    QCOMPARE(
        count(
            QStringLiteral("SELECT count(*) FROM sim_cards WHERE import_batch_id = %1").arg(batch)),
        qint64(0));
    QTRY_VERIFY(!page->findChild<QPushButton *>(QStringLiteral("revertButton"))->isEnabled());
    QTRY_VERIFY(page->findChild<QLabel *>(QStringLiteral("revertReasonLabel"))
                    ->text()
                    .contains(QStringLiteral("reverted already")));
}

// The database refuses to revert a batch one of whose cards was used; the page reloads after
// the attempt, and the refusal must still be there afterwards, until the user does something.
void TestImportWizard::aRefusedRevertShouldKeepItsReasonAfterThePageReloads()
{
    const QString path = writeFile(QStringLiteral("to-refuse.csv"),
        QStringLiteral("iccid,type\n%1,prepaid\n%2,prepaid\n")
            .arg(TestDatabase::iccid(61), TestDatabase::iccid(62))
            .toUtf8());
    QSqlDatabase admin = m_tdb->connectAs(m_admin);
    const ImportReport report = ImportService(admin).commit(path, {});
    QVERIFY(report.committed);
    const qint64 batch = *report.batchId;
    QCOMPARE(m_tdb->exec(QStringLiteral("INSERT INTO customers (customer_no, full_name) "
                                        "VALUES ('C-REFUSE', 'Used Card')")),
        QString());
    const qint64 customer
        = count(QStringLiteral("SELECT id FROM customers WHERE customer_no = 'C-REFUSE'"));
    const qint64 card = count(
        QStringLiteral("SELECT min(id) FROM sim_cards WHERE import_batch_id = %1").arg(batch));
    QVERIFY(LifecycleService(admin).reserve(card, customer).ok());

    const std::unique_ptr<MainWindow> window = openWindow(adminSettings(), StaffRole::Admin);
    QVERIFY(window);
    ImportsPage *page = window->importController()->page();
    QSignalSpy loaded(page, &ImportsPage::loaded);
    auto *nav = window->findChild<QListWidget *>(QStringLiteral("navigationList"));
    for (int i = 0; i < nav->count(); ++i) {
        if (nav->item(i)->data(Qt::UserRole).toString() == QLatin1String("imports"))
            nav->setCurrentRow(i);
    }
    QTRY_VERIFY(!loaded.isEmpty());
    page->selectBatch(batch);
    QTRY_VERIFY(page->currentBatchId() == batch);
    auto *revertButton = page->findChild<QPushButton *>(QStringLiteral("revertButton"));
    QTRY_VERIFY(revertButton->isEnabled());

    QTimer::singleShot(0, this, [] {
        QTRY_VERIFY(QApplication::activeModalWidget());
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                b->click();
        }
    });
    QSignalSpy failed(page, &ImportsPage::revertFailed);
    QSignalSpy detail(page, &ImportsPage::detailLoaded);
    loaded.clear();
    revertButton->click();
    QVERIFY(failed.wait(20000));
    const QString refusal = failed.first().at(0).toString();
    QVERIFY(!refusal.isEmpty());
    // The reload that follows the attempt, and its detail, have come and gone.
    QTRY_VERIFY(!loaded.isEmpty());
    QTRY_VERIFY(!detail.isEmpty());
    QTest::qWait(0);
    const auto shows = [page](const QString &text) {
        for (const QLabel *label : page->findChildren<QLabel *>()) {
            if (label->isVisibleTo(page)
                && (label->text().contains(text) || label->text().contains(text.toHtmlEscaped())))
                return true;
        }
        return false;
    };
    QVERIFY2(shows(refusal), qPrintable(refusal));
    saveScreenshot(window.get(), QStringLiteral("imports-revert-refused"));
    // Another change of cards elsewhere reloads the page again: still there.
    detail.clear();
    page->reload();
    QTRY_VERIFY(!detail.isEmpty());
    QVERIFY(shows(refusal));
    // Choosing another batch is the user acting: the refusal goes.
    auto *table = page->findChild<QTableWidget *>(QStringLiteral("batchTable"));
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0)->data(Qt::UserRole).toLongLong() != batch) {
            table->selectRow(row);
            break;
        }
    }
    QTRY_VERIFY(!shows(refusal));
}

// Step 3: a wrong PIN marks a cell that says "PIN" (not one that reads only "PUK"); the
// problem column takes the width the window has (no empty space beside a cut message); the
// wizard fits a 1024×768 screen.
void TestImportWizard::theCheckShouldNameTheWrongSecretAndUseTheWidthForProblems()
{
    const QString path = writeFile(QStringLiteral("secrets.csv"),
        QStringLiteral("iccid,pin,puk,type\n%1,1234,12345678,prepaid\n%2,12,12345678,prepaid\n")
            .arg(TestDatabase::iccid(81), TestDatabase::iccid(82))
            .toUtf8());
    const std::unique_ptr<ImportWizard> w = checkedWizard(path);
    QVERIFY(w);
    QCOMPARE(w->step(), ImportWizard::CheckStep);
    auto *view = w->findChild<QTableView *>(QStringLiteral("previewView"));
    QAbstractItemModel *model = view->model();
    int bad = -1;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, ImportPreviewModel::LineColumn).data().toInt() == 3)
            bad = row;
    }
    QVERIFY(bad >= 0);
    const QModelIndex secrets = model->index(bad, ImportPreviewModel::SecretsColumn);
    QVERIFY2(secrets.data().toString().contains(QStringLiteral("PIN")),
        qPrintable(secrets.data().toString()));
    QVERIFY(secrets.data(Qt::BackgroundRole).isValid()); // marked
    QVERIFY(!secrets.data(Qt::ToolTipRole).toString().isEmpty());

    // Wide: no empty room right of the last column while the problem column is cut.
    w->resize(1580, 760);
    QTRY_VERIFY(view->viewport()->width() > 1100);
    QHeaderView *h = view->horizontalHeader();
    int total = 0;
    for (int c = 0; c < h->count(); ++c)
        total += h->sectionSize(c);
    QVERIFY2(total >= view->viewport()->width() - 2,
        qPrintable(QStringLiteral("%1 of %2").arg(total).arg(view->viewport()->width())));
    QVERIFY(h->sectionSize(ImportPreviewModel::ProblemColumn)
        >= view->fontMetrics().averageCharWidth() * 40);
    saveScreenshot(w.get(), QStringLiteral("import-wizard-3-check-wide"));

    // Small screen: the wizard fits in 1024×768 less a task bar.
    const QSize least = w->minimumSizeHint().expandedTo(w->minimumSize());
    QVERIFY2(least.width() <= 1000 && least.height() <= 700,
        qPrintable(QStringLiteral("%1×%2").arg(least.width()).arg(least.height())));
    w->resize(1000, 700);
    QTRY_COMPARE(w->size(), QSize(1000, 700));
    saveScreenshot(w.get(), QStringLiteral("import-wizard-3-check-1024"));
}

// Step 1 shows the file's first lines as written, so the user sees what SimDesk reads; PINs,
// PUKs and a vendor file's key material stay hidden there as everywhere else.
void TestImportWizard::theFirstStepShouldShowTheFileAsWrittenWithSecretsHidden()
{
    if (!m_adminDesk) {
        SessionInfo admin;
        admin.login = m_admin;
        admin.role = StaffRole::Admin;
        m_adminDesk = std::make_unique<Desk>(adminSettings(), admin);
    }
    const QString csv = writeFile(QStringLiteral("raw.csv"),
        QStringLiteral("iccid;pin;puk;type;note\n%1;4711;87654321;prepaid;\"a;b\"\n")
            .arg(TestDatabase::iccid(91))
            .toUtf8());
    {
        ImportWizard w(m_adminDesk.get(), csv);
        w.resize(1000, 700);
        w.show();
        QSignalSpy inspected(&w, &ImportWizard::fileInspected);
        QVERIFY(inspected.wait(20000));
        const QString raw
            = w.findChild<QPlainTextEdit *>(QStringLiteral("rawPreviewEdit"))->toPlainText();
        QVERIFY2(raw.startsWith(QStringLiteral("iccid;pin;puk;type;note\n")), qPrintable(raw));
        QVERIFY2(
            raw.contains(TestDatabase::iccid(91) + QStringLiteral(";••••;••••;prepaid;\"a;b\"")),
            qPrintable(raw));
        QVERIFY(!raw.contains(QStringLiteral("4711")));
        QVERIFY(!raw.contains(QStringLiteral("87654321")));
        saveScreenshot(&w, QStringLiteral("import-wizard-1-file-raw"));
    }
    QFile sample(QStringLiteral(SIMDESK_SAMPLES_DIR "/vendor-batch.out"));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const QByteArray vendorText = sample.readAll();
    const QString vendor = writeFile(QStringLiteral("raw-vendor.out"), vendorText);
    ImportWizard w(m_adminDesk.get(), vendor);
    w.show();
    QSignalSpy inspected(&w, &ImportWizard::fileInspected);
    QVERIFY(inspected.wait(20000));
    const QString raw
        = w.findChild<QPlainTextEdit *>(QStringLiteral("rawPreviewEdit"))->toPlainText();
    QVERIFY(raw.contains(QStringLiteral("••••")));
    // Of the card lines only ICCID and IMSI show, wherever the layout puts them.
    QStringList names;
    int cardLines = 0;
    const QList<QByteArray> fileLines = vendorText.split('\n');
    for (qsizetype n = 0; n < qMin<qsizetype>(fileLines.size(), kRawPreviewLines); ++n) {
        const QByteArray &line = fileLines.at(n);
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (!names.isEmpty() && fields.size() == names.size()) {
            for (qsizetype i = 0; i < fields.size(); ++i) {
                const bool shown
                    = names.at(i) == QLatin1String("ICCID") || names.at(i) == QLatin1String("IMSI");
                QVERIFY2(raw.contains(QString::fromLatin1(fields.at(i))) == shown,
                    qPrintable(QString::fromLatin1(fields.at(i)) + QLatin1Char('\n') + raw));
            }
            ++cardLines;
        }
        if (line.trimmed().toLower().startsWith("var_out"))
            names = QString::fromLatin1(line.mid(line.indexOf(':') + 1))
                        .toUpper()
                        .split(QRegularExpression(QStringLiteral("[\\s/]+")), Qt::SkipEmptyParts);
    }
    QVERIFY(cardLines > 0);
}

// Step 1's "Read as" is the CLI's --format: the file is read again the way the user says, and
// the check and the import read it that way too.
void TestImportWizard::theFormatShouldBeChosenAsWithTheClisFormatOption()
{
    if (!m_adminDesk) {
        SessionInfo admin;
        admin.login = m_admin;
        admin.role = StaffRole::Admin;
        m_adminDesk = std::make_unique<Desk>(adminSettings(), admin);
    }
    QFile sample(QStringLiteral(SIMDESK_SAMPLES_DIR "/vendor-batch.out"));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const QString path = writeFile(QStringLiteral("format.out"), sample.readAll());
    ImportWizard w(m_adminDesk.get(), path);
    w.show();
    QSignalSpy inspected(&w, &ImportWizard::fileInspected);
    QVERIFY(inspected.wait(20000));
    auto *kind = w.findChild<QLabel *>(QStringLiteral("fileKindValue"));
    auto *format = w.findChild<QComboBox *>(QStringLiteral("formatCombo"));
    QVERIFY(format);
    QVERIFY(kind->text().startsWith(QStringLiteral("Vendor")));
    format->setCurrentIndex(format->findData(int(ImportFormat::Csv)));
    QVERIFY(inspected.wait(20000));
    QVERIFY2(kind->text().startsWith(QStringLiteral("CSV")), qPrintable(kind->text()));
    format->setCurrentIndex(format->findData(int(ImportFormat::Auto)));
    QVERIFY(inspected.wait(20000));
    QVERIFY(kind->text().startsWith(QStringLiteral("Vendor")));
}

QTEST_MAIN(TestImportWizard)
#include "tst_importwizard.moc"
