// SPDX-License-Identifier: MIT
#include "clicommands.h"

#include "connectionoptions.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/versioninfo.h"
#include "domain/validation.h"
#include "import/importservice.h"
#include "records/simrepository.h"
#include "services/demodata.h"
#include "services/exportservice.h"
#include "services/serversetup.h"
#include "services/staffservice.h"
#include "terminal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::CliCommands", text);
}

// A text with a count (%n), in the plural form the count needs.
QString tr(const char *text, const char *disambiguation, int n)
{
    return QCoreApplication::translate("simdesk::CliCommands", text, disambiguation, n);
}

// The server wants a password and none was given (by the options, PGPASSWORD or ~/.pgpass).
bool needsPassword(const Error &e)
{
    return e.code == ErrorCode::PasswordRequired;
}

} // namespace

// Core's messages leave the choices to the program that shows them; here they name the CLI's
// options.
QString CliCommands::describe(const Error &e)
{
    switch (e.code) {
    case ErrorCode::ImportAlreadyImported:
        return tr("This file was already imported as batch %1 on %2. Import it again only if you "
                  "mean to, with --force.")
            .arg(e.args.value(0), e.args.value(1));
    case ErrorCode::ImportRefused:
        return tr("%n row(s) of the file cannot be imported, and with --duplicates error nothing "
                  "is imported then. Fix the rows listed, or import the others with --duplicates "
                  "skip.",
            nullptr, e.args.value(0).toInt());
    case ErrorCode::ImportTypeMissing:
        return tr("The file has no SIM type column. Give the type of these cards with --type "
                  "prepaid, --type postpaid or --type data-only.");
    default:
        return e.message();
    }
}

CliCommands::CliCommands(QTextStream &out, QTextStream &err, QTextStream *in, PasswordPrompt prompt)
    : m_out(out)
    , m_err(err)
    , m_in(in)
    , m_prompt(prompt ? std::move(prompt) : PasswordPrompt(promptPassword))
{ }

int CliCommands::usage(const QString &problem)
{
    m_err << QStringLiteral("simdesk-cli: ") << problem << Qt::endl
          << tr("Commands: migrate, demo-data, status, staff, import, revert-import, export, "
                "setup-server. "
                "Run “simdesk-cli COMMAND --help” for a command's options.")
          << Qt::endl;
    return UsageOrConnection;
}

void CliCommands::printError(const Error &e)
{
    m_err << QStringLiteral("simdesk-cli: ") << describe(e) << Qt::endl;
    if (!e.detail.isEmpty())
        m_err << QStringLiteral("  ") << e.detail << Qt::endl;
}

int CliCommands::refused(const Error &e)
{
    printError(e);
    return Refused;
}

int CliCommands::run(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return usage(tr("no command given."));
    const QString command = arguments.at(1);
    m_command = command;
    QStringList rest = arguments;
    rest.removeAt(1); // the parser sees "simdesk-cli --opt …" for each command
    if (command == QLatin1String("migrate"))
        return migrate(rest);
    if (command == QLatin1String("demo-data"))
        return demoData(rest);
    if (command == QLatin1String("status"))
        return status(rest);
    if (command == QLatin1String("staff"))
        return staff(rest);
    if (command == QLatin1String("import"))
        return import(rest);
    if (command == QLatin1String("revert-import"))
        return revertImport(rest);
    if (command == QLatin1String("export"))
        return exportCards(rest);
    if (command == QLatin1String("setup-server"))
        return setupServer(rest);
    if (command == QLatin1String("--version") || command == QLatin1String("-v"))
        return version();
    if (command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        m_out << tr(
            "Usage: simdesk-cli COMMAND [options]\n"
            "       simdesk-cli --version\n\n"
            "  migrate     bring the database schema up to this version\n"
            "  demo-data   fill an empty database with demo data (--sims N)\n"
            "  status      show the schema version and SIM cards per status\n"
            "  staff       list, add, change role, enable/disable staff logins, set passwords\n"
            "  import      import SIM cards from a CSV or vendor file (--dry-run, --duplicates, "
            "--type,\n"
            "              --report FILE, --force, --format)\n"
            "  revert-import BATCH   remove an import batch whose cards are all still unused\n"
            "  export      SIM cards as CSV that imports again as is (--status S, -o FILE), or\n"
            "              safe to open in a spreadsheet program (--spreadsheet-safe)\n"
            "  setup-server  as the PostgreSQL superuser: the schema owner, the database, the\n"
            "              schema and the first administrator (--admin LOGIN), then what only a\n"
            "              superuser or the server's configuration can close (--dry-run shows\n"
            "              that part; --only-hardening does only that part)\n\n"
            "Every command takes --db postgresql://user@host:port/database; without it the\n"
            "standard PGHOST, PGPORT, PGUSER, PGDATABASE and PGPASSWORD settings apply. When the\n"
            "server asks for a password and none is set, it is asked for on the terminal.\n");
        return Ok;
    }
    return usage(tr("unknown command “%1”.").arg(command));
}

