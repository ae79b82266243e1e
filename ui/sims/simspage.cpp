// SPDX-License-Identifier: MIT
#include "sims/simspage.h"

#include "common/appsettings.h"
#include "common/backgroundtask.h"
#include "common/statusstyle.h"
#include "db/database.h"
#include "records/tariffplanrepository.h"
#include "services/exportservice.h"
#include "sims/pastelistdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPointer>
#include <QSaveFile>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QScrollBar>
#include <QShortcut>
#include <QtConcurrent/QtConcurrentRun>

namespace simdesk {

namespace {

const QString kListName = QStringLiteral("sims");
constexpr int kSearchDebounceMs = 250;

} // namespace

SimsPage::SimsPage(ConnectionSettings settings, SessionInfo session, AppSettings *appSettings,
    QWidget *parent)
    : QWidget(parent)
    , m_settings(std::move(settings))
    , m_session(std::move(session))
    , m_appSettings(appSettings)
    , m_model(m_settings)
{
    m_ui.setupUi(this);
    m_ui.simTable->setModel(&m_model);
    m_ui.simTable->setItemDelegateForColumn(SimListModel::Status, new StatusBadgeDelegate(this));
    m_ui.simTable->verticalHeader()->setDefaultSectionSize(
        m_ui.simTable->fontMetrics().height() + 10);
    QHeaderView *header = m_ui.simTable->horizontalHeader();
    header->setSectionsMovable(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setSortIndicator(-1, Qt::AscendingOrder);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics metrics(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui.simTable->setColumnWidth(SimListModel::Iccid, metrics.horizontalAdvance(QLatin1Char('0')) * 21 + 16);
    m_ui.simTable->setColumnWidth(SimListModel::Msisdn, metrics.horizontalAdvance(QLatin1Char('0')) * 16 + 16);
    m_ui.simTable->setColumnWidth(SimListModel::Imsi, metrics.horizontalAdvance(QLatin1Char('0')) * 16 + 16);
    m_ui.simTable->setColumnWidth(SimListModel::Status, 120);
    m_ui.simTable->setColumnWidth(SimListModel::Type, 90);
    m_ui.simTable->setColumnWidth(SimListModel::Customer, 200);
    m_ui.simTable->setColumnWidth(SimListModel::Tariff, 140);
    if (m_appSettings) {
        const QByteArray state = m_appSettings->viewState(QStringLiteral("simTable"));
        if (!state.isEmpty())
            header->restoreState(state);
    }
    connect(header, &QHeaderView::customContextMenuRequested, this, &SimsPage::showColumnMenu);

    // Filters.
    buildStatusMenu();
    m_ui.typeCombo->addItem(tr("All types"));
    for (SimType t : { SimType::Prepaid, SimType::Postpaid, SimType::DataOnly })
        m_ui.typeCombo->addItem(simTypeDisplayName(t), simTypeKey(t));
    m_ui.tariffCombo->addItem(tr("All tariffs"));
    m_ui.tariffCombo->addItem(tr("No tariff"), QStringLiteral("none"));
    loadTariffs();
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(kSearchDebounceMs);
    connect(&m_searchDebounce, &QTimer::timeout, this, &SimsPage::applyFilter);
    connect(m_ui.searchEdit, &QLineEdit::textEdited, this, [this] { m_searchDebounce.start(); });
    // A scanner types the digits and Enter: search at once.
    connect(m_ui.searchEdit, &QLineEdit::returnPressed, this, [this] {
        m_searchDebounce.stop();
        applyFilter();
    });
    connect(m_ui.typeCombo, &QComboBox::currentIndexChanged, this, &SimsPage::applyFilter);
    connect(m_ui.tariffCombo, &QComboBox::currentIndexChanged, this, &SimsPage::applyFilter);
    connect(m_ui.pasteListButton, &QToolButton::clicked, this, &SimsPage::pasteList);
    auto clear = [this] { setFilter({}); };
    connect(m_ui.clearFilterButton, &QToolButton::clicked, this, clear);
    connect(m_ui.emptyClearButton, &QPushButton::clicked, this, clear);
    connect(m_ui.retryButton, &QPushButton::clicked, this, [this] { setFilter(currentFilter()); });
    connect(m_ui.copyNotFoundButton, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_ui.notFoundLabel->property("identifiers").toStringList().join(QLatin1Char('\n')));
    });
    m_ui.notFoundBanner->hide();
    connect(m_ui.saveFilterButton, &QToolButton::clicked, this, &SimsPage::saveCurrentFilter);
    connect(m_ui.savedFiltersCombo, &QComboBox::activated, this, [this](int index) {
        if (index <= 0 || !m_appSettings)
            return;
        const QString name = m_ui.savedFiltersCombo->itemText(index);
        setFilter(filterFromMap(m_appSettings->savedFilters(kListName).value(name)));
    });
    loadSavedFilters();

    // The list.
    connect(&m_model, &SimListModel::totalChanged, this, [this] {
        m_exactCount = -1;
        updateFooter();
        updateSelection();
    });
    connect(&m_model, &SimListModel::loaded, this, [this] {
        updateFooter();
        restoreSelection();
    });
    connect(&m_model, &SimListModel::failed, this, [this](const Error &e) {
        m_ui.errorLabel->setText(e.message() + (e.detail.isEmpty() ? QString() : QStringLiteral("\n\n") + e.detail));
        m_ui.listStack->setCurrentWidget(m_ui.errorPage);
    });
    auto visible = [this] {
        const int first = m_ui.simTable->rowAt(0);
        const int last = m_ui.simTable->rowAt(m_ui.simTable->viewport()->height() - 1);
        m_model.setVisibleRows(qMax(0, first), last < 0 ? first + 50 : last);
    };
    connect(m_ui.simTable->verticalScrollBar(), &QScrollBar::valueChanged, this, visible);
    connect(m_ui.simTable, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (const SimListRow *row = m_model.rowAt(index.row()))
            emit openCard(row->id);
    });
    connect(m_ui.simTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &SimsPage::updateSelection);
    connect(m_ui.simTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (m_restoring)
                return;
            if (const SimListRow *row = m_model.rowAt(current.row()))
                m_currentId = row->id;
        });
    connect(m_ui.countExactlyButton, &QPushButton::clicked, this, &SimsPage::countExactly);

    // Enter opens the current card.
    auto *open = new QShortcut(QKeySequence(Qt::Key_Return), m_ui.simTable, nullptr, nullptr,
        Qt::WidgetShortcut);
    connect(open, &QShortcut::activated, this, [this] {
        if (const SimListRow *row = m_model.rowAt(m_ui.simTable->currentIndex().row()))
            emit openCard(row->id);
    });
    auto *openEnter = new QShortcut(QKeySequence(Qt::Key_Enter), m_ui.simTable, nullptr, nullptr,
        Qt::WidgetShortcut);
    connect(openEnter, &QShortcut::activated, open, &QShortcut::activated);

    // Actions by role: the database refuses the rest anyway; the list does not offer it.
    const bool support = m_session.role && *m_session.role != StaffRole::Viewer;
    const bool admin = m_session.role && *m_session.role == StaffRole::Admin;
    for (QPushButton *b : { m_ui.bulkSuspendButton, m_ui.bulkResumeButton, m_ui.bulkLostButton,
             m_ui.bulkTerminateButton, m_ui.bulkTariffButton, m_ui.selectAllMatchingButton })
        b->setVisible(support);
    m_ui.createButton->setVisible(admin);
    connect(m_ui.createButton, &QPushButton::clicked, this, &SimsPage::createRequested);
    m_ui.importButton->setVisible(admin);
    connect(m_ui.importButton, &QPushButton::clicked, this, &SimsPage::importRequested);
    connect(m_ui.exportButton, &QPushButton::clicked, this, [this] { exportCsv(); });
    const QList<QPair<QPushButton *, QString>> bulk { { m_ui.bulkSuspendButton, QStringLiteral("suspend") },
        { m_ui.bulkResumeButton, QStringLiteral("resume") },
        { m_ui.bulkLostButton, QStringLiteral("report_lost_stolen") },
        { m_ui.bulkTerminateButton, QStringLiteral("terminate") },
        { m_ui.bulkTariffButton, QStringLiteral("change_tariff") } };
    for (const auto &[button, key] : bulk) {
        const QString action = key;
        connect(button, &QPushButton::clicked, this, [this, action] { emit bulkRequested(action); });
    }
    connect(m_ui.selectAllMatchingButton, &QPushButton::clicked, this, [this] {
        m_allMatching = !m_allMatching;
        if (m_allMatching)
            m_ui.simTable->selectAll();
        updateSelection();
    });

    // The last filter of this user, or every card.
    SimListFilter initial;
    if (m_appSettings)
        initial = filterFromMap(m_appSettings->lastFilter(kListName));
    setFilter(initial);
    updateSelection();
}

