// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>
#include <QTextStream>

namespace simdesk {

// simdesk-cli: headless operations for administrators and scripts.
// Exit codes: 0 done, 1 refused (the data or the database said no), 2 usage or connection error.
class CliCommands
{
public:
    enum ExitCode { Ok = 0, Refused = 1, UsageOrConnection = 2 };

    CliCommands(QTextStream &out, QTextStream &err) : m_out(out), m_err(err) { }

    // `arguments` as QCoreApplication::arguments(): program name first.
    int run(const QStringList &arguments);

private:
    int migrate(const QStringList &arguments);
    int demoData(const QStringList &arguments);
    int status(const QStringList &arguments);
    int usage(const QString &problem);

    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace simdesk
