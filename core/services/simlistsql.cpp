// SPDX-License-Identifier: MIT
#include "services/simlistsql.h"

#include "domain/validation.h"
#include "services/identifierlist.h"

#include <algorithm>

namespace simdesk {

namespace {

const QString kCardColumns = QStringLiteral(
    "c.id, c.iccid, c.msisdn, c.imsi, c.status, c.sim_type, c.customer_id, c.tariff_plan_id, "
    "c.updated_at, c.version");
// An update time as the exact microseconds that cursors carry (a QDateTime keeps milliseconds).
const QString kUpdatedUs = QStringLiteral("(extract(epoch FROM %1.updated_at) * 1000000)::bigint");

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

// An ICCID range end: a valid ICCID (an 18-digit one completed with its check digit), or the
// bare digits as a text bound.
QString iccidBound(const QString &input)
{
    if (Result<QString> iccid = validation::completeIccid(input))
        return *iccid;
    return IdentifierList::searchDigits(input);
}

bool onlyTerminated(const SimListFilter &f)
{
    return !f.statuses.isEmpty()
        && std::all_of(f.statuses.cbegin(), f.statuses.cend(),
            [](SimStatus s) { return s == SimStatus::Terminated; });
}

// The id and the sort key: what a page's ids are chosen from. With only these the planner
// prices the index-only walk of a matching index (status + id, status + updated_at + id, no
// number by status + id) below walking another index and reading each row to test it.
QString idColumns(SimListSortKey key)
{
    return key == SimListSortKey::Id ? QStringLiteral("c.id")
                                     : QStringLiteral("c.id, c.%1").arg(SimListSql::keyColumn(key));
}

QString comparison(bool ascending, bool inclusive)
{
    if (ascending)
        return inclusive ? QStringLiteral(">=") : QStringLiteral(">");
    return inclusive ? QStringLiteral("<=") : QStringLiteral("<");
}

// The two parts of an MSISDN order: cards with a number by number, then those without by id
// (ascending; descending the exact reverse).
QList<SimListPart> msisdnParts(bool ascending, const SimListCursor *cursor, const QString &cmp)
{
    const QString dir = ascending ? QString() : QStringLiteral(" DESC");
    SimListPart withNumber { QStringLiteral("c.msisdn IS NOT NULL"),
        QStringLiteral("c.msisdn") + dir, {}, {} };
    SimListPart without { QStringLiteral("c.msisdn IS NULL"), QStringLiteral("c.id") + dir, {},
        {} };
    if (cursor && !cursor->key.isNull()) {
        withNumber.where = QStringLiteral("c.msisdn %1 {k}::text").arg(cmp);
        withNumber.key = cursor->key.toString();
        // After a card with a number: ascending, all cards without one are still to come;
        // descending, they came first and are done.
        return ascending ? QList<SimListPart> { withNumber, without }
                         : QList<SimListPart> { withNumber };
    }
    if (cursor) {
        without.where += QStringLiteral(" AND c.id %1 {i}::bigint").arg(cmp);
        without.id = cursor->id;
        return ascending ? QList<SimListPart> { without }
                         : QList<SimListPart> { without, withNumber };
    }
    return ascending ? QList<SimListPart> { withNumber, without }
                     : QList<SimListPart> { without, withNumber };
}

} // namespace

QString SimListSql::bind(const QVariant &value)
{
    m_values.append(value);
    return QStringLiteral("$%1").arg(m_values.size());
}

QString SimListSql::whereClause() const
{
    return m_where.isEmpty() ? QString()
                             : QStringLiteral(" WHERE ") + m_where.join(QStringLiteral(" AND "));
}

Status SimListSql::addFilter(const SimListFilter &filter, const QList<qint64> *listIds)
{
    if (filter.identifiers.size() > SimListQuery::kMaxIdentifiers)
        return Error(ErrorCode::InvalidArgument,
            { QStringLiteral("more than %1 identifiers").arg(SimListQuery::kMaxIdentifiers) });
    addCardConditions(filter);
    addSearch(filter.search.trimmed());
    if (filter.identifiers.isEmpty())
        return {};
    if (listIds) {
        m_listParam = bind(QVariant::fromValue(*listIds));
        m_where << QStringLiteral("c.id = ANY(%1::bigint[])").arg(m_listParam);
        return {};
    }
    // The matching ids first (an init plan probing the three indexes), so that the list order
    // then reads only the ids' rows, wherever they are in the table.
    const IdentifierList list(filter.identifiers);
    m_where << QStringLiteral("c.id = ANY(ARRAY(SELECT l.id FROM sim_cards l WHERE %1))")
                   .arg(anyIdentifier(QStringLiteral("l"), list));
    m_noSeqScan = true;
    return {};
}

void SimListSql::addCardConditions(const SimListFilter &f)
{
    if (f.statuses.size() == 1) {
        m_where << QStringLiteral("c.status = %1").arg(bind(statusKey(f.statuses.first())));
    } else if (!f.statuses.isEmpty()) {
        QStringList keys;
        for (SimStatus s : f.statuses)
            keys << statusKey(s);
        m_where << QStringLiteral("c.status = ANY(%1::text[])").arg(bind(keys));
    }
    if (f.type)
        m_where << QStringLiteral("c.sim_type = %1").arg(bind(simTypeKey(*f.type)));
    if (f.noTariff)
        m_where << QStringLiteral("c.tariff_plan_id IS NULL");
    else if (f.tariffPlanId)
        m_where << QStringLiteral("c.tariff_plan_id = %1::bigint").arg(bind(*f.tariffPlanId));
    if (f.customerId)
        m_where << QStringLiteral("c.customer_id = %1::bigint").arg(bind(*f.customerId));
    if (f.importBatchId)
        m_where << QStringLiteral("c.import_batch_id = %1::bigint").arg(bind(*f.importBatchId));
    if (f.changedSince.isValid())
        m_where << QStringLiteral("c.updated_at >= %1::timestamptz").arg(bind(f.changedSince));
    if (f.activatedFrom.isValid())
        m_where << QStringLiteral("c.activated_at >= %1::timestamptz").arg(bind(f.activatedFrom));
    if (f.activatedTo.isValid())
        m_where << QStringLiteral("c.activated_at < %1::timestamptz").arg(bind(f.activatedTo));
    if (!f.iccidFirst.trimmed().isEmpty())
        m_where << QStringLiteral("c.iccid >= %1::text").arg(bind(iccidBound(f.iccidFirst)));
    if (!f.iccidLast.trimmed().isEmpty())
        m_where << QStringLiteral("c.iccid <= %1::text").arg(bind(iccidBound(f.iccidLast)));
}

void SimListSql::addSearch(const QString &search)
{
    if (search.isEmpty())
        return;
    const QString digits = IdentifierList::searchDigits(search);
    if (digits.isEmpty()) {
        // Not an identifier: a customer number ("C-000123"), exact, any case.
        m_where << QStringLiteral(
            "c.customer_id = (SELECT cu.id FROM customers cu WHERE cu.customer_no = %1::text)")
                       .arg(bind(search.toUpper()));
        return;
    }
    // Each alternative is a range on its own index (prefix: the identifier's C-collated btree;
    // suffix: the reverse() expression index), combined by a BitmapOr. The last digits keep a
    // leading 00 (IdentifierList::tailDigits()).
    const QString tail = IdentifierList::tailDigits(search);
    const QString from = bind(digits);
    const QString to = bind(prefixEnd(digits));
    const QString rfrom = bind(reversed(tail));
    const QString rto = bind(prefixEnd(reversed(tail)));
    const QString mfrom = bind(QLatin1Char('+') + digits);
    const QString mto = bind(prefixEnd(QLatin1Char('+') + digits));
    // Exactly 8 digits, an issuer's or a batch's ICCID prefix, is also written as the first 8
    // digits, which (left(iccid, 8), id) holds in id order (searchArmsFrom()). Only there: beside
    // the range the planner would multiply the two estimates as if independent.
    const QString iccidArm
        = QStringLiteral("c.iccid >= %1::text AND c.iccid < %2::text").arg(from, to);
    m_prefixArm
        = digits.size() == 8 ? QStringLiteral("left(c.iccid, 8) = %1::text").arg(from) : QString();
    m_searchArms = {
        iccidArm,
        QStringLiteral("reverse(c.iccid) >= %1::text AND reverse(c.iccid) < %2::text")
            .arg(rfrom, rto),
        QStringLiteral("c.msisdn >= %1::text AND c.msisdn < %2::text").arg(mfrom, mto),
        QStringLiteral("c.msisdn IS NOT NULL AND reverse(c.msisdn) >= %1::text"
                       " AND reverse(c.msisdn) < %2::text")
            .arg(rfrom, rto),
        QStringLiteral("c.imsi >= %1::text AND c.imsi < %2::text").arg(from, to),
        QStringLiteral("c.imsi IS NOT NULL AND reverse(c.imsi) >= %1::text"
                       " AND reverse(c.imsi) < %2::text")
            .arg(rfrom, rto),
    };
    m_searchAt = m_where.size();
    m_where << QStringLiteral("((%1))").arg(m_searchArms.join(QStringLiteral(") OR (")));
}

QString SimListSql::anyIdentifier(const QString &alias, const IdentifierList &list)
{
    const QString iccids = bind(list.iccids());
    const QString msisdns = bind(list.msisdns());
    const QString imsis = bind(list.imsis());
    return QStringLiteral(
        "%1.iccid = ANY(%2::text[]) OR %1.msisdn = ANY(%3::text[]) OR %1.imsi = ANY(%4::text[])")
        .arg(alias, iccids, msisdns, imsis);
}

QString SimListSql::listOrderSelect(const IdentifierList &list)
{
    // A card named by several lines (or by its ICCID and its MSISDN) takes the first one.
    const auto kind
        = [this](const QString &column, const QStringList &values, const QList<qint64> &lines) {
              const QString v = bind(values); // bound in order: the placeholders follow the text
              const QString line = bind(QVariant::fromValue(lines));
              return QStringLiteral("SELECT c.id, x.line FROM unnest(%1::text[], %2::bigint[]) "
                                    "AS x(v, line) JOIN sim_cards c ON c.%3 = x.v COLLATE \"C\"")
                  .arg(v, line, column);
          };
    m_noSeqScan = true;
    const QString byIccid = kind(QStringLiteral("iccid"), list.iccids(), list.iccidLines());
    const QString byMsisdn = kind(QStringLiteral("msisdn"), list.msisdns(), list.msisdnLines());
    const QString byImsi = kind(QStringLiteral("imsi"), list.imsis(), list.imsiLines());
    return QStringLiteral("SELECT m.id FROM (%1 UNION ALL %2 UNION ALL %3) m "
                          "GROUP BY m.id ORDER BY min(m.line), m.id")
        .arg(byIccid, byMsisdn, byImsi);
}

void SimListSql::addAnyIdentifier(const IdentifierList &list)
{
    m_where << QLatin1Char('(') + anyIdentifier(QStringLiteral("c"), list) + QLatin1Char(')');
    m_noSeqScan = true;
}

QString SimListSql::cacheKey() const
{
    QStringList key { whereClause() };
    for (const QVariant &v : m_values) {
        if (v.metaType() == QMetaType::fromType<QStringList>()) {
            key << v.toStringList().join(QChar(0x1E));
        } else if (v.metaType() == QMetaType::fromType<QList<qint64>>()) {
            for (qint64 id : v.value<QList<qint64>>())
                key << QString::number(id);
        } else {
            key << v.toString();
        }
    }
    return key.join(QChar(0x1F));
}

QList<SimListPart> SimListSql::keysetParts(const SimListFilter &filter, SimListSortKey key,
    bool ascending, const SimListCursor *cursor, bool inclusive)
{
    const QString cmp = comparison(ascending, inclusive);
    if (key == SimListSortKey::Msisdn) {
        QList<SimListPart> parts = msisdnParts(ascending, cursor, cmp);
        // Only cards that cannot have a number (TERMINATED, by the
        // sim_cards_terminated_releases_msisdn constraint): the part with numbers would be read
        // in full to find nothing.
        if (onlyTerminated(filter)) {
            parts.erase(std::remove_if(parts.begin(), parts.end(),
                            [](const SimListPart &p) {
                                return p.order.startsWith(QLatin1String("c.msisdn"));
                            }),
                parts.end());
        }
        return parts;
    }
    SimListPart p { QString(), orderBy(key, ascending, QStringLiteral("c")), {}, {} };
    if (!cursor)
        return { p };
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
        p.where
            = QStringLiteral("(c.updated_at, c.id) %1 ({k}::timestamptz, {i}::bigint)").arg(cmp);
        p.key = microsToText(cursor->key.toLongLong());
        break;
    case SimListSortKey::Pasted:
        p.where = QStringLiteral("(c.pos, c.id) %1 ({k}::bigint, {i}::bigint)").arg(cmp);
        break;
    case SimListSortKey::Msisdn:
        break;
    }
    return { p };
}