SimsPage::~SimsPage()
{
    if (m_appSettings) {
        m_appSettings->setViewState(QStringLiteral("simTable"), m_ui.simTable->horizontalHeader()->saveState());
        m_appSettings->setLastFilter(kListName, filterToMap(currentFilter()));
    }
}

void SimsPage::buildStatusMenu()
{
    m_statusMenu = new QMenu(this);
    for (SimStatus s : kAllStatuses) {
        QAction *a = m_statusMenu->addAction(statusDisplayName(s));
        a->setCheckable(true);
        a->setData(statusKey(s));
        QPixmap swatch(12, 12);
        swatch.fill(statusColor(s));
        a->setIcon(QIcon(swatch));
        connect(a, &QAction::toggled, this, [this] {
            if (!m_restoring)
                applyFilter();
        });
    }
    m_ui.statusButton->setMenu(m_statusMenu);
}

void SimsPage::loadTariffs()
{
    whenReady(this,
        runWithDatabase<QList<TariffPlan>>(
            m_settings, [](QSqlDatabase db) { return TariffPlanRepository(db).list(true); }),
        [this](const Result<QList<TariffPlan>> &plans) {
            if (!plans)
                return; // the list works without the tariff filter; the error shows elsewhere
            const QVariant current = m_ui.tariffCombo->currentData();
            m_restoring = true;
            for (const TariffPlan &p : *plans)
                m_ui.tariffCombo->addItem(p.active ? p.name : tr("%1 (no longer offered)").arg(p.name), p.id);
            const int at = m_ui.tariffCombo->findData(current);
            m_ui.tariffCombo->setCurrentIndex(qMax(0, at));
            m_restoring = false;
        });
}

