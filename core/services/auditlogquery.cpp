// SPDX-License-Identifier: MIT
#include "services/auditlogquery.h"

#include "db/sqlquery.h"
#include "services/exportservice.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace simdesk {

namespace {

// The kinds in the order of their keys (the keyset compares the keys as text).
struct KindInfo
{
    AuditKind kind;
    const char *key;
    const char *table; // audit_log.table_name; null for the other sources
};
constexpr KindInfo kKinds[] = {
    { AuditKind::Card, "card", nullptr },
    { AuditKind::Customer, "customer", "customers" },
    { AuditKind::TariffPlan, "tariff_plan", "tariff_plans" },
    { AuditKind::ActivationCode, "activation_code", "activation_codes" },
    { AuditKind::CodeBatch, "code_batch", "code_batches" },
    { AuditKind::Staff, "staff", "staff" },
    { AuditKind::Import, "import", nullptr },
};

constexpr const char *kColumns = "at, at_key, kind, id, who, action, sim_id, iccid, record_id, "
                                 "source, operation_id, reason, old_value, new_value";

// Builds one statement: its text and the values bound to $1…$n.
class Statement
{
public:
    QString bind(const QVariant &value)
    {
        m_values.append(value);
        return QStringLiteral("$%1").arg(m_values.size());
    }
    const QVariantList &values() const { return m_values; }

private:
    QVariantList m_values;
};

// The conditions every source shares: who, action, time range and the keyset. `at`, `kind`,
// `id`, `who` and `action` are the source's expressions for them.
QStringList commonConditions(Statement &st, const AuditFilter &f,
    const std::optional<AuditCursor> &after, const QString &at, const QString &kind,
    const QString &id, const QString &who, const QString &action)
{
    QStringList w;
    if (!f.who.isEmpty())
        w << who + QStringLiteral(" = ") + st.bind(f.who);
    if (!f.action.isEmpty())
        w << action + QStringLiteral(" = ") + st.bind(f.action);
    if (f.from.isValid())
        w << at + QStringLiteral(" >= ") + st.bind(f.from);
    if (f.to.isValid())
        w << at + QStringLiteral(" < ") + st.bind(f.to);
    if (after) {
        const QString t = st.bind(after->atKey) + QStringLiteral("::timestamptz");
        const QString k = st.bind(AuditLogQuery::kindKey(after->kind));
        const QString i = st.bind(after->id);
        // The bound on the time alone lets the index do the work; the rest breaks ties.
        w << QStringLiteral("%1 <= %2 AND (%1 < %2 OR %3 < %4 OR (%3 = %4 AND %5 < %6))")
                 .arg(at, t, kind, k, id, i);
    }
    return w;
}

QString whereOf(const QStringList &conditions)
{
    return conditions.isEmpty()
        ? QString()
        : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
}

QString cardSource(
    Statement &st, const AuditFilter &f, const std::optional<AuditCursor> &after, int size)
{
    QStringList w
        = commonConditions(st, f, after, QStringLiteral("e.created_at"), QStringLiteral("'card'"),
            QStringLiteral("e.id"), QStringLiteral("e.created_by"), QStringLiteral("e.event_type"));
    if (!f.iccid.isEmpty())
        w << QStringLiteral("e.sim_id IN (SELECT id FROM sim_cards WHERE iccid = %1)")
                 .arg(st.bind(f.iccid));
    if (!f.customerNo.isEmpty())
        w << QStringLiteral("e.customer_id = (SELECT id FROM customers WHERE customer_no = %1)")
                 .arg(st.bind(f.customerNo));
    if (!f.source.isEmpty())
        w << QStringLiteral("e.source = ") + st.bind(f.source);
    if (!f.operationId.isEmpty())
        w << QStringLiteral("(e.operation_id = %1::uuid OR e.swap_id = %1::uuid)")
                 .arg(st.bind(f.operationId));
    if (!f.text.isEmpty())
        w << QStringLiteral("strpos(lower(e.note), lower(%1)) > 0").arg(st.bind(f.text));
    return QStringLiteral(
        "(SELECT e.created_at AS at, e.created_at::text AS at_key, 'card'::text AS kind, e.id, "
        "e.created_by AS who, e.event_type AS action, e.sim_id, "
        "coalesce(c.iccid, e.details->>'iccid') AS iccid, e.sim_id AS record_id, e.source, "
        "coalesce(e.operation_id, e.swap_id)::text AS operation_id, e.note AS reason, "
        "CASE WHEN e.old_status IS DISTINCT FROM e.new_status THEN e.old_status END AS old_value, "
        "concat_ws(' ', CASE WHEN e.old_status IS DISTINCT FROM e.new_status THEN e.new_status "
        "END, e.details::text) AS new_value "
        "FROM sim_events e LEFT JOIN sim_cards c ON c.id = e.sim_id%1 "
        "ORDER BY e.created_at DESC, e.id DESC LIMIT %2)")
        .arg(whereOf(w))
        .arg(size);
}

QString recordSource(Statement &st, const AuditFilter &f, const std::optional<AuditCursor> &after,
    int size, const QStringList &tables)
{
    QString kind = QStringLiteral("CASE a.table_name");
    for (const KindInfo &k : kKinds) {
        if (k.table)
            kind += QStringLiteral(" WHEN '%1' THEN '%2'")
                        .arg(QLatin1String(k.table), QLatin1String(k.key));
    }
    kind += QStringLiteral(" END");
    QStringList w = commonConditions(st, f, after, QStringLiteral("a.changed_at"), kind,
        QStringLiteral("a.id"), QStringLiteral("a.changed_by"), QStringLiteral("a.action"));
    w << QStringLiteral("a.table_name = ANY(%1::text[])").arg(st.bind(tables));
    // The customer's own record (the caller passes only "customers" then).
    if (!f.customerNo.isEmpty())
        w << QStringLiteral("a.row_id = (SELECT id FROM customers WHERE customer_no = %1)")
                 .arg(st.bind(f.customerNo));
    return QStringLiteral(
        "(SELECT a.changed_at AS at, a.changed_at::text AS at_key, %1 AS kind, a.id, "
        "a.changed_by AS who, a.action, NULL::bigint AS sim_id, NULL::text AS iccid, "
        "a.row_id AS record_id, NULL::text AS source, NULL::text AS operation_id, "
        "a.reason, a.old_row::text AS old_value, a.new_row::text AS new_value "
        "FROM audit_log a%2 ORDER BY a.changed_at DESC, %1 DESC, a.id DESC LIMIT %3)")
        .arg(kind, whereOf(w))
        .arg(size);
}

// A batch appears twice: when it was imported, and when it was reverted.
QString importSource(
    Statement &st, const AuditFilter &f, const std::optional<AuditCursor> &after, int size)
{
    const QString inner = QStringLiteral(
        "(SELECT b.id, b.created_at AS at, b.created_by AS who, 'IMPORTED'::text AS action, "
        "b.file_name, b.created_count, b.skipped_count FROM import_batches b "
        "UNION ALL SELECT b.id, b.reverted_at, b.reverted_by, 'REVERTED', b.file_name, "
        "b.created_count, b.skipped_count FROM import_batches b WHERE b.reverted_at IS NOT NULL)");
    QStringList w
        = commonConditions(st, f, after, QStringLiteral("i.at"), QStringLiteral("'import'"),
            QStringLiteral("i.id"), QStringLiteral("i.who"), QStringLiteral("i.action"));
    return QStringLiteral(
        "(SELECT i.at, i.at::text AS at_key, 'import'::text AS kind, i.id, i.who, i.action, "
        "NULL::bigint AS sim_id, NULL::text AS iccid, i.id AS record_id, 'import'::text AS source, "
        "NULL::text AS operation_id, NULL::text AS reason, NULL::text AS old_value, "
        "jsonb_build_object('file', i.file_name, 'created', i.created_count, "
        "'skipped', i.skipped_count)::text AS new_value FROM %1 i%2 "
        "ORDER BY i.at DESC, i.id DESC LIMIT %3)")
        .arg(inner, whereOf(w))
        .arg(size);
}

// The fields of a record change that differ, old and new side by side ("name: A" / "name: B").
void describeRecordChange(AuditEntry &e)
{
    const QJsonObject oldRow = QJsonDocument::fromJson(e.oldValue.toUtf8()).object();
    const QJsonObject newRow = QJsonDocument::fromJson(e.newValue.toUtf8()).object();
    QStringList olds;
    QStringList news;
    QStringList keys = oldRow.keys() + newRow.keys();
    keys.removeDuplicates();
    for (const QString &key : keys) {
        if (key == QLatin1String("updated_at") || key == QLatin1String("version"))
            continue; // bookkeeping every update changes
        const QJsonValue o = oldRow.value(key);
        const QJsonValue n = newRow.value(key);
        if (!oldRow.isEmpty() && !newRow.isEmpty() && o == n)
            continue;
        auto text = [](const QJsonValue &v) {
            return v.isString()
                ? v.toString()
                : QString::fromUtf8(QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact))
                      .mid(1)
                      .chopped(1);
        };
        if (oldRow.contains(key))
            olds << key + QStringLiteral(": ") + text(o);
        if (newRow.contains(key))
            news << key + QStringLiteral(": ") + text(n);
    }
    e.oldValue = olds.join(QStringLiteral("; "));
    e.newValue = news.join(QStringLiteral("; "));
}