QString SimListSql::renderWhere(const SimListPart &part)
{
    QString w = part.where;
    if (w.contains(QLatin1String("{k}")))
        w.replace(QLatin1String("{k}"), bind(part.key));
    if (w.contains(QLatin1String("{i}")))
        w.replace(QLatin1String("{i}"), bind(part.id));
    return w;
}

bool SimListSql::searchWalks() const
{
    return !m_prefixArm.isEmpty() && m_listParam.isEmpty();
}

QString SimListSql::partFrom(
    const SimListPart &part, SimListSortKey key, bool fence, qint64 armLimit)
{
    const QString base = whereClause();
    const QString w = renderWhere(part);
    if (fence && armLimit > 0 && searchWalks() && key != SimListSortKey::Pasted)
        return searchArmsFrom(w, part, key, armLimit);
    const QString where = w.isEmpty() ? base
        : base.isEmpty()              ? QStringLiteral(" WHERE ") + w
                                      : base + QStringLiteral(" AND ") + w;
    if (key == SimListSortKey::Pasted && !m_listParam.isEmpty()) {
        // The list's cards numbered in list order; probing their ids beats reading the table.
        m_noSeqScan = true;
        return QStringLiteral(" FROM (SELECT c.*, o.pos FROM unnest(%1::bigint[]) WITH ORDINALITY "
                              "AS o(id, pos) JOIN sim_cards c ON c.id = o.id) c")
                   .arg(m_listParam)
            + where;
    }
    if (!fence)
        return QStringLiteral(" FROM sim_cards c") + where;
    // OFFSET 0 keeps the planner from walking the sort index in the hope of meeting matches
    // early. Only the id and the sort key: an index holding the filter's column and id (such as
    // (activated_at, id) or (updated_at, id)) then answers without reading the rows.
    return QStringLiteral(" FROM (SELECT %1 FROM sim_cards c%2 OFFSET 0) c")
        .arg(idColumns(key), where);
}

