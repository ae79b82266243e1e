// SPDX-License-Identifier: MIT
#include "importspage.h"

#include "common/csvfield.h"
#include "common/desk.h"
#include "domain/lifecycle.h"
#include "import/importservice.h"

#include <QFileDialog>
#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QSaveFile>

namespace simdesk {

namespace {

QString count(qint64 n)
{
    return QLocale().toString(n);
}

QString kindName(const QString &format)
{
    return format == QLatin1String("vendor-out") ? ImportsPage::tr("Vendor file")
                                                 : ImportsPage::tr("CSV");
}

QString statusName(const ImportBatch &b)
{
    return b.reverted() ? ImportsPage::tr("Reverted") : ImportsPage::tr("Imported");
}

QString when(const QDateTime &t)
{
    return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
}

} // namespace

ImportsPage::ImportsPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    m_ui.setupUi(this);
    const bool admin = m_desk->roleAllows(StaffRole::Admin);
    m_ui.importButton->setVisible(admin);
    connect(m_desk, &Desk::liveChanged, m_ui.importButton, &QWidget::setEnabled);
    m_ui.batchTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui.batchTable->horizontalHeader()->setStretchLastSection(true);
    m_ui.splitter->setStretchFactor(0, 3);
    m_ui.splitter->setStretchFactor(1, 2);
    m_ui.splitter->setSizes({ 800, 360 });
    m_ui.problemTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui.problemTable->horizontalHeader()->setStretchLastSection(true);
    m_ui.problemTable->hide();
    m_ui.showCardsButton->setEnabled(false);
    m_ui.revertButton->setEnabled(false);
    connect(m_ui.importButton, &QPushButton::clicked, this, &ImportsPage::importRequested);
    connect(m_ui.refreshButton, &QPushButton::clicked, this, &ImportsPage::reload);
    connect(m_ui.batchTable, &QTableWidget::itemSelectionChanged, this, &ImportsPage::loadDetail);
    connect(m_ui.showCardsButton, &QPushButton::clicked, this, [this] {
        if (const std::optional<qint64> id = currentBatchId())
            emit showCardsRequested(*id);
    });
    connect(m_ui.revertButton, &QPushButton::clicked, this, &ImportsPage::revertCurrent);
    connect(m_ui.revertErrorView, &ErrorView::dismissed, this, [this] { m_refusedBatch.reset(); });
    // Imports change cards, and so does a revert or the first use of an imported card (which
    // ends "revertable"): one reload when cards changed, here or elsewhere.
    m_desk->hub()->watch(this, Topic::Cards, [this](const Change &) { reload(); });
    m_ui.saveProblemsButton->hide();
    connect(m_ui.saveProblemsButton, &QPushButton::clicked, this, [this] {
        if (!m_detail)
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save problems as CSV"),
            tr("batch-%1-problems.csv").arg(m_detail->batch.id), tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            saveProblems(path);
    });
    connect(this, &ImportsPage::problemsSaved, this, [this](const QString &error) {
        m_ui.saveProblemsButton->setEnabled(true);
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Save problems as CSV"), error);
    });
}

void ImportsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The first time: later, the refresh hub says when imports or their cards changed.
    if (!std::exchange(m_loadedOnce, true))
        reload();
}

std::optional<qint64> ImportsPage::currentBatchId() const
{
    const QList<QTableWidgetItem *> selected = m_ui.batchTable->selectedItems();
    if (selected.isEmpty())
        return std::nullopt;
    return m_ui.batchTable->item(selected.first()->row(), 0)->data(Qt::UserRole).toLongLong();
}

void ImportsPage::selectBatch(qint64 batchId)
{
    m_wanted = batchId;
    for (int row = 0; row < m_ui.batchTable->rowCount(); ++row) {
        if (m_ui.batchTable->item(row, 0)->data(Qt::UserRole).toLongLong() == batchId) {
            m_ui.batchTable->selectRow(row);
            m_wanted.reset();
            return;
        }
    }
}

void ImportsPage::reload()
{
    m_ui.statusLabel->setText(tr("Loading…"));
    m_ui.refreshButton->setEnabled(false);
    m_desk->runner()->run<QList<ImportBatch>>(
        this, [](QSqlDatabase db) { return ImportBatchRepository(db).list(); },
        [this](const Result<QList<ImportBatch>> &batches) {
            m_ui.refreshButton->setEnabled(true);
            if (!batches)
                m_ui.statusLabel->setText(batches.error().message());
            else
                showBatches(*batches);
            emit loaded();
        });
}

