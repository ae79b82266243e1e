// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/simtypes.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace simdesk {

// One row of sim_cards (PIN and PUK are not part of it: they live in sim_secrets).
struct SimCard
{
    qint64 id = 0;
    QString iccid;
    QString msisdn; // empty: none
    QString imsi; // empty: unknown
    SimStatus status = SimStatus::Available;
    SimType type = SimType::Prepaid;
    std::optional<qint64> customerId;
    std::optional<qint64> tariffPlanId;
    std::optional<qint64> activationCodeId;
    std::optional<qint64> importBatchId;
    int version = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime statusChangedAt;
    std::optional<QDateTime> activatedAt;
    std::optional<QDateTime> terminatedAt;
};

// What an administrator enters for a new card; validated and normalised by core.
struct NewSimCard
{
    QString iccid;
    QString msisdn; // optional
    QString imsi; // optional
    QString pin; // optional
    QString puk; // optional
    QString type; // "prepaid", "postpaid", "data-only"
};

// An administrator's correction of a card's identifiers. Fields left as std::nullopt stay.
struct SimCardEdit
{
    std::optional<QString> iccid;
    std::optional<QString> msisdn; // empty string: remove the number
    std::optional<QString> imsi; // empty string: remove
    std::optional<QString> type;
};

// One row of sim_events.
struct SimEvent
{
    qint64 id = 0;
    qint64 simId = 0;
    QString type; // "ACTIVATED", …
    std::optional<SimStatus> oldStatus;
    std::optional<SimStatus> newStatus;
    std::optional<qint64> customerId;
    std::optional<qint64> tariffPlanId;
    std::optional<qint64> importBatchId;
    QString swapId;
    QString operationId; // shared by the events of one bulk action (or a swap)
    QString source; // "desktop", "cli", "import", "bulk", "system"
    QString note;
    QString details; // JSON text
    QString createdBy;
    QDateTime createdAt;
    // For a swap: the other card of it (the new card on SWAPPED_OUT, the old on SWAPPED_IN).
    std::optional<qint64> partnerSimId;
    QString partnerIccid;
};

} // namespace simdesk
