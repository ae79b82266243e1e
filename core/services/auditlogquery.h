// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QIODevice>
#include <QSqlDatabase>
#include <QStringList>

#include <functional>
#include <optional>

namespace simdesk {

// What a row of the audit log is about: the table its record came from.
enum class AuditKind : quint8 {
    Card,
    Customer,
    TariffPlan,
    ActivationCode,
    CodeBatch,
    Staff,
    Import
};

// One recorded change, whichever table recorded it: card events (sim_events, the PIN/PUK reveal
// among them: who revealed which card and why, never the values), the trigger-written audit of
// customers, tariff plans, activation codes, code batches and staff (audit_log), and import batches
// (their import and their revert).
struct AuditEntry
{
    QDateTime at;
    QString atKey; // the exact time as the server wrote it, for the keyset
    AuditKind kind = AuditKind::Card;
    qint64 id = 0; // the event's, the audit row's or the batch's id
    QString who;
    QString action; // event type, INSERT/UPDATE/…, IMPORTED/REVERTED
    std::optional<qint64> simId;
    QString iccid;
    std::optional<qint64> recordId; // the customer, plan, code, staff member or batch
    QString source;
    QString operationId; // a bulk action's operation id, or a swap's
    QString reason;
    QString oldValue; // old → new: statuses, or the changed fields of a record
    QString newValue;
};

// The filters of the audit log; empty ones do not filter. Rows a filter cannot apply to are left
// out: a card, source, operation or reason filter shows only the kinds that record one.
struct AuditFilter
{
    QString who;
    QList<AuditKind> kinds; // empty: every kind
    QString action;
    QDateTime from; // inclusive
    QDateTime to; // exclusive
    QString iccid;
    // A customer's number: the events of cards while they held them (sim_events.customer_id)
    // and the changes to the customer's own record.
    QString customerNo;
    QString source;
    QString operationId;
    QString text; // within reasons, case-insensitive
};

// Where the next page starts: after this row in the order newest first (time, kind, id).
struct AuditCursor
{
    QString atKey;
    AuditKind kind = AuditKind::Card;
    qint64 id = 0;
};

// The audit log: every source in one list, newest first, in a stable order of time, kind and id,
// read page by page by keyset (each source reads at most a page from its own index, the pages are
// merged), so a page costs the same at the end of millions of events as at the start. Readable by
// every role: viewers and support get the same rows as administrators.
class AuditLogQuery
{
public:
    explicit AuditLogQuery(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    Result<QList<AuditEntry>> page(
        const AuditFilter &filter, const std::optional<AuditCursor> &after, int size) const;
    static AuditCursor cursorOf(const AuditEntry &entry);

    // Writes every row of the filter as CSV (a header line, then newest first), each cell made
    // safe for a spreadsheet (ExportService::spreadsheetCell). `progress` may return false to stop
    // (Cancelled). Returns the rows written.
    Result<qint64> exportCsv(QIODevice *out, const AuditFilter &filter,
        const std::function<bool(qint64 rows)> &progress = {}) const;

    static QString kindKey(AuditKind kind);
    static QString kindName(AuditKind kind);
    static QList<AuditKind> allKinds();

private:
    QSqlDatabase m_db;
};

} // namespace simdesk