AuditEntry entryFromRow(const QueryResult &r)
{
    AuditEntry e;
    e.at = r.value(0).toDateTime();
    e.atKey = r.value(1).toString();
    const QString key = r.value(2).toString();
    for (const KindInfo &k : kKinds) {
        if (key == QLatin1String(k.key))
            e.kind = k.kind;
    }
    e.id = r.value(3).toLongLong();
    e.who = r.value(4).toString();
    e.action = r.value(5).toString();
    if (!r.isNull(6))
        e.simId = r.value(6).toLongLong();
    e.iccid = r.value(7).toString();
    if (!r.isNull(8))
        e.recordId = r.value(8).toLongLong();
    e.source = r.value(9).toString();
    e.operationId = r.value(10).toString();
    e.reason = r.value(11).toString();
    e.oldValue = r.value(12).toString();
    e.newValue = r.value(13).toString();
    if (e.kind != AuditKind::Card && e.kind != AuditKind::Import)
        describeRecordChange(e);
    return e;
}

} // namespace

QString AuditLogQuery::kindKey(AuditKind kind)
{
    for (const KindInfo &k : kKinds) {
        if (k.kind == kind)
            return QLatin1String(k.key);
    }
    return {};
}

QString AuditLogQuery::kindName(AuditKind kind)
{
    switch (kind) {
    case AuditKind::Card:
        return QCoreApplication::translate("simdesk::AuditLogQuery", "Card");
    case AuditKind::Customer:
        return QCoreApplication::translate("simdesk::AuditLogQuery", "Customer");
    case AuditKind::TariffPlan:
        return QCoreApplication::translate("simdesk::AuditLogQuery", "Tariff plan");
    case AuditKind::ActivationCode:
        return QCoreApplication::translate("simdesk::AuditLogQuery", "Activation code");
    case AuditKind::CodeBatch:
        return QCoreApplication::translate("simdesk::AuditLogQuery", "Code batch");
    case AuditKind::Staff:
        return QCoreApplication::translate("simdesk::AuditLogQuery", "Staff");
    case AuditKind::Import:
        return QCoreApplication::translate("simdesk::AuditLogQuery", "Import");
    }
    return {};
}

