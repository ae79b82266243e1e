// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/error.h"

#include <optional>

namespace simdesk {

// Why a connection that QPSQL could not open failed in its TLS stage. QPSQL hands back only
// libpq's message text, which is translated and changes between versions; so this connects
// again with libpq itself and watches how far the connection gets (PQconnectPoll's states: a
// failure while in CONNECTION_SSL_STARTUP is a TLS failure), then tells the causes apart by
// what a weaker sslmode would have accepted:
//   - the CA file libpq would check with does not exist        → TlsRootCertificateMissing
//   - even sslmode=require fails: the server offers no TLS       → TlsNotOffered
//   - verify-ca fails: the CA did not sign the server's cert     → TlsCertificateUntrusted
//   - verify-ca passes, verify-full fails: the name is not in it → TlsHostMismatch
// Each probe stops once the TLS handshake is over, before authentication: no password is sent,
// and the server logs at most an incomplete startup.
class TlsDiagnosis
{
public:
    // For settings whose (effective) sslmode requires TLS — require, verify-ca, verify-full —
    // the TLS error of a failed connection; nullopt when TLS is not required or the connection
    // failed elsewhere (unreachable, refused login, …). Each probe waits at most `timeoutS`
    // seconds (or the settings' connect_timeout, when that is shorter): a server that does not
    // answer at all costs one more such wait; a TLS failure up to three probes, each ending
    // right after the handshake.
    static std::optional<Error> diagnose(const ConnectionSettings &settings, int timeoutS = 3);

    enum class Stage {
        Unknown, // failed before TLS (or timed out): no TLS verdict
        TlsFailed, // failed during the TLS handshake or its certificate checks
        TlsPassed, // got past TLS (or did not need it)
    };
    // How far a libpq connection with this conninfo gets; stops right after TLS.
    static Stage probe(const QByteArray &conninfo, int timeoutS);

    // The conninfo SimDesk connects with (what QPSQL builds from the settings), without the
    // password.
    static QByteArray conninfo(const ConnectionSettings &settings);
};

} // namespace simdesk