SimListFilter SimsPage::currentFilter() const
{
    SimListFilter f;
    for (QAction *a : m_statusMenu->actions()) {
        if (a->isChecked()) {
            if (std::optional<SimStatus> s = statusFromKey(a->data().toString()))
                f.statuses << *s;
        }
    }
    if (m_ui.typeCombo->currentIndex() > 0)
        f.type = simTypeFromKey(m_ui.typeCombo->currentData().toString());
    const QVariant tariff = m_ui.tariffCombo->currentData();
    if (tariff.toString() == QLatin1String("none"))
        f.noTariff = true;
    else if (tariff.isValid())
        f.tariffPlanId = tariff.toLongLong();
    f.search = m_ui.searchEdit->text().trimmed();
    f.identifiers = m_identifiers;
    f.iccidFirst = m_iccidFirst;
    f.iccidLast = m_iccidLast;
    f.customerId = m_customerId;
    f.importBatchId = m_importBatchId;
    f.activatedFrom = m_activatedFrom;
    f.activatedTo = m_activatedTo;
    return f;
}

void SimsPage::setControlsFrom(const SimListFilter &filter)
{
    m_restoring = true;
    for (QAction *a : m_statusMenu->actions()) {
        const std::optional<SimStatus> s = statusFromKey(a->data().toString());
        a->setChecked(s && filter.statuses.contains(*s));
    }
    m_ui.typeCombo->setCurrentIndex(filter.type ? qMax(0, m_ui.typeCombo->findData(simTypeKey(*filter.type))) : 0);
    if (filter.noTariff)
        m_ui.tariffCombo->setCurrentIndex(m_ui.tariffCombo->findData(QStringLiteral("none")));
    else if (filter.tariffPlanId)
        m_ui.tariffCombo->setCurrentIndex(qMax(0, m_ui.tariffCombo->findData(*filter.tariffPlanId)));
    else
        m_ui.tariffCombo->setCurrentIndex(0);
    m_ui.searchEdit->setText(filter.search);
    m_identifiers = filter.identifiers;
    m_iccidFirst = filter.iccidFirst;
    m_iccidLast = filter.iccidLast;
    m_customerId = filter.customerId;
    m_importBatchId = filter.importBatchId;
    m_activatedFrom = filter.activatedFrom;
    m_activatedTo = filter.activatedTo;
    m_restoring = false;
}