void ImportsPage::showBatches(const QList<ImportBatch> &batches)
{
    const std::optional<qint64> keep = m_wanted ? m_wanted : currentBatchId();
    m_batches = batches;
    const QSignalBlocker block(m_ui.batchTable);
    m_ui.batchTable->clearSelection();
    m_ui.batchTable->setRowCount(int(batches.size()));
    for (int row = 0; row < batches.size(); ++row) {
        const ImportBatch &b = batches.at(row);
        auto number = [](qint64 n) {
            auto *item = new QTableWidgetItem(count(n));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            return item;
        };
        auto *id = number(b.id);
        id->setText(QString::number(b.id));
        id->setData(Qt::UserRole, b.id);
        m_ui.batchTable->setItem(row, 0, id);
        m_ui.batchTable->setItem(row, 1, new QTableWidgetItem(b.fileName));
        m_ui.batchTable->setItem(row, 2, new QTableWidgetItem(kindName(b.format)));
        auto *by = new QTableWidgetItem(b.createdByName);
        by->setToolTip(b.createdBy);
        m_ui.batchTable->setItem(row, 3, by);
        m_ui.batchTable->setItem(row, 4, new QTableWidgetItem(when(b.createdAt)));
        m_ui.batchTable->setItem(row, 5, number(b.totalRows));
        m_ui.batchTable->setItem(row, 6, number(b.createdCount));
        m_ui.batchTable->setItem(row, 7, number(b.skippedCount));
        auto *status = new QTableWidgetItem(statusName(b));
        if (b.reverted())
            status->setForeground(palette().color(QPalette::PlaceholderText));
        m_ui.batchTable->setItem(row, 8, status);
        // The start is enough to compare with a vendor's delivery note; the tooltip has all.
        auto *sum = new QTableWidgetItem(b.checksum.left(10) + QStringLiteral("…"));
        sum->setToolTip(b.checksum);
        sum->setFont(QFont(QStringLiteral("monospace")));
        m_ui.batchTable->setItem(row, 9, sum);
    }
    m_ui.statusLabel->setText(batches.isEmpty()
            ? tr("No SIM cards have been imported yet.")
            : (batches.size() == 1 ? tr("1 import") : tr("%1 imports").arg(count(batches.size()))));
    m_wanted.reset();
    bool selected = false;
    if (keep) {
        for (int row = 0; row < batches.size(); ++row) {
            if (batches.at(row).id == *keep) {
                m_ui.batchTable->selectRow(row);
                selected = true;
            }
        }
    }
    if (!selected && !batches.isEmpty())
        m_ui.batchTable->selectRow(0);
    loadDetail();
}

void ImportsPage::loadDetail()
{
    const std::optional<qint64> id = currentBatchId();
    const quint64 generation = ++m_detailGeneration;
    if (m_refusedBatch && m_refusedBatch != id) {
        m_refusedBatch.reset();
        m_ui.revertErrorView->clear();
    }
    m_ui.showCardsButton->setEnabled(false);
    m_ui.revertButton->setEnabled(false);
    if (!id) {
        m_detail.reset();
        m_ui.detailTitleLabel->setText(tr("Choose an import to see its detail."));
        m_ui.detailLabel->clear();
        m_ui.problemsNoteLabel->clear();
        m_ui.problemTable->setRowCount(0);
        m_ui.problemTable->hide();
        m_ui.saveProblemsButton->hide();
        m_ui.revertReasonLabel->clear();
        emit detailLoaded();
        return;
    }
    m_desk->runner()->run<DetailData>(
        this,
        [id](QSqlDatabase db) -> Result<DetailData> {
            const ImportBatchRepository repository(db);
            Result<ImportBatchDetail> detail = repository.detail(*id);
            if (!detail)
                return detail.error();
            Result<ImportBatchProblemPage> problems = repository.problems(*id, 0, kShownProblems);
            if (!problems)
                return problems.error();
            return DetailData { *detail, *problems };
        },
        [this, generation](const Result<DetailData> &data) {
            if (generation != m_detailGeneration)
                return; // another batch was chosen meanwhile
            if (!data) {
                m_ui.detailLabel->setText(data.error().message().toHtmlEscaped());
            } else {
                showDetail(data->detail);
                showProblems(data->problems);
            }
            emit detailLoaded();
        });
}

