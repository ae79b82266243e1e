// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "services/simlistquery.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace simdesk {

class IdentifierList;

// One ordered part of a keyset read: a condition and its order. An MSISDN order has two parts
// (cards with a number, then those without), every other order one. `where` names the cursor's
// values {k} (its sort key) and {i} (its id); they are bound when the part is written into a
// statement, so a part can be written into several statements.
struct SimListPart
{
    QString where; // over sim_cards c; empty: every row
    QString order; // over sim_cards c
    QVariant key;
    QVariant id;
};

// The SIM list's statements, built without a database: a filter's conditions with their bound
// values ($1..$n in the order they were bound), the keyset parts of a sort, and the selects
// SimListQuery runs. Every value is a bound parameter; the only text written into a statement
// is fixed text picked by an enum or a flag (columns, sort directions, comparison operators) and
// the placeholders. The tables and their indexes are in sql/001_schema.sql and
// sql/006_sim_list.sql; why each statement has its shape is in docs/performance.md ("SIM list
// query").
//
// Rows of pageSelect() and cardSelect() have this layout: id, iccid, msisdn, imsi, status,
// sim_type, customer_id, tariff_plan_id, updated_at, version, customer_no, customer name,
// tariff name, updated_at in microseconds since 1970 (bigint); in the Pasted order also the
// card's place in the list (bigint).
class SimListSql
{
public:
    // Adds `value` as the next parameter and returns its placeholder ("$3").
    QString bind(const QVariant &value);
    // The conditions, ANDed: "" or " WHERE a AND b".
    QString whereClause() const;
    const QStringList &conditions() const { return m_where; }
    const QVariantList &values() const { return m_values; }
    // The statement must run with sequential scans off: the planner prices the many index
    // probes of a pasted list above reading the whole table, which is several times slower.
    bool noSeqScan() const { return m_noSeqScan; }
    // The search is an 8-digit ICCID prefix: fenced, its ICCID alternative walks an index in
    // the list's order and stops after a page, so the fence is cheap however many cards match.
    bool searchWalks() const;

    // Adds the filter's conditions. `listIds`: the cards of filter.identifiers, when they are
    // known already (SimListQuery matches a pasted list once and then reads its ids); without
    // them the list is matched inside the statement, and noSeqScan() becomes true.
    // InvalidArgument, with nothing added, for a list longer than SimListQuery::kMaxIdentifiers.
    Status addFilter(const SimListFilter &filter, const QList<qint64> *listIds = nullptr);
    // Adds "the card has one of the list's ICCIDs, MSISDNs or IMSIs"; noSeqScan() becomes true.
    void addAnyIdentifier(const IdentifierList &list);
    // The ids of the cards a pasted list names, each once, in the order of the first line naming
    // it (then by id): the order SimListSortKey::Pasted numbers. Each kind of value is joined to
    // its own index with the line that first named it; noSeqScan() becomes true.
    QString listOrderSelect(const IdentifierList &list);
    // A text that is equal for two statements exactly when their conditions and values are.
    QString cacheKey() const;

    // The parts of a keyset read in list order (`ascending` as a whole) after `cursor`, or all
    // rows when it is null; `inclusive`: the cursor's row too. A filter that admits only
    // TERMINATED cards (which never have a number) leaves out the part with numbers.
    static QList<SimListPart> keysetParts(const SimListFilter &filter, SimListSortKey key,
        bool ascending, const SimListCursor *cursor, bool inclusive);

    // The ids (and sort key) of `limit` matching cards in list order from the parts, after
    // skipping `offset`. With `fence` the matching cards are found first without regard to the
    // order (for narrow filters whose matches cluster), then sorted.
    QString orderedIds(const QList<SimListPart> &parts, SimListSortKey key, bool ascending,
        qint64 offset, int limit, bool fence = false);
    // The first `limit` matches among the next `windowRows` rows of the list order after
    // `part`'s cursor. Fewer rows back do not mean fewer matches: they may lie further on.
    QString windowedIds(const SimListPart &part, SimListSortKey key, int limit, int windowRows);
    // The rows of the cards that `ids` (orderedIds() or windowedIds()) selects, with the names
    // shown in the list, in list order.
    static QString pageSelect(const QString &ids, SimListSortKey key, bool ascending);

    // The sort key and id of the matching row at position `skip` of the parts, as a cursor:
    // (key, id), the key of an update time in microseconds, an ICCID's id 0 (the key alone
    // places it). Reads only the sort index's columns, so the walk can be index-only.
    QString locatorSelect(const QList<SimListPart> &parts, SimListSortKey key, bool ascending,
        qint64 skip, bool fence);
    // The cursor of the row at `fraction` (0..1) of a block sample of `percent` % of the table's
    // pages, filtered and in list order; no row when the sample holds no match.
    QString sampleSelect(SimListSortKey key, bool ascending, double percent, double fraction);
    // The planner's idea of the table's size (at least 1).
    static QString tableRowsSelect();

    // One row per matching card (what EXPLAIN estimates).
    QString matchSelect() const;
    // The number of matching cards.
    QString countSelect() const;
    // The number of matching cards, counting no further than `stopAfter`.
    QString countSelect(qint64 stopAfter);
    // The ids of the matching cards.
    QString idSelect() const;
    // The ids of the first `limit` matching cards in id order.
    QString idSelect(int limit);
    // The matching cards in pageSelect()'s row layout, names left NULL.
    QString cardSelect() const;

    // The column a sort key orders by.
    static QString keyColumn(SimListSortKey key);
    // The list order over table alias `alias`: the key, then id.
    static QString orderBy(SimListSortKey key, bool ascending, const QString &alias);

private:
    void addCardConditions(const SimListFilter &filter);
    void addSearch(const QString &search);
    QString anyIdentifier(const QString &alias, const IdentifierList &list);
    QString renderWhere(const SimListPart &part);
    // `armLimit`: with a fence and a search, each of the search's alternatives is fenced on
    // its own and limited to this many rows (offset + limit of the statement).
    QString partFrom(const SimListPart &part, SimListSortKey key, bool fence, qint64 armLimit);
    QString searchArmsFrom(
        const QString &partWhere, SimListPart const &part, SimListSortKey key, qint64 armLimit);
    QString orderedSelect(const QString &columns, const QList<SimListPart> &parts,
        SimListSortKey key, bool ascending, qint64 offset, int limit, bool fence);

    QStringList m_where;
    // The search's alternatives (ICCID prefix, ICCID suffix, …), whose OR is m_where[m_searchAt];
    // for exactly 8 digits the ICCID prefix also as left(iccid, 8) = …, which the
    // (left(iccid, 8), id) index serves (sql/019_iccid_prefix_order.sql).
    QStringList m_searchArms;
    QString m_prefixArm;
    qsizetype m_searchAt = -1;
    QVariantList m_values;
    bool m_noSeqScan = false;
    QString m_listParam; // the placeholder of a pasted list's ids, in list order
};

} // namespace simdesk