// The version CMake's project() declares, as every SimDesk artefact shows it (first line, for
// help2man), and the libraries the CLI talks through.
int CliCommands::version()
{
    m_out << QStringLiteral("simdesk-cli ") << VersionInfo::application() << Qt::endl
          << tr("Qt %1, libpq %2 (%3)")
                 .arg(VersionInfo::qtRuntime(), VersionInfo::libpq(),
                     VersionInfo::libpqTls().isEmpty() ? tr("no TLS") : VersionInfo::libpqTls())
          << Qt::endl;
    return Ok;
}

int CliCommands::withConnection(QCommandLineParser &parser, const QStringList &arguments,
    int positionals, const Body &body, const Adjust &adjust)
{
    parser.addHelpOption();
    ConnectionOptions connection;
    connection.addTo(parser);
    if (!parser.parse(arguments)) {
        m_err << QStringLiteral("simdesk-cli: ") << parser.errorText() << Qt::endl;
        return UsageOrConnection;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // The parser names only the program ("Usage: simdesk-cli [options] FILE"): the command
        // goes after it, so that the line can be typed as shown.
        QString help = parser.helpText();
        const qsizetype lineEnd = help.indexOf(QLatin1Char('\n'));
        const qsizetype name = help.indexOf(QLatin1Char(' '));
        qsizetype end = name < 0 ? -1 : help.indexOf(QLatin1Char(' '), name + 1);
        if (end < 0 || end > lineEnd)
            end = lineEnd;
        if (name > 0 && end > name && !m_command.isEmpty())
            help.insert(end, QLatin1Char(' ') + m_command);
        m_out << help;
        return Ok;
    }
    const QStringList args = parser.positionalArguments();
    if (args.size() != positionals) {
        m_err << QStringLiteral("simdesk-cli: ")
              << (args.size() > positionals
                         ? tr("unexpected argument “%1”.").arg(args.value(positionals))
                         : tr("missing argument; see --help."))
              << Qt::endl;
        return UsageOrConnection;
    }
    Result<ConnectionSettings> settings = connection.settings(parser);
    if (!settings) {
        m_err << QStringLiteral("simdesk-cli: ") << settings.error().message() << Qt::endl;
        return UsageOrConnection;
    }
    if (adjust)
        settings = adjust(*settings);
    const QString name = Database::uniqueName(QStringLiteral("simdesk-cli"));
    ScopedConnection guard(name);
    Result<QSqlDatabase> db = Database::open(*settings, name);
    if (!db && needsPassword(db.error())) {
        const QString who
            = settings->user.isEmpty() ? qEnvironmentVariable("PGUSER") : settings->user;
        if (std::optional<QString> password
            = m_prompt(tr("Password for %1: ").arg(who.isEmpty() ? tr("the database") : who))) {
            settings.value().password = *password;
            db = Database::open(*settings, name);
        }
    }
    if (!db) {
        printError(db.error());
        return UsageOrConnection;
    }
    return body(*db, args);
}