void SimsPage::setFilter(const SimListFilter &filter)
{
    setControlsFrom(filter);
    m_ui.notFoundBanner->setVisible(false);
    applyFilter();
}

void SimsPage::applyFilter()
{
    if (m_restoring)
        return;
    const SimListFilter f = currentFilter();
    // The status button says what it shows.
    QStringList names;
    for (SimStatus s : f.statuses)
        names << statusDisplayName(s);
    m_ui.statusButton->setText(names.isEmpty() ? tr("All statuses")
            : names.size() <= 2                 ? names.join(QStringLiteral(", "))
                                                : tr("%n statuses", nullptr, int(names.size())));
    m_selectedIds.clear();
    m_allMatching = false;
    m_ui.listStack->setCurrentWidget(m_ui.simTable);
    const SimListSort sort = m_model.sort();
    m_model.setQuery(f, sort);
    m_ui.countLabel->setText(tr("Counting…"));
    m_ui.countExactlyButton->hide();
    if (m_identifiers.isEmpty())
        m_ui.notFoundBanner->hide();
    updateSelection();
}

void SimsPage::focusSearch()
{
    m_ui.searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui.searchEdit->selectAll();
}

void SimsPage::refresh(const QSet<qint64> &changed, bool everything)
{
    m_model.refresh(everything ? QSet<qint64>() : changed);
}

void SimsPage::setActionsEnabled(bool enabled)
{
    m_actionsEnabled = enabled;
    m_ui.createButton->setEnabled(enabled);
    updateSelection();
}

void SimsPage::updateFooter()
{
    const SimListTotal total = m_model.total();
    const QLocale locale;
    const qint64 count = m_exactCount >= 0 ? m_exactCount : total.count;
    const bool exact = m_exactCount >= 0 || total.exact;
    const QString number = exact ? locale.toString(count) : tr("≈ %1").arg(locale.toString(count));
    m_ui.countLabel->setText(tr("%1 cards · %2 ms", nullptr, int(qMin<qint64>(count, 1000000)))
                                 .arg(number)
                                 .arg(m_model.lastQueryMs()));
    m_ui.countExactlyButton->setVisible(!exact);
    const bool empty = exact && count == 0 && !m_model.isLoading();
    if (m_ui.listStack->currentWidget() != m_ui.errorPage)
        m_ui.listStack->setCurrentWidget(empty ? m_ui.emptyPage : static_cast<QWidget *>(m_ui.simTable));
    m_ui.exportButton->setEnabled(count > 0);
}

void SimsPage::countExactly()
{
    m_ui.countExactlyButton->setEnabled(false);
    m_ui.countLabel->setText(tr("Counting every card…"));
    const SimListFilter f = currentFilter();
    whenReady(this,
        runWithDatabase<qint64>(
            m_settings, [f](QSqlDatabase db) { return SimListQuery(db).countExactly(f); }),
        [this](const Result<qint64> &n) {
            m_ui.countExactlyButton->setEnabled(true);
            if (n)
                m_exactCount = *n;
            updateFooter();
        });
}

void SimsPage::updateSelection()
{
    if (!m_restoring) {
        m_selectedIds.clear();
        for (const QModelIndex &i : m_ui.simTable->selectionModel()->selectedRows()) {
            if (const SimListRow *row = m_model.rowAt(i.row()))
                m_selectedIds.insert(row->id);
        }
    }
    const QLocale locale;
    const qint64 selected = m_allMatching ? m_model.total().count : m_selectedIds.size();
    m_ui.selectionLabel->setText(m_allMatching
            ? tr("All %1 cards of this filter selected").arg(locale.toString(selected))
            : selected == 0 ? tr("Select cards for a bulk action")
                            : tr("%n card(s) selected", nullptr, int(selected)));
    const bool support = m_session.role && *m_session.role != StaffRole::Viewer;
    m_ui.selectAllMatchingButton->setVisible(support && m_model.total().count > 0);
    m_ui.selectAllMatchingButton->setText(m_allMatching ? tr("Only the selected rows")
                                                        : tr("Select all %1 matching").arg(locale.toString(m_model.total().count)));
    for (QPushButton *b : { m_ui.bulkSuspendButton, m_ui.bulkResumeButton, m_ui.bulkLostButton,
             m_ui.bulkTerminateButton, m_ui.bulkTariffButton })
        b->setEnabled(m_actionsEnabled && selected > 0);
}

