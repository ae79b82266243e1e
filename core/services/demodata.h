// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QSqlDatabase>

namespace simdesk {

struct DemoDataOptions
{
    int sims = 5000;
    int customers = -1; // -1: about one customer per six SIMs (800 for 5,000)
    int codes = -1; // -1: activation codes for one SIM in ten (at least the used ones)
    int seed = 42;
    // The end of the generated year of history. Invalid (the default): the moment of generation
    // (the database server's now()), so that the dashboard's recent days show activity. Give a
    // fixed time, such as fixedNow(), where the rows must be the same on every run.
    QDateTime now;

    // A fixed end of history (2026-11-01 12:00 UTC) for tests and benchmarks whose dates and
    // digests must not move with the calendar.
    static QDateTime fixedNow() { return QDateTime(QDate(2026, 11, 1), QTime(12, 0), Qt::UTC); }
};

// Fills an empty, migrated database with realistic demo data (sql/demo_data.sql): tariff plans,
// customers, staff profiles, SIM cards in every status with valid ICCIDs, PIN/PUK, activation
// codes, import batches and a year of lifecycle events consistent with each card's status,
// ending at options.now, the latest import batch within the last weeks. Deterministic: the same
// options with the same `now` give the same rows, ids included. One transaction: on any failure
// nothing is left behind.
class DemoData
{
public:
    // Fails with DemoDataNotEmpty when the database already has SIM cards, InvalidArgument for
    // a size outside 1..50,000,000, QueryFailed when the script fails.
    static Status generate(QSqlDatabase db, const DemoDataOptions &options);
};

} // namespace simdesk