QList<AuditKind> AuditLogQuery::allKinds()
{
    QList<AuditKind> all;
    for (const KindInfo &k : kKinds)
        all << k.kind;
    return all;
}

AuditCursor AuditLogQuery::cursorOf(const AuditEntry &entry)
{
    return { entry.atKey, entry.kind, entry.id };
}

Result<QList<AuditEntry>> AuditLogQuery::page(
    const AuditFilter &f, const std::optional<AuditCursor> &after, int size) const
{
    const QList<AuditKind> kinds = f.kinds.isEmpty() ? allKinds() : f.kinds;
    if (!f.operationId.isEmpty() && QUuid::fromString(f.operationId).isNull())
        return QList<AuditEntry>(); // no operation has such an id
    // Filters only card events carry: the other sources have nothing to match.
    const bool cardOnly = !f.iccid.isEmpty() || !f.operationId.isEmpty() || !f.text.isEmpty()
        || (!f.source.isEmpty() && f.source != QLatin1String("import"));
    Statement st;
    QStringList parts;
    if (kinds.contains(AuditKind::Card))
        parts << cardSource(st, f, after, size);
    QStringList tables;
    for (const KindInfo &k : kKinds) {
        // A customer filter keeps, of the records, the customer's own.
        if (k.table && kinds.contains(k.kind)
            && (f.customerNo.isEmpty() || k.kind == AuditKind::Customer))
            tables << QLatin1String(k.table);
    }
    if (!cardOnly && f.source.isEmpty() && !tables.isEmpty())
        parts << recordSource(st, f, after, size, tables);
    if (!cardOnly && f.customerNo.isEmpty() && kinds.contains(AuditKind::Import))
        parts << importSource(st, f, after, size);
    if (parts.isEmpty())
        return QList<AuditEntry>();
    const QString sql = QStringLiteral("SELECT %1 FROM (%2) u ORDER BY at DESC, kind DESC, id DESC "
                                       "LIMIT %3")
                            .arg(QLatin1String(kColumns), parts.join(QStringLiteral(" UNION ALL ")))
                            .arg(size);
    Result<QueryResult> q = runQuery(m_db, sql, st.values());
    if (!q)
        return q.error();
    QueryResult &r = q.value();
    QList<AuditEntry> rows;
    while (r.next())
        rows << entryFromRow(r);
    return rows;
}

