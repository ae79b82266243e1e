// SPDX-License-Identifier: MIT
#pragma once

#include "domain/error.h"

#include <QString>

// The one table from the database's SQLSTATEs to SimDesk's errors. SimDesk's own rules raise
// SDnnn codes (sql/004_audit.sql and later migrations) with a DETAIL that is a JSON object of the
// values the message names (the card's ICCID and status, who changed it and when, …), so a
// refusal is explained from the database's own answer, never by reading and judging again.
namespace simdesk {

// What the server said about a failed statement.
struct ServerError
{
    QString sqlState; // five characters; empty when the server said nothing (a lost connection)
    QString message; // the primary message, in the server's language
    QString detail; // DETAIL: JSON for SimDesk's refusals, text otherwise
    QString hint;
};

// The Error for a failed statement: SimDesk's SDnnn codes each to their own ErrorCode with the
// arguments its message names; 42501 PermissionDenied; 23505 DuplicateValue; other 23…, 22023
// and SDnnn codes the table does not know ConstraintViolation (args: the SQLSTATE); 40001, 40P01
// ConcurrentUpdate; 55P03 RecordLocked; 57014 StatementTimeout; 25P03, 57P01–57P03 and 08…
// ConnectionLost; P0002 NotFound (args: what is missing, from the DETAIL); 28…
// AuthenticationFailed; anything else QueryFailed (args: the SQLSTATE). Error::sqlState is set;
// Error::detail holds the server's words (message, then "DETAIL: …" and "HINT: …" lines for text
// details).
Error errorForServer(const ServerError &server);

// The SQLSTATEs the table maps to an ErrorCode of their own (for the test that proves every
// SDnnn code of the migrations is in it).
QStringList knownSqlStates();

} // namespace simdesk
