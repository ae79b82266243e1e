// SPDX-License-Identifier: MIT
#pragma once

#include "codes/codelistloader.h"

#include <QAbstractTableModel>

namespace simdesk {

// The activation code list as a virtual table over the database, the shape of
// CustomerListModel: keyset pages fetched on the loader's thread as the view scrolls
// (fetchMore), a new generation for every filter or sort (late pages of an older one are
// dropped), the total exact when cheap and otherwise estimated, rows identified by code id.
// The Status column's display value is the status key, painted as a badge
// (StatusBadgeDelegate).
class CodeListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Code, Status, Expires, UsedAt, UsedOn, Batch, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };
    static constexpr int kPageSize = 100;

    explicit CodeListModel(ConnectionSettings settings, QObject *parent = nullptr);

    // A new filter and sort: a new generation, from the first row.
    void setQuery(const CodeListFilter &filter, const CodeSort &sort);
    const CodeListFilter &filter() const { return m_filter; }
    const CodeSort &codeSort() const { return m_sort; }
    // Reads the rows shown again (after changes), as many as are loaded now.
    void refresh();

    CodeListTotal total() const { return m_total; }
    // False from a new filter until its total has arrived (a refresh keeps the last one).
    bool isTotalKnown() const { return m_totalKnown; }
    bool isLoading() const { return m_loading; }
    const CodeListRow *rowAt(int row) const;
    int rowOfId(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    // Code and Expires have an order of their own; the other columns sort newest first.
    void sort(int column, Qt::SortOrder order) override;
    static CodeSortKey sortKeyOf(int column);

signals:
    void totalChanged(const simdesk::CodeListTotal &total);
    // A page arrived (the first of a generation replaces the rows).
    void loaded();
    void failed(const simdesk::Error &error);

private:
    void start(int size);
    void onPage(quint64 generation, bool first, const CodeListPage &page);

    CodeListLoader m_loader;
    CodeListFilter m_filter;
    CodeSort m_sort;
    quint64 m_generation = 0;
    CodeListTotal m_total;
    bool m_totalKnown = false;
    QList<CodeListRow> m_rows;
    bool m_atEnd = true;
    bool m_loading = false;
};

} // namespace simdesk
