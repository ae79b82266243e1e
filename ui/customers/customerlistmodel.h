// SPDX-License-Identifier: MIT
#pragma once

#include "customers/customerlistloader.h"

#include <QAbstractTableModel>

namespace simdesk {

// The customer list as a virtual table over the database: keyset pages fetched on the loader's
// thread as the view scrolls (fetchMore), a new generation for every search or sort (late pages
// of an older one are dropped), the total exact when cheap and otherwise estimated, and rows
// identified by customer id, never by row number.
class CustomerListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Number, Name, Company, Email, Phone, Cards, ActiveCards, Created, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };
    static constexpr int kPageSize = 100;

    explicit CustomerListModel(ConnectionSettings settings, QObject *parent = nullptr);

    // A new search and sort: a new generation, from the first row.
    void setQuery(const QString &search, const CustomerSort &sort);
    const QString &search() const { return m_search; }
    const CustomerSort &customerSort() const { return m_sort; }
    // Reads the rows shown again (after changes), as many as are loaded now, keeping the view's
    // rows by id.
    void refresh();

    CustomerListTotal total() const { return m_total; }
    bool isLoading() const { return m_loading; }
    const CustomerListRow *rowAt(int row) const;
    int rowOfId(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    // Sorting by the columns with an index (CustomerSortKey); e-mail and phone are not offered.
    void sort(int column, Qt::SortOrder order) override;
    static std::optional<CustomerSortKey> sortKeyOf(int column);

signals:
    void totalChanged(const simdesk::CustomerListTotal &total);
    // A page arrived (the first of a generation replaces the rows).
    void loaded();
    void failed(const simdesk::Error &error);

private:
    void start(int size);
    void onPage(quint64 generation, bool first, const CustomerListPage &page);

    CustomerListLoader m_loader;
    QString m_search;
    CustomerSort m_sort;
    quint64 m_generation = 0;
    CustomerListTotal m_total;
    QList<CustomerListRow> m_rows;
    bool m_atEnd = true;
    bool m_loading = false;
};

} // namespace simdesk
