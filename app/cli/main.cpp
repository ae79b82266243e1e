// SPDX-License-Identifier: MIT
#include "cli/clicommands.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("simdesk-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SIMDESK_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QTextStream in(stdin);
    return simdesk::CliCommands(out, err, &in).run(QCoreApplication::arguments());
}