void ImportsPage::showDetail(const ImportBatchDetail &detail)
{
    m_detail = detail;
    const ImportBatch &b = detail.batch;
    m_ui.detailTitleLabel->setText(tr("Batch %1 · %2").arg(b.id).arg(b.fileName));
    QString html = tr("<table cellspacing='3'>"
                      "<tr><td nowrap>Kind:</td><td>%1</td></tr>"
                      "<tr><td nowrap>Imported by:</td><td>%2<br>%3</td></tr>"
                      "<tr><td nowrap>When:</td><td>%4</td></tr>"
                      "<tr><td nowrap>Rows:</td><td>%5</td></tr>"
                      "<tr><td nowrap>Created:</td><td>%6</td></tr>"
                      "<tr><td nowrap>Skipped:</td><td>%7</td></tr>"
                      "<tr><td nowrap>Status:</td><td>%8</td></tr>")
                       .arg(kindName(b.format), b.createdByName.toHtmlEscaped(),
                           b.createdBy.toHtmlEscaped(), when(b.createdAt), count(b.totalRows),
                           count(b.createdCount), count(b.skippedCount), statusName(b));
    if (b.reverted())
        html += tr("<tr><td nowrap>Reverted by:</td><td>%1, %2</td></tr>")
                    .arg(b.revertedBy.toHtmlEscaped(), when(b.revertedAt));
    // In two halves: one line of 64 hex digits does not fit beside the history.
    html += tr("<tr><td nowrap>SHA-256:</td><td><code>%1<br>%2</code></td></tr></table>")
                .arg(b.checksum.left(32), b.checksum.mid(32));
    if (!b.reverted()) {
        QStringList statuses;
        for (auto it = detail.cardsByStatus.cbegin(); it != detail.cardsByStatus.cend(); ++it) {
            const std::optional<SimStatus> s = statusFromKey(it.key());
            statuses << tr("%1 %2").arg(count(it.value()),
                s ? statusDisplayName(*s).toHtmlEscaped() : it.key().toHtmlEscaped());
        }
        html += tr("<p>Its cards now: %1 (%2).<br>Changes to them since the import: %3.</p>")
                    .arg(count(detail.cardsNow),
                        statuses.isEmpty() ? tr("none") : statuses.join(QStringLiteral(", ")),
                        count(detail.eventsAfterImport));
    }
    m_ui.detailLabel->setText(html);
    m_ui.showCardsButton->setEnabled(!b.reverted() && detail.cardsNow > 0);

    // Revert: only admins, only a batch not reverted yet; whether its cards are untouched the
    // database decides when asked (and says how many were used).
    QString reason;
    if (!m_desk->roleAllows(StaffRole::Admin))
        reason = tr("Only administrators may revert an import.");
    else if (b.reverted())
        reason = tr("This import was reverted already.");
    else if (detail.eventsAfterImport > 0)
        reason = tr("Cards of this import have been changed since; SimDesk checks when you "
                    "revert whether any of them has been used.");
    m_ui.revertButton->setEnabled(m_desk->roleAllows(StaffRole::Admin) && !b.reverted());
    m_ui.revertReasonLabel->setText(reason);
}

void ImportsPage::showProblems(const ImportBatchProblemPage &page)
{
    // Batches imported before the problems were kept (migration 010) have none recorded.
    const qint64 skipped = m_detail ? m_detail->batch.skippedCount : 0;
    if (page.total == 0)
        m_ui.problemsNoteLabel->setText(skipped > 0
                ? tr("The rows this import skipped were not recorded (it is older than this "
                     "version of SimDesk).")
                : tr("This import skipped no rows."));
    else if (page.total > page.problems.size())
        m_ui.problemsNoteLabel->setText(tr("Rows skipped and why: the first %1 of %2.")
                                            .arg(count(page.problems.size()), count(page.total)));
    else
        m_ui.problemsNoteLabel->setText(page.total == 1
                ? tr("Rows skipped and why: 1 problem.")
                : tr("Rows skipped and why: %1 problems.").arg(count(page.total)));
    m_ui.problemTable->setVisible(page.total > 0);
    m_ui.saveProblemsButton->setVisible(page.total > 0);
    m_ui.problemTable->setRowCount(int(page.problems.size()));
    for (int row = 0; row < page.problems.size(); ++row) {
        const ImportBatchProblem &p = page.problems.at(row);
        auto *line = new QTableWidgetItem(p.line > 0 ? count(p.line) : tr("file"));
        line->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_ui.problemTable->setItem(row, 0, line);
        m_ui.problemTable->setItem(row, 1, new QTableWidgetItem(p.column));
        auto *message = new QTableWidgetItem(p.message);
        message->setToolTip(p.message);
        m_ui.problemTable->setItem(row, 2, message);
    }
}

