// SPDX-License-Identifier: MIT
#pragma once

#include "domain/customer.h"
#include "domain/result.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace simdesk {

// One line of a customer's history: a change of the customer record (from the audit log) or an
// event of one of their cards (recorded while the card was theirs).
struct CustomerHistoryEntry
{
    enum class Kind : quint8 { Customer, Card };
    Kind kind = Kind::Customer;
    QDateTime at;
    QString by; // the login
    // Customer: the audit action ("INSERT", "UPDATE", "DELETE"); Card: the event type key.
    QString what;
    QStringList fields; // Customer UPDATE: the columns that changed, by name
    qint64 simId = 0; // Card
    QString iccid; // Card: empty when the card is gone
    QString oldStatus; // Card: status keys, empty when none
    QString newStatus;
    QString note;
};

struct CustomerDetail
{
    Customer customer;
    int cards = 0; // held now, any status
    int activeCards = 0;
    int cardsInUse = 0; // reserved, active or suspended: anonymising waits until none
    bool everHeldCard = false; // a card holds or held them: the record cannot be deleted
    QList<CustomerHistoryEntry> history; // newest first
};

// The customer page's data in one statement: the record, the card counts, and the history
// (customer changes and card events, one list, newest first, at most `historyLimit` entries).
// NotFound when the customer is not there; otherwise the errors of runQuery().
class CustomerDetailQuery
{
public:
    static Result<CustomerDetail> load(const QSqlDatabase &db, qint64 id, int historyLimit = 500);
};

} // namespace simdesk
