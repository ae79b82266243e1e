// SPDX-License-Identifier: MIT
#include "clicommands.h"

#include "connectionoptions.h"
#include "database.h"
#include "demodata.h"
#include "migrator.h"
#include "simrepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::CliCommands", text);
}

// Parses the options of one command; returns false (after printing why) on bad usage.
struct CommandParser
{
    QCommandLineParser parser;
    ConnectionOptions connection;

    explicit CommandParser(const QString &description)
    {
        parser.setApplicationDescription(description);
        parser.addHelpOption();
        connection.addTo(parser);
    }
};

} // namespace

int CliCommands::usage(const QString &problem)
{
    m_err << QStringLiteral("simdesk-cli: ") << problem << Qt::endl
          << tr("Commands: migrate, demo-data, status. Run “simdesk-cli COMMAND --help” for a command's options.")
          << Qt::endl;
    return UsageOrConnection;
}

int CliCommands::run(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return usage(tr("no command given."));
    const QString command = arguments.at(1);
    QStringList rest = arguments;
    rest.removeAt(1); // the parser sees "simdesk-cli --opt …" for each command
    if (command == QLatin1String("migrate"))
        return migrate(rest);
    if (command == QLatin1String("demo-data"))
        return demoData(rest);
    if (command == QLatin1String("status"))
        return status(rest);
    if (command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        m_out << tr("Usage: simdesk-cli COMMAND [options]\n\n"
                    "  migrate     bring the database schema up to this version\n"
                    "  demo-data   fill an empty database with demo data (--sims N)\n"
                    "  status      show the schema version and SIM cards per status\n\n"
                    "Every command takes --db postgresql://user@host:port/database; without it the\n"
                    "standard PGHOST, PGPORT, PGUSER, PGDATABASE and PGPASSWORD settings apply.\n");
        return Ok;
    }
    return usage(tr("unknown command “%1”.").arg(command));
}

namespace {

// Common to every command: parse, then connect. Returns the exit code on failure.
template<typename Fn>
int withConnection(QTextStream &err, CommandParser &cp, const QStringList &arguments, Fn &&body)
{
    if (!cp.parser.parse(arguments)) {
        err << QStringLiteral("simdesk-cli: ") << cp.parser.errorText() << Qt::endl;
        return CliCommands::UsageOrConnection;
    }
    if (cp.parser.isSet(QStringLiteral("help"))) {
        err << cp.parser.helpText();
        return CliCommands::Ok;
    }
    if (!cp.parser.positionalArguments().isEmpty()) {
        err << QStringLiteral("simdesk-cli: ")
            << tr("unexpected argument “%1”.").arg(cp.parser.positionalArguments().constFirst())
            << Qt::endl;
        return CliCommands::UsageOrConnection;
    }
    Result<ConnectionSettings> settings = cp.connection.settings(cp.parser);
    if (!settings) {
        err << QStringLiteral("simdesk-cli: ") << settings.error().message() << Qt::endl;
        return CliCommands::UsageOrConnection;
    }
    const QString name = Database::uniqueName(QStringLiteral("simdesk-cli"));
    ScopedConnection guard(name);
    Result<QSqlDatabase> db = Database::open(*settings, name);
    if (!db) {
        err << QStringLiteral("simdesk-cli: ") << db.error().message() << Qt::endl;
        if (!db.error().detail.isEmpty())
            err << QStringLiteral("  ") << db.error().detail << Qt::endl;
        return CliCommands::UsageOrConnection;
    }
    return body(*db);
}

int refused(QTextStream &err, const Error &e)
{
    err << QStringLiteral("simdesk-cli: ") << e.message() << Qt::endl;
    if (!e.detail.isEmpty())
        err << QStringLiteral("  ") << e.detail << Qt::endl;
    return CliCommands::Refused;
}

} // namespace

int CliCommands::migrate(const QStringList &arguments)
{
    CommandParser cp(tr("Bring the database schema up to the version of this SimDesk."));
    return withConnection(m_err, cp, arguments, [&](QSqlDatabase db) {
        Migrator migrator(db);
        Result<QList<int>> applied = migrator.migrate();
        if (!applied)
            return refused(m_err, applied.error());
        if (applied->isEmpty())
            m_out << tr("Schema is up to date (version %1).").arg(migrator.latestVersion()) << Qt::endl;
        for (int v : std::as_const(*applied))
            m_out << tr("Applied migration %1.").arg(v, 3, 10, QLatin1Char('0')) << Qt::endl;
        return int(Ok);
    });
}

int CliCommands::demoData(const QStringList &arguments)
{
    CommandParser cp(tr("Fill an empty, migrated database with deterministic demo data."));
    const QCommandLineOption sims(QStringLiteral("sims"), tr("Number of SIM cards (default 5000)."),
                                  QStringLiteral("N"), QStringLiteral("5000"));
    const QCommandLineOption seed(QStringLiteral("seed"), tr("Seed of the generator (default 42)."),
                                  QStringLiteral("S"), QStringLiteral("42"));
    cp.parser.addOption(sims);
    cp.parser.addOption(seed);
    return withConnection(m_err, cp, arguments, [&](QSqlDatabase db) {
        DemoDataOptions options;
        bool okSims = false;
        bool okSeed = false;
        options.sims = cp.parser.value(sims).toInt(&okSims);
        options.seed = cp.parser.value(seed).toInt(&okSeed);
        if (!okSims || !okSeed) {
            m_err << QStringLiteral("simdesk-cli: ") << tr("--sims and --seed take whole numbers.") << Qt::endl;
            return int(UsageOrConnection);
        }
        if (Status s = Migrator(db).checkCompatible(); !s)
            return refused(m_err, s.error());
        QElapsedTimer timer;
        timer.start();
        if (Status s = DemoData::generate(db, options); !s)
            return refused(m_err, s.error());
        m_out << tr("Loaded demo data: %1 SIM cards in %2 s.")
                     .arg(options.sims)
                     .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
              << Qt::endl;
        return int(Ok);
    });
}

int CliCommands::status(const QStringList &arguments)
{
    CommandParser cp(tr("Show the schema version and the number of SIM cards in each status."));
    return withConnection(m_err, cp, arguments, [&](QSqlDatabase db) {
        Migrator migrator(db);
        Result<int> version = migrator.currentVersion();
        if (!version)
            return refused(m_err, version.error());
        m_out << tr("Database: %1").arg(Database::describe(db)) << Qt::endl
              << tr("Schema version: %1 (this build: %2)").arg(*version).arg(migrator.latestVersion())
              << Qt::endl;
        if (Status s = migrator.checkCompatible(); !s)
            return refused(m_err, s.error());
        Result<QMap<SimStatus, qint64>> counts = SimRepository(db).countByStatus();
        if (!counts)
            return refused(m_err, counts.error());
        for (auto it = counts->cbegin(); it != counts->cend(); ++it)
            m_out << statusKey(it.key()).leftJustified(12) << it.value() << Qt::endl;
        return int(Ok);
    });
}

} // namespace simdesk
