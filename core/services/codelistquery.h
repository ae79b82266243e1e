// SPDX-License-Identifier: MIT
#pragma once

#include "domain/activationcode.h"
#include "domain/result.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

// The activation code list as queries only (no widgets): filters (effective status, expiring
// within N days, batch, used on a card of a customer, a code or its prefix), three orders,
// keyset pages and totals, each planned to stay within 50 ms at 1,000,000 codes
// (tests/bench/bench_codelist.cpp, docs/performance.md "Activation code list"; the indexes are
// in sql/016_code_list.sql).
namespace simdesk {

// Newest: the order codes were issued in (id). Code: alphabetical (byte order, the order a
// prefix search walks). Expires: by expiry, codes that never expire last.
enum class CodeSortKey : quint8 { Newest, Code, Expires };

struct CodeSort
{
    CodeSortKey key = CodeSortKey::Newest;
    Qt::SortOrder order = Qt::DescendingOrder;
};

// Every part is optional; the parts present must all hold.
struct CodeListFilter
{
    // The effective status (simdesk_code_status(), sql/012: a code past its expiry is EXPIRED
    // whatever is stored).
    std::optional<CodeStatus> status;
    // > 0: codes still usable that expire within this many days from now.
    int expiringWithinDays = 0;
    std::optional<qint64> batchId;
    // Codes used on a card that this customer holds.
    std::optional<qint64> customerId;
    // A code or the start of one: case, spaces and surrounding blanks ignored.
    QString search;

    bool isEmpty() const
    {
        return !status && expiringWithinDays <= 0 && !batchId && !customerId
            && search.trimmed().isEmpty();
    }
};

struct CodeListRow
{
    qint64 id = 0;
    QString code;
    CodeStatus status = CodeStatus::Unused; // effective, read by the database's rule
    CodeStatus storedStatus = CodeStatus::Unused;
    std::optional<QDateTime> expiresAt;
    std::optional<QDateTime> usedAt;
    std::optional<qint64> simId; // the card it activated
    QString iccid;
    std::optional<qint64> customerId; // who holds that card now
    QString customerNo;
    QString customerName;
    std::optional<qint64> batchId;
    QString batchLabel;
    QDateTime createdAt;
    QString sortValue; // the row's sort key as the database wrote it, exact: the cursor
};

// Where a page starts: the sort value and id of the row before it (cursorOf()).
struct CodeListCursor
{
    QString key;
    qint64 id = 0;
};

struct CodeListPage
{
    QList<CodeListRow> rows; // in list order
    bool atEnd = false; // no row follows the last one
};

struct CodeListTotal
{
    qint64 count = 0;
    bool exact = true; // false: the planner's estimate, shown as "≈ count"
};

// Runs the list's queries on one connection (used only by the thread that opened it). Every
// value is a bound parameter. Failures are the errors of runQuery() (QueryFailed,
// ConnectionLost, PermissionDenied…).
class CodeListQuery
{
public:
    // Totals up to this many are counted exactly; larger ones are the planner's estimate.
    static constexpr qint64 kExactCountLimit = 5000;

    explicit CodeListQuery(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    void setExactCountLimit(qint64 limit) { m_exactCountLimit = limit; }

    // The first n rows in the given order.
    Result<CodeListPage> firstPage(const CodeListFilter &filter, const CodeSort &sort, int n) const;
    // The n rows right after `cursor`; nothing is skipped or repeated between pages.
    Result<CodeListPage> pageAfter(const CodeListFilter &filter, const CodeSort &sort,
        const CodeListCursor &cursor, int n) const;
    // The number of matching codes: exact up to the exact-count limit, otherwise estimated.
    Result<CodeListTotal> total(const CodeListFilter &filter) const;
    // One code with everything the list shows of it; NotFound when it is gone.
    Result<CodeListRow> byId(qint64 id) const;
    // A code by its text (the global search): the code itself when it exists, otherwise the
    // codes that start with `text`, alphabetically, at most `limit`. Empty when nothing
    // matches; text that cannot be part of a code matches nothing.
    Result<QList<CodeListRow>> findByText(const QString &text, int limit = 20) const;

    static CodeListCursor cursorOf(const CodeListRow &row);
    // What a typed code or prefix is compared as: upper case, without spaces.
    static QString normalizedSearch(const QString &text);

private:
    Result<CodeListPage> page(const CodeListFilter &filter, const CodeSort &sort,
        const CodeListCursor *cursor, int n) const;

    QSqlDatabase m_db;
    qint64 m_exactCountLimit = kExactCountLimit;
};

} // namespace simdesk