int CliCommands::migrate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Bring the database schema up to the version of this SimDesk."));
    return withConnection(parser, arguments, 0, [&](QSqlDatabase db, const QStringList &) {
        Migrator migrator(db);
        Result<QList<int>> applied = migrator.migrate();
        if (!applied)
            return refused(applied.error());
        if (applied->isEmpty())
            m_out << tr("Schema is up to date (version %1).").arg(migrator.latestVersion())
                  << Qt::endl;
        for (int v : std::as_const(*applied))
            m_out << tr("Applied migration %1.").arg(v, 3, 10, QLatin1Char('0')) << Qt::endl;
        return int(Ok);
    });
}

int CliCommands::demoData(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Fill an empty, migrated database with deterministic demo data."));
    const QCommandLineOption sims(QStringLiteral("sims"), tr("Number of SIM cards (default 5000)."),
        QStringLiteral("N"), QStringLiteral("5000"));
    const QCommandLineOption seed(QStringLiteral("seed"), tr("Seed of the generator (default 42)."),
        QStringLiteral("S"), QStringLiteral("42"));
    const QCommandLineOption customers(QStringLiteral("customers"),
        tr("Number of customers (default: one for about six SIM cards)."), QStringLiteral("N"));
    const QCommandLineOption codes(QStringLiteral("codes"),
        tr("Number of activation codes (default: one for ten SIM cards)."), QStringLiteral("N"));
    parser.addOption(sims);
    parser.addOption(seed);
    parser.addOption(customers);
    parser.addOption(codes);
    return withConnection(parser, arguments, 0, [&](QSqlDatabase db, const QStringList &) {
        DemoDataOptions options;
        bool okSims = false;
        bool okSeed = false;
        bool okCustomers = true;
        bool okCodes = true;
        options.sims = parser.value(sims).toInt(&okSims);
        options.seed = parser.value(seed).toInt(&okSeed);
        if (parser.isSet(customers))
            options.customers = parser.value(customers).toInt(&okCustomers);
        if (parser.isSet(codes))
            options.codes = parser.value(codes).toInt(&okCodes);
        if (!okSims || !okSeed || !okCustomers || !okCodes) {
            m_err << QStringLiteral("simdesk-cli: ")
                  << tr("--sims, --seed, --customers and --codes take whole numbers.") << Qt::endl;
            return int(UsageOrConnection);
        }
        if (Status s = Migrator(db).checkCompatible(); !s)
            return refused(s.error());
        QElapsedTimer timer;
        timer.start();
        if (Status s = DemoData::generate(db, options); !s)
            return refused(s.error());
        m_out << tr("Loaded demo data: %1 SIM cards in %2 s.")
                     .arg(options.sims)
                     .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
              << Qt::endl;
        return int(Ok);
    });
}

int CliCommands::status(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Show the schema version and the number of SIM cards in each status."));
    return withConnection(parser, arguments, 0, [&](QSqlDatabase db, const QStringList &) {
        Migrator migrator(db);
        Result<int> version = migrator.currentVersion();
        if (!version)
            return refused(version.error());
        m_out
            << tr("Database: %1").arg(Database::describe(db)) << Qt::endl
            << tr("Schema version: %1 (this build: %2)").arg(*version).arg(migrator.latestVersion())
            << Qt::endl;
        if (Status s = migrator.checkCompatible(); !s)
            return refused(s.error());
        Result<QMap<SimStatus, qint64>> counts = SimRepository(db).countByStatus();
        if (!counts)
            return refused(counts.error());
        for (auto it = counts->cbegin(); it != counts->cend(); ++it)
            m_out << statusKey(it.key()).leftJustified(12) << it.value() << Qt::endl;
        return int(Ok);
    });
}

std::optional<QString> CliCommands::newPassword(bool fromStdin)
{
    if (fromStdin) {
        if (!m_in)
            return std::nullopt;
        return m_in->readLine();
    }
    const std::optional<QString> first = m_prompt(tr("New password: "));
    if (!first)
        return std::nullopt;
    const std::optional<QString> again = m_prompt(tr("Repeat the new password: "));
    if (!again || *again != *first) {
        m_err << QStringLiteral("simdesk-cli: ")
              << tr("the two passwords differ; nothing was changed.") << Qt::endl;
        return std::nullopt;
    }
    return first;
}

