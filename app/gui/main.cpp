// SPDX-License-Identifier: MIT
#include "connectionoptions.h"
#include "main/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SimDesk"));
    QApplication::setOrganizationName(QStringLiteral("SimDesk"));
    QApplication::setApplicationVersion(QStringLiteral(SIMDESK_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/simdesk.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "SIM card lifecycle management"));
    parser.addHelpOption();
    parser.addVersionOption();
    simdesk::ConnectionOptions connection;
    connection.addTo(parser);
    parser.process(app);

    const simdesk::Result<simdesk::ConnectionSettings> settings = connection.settings(parser);
    if (!settings) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "SimDesk"), settings.error().message());
        return 2;
    }

    simdesk::MainWindow window(*settings);
    window.show();
    window.refresh();
    return app.exec();
}
