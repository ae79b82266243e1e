// SPDX-License-Identifier: MIT
#include "sims/simlistmodel.h"

#include "common/palette.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLocale>
#include <QTimer>

namespace simdesk {

namespace {
constexpr qint64 kHighlightMs = 2000;
}

SimListModel::SimListModel(ConnectionSettings settings, QObject *parent)
    : QAbstractTableModel(parent)
    , m_loader(std::move(settings))
{
    m_clock.start();
    connect(&m_loader, &SimListLoader::rowsLoaded, this, &SimListModel::onRows);
    connect(&m_loader, &SimListLoader::totalLoaded, this, &SimListModel::onTotal);
    connect(&m_loader, &SimListLoader::failed, this, [this](quint64 generation, const Error &e) {
        if (generation != m_generation)
            return;
        m_pending = 0;
        m_requested.clear();
        m_deferred.clear();
        emit failed(e);
    });
}

void SimListModel::setQuery(const SimListFilter &filter, const SimListSort &sort)
{
    beginResetModel();
    ++m_generation;
    m_filter = filter;
    m_sort = sort;
    m_blocks.clear();
    m_stale.clear();
    m_requested.clear();
    m_deferred.clear();
    m_pending = 0;
    m_rows = 0;
    m_total = {};
    endResetModel();
    SimListRequest total;
    total.generation = m_generation;
    total.filter = m_filter;
    total.wantTotal = true;
    m_loader.request(total);
    ++m_pending;
    requestBlock(0);
}

void SimListModel::refresh(const QSet<qint64> &changed)
{
    emit refreshStarted();
    ++m_generation;
    // What is on screen stays on screen until its new rows arrive: no flicker, no jump.
    for (auto it = m_blocks.cbegin(); it != m_blocks.cend(); ++it)
        m_stale.insert(it.key(), it.value());
    m_blocks.clear();
    m_requested.clear();
    m_deferred.clear();
    m_pending = 0;
    const qint64 until = m_clock.elapsed() + kHighlightMs;
    for (qint64 id : changed)
        m_highlight.insert(id, until);
    if (!changed.isEmpty()) {
        QTimer::singleShot(kHighlightMs + 50, this, [this] {
            const qint64 now = m_clock.elapsed();
            for (auto it = m_highlight.begin(); it != m_highlight.end();)
                it = it.value() <= now ? m_highlight.erase(it) : std::next(it);
            if (m_rows > 0)
                emit dataChanged(
                    index(0, 0), index(m_rows - 1, ColumnCount - 1), { Qt::BackgroundRole });
        });
    }
    SimListRequest total;
    total.generation = m_generation;
    total.filter = m_filter;
    total.wantTotal = true;
    m_loader.request(total);
    ++m_pending;
    // The blocks on screen, from the top, each anchored on the row before it as it was.
    const int first = m_firstVisible / kBlockSize;
    const int last = qMax(first, m_lastVisible / kBlockSize);
    for (int b = first; b <= last; ++b)
        requestBlock(b);
}

void SimListModel::setVisibleRows(int first, int last)
{
    m_firstVisible = qMax(0, first);
    m_lastVisible = qMax(m_firstVisible, last);
}

void SimListModel::requestBlock(int block) const
{
    if (m_requested.contains(block) || m_deferred.contains(block))
        return;
    SimListRequest r;
    r.generation = m_generation;
    r.filter = m_filter;
    r.sort = m_sort;
    r.block = block;
    r.size = kBlockSize;
    r.total = m_total;
    auto neighbour = [&](int b) -> const QList<SimListRow> * {
        if (auto it = m_blocks.constFind(b); it != m_blocks.cend())
            return &it.value();
        if (auto it = m_stale.constFind(b); it != m_stale.cend())
            return &it.value();
        return nullptr;
    };
    const int lastBlock = m_rows > 0 ? (m_rows - 1) / kBlockSize : 0;
    if (block == 0) {
        // firstPage
    } else if (const QList<SimListRow> *before = neighbour(block - 1);
               before && before->size() == kBlockSize) {
        r.after = SimListQuery::cursorOf(before->constLast(), m_sort.key);
    } else if (const QList<SimListRow> *after = neighbour(block + 1); after && !after->isEmpty()) {
        r.before = SimListQuery::cursorOf(after->constFirst(), m_sort.key);
    } else if (block == lastBlock && m_rows > 0) {
        r.fromEnd = true;
        r.size = m_rows - block * kBlockSize;
    } else if ((m_requested.contains(block - 1) && !neighbour(block - 1))
        || (m_requested.contains(block + 1) && !neighbour(block + 1))) {
        // A screen that straddles two blocks far from any loaded one asks for both in one
        // paint; rather than a second jump (served after the first, so twice the wait), this
        // one follows its neighbour by keyset as soon as that arrives (onRows).
        m_deferred.insert(block);
        return;
    }
    // Otherwise a jump: rowsAt(block * size).
    m_requested.insert(block);
    ++m_pending;
    const_cast<SimListLoader &>(m_loader).request(r);
}

void SimListModel::onTotal(quint64 generation, const SimListTotal &total, qint64 ms)
{
    if (generation != m_generation)
        return;
    --m_pending;
    m_lastMs = ms;
    m_total = total;
    const int rows = int(qMin<qint64>(total.count, std::numeric_limits<int>::max()));
    if (rows > m_rows) {
        beginInsertRows({}, m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    } else if (rows < m_rows) {
        beginRemoveRows({}, rows, m_rows - 1);
        m_rows = rows;
        endRemoveRows();
    }
    emit totalChanged(m_total);
}

void SimListModel::onRows(quint64 generation, int block, const QList<SimListRow> &rows, qint64 ms)
{
    if (generation != m_generation)
        return; // a page of an old filter, sort or refresh
    --m_pending;
    m_lastMs = ms;
    m_blocks.insert(block, rows);
    m_stale.remove(block);
    const int first = block * kBlockSize;
    // The list is shorter than the estimate said: it ends with this block.
    if (rows.size() < kBlockSize && first + rows.size() < m_rows && !m_total.exact) {
        beginRemoveRows({}, first + int(rows.size()), m_rows - 1);
        m_rows = first + int(rows.size());
        endRemoveRows();
    }
    // Rows beyond the count (a total estimated low, or rows added since): make room.
    if (first + rows.size() > m_rows) {
        beginInsertRows({}, m_rows, first + int(rows.size()) - 1);
        m_rows = first + int(rows.size());
        endInsertRows();
    }
    evictFarBlocks(block);
    // The neighbours that waited for this block (requestBlock) now follow it by keyset.
    for (const int b : { block - 1, block + 1 }) {
        if (m_deferred.remove(b) && b >= 0 && b * kBlockSize < m_rows)
            requestBlock(b);
    }
    if (!rows.isEmpty())
        emit dataChanged(index(first, 0), index(first + int(rows.size()) - 1, ColumnCount - 1));
    emit loaded();
}

void SimListModel::evictFarBlocks(int around)
{
    while (m_blocks.size() + m_stale.size() > kMaxBlocks) {
        int farthest = -1;
        int distance = -1;
        for (const QHash<int, QList<SimListRow>> *set : { &m_stale, &m_blocks }) {
            for (auto it = set->cbegin(); it != set->cend(); ++it) {
                if (qAbs(it.key() - around) > distance) {
                    distance = qAbs(it.key() - around);
                    farthest = it.key();
                }
            }
        }
        if (farthest < 0)
            break;
        m_stale.remove(farthest);
        m_blocks.remove(farthest);
        m_requested.remove(farthest);
    }
}

const SimListRow *SimListModel::rowAt(int row) const
{
    bool stale = false;
    return lookup(row, &stale);
}

const SimListRow *SimListModel::lookup(int row, bool *stale) const
{
    if (row < 0 || row >= m_rows)
        return nullptr;
    const int block = row / kBlockSize;
    const int at = row % kBlockSize;
    if (auto it = m_blocks.constFind(block); it != m_blocks.cend() && at < it->size())
        return &it->at(at);
    if (auto it = m_stale.constFind(block); it != m_stale.cend() && at < it->size()) {
        *stale = true;
        return &it->at(at);
    }
    return nullptr;
}

int SimListModel::rowOfId(qint64 id) const
{
    for (const QHash<int, QList<SimListRow>> *set : { &m_blocks, &m_stale }) {
        for (auto it = set->cbegin(); it != set->cend(); ++it) {
            for (int i = 0; i < it->size(); ++i) {
                if (it->at(i).id == id)
                    return it.key() * kBlockSize + i;
            }
        }
    }
    return -1;
}

int SimListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int SimListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SimListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    bool stale = false;
    const SimListRow *row = lookup(index.row(), &stale);
    if (stale)
        requestBlock(index.row() / kBlockSize); // shown as it was until the fresh rows arrive
    if (!row) {
        requestBlock(index.row() / kBlockSize);
        if (role == Qt::DisplayRole && index.column() == Iccid)
            return tr("Loading…");
        if (role == Qt::ForegroundRole)
            return QBrush(Qt::gray);
        if (role == LoadedRole)
            return false;
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Iccid:
            return row->iccid;
        case Msisdn:
            return row->msisdn;
        case Imsi:
            return row->imsi;
        case Status:
            return statusKey(row->status); // painted as a badge by StatusBadgeDelegate
        case Type:
            return simTypeDisplayName(row->type);
        case Customer:
            return row->customerId ? tr("%1 (%2)").arg(row->customerName, row->customerNo)
                                   : QString();
        case Tariff:
            return row->tariffName;
        case Updated:
            return QLocale().toString(row->updatedAt.toLocalTime(), QLocale::ShortFormat);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Status)
            return statusDisplayName(row->status);
        if (index.column() == Updated)
            return QLocale().toString(row->updatedAt.toLocalTime(), QLocale::LongFormat);
        return {};
    case Qt::FontRole:
        if (index.column() == Iccid || index.column() == Msisdn || index.column() == Imsi)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return {};
    case Qt::BackgroundRole:
        if (auto it = m_highlight.constFind(row->id);
            it != m_highlight.cend() && it.value() > m_clock.elapsed())
            return QBrush(changedRowColor(QGuiApplication::palette())); // changed a moment ago
        return {};
    case IdRole:
        return row->id;
    case LoadedRole:
        return true;
    case StatusKeyRole:
        return statusKey(row->status);
    case VersionRole:
        return row->version;
    default:
        return {};
    }
}

QVariant SimListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole)
        return sortKeyOf(section) ? tr("Click to sort") : tr("This column cannot be sorted");
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Iccid:
        return tr("ICCID");
    case Msisdn:
        return tr("MSISDN");
    case Imsi:
        return tr("IMSI");
    case Status:
        return tr("Status");
    case Type:
        return tr("Type");
    case Customer:
        return tr("Customer");
    case Tariff:
        return tr("Tariff");
    case Updated:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

std::optional<SimListSortKey> SimListModel::sortKeyOf(int column)
{
    switch (column) {
    case Iccid:
        return SimListSortKey::Iccid;
    case Msisdn:
        return SimListSortKey::Msisdn;
    case Status:
        return SimListSortKey::Status;
    case Updated:
        return SimListSortKey::UpdatedAt;
    default:
        return std::nullopt;
    }
}

void SimListModel::sort(int column, Qt::SortOrder order)
{
    const std::optional<SimListSortKey> key = sortKeyOf(column);
    if (!key || (m_sort.key == *key && m_sort.order == order))
        return;
    setQuery(m_filter, { *key, order });
}

} // namespace simdesk
