// SPDX-License-Identifier: MIT
#include "customers/customerspage.h"

#include "common/desk.h"
#include "common/errorview.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QShortcut>

namespace simdesk {

namespace {

// Short enough to feel immediate, long enough that a fast typist's keys make one search.
constexpr int kSearchDebounceMs = 150;

} // namespace

CustomersPage::CustomersPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
    , m_model(desk->connection())
{
    m_ui.setupUi(this);
    setUpTable();
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(kSearchDebounceMs);
    connect(&m_searchDebounce, &QTimer::timeout, this, &CustomersPage::applySearch);
    connect(m_ui.searchEdit, &QLineEdit::textChanged, this, [this] { m_searchDebounce.start(); });
    // Enter in the search opens the first (or the current) customer; Down moves into the list.
    m_ui.searchEdit->installEventFilter(this);
    m_ui.customerTable->installEventFilter(this);
    auto *find = new QShortcut(QKeySequence::Find, this, this, &CustomersPage::focusSearch,
        Qt::WidgetWithChildrenShortcut);
    Q_UNUSED(find)
    const bool mayCreate = m_desk->roleAllows(StaffRole::Support);
    m_ui.newButton->setVisible(mayCreate);
    if (mayCreate) {
        new QShortcut(QKeySequence::New, this, this, &CustomersPage::createRequested,
            Qt::WidgetWithChildrenShortcut);
    }
    connect(m_ui.newButton, &QPushButton::clicked, this, &CustomersPage::createRequested);
    connect(m_desk, &Desk::liveChanged, m_ui.newButton, &QWidget::setEnabled);
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, &CustomersPage::refresh);
    // Customers change here and elsewhere; card changes move their counts.
    m_desk->hub()->watch(this, Topic::Customers, [this](const Change &) { refresh(); });
    m_desk->hub()->watch(this, Topic::Cards, [this](const Change &) { refresh(); });
}

void CustomersPage::showEvent(QShowEvent *event)
{
    // The list's connection and first page only when someone looks: most windows never do.
    if (!m_started) {
        m_started = true;
        applySearch();
    }
    QWidget::showEvent(event);
}

void CustomersPage::setUpTable()
{
    QTableView *table = m_ui.customerTable;
    table->setModel(&m_model);
    table->horizontalHeader()->setSortIndicator(CustomerListModel::Name, Qt::AscendingOrder);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Fits 1024 pixels wide: the name takes what the others leave.
    table->horizontalHeader()->setSectionResizeMode(CustomerListModel::Name, QHeaderView::Stretch);
    table->setColumnWidth(CustomerListModel::Number, 75);
    table->setColumnWidth(CustomerListModel::Company, 115);
    table->setColumnWidth(CustomerListModel::Email, 150);
    table->setColumnWidth(CustomerListModel::Phone, 110);
    table->setColumnWidth(CustomerListModel::Cards, 58);
    table->setColumnWidth(CustomerListModel::ActiveCards, 60);
    table->setColumnWidth(CustomerListModel::Created, 88);
    // E-mail and phone have no sort order of their own: clicking them keeps the current one.
    connect(table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
        [this, table](int column, Qt::SortOrder) {
            if (!CustomerListModel::sortKeyOf(column)) {
                const CustomerSort s = m_model.customerSort();
                for (int c = 0; c < CustomerListModel::ColumnCount; ++c) {
                    if (CustomerListModel::sortKeyOf(c) == s.key) {
                        const QSignalBlocker block(table->horizontalHeader());
                        table->horizontalHeader()->setSortIndicator(c, s.order);
                    }
                }
            }
        });
    connect(table, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const CustomerListRow *row = m_model.rowAt(index.row()))
            emit openCustomer(row->id);
    });
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (const CustomerListRow *row = m_model.rowAt(current.row()))
                m_currentId = row->id;
        });
    connect(&m_model, &CustomerListModel::totalChanged, this, &CustomersPage::updateFooter);
    connect(&m_model, &CustomerListModel::loaded, this, [this] {
        m_ui.errorView->clear();
        restoreCurrent();
        updateFooter();
        if (std::exchange(m_openWhenLoaded, false)) {
            if (const CustomerListRow *row = m_model.rowAt(0))
                emit openCustomer(row->id);
        }
    });
    connect(&m_model, &CustomerListModel::failed, this,
        [this](const Error &e) { m_ui.errorView->showLoadError(e); });
}

void CustomersPage::focusSearch()
{
    m_ui.searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui.searchEdit->selectAll();
}

void CustomersPage::setSearch(const QString &text)
{
    m_ui.searchEdit->setText(text);
    m_started = true;
    applySearch();
}

void CustomersPage::applySearch()
{
    m_searchDebounce.stop();
    m_model.setQuery(m_ui.searchEdit->text(), m_model.customerSort());
}

void CustomersPage::refresh()
{
    if (m_started)
        m_model.refresh();
}

void CustomersPage::restoreCurrent()
{
    QTableView *table = m_ui.customerTable;
    int row = m_currentId ? m_model.rowOfId(m_currentId) : -1;
    // Kept by id: after a new search the first match is current unless the old one is still there.
    if (row < 0 && m_model.rowCount() > 0 && !table->currentIndex().isValid())
        row = 0;
    if (row >= 0 && row != table->currentIndex().row()) {
        const QModelIndex index = m_model.index(row, CustomerListModel::Name);
        table->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
}

void CustomersPage::updateFooter()
{
    const CustomerListTotal total = m_model.total();
    // Worded so that no plural form is needed.
    const QString n = QLocale().toString(total.count);
    m_ui.countLabel->setText(
        total.exact ? tr("Customers: %1").arg(n) : tr("Customers: ≈ %1 (estimated)").arg(n));
}

bool CustomersPage::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (watched == m_ui.searchEdit && (key == Qt::Key_Down || key == Qt::Key_PageDown)) {
            m_ui.customerTable->setFocus();
            return true;
        }
        if (watched == m_ui.searchEdit && (key == Qt::Key_Return || key == Qt::Key_Enter)) {
            // Typed faster than the search ran: open the first match of what was typed.
            if (m_searchDebounce.isActive() || m_model.isLoading()) {
                m_openWhenLoaded = true;
                if (m_searchDebounce.isActive())
                    applySearch();
                return true;
            }
            const QModelIndex current = m_ui.customerTable->currentIndex();
            if (const CustomerListRow *row = m_model.rowAt(current.isValid() ? current.row() : 0))
                emit openCustomer(row->id);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace simdesk