void SimsPage::restoreSelection()
{
    // Rows move when cards change elsewhere: select them again by id.
    if (m_selectedIds.isEmpty() && m_currentId == 0)
        return;
    m_restoring = true;
    QItemSelection selection;
    for (qint64 id : std::as_const(m_selectedIds)) {
        const int row = m_model.rowOfId(id);
        if (row >= 0)
            selection.select(m_model.index(row, 0), m_model.index(row, SimListModel::ColumnCount - 1));
    }
    QItemSelectionModel *sm = m_ui.simTable->selectionModel();
    if (!selection.isEmpty())
        sm->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (m_currentId != 0) {
        const int row = m_model.rowOfId(m_currentId);
        if (row >= 0 && sm->currentIndex().row() != row)
            sm->setCurrentIndex(m_model.index(row, 0), QItemSelectionModel::NoUpdate);
    }
    m_restoring = false;
}

QList<qint64> SimsPage::selectedIds() const
{
    return QList<qint64>(m_selectedIds.cbegin(), m_selectedIds.cend());
}

void SimsPage::pasteList()
{
    PasteListDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QStringList lines = SimListQuery::splitIdentifierList(dialog.text());
    if (lines.isEmpty())
        return;
    m_identifiers = lines;
    applyFilter();
    // Which lines match nothing: said above the list, in the order given.
    whenReady(this,
        runWithDatabase<SimListMatches>(
            m_settings, [lines](QSqlDatabase db) { return SimListQuery(db).matchIdentifiers(lines); }),
        [this, lines](const Result<SimListMatches> &m) {
            if (!m || m_identifiers != lines)
                return;
            const QLocale locale;
            if (m->notFound.isEmpty()) {
                m_ui.notFoundLabel->setText(tr("All %1 identifiers found.").arg(locale.toString(lines.size())));
            } else {
                QStringList shown = m->notFound.mid(0, 20);
                if (m->notFound.size() > shown.size())
                    shown << tr("… and %1 more").arg(locale.toString(m->notFound.size() - shown.size()));
                m_ui.notFoundLabel->setText(tr("%1 of %2 identifiers not found: %3")
                                                .arg(locale.toString(m->notFound.size()), locale.toString(lines.size()),
                                                    shown.join(QStringLiteral(", "))));
            }
            m_ui.notFoundLabel->setProperty("identifiers", m->notFound);
            m_ui.copyNotFoundButton->setVisible(!m->notFound.isEmpty());
            m_ui.notFoundBanner->show();
        });
}

