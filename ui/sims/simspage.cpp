// SPDX-License-Identifier: MIT
#include "sims/simspage.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "common/fileexport.h"
#include "common/statusstyle.h"
#include "records/customerrepository.h"
#include "records/tariffplanrepository.h"
#include "services/exportservice.h"
#include "sims/iccidrangedialog.h"
#include "sims/pastelistdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QScrollBar>
#include <QShortcut>
#include <QSignalBlocker>

namespace simdesk {

namespace {

const QString kListName = QStringLiteral("sims");
constexpr int kSearchDebounceMs = 250;

} // namespace

SimsPage::SimsPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
    , m_model(desk->connection())
{
    m_ui.setupUi(this);
    setUpTable();
    setUpSelection();
    setUpFilters();
    setUpActions();
    // Cards changed here or elsewhere: one reload, now or when the page is next shown.
    m_desk->hub()->watch(this, Topic::Cards, [this](const Change &change) { refresh(change); });
    connect(m_desk, &Desk::liveChanged, this, &SimsPage::updateActionsEnabled);

    // The last filter of this user, or every card.
    setFilter(filterFromMap(m_desk->settings()->lastFilter(kListName)));
    updateSelection();
}

SimsPage::~SimsPage()
{
    m_desk->settings()->setViewState(
        QStringLiteral("simTable"), m_ui.simTable->horizontalHeader()->saveState());
    m_desk->settings()->setLastFilter(kListName, filterToMap(m_filter));
}

void SimsPage::setUpTable()
{
    m_ui.simTable->setModel(&m_model);
    m_ui.simTable->setItemDelegateForColumn(SimListModel::Status, new StatusBadgeDelegate(this));
    m_ui.simTable->verticalHeader()->setDefaultSectionSize(
        m_ui.simTable->fontMetrics().height() + 10);
    QHeaderView *header = m_ui.simTable->horizontalHeader();
    header->setSectionsMovable(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setSortIndicator(-1, Qt::AscendingOrder);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const int digit = QFontMetrics(QFontDatabase::systemFont(QFontDatabase::FixedFont))
                          .horizontalAdvance(QLatin1Char('0'));
    m_ui.simTable->setColumnWidth(SimListModel::Iccid, digit * 21 + 16);
    m_ui.simTable->setColumnWidth(SimListModel::Msisdn, digit * 16 + 16);
    m_ui.simTable->setColumnWidth(SimListModel::Imsi, digit * 16 + 16);
    m_ui.simTable->setColumnWidth(SimListModel::Status, 120);
    m_ui.simTable->setColumnWidth(SimListModel::Type, 90);
    m_ui.simTable->setColumnWidth(SimListModel::Customer, 200);
    m_ui.simTable->setColumnWidth(SimListModel::Tariff, 140);
    // As wide as the widest date the model shows (month names differ in width), no wider.
    int dateWidth = 0;
    for (int month = 1; month <= 12; ++month)
        dateWidth = qMax(dateWidth,
            m_ui.simTable->fontMetrics().horizontalAdvance(QLocale().toString(
                QDateTime(QDate(2026, month, 28), QTime(23, 58, 58)), QLocale::ShortFormat)));
    m_ui.simTable->setColumnWidth(SimListModel::Updated, dateWidth + 24);
    const QByteArray state = m_desk->settings()->viewState(QStringLiteral("simTable"));
    if (!state.isEmpty())
        header->restoreState(state);
    // The room left goes to the names of customers, not to the last column (a date).
    header->setStretchLastSection(false);
    header->setSectionResizeMode(SimListModel::Customer, QHeaderView::Stretch);
    connect(header, &QHeaderView::customContextMenuRequested, this, &SimsPage::showColumnMenu);
    // A pasted list shows in its own order until a column title is clicked; the banner's button
    // goes back to it.
    connect(header, &QHeaderView::sortIndicatorChanged, this, &SimsPage::showPastedOrder);
    connect(m_ui.pastedOrderButton, &QToolButton::clicked, this, [this] {
        if (m_model.sort().key != SimListSortKey::Pasted)
            m_model.setQuery(m_filter, { SimListSortKey::Pasted, Qt::AscendingOrder });
        showPastedOrder();
    });

    connect(&m_model, &SimListModel::totalChanged, this, [this] {
        m_exactCount = -1;
        updateFooter();
        updateSelection();
    });
    connect(&m_model, &SimListModel::failed, this, &SimsPage::showLoadError);
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
    // Enter opens the current card.
    for (const QKeySequence &key : { QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter) }) {
        auto *open = new QShortcut(key, m_ui.simTable, nullptr, nullptr, Qt::WidgetShortcut);
        connect(open, &QShortcut::activated, this, [this] {
            if (const SimListRow *row = m_model.rowAt(m_ui.simTable->currentIndex().row()))
                emit openCard(row->id);
        });
    }
}

void SimsPage::showPastedOrder()
{
    const bool pasted
        = m_model.sort().key == SimListSortKey::Pasted && !m_filter.identifiers.isEmpty();
    QHeaderView *header = m_ui.simTable->horizontalHeader();
    if (pasted && header->sortIndicatorSection() != -1) {
        const QSignalBlocker block(header);
        header->setSortIndicator(-1, Qt::AscendingOrder);
        header->viewport()->update();
    }
    // Checked, it says which order is shown (and clicking it again keeps that order).
    m_ui.pastedOrderButton->setChecked(pasted);
}

void SimsPage::setUpSelection()
{
    // Rows that come and go with a reload move the view's selection by row number: the model
    // does that, not the user, and the selection by id is put back once the rows are there.
    for (auto begin : { &SimListModel::rowsAboutToBeInserted, &SimListModel::rowsAboutToBeRemoved })
        connect(&m_model, begin, this, [this] { m_settingSelection = true; });
    for (auto end : { &SimListModel::rowsInserted, &SimListModel::rowsRemoved })
        connect(&m_model, end, this, [this] {
            m_settingSelection = false;
            restoreSelection();
        });
    connect(&m_model, &SimListModel::loaded, this, [this] {
        if (const SimListRow *row = m_model.rowAt(m_currentRowPending)) {
            m_currentId = row->id;
            m_currentRowPending = -1;
        }
        for (auto it = m_selectedRowsPending.begin(); it != m_selectedRowsPending.end();) {
            const SimListRow *row = m_model.rowAt(*it);
            if (row)
                m_selectedIds.insert(row->id);
            it = row ? m_selectedRowsPending.erase(it) : std::next(it);
        }
        updateFooter();
        restoreSelection();
    });
    connect(m_ui.simTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &SimsPage::readSelection);
    connect(m_ui.simTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (m_settingSelection)
                return;
            // A row not loaded yet (Ctrl+End) has no id: it is taken when its block arrives,
            // and the current row is not moved back to the card before meanwhile.
            const SimListRow *row = m_model.rowAt(current.row());
            m_currentId = row ? row->id : 0;
            m_currentRowPending = row ? -1 : current.row();
        });
}

