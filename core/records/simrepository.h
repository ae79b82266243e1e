// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/result.h"
#include "domain/simcard.h"

#include <QList>
#include <QMap>
#include <QSqlDatabase>

namespace simdesk {

class QueryResult;

// Reads and administrative writes of sim_cards and their history. Lifecycle changes are
// LifecycleService's. Every write is one call of a database function (sql/004_audit.sql) that
// also writes its sim_events row; the rules are checked here first for good messages.
class SimRepository
{
public:
    explicit SimRepository(QSqlDatabase db, ChangeSource source = ChangeSource::Desktop)
        : m_db(std::move(db))
        , m_source(source)
    { }

    // Number of SIM cards in each status; every status is present, with 0 where there are none.
    Result<QMap<SimStatus, qint64>> countByStatus() const;

    // NotFound when there is no such card.
    Result<SimCard> find(qint64 id) const;
    Result<SimCard> findByIccid(const QString &iccid) const;

    // The card's events, oldest first.
    Result<QList<SimEvent>> history(qint64 simId) const;

    // Admin: a new AVAILABLE card with an optional PIN/PUK and a CREATED event. Every field is
    // validated by the core rules first (the validation error is returned as is); a duplicate
    // ICCID or MSISDN gives DuplicateValue; a non-admin login gets PermissionDenied.
    Result<SimCard> create(const NewSimCard &card);

    // Admin: corrects identifiers of a card shown at `expectedVersion`; StaleVersion when it was
    // changed since. Writes an EDITED event listing old and new values.
    Result<SimCard> edit(qint64 id, int expectedVersion, const SimCardEdit &edit);

    // Admin: deletes a card nobody has used (AVAILABLE, never assigned); CardInUse otherwise.
    // The database keeps a DELETED event with the reason (optional; ReasonTooLong beyond
    // validation::kMaxReasonLength).
    Status remove(qint64 id, int expectedVersion, const QString &reason = {});

    // How this repository reads its rows, for statements that join cards and events with other
    // tables (services/simdetailquery.h): the columns, qualified by `alias`, and a row read from
    // column `first` on.
    static QString columns(const QString &alias = {});
    static SimCard cardFromRow(const QueryResult &row, int first = 0);
    static QString eventColumns(const QString &alias = {});
    static SimEvent eventFromRow(const QueryResult &row, int first = 0);
    // The order of a card's history: the order its events were written in.
    static QString historyOrder(const QString &alias = {});

private:
    QSqlDatabase m_db;
    ChangeSource m_source;
};

} // namespace simdesk