void SimsPage::exportCsv(const QString &chosenPath)
{
    const QString path = !chosenPath.isEmpty() ? chosenPath
                                               : QFileDialog::getSaveFileName(this, tr("Export SIM cards"),
                                                   QStringLiteral("sim-cards.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    const SimListFilter filter = currentFilter();
    const qint64 expected = m_exactCount >= 0 ? m_exactCount : m_model.total().count;
    auto *progress = new QProgressDialog(tr("Exporting SIM cards…"), tr("Cancel"), 0,
        int(qMin<qint64>(expected, std::numeric_limits<int>::max())), this);
    progress->setObjectName(QStringLiteral("exportProgress"));
    progress->setWindowTitle(tr("Export"));
    progress->setMinimumDuration(300);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    // The worker reads the flag; the dialog's Cancel sets it.
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    connect(progress, &QProgressDialog::canceled, this, [cancelled] { *cancelled = true; });
    QPointer<QProgressDialog> dialog(progress);
    const ConnectionSettings settings = m_settings;
    auto *watcher = new QFutureWatcher<Result<qint64>>(this);
    connect(watcher, &QFutureWatcher<Result<qint64>>::finished, this, [this, watcher, dialog, path] {
        watcher->deleteLater();
        if (dialog)
            dialog->close();
        const Result<qint64> rows = watcher->result();
        if (rows)
            emit exported(path, *rows);
        else if (rows.error().code != ErrorCode::ImportCancelled)
            QMessageBox::warning(this, tr("Export"), rows.error().fullMessage());
    });
    watcher->setFuture(QtConcurrent::run([settings, filter, path, cancelled, dialog]() -> Result<qint64> {
        const QString name = Database::uniqueName(QStringLiteral("simdesk-export"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db)
            return db.error();
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return Error(ErrorCode::InvalidArgument,
                { tr("Cannot write %1: %2. Choose another place.").arg(path, file.errorString()) });
        Result<qint64> rows = ExportService(*db).exportCsv(&file, filter, [&](qint64 n) {
            QMetaObject::invokeMethod(dialog, "setValue", Qt::QueuedConnection,
                Q_ARG(int, int(qMin<qint64>(n, std::numeric_limits<int>::max()))));
            return !*cancelled;
        });
        if (!rows) {
            file.cancelWriting(); // nothing half-written is left behind
            return rows;
        }
        if (!file.commit())
            return Error(ErrorCode::InvalidArgument,
                { tr("Cannot write %1: %2. Choose another place.").arg(path, file.errorString()) });
        return rows;
    }));
    progress->show();
}

void SimsPage::loadSavedFilters()
{
    m_ui.savedFiltersCombo->clear();
    m_ui.savedFiltersCombo->addItem(tr("Saved filters"));
    if (!m_appSettings)
        return;
    const QMap<QString, QVariantMap> saved = m_appSettings->savedFilters(kListName);
    for (auto it = saved.cbegin(); it != saved.cend(); ++it)
        m_ui.savedFiltersCombo->addItem(it.key());
    m_ui.savedFiltersCombo->setEnabled(!saved.isEmpty());
}

void SimsPage::saveCurrentFilter()
{
    if (!m_appSettings)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save filter"), tr("Name of this filter:"),
        QLineEdit::Normal, QString(), &ok).trimmed();
    if (!ok || name.isEmpty())
        return;
    m_appSettings->saveFilter(kListName, name, filterToMap(currentFilter()));
    loadSavedFilters();
}

void SimsPage::showColumnMenu(const QPoint &pos)
{
    QMenu menu(this);
    QHeaderView *header = m_ui.simTable->horizontalHeader();
    for (int c = 0; c < SimListModel::ColumnCount; ++c) {
        QAction *a = menu.addAction(m_model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        // The ICCID identifies a card: it always stays.
        a->setEnabled(c != SimListModel::Iccid);
        connect(a, &QAction::toggled, header, [header, c](bool on) { header->setSectionHidden(c, !on); });
    }
    menu.exec(header->mapToGlobal(pos));
}

QVariantMap SimsPage::filterToMap(const SimListFilter &f) const
{
    QVariantMap m;
    QStringList statuses;
    for (SimStatus s : f.statuses)
        statuses << statusKey(s);
    m.insert(QStringLiteral("statuses"), statuses);
    if (f.type)
        m.insert(QStringLiteral("type"), simTypeKey(*f.type));
    if (f.noTariff)
        m.insert(QStringLiteral("tariff"), QStringLiteral("none"));
    else if (f.tariffPlanId)
        m.insert(QStringLiteral("tariff"), *f.tariffPlanId);
    if (!f.search.isEmpty())
        m.insert(QStringLiteral("search"), f.search);
    return m; // pasted lists and links from other pages are for the moment, not remembered
}

SimListFilter SimsPage::filterFromMap(const QVariantMap &m) const
{
    SimListFilter f;
    for (const QString &key : m.value(QStringLiteral("statuses")).toStringList()) {
        if (std::optional<SimStatus> s = statusFromKey(key))
            f.statuses << *s;
    }
    if (m.contains(QStringLiteral("type")))
        f.type = simTypeFromKey(m.value(QStringLiteral("type")).toString());
    const QVariant tariff = m.value(QStringLiteral("tariff"));
    if (tariff.toString() == QLatin1String("none"))
        f.noTariff = true;
    else if (tariff.isValid())
        f.tariffPlanId = tariff.toLongLong();
    f.search = m.value(QStringLiteral("search")).toString();
    return f;
}

} // namespace simdesk
