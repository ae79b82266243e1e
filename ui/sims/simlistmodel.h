// SPDX-License-Identifier: MIT
#pragma once

#include "sims/simlistloader.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>

namespace simdesk {

// The SIM list as a virtual table over the database: the model knows the total
// and holds only the blocks of rows around what the view shows; rows not loaded yet read
// "Loading…" and are fetched on the loader's thread. Every filter or sort change is a new
// generation: blocks of an older one are dropped when they arrive. A block is reached by keyset
// from a loaded neighbour (exact, no OFFSET), or by a jump (SimListQuery::rowsAt) when the user
// drags the scroll bar far away. Rows are identified by card id, never by row number.
class SimListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Iccid, Msisdn, Imsi, Status, Type, Customer, Tariff, Updated, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, LoadedRole, StatusKeyRole, VersionRole };
    static constexpr int kBlockSize = 100;
    // Blocks kept around; the rest is dropped (memory stays flat however far one scrolls).
    static constexpr int kMaxBlocks = 40;

    explicit SimListModel(ConnectionSettings settings, QObject *parent = nullptr);

    // A new filter and sort: a new generation, from the first row.
    void setQuery(const SimListFilter &filter, const SimListSort &sort);
    const SimListFilter &filter() const { return m_filter; }
    const SimListSort &sort() const { return m_sort; }

    // Loads the shown rows again (after changes elsewhere), keeping the row count, the
    // position and, by id, the selection; rows whose id is in `changed` are highlighted briefly.
    void refresh(const QSet<qint64> &changed = {});
    // The rows the view shows, so that refresh() reloads those first.
    void setVisibleRows(int first, int last);

    SimListTotal total() const { return m_total; }
    qint64 lastQueryMs() const { return m_lastMs; }
    bool isLoading() const { return m_pending > 0; }

    // The card shown in `row`, if loaded.
    const SimListRow *rowAt(int row) const;
    // The row of a card among the loaded blocks; -1 when not loaded.
    int rowOfId(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    // Sorting by the columns that have an index (SimListQuery's sort keys); others are ignored.
    void sort(int column, Qt::SortOrder order) override;
    static std::optional<SimListSortKey> sortKeyOf(int column);

signals:
    // The total (or its estimate) is known, or a block arrived.
    void totalChanged(const simdesk::SimListTotal &total);
    // refresh() began to read the shown rows again (tests count the reloads).
    void refreshStarted();
    void loaded();
    void failed(const simdesk::Error &error);

private:
    void requestBlock(int block) const;
    const SimListRow *lookup(int row, bool *stale) const;
    void onRows(quint64 generation, int block, const QList<SimListRow> &rows, qint64 ms);
    void onTotal(quint64 generation, const SimListTotal &total, qint64 ms);
    void evictFarBlocks(int around);

    SimListLoader m_loader;
    SimListFilter m_filter;
    SimListSort m_sort;
    quint64 m_generation = 0;
    SimListTotal m_total;
    int m_rows = 0;
    QHash<int, QList<SimListRow>> m_blocks;
    QHash<int, QList<SimListRow>> m_stale; // shown while a refresh reloads them
    mutable QSet<int> m_requested;
    mutable QSet<int> m_deferred; // wait for a requested neighbour instead of a jump
    mutable int m_pending = 0;
    int m_firstVisible = 0;
    int m_lastVisible = 0;
    qint64 m_lastMs = 0;
    QHash<qint64, qint64> m_highlight; // card id → until (ms of m_clock)
    QElapsedTimer m_clock;
};

} // namespace simdesk