int CliCommands::staff(const QStringList &arguments)
{
    // simdesk-cli staff ACTION [LOGIN [ROLE]] [options]
    QStringList rest = arguments;
    const QString action = rest.size() > 1 ? rest.takeAt(1) : QString();
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Staff logins (admin only):\n"
                                        "  staff list\n"
                                        "  staff add LOGIN --role viewer|support|admin --name NAME "
                                        "--email EMAIL [--password-stdin]\n"
                                        "  staff role LOGIN viewer|support|admin\n"
                                        "  staff disable LOGIN | staff enable LOGIN\n"
                                        "  staff password LOGIN [--password-stdin]\n"
                                        "Passwords are asked for on the terminal (twice), or read "
                                        "as one line from standard input."));
    const QCommandLineOption role(
        QStringLiteral("role"), tr("viewer, support or admin."), QStringLiteral("ROLE"));
    const QCommandLineOption name(
        QStringLiteral("name"), tr("Display name."), QStringLiteral("NAME"));
    const QCommandLineOption email(
        QStringLiteral("email"), tr("E-mail address."), QStringLiteral("EMAIL"));
    const QCommandLineOption passwordStdin(
        QStringLiteral("password-stdin"), tr("Read the password from standard input."));
    parser.addOptions({ role, name, email, passwordStdin });

    auto parseRole = [&](const QString &text) -> std::optional<StaffRole> {
        std::optional<StaffRole> r = staffRoleFromKey(text);
        if (!r)
            refused(Error(ErrorCode::RoleUnknown, { text }));
        return r;
    };
    // The new password from the terminal or standard input; says why when there is none.
    auto askPassword = [&]() -> std::optional<QString> {
        std::optional<QString> password = newPassword(parser.isSet(passwordStdin));
        if (!password)
            m_err << QStringLiteral("simdesk-cli: ")
                  << tr("no password given: type it on a terminal or use --password-stdin.")
                  << Qt::endl;
        return password;
    };
    const QMap<QString, int> positionals { { QStringLiteral("list"), 0 },
        { QStringLiteral("add"), 1 }, { QStringLiteral("role"), 2 },
        { QStringLiteral("disable"), 1 }, { QStringLiteral("enable"), 1 },
        { QStringLiteral("password"), 1 } };
    if (action == QLatin1String("--help") || action == QLatin1String("-h")
        || action == QLatin1String("help")) {
        // The parser prints the staff help with the connection options; nothing connects.
        rest.insert(1, QStringLiteral("--help"));
        return withConnection(
            parser, rest, 0, [](QSqlDatabase, const QStringList &) { return Ok; });
    }
    if (!positionals.contains(action))
        return usage(action.isEmpty()
                ? tr("staff needs an action: list, add, role, disable, enable, password.")
                : tr("unknown staff action “%1”.").arg(action));

    return withConnection(
        parser, rest, positionals.value(action), [&](QSqlDatabase db, const QStringList &args) {
            StaffService service(db);
            if (action == QLatin1String("list")) {
                Result<QList<StaffMember>> members = service.list();
                if (!members)
                    return refused(members.error());
                for (const StaffMember &m : std::as_const(*members))
                    m_out << m.login.leftJustified(24) << staffRoleKey(m.role).leftJustified(9)
                          << (m.active ? QStringLiteral("active    ")
                                       : QStringLiteral("disabled  "))
                          << m.displayName << QStringLiteral(" <") << m.email << QStringLiteral(">")
                          << Qt::endl;
                return int(Ok);
            }
            const QString login = args.at(0);
            Status done;
            if (action == QLatin1String("add")) {
                if (!parser.isSet(role) || !parser.isSet(name) || !parser.isSet(email)) {
                    m_err << QStringLiteral("simdesk-cli: ")
                          << tr("staff add needs --role, --name and --email.") << Qt::endl;
                    return int(UsageOrConnection);
                }
                const std::optional<StaffRole> r = parseRole(parser.value(role));
                if (!r)
                    return int(Refused);
                const std::optional<QString> password = askPassword();
                if (!password)
                    return int(UsageOrConnection);
                Result<StaffMember> m = service.create(
                    { login, *password, parser.value(email), parser.value(name), *r });
                if (!m)
                    return refused(m.error());
                m_out << tr("Created login %1 (%2).").arg(m->login, staffRoleKey(m->role))
                      << Qt::endl;
                return int(Ok);
            }
            if (action == QLatin1String("role")) {
                const std::optional<StaffRole> r = parseRole(args.at(1));
                if (!r)
                    return int(Refused);
                done = service.setRole(login, *r);
            } else if (action == QLatin1String("disable") || action == QLatin1String("enable")) {
                done = service.setActive(login, action == QLatin1String("enable"));
            } else {
                const std::optional<QString> password = askPassword();
                if (!password)
                    return int(UsageOrConnection);
                done = service.setPassword(login, *password);
            }
            if (!done)
                return refused(done.error());
            m_out << tr("Done.") << Qt::endl;
            return int(Ok);
        });
}

