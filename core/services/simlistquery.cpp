// SPDX-License-Identifier: MIT
#include "services/simlistquery.h"

#include "db/database.h"
#include "db/sqlquery.h"
#include "domain/validation.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <libpq-fe.h>

#include <algorithm>
#include <cmath>

namespace simdesk {

// Collects SQL conditions and their bound values ($1..$n in order).
struct SimListSql
{
    QStringList where;
    QVariantList values;
    // The plan must not read the whole table (see runPlanned()).
    bool noSeqScan = false;

    QString bind(const QVariant &value)
    {
        values.append(value);
        return QStringLiteral("$%1").arg(values.size());
    }
    QString whereClause() const
    {
        return where.isEmpty() ? QString()
                               : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    }
};

namespace {

// Planner cost up to which the locator of rowsAt() walks the position with OFFSET. An
// index-only walk over half of 1,000,000 entries costs about 15,000 here and takes 20–40 ms;
// a walk that visits the heap costs ten times more (calibrated in tests/bench/bench_simlist.cpp).
constexpr double kLocatorCostLimit = 25000.0;
// About this many table rows are read by the sample of rowsAt()'s fallback.
constexpr double kSampleRows = 20000.0;

const QString kCardColumns = QStringLiteral(
    "c.id, c.iccid, c.msisdn, c.imsi, c.status, c.sim_type, c.customer_id, c.tariff_plan_id, "
    "c.updated_at, c.version");

// A digit string's upper bound for a prefix range: every string starting with `digits` is
// >= digits and < digits + ':' (':' follows '9' in the C collation).
QString prefixEnd(const QString &digits)
{
    return digits + QLatin1Char(':');
}

QString reversed(const QString &s)
{
    QString r = s;
    std::reverse(r.begin(), r.end());
    return r;
}

// The exact text of a microsecond timestamp, for a timestamptz parameter.
QString microsToText(qint64 us)
{
    qint64 secs = us / 1000000;
    qint64 frac = us % 1000000;
    if (frac < 0) {
        frac += 1000000;
        --secs;
    }
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
        + QStringLiteral(".%1+00").arg(frac, 6, 10, QLatin1Char('0'));
}

// The digits of an identifier as typed or scanned: separators and a leading + dropped; empty
// when anything else is in it.
QString plainDigits(const QString &input)
{
    const QString t = input.trimmed();
    QString digits;
    digits.reserve(t.size());
    for (int i = t.startsWith(QLatin1Char('+')) ? 1 : 0; i < t.size(); ++i) {
        const QChar ch = t.at(i);
        if (ch >= QLatin1Char('0') && ch <= QLatin1Char('9'))
            digits.append(ch);
        else if (ch != QLatin1Char(' ') && ch != QLatin1Char('-') && ch != QLatin1Char('.')
            && ch != QLatin1Char('/') && ch != QLatin1Char('(') && ch != QLatin1Char(')')
            && ch != QLatin1Char('\t') && ch != QChar(0x00A0))
            return {};
    }
    return digits;
}

// An ICCID range end: a valid ICCID (an 18-digit one completed with its check digit), or the
// bare digits as a text bound.
QString iccidBound(const QString &input)
{
    if (Result<QString> iccid = validation::completeIccid(input))
        return *iccid;
    return SimListQuery::searchDigits(input);
}

// The candidate values of one pasted line, each only where the line is a valid one of that kind.
struct Candidates
{
    QString iccid;
    QString msisdn;
    QString imsi;
};

Candidates candidatesOf(const QString &line)
{
    Candidates c;
    const QString digits = SimListQuery::searchDigits(line);
    if (digits.isEmpty())
        return c;
    // A leading + or 00 is an international phone number: ICCIDs start with 89 and IMSIs with a
    // country code (2-7), so neither is looked for.
    const QString t = line.trimmed();
    const bool phone = t.startsWith(QLatin1Char('+')) || t.startsWith(QLatin1String("00"));
    if (Result<QString> msisdn = validation::normalizeMsisdn(digits))
        c.msisdn = *msisdn;
    if (phone)
        return c;
    if (Result<QString> iccid = validation::completeIccid(digits))
        c.iccid = *iccid;
    if (Result<QString> imsi = validation::normalizeImsi(digits))
        c.imsi = *imsi;
    return c;
}

struct IdentifierArrays
{
    QStringList iccids;
    QStringList msisdns;
    QStringList imsis;
};

IdentifierArrays arraysOf(const QList<Candidates> &candidates)
{
    IdentifierArrays a;
    QSet<QString> seenIccid;
    QSet<QString> seenMsisdn;
    QSet<QString> seenImsi;
    for (const Candidates &c : candidates) {
        if (!c.iccid.isEmpty() && !seenIccid.contains(c.iccid)) {
            seenIccid.insert(c.iccid);
            a.iccids.append(c.iccid);
        }
        if (!c.msisdn.isEmpty() && !seenMsisdn.contains(c.msisdn)) {
            seenMsisdn.insert(c.msisdn);
            a.msisdns.append(c.msisdn);
        }
        if (!c.imsi.isEmpty() && !seenImsi.contains(c.imsi)) {
            seenImsi.insert(c.imsi);
            a.imsis.append(c.imsi);
        }
    }
    return a;
}

QList<Candidates> candidatesOf(const QStringList &lines)
{
    QList<Candidates> all;
    all.reserve(lines.size());
    for (const QString &line : lines)
        all.append(candidatesOf(line));
    return all;
}

// Adds the filter's conditions; InvalidArgument for a list that is too long.
// `listIds`: the cards of f.identifiers when they are known already (see
// SimListQuery::filterSql()).
Status addFilter(SimListSql &sql, const SimListFilter &f, const QList<qint64> *listIds = nullptr)
{
    if (f.statuses.size() == 1) {
        sql.where << QStringLiteral("c.status = %1").arg(sql.bind(statusKey(f.statuses.first())));
    } else if (!f.statuses.isEmpty()) {
        QStringList keys;
        for (SimStatus s : f.statuses)
            keys << statusKey(s);
        sql.where << QStringLiteral("c.status = ANY(%1::text[])").arg(sql.bind(keys));
    }
    if (f.type)
        sql.where << QStringLiteral("c.sim_type = %1").arg(sql.bind(simTypeKey(*f.type)));
    if (f.noTariff)
        sql.where << QStringLiteral("c.tariff_plan_id IS NULL");
    else if (f.tariffPlanId)
        sql.where << QStringLiteral("c.tariff_plan_id = %1::bigint").arg(sql.bind(*f.tariffPlanId));
    if (f.customerId)
        sql.where << QStringLiteral("c.customer_id = %1::bigint").arg(sql.bind(*f.customerId));
    if (f.importBatchId)
        sql.where
            << QStringLiteral("c.import_batch_id = %1::bigint").arg(sql.bind(*f.importBatchId));
    if (f.changedSince.isValid())
        sql.where
            << QStringLiteral("c.updated_at >= %1::timestamptz").arg(sql.bind(f.changedSince));
    if (f.activatedFrom.isValid())
        sql.where
            << QStringLiteral("c.activated_at >= %1::timestamptz").arg(sql.bind(f.activatedFrom));
    if (f.activatedTo.isValid())
        sql.where
            << QStringLiteral("c.activated_at < %1::timestamptz").arg(sql.bind(f.activatedTo));
    if (!f.iccidFirst.trimmed().isEmpty())
        sql.where << QStringLiteral("c.iccid >= %1::text").arg(sql.bind(iccidBound(f.iccidFirst)));
    if (!f.iccidLast.trimmed().isEmpty())
        sql.where << QStringLiteral("c.iccid <= %1::text").arg(sql.bind(iccidBound(f.iccidLast)));

    const QString search = f.search.trimmed();
    if (!search.isEmpty()) {
        const QString digits = SimListQuery::searchDigits(search);
        if (!digits.isEmpty()) {
            // Each alternative is a range on its own index (prefix: the identifier's C-collated
            // btree; suffix: the reverse() expression index), combined by a BitmapOr.
            // A leading 00 is an international prefix at the start of a number, but real
            // digits at the end of one ("…00277"): the last digits keep it.
            const QString tail = plainDigits(search);
            const QString from = sql.bind(digits);
            const QString to = sql.bind(prefixEnd(digits));
            const QString rfrom = sql.bind(reversed(tail));
            const QString rto = sql.bind(prefixEnd(reversed(tail)));
            const QString mfrom = sql.bind(QLatin1Char('+') + digits);
            const QString mto = sql.bind(prefixEnd(QLatin1Char('+') + digits));
            sql.where << QStringLiteral(
                "((c.iccid >= %1::text AND c.iccid < %2::text)"
                " OR (reverse(c.iccid) >= %3::text AND reverse(c.iccid) < %4::text)"
                " OR (c.msisdn >= %5::text AND c.msisdn < %6::text)"
                " OR (c.msisdn IS NOT NULL AND reverse(c.msisdn) >= %3::text"
                "     AND reverse(c.msisdn) < %4::text)"
                " OR (c.imsi >= %1::text AND c.imsi < %2::text)"
                " OR (c.imsi IS NOT NULL AND reverse(c.imsi) >= %3::text"
                "     AND reverse(c.imsi) < %4::text))")
                             .arg(from, to, rfrom, rto, mfrom, mto);
        } else {
            // Not an identifier: a customer number ("C-000123"), exact, any case.
            sql.where << QStringLiteral(
                "c.customer_id = (SELECT cu.id FROM customers cu WHERE cu.customer_no = %1::text)")
                             .arg(sql.bind(search.toUpper()));
        }
    }

    if (!f.identifiers.isEmpty()) {
        if (f.identifiers.size() > SimListQuery::kMaxIdentifiers)
            return Error(ErrorCode::InvalidArgument,
                { QStringLiteral("more than %1 identifiers").arg(SimListQuery::kMaxIdentifiers) });
        if (listIds) {
            sql.where << QStringLiteral("c.id = ANY(%1::bigint[])")
                             .arg(sql.bind(QVariant::fromValue(*listIds)));
            return {};
        }
        const IdentifierArrays a = arraysOf(candidatesOf(f.identifiers));
        // The matching ids first (an init plan probing the three indexes), so that the list
        // order then reads only the ids' rows, wherever they are in the table.
        sql.where << QStringLiteral(
            "c.id = ANY(ARRAY(SELECT l.id FROM sim_cards l WHERE l.iccid = ANY(%1::text[])"
            " OR l.msisdn = ANY(%2::text[]) OR l.imsi = ANY(%3::text[])))")
                         .arg(sql.bind(a.iccids), sql.bind(a.msisdns), sql.bind(a.imsis));
        sql.noSeqScan = true;
    }
    return {};
}

QString keyColumn(SimListSortKey key)
{
    switch (key) {
    case SimListSortKey::Id:
        return QStringLiteral("id");
    case SimListSortKey::Iccid:
        return QStringLiteral("iccid");
    case SimListSortKey::Msisdn:
        return QStringLiteral("msisdn");
    case SimListSortKey::Status:
        return QStringLiteral("status");
    case SimListSortKey::UpdatedAt:
        return QStringLiteral("updated_at");
    }
    return QStringLiteral("id");
}

// The list order over table alias `a`, ascending or descending as a whole.
QString orderBy(SimListSortKey key, bool ascending, const QString &a)
{
    const QString dir = ascending ? QString() : QStringLiteral(" DESC");
    if (key == SimListSortKey::Id)
        return a + QStringLiteral(".id") + dir;
    // Ascending: no number last; descending: first (PostgreSQL's defaults, the exact reverse).
    return QStringLiteral("%1.%2%3, %1.id%3").arg(a, keyColumn(key), dir);
}

// One ordered part of a keyset query: a condition and its order. An MSISDN order has two parts
// (cards with a number, then those without), every other order one. The condition's values
// are bound when the part is written into a statement ({k}: key, {i}: id).
struct Part
{
    QString where; // empty: none
    QString order;
    QVariant key;
    QVariant id;
};

QString renderWhere(SimListSql &sql, const Part &p)
{
    QString w = p.where;
    if (w.contains(QLatin1String("{k}")))
        w.replace(QLatin1String("{k}"), sql.bind(p.key));
    if (w.contains(QLatin1String("{i}")))
        w.replace(QLatin1String("{i}"), sql.bind(p.id));
    return w;
}

// The parts of a keyset read after `cursor` (all rows when null) in the given direction.
// `noNumbers`: the filter admits only cards that cannot have a number (TERMINATED, by the
// sim_cards_terminated_releases_msisdn constraint), so the part with numbers is left out
// rather than read in full to find nothing.
QList<Part> keysetParts(
    SimListSortKey key, bool ascending, const SimListCursor *cursor, bool inclusive, bool noNumbers)
{
    const QString cmp = ascending ? (inclusive ? QStringLiteral(">=") : QStringLiteral(">"))
                                  : (inclusive ? QStringLiteral("<=") : QStringLiteral("<"));
    if (key == SimListSortKey::Msisdn) {
        const QString dir = ascending ? QString() : QStringLiteral(" DESC");
        Part withNumber { QStringLiteral("c.msisdn IS NOT NULL"), QStringLiteral("c.msisdn") + dir,
            {}, {} };
        Part without { QStringLiteral("c.msisdn IS NULL"), QStringLiteral("c.id") + dir, {}, {} };
        QList<Part> parts;
        if (cursor && !cursor->key.isNull()) {
            withNumber.where = QStringLiteral("c.msisdn %1 {k}::text").arg(cmp);
            withNumber.key = cursor->key.toString();
            // After a card with a number: ascending, all cards without one are still to come;
            // descending, they came first and are done.
            parts = ascending ? QList<Part> { withNumber, without } : QList<Part> { withNumber };
        } else if (cursor) {
            without.where += QStringLiteral(" AND c.id %1 {i}::bigint").arg(cmp);
            without.id = cursor->id;
            parts = ascending ? QList<Part> { without } : QList<Part> { without, withNumber };
        } else {
            parts = ascending ? QList<Part> { withNumber, without }
                              : QList<Part> { without, withNumber };
        }
        if (noNumbers) {
            parts.erase(
                std::remove_if(parts.begin(), parts.end(),
                    [](const Part &p) { return p.order.startsWith(QLatin1String("c.msisdn")); }),
                parts.end());
        }
        return parts;
    }
    Part p { QString(), orderBy(key, ascending, QStringLiteral("c")), {}, {} };
    if (cursor) {
        p.key = cursor->key;
        p.id = cursor->id;
        switch (key) {
        case SimListSortKey::Id:
            p.where = QStringLiteral("c.id %1 {i}::bigint").arg(cmp);
            break;
        case SimListSortKey::Iccid:
            p.where = QStringLiteral("c.iccid %1 {k}::text").arg(cmp);
            break;
        case SimListSortKey::Status:
            p.where = QStringLiteral("(c.status, c.id) %1 ({k}::text, {i}::bigint)").arg(cmp);
            break;
        case SimListSortKey::UpdatedAt:
            p.where = QStringLiteral("(c.updated_at, c.id) %1 ({k}::timestamptz, {i}::bigint)")
                          .arg(cmp);
            p.key = microsToText(cursor->key.toLongLong());
            break;
        case SimListSortKey::Msisdn:
            break;
        }
    }
    return { p };
}

// Filters that usually match few cards through their own index. Ordered by another index with
// a LIMIT, the planner expects their matches spread evenly and walks that index; but matches
// cluster (a batch, an ICCID range, recent changes are neighbours in id), and the walk then
// reads most of the table (300-800 ms at a million). Such a filter, when the planner expects
// at most kFenceRows matches, is applied first and its matches sorted. When it expects more,
// the next kWindowRows rows of the sort order are read and filtered first (bounded: 10–20 ms at
// a million): matches spread through the table fill a page there; matches clustered far away
// (an ICCID prefix that is one late batch) are then fenced after all, which costs about 15 ms
// per 60,000 matches instead of a walk through most of the table (0.5–1 s).
bool narrow(const SimListFilter &f)
{
    return f.customerId || f.importBatchId || f.changedSince.isValid() || f.activatedFrom.isValid()
        || f.activatedTo.isValid() || !f.search.trimmed().isEmpty()
        || !f.iccidFirst.trimmed().isEmpty() || !f.iccidLast.trimmed().isEmpty();
}
// After a missed window, later pages of the filter go straight to the fence only up to this
// many expected matches (the fence costs about 15 ms per 60,000); beyond it the window is
// cheaper on average even when it misses now and then.
constexpr double kFenceAfterMissRows = 200000.0;

bool onlyTerminated(const SimListFilter &f)
{
    return !f.statuses.isEmpty()
        && std::all_of(f.statuses.cbegin(), f.statuses.cend(),
            [](SimStatus s) { return s == SimStatus::Terminated; });
}

// SELECT `columns` of the cards matching `sql`'s conditions and the parts, in list order,
// OFFSET `offset` LIMIT `limit`. With two parts each part is limited on its own, so only
// the rows needed are read from each index; a constant `part` column keeps their order.
QString orderedSelect(SimListSql &sql, const QString &columns, const QList<Part> &parts,
    SimListSortKey key, bool ascending, qint64 offset, int limit, bool fence = false)
{
    const QString base = sql.whereClause();
    // With `fence`, the matching cards are found first without regard to the order (OFFSET 0
    // keeps the planner from walking the sort index in the hope of meeting matches early).
    auto partWhere = [&](const Part &p) {
        const QString w = renderWhere(sql, p);
        const QString where = w.isEmpty() ? base
            : base.isEmpty()              ? QStringLiteral(" WHERE ") + w
                                          : base + QStringLiteral(" AND ") + w;
        if (!fence)
            return where;
        // Only the id and the sort key: an index holding the filter's column and id (such as
        // (activated_at, id) or (updated_at, id)) then answers without reading the rows.
        const QString inner = key == SimListSortKey::Id
            ? QStringLiteral("c.id")
            : QStringLiteral("c.id, c.%1").arg(keyColumn(key));
        return QStringLiteral(" FROM (SELECT %1 FROM sim_cards c%2 OFFSET 0) c").arg(inner, where);
    };
    const QString from = fence ? QString() : QStringLiteral(" FROM sim_cards c");
    if (parts.size() == 1) {
        const QString where = partWhere(parts.first());
        const QString offsetSql
            = offset > 0 ? QStringLiteral(" OFFSET %1").arg(sql.bind(offset)) : QString();
        const QString lim = sql.bind(limit);
        return QStringLiteral("SELECT %1%2%3 ORDER BY %4%5 LIMIT %6")
            .arg(columns, from, where, parts.first().order, offsetSql, lim);
    }
    QStringList selects;
    for (int i = 0; i < parts.size(); ++i) {
        const QString where = partWhere(parts[i]);
        selects << QStringLiteral("(SELECT %1 AS part, %2%3%4 ORDER BY %5 LIMIT %6)")
                       .arg(QString::number(i), columns, from, where, parts[i].order,
                           sql.bind(offset + limit));
    }
    const QString offsetSql
        = offset > 0 ? QStringLiteral(" OFFSET %1").arg(sql.bind(offset)) : QString();
    const QString lim = sql.bind(limit);
    return QStringLiteral("SELECT * FROM (%1) c ORDER BY c.part, %2%3 LIMIT %4")
        .arg(selects.join(QStringLiteral(" UNION ALL ")),
            orderBy(key, ascending, QStringLiteral("c")), offsetSql, lim);
}

// The first `limit` matches among the next `windowRows` rows of the sort order after `part`'s
// cursor (one part: the window reads its sort index in order, the filter is applied to what it
// read). Fewer than `limit` rows back do not mean fewer matches: the caller then fences.
QString windowedSelect(
    SimListSql &sql, const QString &columns, const Part &part, int limit, int windowRows)
{
    const QString w = renderWhere(sql, part);
    const QString window = QStringLiteral("SELECT c.* FROM sim_cards c%1 ORDER BY %2 LIMIT %3")
                               .arg(w.isEmpty() ? QString() : QStringLiteral(" WHERE ") + w,
                                   part.order, sql.bind(windowRows));
    return QStringLiteral("SELECT %1 FROM (%2) c%3 ORDER BY %4 LIMIT %5")
        .arg(columns, window, sql.whereClause(), part.order, sql.bind(limit));
}

SimListRow readRow(const QueryResult &q)
{
    SimListRow r;
    r.id = q.value(0).toLongLong();
    r.iccid = q.value(1).toString();
    r.msisdn = q.value(2).toString();
    r.imsi = q.value(3).toString();
    r.status = statusFromKey(q.value(4).toString()).value_or(SimStatus::Available);
    r.type = simTypeFromKey(q.value(5).toString()).value_or(SimType::Prepaid);
    r.customerId = optionalId(q.value(6));
    r.tariffPlanId = optionalId(q.value(7));
    r.version = q.value(9).toInt();
    r.customerNo = q.value(10).toString();
    r.customerName = q.value(11).toString();
    r.tariffName = q.value(12).toString();
    r.updatedAtUs = q.value(13).toLongLong();
    // From the exact value rather than column 8's text: parsing 10,000 timestamps and turning
    // each into local time cost more than the query of a pasted list. UTC; shown in local time.
    r.updatedAt = QDateTime::fromMSecsSinceEpoch(
        r.updatedAtUs >= 0 ? r.updatedAtUs / 1000 : (r.updatedAtUs - 999) / 1000, Qt::UTC);
    return r;
}

// Wraps an ordered selection of kCardColumns (alias s) with the names shown in the list.
QString withNames(const QString &inner, const QString &outerOrder)
{
    return QStringLiteral(
        "SELECT s.id, s.iccid, s.msisdn, s.imsi, s.status, s.sim_type, s.customer_id, "
        "s.tariff_plan_id, s.updated_at, s.version, cu.customer_no, cu.full_name, t.name, "
        "(extract(epoch FROM s.updated_at) * 1000000)::bigint "
        "FROM (%1) s LEFT JOIN customers cu ON cu.id = s.customer_id "
        "LEFT JOIN tariff_plans t ON t.id = s.tariff_plan_id ORDER BY %2")
        .arg(inner, outerOrder);
}

// Runs a query; with `noSeqScan` the planner may not read the whole table for it. It prices the
// 10,000 index probes of a pasted list above a sequential scan (random_page_cost), which at a
// million cached cards is several times slower. The setting is local to a transaction of our
// own, or to a savepoint rolled back right after when the caller has a transaction open, so
// nothing else on the connection sees it.
Result<QueryResult> runPlanned(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values, bool noSeqScan)
{
    if (!noSeqScan)
        return runQuery(db, sql, values);
    pg_conn *conn = Database::pgconn(db);
    const bool inTransaction = conn && PQtransactionStatus(conn) != PQTRANS_IDLE;
    const QString begin
        = inTransaction ? QStringLiteral("SAVEPOINT simdesk_list") : QStringLiteral("BEGIN");
    const QString end = inTransaction ? QStringLiteral("ROLLBACK TO SAVEPOINT simdesk_list")
                                      : QStringLiteral("COMMIT");
    if (Result<QueryResult> r = runQuery(db, begin); !r)
        return r.error();
    Result<QueryResult> result = runQuery(db, QStringLiteral("SET LOCAL enable_seqscan = off"));
    if (result)
        result = runQuery(db, sql, values);
    if (!result) {
        (void)runQuery(db, inTransaction ? end : QStringLiteral("ROLLBACK"));
        return result;
    }
    if (Result<QueryResult> r = runQuery(db, end); !r)
        return r.error();
    if (inTransaction)
        (void)runQuery(db, QStringLiteral("RELEASE SAVEPOINT simdesk_list"));
    return result;
}

// Customer numbers and names and tariff names of many rows, one query each.
Status fillNames(const QSqlDatabase &db, QList<SimListRow> &rows)
{
    QSet<qint64> customerSet;
    QSet<qint64> tariffSet;
    for (const SimListRow &r : rows) {
        if (r.customerId)
            customerSet.insert(*r.customerId);
        if (r.tariffPlanId)
            tariffSet.insert(*r.tariffPlanId);
    }
    QHash<qint64, QPair<QString, QString>> customers;
    QHash<qint64, QString> tariffs;
    if (!customerSet.isEmpty()) {
        Result<QueryResult> q = runQuery(db,
            QStringLiteral(
                "SELECT id, customer_no, full_name FROM customers WHERE id = ANY($1::bigint[])"),
            { QVariant::fromValue(QList<qint64>(customerSet.cbegin(), customerSet.cend())) });
        if (!q)
            return q.error();
        while (q.value().next())
            customers.insert(q.value().value(0).toLongLong(),
                { q.value().value(1).toString(), q.value().value(2).toString() });
    }
    if (!tariffSet.isEmpty()) {
        Result<QueryResult> q = runQuery(db,
            QStringLiteral("SELECT id, name FROM tariff_plans WHERE id = ANY($1::bigint[])"),
            { QVariant::fromValue(QList<qint64>(tariffSet.cbegin(), tariffSet.cend())) });
        if (!q)
            return q.error();
        while (q.value().next())
            tariffs.insert(q.value().value(0).toLongLong(), q.value().value(1).toString());
    }
    for (SimListRow &r : rows) {
        if (r.customerId) {
            const QPair<QString, QString> c = customers.value(*r.customerId);
            r.customerNo = c.first;
            r.customerName = c.second;
        }
        if (r.tariffPlanId)
            r.tariffName = tariffs.value(*r.tariffPlanId);
    }
    return {};
}

struct PlanEstimate
{
    double rows = 0;
    double cost = 0;
};

Result<PlanEstimate> explain(const QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    Result<QueryResult> q = runQuery(db, QStringLiteral("EXPLAIN (FORMAT JSON) ") + sql, values);
    if (!q)
        return q.error();
    if (!q.value().next())
        return Error(ErrorCode::QueryFailed, {}, QStringLiteral("EXPLAIN returned nothing"));
    const QJsonDocument doc = QJsonDocument::fromJson(q.value().value(0).toString().toUtf8());
    const QJsonObject plan = doc.array().first().toObject().value(QLatin1String("Plan")).toObject();
    return PlanEstimate { plan.value(QLatin1String("Plan Rows")).toDouble(),
        plan.value(QLatin1String("Total Cost")).toDouble() };
}

} // namespace

bool SimListFilter::isEmpty() const
{
    return statuses.isEmpty() && !type && !tariffPlanId && !noTariff && !customerId
        && !importBatchId && !changedSince.isValid() && !activatedFrom.isValid()
        && !activatedTo.isValid() && search.trimmed().isEmpty() && identifiers.isEmpty()
        && iccidFirst.trimmed().isEmpty() && iccidLast.trimmed().isEmpty();
}

QString SimListQuery::searchDigits(const QString &input)
{
    QString digits = plainDigits(input);
    if (!input.trimmed().startsWith(QLatin1Char('+')) && digits.startsWith(QLatin1String("00")))
        digits.remove(0, 2);
    return digits;
}

QStringList SimListQuery::splitIdentifierList(const QString &text)
{
    static const QRegularExpression lineBreak(QStringLiteral("[\\r\\n]+"));
    QStringList lines;
    for (const QString &line : text.split(lineBreak, Qt::SkipEmptyParts)) {
        const QString t = line.trimmed();
        if (!t.isEmpty())
            lines << t;
    }
    return lines;
}

SimListCursor SimListQuery::cursorOf(const SimListRow &row, SimListSortKey key)
{
    SimListCursor c;
    c.id = row.id;
    switch (key) {
    case SimListSortKey::Id:
        break;
    case SimListSortKey::Iccid:
        c.key = row.iccid;
        break;
    case SimListSortKey::Msisdn:
        c.key = row.msisdn.isEmpty() ? QVariant() : QVariant(row.msisdn);
        break;
    case SimListSortKey::Status:
        c.key = statusKey(row.status);
        break;
    case SimListSortKey::UpdatedAt:
        c.key = row.updatedAtUs;
        break;
    }
    return c;
}

void SimListQuery::refresh() const
{
    m_estimateKey.clear();
    m_listLines.clear();
    m_listIds.clear();
}

Status SimListQuery::filterSql(const SimListFilter &filter, SimListSql &sql) const
{
    if (filter.identifiers.isEmpty() || filter.identifiers.size() > kMaxIdentifiers)
        return addFilter(sql, filter);
    // A pasted list is matched once (10,000 index probes); its pages and totals then read
    // the matching ids only.
    if (filter.identifiers != m_listLines) {
        // Only the list's part of the filter: the ids of all its cards.
        SimListFilter listOnly;
        listOnly.identifiers = filter.identifiers;
        SimListSql match;
        if (Status s = addFilter(match, listOnly); !s)
            return s;
        Result<QueryResult> q = runPlanned(m_db,
            QStringLiteral("SELECT c.id FROM sim_cards c%1").arg(match.whereClause()), match.values,
            true);
        if (!q)
            return q.error();
        QList<qint64> ids;
        while (q.value().next())
            ids << q.value().value(0).toLongLong();
        m_listLines = filter.identifiers;
        m_listIds = ids;
    }
    return addFilter(sql, filter, &m_listIds);
}

Result<bool> SimListQuery::fenced(const SimListFilter &filter, const SimListSql &sql) const
{
    if (!narrow(filter))
        return false;
    // One EXPLAIN per filter: pages of the same filter reuse its estimate.
    QStringList key { sql.whereClause() };
    for (const QVariant &v : sql.values) {
        if (v.metaType() == QMetaType::fromType<QStringList>()) {
            key << v.toStringList().join(QChar(0x1E));
        } else if (v.metaType() == QMetaType::fromType<QList<qint64>>()) {
            for (qint64 id : v.value<QList<qint64>>())
                key << QString::number(id);
        } else {
            key << v.toString();
        }
    }
    const QString cacheKey = key.join(QChar(0x1F));
    if (cacheKey != m_estimateKey) {
        Result<PlanEstimate> plan = explain(
            m_db, QStringLiteral("SELECT 1 FROM sim_cards c") + sql.whereClause(), sql.values);
        if (!plan)
            return plan.error();
        m_estimateKey = cacheKey;
        m_estimateRows = plan->rows;
        m_windowMissed = false;
    }
    return m_estimateRows <= m_fenceRows;
}

Result<SimListPage> SimListQuery::page(const SimListFilter &filter, const SimListSort &sort,
    const SimListCursor *cursor, bool backward, bool inclusive, int n, qint64 offset) const
{
    const bool ascending = (sort.order == Qt::AscendingOrder) != backward;
    const QList<Part> parts
        = keysetParts(sort.key, ascending, cursor, inclusive, onlyTerminated(filter));
    QString outerOrder = orderBy(sort.key, ascending, QStringLiteral("s"));
    if (sort.key == SimListSortKey::Msisdn) {
        outerOrder = ascending ? QStringLiteral("s.msisdn NULLS LAST, s.id")
                               : QStringLiteral("s.msisdn DESC NULLS FIRST, s.id DESC");
    }
    // Parts are read one after the other, the next only when the page is not full yet: the
    // second part is not even started while scrolling through the first. (With an offset, in
    // one statement.)
    QList<QList<Part>> steps;
    if (offset > 0 || parts.size() < 2) {
        steps << parts;
    } else {
        for (const Part &p : parts)
            steps << QList<Part> { p };
    }
    SimListPage page;
    for (const QList<Part> &step : steps) {
        const int want = n - int(page.rows.size());
        if (want <= 0 || step.isEmpty())
            break;
        // Ids first, from the columns that filter and order only: the planner then prices the
        // index-only walk of a matching index (status + id, status + updated_at + id, no number
        // by status + id) below walking another index and reading each row to test it.
        const QString keyCols = sort.key == SimListSortKey::Id
            ? QStringLiteral("c.id")
            : QStringLiteral("c.id, c.%1").arg(keyColumn(sort.key));
        SimListSql filtered;
        if (Status s = filterSql(filter, filtered); !s)
            return s.error();
        enum class Plan { Planner, Window, Fence };
        // Each read adds its own bound values to a copy of the filter's statement.
        auto read = [&](Plan plan) -> Result<QList<SimListRow>> {
            SimListSql sql = filtered;
            const QString ids = plan == Plan::Window
                ? windowedSelect(sql, keyCols, step.first(), want, m_windowRows)
                : orderedSelect(
                    sql, keyCols, step, sort.key, ascending, offset, want, plan == Plan::Fence);
            const QString inner = QStringLiteral(
                "SELECT %1 FROM sim_cards c WHERE c.id = ANY(ARRAY(SELECT z.id FROM (%2) z))")
                                      .arg(kCardColumns, ids);
            Result<QueryResult> q
                = runPlanned(m_db, withNames(inner, outerOrder), sql.values, sql.noSeqScan);
            if (!q)
                return q.error();
            QList<SimListRow> rows;
            while (q.value().next())
                rows.append(readRow(q.value()));
            return rows;
        };
        Result<bool> fence = fenced(filter, filtered);
        if (!fence)
            return fence.error();
        Plan plan = *fence ? Plan::Fence : Plan::Planner;
        if (!*fence && narrow(filter) && offset == 0 && step.size() == 1)
            plan = m_windowMissed && m_estimateRows <= kFenceAfterMissRows ? Plan::Fence
                                                                           : Plan::Window;
        Result<QList<SimListRow>> rows = read(plan);
        if (rows && plan == Plan::Window && rows->size() < want) {
            m_windowMissed = true;
            rows = read(Plan::Fence);
        }
        if (!rows)
            return rows.error();
        page.rows.append(std::move(*rows));
    }
    if (backward)
        std::reverse(page.rows.begin(), page.rows.end());
    return page;
}

Result<SimListPage> SimListQuery::firstPage(
    const SimListFilter &filter, const SimListSort &sort, int n) const
{
    return page(filter, sort, nullptr, false, false, n, 0);
}

Result<SimListPage> SimListQuery::lastPage(
    const SimListFilter &filter, const SimListSort &sort, int n) const
{
    return page(filter, sort, nullptr, true, false, n, 0);
}

Result<SimListPage> SimListQuery::pageAfter(
    const SimListFilter &filter, const SimListSort &sort, const SimListCursor &cursor, int n) const
{
    return page(filter, sort, &cursor, false, false, n, 0);
}

Result<SimListPage> SimListQuery::pageBefore(
    const SimListFilter &filter, const SimListSort &sort, const SimListCursor &cursor, int n) const
{
    return page(filter, sort, &cursor, true, false, n, 0);
}

Result<SimListPage> SimListQuery::rowsAt(const SimListFilter &filter, const SimListSort &sort,
    qint64 offset, int n, const SimListTotal &total) const
{
    offset = std::max<qint64>(offset, 0);
    // Near the end of an exact total the page is short; with an estimate it is the last n rows.
    if (total.exact && offset + n > total.count)
        n = int(std::max<qint64>(total.count - offset, 0));
    if (n == 0) {
        SimListPage empty;
        empty.offset = offset;
        return empty;
    }
    const qint64 fromEnd = std::max<qint64>(total.count - offset - n, 0);
    const bool backward = offset > fromEnd;
    const qint64 skip = backward ? fromEnd : offset;
    auto placed = [&](Result<SimListPage> p, bool exact) -> Result<SimListPage> {
        if (!p)
            return p;
        p.value().offset = backward
            ? std::max<qint64>(total.count - fromEnd - p.value().rows.size(), 0)
            : offset;
        p.value().positionExact = exact && (!backward || total.exact);
        return p;
    };
    if (skip == 0)
        return placed(page(filter, sort, nullptr, backward, false, n, 0), true);

    // The locator: the sort key and id of the row at `skip`, reading only the sort index.
    SimListSql sql;
    if (Status s = filterSql(filter, sql); !s)
        return s.error();
    const bool ascending = (sort.order == Qt::AscendingOrder) != backward;
    const QList<Part> parts
        = keysetParts(sort.key, ascending, nullptr, false, onlyTerminated(filter));
    // Only columns of the sort index are read, so the walk can be an index-only scan, and the
    // cursor's form is computed for the one row found, not for every row walked over. ICCIDs
    // are unique: the key alone places the row. (An MSISDN order has two parts and always
    // takes the sample below.)
    const QString keyCols = sort.key == SimListSortKey::Iccid
        ? QStringLiteral("c.iccid AS k, 0::bigint AS i")
        : QStringLiteral("c.%1 AS k, c.id AS i").arg(keyColumn(sort.key));
    const QString cursorCols = sort.key == SimListSortKey::UpdatedAt
        ? QStringLiteral("(extract(epoch FROM x.k) * 1000000)::bigint, x.i")
        : QStringLiteral("x.k, x.i");
    Result<bool> fence = fenced(filter, sql);
    if (!fence)
        return fence.error();
    const QString locator
        = QStringLiteral("SELECT %1 FROM (%2) x")
              .arg(cursorCols,
                  orderedSelect(sql, keyCols, parts, sort.key, ascending, skip, 1, *fence));
    PlanEstimate plan { 0, kLocatorCostLimit + 1 };
    if (parts.size() == 1) {
        Result<PlanEstimate> p = explain(m_db, locator, sql.values);
        if (!p)
            return p.error();
        plan = *p;
    }
    SimListCursor cursor;
    bool exact = true;
    if (plan.cost <= kLocatorCostLimit) {
        Result<QueryResult> q = runPlanned(m_db, locator, sql.values, sql.noSeqScan);
        if (!q)
            return q.error();
        if (!q.value().next()) // fewer rows than the total said: show the end
            return placed(page(filter, sort, nullptr, true, false, n, 0), false);
        cursor.key = q.value().value(0);
        cursor.id = q.value().value(1).toLongLong();
    } else {
        // A block sample of the result; the row at the same fraction of it is near the position.
        Result<QueryResult> rel = runQuery(m_db,
            QStringLiteral("SELECT greatest(reltuples, 1) FROM pg_class "
                           "WHERE oid = 'public.sim_cards'::regclass"));
        if (!rel)
            return rel.error();
        const double tuples = rel.value().next() ? rel.value().value(0).toDouble() : 1.0;
        const double percent = std::clamp(100.0 * kSampleRows / tuples, 0.05, 100.0);
        SimListSql s;
        if (Status st = filterSql(filter, s); !st)
            return st.error();
        const double fraction = total.count > 0 ? double(skip) / double(total.count) : 0.5;
        const QString order = orderBy(sort.key, ascending, QStringLiteral("c"));
        const QString keyExpr = sort.key == SimListSortKey::UpdatedAt
            ? QStringLiteral("(extract(epoch FROM c.updated_at) * 1000000)::bigint")
            : QStringLiteral("c.%1").arg(keyColumn(sort.key));
        const QString pct = s.bind(percent);
        const QString frac = s.bind(fraction);
        const QString sample = QStringLiteral(
            "SELECT k, id FROM (SELECT %1 AS k, c.id, row_number() OVER (ORDER BY %2) AS rn, "
            "count(*) OVER () AS cnt FROM sim_cards c TABLESAMPLE SYSTEM (%3::float8) "
            "REPEATABLE (0)%4) x WHERE rn = least(cnt, floor(%5::float8 * cnt)::bigint + 1)")
                                   .arg(keyExpr, order, pct, s.whereClause(), frac);
        Result<QueryResult> q = runQuery(m_db, sample, s.values);
        if (!q)
            return q.error();
        if (!q.value().next()) // nothing sampled: too few rows for a sample to see
            return placed(page(filter, sort, nullptr, backward, false, n, skip), true);
        cursor.key = q.value().value(0);
        cursor.id = q.value().value(1).toLongLong();
        // A sample of every block is the whole result: then the position is exact.
        exact = percent >= 100.0;
    }
    return placed(page(filter, sort, &cursor, backward, true, n, 0), exact);
}

Result<SimListTotal> SimListQuery::total(const SimListFilter &filter) const
{
    SimListSql sql;
    if (Status s = filterSql(filter, sql); !s)
        return s.error();
    const QString where = sql.whereClause();
    Result<PlanEstimate> plan
        = explain(m_db, QStringLiteral("SELECT 1 FROM sim_cards c") + where, sql.values);
    if (!plan)
        return plan.error();
    const qint64 estimate = qint64(std::llround(plan->rows));
    if (estimate > m_exactCountLimit)
        return SimListTotal { estimate, false };
    const QString limit = sql.bind(m_exactCountLimit + 1);
    Result<QueryResult> q = runPlanned(m_db,
        QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM sim_cards c%1 LIMIT %2) s")
            .arg(where, limit),
        sql.values, sql.noSeqScan);
    if (!q)
        return q.error();
    const qint64 counted = q.value().next() ? q.value().value(0).toLongLong() : 0;
    if (counted > m_exactCountLimit)
        return SimListTotal { std::max(estimate, counted), false };
    return SimListTotal { counted, true };
}

