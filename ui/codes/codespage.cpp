// SPDX-License-Identifier: MIT
#include "codes/codespage.h"

#include "codes/codereasondialog.h"
#include "codes/codeslips.h"
#include "codes/generatebatchdialog.h"
#include "common/desk.h"
#include "common/errorview.h"
#include "common/fileexport.h"
#include "common/palette.h"
#include "common/statusstyle.h"
#include "records/activationcoderepository.h"
#include "records/customerrepository.h"
#include "services/exportservice.h"

#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLocale>
#include <QShortcut>

namespace simdesk {

namespace {

constexpr int kSearchDebounceMs = 150;

QString shortTime(const std::optional<QDateTime> &t)
{
    return t ? QLocale().toString(t->toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

CodesPage::CodesPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
    , m_model(desk->connection())
{
    m_ui.setupUi(this);
    // The list gets the room; the detail panel keeps what its fields need (as the Imports page).
    m_ui.splitter->setStretchFactor(0, 3);
    m_ui.splitter->setStretchFactor(1, 1);
    m_ui.splitter->setSizes({ 800, 280 });
    setUpTable();
    setUpFilters();
    setLinkStyle(m_ui.usedOnButton);
    // What the role may not do is not offered.
    const bool support = m_desk->roleAllows(StaffRole::Support);
    const bool admin = m_desk->roleAllows(StaffRole::Admin);
    m_ui.markUsedButton->setVisible(support);
    m_ui.markExpiredButton->setVisible(support);
    m_ui.exportButton->setVisible(support);
    m_ui.generateButton->setVisible(admin);
    m_ui.expireBatchButton->setVisible(admin);
    connect(m_ui.markUsedButton, &QPushButton::clicked, this,
        [this] { markCurrent(CodeStatus::Used); });
    connect(m_ui.markExpiredButton, &QPushButton::clicked, this,
        [this] { markCurrent(CodeStatus::Expired); });
    connect(m_ui.generateButton, &QPushButton::clicked, this, &CodesPage::generateBatch);
    connect(m_ui.expireBatchButton, &QPushButton::clicked, this, &CodesPage::expireBatch);
    connect(m_ui.exportButton, &QPushButton::clicked, this, [this] { exportBatch(); });
    connect(m_ui.usedOnButton, &QPushButton::clicked, this, [this] {
        if (const CodeListRow *row = currentRow(); row && row->simId)
            emit openCard(*row->simId);
    });
    if (admin) {
        new QShortcut(QKeySequence::New, this, this, &CodesPage::generateBatch,
            Qt::WidgetWithChildrenShortcut);
    }
    new QShortcut(
        QKeySequence::Find, this, this, &CodesPage::focusSearch, Qt::WidgetWithChildrenShortcut);
    connect(m_desk, &Desk::liveChanged, this, &CodesPage::updateActions);
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, &CodesPage::refresh);
    // Codes change here and elsewhere (activation uses them); a card's holder shows beside its
    // code.
    m_desk->hub()->watch(this, Topic::Codes, [this](const Change &) {
        refresh();
        loadBatches();
    });
    m_desk->hub()->watch(this, Topic::Cards, [this](const Change &) { refresh(); });
    updateDetail();
}

void CodesPage::showEvent(QShowEvent *event)
{
    // The list's connection and first page only when someone looks.
    if (!m_started) {
        m_started = true;
        loadBatches();
        applyFilter();
    }
    QWidget::showEvent(event);
}

void CodesPage::setUpTable()
{
    QTableView *table = m_ui.codeTable;
    table->setModel(&m_model);
    table->setItemDelegateForColumn(CodeListModel::Status, new StatusBadgeDelegate(table));
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table->horizontalHeader()->setSectionResizeMode(CodeListModel::Batch, QHeaderView::Stretch);
    table->setColumnWidth(CodeListModel::Code, 150);
    table->setColumnWidth(CodeListModel::Status, 82);
    table->setColumnWidth(CodeListModel::Expires, 90);
    table->setColumnWidth(CodeListModel::UsedAt, 132);
    table->setColumnWidth(CodeListModel::UsedOn, 150);
    // Newest first until a column with an order of its own is clicked. Blocked: the view would
    // sort (load) at once, and the list loads only when first shown.
    {
        const QSignalBlocker block(table->horizontalHeader());
        table->horizontalHeader()->setSortIndicator(-1, Qt::DescendingOrder);
    }
    connect(table, &QTableView::activated, this, [this](const QModelIndex &index) {
        // Enter or a double-click on a used code opens the card it activated.
        const CodeListRow *row = m_model.rowAt(index.row());
        if (row && row->simId)
            emit openCard(*row->simId);
    });
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (const CodeListRow *row = m_model.rowAt(current.row()))
                m_currentId = row->id;
            updateDetail();
        });
    connect(&m_model, &CodeListModel::totalChanged, this, &CodesPage::updateFooter);
    connect(&m_model, &CodeListModel::loaded, this, [this] {
        m_ui.errorView->clear();
        restoreCurrent();
        updateFooter();
        updateDetail();
    });
    connect(&m_model, &CodeListModel::failed, this,
        [this](const Error &e) { m_ui.errorView->showLoadError(e); });
}

void CodesPage::setUpFilters()
{
    m_ui.statusCombo->addItem(tr("Any status"));
    for (CodeStatus s : kAllCodeStatuses)
        m_ui.statusCombo->addItem(codeStatusDisplayName(s), int(s));
    m_ui.batchCombo->addItem(tr("Any batch"));
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(kSearchDebounceMs);
    connect(&m_searchDebounce, &QTimer::timeout, this, &CodesPage::applyFilter);
    connect(m_ui.searchEdit, &QLineEdit::textChanged, this, [this] { m_searchDebounce.start(); });
    connect(m_ui.statusCombo, &QComboBox::currentIndexChanged, this, &CodesPage::applyFilter);
    connect(m_ui.batchCombo, &QComboBox::currentIndexChanged, this, &CodesPage::applyFilter);
    connect(m_ui.expiringSpin, &QSpinBox::valueChanged, this, [this] { m_searchDebounce.start(); });
    connect(m_ui.customerEdit, &QLineEdit::editingFinished, this, &CodesPage::resolveCustomer);
    connect(m_ui.clearButton, &QPushButton::clicked, this, [this] {
        const QSignalBlocker a(m_ui.searchEdit), b(m_ui.statusCombo), c(m_ui.batchCombo),
            d(m_ui.expiringSpin), e(m_ui.customerEdit);
        m_ui.searchEdit->clear();
        m_ui.statusCombo->setCurrentIndex(0);
        m_ui.batchCombo->setCurrentIndex(0);
        m_ui.expiringSpin->setValue(0);
        m_ui.customerEdit->clear();
        m_customerId.reset();
        applyFilter();
    });
}

qint64 CodesPage::chosenBatch() const
{
    return m_ui.batchCombo->currentData().toLongLong();
}

void CodesPage::applyFilter()
{
    m_searchDebounce.stop();
    CodeListFilter f;
    f.search = m_ui.searchEdit->text();
    if (m_ui.statusCombo->currentIndex() > 0)
        f.status = CodeStatus(m_ui.statusCombo->currentData().toInt());
    f.expiringWithinDays = m_ui.expiringSpin->value();
    if (const qint64 batch = chosenBatch())
        f.batchId = batch;
    f.customerId = m_customerId;
    // A customer number that matches nobody shows nothing rather than everything.
    if (!m_ui.customerEdit->text().trimmed().isEmpty() && !m_customerId)
        f.customerId = 0;
    m_ui.clearButton->setEnabled(!f.isEmpty());
    // A search lists its codes alphabetically, the order its index walks: newest first would
    // read and sort every match of a short prefix (tens of thousands at a million codes).
    CodeSort sort = m_model.codeSort();
    if (!CodeListQuery::normalizedSearch(f.search).isEmpty() && sort.key == CodeSortKey::Newest) {
        sort = { CodeSortKey::Code, Qt::AscendingOrder };
        const QSignalBlocker block(m_ui.codeTable->horizontalHeader());
        m_ui.codeTable->horizontalHeader()->setSortIndicator(CodeListModel::Code, sort.order);
    }
    m_model.setQuery(f, sort);
    updateFooter();
    updateActions();
}

void CodesPage::loadBatches()
{
    m_desk->runner()->run<QList<CodeBatch>>(
        this, [](QSqlDatabase db) { return ActivationCodeRepository(db).batches(); },
        [this](const Result<QList<CodeBatch>> &result) {
            if (!result) {
                m_ui.errorView->showLoadError(result.error());
                return;
            }
            const qint64 chosen = chosenBatch();
            const QSignalBlocker block(m_ui.batchCombo);
            m_ui.batchCombo->clear();
            m_ui.batchCombo->addItem(tr("Any batch"));
            const QLocale locale;
            for (const CodeBatch &b : *result) {
                m_ui.batchCombo->addItem(tr("%1 (%2 codes, issued %3)")
                                             .arg(b.label, locale.toString(b.count),
                                                 locale.toString(b.createdAt.toLocalTime().date(),
                                                     QLocale::ShortFormat)),
                    b.id);
            }
            const int index = m_ui.batchCombo->findData(chosen);
            m_ui.batchCombo->setCurrentIndex(chosen && index > 0 ? index : 0);
            if (chosen && index <= 0)
                applyFilter();
        });
}

void CodesPage::resolveCustomer()
{
    const QString number = m_ui.customerEdit->text().trimmed();
    if (number.isEmpty()) {
        if (std::exchange(m_customerId, std::nullopt))
            applyFilter();
        return;
    }
    m_desk->runner()->run<std::optional<qint64>>(
        this,
        [number](QSqlDatabase db) -> Result<std::optional<qint64>> {
            Result<QList<Customer>> found = CustomerRepository(db).list(number, 20);
            if (!found)
                return found.error();
            for (const Customer &c : *found) {
                if (c.customerNo.compare(number, Qt::CaseInsensitive) == 0)
                    return std::optional<qint64>(c.id);
            }
            return std::optional<qint64>();
        },
        [this](const Result<std::optional<qint64>> &result) {
            if (!result) {
                m_ui.errorView->showError(result.error());
                return;
            }
            m_customerId = *result;
            m_ui.customerEdit->setToolTip(m_customerId
                    ? QString()
                    : tr("No customer has the number %1.").arg(m_ui.customerEdit->text()));
            setTextTone(
                m_ui.customerEdit, m_customerId ? std::nullopt : std::optional<Tone>(Tone::Error));
            applyFilter();
        });
}

void CodesPage::focusSearch()
{
    m_ui.searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui.searchEdit->selectAll();
}

void CodesPage::setSearch(const QString &text)
{
    m_ui.searchEdit->setText(text);
    if (!m_started) {
        m_started = true;
        loadBatches();
    }
    applyFilter();
}

void CodesPage::showCustomer(const QString &customerNo)
{
    m_ui.customerEdit->setText(customerNo);
    m_started = true;
    resolveCustomer();
}

void CodesPage::showBatch(qint64 batchId)
{
    const int index = m_ui.batchCombo->findData(batchId);
    if (index > 0) {
        m_ui.batchCombo->setCurrentIndex(index);
        return;
    }
    // Not in the list yet (just generated): read the batches, then choose it.
    m_ui.batchCombo->addItem(QString::number(batchId), batchId);
    m_ui.batchCombo->setCurrentIndex(m_ui.batchCombo->count() - 1);
    loadBatches();
}

void CodesPage::showCode(qint64 codeId, const QString &code)
{
    if (code.isEmpty()) {
        m_desk->runner()->run<CodeListRow>(
            this, [codeId](QSqlDatabase db) { return CodeListQuery(db).byId(codeId); },
            [this, codeId](const Result<CodeListRow> &result) {
                if (!result) {
                    m_ui.errorView->showError(result.error());
                    return;
                }
                showCode(codeId, result->code);
            });
        return;
    }
    {
        const QSignalBlocker a(m_ui.searchEdit), b(m_ui.statusCombo), c(m_ui.batchCombo),
            d(m_ui.expiringSpin), e(m_ui.customerEdit);
        m_ui.statusCombo->setCurrentIndex(0);
        m_ui.batchCombo->setCurrentIndex(0);
        m_ui.expiringSpin->setValue(0);
        m_ui.customerEdit->clear();
        m_customerId.reset();
    }
    m_currentId = codeId; // restoreCurrent() selects it when the page arrives
    setSearch(code);
}

void CodesPage::refresh()
{
    if (m_started)
        m_model.refresh();
}

const CodeListRow *CodesPage::currentRow() const
{
    return m_currentId ? m_model.rowAt(m_model.rowOfId(m_currentId)) : nullptr;
}

void CodesPage::restoreCurrent()
{
    QTableView *table = m_ui.codeTable;
    int row = m_currentId ? m_model.rowOfId(m_currentId) : -1;
    if (row < 0 && m_model.rowCount() > 0)
        row = 0;
    if (row < 0) {
        m_currentId = 0;
        return;
    }
    if (row != table->currentIndex().row()) {
        table->selectionModel()->setCurrentIndex(m_model.index(row, CodeListModel::Code),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
}

void CodesPage::updateFooter()
{
    if (!m_model.isTotalKnown()) {
        m_ui.countLabel->setText(tr("Codes: counting…"));
        return;
    }
    const CodeListTotal total = m_model.total();
    const QString n = QLocale().toString(total.count);
    m_ui.countLabel->setText(
        total.exact ? tr("Codes: %1").arg(n) : tr("Codes: ≈ %1 (estimated)").arg(n));
}

void CodesPage::updateDetail()
{
    const CodeListRow *row = currentRow();
    m_ui.detailStack->setCurrentWidget(row ? m_ui.detailPage : m_ui.emptyPage);
    if (row) {
        m_ui.codeLabel->setText(row->code);
        styleStatusBadge(m_ui.statusBadge, row->status);
        m_ui.expiresValue->setText(row->expiresAt ? shortTime(row->expiresAt) : tr("never"));
        m_ui.createdValue->setText(shortTime(row->createdAt));
        m_ui.batchValue->setText(row->batchLabel.isEmpty() ? tr("none") : row->batchLabel);
        m_ui.usedAtValue->setText(row->usedAt ? shortTime(row->usedAt) : tr("not used"));
        m_ui.usedOnButton->setVisible(row->simId.has_value());
        m_ui.usedOnButton->setText(row->iccid);
        m_ui.usedOnNone->setVisible(!row->simId);
        m_ui.customerValue->setText(
            row->customerId ? tr("%1 (%2)").arg(row->customerName, row->customerNo) : tr("—"));
        // Stored UNUSED but past its expiry: say why it shows as expired.
        m_ui.noteLabel->setText(
            row->status == CodeStatus::Expired && row->storedStatus == CodeStatus::Unused
                ? tr("Expired by its date; it can no longer activate a card.")
                : QString());
    }
    updateActions();
}

void CodesPage::updateActions()
{
    const bool live = m_desk->isLive();
    const CodeListRow *row = currentRow();
    const bool open = row && row->status == CodeStatus::Unused;
    m_ui.markUsedButton->setEnabled(live && open);
    m_ui.markExpiredButton->setEnabled(live && open);
    m_ui.generateButton->setEnabled(live);
    m_ui.expireBatchButton->setEnabled(live && chosenBatch() != 0);
    m_ui.exportButton->setEnabled(live && chosenBatch() != 0);
}

void CodesPage::markCurrent(CodeStatus to)
{
    const CodeListRow *row = currentRow();
    if (!row || !m_desk->roleAllows(StaffRole::Support))
        return;
    const QString code = row->code;
    const qint64 id = row->id;
    const bool used = to == CodeStatus::Used;
    auto *dialog = new CodeReasonDialog(
        m_desk, used ? tr("Mark code as used") : tr("Mark code as expired"),
        used ? tr("Code %1 was used outside SimDesk: it can no longer activate a card.").arg(code)
             : tr("Code %1 is withdrawn: it can no longer activate a card.").arg(code),
        used ? tr("Mark &used") : tr("Mark &expired"),
        [code, to](QSqlDatabase db, const QString &reason) -> Result<QString> {
            ActivationCodeRepository repo(db);
            Result<ActivationCode> r = to == CodeStatus::Used ? repo.markUsed(code, reason)
                                                              : repo.markExpired(code, reason);
            if (!r)
                return r.error();
            return QString();
        },
        this);
    dialog->setObjectName(QStringLiteral("codeReasonDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CodeReasonDialog::done, this, [this, id](const QString &) {
        m_desk->hub()->changedHere(Topic::Codes, { { id }, false }, this);
        m_model.refresh();
    });
    dialog->open();
}

void CodesPage::generateBatch()
{
    if (!m_desk->roleAllows(StaffRole::Admin))
        return;
    auto *dialog = new GenerateBatchDialog(m_desk, this);
    dialog->setObjectName(QStringLiteral("generateBatchDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GenerateBatchDialog::generated, this,
        [this](qint64 batchId, const QString &label, int count) {
            m_desk->hub()->changedHere(Topic::Codes, Change::all(), this);
            emit message(
                tr("Generated %1 codes in batch “%2”.").arg(QLocale().toString(count), label));
            showBatch(batchId);
        });
    dialog->open();
}

void CodesPage::expireBatch()
{
    const qint64 batchId = chosenBatch();
    if (!batchId || !m_desk->roleAllows(StaffRole::Admin))
        return;
    auto *dialog = new CodeReasonDialog(
        m_desk, tr("Expire batch"),
        tr("Every unused code of batch “%1” expires now and can no longer activate a card. Used "
           "codes stay as they are.")
            .arg(m_ui.batchCombo->currentText()),
        tr("E&xpire batch"),
        [batchId](QSqlDatabase db, const QString &reason) -> Result<QString> {
            Result<int> n = ActivationCodeRepository(db).expireBatch(batchId, reason);
            if (!n)
                return n.error();
            return QLocale().toString(*n);
        },
        this);
    dialog->setObjectName(QStringLiteral("expireBatchDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CodeReasonDialog::done, this, [this](const QString &count) {
        m_desk->hub()->changedHere(Topic::Codes, Change::all(), this);
        emit message(tr("Expired %1 unused codes.").arg(count));
        m_model.refresh();
    });
    dialog->open();
}

void CodesPage::exportBatch(const QString &chosenPath)
{
    const qint64 batchId = chosenBatch();
    if (!batchId)
        return;
    QString path = chosenPath;
    if (path.isEmpty()) {
        const QString csv = tr("CSV for a spreadsheet or mail merge (*.csv)");
        const QString pdf = tr("PDF slips to print and cut (*.pdf)");
        QString chosen = csv;
        path = QFileDialog::getSaveFileName(this, tr("Export batch"),
            QStringLiteral("codes-batch-%1.csv").arg(batchId), csv + QStringLiteral(";;") + pdf,
            &chosen);
        if (!path.isEmpty() && chosen == pdf
            && !path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
            if (path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
                path.chop(4);
            path += QStringLiteral(".pdf");
        }
    }
    if (path.isEmpty())
        return;
    CodeListFilter filter;
    filter.batchId = batchId;
    // The file's suffix says which: slips to print, or rows for a spreadsheet.
    const bool slips = path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive);
    exportToFile(
        this, m_desk, path, tr("Exporting activation codes…"), m_model.total().count,
        [filter, slips](
            QSqlDatabase db, QIODevice *out, const std::function<bool(qint64)> &rowsSoFar) {
            return slips ? writeCodeSlipsPdf(db, out, filter, rowsSoFar)
                         : ExportService(db).exportCodesCsv(out, filter, rowsSoFar);
        },
        [this, path](qint64 rows) {
            emit message(tr("Exported %1 codes to %2")
                             .arg(QLocale().toString(rows), QDir::toNativeSeparators(path)));
        });
}

} // namespace simdesk