int CliCommands::import(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Import SIM cards from a CSV file (iccid,pin,puk,type,msisdn[,imsi]) or a "
           "vendor output file. Exit 0 when imported, 1 when refused."));
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("The file to import."));
    const QCommandLineOption dryRun(
        QStringLiteral("dry-run"), tr("Check everything, import nothing."));
    const QCommandLineOption duplicates(QStringLiteral("duplicates"),
        tr("skip: import the good rows and skip the others; error (default): "
           "import nothing if any row has a problem."),
        QStringLiteral("skip|error"), QStringLiteral("error"));
    const QCommandLineOption type(QStringLiteral("type"),
        tr("SIM type of rows without one (vendor files)."),
        QStringLiteral("prepaid|postpaid|data-only"));
    const QCommandLineOption reportFile(QStringLiteral("report"),
        tr("Write a JSON report to FILE: every problem up to %1 (beyond that they are counted, "
           "as errors_not_listed), and every warning.")
            .arg(ImportSummary::kMaxListedProblems),
        QStringLiteral("FILE"));
    const QCommandLineOption force(
        QStringLiteral("force"), tr("Import a file that was imported before."));
    const QCommandLineOption format(QStringLiteral("format"),
        tr("Read the file as csv or as a vendor output file (default: auto, from its first "
           "lines)."),
        QStringLiteral("auto|csv|vendor"), QStringLiteral("auto"));
    parser.addOptions({ dryRun, duplicates, type, reportFile, force, format });
    return withConnection(parser, arguments, 1, [&](QSqlDatabase db, const QStringList &args) {
        ImportOptions options;
        const QString policy = parser.value(duplicates);
        if (policy != QLatin1String("skip") && policy != QLatin1String("error"))
            return usage(tr("--duplicates takes skip or error, not “%1”.").arg(policy));
        options.duplicates
            = policy == QLatin1String("skip") ? DuplicatePolicy::Skip : DuplicatePolicy::Error;
        if (parser.isSet(type)) {
            Result<SimType> t = validation::parseSimType(parser.value(type));
            if (!t)
                return usage(t.error().message());
            options.defaultType = *t;
        }
        options.force = parser.isSet(force);
        const QString formatName = parser.value(format);
        if (formatName == QLatin1String("csv"))
            options.format = ImportFormat::Csv;
        else if (formatName == QLatin1String("vendor"))
            options.format = ImportFormat::Vendor;
        else if (formatName != QLatin1String("auto"))
            return usage(tr("--format takes auto, csv or vendor, not “%1”.").arg(formatName));

        // The report, when asked for, is written whatever the outcome, refusals included.
        auto writeReport = [&](const ImportReport &report) {
            if (!parser.isSet(reportFile))
                return true;
            QSaveFile out(parser.value(reportFile));
            if (!out.open(QIODevice::WriteOnly) || out.write(report.toJson(describe)) < 0
                || !out.commit()) {
                printError(Error(ErrorCode::ImportFileUnreadable,
                    { parser.value(reportFile), out.errorString() }));
                return false;
            }
            return true;
        };
        if (Status st = Migrator(db).checkCompatible(); !st) {
            ImportReport report;
            report.summary.fileName = QFileInfo(args.at(0)).fileName();
            report.refusal = st.error();
            writeReport(report);
            return refused(st.error());
        }

        QElapsedTimer timer;
        timer.start();
        ImportService service(db);
        // A missing or unreadable file is refused by the service like any other bad file.
        const ImportReport report = parser.isSet(dryRun) ? service.dryRun(args.at(0), options)
                                                         : service.commit(args.at(0), options);
        const ImportSummary &s = report.summary;
        if (!writeReport(report))
            return int(Refused);
        if (s.fatal)
            return refused(*s.fatal);
        m_out << tr("%1 (%2): %n row(s): %3 valid, %4 invalid, %5 duplicate in the file, %6 "
                    "already in SimDesk.",
            nullptr, int(s.rows))
                     .arg(s.fileName, s.format, QString::number(s.valid),
                         QString::number(s.invalid), QString::number(s.duplicateInFile),
                         QString::number(s.alreadyInDatabase))
              << Qt::endl;
        // At most kShown lines of each kind; the report has all of them.
        constexpr int kShown = 20;
        for (qsizetype i = 0; i < qMin<qsizetype>(kShown, s.warnings.size()); ++i)
            m_err << tr("warning: %1").arg(describe(s.warnings.at(i).error)) << Qt::endl;
        if (s.warnings.size() > kShown)
            m_err << tr("… and %n more warning(s) (all of them with --report FILE).", nullptr,
                int(s.warnings.size() - kShown))
                  << Qt::endl;
        const qsizetype shownProblems = qMin<qsizetype>(kShown, s.problems.size());
        for (qsizetype i = 0; i < shownProblems; ++i) {
            const ImportIssue &p = s.problems.at(i);
            m_err << tr("line %1%2: %3")
                         .arg(QString::number(p.line),
                             p.column.isEmpty() ? QString() : QStringLiteral(", ") + p.column,
                             describe(p.error))
                  << Qt::endl;
        }
        // Problems, not rows: a row can have several, and the report lists each, up to
        // kMaxListedProblems; it counts the others.
        const qint64 allProblems = s.problems.size() + s.problemsNotListed;
        if (allProblems > shownProblems && s.problemsNotListed == 0)
            m_err << tr("… and %n more problem(s) (all of them with --report FILE).", nullptr,
                int(allProblems - shownProblems))
                  << Qt::endl;
        else if (allProblems > shownProblems)
            m_err << tr("… and %n more problem(s); --report FILE lists the first %1 and counts "
                        "the others.",
                nullptr, int(allProblems - shownProblems))
                         .arg(ImportSummary::kMaxListedProblems)
                  << Qt::endl;
        if (report.refusal)
            return refused(*report.refusal);
        const QString seconds = QString::number(double(timer.elapsed()) / 1000.0, 'f', 1);
        if (parser.isSet(dryRun))
            m_out << tr("Dry run: %n SIM card(s) would be imported (%1 s). Nothing was changed.",
                nullptr, int(s.valid))
                         .arg(seconds)
                  << Qt::endl;
        else
            m_out << tr("Imported %n SIM card(s) as batch %1; %2 skipped (%3 s).", nullptr,
                int(report.created))
                         .arg(QString::number(*report.batchId), QString::number(report.skipped),
                             seconds)
                  << Qt::endl;
        return int(Ok);
    });
}

