// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/result.h"

#include <QSqlDatabase>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <optional>

class QCommandLineParser;

namespace simdesk {

// simdesk-cli: headless operations for administrators and scripts.
// Exit codes: 0 done, 1 refused (the data or the database said no), 2 usage or connection error.
class CliCommands
{
public:
    enum ExitCode { Ok = 0, Refused = 1, UsageOrConnection = 2 };

    // Asks for a secret (prompt shown to the user); nullopt when nobody can be asked.
    using PasswordPrompt = std::function<std::optional<QString>(const QString &prompt)>;

    // `in` is read by --password-stdin. `prompt` defaults to the terminal (no echo).
    CliCommands(
        QTextStream &out, QTextStream &err, QTextStream *in = nullptr, PasswordPrompt prompt = {});

    // `arguments` as QCoreApplication::arguments(): program name first.
    int run(const QStringList &arguments);

    // An error's message as the CLI says it: where core's words leave a choice to the program
    // (force a re-import, the duplicate policy, the SIM type), they name the CLI's options.
    static QString describe(const Error &error);

private:
    using Body = std::function<int(QSqlDatabase db, const QStringList &positional)>;

    // Parses `arguments` with `parser` (which has the command's options), checks the number of
    // positional arguments, connects — asking for the password on a terminal when the server
    // wants one — and runs `body`.
    // `adjust`, when given, changes the settings before connecting (setup-server connects to
    // the maintenance database first).
    using Adjust = std::function<ConnectionSettings(ConnectionSettings)>;
    int withConnection(QCommandLineParser &parser, const QStringList &arguments, int positionals,
        const Body &body, const Adjust &adjust = {});
    // One line with the message, and the detail (e.g. the server's words) under it.
    void printError(const Error &error);
    int refused(const Error &error);
    int usage(const QString &problem);
    std::optional<QString> newPassword(bool fromStdin);

    int version();
    int migrate(const QStringList &arguments);
    int demoData(const QStringList &arguments);
    int status(const QStringList &arguments);
    int staff(const QStringList &arguments);
    int import(const QStringList &arguments);
    int revertImport(const QStringList &arguments);
    int exportCards(const QStringList &arguments);
    int setupServer(const QStringList &arguments);
    int firstAdministrator(QSqlDatabase site, const QString &login, const QString &name,
        const QString &email, bool passwordFromStdin);
    int harden(QSqlDatabase db, bool apply);

    QTextStream &m_out;
    QTextStream &m_err;
    QTextStream *m_in;
    PasswordPrompt m_prompt;
    QString m_command; // the command being run, for its usage line
};

} // namespace simdesk
