// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/staff.h"
#include "import/importfileinfo.h"
#include "importpreviewmodel.h"
#include "importrunner.h"
#include "records/importprofilerepository.h"
#include "ui_importwizard.h"

#include <QDialog>

#include <optional>

namespace simdesk {

class Desk;

// The import wizard, one file at a time, in five steps:
//  (a) the file: name, size, kind, encoding, delimiter, header line (core: inspectImportFile);
//  (b) its columns mapped to fields (auto-matched by core's aliases, or by the import profile
//      saved for this header), a default SIM type; "Save profile" shares the mapping with every
//      admin workstation (table import_profiles);
//  (c) every row checked in the background (ImportRunner: own connection, progress, Cancel), then
//      a preview of every row with its outcome, problems in their cells, counts per kind;
//  (d) the duplicate policy and what will happen, in one sentence;
//  (e) the import itself with progress and Cancel, then the result and "Show these cards".
// No parsing and no SQL here: core's ImportService, inspectImportFile and the repositories.
class ImportWizard : public QDialog
{
    Q_OBJECT

public:
    enum Step { FileStep, MappingStep, CheckStep, PolicyStep, CommitStep };

    ImportWizard(Desk *desk, QString path, QWidget *parent = nullptr);
    ~ImportWizard() override;

    QString path() const { return m_path; }
    Step step() const { return Step(m_ui.steps->currentIndex()); }
    // A validation or an import is running.
    bool isBusy() const { return m_runner.isRunning(); }
    // Cancels what runs and waits until it has stopped (nothing is written then).
    void cancelAndWait();
    ImportPreviewModel *previewModel() { return &m_preview; }
    // The options the user has chosen so far (mapping, default type, policy, force).
    ImportOptions options() const;
    // The last finished validation or import.
    const ImportReport &lastReport() const { return m_report; }
    // The batch the import created, once it has.
    std::optional<qint64> batchId() const { return m_report.batchId; }

public slots:
    void next();
    void back();
    // Closes the wizard; during an import, asks first and cancels it (nothing is kept).
    void reject() override;

signals:
    // The file has been read (step a shows it) or could not be.
    void fileInspected();
    // A validation or an import finished (successfully or not).
    void validated();
    void committed();
    void profileSaved();
    // The import created batch `batchId`.
    void imported(qint64 batchId);
    // "Show these cards".
    void showCardsRequested(qint64 batchId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void inspect();
    // Offline, the wizard waits: the file is read, or the check run, again when the connection
    // is back (instead of blaming the file for the database's absence).
    void liveChanged(bool live);
    bool offlineError(const std::optional<Error> &error) const;
    void showFile(const ImportFileInfo &info, const std::optional<ImportProfile> &profile);
    void fillMapping(const ImportFileInfo &info);
    void applyProfile(const ImportProfile &profile);
    void saveProfile();
    void startValidation();
    void validationFinished(const ImportReport &report, qint64 ms);
    void showProgress(
        QProgressBar *bar, QLabel *label, const QString &phase, qint64 done, qint64 total);
    void sizePreviewColumns();
    void updatePolicy();
    void startCommit();
    void commitFinished(const ImportReport &report, qint64 ms);
    void saveProblems();
    void goTo(Step step);
    void updateButtons();

    Ui::ImportWizard m_ui;
    Desk *m_desk;
    QString m_path;
    std::optional<ImportFileInfo> m_info;
    ImportPreviewModel m_preview;
    ImportRunner m_runner;
    ImportRunner::Mode m_runMode = ImportRunner::Mode::Validate;
    ImportReport m_report;
    bool m_validated = false; // m_report is a validation of the current options
    bool m_inspectWaits = false; // the file is to be read once the database is back
    bool m_committedOnce = false; // an import has succeeded: no way back
    qint64 m_checkedRows = 0; // rows of the file, from the last check (commit progress)
    QHash<QString, QString> m_validatedMapping;
    std::optional<SimType> m_validatedType;
};

} // namespace simdesk