int CliCommands::revertImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Remove the SIM cards of an import batch, while none of them has been used."));
    parser.addPositionalArgument(QStringLiteral("BATCH"), tr("The import batch number."));
    return withConnection(parser, arguments, 1, [&](QSqlDatabase db, const QStringList &args) {
        bool ok = false;
        const qint64 batch = args.at(0).toLongLong(&ok);
        if (!ok)
            return usage(tr("the batch number must be a whole number, not “%1”.").arg(args.at(0)));
        Result<qint64> removed = ImportService(db).revert(batch);
        if (!removed)
            return refused(removed.error());
        m_out << tr("Reverted batch %1: removed %n SIM card(s).", nullptr, int(*removed)).arg(batch)
              << Qt::endl;
        return int(Ok);
    });
}

int CliCommands::exportCards(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Export SIM cards as CSV (iccid,type,msisdn,imsi) that imports again as is. "
           "PIN and PUK are never exported."));
    const QCommandLineOption status(
        QStringLiteral("status"), tr("Only cards in this status."), QStringLiteral("STATUS"));
    const QCommandLineOption format(QStringLiteral("format"), tr("Output format (csv)."),
        QStringLiteral("FORMAT"), QStringLiteral("csv"));
    const QCommandLineOption output(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        tr("Write to FILE instead of standard output."), QStringLiteral("FILE"));
    const QCommandLineOption spreadsheet(QStringLiteral("spreadsheet-safe"),
        tr("Write CSV for a spreadsheet program: every cell quoted, and a cell that starts with "
           "=, +, - or @ (a “+49…” number) prefixed with an apostrophe, so that nothing is taken "
           "for a formula or a number. Such a file is not for re-import."));
    parser.addOptions({ status, format, output, spreadsheet });
    return withConnection(parser, arguments, 0, [&](QSqlDatabase db, const QStringList &) {
        if (parser.value(format) != QLatin1String("csv"))
            return usage(tr("the only export format is csv."));
        std::optional<SimStatus> only;
        if (parser.isSet(status)) {
            only = statusFromKey(parser.value(status));
            if (!only)
                return usage(Error(ErrorCode::StatusUnknown, { parser.value(status) }).message());
        }
        const CsvFlavour flavour
            = parser.isSet(spreadsheet) ? CsvFlavour::SpreadsheetSafe : CsvFlavour::Reimportable;
        Result<qint64> rows = Error(ErrorCode::InvalidArgument);
        if (parser.isSet(output)) {
            // Written under a temporary name and renamed at the end: no half-written export.
            QSaveFile file(parser.value(output));
            if (!file.open(QIODevice::WriteOnly))
                return usage(tr("cannot write %1: %2").arg(file.fileName(), file.errorString()));
            rows = ExportService(db).exportCsv(&file, only, flavour);
            if (rows && !file.commit())
                return refused(Error(ErrorCode::InvalidArgument,
                    { tr("cannot write %1: %2").arg(file.fileName(), file.errorString()) }));
        } else {
            QFile out;
            if (!out.open(stdout, QIODevice::WriteOnly))
                return usage(out.errorString());
            m_out.flush();
            rows = ExportService(db).exportCsv(&out, only, flavour);
        }
        if (!rows)
            return refused(rows.error());
        m_err << tr("Exported %n SIM card(s).", nullptr, int(*rows)) << Qt::endl;
        return int(Ok);
    });
}

