// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"
#include "domain/simtypes.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>
#include <QVariant>

#include <optional>

// The SIM list as queries only (no widgets): filter, search, sort, keyset paging, jumps to any
// position and totals, each planned to stay within 50 ms at 1,000,000 cards
// (tests/bench/bench_simlist.cpp, docs/performance.md "SIM list query"). SimListQuery runs them;
// SimListSql (simlistsql.h) writes their statements and IdentifierList (identifierlist.h)
// reads pasted lists.
namespace simdesk {

// What the list shows. Every part is optional; the parts combine with AND.
struct SimListFilter
{
    QList<SimStatus> statuses; // any of these; empty: every status
    std::optional<SimType> type;
    std::optional<qint64> tariffPlanId;
    bool noTariff = false; // cards without a tariff plan (tariffPlanId is then ignored)
    std::optional<qint64> customerId;
    std::optional<qint64> importBatchId;
    QDateTime changedSince; // updated_at >= this; invalid: no limit
    QDateTime activatedFrom; // activated_at in [activatedFrom, activatedTo); invalid: open end
    QDateTime activatedTo;
    // Free search: digits (spaces, dashes, dots, slashes, brackets, a leading + ignored; a
    // leading 00 ignored at the start of a number, kept for its last digits) match the start or
    // the end of an ICCID, MSISDN or IMSI; a customer number such as
    // "C-000123" (any case) matches that customer's cards. Empty: no search.
    QString search;
    // A pasted list: one identifier (ICCID, MSISDN or IMSI, any of them) per entry, written any
    // way validation accepts it; see splitIdentifierList(). Empty: no list. At most
    // kMaxIdentifiers entries (InvalidArgument otherwise).
    QStringList identifiers;
    // ICCID range, both ends inclusive, each normalised like an ICCID (an 18-digit one gets its
    // check digit); an empty end is open.
    QString iccidFirst;
    QString iccidLast;

    bool isEmpty() const;
};

// The sort keys with a supporting index (sql/001_schema.sql), ties broken by id:
//   Id        sim_cards_pkey
//   Iccid     sim_cards_iccid_key (unique, C collation: no ties)
//   Msisdn    sim_cards_msisdn_key (partial unique) then cards without a number by id:
//             ascending puts them last, descending first (the exact reverse)
//   Status    sim_cards_status_idx (status, id); statuses in their text order
//   UpdatedAt sim_cards_updated_idx (updated_at, id)
//   Pasted    the order of a pasted list (filter.identifiers): each card at the first line
//             naming it. Only with a pasted list; without one it is the Id order. Its few
//             thousand cards are numbered in the statement (unnest WITH ORDINALITY of their
//             ids in line order), and the keyset is that number, then id.
// Other columns (type, customer, tariff, IMSI) have no such index and are not offered.
enum class SimListSortKey : quint8 { Id, Iccid, Msisdn, Status, UpdatedAt, Pasted };

struct SimListSort
{
    SimListSortKey key = SimListSortKey::Id;
    Qt::SortOrder order = Qt::AscendingOrder;
};

// One row of the list.
struct SimListRow
{
    qint64 id = 0;
    QString iccid;
    QString msisdn; // empty: none
    QString imsi; // empty: none
    SimStatus status = SimStatus::Available;
    SimType type = SimType::Prepaid;
    std::optional<qint64> customerId;
    QString customerNo;
    QString customerName;
    std::optional<qint64> tariffPlanId;
    QString tariffName;
    QDateTime updatedAt; // for display (milliseconds)
    qint64 updatedAtUs = 0; // exact: microseconds since 1970-01-01 UTC, used by cursors
    int version = 0;
    // In the Pasted order: the card's place among the list's cards (1-based); otherwise 0.
    qint64 listPosition = 0;
};

// Where a page starts: the sort value and id of a row (cursorOf()). Exact: text keys as
// stored, updated_at in microseconds, never a rounded QDateTime.
struct SimListCursor
{
    // QString (iccid, msisdn, status key) or qint64 (updated_at µs, list position); null: none
    QVariant key;
    qint64 id = 0;
};

struct SimListPage
{
    QList<SimListRow> rows; // in list order
    // For rowsAt(): the position of rows.first() in the list, and whether it is exact. A
    // position estimated from a sample (see rowsAt()) is near, not at, the one asked for.
    qint64 offset = 0;
    bool positionExact = true;
};

struct SimListTotal
{
    qint64 count = 0;
    bool exact = true; // false: the planner's estimate, to be shown as "≈ count"
};

// Matches of a pasted list.
struct SimListMatches
{
    QList<SimListRow> rows; // each matching card once, in the order of the first line naming it
    QStringList notFound; // lines that match no card, as given, in input order
};

class SimListSql;
struct SimListPart;

// Runs the list's queries on one connection (used only by the thread that opened it, and so
// is this object: it keeps the last filter's estimate and a pasted list's matches). Every
// value is a bound parameter. Failures are the errors of runQuery() (QueryFailed,
// ConnectionLost, PermissionDenied…) and InvalidArgument for a list longer than
// kMaxIdentifiers.
class SimListQuery
{
public:
    static constexpr int kMaxIdentifiers = 10000;
    // Totals up to this many are counted exactly by default; larger ones are estimated.
    static constexpr qint64 kExactCountLimit = 20000;
    static constexpr double kFenceRows = 50000.0;
    static constexpr int kWindowRows = 10000;

