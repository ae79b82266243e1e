// SPDX-License-Identifier: MIT
#include "fileexport.h"

#include "common/desk.h"
#include "common/errorview.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QSaveFile>

#include <limits>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::FileExport", text);
}

int clampedToInt(qint64 n)
{
    return int(qMin<qint64>(n, std::numeric_limits<int>::max()));
}

} // namespace

Task *exportToFile(QWidget *parent, Desk *desk, const QString &path, const QString &label,
    qint64 expectedRows, RowWriter write, std::function<void(qint64 rows)> exported)
{
    auto *progress
        = new QProgressDialog(label, tr("Cancel"), 0, clampedToInt(expectedRows), parent);
    progress->setObjectName(QStringLiteral("exportProgress"));
    progress->setWindowTitle(tr("Export"));
    progress->setMinimumDuration(300);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<QProgressDialog> dialog(progress);
    Task *task = desk->runner()->run<qint64>(
        parent,
        [path, write = std::move(write)](
            QSqlDatabase db, ProgressObserver &observer) -> Result<qint64> {
            QSaveFile file(path);
            const Error cannotWrite(ErrorCode::InvalidArgument,
                { tr("Cannot write %1: %2. Choose another place.").arg(path, file.errorString()) });
            if (!file.open(QIODevice::WriteOnly))
                return cannotWrite;
            Result<qint64> rows = write(db, &file, [&observer](qint64 n) {
                observer.progress({}, n, 0);
                return !observer.cancelled();
            });
            if (!rows) {
                file.cancelWriting(); // nothing half-written is left behind
                return rows;
            }
            if (!file.commit())
                return cannotWrite;
            return rows;
        },
        [parent, dialog, exported = std::move(exported)](const Result<qint64> &rows) {
            if (dialog)
                dialog->close();
            if (rows)
                exported(*rows);
            else if (rows.error().code != ErrorCode::ImportCancelled
                && rows.error().code != ErrorCode::Cancelled)
                QMessageBox::warning(parent, tr("Export"), ErrorView::fullText(rows.error()));
        },
        DbRunner::Lane::Own);
    QObject::connect(progress, &QProgressDialog::canceled, task, &Task::cancel);
    QObject::connect(
        task, &Task::progress, progress, [progress](const QString &, qint64 done, qint64) {
            progress->setValue(clampedToInt(done));
        });
    progress->show();
    return task;
}

} // namespace simdesk
