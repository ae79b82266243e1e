// SPDX-License-Identifier: MIT
#pragma once

#include "domain/activationcode.h"
#include "domain/result.h"
#include "services/simlistquery.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace simdesk {

// What the main window's quick find (Ctrl+K) found for what was typed or scanned.
struct QuickFindHit
{
    enum class Kind : quint8 {
        Nothing,
        Card, // one card: id
        Cards, // several cards: cards (the SIM list's filter that shows them)
        Customer, // one customer: id
        Customers, // several customers: search (the customer list's search that shows them)
        Code, // an activation code: code (its card, if it was used on one, in code->simId)
    };
    Kind kind = Kind::Nothing;
    qint64 id = 0;
    SimListFilter cards;
    QString search;
    std::optional<ActivationCode> code;
};

// One box finds cards, customers and activation codes. The order, exact before fuzzy, so that
// a scan or a number typed in full lands on its record:
//  1. several lines (a pasted list): the cards they name;
//  2. a customer number, in full (any case): that customer;
//  3. a card identifier (ICCID, MSISDN, IMSI; first or last digits): the card, or the cards;
//  4. an activation code, in full (any case, spaces around ignored): that code;
//  5. a customer by name, company, e-mail or phone (CustomerListQuery's search): the customer,
//     or the customer list searched for it.
// Each step is one indexed statement on `db`, stopping at the first that finds something.
// Failures: the errors of the queries (QueryFailed, ConnectionLost, PermissionDenied…).
class QuickFind
{
public:
    static Result<QuickFindHit> find(QSqlDatabase db, const QString &text);
};

} // namespace simdesk
