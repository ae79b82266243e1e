// SPDX-License-Identifier: MIT
#include "account/sessionflow.h"
#include "connectionoptions.h"
#include "dashboard/webprofile.h"
#include "selfcheck.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>

#include <cstdio>

int main(int argc, char *argv[])
{
    if (simdesk::SelfCheck::requested(argc, argv))
        simdesk::SelfCheck::prepareEnvironment();
    // Qt WebEngine (the dashboard, the SIM timeline): before the QApplication exists.
    simdesk::prepareWebEngineProcess();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SimDesk"));
    QApplication::setOrganizationName(QStringLiteral("SimDesk"));
    QApplication::setApplicationVersion(QStringLiteral(SIMDESK_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/simdesk.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "SIM card lifecycle management"));
    parser.addHelpOption();
    parser.addVersionOption();
    simdesk::ConnectionOptions connection;
    connection.addTo(parser);
    const QCommandLineOption check(QStringLiteral("check"),
        QApplication::translate("main",
            "Check this installation (Qt, the PostgreSQL driver, TLS, the dashboard page; with "
            "--db or PGHOST also the database) and exit: 0 when everything works."));
    parser.addOption(check);
    parser.process(app);

    const simdesk::Result<simdesk::ConnectionSettings> defaults = connection.settings(parser);
    if (parser.isSet(check)) {
        QTextStream out(stdout);
        if (!defaults) {
            out << defaults.error().message() << Qt::endl;
            return 2;
        }
        simdesk::SelfCheck::Options options;
        if (parser.isSet(QStringLiteral("db")) || !qEnvironmentVariableIsEmpty("PGHOST")
            || !qEnvironmentVariableIsEmpty("PGSERVICE"))
            options.connection = *defaults;
        return simdesk::SelfCheck::run(out, options);
    }
    if (!defaults) {
        QMessageBox::critical(
            nullptr, QApplication::translate("main", "SimDesk"), defaults.error().message());
        return 2;
    }

    // The web views' renderer starts while the user signs in (no white first second later).
    const std::unique_ptr<QWebEnginePage> webWarmUp = simdesk::startWebEngineEarly();
    // Sign in, work, and on Log out sign in again; closing the window ends SimDesk (the flow
    // says when: between a window and the next sign-in no window is open).
    QApplication::setQuitOnLastWindowClosed(false);
    simdesk::SessionFlow flow(*defaults);
    QObject::connect(&flow, &simdesk::SessionFlow::finished, &app, &QCoreApplication::quit,
        Qt::QueuedConnection);
    flow.start();
    return app.exec();
}