// The fence of an 8-digit ICCID prefix, one search alternative at a time: the first `armLimit`
// rows of each in the part's order, then UNION (a card can match two alternatives). The first
// rows of all matches are among them, since each match is among the first of every alternative
// it matches. At ten million cards the prefix of one import batch matches 1,800,000 cards:
// fenced as one OR they were all read and sorted (5.6 s); alone, the ICCID alternative walks
// an index in the list's order and stops after a page — (left(iccid, 8), (id + 0)) in id
// order, the ICCID index itself in ICCID order (docs/performance.md, "Ten million cards"). In
// the other orders, and for the other alternatives (a few cards each), each is fenced with
// OFFSET 0 as before.
QString SimListSql::searchArmsFrom(
    const QString &partWhere, const SimListPart &part, SimListSortKey key, qint64 armLimit)
{
    QStringList others = m_where;
    others.removeAt(m_searchAt);
    const QString lim = bind(armLimit);
    QStringList arms;
    for (qsizetype i = 0; i < m_searchArms.size(); ++i) {
        QString arm = m_searchArms[i];
        QString order = part.order;
        QString cursor = partWhere;
        // In id order the prefix's cards are read from (left(iccid, 8), (id + 0)), cursor and
        // order written as that index's second column: were they c.id, the planner would walk
        // the primary key instead, taking the prefix's cards as spread evenly over the ids.
        const bool walks = i == 0 && (key == SimListSortKey::Id || key == SimListSortKey::Iccid);
        if (i == 0 && key == SimListSortKey::Id) {
            arm = m_prefixArm;
            order.replace(QLatin1String("c.id"), QLatin1String("(c.id + 0)"));
            cursor.replace(QLatin1String("c.id"), QLatin1String("(c.id + 0)"));
        }
        QStringList conditions = others;
        if (!cursor.isEmpty())
            conditions << cursor;
        conditions << arm;
        const QString where = QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
        const QString from = walks
            ? QStringLiteral(" FROM sim_cards c") + where
            : QStringLiteral(" FROM (SELECT %1 FROM sim_cards c%2 OFFSET 0) c")
                  .arg(idColumns(key), where);
        arms << QStringLiteral("(SELECT %1%2 ORDER BY %3 LIMIT %4)")
                    .arg(idColumns(key), from, order, lim);
    }
    return QStringLiteral(" FROM (%1) c").arg(arms.join(QStringLiteral(" UNION ")));
}