    explicit SimListQuery(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // Forgets what this object keeps between calls (the cards a pasted list matched, the
    // planner's estimate for the last filter): call it when cards changed (a notification).
    void refresh() const;

    // Totals up to `limit` are counted exactly (counting stops after it).
    void setExactCountLimit(qint64 limit) { m_exactCountLimit = limit; }
    // How a narrow filter (search, customer, batch, changed since, activated, ICCID range) is
    // read: when the planner expects at most `fenceRows` matches they are found first and
    // sorted; otherwise the next `windowRows` rows of the list order are read and filtered
    // first, and the matches are found first only when that does not fill the page. Defaults
    // kFenceRows and kWindowRows suit a million cards; tests set small ones to walk both ways.
    void setNarrowFilterPlan(double fenceRows, int windowRows)
    {
        m_fenceRows = fenceRows;
        m_windowRows = windowRows;
    }

    // The first n rows in the given order.
    Result<SimListPage> firstPage(
        const SimListFilter &filter, const SimListSort &sort, int n) const;
    // The last n rows (what End shows), in list order.
    Result<SimListPage> lastPage(const SimListFilter &filter, const SimListSort &sort, int n) const;
    // The n rows right after (or right before) `cursor`, in list order; nothing is skipped or
    // repeated between pages, also across equal sort values.
    Result<SimListPage> pageAfter(const SimListFilter &filter, const SimListSort &sort,
        const SimListCursor &cursor, int n) const;
    Result<SimListPage> pageBefore(const SimListFilter &filter, const SimListSort &sort,
        const SimListCursor &cursor, int n) const;

    // n rows from position `offset` (0-based), without reading the rows before it: for a
    // scroll bar dragged somewhere. `total` is what total() said. The position is walked with
    // OFFSET from the nearer end over the sort key's index alone (index-only) when the
    // planner's cost for that walk is low; otherwise (a filter the index cannot answer, or the
    // two-part MSISDN order) the sort key at that fraction of a block sample (TABLESAMPLE
    // SYSTEM, ~20,000 rows) starts the page, with positionExact false. Counted from the end, a
    // position is exact only when the total is. Near the end of an exact total the page is
    // short; with an estimated one it is the last n rows. The rows are always contiguous.
    Result<SimListPage> rowsAt(const SimListFilter &filter, const SimListSort &sort, qint64 offset,
        int n, const SimListTotal &total) const;

    // The number of matching cards: exact when the planner expects at most the exact-count limit
    // (then counted, stopping after the limit), otherwise the planner's estimate marked so.
    Result<SimListTotal> total(const SimListFilter &filter) const;
    // The ids of every matching card, in id order, for a bulk action on "all matching";
    // InvalidArgument when more than `limit` match.
    Result<QList<qint64>> matchingIds(const SimListFilter &filter, int limit) const;
    // The exact number, however long counting takes (on request: "count exactly").
    Result<qint64> countExactly(const SimListFilter &filter) const;

    // A pasted list in one set-based query: the cards that match `lines` (ICCID, MSISDN or
    // IMSI each) and the lines that match none, in input order. Empty lines are ignored. Each
    // line is normalised with core/domain/validation first; a line starting with + or 00 is
    // looked for as an MSISDN only. Runs with enable_seqscan off in a transaction (or
    // savepoint) of its own. About 0.5 s for 10,000 lines at a million cards (the index probes).
    Result<SimListMatches> matchIdentifiers(const QStringList &lines) const;

    // The sort a query uses: the Pasted order without a pasted list is the Id order.
    static SimListSort effectiveSort(const SimListFilter &filter, const SimListSort &sort);
    // The cursor of a row for a sort key.
    static SimListCursor cursorOf(const SimListRow &row, SimListSortKey key);
    // Splits pasted text into identifier lines (trimmed, empty ones dropped, order kept).
    static QStringList splitIdentifierList(const QString &text);
    // The digits of a typed or scanned identifier: separators (space, -, ., /, brackets) and a
    // leading + or 00 removed; empty when anything else is left.
    static QString searchDigits(const QString &input);

private:
    // Where rowsAt() starts reading.
    struct JumpStart
    {
        enum class From : quint8 {
            Cursor, // from `cursor` on, its row included
            End, // the last page: the walk found fewer rows than the total said
            Offset, // a page at an OFFSET: the sample held no match (too few rows to sample)
        };
        From from = From::Cursor;
        SimListCursor cursor;
        bool exact = true;
    };

    Result<SimListPage> page(const SimListFilter &filter, const SimListSort &sort,
        const SimListCursor *cursor, bool backward, bool inclusive, int n, qint64 offset) const;
    Result<QList<SimListRow>> readStep(const SimListFilter &filter, const SimListSql &filtered,
        const QList<SimListPart> &step, SimListSortKey key, bool ascending, qint64 offset,
        int want) const;
    Result<JumpStart> locate(const SimListFilter &filter, const SimListSort &sort, bool backward,
        qint64 skip, const SimListTotal &total) const;
    Result<JumpStart> locateBySample(const SimListFilter &filter, SimListSortKey key,
        bool ascending, qint64 skip, const SimListTotal &total) const;

    Status filterSql(const SimListFilter &filter, SimListSql &sql) const;
    Result<bool> fenced(const SimListFilter &filter, const SimListSql &sql) const;

    QSqlDatabase m_db;
    qint64 m_exactCountLimit = kExactCountLimit;
    double m_fenceRows = kFenceRows;
    int m_windowRows = kWindowRows;
    mutable QString m_estimateKey; // the filter of m_estimateRows
    mutable double m_estimateRows = 0;
    // The bounded window found too few matches for this filter once (see page()): its matches
    // lie elsewhere, so its further pages go straight to the fence.
    mutable bool m_windowMissed = false;
    mutable QStringList m_listLines; // the pasted list of m_listIds
    mutable QList<qint64> m_listIds;
};

} // namespace simdesk