void SimsPage::setUpFilters()
{
    buildStatusMenu();
    m_ui.typeCombo->addItem(tr("All types"));
    for (SimType t : kAllSimTypes)
        m_ui.typeCombo->addItem(simTypeDisplayName(t), simTypeKey(t));
    m_ui.tariffCombo->addItem(tr("All tariffs"));
    m_ui.tariffCombo->addItem(tr("No tariff"), QStringLiteral("none"));
    loadTariffs();
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(kSearchDebounceMs);
    connect(&m_searchDebounce, &QTimer::timeout, this, &SimsPage::readControls);
    connect(m_ui.searchEdit, &QLineEdit::textEdited, this, [this] { m_searchDebounce.start(); });
    // A scanner types the digits and Enter: search at once.
    connect(m_ui.searchEdit, &QLineEdit::returnPressed, this, [this] {
        m_searchDebounce.stop();
        readControls();
    });
    connect(m_ui.typeCombo, &QComboBox::currentIndexChanged, this, &SimsPage::readControls);
    connect(m_ui.tariffCombo, &QComboBox::currentIndexChanged, this, &SimsPage::readControls);
    connect(m_ui.pasteListButton, &QToolButton::clicked, this, &SimsPage::pasteList);
    connect(m_ui.iccidRangeButton, &QToolButton::clicked, this, &SimsPage::chooseIccidRange);
    auto clear = [this] {
        setFilter({});
    };
    connect(m_ui.clearFilterButton, &QToolButton::clicked, this, clear);
    connect(m_ui.emptyClearButton, &QPushButton::clicked, this, clear);
    // The message in words, what the server or libpq said under Details, and Retry.
    connect(m_ui.loadErrorView, &ErrorView::reloadRequested, this, &SimsPage::applyFilter);
    connect(m_ui.copyNotFoundButton, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(
            m_ui.notFoundLabel->property("identifiers").toStringList().join(QLatin1Char('\n')));
    });
    m_ui.notFoundBanner->hide();
    connect(m_ui.saveFilterButton, &QToolButton::clicked, this, &SimsPage::saveCurrentFilter);
    // Rename and Delete act on the saved filter the combo shows.
    auto *savedMenu = new QMenu(this);
    savedMenu->addAction(m_ui.renameFilterAction);
    savedMenu->addAction(m_ui.deleteFilterAction);
    m_ui.saveFilterButton->setMenu(savedMenu);
    m_ui.saveFilterButton->setPopupMode(QToolButton::MenuButtonPopup);
    connect(m_ui.renameFilterAction, &QAction::triggered, this, &SimsPage::renameSavedFilter);
    connect(m_ui.deleteFilterAction, &QAction::triggered, this, &SimsPage::deleteSavedFilter);
    // Down from the search goes into the results.
    m_ui.searchEdit->installEventFilter(this);
    connect(m_ui.savedFiltersCombo, &QComboBox::activated, this, [this](int index) {
        if (index <= 0)
            return;
        const QString name = m_ui.savedFiltersCombo->itemText(index);
        setFilter(filterFromMap(m_desk->settings()->savedFilters(kListName).value(name)));
    });
    loadSavedFilters();
    connect(m_ui.countExactlyButton, &QPushButton::clicked, this, &SimsPage::countExactly);
}

