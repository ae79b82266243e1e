// SPDX-License-Identifier: MIT
#include "customers/customerlistmodel.h"

#include <QLocale>

namespace simdesk {

CustomerListModel::CustomerListModel(ConnectionSettings settings, QObject *parent)
    : QAbstractTableModel(parent)
    , m_loader(std::move(settings))
{
    connect(&m_loader, &CustomerListLoader::pageLoaded, this,
        [this](quint64 generation, bool first, const CustomerListPage &page, qint64) {
            onPage(generation, first, page);
        });
    connect(&m_loader, &CustomerListLoader::totalLoaded, this,
        [this](quint64 generation, const CustomerListTotal &total) {
            if (generation != m_generation)
                return;
            m_total = total;
            emit totalChanged(total);
        });
    connect(&m_loader, &CustomerListLoader::failed, this,
        [this](quint64 generation, const Error &error) {
            if (generation != m_generation)
                return;
            m_loading = false;
            emit failed(error);
        });
}

void CustomerListModel::setQuery(const QString &search, const CustomerSort &sort)
{
    m_search = search;
    m_sort = sort;
    start(kPageSize);
}

void CustomerListModel::refresh()
{
    // As many rows as are shown, in one page: the view keeps its place.
    start(std::max(kPageSize, int(m_rows.size())));
}

void CustomerListModel::start(int size)
{
    ++m_generation;
    m_loading = true;
    CustomerListRequest page { m_generation, m_search, m_sort, false, size, std::nullopt };
    m_loader.request(page);
    CustomerListRequest total = page;
    total.wantTotal = true;
    m_loader.request(total);
}

void CustomerListModel::onPage(quint64 generation, bool first, const CustomerListPage &page)
{
    if (generation != m_generation)
        return;
    m_loading = false;
    if (first) {
        beginResetModel();
        m_rows = page.rows;
        endResetModel();
    } else if (!page.rows.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.rows.size()) - 1);
        m_rows += page.rows;
        endInsertRows();
    }
    m_atEnd = page.atEnd;
    emit loaded();
}

const CustomerListRow *CustomerListModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int CustomerListModel::rowOfId(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

int CustomerListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CustomerListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CustomerListModel::data(const QModelIndex &index, int role) const
{
    const CustomerListRow *r = rowAt(index.row());
    if (!r)
        return {};
    if (role == IdRole)
        return r->id;
    if (role == Qt::TextAlignmentRole && (index.column() == Cards || index.column() == ActiveCards))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Number:
        return r->customerNo;
    case Name:
        return r->fullName;
    case Company:
        return r->company;
    case Email:
        return r->email;
    case Phone:
        return r->phone;
    case Cards:
        return r->cards;
    case ActiveCards:
        return r->activeCards;
    case Created:
        return QLocale().toString(r->createdAt.toLocalTime().date(), QLocale::ShortFormat);
    default:
        return {};
    }
}

QVariant CustomerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Number:
        return tr("Number");
    case Name:
        return tr("Name");
    case Company:
        return tr("Company");
    case Email:
        return tr("E-mail");
    case Phone:
        return tr("Phone");
    case Cards:
        return tr("Cards");
    case ActiveCards:
        return tr("Active");
    case Created:
        return tr("Since");
    default:
        return {};
    }
}

bool CustomerListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_loading && !m_rows.isEmpty();
}

void CustomerListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    m_loader.request({ m_generation, m_search, m_sort, false, kPageSize,
        CustomerListQuery::cursorOf(m_rows.constLast()) });
}

std::optional<CustomerSortKey> CustomerListModel::sortKeyOf(int column)
{
    switch (column) {
    case Number:
        return CustomerSortKey::Number;
    case Name:
        return CustomerSortKey::Name;
    case Company:
        return CustomerSortKey::Company;
    case Cards:
        return CustomerSortKey::Cards;
    case ActiveCards:
        return CustomerSortKey::ActiveCards;
    case Created:
        return CustomerSortKey::Created;
    default:
        return std::nullopt;
    }
}

void CustomerListModel::sort(int column, Qt::SortOrder order)
{
    if (const std::optional<CustomerSortKey> key = sortKeyOf(column))
        setQuery(m_search, { *key, order });
}

} // namespace simdesk