// With two parts each part is limited on its own, so only the rows needed are read from each
// index; a constant `part` column keeps their order.
QString SimListSql::orderedSelect(const QString &columns, const QList<SimListPart> &parts,
    SimListSortKey key, bool ascending, qint64 offset, int limit, bool fence)
{
    if (parts.size() == 1) {
        const QString from = partFrom(parts.first(), key, fence, offset + limit);
        const QString offsetSql
            = offset > 0 ? QStringLiteral(" OFFSET %1").arg(bind(offset)) : QString();
        const QString lim = bind(limit);
        return QStringLiteral("SELECT %1%2 ORDER BY %3%4 LIMIT %5")
            .arg(columns, from, parts.first().order, offsetSql, lim);
    }
    QStringList selects;
    for (int i = 0; i < parts.size(); ++i) {
        const QString from = partFrom(parts[i], key, fence, offset + limit);
        selects << QStringLiteral("(SELECT %1 AS part, %2%3 ORDER BY %4 LIMIT %5)")
                       .arg(
                           QString::number(i), columns, from, parts[i].order, bind(offset + limit));
    }
    const QString offsetSql
        = offset > 0 ? QStringLiteral(" OFFSET %1").arg(bind(offset)) : QString();
    const QString lim = bind(limit);
    return QStringLiteral("SELECT * FROM (%1) c ORDER BY c.part, %2%3 LIMIT %4")
        .arg(selects.join(QStringLiteral(" UNION ALL ")),
            orderBy(key, ascending, QStringLiteral("c")), offsetSql, lim);
}

