// SPDX-License-Identifier: MIT
#include "importwizard.h"

#include "common/desk.h"
#include "common/palette.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QSaveFile>

namespace simdesk {

namespace {

struct Inspection
{
    ImportFileInfo info;
    std::optional<ImportProfile> profile;
};

// The fields a column can fill, in the order the mapping offers them.
const QList<QPair<QString, const char *>> &fieldChoices()
{
    static const QList<QPair<QString, const char *>> choices {
        { QString(), QT_TRANSLATE_NOOP("simdesk::ImportWizard", "Ignore") },
        { QStringLiteral("iccid"), QT_TRANSLATE_NOOP("simdesk::ImportWizard", "ICCID") },
        { QStringLiteral("msisdn"), QT_TRANSLATE_NOOP("simdesk::ImportWizard", "MSISDN") },
        { QStringLiteral("imsi"), QT_TRANSLATE_NOOP("simdesk::ImportWizard", "IMSI") },
        { QStringLiteral("pin"), QT_TRANSLATE_NOOP("simdesk::ImportWizard", "PIN") },
        { QStringLiteral("puk"), QT_TRANSLATE_NOOP("simdesk::ImportWizard", "PUK") },
        { QStringLiteral("type"), QT_TRANSLATE_NOOP("simdesk::ImportWizard", "SIM type") },
    };
    return choices;
}

QString delimiterName(QChar c)
{
    switch (c.unicode()) {
    case ',':
        return ImportWizard::tr("comma ( , )");
    case ';':
        return ImportWizard::tr("semicolon ( ; )");
    case '\t':
        return ImportWizard::tr("tab");
    case '|':
        return ImportWizard::tr("vertical bar ( | )");
    default:
        return QString(c);
    }
}

QString count(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

ImportWizard::ImportWizard(Desk *desk, QString path, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_path(std::move(path))
    , m_runner(desk->runner())
{
    m_ui.setupUi(this);
    setWindowTitle(tr("Import SIM cards — %1").arg(QFileInfo(m_path).fileName()));
    m_ui.defaultTypeCombo->addItem(tr("None: every row must name its type"), QString());
    for (const SimType t : { SimType::Prepaid, SimType::Postpaid, SimType::DataOnly })
        m_ui.defaultTypeCombo->addItem(simTypeDisplayName(t), simTypeKey(t));
    m_ui.mappingTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_ui.mappingTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Fixed);
    m_ui.mappingTable->setColumnWidth(1, 170);
    m_ui.vendorHeaderTable->horizontalHeader()->setSectionResizeMode(
        0, QHeaderView::ResizeToContents);
    m_ui.previewView->setModel(&m_preview);
    m_ui.previewView->viewport()->installEventFilter(this);
    m_ui.previewView->verticalHeader()->setDefaultSectionSize(
        m_ui.previewView->fontMetrics().height() + 8);
    m_ui.problemCountsTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ui.problemCountsTable->horizontalHeader()->setSectionResizeMode(
        1, QHeaderView::ResizeToContents);
    m_ui.vendorHeaderTable->hide();
    m_ui.showCardsButton->hide();
    m_ui.rawPreviewEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui.formatCombo->addItem(
        tr("Automatic (from the file's first lines)"), int(ImportFormat::Auto));
    m_ui.formatCombo->addItem(tr("CSV"), int(ImportFormat::Csv));
    m_ui.formatCombo->addItem(tr("Vendor output file"), int(ImportFormat::Vendor));
    // Another format reads the file again: its columns, mapping and check start over.
    connect(m_ui.formatCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_info.reset();
        m_validated = false;
        m_ui.vendorHeaderTable->hide();
        inspect();
    });

    connect(m_ui.nextButton, &QPushButton::clicked, this, &ImportWizard::next);
    connect(m_ui.backButton, &QPushButton::clicked, this, &ImportWizard::back);
    connect(m_ui.cancelButton, &QPushButton::clicked, this, [this] {
        if (m_runner.isRunning())
            m_runner.cancel(); // the wizard stays: the user sees that nothing was written
        else
            reject();
    });
    connect(
        m_ui.defaultTypeCombo, &QComboBox::currentIndexChanged, this, &ImportWizard::updateButtons);
    connect(m_ui.saveProfileButton, &QPushButton::clicked, this, &ImportWizard::saveProfile);
    connect(m_ui.profileNameEdit, &QLineEdit::textChanged, this, &ImportWizard::updateButtons);
    connect(m_ui.onlyProblemsCheck, &QCheckBox::toggled, &m_preview,
        &ImportPreviewModel::setOnlyProblems);
    connect(m_ui.saveProblemsButton, &QPushButton::clicked, this, &ImportWizard::saveProblems);
    connect(m_ui.skipRadio, &QRadioButton::toggled, this, &ImportWizard::updatePolicy);
    connect(m_ui.forceCheck, &QCheckBox::toggled, this, &ImportWizard::updatePolicy);
    connect(m_ui.showCardsButton, &QPushButton::clicked, this, [this] {
        if (m_report.batchId)
            emit showCardsRequested(*m_report.batchId);
        accept();
    });
    connect(&m_runner, &ImportRunner::progress, this,
        [this](const QString &phase, qint64 done, qint64 total) {
            if (m_runMode == ImportRunner::Mode::Validate)
                showProgress(m_ui.checkProgressBar, m_ui.checkStatusLabel, phase, done, total);
            else
                showProgress(m_ui.commitProgressBar, m_ui.commitPhaseLabel, phase, done, total);
        });
    connect(
        &m_runner, &ImportRunner::finished, this, [this](const ImportReport &report, qint64 ms) {
            if (m_runMode == ImportRunner::Mode::Validate)
                validationFinished(report, ms);
            else
                commitFinished(report, ms);
        });

    connect(m_desk, &Desk::liveChanged, this, &ImportWizard::liveChanged);

    goTo(FileStep);
    inspect();
}

ImportWizard::~ImportWizard() = default;

bool ImportWizard::offlineError(const std::optional<Error> &error) const
{
    return !m_desk->isLive()
        || (error
            && (error->code == ErrorCode::ConnectionLost
                || error->code == ErrorCode::ConnectionFailed));
}

void ImportWizard::liveChanged(bool live)
{
    if (live && m_inspectWaits)
        inspect();
    else if (live && step() == CheckStep && !m_validated && !m_runner.isRunning())
        startValidation(); // the check that found the database gone
    goTo(step()); // the step's title says whether it waits
}

void ImportWizard::inspect()
{
    m_ui.fileNameValue->setText(QFileInfo(m_path).fileName());
    m_ui.fileErrorLabel->show();
    m_inspectWaits = !m_desk->isLive();
    if (m_inspectWaits) {
        setTextTone(m_ui.fileErrorLabel, Tone::Warning);
        m_ui.fileErrorLabel->setText(tr("The database is offline. The file is read as soon as "
                                        "the connection is back; nothing to do meanwhile."));
        updateButtons();
        return;
    }
    setTextTone(m_ui.fileErrorLabel, std::nullopt);
    m_ui.fileErrorLabel->setText(tr("Reading the file…"));
    const QString path = m_path;
    const auto format = ImportFormat(m_ui.formatCombo->currentData().toInt());
    m_desk->runner()->run<Inspection>(
        this,
        [path, format](QSqlDatabase db) -> Result<Inspection> {
            Result<ImportFileInfo> info = inspectImportFile(path, 5, format);
            if (!info)
                return info.error();
            Inspection result { *info, {} };
            // A profile that cannot be read (e.g. the database is older) only means
            // no automatic mapping.
            if (Result<std::optional<ImportProfile>> p
                = ImportProfileRepository(db).findForHeader(info->headerSignature))
                result.profile = *p;
            return result;
        },
        [this](const Result<Inspection> &result) {
            if (!result && offlineError(result.error())) {
                m_inspectWaits = true;
                setTextTone(m_ui.fileErrorLabel, Tone::Warning);
                m_ui.fileErrorLabel->setText(
                    tr("The database is offline. The file is read as soon as the connection "
                       "is back; nothing to do meanwhile."));
            } else if (!result) {
                setTextTone(m_ui.fileErrorLabel, Tone::Error);
                m_ui.fileErrorLabel->setText(
                    tr("This file cannot be imported: %1").arg(result.error().message()));
            } else {
                m_ui.fileErrorLabel->clear();
                m_ui.fileErrorLabel->hide();
                showFile(result->info, result->profile);
            }
            updateButtons();
            emit fileInspected();
        });
}

void ImportWizard::showFile(const ImportFileInfo &info, const std::optional<ImportProfile> &profile)
{
    m_info = info;
    m_ui.fileNameValue->setText(QDir::toNativeSeparators(m_path));
    m_ui.fileSizeValue->setText(
        tr("%1 (%2 bytes)").arg(QLocale().formattedDataSize(info.size), count(info.size)));
    const bool vendor = info.format == QLatin1String("vendor-out");
    m_ui.fileKindValue->setText(vendor
            ? tr("Vendor output file (key : value header, then one card per line)")
            : tr("CSV (comma-separated values)"));
    m_ui.encodingValue->setText(info.encoding);
    m_ui.delimiterValue->setText(
        vendor ? tr("spaces (fixed layout)") : delimiterName(info.delimiter));
    m_ui.headerLineValue->setText(info.headerLine);
    m_ui.rawPreviewEdit->setPlainText(info.rawLines.join(QLatin1Char('\n')));
    if (vendor) {
        m_ui.vendorHeaderTable->setRowCount(int(info.vendorHeader.size()));
        for (int i = 0; i < info.vendorHeader.size(); ++i) {
            m_ui.vendorHeaderTable->setItem(
                i, 0, new QTableWidgetItem(info.vendorHeader.at(i).first));
            m_ui.vendorHeaderTable->setItem(
                i, 1, new QTableWidgetItem(info.vendorHeader.at(i).second));
        }
        m_ui.vendorHeaderTable->show();
    }
    fillMapping(info);
    if (profile) {
        applyProfile(*profile);
        m_ui.profileStatusLabel->setText(
            tr("Profile “%1” was chosen automatically: it was saved for files with this header "
               "(by %2, %3).")
                .arg(profile->name, profile->updatedBy,
                    QLocale().toString(profile->updatedAt.toLocalTime(), QLocale::ShortFormat)));
    } else if (!info.mappable) {
        m_ui.profileStatusLabel->setText(
            tr("Vendor files have a fixed layout: ICCID, IMSI, PIN1 and PUK1 are taken, key "
               "material is never read. They carry no SIM type: choose it above."));
    } else {
        m_ui.profileStatusLabel->setText(
            tr("No profile is saved for this header yet. Save one to have this mapping chosen "
               "automatically for the next file like it, on every workstation."));
    }
}

void ImportWizard::fillMapping(const ImportFileInfo &info)
{
    m_ui.mappingTable->setRowCount(int(info.columns.size()));
    for (int row = 0; row < info.columns.size(); ++row) {
        const ImportFileColumn &c = info.columns.at(row);
        auto *header = new QTableWidgetItem(c.header);
        if (c.field.isEmpty()) {
            header->setText(tr("%1 (not recognised)").arg(c.header));
            header->setToolTip(tr("SimDesk does not know this column: choose what it holds, or "
                                  "leave it ignored."));
        }
        header->setData(Qt::UserRole, c.header);
        m_ui.mappingTable->setItem(row, 0, header);
        auto *combo = new QComboBox(m_ui.mappingTable);
        combo->setObjectName(QStringLiteral("mappingCombo%1").arg(row));
        for (const auto &choice : fieldChoices())
            combo->addItem(tr(choice.second), choice.first);
        combo->setCurrentIndex(qMax(0, combo->findData(c.field)));
        combo->setEnabled(info.mappable);
        connect(combo, &QComboBox::currentIndexChanged, this, &ImportWizard::updateButtons);
        m_ui.mappingTable->setCellWidget(row, 1, combo);
        m_ui.mappingTable->setItem(
            row, 2, new QTableWidgetItem(c.samples.join(QStringLiteral("  ·  "))));
    }
    // One height for every row: the combo boxes' (rows with only text would be lower).
    if (m_ui.mappingTable->rowCount() > 0)
        m_ui.mappingTable->verticalHeader()->setDefaultSectionSize(
            m_ui.mappingTable->cellWidget(0, 1)->sizeHint().height() + 4);
    m_ui.profileNameEdit->setEnabled(info.mappable);
}

void ImportWizard::applyProfile(const ImportProfile &profile)
{
    for (int row = 0; row < m_ui.mappingTable->rowCount(); ++row) {
        const QString header = m_ui.mappingTable->item(row, 0)->data(Qt::UserRole).toString();
        auto *combo = qobject_cast<QComboBox *>(m_ui.mappingTable->cellWidget(row, 1));
        if (!combo || !combo->isEnabled())
            continue;
        for (auto it = profile.mapping.cbegin(); it != profile.mapping.cend(); ++it) {
            if (it.key().compare(header, Qt::CaseInsensitive) == 0)
                combo->setCurrentIndex(qMax(0, combo->findData(it.value())));
        }
    }
    m_ui.defaultTypeCombo->setCurrentIndex(qMax(0,
        m_ui.defaultTypeCombo->findData(
            profile.defaultType ? simTypeKey(*profile.defaultType) : QString())));
    m_ui.profileNameEdit->setText(profile.name);
}

ImportOptions ImportWizard::options() const
{
    ImportOptions o;
    o.duplicates = m_ui.errorRadio->isChecked() ? DuplicatePolicy::Error : DuplicatePolicy::Skip;
    o.force = m_ui.forceCheck->isChecked();
    o.format = ImportFormat(m_ui.formatCombo->currentData().toInt());
    const QString type = m_ui.defaultTypeCombo->currentData().toString();
    if (!type.isEmpty())
        o.defaultType = simTypeFromKey(type);
    if (m_info && m_info->mappable) {
        for (int row = 0; row < m_ui.mappingTable->rowCount(); ++row) {
            const auto *combo = qobject_cast<QComboBox *>(m_ui.mappingTable->cellWidget(row, 1));
            o.columnMapping.insert(m_ui.mappingTable->item(row, 0)->data(Qt::UserRole).toString(),
                combo ? combo->currentData().toString() : QString());
        }
    }
    return o;
}

void ImportWizard::saveProfile()
{
    if (!m_info)
        return;
    ImportProfile profile;
    profile.name = m_ui.profileNameEdit->text().trimmed();
    profile.headerSignature = m_info->headerSignature;
    const ImportOptions o = options();
    profile.mapping = o.columnMapping;
    profile.defaultType = o.defaultType;
    m_ui.saveProfileButton->setEnabled(false);
    m_ui.profileStatusLabel->setText(tr("Saving the profile…"));
    m_desk->runner()->run<ImportProfile>(
        this, [profile](QSqlDatabase db) { return ImportProfileRepository(db).save(profile); },
        [this](const Result<ImportProfile> &saved) {
            if (saved)
                m_ui.profileStatusLabel->setText(
                    tr("Saved as profile “%1”: the next file with this header gets this mapping "
                       "on every workstation.")
                        .arg(saved->name));
            else
                m_ui.profileStatusLabel->setText(
                    tr("The profile was not saved: %1").arg(saved.error().message()));
            updateButtons();
            emit profileSaved();
        });
}

void ImportWizard::next()
{
    switch (step()) {
    case FileStep:
        goTo(MappingStep);
        break;
    case MappingStep:
        goTo(CheckStep);
        if (!m_validated || m_validatedMapping != options().columnMapping
            || m_validatedType != options().defaultType)
            startValidation();
        break;
    case CheckStep:
        if (!m_validated)
            startValidation(); // after a cancel: check again
        else
            goTo(PolicyStep);
        break;
    case PolicyStep:
        startCommit();
        break;
    case CommitStep:
        break;
    }
}

void ImportWizard::back()
{
    if (m_runner.isRunning() || step() == FileStep)
        return;
    goTo(Step(int(step()) - 1));
}

void ImportWizard::goTo(Step step)
{
    m_ui.steps->setCurrentIndex(int(step));
    static const char *const titles[] = {
        QT_TR_NOOP("Step 1 of 5 · The file"),
        QT_TR_NOOP("Step 2 of 5 · Columns"),
        QT_TR_NOOP("Step 3 of 5 · Check every row"),
        QT_TR_NOOP("Step 4 of 5 · Rows with problems"),
        QT_TR_NOOP("Step 5 of 5 · Import"),
    };
    m_ui.stepLabel->setText(m_desk->isLive()
            ? tr(titles[int(step)])
            : tr("%1 — offline, waiting for the database").arg(tr(titles[int(step)])));
    if (step == PolicyStep)
        updatePolicy();
    updateButtons();
}

void ImportWizard::updateButtons()
{
    const bool busy = m_runner.isRunning();
    const Step s = step();
    bool canNext = false;
    QString nextText = tr("&Next >");
    switch (s) {
    case FileStep:
        canNext = m_info.has_value();
        break;
    case MappingStep: {
        const ImportOptions o = options();
        QString problem;
        if (m_info && m_info->mappable) {
            QMap<QString, int> uses;
            for (const QString &field : o.columnMapping)
                if (!field.isEmpty())
                    ++uses[field];
            if (uses.value(QStringLiteral("iccid")) == 0)
                problem = tr("Choose the column that holds the ICCID.");
            for (auto it = uses.cbegin(); it != uses.cend() && problem.isEmpty(); ++it) {
                if (it.value() > 1)
                    problem = tr("%1 is chosen for %2 columns: choose it for one only.")
                                  .arg(it.key().toUpper())
                                  .arg(it.value());
            }
            if (problem.isEmpty() && uses.value(QStringLiteral("type")) == 0 && !o.defaultType)
                problem = tr("The file has no SIM type column: choose the type of its cards.");
        } else if (!o.defaultType) {
            problem = tr("Vendor files carry no SIM type: choose the type of these cards.");
        }
        m_ui.mappingHintLabel->setText(problem.isEmpty()
                ? tr("Each column of the file, its first values and the field it fills. Columns "
                     "SimDesk recognised are matched already; choose the field of any other "
                     "column, or “Ignore”.")
                : problem);
        setTextTone(m_ui.mappingHintLabel,
            problem.isEmpty() ? std::nullopt : std::optional<Tone>(Tone::Error));
        canNext = m_info && problem.isEmpty();
        nextText = tr("Check &rows >");
        m_ui.saveProfileButton->setEnabled(m_info && m_info->mappable && problem.isEmpty()
            && !m_ui.profileNameEdit->text().trimmed().isEmpty());
        break;
    }
    case CheckStep:
        canNext = !busy && (!m_validated || !m_report.summary.fatal);
        nextText = m_validated ? tr("&Next >") : tr("Check &again");
        break;
    case PolicyStep: {
        const ImportSummary &sum = m_report.summary;
        const bool refusedByPolicy = m_ui.errorRadio->isChecked() && sum.problemCount() > 0;
        const bool refusedAsImported = sum.earlierBatchId && !m_ui.forceCheck->isChecked();
        canNext = !busy && sum.valid > 0 && !refusedByPolicy && !refusedAsImported;
        nextText = tr("&Import");
        break;
    }
    case CommitStep:
        break;
    }
    m_ui.nextButton->setText(nextText);
    // Offline, nothing that needs the database starts (the check and the import do); the
    // file and its mapping can still be looked at.
    m_ui.nextButton->setEnabled(canNext && (m_desk->isLive() || s == FileStep));
    m_ui.nextButton->setVisible(s != CommitStep);
    m_ui.backButton->setEnabled(!busy && s != FileStep && !(s == CommitStep && m_committedOnce));
    m_ui.cancelButton->setText(
        busy ? tr("&Cancel") : (s == CommitStep && m_committedOnce ? tr("&Close") : tr("Cancel")));
    m_ui.onlyProblemsCheck->setEnabled(m_validated && !busy);
    m_ui.saveProblemsButton->setEnabled(
        m_validated && !busy && !m_report.summary.problems.isEmpty());
}

void ImportWizard::showProgress(
    QProgressBar *bar, QLabel *label, const QString &phase, qint64 done, qint64 total)
{
    if (total <= 0) {
        bar->setRange(0, 0); // a database step: no measure, only that it is working
        label->setText(tr("%1…").arg(phase));
        return;
    }
    bar->setRange(0, 1000);
    bar->setValue(int(qMin<qint64>(1000, done * 1000 / total)));
    const bool rows = m_runMode == ImportRunner::Mode::Commit
        && phase == QCoreApplication::translate("simdesk::ImportService", "Saving");
    if (rows) {
        label->setText(tr("%1: %2 of %3 cards").arg(phase, count(done), count(total)));
    } else if (m_runMode == ImportRunner::Mode::Commit && m_checkedRows > 0) {
        // Core measures reading in bytes; the check before told how many rows the file has.
        label->setText(tr("%1: about %2 of %3 rows")
                           .arg(phase, count(m_checkedRows * done / total), count(m_checkedRows)));
    } else {
        label->setText(
            tr("%1: %2 of %3")
                .arg(phase, QLocale().formattedDataSize(done), QLocale().formattedDataSize(total)));
    }
}

void ImportWizard::startValidation()
{
    m_validated = false;
    m_preview.clear();
    m_ui.problemCountsTable->setRowCount(0);
    m_runMode = ImportRunner::Mode::Validate;
    ImportOptions o = options();
    // The counts do not depend on the policy; Skip lets the check run to the end.
    o.duplicates = DuplicatePolicy::Skip;
    o.force = true;
    m_validatedMapping = o.columnMapping;
    m_validatedType = o.defaultType;
    m_ui.checkProgressBar->show();
    m_runner.start(ImportRunner::Mode::Validate, m_path, o);
    updateButtons();
}

void ImportWizard::validationFinished(const ImportReport &report, qint64 ms)
{
    m_report = report;
    const ImportSummary &s = report.summary;
    m_ui.checkProgressBar->setRange(0, 1000);
    m_ui.checkProgressBar->setValue(1000);
    if (report.refusal && report.refusal->code == ErrorCode::ImportCancelled) {
        m_ui.checkStatusLabel->setText(
            tr("The check was cancelled. Press “Check again” to start it over."));
        m_ui.checkProgressBar->setValue(0);
    } else if (report.refusal && offlineError(report.refusal)) {
        m_ui.checkStatusLabel->setText(
            tr("The database is offline: nothing was checked against it. The check runs again "
               "by itself when the connection is back (or press “Check again”)."));
        m_ui.checkProgressBar->setValue(0);
    } else if (s.fatal || (report.refusal && s.rows == 0)) {
        m_validated = true;
        m_report.summary.fatal = s.fatal ? s.fatal : report.refusal;
        m_ui.checkStatusLabel->setText(
            tr("This file cannot be imported: %1").arg(m_report.summary.fatal->message()));
    } else {
        m_validated = true;
        m_checkedRows = s.rows;
        m_preview.setPreview(m_runner.takeRows(), s);
        m_ui.checkProgressBar->hide();
        QString text = tr("%1 rows checked in %2 s: %3 can be imported, %4 have problems.")
                           .arg(count(s.rows), QLocale().toString(ms / 1000.0, 'f', 1),
                               count(s.valid), count(s.problemCount()));
        for (const ImportIssue &w : s.warnings)
            text += QLatin1Char('\n') + w.error.message();
        m_ui.checkStatusLabel->setText(text);
        const auto counts = m_preview.problemCounts();
        m_ui.problemCountsTable->setRowCount(int(counts.size()));
        for (int i = 0; i < counts.size(); ++i) {
            m_ui.problemCountsTable->setItem(i, 0, new QTableWidgetItem(counts.at(i).first));
            auto *n = new QTableWidgetItem(count(counts.at(i).second));
            n->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_ui.problemCountsTable->setItem(i, 1, n);
        }
        if (counts.isEmpty()) {
            m_ui.problemCountsTable->setRowCount(1);
            m_ui.problemCountsTable->setItem(0, 0, new QTableWidgetItem(tr("None")));
        }
        m_ui.problemCountsTable->resizeColumnToContents(1);
        sizePreviewColumns();
    }
    updateButtons();
    emit validated();
}

void ImportWizard::sizePreviewColumns()
{
    // From sample texts, not resizeColumnsToContents(): that asks the model for a thousand rows
    // on the GUI thread, right when a million have arrived.
    const QFontMetrics fm = m_ui.previewView->fontMetrics();
    const int pad = 12;
    auto width = [&](const QString &sample) {
        return fm.horizontalAdvance(sample) + pad;
    };
    QHeaderView *h = m_ui.previewView->horizontalHeader();
    auto atLeastHeader = [&](int column, int w) {
        return qMax(w,
            fm.horizontalAdvance(
                m_preview.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString())
                + pad);
    };
    const QString iccid = QStringLiteral("8949029900000000123");
    h->resizeSection(ImportPreviewModel::LineColumn,
        atLeastHeader(ImportPreviewModel::LineColumn, width(QStringLiteral("1000000"))));
    h->resizeSection(ImportPreviewModel::OutcomeColumn,
        atLeastHeader(ImportPreviewModel::OutcomeColumn, width(tr("Duplicate in the file"))));
    h->resizeSection(ImportPreviewModel::IccidColumn,
        atLeastHeader(ImportPreviewModel::IccidColumn, width(iccid)));
    h->resizeSection(ImportPreviewModel::MsisdnColumn,
        atLeastHeader(ImportPreviewModel::MsisdnColumn, width(QStringLiteral("+4915100000000"))));
    h->resizeSection(ImportPreviewModel::ImsiColumn,
        atLeastHeader(ImportPreviewModel::ImsiColumn, width(QStringLiteral("26201990000000"))));
    h->resizeSection(ImportPreviewModel::TypeColumn,
        atLeastHeader(ImportPreviewModel::TypeColumn, width(QStringLiteral("data-only"))));
    h->resizeSection(ImportPreviewModel::SecretsColumn,
        atLeastHeader(ImportPreviewModel::SecretsColumn,
            width(tr("PIN") + QStringLiteral(" + ") + tr("PUK"))));
    // The problem column takes the room the others leave (at least 40 characters; longer
    // messages are cut, and the tooltip and "Save problems as CSV" have them whole).
    int others = 0;
    for (int c = 0; c < ImportPreviewModel::ColumnCount; ++c)
        others += c == ImportPreviewModel::ProblemColumn ? 0 : h->sectionSize(c);
    h->resizeSection(ImportPreviewModel::ProblemColumn,
        qMax(fm.averageCharWidth() * 40, m_ui.previewView->viewport()->width() - others));
}

bool ImportWizard::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_ui.previewView->viewport() && event->type() == QEvent::Resize)
        sizePreviewColumns();
    return QDialog::eventFilter(watched, event);
}