void ImportsPage::saveProblems(const QString &path)
{
    const std::optional<qint64> id = currentBatchId();
    if (!id) {
        emit problemsSaved(tr("Choose an import first."));
        return;
    }
    m_ui.saveProblemsButton->setEnabled(false);
    m_desk->runner()->run<bool>(
        this,
        [id, path](QSqlDatabase db) -> Result<bool> {
            // All of them: at most 100,000 per batch are recorded (010).
            Result<ImportBatchProblemPage> page
                = ImportBatchRepository(db).problems(*id, 0, 100000);
            if (!page)
                return page.error();
            QByteArray out("line,column,problem,message\n");
            for (const ImportBatchProblem &p : page->problems)
                out += QByteArray::number(p.line) + ',' + csvField(p.column) + ','
                    + csvField(p.code) + ',' + csvField(p.message) + '\n';
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(out) < 0 || !file.commit())
                return Error(ErrorCode::InvalidArgument, { file.errorString() });
            return true;
        },
        [this](const Result<bool> &saved) {
            emit problemsSaved(saved ? QString()
                                     : (saved.error().code == ErrorCode::InvalidArgument
                                             ? tr("The file could not be written: %1. Choose "
                                                  "another folder.")
                                                   .arg(saved.error().args.value(0))
                                             : saved.error().message()));
        });
}

void ImportsPage::revertCurrent()
{
    if (!m_detail || m_detail->batch.reverted())
        return;
    if (!m_desk->roleAllows(StaffRole::Admin)) {
        const std::optional<StaffRole> role = m_desk->session().role;
        QMessageBox::information(this, tr("Revert import"),
            tr("Only administrators may revert an import; you are signed in as %1.")
                .arg(role ? staffRoleDisplayName(*role) : tr("viewer")));
        return;
    }
    const ImportBatch b = m_detail->batch;
    const qint64 cards = m_detail->cardsNow;
    QMessageBox confirm(QMessageBox::Warning, tr("Revert import"),
        cards == 1 ? tr("Delete the 1 SIM card of batch %1 (“%2”)?").arg(b.id).arg(b.fileName)
                   : tr("Delete the %1 SIM cards of batch %2 (“%3”)?")
                         .arg(count(cards))
                         .arg(b.id)
                         .arg(b.fileName),
        QMessageBox::Cancel, this);
    confirm.setObjectName(QStringLiteral("revertConfirmation"));
    confirm.setInformativeText(
        tr("This works only while none of them has been used. The batch stays in the history "
           "as reverted."));
    QPushButton *revert = confirm.addButton(tr("&Revert"), QMessageBox::DestructiveRole);
    confirm.setDefaultButton(QMessageBox::Cancel);
    confirm.exec();
    if (confirm.clickedButton() != revert)
        return;
    m_ui.revertButton->setEnabled(false);
    m_refusedBatch.reset();
    m_ui.revertErrorView->clear();
    m_ui.statusLabel->setText(tr("Reverting batch %1…").arg(b.id));
    const qint64 id = b.id;
    m_desk->runner()->run<qint64>(
        this, [id](QSqlDatabase db) { return ImportService(db).revert(id); },
        [this, id](const Result<qint64> &removed) {
            if (!removed) {
                // Shown in its own view, which the reload below leaves alone: the status line
                // and the reason label are rewritten by every reload.
                m_refusedBatch = id;
                m_ui.revertErrorView->showError(removed.error());
                emit revertFailed(removed.error().message());
                reload();
                return;
            }
            m_ui.statusLabel->setText(*removed == 1
                    ? tr("Batch %1 reverted: 1 SIM card deleted.").arg(id)
                    : tr("Batch %1 reverted: %2 SIM cards deleted.").arg(id).arg(count(*removed)));
            emit reverted(id, *removed);
            // The revert's cards went: every page that shows cards hears of it once.
            m_desk->hub()->changedHere(Topic::Cards, Change::all(), this);
            reload();
        });
}

} // namespace simdesk