QString SimListSql::orderedIds(const QList<SimListPart> &parts, SimListSortKey key, bool ascending,
    qint64 offset, int limit, bool fence)
{
    return orderedSelect(idColumns(key), parts, key, ascending, offset, limit, fence);
}

// One part: the window reads its sort index in order, the filter is applied to what it read.
QString SimListSql::windowedIds(
    const SimListPart &part, SimListSortKey key, int limit, int windowRows)
{
    const QString w = renderWhere(part);
    const QString window = QStringLiteral("SELECT c.* FROM sim_cards c%1 ORDER BY %2 LIMIT %3")
                               .arg(w.isEmpty() ? QString() : QStringLiteral(" WHERE ") + w,
                                   part.order, bind(windowRows));
    return QStringLiteral("SELECT %1 FROM (%2) c%3 ORDER BY %4 LIMIT %5")
        .arg(idColumns(key), window, whereClause(), part.order, bind(limit));
}

QString SimListSql::pageSelect(const QString &ids, SimListSortKey key, bool ascending)
{
    QString outerOrder = orderBy(key, ascending, QStringLiteral("s"));
    if (key == SimListSortKey::Msisdn) {
        outerOrder = ascending ? QStringLiteral("s.msisdn NULLS LAST, s.id")
                               : QStringLiteral("s.msisdn DESC NULLS FIRST, s.id DESC");
    }
    const bool pasted = key == SimListSortKey::Pasted;
    // In the Pasted order the ids come with their place, which the rows carry for the cursor.
    const QString inner = pasted
        ? QStringLiteral("SELECT %1, z.pos FROM (%2) z JOIN sim_cards c ON c.id = z.id")
              .arg(kCardColumns, ids)
        : QStringLiteral(
            "SELECT %1 FROM sim_cards c WHERE c.id = ANY(ARRAY(SELECT z.id FROM (%2) z))")
              .arg(kCardColumns, ids);
    return QStringLiteral(
        "SELECT s.id, s.iccid, s.msisdn, s.imsi, s.status, s.sim_type, s.customer_id, "
        "s.tariff_plan_id, s.updated_at, s.version, cu.customer_no, cu.full_name, t.name, %1%2 "
        "FROM (%3) s LEFT JOIN customers cu ON cu.id = s.customer_id "
        "LEFT JOIN tariff_plans t ON t.id = s.tariff_plan_id ORDER BY %4")
        .arg(kUpdatedUs.arg(QStringLiteral("s")), pasted ? QStringLiteral(", s.pos") : QString(),
            inner, outerOrder);
}