void ImportWizard::updatePolicy()
{
    const ImportSummary &s = m_report.summary;
    const qint64 problems = s.problemCount();
    QString sentence;
    QString detail;
    if (s.earlierBatchId && !m_ui.forceCheck->isChecked()) {
        sentence = tr("This file was imported before (batch %1): nothing will be imported.")
                       .arg(*s.earlierBatchId);
        detail = tr("Tick “Import this file again” if that is what you want; rows SimDesk has "
                    "already are skipped either way.");
    } else if (s.valid == 0) {
        sentence = tr("No row of this file can be imported: %1 rows have problems.")
                       .arg(count(problems));
    } else if (m_ui.errorRadio->isChecked() && problems > 0) {
        sentence = problems == 1
            ? tr("Nothing will be imported: 1 row has a problem.")
            : tr("Nothing will be imported: %1 rows have problems.").arg(count(problems));
        detail = tr("Choose “Skip them” to import the %1 good rows, or fix the file and drop it "
                    "again.")
                     .arg(count(s.valid));
    } else {
        sentence = s.valid == 1 ? tr("1 SIM card will be created")
                                : tr("%1 SIM cards will be created").arg(count(s.valid));
        sentence += problems == 0 ? tr(".") : tr(", %1 skipped.").arg(count(problems));
        if (problems > 0)
            detail
                = tr("Skipped: %1 invalid, %2 duplicate in the file, %3 already in SimDesk.")
                      .arg(count(s.invalid), count(s.duplicateInFile), count(s.alreadyInDatabase));
    }
    if (s.checkDigitsAppended > 0)
        detail += (detail.isEmpty() ? QString() : QStringLiteral("\n"))
            + tr("%1 ICCIDs get their check digit appended (vendor files omit it).")
                  .arg(count(s.checkDigitsAppended));
    m_ui.forceCheck->setVisible(s.earlierBatchId.has_value());
    m_ui.summarySentenceLabel->setText(sentence);
    m_ui.policyDetailLabel->setText(detail);
    updateButtons();
}