void SimsPage::setUpActions()
{
    // Only what the role may do is offered: the database refuses the rest anyway.
    const std::pair<QPushButton *, CardAction> bulk[] = {
        { m_ui.bulkSuspendButton, CardAction::Suspend },
        { m_ui.bulkResumeButton, CardAction::Resume },
        { m_ui.bulkLostButton, CardAction::ReportLostStolen },
        { m_ui.bulkTerminateButton, CardAction::Terminate },
        { m_ui.bulkTariffButton, CardAction::ChangeTariff },
    };
    for (const auto &[button, action] : bulk) {
        Q_ASSERT(cardActionIsBulk(action));
        button->setVisible(m_desk->roleAllows(cardActionRole(action)));
        button->setProperty("cardAction", QVariant::fromValue(action));
        const CardAction a = action;
        connect(button, &QPushButton::clicked, this, [this, a] { emit bulkRequested(a); });
    }
    m_ui.selectAllMatchingButton->setVisible(m_desk->roleAllows(StaffRole::Support));
    const bool admin = m_desk->roleAllows(StaffRole::Admin);
    m_ui.createButton->setVisible(admin);
    connect(m_ui.createButton, &QPushButton::clicked, this, &SimsPage::createRequested);
    m_ui.importButton->setVisible(admin);
    connect(m_ui.importButton, &QPushButton::clicked, this, &SimsPage::importRequested);
    connect(m_ui.exportButton, &QPushButton::clicked, this, [this] { exportCsv(); });
    // "Only the selected rows" goes back to the rows the user chose before, by id.
    connect(m_ui.selectAllMatchingButton, &QPushButton::clicked, this, [this] {
        m_allMatching = !m_allMatching;
        m_selectionNote.clear();
        restoreSelection();
        updateSelection();
    });
}

void SimsPage::buildStatusMenu()
{
    m_statusMenu = new QMenu(this);
    for (SimStatus s : kAllStatuses) {
        QAction *a = m_statusMenu->addAction(statusDisplayName(s));
        a->setCheckable(true);
        a->setData(statusKey(s));
        // No colour swatch: an icon takes the place of the check box in most styles, and the
        // checked state is what this menu is for.
        connect(a, &QAction::toggled, this, &SimsPage::readControls);
    }
    m_ui.statusButton->setMenu(m_statusMenu);
    // Several statuses are picked in one go: a click toggles one and the menu stays open.
    m_statusMenu->installEventFilter(this);
}

