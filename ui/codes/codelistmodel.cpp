// SPDX-License-Identifier: MIT
#include "codes/codelistmodel.h"

#include <QLocale>

namespace simdesk {

CodeListModel::CodeListModel(ConnectionSettings settings, QObject *parent)
    : QAbstractTableModel(parent)
    , m_loader(std::move(settings))
{
    connect(&m_loader, &CodeListLoader::pageLoaded, this,
        [this](quint64 generation, bool first, const CodeListPage &page, qint64) {
            onPage(generation, first, page);
        });
    connect(&m_loader, &CodeListLoader::totalLoaded, this,
        [this](quint64 generation, const CodeListTotal &total) {
            if (generation != m_generation)
                return;
            m_total = total;
            m_totalKnown = true;
            emit totalChanged(total);
        });
    connect(
        &m_loader, &CodeListLoader::failed, this, [this](quint64 generation, const Error &error) {
            if (generation != m_generation)
                return;
            m_loading = false;
            emit failed(error);
        });
}

void CodeListModel::setQuery(const CodeListFilter &filter, const CodeSort &sort)
{
    m_filter = filter;
    m_sort = sort;
    m_totalKnown = false;
    start(kPageSize);
}

void CodeListModel::refresh()
{
    // As many rows as are shown, in one page: the view keeps its place.
    start(std::max(kPageSize, int(m_rows.size())));
}

void CodeListModel::start(int size)
{
    ++m_generation;
    m_loading = true;
    CodeListRequest page { m_generation, m_filter, m_sort, false, size, std::nullopt };
    m_loader.request(page);
    CodeListRequest total = page;
    total.wantTotal = true;
    m_loader.request(total);
}

void CodeListModel::onPage(quint64 generation, bool first, const CodeListPage &page)
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

const CodeListRow *CodeListModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int CodeListModel::rowOfId(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

int CodeListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CodeListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CodeListModel::data(const QModelIndex &index, int role) const
{
    const CodeListRow *r = rowAt(index.row());
    if (!r)
        return {};
    if (role == IdRole)
        return r->id;
    if (role == Qt::ToolTipRole && index.column() == UsedOn && r->simId)
        return tr("Open SIM card %1").arg(r->iccid);
    if (role == Qt::ToolTipRole && index.column() == Expires && r->expiresAt)
        return QLocale().toString(r->expiresAt->toLocalTime(), QLocale::LongFormat);
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    auto when = [&](const std::optional<QDateTime> &t) {
        return t ? locale.toString(t->toLocalTime(), QLocale::ShortFormat) : QString();
    };
    switch (index.column()) {
    case Code:
        return r->code;
    case Status:
        return codeStatusKey(r->status); // painted as a badge
    case Expires:
        // The day is what matters (a batch runs to the end of it); the tooltip has the time.
        return r->expiresAt
            ? locale.toString(r->expiresAt->toLocalTime().date(), QLocale::ShortFormat)
            : tr("never");
    case UsedAt:
        return when(r->usedAt);
    case UsedOn:
        return r->iccid;
    case Batch:
        return r->batchLabel;
    default:
        return {};
    }
}

QVariant CodeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Code:
        return tr("Code");
    case Status:
        return tr("Status");
    case Expires:
        return tr("Expires");
    case UsedAt:
        return tr("Used at");
    case UsedOn:
        return tr("Used on (card)");
    case Batch:
        return tr("Batch");
    default:
        return {};
    }
}

bool CodeListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_loading && !m_rows.isEmpty();
}

void CodeListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    m_loader.request({ m_generation, m_filter, m_sort, false, kPageSize,
        CodeListQuery::cursorOf(m_rows.constLast()) });
}

CodeSortKey CodeListModel::sortKeyOf(int column)
{
    switch (column) {
    case Code:
        return CodeSortKey::Code;
    case Expires:
        return CodeSortKey::Expires;
    default:
        return CodeSortKey::Newest;
    }
}

void CodeListModel::sort(int column, Qt::SortOrder order)
{
    setQuery(m_filter, { sortKeyOf(column), order });
}

} // namespace simdesk