// setup-server: the central server's set-up in one command (docs/server-setup.md), for the
// PostgreSQL superuser. --db names the database to set up; the role and the database are made
// over a connection to the cluster's maintenance database (postgres), then the schema is
// migrated as the owner, the first administrator created, and what only a superuser or the
// server's configuration can close is applied or said (ServerSetup::run). Each step is skipped
// when done.
int CliCommands::setupServer(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Set up the central server, as the PostgreSQL superuser: the NOLOGIN schema owner, the "
           "database (named by --db, default simdesk), the schema, the first administrator, and "
           "then what only a superuser may close (large objects, temporary files, timeouts, "
           "connection limits, pg_signal_backend for the owner), saying what only the server's "
           "configuration can do (passwordcheck, authentication, logging). Steps already done "
           "are skipped; the steps marked “to do” are the site's."));
    const QCommandLineOption owner(QStringLiteral("owner"),
        tr("The schema owner role (default simdesk_owner)."), QStringLiteral("ROLE"),
        QStringLiteral("simdesk_owner"));
    const QCommandLineOption admin(QStringLiteral("admin"),
        tr("Login of the first administrator (not needed once the site has one)."),
        QStringLiteral("LOGIN"));
    const QCommandLineOption name(
        QStringLiteral("name"), tr("Display name of the administrator."), QStringLiteral("NAME"));
    const QCommandLineOption email(QStringLiteral("email"),
        tr("E-mail address of the administrator."), QStringLiteral("EMAIL"));
    const QCommandLineOption passwordStdin(QStringLiteral("password-stdin"),
        tr("Read the administrator's password from standard input."));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
        tr("Only say what the superuser's part would do; change nothing."));
    const QCommandLineOption onlyHardening(QStringLiteral("only-hardening"),
        tr("Only the superuser's part, on a database that is set up already."));
    parser.addOptions({ owner, admin, name, email, passwordStdin, dryRun, onlyHardening });

    const bool hardenOnly = arguments.contains(QStringLiteral("--dry-run"))
        || arguments.contains(QStringLiteral("--only-hardening"));
    if (hardenOnly) {
        return withConnection(parser, arguments, 0, [&](QSqlDatabase db, const QStringList &) {
            if (Status s = Migrator(db).checkCompatible(); !s)
                return refused(s.error());
            return harden(db, !parser.isSet(dryRun));
        });
    }
    ConnectionSettings target;
    auto toMaintenance = [&target](ConnectionSettings s) {
        if (s.database.isEmpty())
            s.database = QStringLiteral("simdesk");
        target = s;
        s.database = QStringLiteral("postgres");
        return s;
    };
    return withConnection(
        parser, arguments, 0,
        [&](QSqlDatabase maintenance, const QStringList &) {
            const Result<QStringList> prepared
                = ServerSetup::prepare(maintenance, parser.value(owner), target.database);
            if (!prepared)
                return refused(prepared.error());
            for (const QString &step : *prepared)
                m_out << step << Qt::endl;
            const QString siteName = Database::uniqueName(QStringLiteral("simdesk-cli-site"));
            ScopedConnection guard(siteName);
            const Result<QSqlDatabase> site = Database::open(target, siteName);
            if (!site)
                return refused(site.error());
            const Result<QList<int>> applied = Migrator(*site).migrate();
            if (!applied)
                return refused(applied.error());
            m_out << (applied->isEmpty() ? tr("The schema is up to date.")
                                         : tr("Migrated the schema to version %1 as %2.")
                                               .arg(applied->constLast())
                                               .arg(parser.value(owner)))
                  << Qt::endl;
            if (const int code = firstAdministrator(*site, parser.value(admin), parser.value(name),
                    parser.value(email), parser.isSet(passwordStdin));
                code != int(Ok))
                return code;
            return harden(*site, true);
        },
        toMaintenance);
}

