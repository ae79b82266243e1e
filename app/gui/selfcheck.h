// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"

#include <QCoreApplication>
#include <QTextStream>

#include <chrono>
#include <optional>

namespace simdesk {

// `simdesk --check`: the installation self-test a support technician runs on a workstation, and
// the one the packaging proofs run (docs/packaging.md). Each check prints one line, "ok" or
// "FAIL" and what it found; the first failure ends the run. In order:
//   1. Qt itself, and where it takes its plugins from;
//   2. the QPSQL driver (the Qt plugin and the libpq under it);
//   3. TLS support in libpq (what sslmode=verify-full needs);
//   4. the dashboard page, qrc:/dashboard/index.html, loaded through the shared local-only web
//      profile with its D3;
//   5. one WebChannel round trip: the page says it is ready, gets a small payload, draws it and
//      reports what it drew;
//   6. when connection settings are given, a connection: server, TLS, schema version.
// Needs a QApplication with WebEngine prepared (prepareWebEngineProcess()); works under the
// offscreen platform (prepareEnvironment() picks it when there is no display).
class SelfCheck
{
    Q_DECLARE_TR_FUNCTIONS(simdesk::SelfCheck)

public:
    struct Options
    {
        // Connect with these; none: the connection is not checked.
        std::optional<ConnectionSettings> connection;
        // How long the page may take to load and draw (a cold first start of WebEngine on a
        // slow disk takes seconds).
        std::chrono::milliseconds pageTimeout { 60000 };
    };

    // Whether the command line asks for the check (before the QApplication exists).
    static bool requested(int argc, char *argv[]);
    // Before the QApplication exists: the offscreen platform when there is no display, so the
    // check runs over ssh and in scripts too.
    static void prepareEnvironment();

    // Runs the checks, writes one line per check to `out`; 0 when all passed, 1 otherwise.
    static int run(QTextStream &out, const Options &options);

private:
    static bool checkQt(QTextStream &out);
    static bool checkDriver(QTextStream &out);
    static bool checkTls(QTextStream &out);
    static bool checkDashboard(QTextStream &out, std::chrono::milliseconds timeout);
    static bool checkConnection(QTextStream &out, ConnectionSettings settings);
    static void line(QTextStream &out, bool ok, const QString &what, const QString &found);
};

} // namespace simdesk
