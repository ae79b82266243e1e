// SPDX-License-Identifier: MIT
#include "audit/auditlogmodel.h"

#include "db/dbrunner.h"

#include <QLocale>

namespace simdesk {

AuditLogModel::AuditLogModel(DbRunner *runner, QObject *parent)
    : QAbstractTableModel(parent)
    , m_runner(runner)
{ }

void AuditLogModel::setFilter(const AuditFilter &filter)
{
    beginResetModel();
    ++m_generation;
    m_filter = filter;
    m_rows.clear();
    m_loading = false;
    m_atEnd = false;
    endResetModel();
    fetchMore({});
}

const AuditEntry *AuditLogModel::entryAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int AuditLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuditLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool AuditLogModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_loading;
}

void AuditLogModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    const quint64 generation = m_generation;
    std::optional<AuditCursor> after;
    if (!m_rows.isEmpty())
        after = AuditLogQuery::cursorOf(m_rows.constLast());
    m_runner->run<QList<AuditEntry>>(
        this,
        [filter = m_filter, after](
            QSqlDatabase db) { return AuditLogQuery(db).page(filter, after, kPageSize); },
        [this, generation](const Result<QList<AuditEntry>> &page) {
            if (generation != m_generation)
                return; // a page of an older filter
            m_loading = false;
            if (!page) {
                m_atEnd = true;
                m_error = page.error();
                emit failed();
                return;
            }
            m_atEnd = page->size() < kPageSize;
            if (!page->isEmpty()) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page->size()) - 1);
                m_rows.append(*page);
                endInsertRows();
            }
            emit pageLoaded();
        });
}

QString AuditLogModel::text(const AuditEntry &e, int column) const
{
    switch (column) {
    case Time:
        return QLocale().toString(e.at, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Who:
        return e.who;
    case Kind:
        return AuditLogQuery::kindName(e.kind);
    case Action:
        return e.action;
    case Card:
        return e.iccid;
    case Record:
        return e.recordId && e.kind != AuditKind::Card ? QString::number(*e.recordId) : QString();
    case Source:
        return e.source;
    case Operation:
        return e.operationId;
    case Reason:
        return e.reason;
    case Old:
        return e.oldValue;
    case New:
        return e.newValue;
    default:
        return {};
    }
}

QVariant AuditLogModel::data(const QModelIndex &index, int role) const
{
    const AuditEntry *e = entryAt(index.row());
    if (!e || !index.isValid())
        return {};
    if (role == Qt::DisplayRole)
        return text(*e, index.column());
    // The old and new values of a record change can be long: the tooltip shows them whole.
    if (role == Qt::ToolTipRole
        && (index.column() == Old || index.column() == New || index.column() == Reason))
        return text(*e, index.column());
    return {};
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Who:
        return tr("Who");
    case Kind:
        return tr("Kind");
    case Action:
        return tr("Action");
    case Card:
        return tr("Card");
    case Record:
        return tr("Record");
    case Source:
        return tr("Source");
    case Operation:
        return tr("Operation");
    case Reason:
        return tr("Reason");
    case Old:
        return tr("Old");
    case New:
        return tr("New");
    default:
        return {};
    }
}

} // namespace simdesk