QString SimListSql::locatorSelect(
    const QList<SimListPart> &parts, SimListSortKey key, bool ascending, qint64 skip, bool fence)
{
    // The cursor's form is computed for the one row found, not for every row walked over.
    const QString keyCols = key == SimListSortKey::Iccid
        ? QStringLiteral("c.iccid AS k, 0::bigint AS i")
        : QStringLiteral("c.%1 AS k, c.id AS i").arg(keyColumn(key));
    const QString cursorCols = key == SimListSortKey::UpdatedAt
        ? QStringLiteral("(extract(epoch FROM x.k) * 1000000)::bigint, x.i")
        : QStringLiteral("x.k, x.i");
    return QStringLiteral("SELECT %1 FROM (%2) x")
        .arg(cursorCols, orderedSelect(keyCols, parts, key, ascending, skip, 1, fence));
}

QString SimListSql::sampleSelect(
    SimListSortKey key, bool ascending, double percent, double fraction)
{
    const QString keyExpr = key == SimListSortKey::UpdatedAt
        ? kUpdatedUs.arg(QStringLiteral("c"))
        : QStringLiteral("c.%1").arg(keyColumn(key));
    const QString pct = bind(percent);
    const QString frac = bind(fraction);
    return QStringLiteral(
        "SELECT k, id FROM (SELECT %1 AS k, c.id, row_number() OVER (ORDER BY %2) AS rn, "
        "count(*) OVER () AS cnt FROM sim_cards c TABLESAMPLE SYSTEM (%3::float8) "
        "REPEATABLE (0)%4) x WHERE rn = least(cnt, floor(%5::float8 * cnt)::bigint + 1)")
        .arg(keyExpr, orderBy(key, ascending, QStringLiteral("c")), pct, whereClause(), frac);
}

QString SimListSql::tableRowsSelect()
{
    return QStringLiteral("SELECT greatest(reltuples, 1) FROM pg_class "
                          "WHERE oid = 'public.sim_cards'::regclass");
}

QString SimListSql::matchSelect() const
{
    return QStringLiteral("SELECT 1 FROM sim_cards c") + whereClause();
}

QString SimListSql::countSelect() const
{
    return QStringLiteral("SELECT count(*) FROM sim_cards c") + whereClause();
}

QString SimListSql::countSelect(qint64 stopAfter)
{
    const QString where = whereClause();
    return QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM sim_cards c%1 LIMIT %2) s")
        .arg(where, bind(stopAfter));
}

QString SimListSql::idSelect() const
{
    return QStringLiteral("SELECT c.id FROM sim_cards c") + whereClause();
}

QString SimListSql::idSelect(int limit)
{
    const QString select = idSelect();
    return select + QStringLiteral(" ORDER BY c.id LIMIT %1").arg(bind(limit));
}

QString SimListSql::cardSelect() const
{
    return QStringLiteral("SELECT %1, NULL::text, NULL::text, NULL::text, %2 FROM sim_cards c%3")
        .arg(kCardColumns, kUpdatedUs.arg(QStringLiteral("c")), whereClause());
}

QString SimListSql::keyColumn(SimListSortKey key)
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
    case SimListSortKey::Pasted:
        return QStringLiteral("pos"); // numbered in the statement (partFrom())
    }
    return QStringLiteral("id");
}

QString SimListSql::orderBy(SimListSortKey key, bool ascending, const QString &alias)
{
    const QString dir = ascending ? QString() : QStringLiteral(" DESC");
    if (key == SimListSortKey::Id)
        return alias + QStringLiteral(".id") + dir;
    // Ascending: no number last; descending: first (PostgreSQL's defaults, the exact reverse).
    return QStringLiteral("%1.%2%3, %1.id%3").arg(alias, keyColumn(key), dir);
}

} // namespace simdesk