void ImportWizard::startCommit()
{
    m_runMode = ImportRunner::Mode::Commit;
    m_ui.resultLabel->clear();
    m_ui.showCardsButton->hide();
    m_ui.commitProgressBar->show();
    m_ui.commitProgressBar->setValue(0);
    goTo(CommitStep);
    m_runner.start(ImportRunner::Mode::Commit, m_path, options());
    updateButtons();
}

void ImportWizard::commitFinished(const ImportReport &report, qint64 ms)
{
    m_report = report;
    m_ui.commitProgressBar->setRange(0, 1000);
    if (report.committed) {
        m_committedOnce = true;
        m_ui.commitProgressBar->setValue(1000);
        m_ui.commitPhaseLabel->setText(tr("Done."));
        m_ui.resultLabel->setText(
            tr("<p><b>%1 SIM cards imported</b> as batch %2.</p><p>Created: %1<br>Skipped: "
               "%3<br>Rows with problems: %4<br>Time: %5 s</p>")
                .arg(count(report.created))
                .arg(report.batchId.value_or(0))
                .arg(count(report.skipped), count(report.summary.problemCount()),
                    QLocale().toString(ms / 1000.0, 'f', 1)));
        m_ui.showCardsButton->show();
        m_ui.showCardsButton->setFocus();
        emit imported(*report.batchId);
    } else {
        m_ui.commitProgressBar->setValue(0);
        m_ui.commitPhaseLabel->setText(tr("Nothing was imported."));
        const bool cancelled = report.refusal && report.refusal->code == ErrorCode::ImportCancelled;
        m_ui.resultLabel->setText(cancelled
                ? tr("<p><b>The import was cancelled.</b> Nothing was written: the database is "
                     "as it was.</p>")
                : tr("<p><b>Nothing was imported.</b> %1</p>")
                      .arg(report.refusal ? report.refusal->fullMessage().toHtmlEscaped()
                                          : QString()));
    }
    updateButtons();
    emit committed();
}

void ImportWizard::saveProblems()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save problems as CSV"),
        QFileInfo(m_path).completeBaseName() + tr("-problems.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_preview.problemsCsv()) < 0
        || !file.commit())
        QMessageBox::warning(this, tr("Save problems as CSV"),
            tr("The file could not be written: %1. Choose another folder.")
                .arg(file.errorString()));
}

void ImportWizard::cancelAndWait()
{
    m_runner.cancel();
    m_runner.waitForFinished();
}

void ImportWizard::reject()
{
    if (m_runner.isRunning()) {
        if (m_runMode == ImportRunner::Mode::Commit
            && QMessageBox::question(this, tr("Cancel the import?"),
                   tr("The import is still running. Cancel it? Nothing of it will be kept."))
                != QMessageBox::Yes)
            return;
        cancelAndWait();
    }
    QDialog::reject();
}

} // namespace simdesk
