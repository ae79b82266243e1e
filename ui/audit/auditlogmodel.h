// SPDX-License-Identifier: MIT
#pragma once

#include "services/auditlogquery.h"

#include <QAbstractTableModel>

namespace simdesk {

class DbRunner;

// The audit log as a virtual table: it holds the pages read so far and asks for the next one,
// by keyset after the last row, only when the view scrolls near the end (canFetchMore /
// fetchMore). Pages are read on the window's database worker (DbRunner). A new filter starts a
// new generation; pages of an older one are dropped when they arrive.
class AuditLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Time,
        Who,
        Kind,
        Action,
        Card,
        Record,
        Source,
        Operation,
        Reason,
        Old,
        New,
        ColumnCount
    };
    static constexpr int kPageSize = 200;

    AuditLogModel(DbRunner *runner, QObject *parent = nullptr);

    void setFilter(const AuditFilter &filter);
    const AuditFilter &filter() const { return m_filter; }
    const AuditEntry *entryAt(int row) const;
    bool isLoading() const { return m_loading; }
    bool atEnd() const { return m_atEnd; }
    const Error &lastError() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void pageLoaded();
    // The read failed: lastError() says why.
    void failed();

private:
    QString text(const AuditEntry &e, int column) const;

    DbRunner *m_runner;
    AuditFilter m_filter;
    QList<AuditEntry> m_rows;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_atEnd = false;
    Error m_error { ErrorCode::Cancelled };
};

} // namespace simdesk
