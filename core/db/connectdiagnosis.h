// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/error.h"

namespace simdesk {

// How far a connection attempt got before it failed, as libpq reports it.
struct ConnectAttempt
{
    bool reachedServer = false; // a TCP or socket connection was made
    bool startedTls = false; // TLS negotiation began (and the failure may be in it)
    bool authenticated = false; // the server accepted the login (AuthenticationOk)
    bool neededPassword = false; // a password was asked for and none was given
    bool usedPassword = false; // a password was sent
    QString sqlState; // the server's SQLSTATE, when it sent an error
    QString message; // libpq's text, for the details shown under the message
};

// Tries `settings` once with libpq directly and records how far it got. libpq keeps the SQLSTATE
// of an error during connection start-up to itself; with PQERRORS_VERBOSE its text carries the
// code in a fixed place ("SEVERITY:  28P01: …") whatever the language of client and server.
ConnectAttempt tryConnect(const ConnectionSettings &settings);

// The Error for a connection that failed, by what libpq saw and the server's SQLSTATE, never by
// the words of either (they are translated): ConnectionFailed (the server cannot be reached;
// args: the target), a TLS failure (db/tlsdiagnosis.h), PasswordRequired (none given),
// AuthenticationFailed (wrong password, no password, or no such
// login), LoginDisabled, NoSimDeskRole (no CONNECT privilege: in none of SimDesk's groups),
// DatabaseMissing, TooManyConnections, LoginRefused (the server's access rules), ConnectionLost
// (the server is starting or shutting down). The detail is libpq's own text.
Error classifyConnectFailure(const ConnectionSettings &settings, const ConnectAttempt &attempt);

} // namespace simdesk