bool SimsPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_statusMenu && event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (QAction *a = m_statusMenu->actionAt(mouse->position().toPoint())) {
            a->trigger();
            return true;
        }
    }
    if (watched == m_ui.searchEdit && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_model.rowCount() > 0) {
        m_ui.simTable->setFocus(Qt::TabFocusReason);
        if (!m_ui.simTable->currentIndex().isValid())
            m_ui.simTable->selectRow(0);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void SimsPage::loadTariffs()
{
    m_desk->runner()->run<QList<TariffPlan>>(
        this, [](QSqlDatabase db) { return TariffPlanRepository(db).list(true); },
        [this](const Result<QList<TariffPlan>> &plans) {
            if (!plans)
                return; // the list works without the tariff filter; the error shows elsewhere
            m_restoring = true;
            for (const TariffPlan &p : *plans)
                m_ui.tariffCombo->addItem(
                    p.active ? p.name : tr("%1 (no longer offered)").arg(p.name), p.id);
            m_restoring = false;
            showFilterInControls(); // a filter set before the plans came names one of them
        });
}

void SimsPage::readControls()
{
    if (m_restoring)
        return;
    m_filter.statuses.clear();
    for (QAction *a : m_statusMenu->actions()) {
        if (a->isChecked()) {
            if (std::optional<SimStatus> s = statusFromKey(a->data().toString()))
                m_filter.statuses << *s;
        }
    }
    m_filter.type = m_ui.typeCombo->currentIndex() > 0
        ? simTypeFromKey(m_ui.typeCombo->currentData().toString())
        : std::nullopt;
    const QVariant tariff = m_ui.tariffCombo->currentData();
    m_filter.noTariff = tariff.toString() == QLatin1String("none");
    m_filter.tariffPlanId = tariff.isValid() && !m_filter.noTariff
        ? std::optional<qint64>(tariff.toLongLong())
        : std::nullopt;
    m_filter.search = m_ui.searchEdit->text().trimmed();
    applyFilter();
}

void SimsPage::showFilterInControls()
{
    m_restoring = true;
    for (QAction *a : m_statusMenu->actions()) {
        const std::optional<SimStatus> s = statusFromKey(a->data().toString());
        a->setChecked(s && m_filter.statuses.contains(*s));
    }
    m_ui.typeCombo->setCurrentIndex(
        m_filter.type ? qMax(0, m_ui.typeCombo->findData(simTypeKey(*m_filter.type))) : 0);
    const int tariff = m_filter.noTariff ? m_ui.tariffCombo->findData(QStringLiteral("none"))
        : m_filter.tariffPlanId          ? m_ui.tariffCombo->findData(*m_filter.tariffPlanId)
                                         : 0;
    m_ui.tariffCombo->setCurrentIndex(qMax(0, tariff));
    if (m_ui.searchEdit->text().trimmed() != m_filter.search)
        m_ui.searchEdit->setText(m_filter.search);
    QStringList names;
    for (SimStatus s : std::as_const(m_filter.statuses))
        names << statusDisplayName(s);
    m_ui.statusButton->setText(names.isEmpty() ? tr("All statuses")
            : names.size() <= 2                ? names.join(QStringLiteral(", "))
                                               : tr("%n statuses", nullptr, int(names.size())));
    showFilterChips();
    showSavedFilterName();
    m_restoring = false;
}

QList<SimsPage::Chip> SimsPage::filterChips() const
{
    const QLocale locale;
    auto day = [&locale](const QDateTime &t) {
        return locale.toString(t.toLocalTime().date(), QLocale::ShortFormat);
    };
    QList<Chip> chips;
    const SimListFilter &f = m_filter;
    if (f.customerId) {
        const QString number = m_customerNumbers.value(*f.customerId);
        chips.append({ QStringLiteral("customer"),
            number.isEmpty() ? tr("Customer #%1").arg(*f.customerId)
                             : tr("Customer %1").arg(number),
            [](SimListFilter &g) {
                g.customerId.reset();
            } });
    }
    if (f.importBatchId)
        chips.append({ QStringLiteral("importBatch"), tr("Import batch %1").arg(*f.importBatchId),
            [](SimListFilter &g) {
                g.importBatchId.reset();
            } });
    if (f.activatedFrom.isValid() || f.activatedTo.isValid()) {
        // The end is exclusive: the last day shown is the one before it.
        const QString from = f.activatedFrom.isValid() ? day(f.activatedFrom) : QString();
        const QString to = f.activatedTo.isValid() ? day(f.activatedTo.addMSecs(-1)) : QString();
        chips.append({ QStringLiteral("activated"),
            from.isEmpty()     ? tr("Activated until %1").arg(to)
                : to.isEmpty() ? tr("Activated from %1").arg(from)
                : from == to   ? tr("Activated %1").arg(from)
                               : tr("Activated %1 – %2").arg(from, to),
            [](SimListFilter &g) {
                g.activatedFrom = g.activatedTo = {};
            } });
    }
    if (f.changedSince.isValid())
        chips.append({ QStringLiteral("changedSince"),
            tr("Changed since %1")
                .arg(locale.toString(f.changedSince.toLocalTime(), QLocale::ShortFormat)),
            [](SimListFilter &g) {
                g.changedSince = {};
            } });
    if (!f.identifiers.isEmpty())
        chips.append({ QStringLiteral("identifiers"),
            tr("Pasted list of %n identifier(s)", nullptr, int(f.identifiers.size())),
            [](SimListFilter &g) {
                g.identifiers.clear();
            } });
    if (!f.iccidFirst.isEmpty() || !f.iccidLast.isEmpty())
        chips.append({ QStringLiteral("iccidRange"),
            f.iccidLast.isEmpty()        ? tr("ICCID from %1").arg(f.iccidFirst)
                : f.iccidFirst.isEmpty() ? tr("ICCID up to %1").arg(f.iccidLast)
                                         : tr("ICCID %1 – %2").arg(f.iccidFirst, f.iccidLast),
            [](SimListFilter &g) {
                g.iccidFirst.clear(), g.iccidLast.clear();
            } });
    return chips;
}

void SimsPage::showFilterChips()
{
    // The parts of the filter no control shows (links from other pages, a pasted list): each
    // one a chip that says what it is and removes it, so nothing limits the list unseen.
    QHBoxLayout *layout = m_ui.chipLayout;
    // Later: a chip's own click may be what changed the filter.
    for (QToolButton *old : m_ui.chipBar->findChildren<QToolButton *>(Qt::FindDirectChildrenOnly)) {
        old->hide();
        old->setObjectName({});
        old->setParent(nullptr);
        old->deleteLater();
    }
    const QList<Chip> chips = filterChips();
    for (const Chip &chip : chips) {
        auto *button = new QToolButton(m_ui.chipBar);
        button->setObjectName(QStringLiteral("chip_") + chip.key);
        button->setText(tr("%1  ×").arg(chip.text));
        button->setToolTip(tr("Remove this part of the filter"));
        layout->insertWidget(layout->count() - 1, button);
        const auto remove = chip.remove;
        connect(button, &QToolButton::clicked, this, [this, remove] {
            SimListFilter filter = m_filter;
            remove(filter);
            setFilter(filter);
        });
    }
    m_ui.chipBar->setVisible(!chips.isEmpty());
    if (m_filter.customerId && !m_customerNumbers.contains(*m_filter.customerId))
        loadCustomerNumber(*m_filter.customerId);
}

void SimsPage::loadCustomerNumber(qint64 id)
{
    m_customerNumbers.insert(id, QString()); // asked once
    m_desk->runner()->run<Customer>(
        this, [id](QSqlDatabase db) { return CustomerRepository(db).find(id); },
        [this, id](const Result<Customer> &customer) {
            if (!customer)
                return; // the chip keeps the id
            m_customerNumbers.insert(id, customer->customerNo);
            if (m_filter.customerId == id)
                showFilterChips();
        });
}

void SimsPage::setFilter(const SimListFilter &filter)
{
    m_filter = filter;
    m_ui.notFoundBanner->setVisible(false);
    applyFilter();
}

void SimsPage::applyFilter()
{
    showFilterInControls();
    m_selectedIds.clear();
    m_selectedRowsPending.clear();
    m_allMatching = false;
    m_selectionNote.clear();
    m_currentRowPending = -1;
    m_ui.listStack->setCurrentWidget(m_ui.simTable);
    // A newly pasted list starts in its own order; without one that order means nothing.
    SimListSort sort = m_model.sort();
    if (!m_filter.identifiers.isEmpty() && m_filter.identifiers != m_model.filter().identifiers)
        sort = { SimListSortKey::Pasted, Qt::AscendingOrder };
    else if (m_filter.identifiers.isEmpty() && sort.key == SimListSortKey::Pasted)
        sort = {};
    m_model.setQuery(m_filter, sort);
    showPastedOrder();
    m_ui.countLabel->setText(tr("Counting…"));
    m_ui.countExactlyButton->hide();
    if (m_filter.identifiers.isEmpty())
        m_ui.notFoundBanner->hide();
    updateSelection();
}

void SimsPage::focusSearch()
{
    m_ui.searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui.searchEdit->selectAll();
}

void SimsPage::refresh(const Change &change)
{
    // A list that failed (the connection was lost) has nothing to keep: read it again whole.
    if (m_ui.listStack->currentWidget() == m_ui.errorPage) {
        applyFilter();
        return;
    }
    m_model.refresh(change.everything ? QSet<qint64>() : change.ids);
}

void SimsPage::showLoadError(const Error &error)
{
    m_ui.loadErrorView->showLoadError(error);
    m_ui.listStack->setCurrentWidget(m_ui.errorPage);
    // Nothing of the list can be trusted now: no count, and no selection a bulk action could
    // take (the rows behind it are not shown). Reading the list again starts from its filter.
    m_ui.countLabel->setText(tr("Not loaded"));
    m_ui.countExactlyButton->hide();
    m_ui.exportButton->setEnabled(false);
    m_allMatching = false;
    m_ui.simTable->clearSelection();
    m_selectedIds.clear();
    updateSelection();
}

void SimsPage::updateActionsEnabled()
{
    m_ui.createButton->setEnabled(m_desk->isLive());
    m_ui.importButton->setEnabled(m_desk->isLive());
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
        m_ui.listStack->setCurrentWidget(
            empty ? m_ui.emptyPage : static_cast<QWidget *>(m_ui.simTable));
    m_ui.exportButton->setEnabled(count > 0);
}

void SimsPage::countExactly()
{
    m_ui.countExactlyButton->setEnabled(false);
    m_ui.countLabel->setText(tr("Counting every card…"));
    const SimListFilter f = m_filter;
    m_desk->runner()->run<qint64>(
        this, [f](QSqlDatabase db) { return SimListQuery(db).countExactly(f); },
        [this](const Result<qint64> &n) {
            m_ui.countExactlyButton->setEnabled(true);
            if (n)
                m_exactCount = *n;
            updateFooter();
        });
}

void SimsPage::readSelection()
{
    if (m_settingSelection)
        return;
    // The user chose rows: that is the selection now, also after "all matching".
    m_allMatching = false;
    m_selectionNote.clear();
    m_selectedIds.clear();
    m_selectedRowsPending.clear();
    for (const QModelIndex &i : m_ui.simTable->selectionModel()->selectedRows()) {
        if (const SimListRow *row = m_model.rowAt(i.row()))
            m_selectedIds.insert(row->id);
        else
            m_selectedRowsPending.insert(i.row()); // its id comes with its block
    }
    updateSelection();
}

void SimsPage::clearSelectionAfterBulkAction(int changed)
{
    // The cards of the filter are not the ones the action was chosen for any more: a second
    // action must be chosen again, not inherit rows that moved under the selection.
    m_allMatching = false;
    m_selectedIds.clear();
    m_selectedRowsPending.clear();
    restoreSelection();
    m_selectionNote = tr("Selection cleared (%n card(s) changed)", nullptr, changed);
    updateSelection();
}

void SimsPage::updateSelection()
{
    const QLocale locale;
    const bool failed = m_ui.listStack->currentWidget() == m_ui.errorPage;
    const qint64 matching = failed ? 0 : m_model.total().count;
    const qint64 selected
        = m_allMatching ? matching : m_selectedIds.size() + m_selectedRowsPending.size();
    m_ui.selectionLabel->setText(m_allMatching
            ? tr("All %1 cards of this filter selected").arg(locale.toString(selected))
            : selected == 0
            ? (m_selectionNote.isEmpty() ? tr("Select cards for a bulk action") : m_selectionNote)
            : tr("%n card(s) selected", nullptr, int(selected)));
    m_ui.selectAllMatchingButton->setVisible(
        m_desk->roleAllows(StaffRole::Support) && matching > 0);
    m_ui.selectAllMatchingButton->setText(m_allMatching
            ? tr("Only the selected rows")
            : tr("Select all %1 matching").arg(locale.toString(matching)));
    for (QPushButton *b : { m_ui.bulkSuspendButton, m_ui.bulkResumeButton, m_ui.bulkLostButton,
             m_ui.bulkTerminateButton, m_ui.bulkTariffButton })
        b->setEnabled(m_desk->isLive() && selected > 0 && !failed);
}

void SimsPage::restoreSelection()
{
    // Rows move when cards change elsewhere: select them again by id, and nothing else.
    if (m_settingSelection)
        return;
    m_settingSelection = true;
    QItemSelection selection;
    for (int row : std::as_const(m_selectedRowsPending))
        selection.select(m_model.index(row, 0), m_model.index(row, SimListModel::ColumnCount - 1));
    for (qint64 id : std::as_const(m_selectedIds)) {
        const int row = m_model.rowOfId(id);
        if (row >= 0)
            selection.select(
                m_model.index(row, 0), m_model.index(row, SimListModel::ColumnCount - 1));
    }
    QItemSelectionModel *sm = m_ui.simTable->selectionModel();
    if (m_allMatching)
        m_ui.simTable->selectAll();
    else if (!selection.isEmpty())
        sm->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    else if (sm->hasSelection())
        sm->clearSelection();
    if (m_currentId != 0) {
        const int row = m_model.rowOfId(m_currentId);
        if (row >= 0 && sm->currentIndex().row() != row)
            sm->setCurrentIndex(m_model.index(row, 0), QItemSelectionModel::NoUpdate);
    }
    m_settingSelection = false;
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
    m_filter.identifiers = lines;
    applyFilter();
    // Which lines match nothing: said above the list, in the order given.
    m_desk->runner()->run<SimListMatches>(
        this, [lines](QSqlDatabase db) { return SimListQuery(db).matchIdentifiers(lines); },
        [this, lines](const Result<SimListMatches> &m) {
            if (m && m_filter.identifiers == lines)
                showNotFound(lines, m->notFound);
        });
}

void SimsPage::chooseIccidRange()
{
    IccidRangeDialog dialog(this);
    dialog.setObjectName(QStringLiteral("iccidRangeDialog"));
    dialog.setRange(m_filter.iccidFirst, m_filter.iccidLast);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_filter.iccidFirst = dialog.first();
    m_filter.iccidLast = dialog.last();
    applyFilter(); // shown as a chip, removed there or by Clear
}

void SimsPage::showNotFound(const QStringList &lines, const QStringList &notFound)
{
    const QLocale locale;
    if (notFound.isEmpty()) {
        m_ui.notFoundLabel->setText(
            tr("All %1 identifiers found.").arg(locale.toString(lines.size())));
    } else {
        QStringList shown = notFound.mid(0, 20);
        if (notFound.size() > shown.size())
            shown << tr("… and %1 more").arg(locale.toString(notFound.size() - shown.size()));
        m_ui.notFoundLabel->setText(
            tr("%1 of %2 identifiers not found: %3")
                .arg(locale.toString(notFound.size()), locale.toString(lines.size()),
                    shown.join(QStringLiteral(", "))));
    }
    m_ui.notFoundLabel->setProperty("identifiers", notFound);
    m_ui.copyNotFoundButton->setVisible(!notFound.isEmpty());
    m_ui.notFoundBanner->show();
}

void SimsPage::exportCsv(const QString &chosenPath, CsvFlavour chosenFlavour)
{
    QString path = chosenPath;
    CsvFlavour flavour = chosenFlavour;
    if (path.isEmpty()) {
        // The two kinds of file differ only in their cells: the dialog's file type says which.
        const QString forImport = tr("CSV that imports again as is (*.csv)");
        const QString forSpreadsheet
            = tr("CSV for a spreadsheet, no cell read as a formula (*.csv)");
        QString chosen = forImport;
        path = QFileDialog::getSaveFileName(this, tr("Export SIM cards"),
            QStringLiteral("sim-cards.csv"), forImport + QStringLiteral(";;") + forSpreadsheet,
            &chosen);
        flavour = chosen == forSpreadsheet ? CsvFlavour::SpreadsheetSafe : CsvFlavour::Reimportable;
    }
    if (path.isEmpty())
        return;
    const SimListFilter filter = m_filter;
    const qint64 expected = m_exactCount >= 0 ? m_exactCount : m_model.total().count;
    exportToFile(
        this, m_desk, path, tr("Exporting SIM cards…"), expected,
        [filter, flavour](
            QSqlDatabase db, QIODevice *out, const std::function<bool(qint64)> &rowsSoFar) {
            return ExportService(db).exportCsv(out, filter, rowsSoFar, flavour);
        },
        [this, path](qint64 rows) { emit exported(path, rows); });
}

void SimsPage::loadSavedFilters()
{
    m_ui.savedFiltersCombo->clear();
    m_ui.savedFiltersCombo->addItem(tr("Saved filters"));
    const QMap<QString, QVariantMap> saved = m_desk->settings()->savedFilters(kListName);
    for (auto it = saved.cbegin(); it != saved.cend(); ++it)
        m_ui.savedFiltersCombo->addItem(it.key());
    m_ui.savedFiltersCombo->setEnabled(!saved.isEmpty());
}

void SimsPage::saveCurrentFilter()
{
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Save filter"), tr("Name of this filter:"), QLineEdit::Normal, QString(), &ok)
                             .trimmed();
    if (!ok || name.isEmpty())
        return;
    m_desk->settings()->saveFilter(kListName, name, filterToMap(m_filter));
    loadSavedFilters();
    m_ui.savedFiltersCombo->setCurrentIndex(m_ui.savedFiltersCombo->findText(name));
}

void SimsPage::showSavedFilterName()
{
    // The combo names the saved filter only while the list shows it.
    QComboBox *combo = m_ui.savedFiltersCombo;
    const QMap<QString, QVariantMap> saved = m_desk->settings()->savedFilters(kListName);
    // Compared as filters: the settings give lists and numbers back in their own types.
    if (combo->currentIndex() > 0
        && filterToMap(filterFromMap(saved.value(combo->currentText()))) != filterToMap(m_filter))
        combo->setCurrentIndex(0);
    m_ui.renameFilterAction->setEnabled(combo->currentIndex() > 0);
    m_ui.deleteFilterAction->setEnabled(combo->currentIndex() > 0);
}

void SimsPage::renameSavedFilter()
{
    const QString old = m_ui.savedFiltersCombo->currentText();
    if (m_ui.savedFiltersCombo->currentIndex() <= 0)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Rename filter"), tr("New name of “%1”:").arg(old), QLineEdit::Normal, old, &ok)
                             .trimmed();
    if (!ok || name.isEmpty() || name == old)
        return;
    AppSettings *settings = m_desk->settings();
    settings->saveFilter(kListName, name, settings->savedFilters(kListName).value(old));
    settings->removeFilter(kListName, old);
    loadSavedFilters();
    m_ui.savedFiltersCombo->setCurrentIndex(m_ui.savedFiltersCombo->findText(name));
    showSavedFilterName();
}

void SimsPage::deleteSavedFilter()
{
    if (m_ui.savedFiltersCombo->currentIndex() <= 0)
        return;
    m_desk->settings()->removeFilter(kListName, m_ui.savedFiltersCombo->currentText());
    loadSavedFilters(); // the list keeps its filter; only its name goes
    showSavedFilterName();
}

void SimsPage::showColumnMenu(const QPoint &pos)
{
    QMenu menu(this);
    QHeaderView *header = m_ui.simTable->horizontalHeader();
    for (int c = 0; c < SimListModel::ColumnCount; ++c) {
        QAction *a
            = menu.addAction(m_model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        // The ICCID identifies a card: it always stays.
        a->setEnabled(c != SimListModel::Iccid);
        connect(a, &QAction::toggled, header,
            [header, c](bool on) { header->setSectionHidden(c, !on); });
    }
    menu.exec(header->mapToGlobal(pos));
}

QVariantMap SimsPage::filterToMap(const SimListFilter &f)
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

SimListFilter SimsPage::filterFromMap(const QVariantMap &m)
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