// The site's first administrator, unless it has an active one.
int CliCommands::firstAdministrator(QSqlDatabase site, const QString &login, const QString &name,
    const QString &email, bool passwordFromStdin)
{
    StaffService staff(site);
    const Result<QList<StaffMember>> members = staff.list();
    if (!members)
        return refused(members.error());
    for (const StaffMember &m : *members) {
        if (m.role == StaffRole::Admin && m.active) {
            m_out << tr("The site has an administrator (%1); none was created.").arg(m.login)
                  << Qt::endl;
            return int(Ok);
        }
    }
    if (login.isEmpty() || name.isEmpty() || email.isEmpty()) {
        m_err << QStringLiteral("simdesk-cli: ")
              << tr("the site has no administrator yet: give --admin, --name and --email.")
              << Qt::endl;
        return int(UsageOrConnection);
    }
    const std::optional<QString> password = newPassword(passwordFromStdin);
    if (!password) {
        m_err << QStringLiteral("simdesk-cli: ")
              << tr("no password given: type it on a terminal or use --password-stdin.")
              << Qt::endl;
        return int(UsageOrConnection);
    }
    const Result<StaffMember> created
        = staff.create({ login, *password, email, name, StaffRole::Admin });
    if (!created)
        return refused(created.error());
    m_out << tr("Created the first administrator %1.").arg(created->login) << Qt::endl;
    return int(Ok);
}

// What only a superuser or the server's configuration can close, applied or said.
int CliCommands::harden(QSqlDatabase db, bool apply)
{
    Result<QList<ServerSetupStep>> steps = ServerSetup(db).run(apply);
    if (!steps)
        return refused(steps.error());
    for (const ServerSetupStep &step : std::as_const(*steps)) {
        const QString state = step.state == ServerSetupStep::State::Applied ? tr("done now")
            : step.state == ServerSetupStep::State::InPlace                 ? tr("in place")
                                                                            : tr("to do");
        m_out << QStringLiteral("[%1] %2: %3").arg(state, step.key, step.text) << Qt::endl;
    }
    return int(Ok);
}

} // namespace simdesk
