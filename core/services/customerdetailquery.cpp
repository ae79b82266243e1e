// SPDX-License-Identifier: MIT
#include "services/customerdetailquery.h"

#include "db/sqlquery.h"
#include "records/customerrepository.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace simdesk {

namespace {

// The history as one JSON array, built by the database: one round trip for the whole page.
// Columns that only bookkeeping changes (version, times, the search text) are not "changes".
const char *const kSql = R"(
SELECT %1, k.cards, k.active_cards,
       (SELECT count(*) FROM sim_cards s WHERE s.customer_id = c.id
          AND s.status IN ('RESERVED', 'ACTIVE', 'SUSPENDED')),
       EXISTS (SELECT 1 FROM sim_events e WHERE e.customer_id = c.id)
           OR EXISTS (SELECT 1 FROM sim_cards s WHERE s.customer_id = c.id),
       (SELECT coalesce(json_agg(h ORDER BY h.at DESC, h.ord DESC), '[]')
        FROM (SELECT * FROM (
                SELECT a.changed_at AS at, a.changed_by AS by, 'customer' AS kind,
                       a.action AS what,
                       CASE WHEN a.action = 'UPDATE' THEN
                           (SELECT json_agg(f ORDER BY f) FROM jsonb_object_keys(a.new_row) f
                            WHERE f NOT IN ('id', 'version', 'created_at', 'updated_at',
                                            'search_text')
                              AND a.old_row -> f IS DISTINCT FROM a.new_row -> f) END AS fields,
                       NULL::bigint AS sim_id, NULL::text AS iccid, NULL::text AS old_status,
                       NULL::text AS new_status, NULL::text AS note, a.id AS ord
                FROM audit_log a WHERE a.table_name = 'customers' AND a.row_id = c.id
                UNION ALL
                SELECT e.created_at, e.created_by, 'card', e.event_type, NULL, e.sim_id, s.iccid,
                       e.old_status, e.new_status, e.note, e.id
                FROM sim_events e LEFT JOIN sim_cards s ON s.id = e.sim_id
                WHERE e.customer_id = c.id) u
              ORDER BY at DESC, ord DESC LIMIT $2) h)
FROM customers c JOIN customer_card_counts k ON k.customer_id = c.id
WHERE c.id = $1)";

CustomerHistoryEntry entryFrom(const QJsonObject &o)
{
    CustomerHistoryEntry e;
    e.kind = o.value(QLatin1String("kind")).toString() == QLatin1String("card")
        ? CustomerHistoryEntry::Kind::Card
        : CustomerHistoryEntry::Kind::Customer;
    e.at = QDateTime::fromString(o.value(QLatin1String("at")).toString(), Qt::ISODateWithMs);
    e.by = o.value(QLatin1String("by")).toString();
    e.what = o.value(QLatin1String("what")).toString();
    for (const QJsonValue &f : o.value(QLatin1String("fields")).toArray())
        e.fields << f.toString();
    e.simId = qint64(o.value(QLatin1String("sim_id")).toDouble());
    e.iccid = o.value(QLatin1String("iccid")).toString();
    e.oldStatus = o.value(QLatin1String("old_status")).toString();
    e.newStatus = o.value(QLatin1String("new_status")).toString();
    e.note = o.value(QLatin1String("note")).toString();
    return e;
}

} // namespace

Result<CustomerDetail> CustomerDetailQuery::load(
    const QSqlDatabase &db, qint64 id, int historyLimit)
{
    Result<QueryResult> q = runSingle(db,
        QString::fromLatin1(kSql).arg(CustomerRepository::columns(QStringLiteral("c"))),
        { id, historyLimit },
        QCoreApplication::translate("simdesk::CustomerRepository", "Customer %1").arg(id));
    if (!q)
        return q.error();
    const QueryResult &r = q.value();
    CustomerDetail d;
    d.customer = CustomerRepository::fromRow(r);
    const int n = 12; // the repository's columns
    d.cards = r.value(n).toInt();
    d.activeCards = r.value(n + 1).toInt();
    d.cardsInUse = r.value(n + 2).toInt();
    d.everHeldCard = r.value(n + 3).toBool();
    const QJsonArray history = QJsonDocument::fromJson(r.value(n + 4).toString().toUtf8()).array();
    for (const QJsonValue &v : history)
        d.history << entryFrom(v.toObject());
    return d;
}

} // namespace simdesk
