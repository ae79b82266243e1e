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
    int seed = 42;
    // The end of the generated year of history; fixed by default so that the same options
    // give the same rows on every run.
    QDateTime now = QDateTime(QDate(2026, 11, 1), QTime(12, 0), Qt::UTC);
};

// Fills an empty, migrated database with realistic, deterministic demo data (sql/demo_data.sql):
// tariff plans, customers, staff profiles, SIM cards in every status with valid ICCIDs, PIN/PUK,
// activation codes, import batches and a year of lifecycle events consistent with each card's
// status. One transaction: on any failure nothing is left behind.
class DemoData
{
public:
    // Fails with DemoDataNotEmpty when the database already has SIM cards, InvalidArgument for
    // a non-positive size, QueryFailed when the script fails.
    static Status generate(QSqlDatabase db, const DemoDataOptions &options);
};

} // namespace simdesk