Result<qint64> AuditLogQuery::exportCsv(QIODevice *out, const AuditFilter &filter,
    const std::function<bool(qint64 rows)> &progress) const
{
    auto line = [](const QStringList &cells) {
        QByteArray l;
        for (int i = 0; i < cells.size(); ++i)
            l += (i ? "," : "") + ExportService::spreadsheetCell(cells.at(i));
        return l + '\n';
    };
    out->write(line({ QStringLiteral("time"), QStringLiteral("kind"), QStringLiteral("id"),
        QStringLiteral("who"), QStringLiteral("action"), QStringLiteral("iccid"),
        QStringLiteral("record_id"), QStringLiteral("source"), QStringLiteral("operation_id"),
        QStringLiteral("reason"), QStringLiteral("old"), QStringLiteral("new") }));
    qint64 written = 0;
    std::optional<AuditCursor> after;
    constexpr int kPage = 1000;
    for (;;) {
        Result<QList<AuditEntry>> rows = page(filter, after, kPage);
        if (!rows)
            return rows.error();
        for (const AuditEntry &e : *rows) {
            out->write(line(
                { e.at.toUTC().toString(Qt::ISODateWithMs), kindKey(e.kind), QString::number(e.id),
                    e.who, e.action, e.iccid, e.recordId ? QString::number(*e.recordId) : QString(),
                    e.source, e.operationId, e.reason, e.oldValue, e.newValue }));
        }
        written += rows->size();
        if (progress && !progress(written))
            return Error(ErrorCode::Cancelled);
        if (rows->size() < kPage)
            return written;
        after = cursorOf(rows->constLast());
    }
}

} // namespace simdesk