Result<qint64> SimListQuery::countExactly(const SimListFilter &filter) const
{
    SimListSql sql;
    if (Status s = filterSql(filter, sql); !s)
        return s.error();
    Result<QueryResult> q
        = runPlanned(m_db, QStringLiteral("SELECT count(*) FROM sim_cards c") + sql.whereClause(),
            sql.values, sql.noSeqScan);
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : 0;
}

Result<SimListMatches> SimListQuery::matchIdentifiers(const QStringList &lines) const
{
    QStringList given;
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty())
            given << line.trimmed();
    }
    if (given.size() > kMaxIdentifiers)
        return Error(ErrorCode::InvalidArgument,
            { QStringLiteral("more than %1 identifiers").arg(kMaxIdentifiers) });
    SimListMatches result;
    if (given.isEmpty())
        return result;
    // One set-based query: each identifier kind probes its own index with the whole array
    // (= ANY of a bound text[]); lines are matched to the cards here, in input order.
    const QList<Candidates> candidates = candidatesOf(given);
    const IdentifierArrays a = arraysOf(candidates);
    SimListSql sql;
    sql.where << QStringLiteral(
        "(c.iccid = ANY(%1::text[]) OR c.msisdn = ANY(%2::text[]) OR c.imsi = ANY(%3::text[]))")
                     .arg(sql.bind(a.iccids), sql.bind(a.msisdns), sql.bind(a.imsis));
    // The cards alone (a join to 160,000 customers under enable_seqscan = off would walk their
    // whole primary key); their names follow in two small queries.
    Result<QueryResult> q = runPlanned(m_db,
        QStringLiteral("SELECT %1, NULL::text, NULL::text, NULL::text, "
                       "(extract(epoch FROM c.updated_at) * 1000000)::bigint FROM sim_cards c%2")
            .arg(kCardColumns, sql.whereClause()),
        sql.values, true);
    if (!q)
        return q.error();
    QList<SimListRow> found;
    QHash<QString, int> byIccid;
    QHash<QString, int> byMsisdn;
    QHash<QString, int> byImsi;
    while (q.value().next()) {
        SimListRow row = readRow(q.value());
        byIccid.insert(row.iccid, found.size());
        if (!row.msisdn.isEmpty())
            byMsisdn.insert(row.msisdn, found.size());
        if (!row.imsi.isEmpty())
            byImsi.insert(row.imsi, found.size());
        found.append(std::move(row));
    }
    if (Status names = fillNames(m_db, found); !names)
        return names.error();
    QSet<qint64> taken;
    for (int n = 0; n < given.size(); ++n) {
        const QString &line = given.at(n);
        const Candidates &c = candidates.at(n);
        QList<int> hits;
        if (!c.iccid.isEmpty() && byIccid.contains(c.iccid))
            hits << byIccid.value(c.iccid);
        if (!c.msisdn.isEmpty() && byMsisdn.contains(c.msisdn))
            hits << byMsisdn.value(c.msisdn);
        if (!c.imsi.isEmpty() && byImsi.contains(c.imsi))
            hits << byImsi.value(c.imsi);
        if (hits.isEmpty()) {
            result.notFound << line;
            continue;
        }
        for (int i : hits) {
            // Each card once: moved out the first time a line names it.
            if (!taken.contains(found[i].id)) {
                taken.insert(found[i].id);
                result.rows.append(std::move(found[i]));
            }
        }
    }
    return result;
}

Result<QList<qint64>> SimListQuery::matchingIds(const SimListFilter &filter, int limit) const
{
    SimListSql sql;
    if (Status s = addFilter(sql, filter); !s)
        return s.error();
    // One more than the limit tells "too many" from "exactly the limit".
    const QString limitParam = sql.bind(limit + 1);
    Result<QueryResult> q = runPlanned(m_db,
        QStringLiteral("SELECT c.id FROM sim_cards c") + sql.whereClause()
            + QStringLiteral(" ORDER BY c.id LIMIT %1").arg(limitParam),
        sql.values, sql.noSeqScan);
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q.value().next())
        ids << q.value().value(0).toLongLong();
    if (ids.size() > limit)
        return Error(ErrorCode::InvalidArgument,
            { QStringLiteral("more than %1 cards match; narrow the filter").arg(limit) });
    return ids;
}

} // namespace simdesk
