// SPDX-License-Identifier: MIT
// The import against its physical limit. Generates a CSV of N SIM cards (default 1,000,000), then
// in one run, each into an equal fresh database on the same cluster, as the same admin login:
//   (a) psql: \copy into a staging table plus the same set-based inserts with events (reference)
//   (b) simdesk-cli import --dry-run, then simdesk-cli import (wall time and peak memory)
//   (c) ImportService::preview of the first 100 rows
//   (d) a naive one-INSERT-per-row path on a sample, for contrast
// Prints a table, writes JSON with --json FILE. Asserts nothing about time.
#include "db/migrator.h"
#include "domain/validation.h"
#include "import/importservice.h"
#include "testdatabase.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace simdesk;

namespace {

QString iccid(qint64 n)
{
    const QString body = QStringLiteral("8949%1").arg(n, 14, 10, QLatin1Char('0'));
    return body + QString::number(validation::luhnCheckDigit(body));
}

bool writeCsv(const QString &path, qint64 rows)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    static const char *types[] = { "prepaid", "postpaid", "data-only" };
    QByteArray block = "iccid,pin,puk,type,msisdn\n";
    for (qint64 i = 1; i <= rows; ++i) {
        block += iccid(i).toLatin1();
        block += ',' + QByteArray::number(1000 + i % 9000) + ','
            + QByteArray::number(10000000 + i % 89999999) + ',';
        block += types[i % 3];
        block += ',';
        if (i % 3 == 0)
            block += "+4915" + QByteArray::number(100000000 + i);
        block += '\n';
        if (block.size() > (1 << 20)) {
            f.write(block);
            block.clear();
        }
    }
    f.write(block);
    return true;
}

struct Run
{
    double seconds = 0;
    long peakKb = 0;
    int exitCode = -1;
};

// fork/exec so that wait4 gives this child's own peak memory.
Run runChild(const QString &program, const QStringList &args, const QStringList &env = {})
{
    QList<QByteArray> storage { program.toLocal8Bit() };
    for (const QString &a : args)
        storage << a.toLocal8Bit();
    std::vector<char *> argv;
    for (QByteArray &s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    QList<QByteArray> envStorage;
    for (const QString &e : env)
        envStorage << e.toLocal8Bit();
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid == 0) {
        for (QByteArray &e : envStorage)
            putenv(e.data());
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    rusage usage {};
    wait4(pid, &status, 0, &usage);
    Run r;
    r.seconds = timer.nsecsElapsed() / 1e9;
    r.peakKb = usage.ru_maxrss;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

QString urlFor(const TestDatabase &db, const QString &login)
{
    const ConnectionSettings s = db.settings();
    return QStringLiteral("postgresql:///%1?host=%2&port=%3&user=%4")
        .arg(s.database, s.host, QString::number(s.port), login);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption rowsOption(QStringLiteral("rows"), QStringLiteral("rows in the file"),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption naiveOption(QStringLiteral("naive-rows"),
        QStringLiteral("rows for the naive path"), QStringLiteral("N"), QStringLiteral("20000"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    const QCommandLineOption repeatOption(QStringLiteral("repeat"),
        QStringLiteral("rounds of (a) and (b), best reported"), QStringLiteral("N"),
        QStringLiteral("2"));
    parser.addOptions({ rowsOption, naiveOption, jsonOption, repeatOption });
    parser.process(app);
    const qint64 rows = parser.value(rowsOption).toLongLong();
    const int naiveRows = parser.value(naiveOption).toInt();
    const int repeat = std::max(1, parser.value(repeatOption).toInt());
    auto fail = [](const QString &what) {
        std::fprintf(stderr, "bench_import: %s\n", qPrintable(what));
        return 1;
    };

    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("sims.csv"));
    QElapsedTimer timer;
    timer.start();
    if (!writeCsv(csv, rows))
        return fail(QStringLiteral("cannot write %1").arg(csv));
    const double generateSeconds = timer.nsecsElapsed() / 1e9;

    QString psql = QStandardPaths::findExecutable(QStringLiteral("psql"));
    if (psql.isEmpty())
        psql = QStringLiteral("/usr/lib/postgresql/15/bin/psql");
    const QString cliPath = QCoreApplication::applicationDirPath() + QStringLiteral("/simdesk-cli");

    // (a) The physical reference: psql's \copy into the same staging table, then exactly the
    // statements ImportService runs (the same rules, triggers and indexes apply to both).
    const QString script = dir.filePath(QStringLiteral("reference.sql"));
    {
        QString sql
            = QStringLiteral("\\set ON_ERROR_STOP on\nBEGIN;\nSET LOCAL work_mem = '256MB';\n")
            + ImportService::stagingTableSql().replace(QLatin1String("line bigint"),
                QLatin1String("line bigint GENERATED ALWAYS AS IDENTITY"))
            + QStringLiteral(";\n\\copy simdesk_import_staging (iccid, pin, puk, sim_type, msisdn) "
                             "FROM '%1' WITH (FORMAT csv, HEADER)\n")
                  .arg(csv);
        // The commit statement with its values ($1 file name … $5 force) written in.
        sql += ImportService::commitSql()
                   .replace(QLatin1String("$1"), QLatin1String("'sims.csv'"))
                   .replace(QLatin1String("$2"), QLatin1String("repeat('0', 64)"))
                   .replace(QLatin1String("$3"), QLatin1String("'csv'"))
                   .replace(QLatin1String("$4"), QString::number(rows))
                   .replace(QLatin1String("$5"), QLatin1String("false"))
            + QStringLiteral(";\n");
        sql += QStringLiteral("COMMIT;\n");
        QFile f(script);
        if (!f.open(QIODevice::WriteOnly) || f.write(sql.toUtf8()) < 0)
            return fail(QStringLiteral("cannot write %1").arg(script));
    }

    // Each path into a fresh database, after a checkpoint so that neither pays for the other's
    // writes; `repeat` rounds in alternating order, best of each reported.
    Run reference;
    Run import;
    Run dryRun;
    reference.seconds = import.seconds = dryRun.seconds = 1e9;
    std::vector<std::unique_ptr<TestDatabase>> keep;
    for (int round = 0; round < repeat; ++round) {
        for (int turn = 0; turn < 2; ++turn) {
            const bool referenceTurn = (turn == 0) == (round % 2 == 0);
            auto db = std::make_unique<TestDatabase>(
                QStringLiteral("bench_%1_%2")
                    .arg(referenceTurn ? QStringLiteral("ref") : QStringLiteral("cli"))
                    .arg(round));
            if (!db->isValid())
                return fail(db->error());
            if (Result<QList<int>> r = Migrator(db->connect()).migrate(); !r)
                return fail(r.error().fullMessage());
            const QString login = db->createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
            db->exec(QStringLiteral("CHECKPOINT"));
            if (referenceTurn) {
                const Run r = runChild(psql,
                    { QStringLiteral("-q"), QStringLiteral("-X"), QStringLiteral("-d"),
                        urlFor(*db, login), QStringLiteral("-f"), script });
                if (r.exitCode != 0)
                    return fail(QStringLiteral("psql reference failed (exit %1)").arg(r.exitCode));
                reference.seconds = std::min(reference.seconds, r.seconds);
            } else {
                // (b) simdesk-cli: a dry run, then the import itself.
                const Run d = runChild(cliPath,
                    { QStringLiteral("import"), csv, QStringLiteral("--dry-run"),
                        QStringLiteral("--db"), urlFor(*db, login) });
                if (d.exitCode != 0)
                    return fail(QStringLiteral("simdesk-cli import --dry-run failed (exit %1)")
                                    .arg(d.exitCode));
                db->exec(QStringLiteral("CHECKPOINT"));
                const Run r = runChild(cliPath,
                    { QStringLiteral("import"), csv, QStringLiteral("--db"), urlFor(*db, login) });
                if (r.exitCode != 0)
                    return fail(
                        QStringLiteral("simdesk-cli import failed (exit %1)").arg(r.exitCode));
                dryRun.seconds = std::min(dryRun.seconds, d.seconds);
                dryRun.peakKb = std::max(dryRun.peakKb, d.peakKb);
                import.seconds = std::min(import.seconds, r.seconds);
                import.peakKb = std::max(import.peakKb, r.peakKb);
            }
            if (db->scalar(QStringLiteral("SELECT count(*) FROM sim_cards")).toLongLong() != rows)
                return fail(QStringLiteral("%1 did not import every row")
                                .arg(referenceTurn ? QStringLiteral("psql")
                                                   : QStringLiteral("simdesk-cli")));
            if (keep.empty())
                keep.push_back(std::move(db)); // (c) previews against a full database
        }
    }
    TestDatabase &cli = *keep.front();
    const QString cliLogin = cli.name() + QStringLiteral("_admin");
    TestDatabase naive(QStringLiteral("bench_naive"));
    if (!naive.isValid())
        return fail(naive.error());
    if (Result<QList<int>> r = Migrator(naive.connect()).migrate(); !r)
        return fail(r.error().fullMessage());
    const QString naiveLogin = naive.createLogin(QStringLiteral("admin"), QStringLiteral("admin"));

    // (c) Preview of the first 100 rows (what the import page shows at once).
    QSqlDatabase previewDb = cli.connectAs(cliLogin);
    timer.restart();
    const ImportSummary preview = ImportService(previewDb).preview(csv, {}, 100);
    const double previewSeconds = timer.nsecsElapsed() / 1e9;
    if (preview.rows != 100)
        return fail(QStringLiteral("preview read %1 rows").arg(preview.rows));

    // (d) Naive: one INSERT (and its event) per row, as a hand-written loop would.
    QSqlDatabase naiveDb = naive.connectAs(naiveLogin);
    timer.restart();
    naiveDb.transaction();
    QSqlQuery q(naiveDb);
    for (int i = 1; i <= naiveRows; ++i) {
        if (!q.exec(QStringLiteral(
                "INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid') RETURNING id")
                        .arg(iccid(i)))
            || !q.next())
            return fail(QStringLiteral("naive insert failed"));
        if (!q.exec(QStringLiteral("INSERT INTO sim_events (sim_id, event_type, new_status) VALUES "
                                   "(%1, 'IMPORTED', 'AVAILABLE')")
                        .arg(q.value(0).toLongLong())))
            return fail(QStringLiteral("naive event failed"));
    }
    naiveDb.commit();
    const double naiveSeconds = timer.nsecsElapsed() / 1e9;
    const double naiveRate = naiveRows / naiveSeconds;

    const double ratio = import.seconds / reference.seconds;
    std::printf("%-46s %12s\n", "measure", "value");
    std::printf("%-46s %12lld\n", "rows in the file", rows);
    std::printf("%-46s %12.1f\n", "file size (MB)", QFile(csv).size() / 1e6);
    std::printf("%-46s %12.2f\n", "generate the file (s)", generateSeconds);
    std::printf("%-46s %12d\n", "rounds (best of each reported)", repeat);
    std::printf("%-46s %12.2f\n", "(a) psql \\copy + set-based inserts (s)", reference.seconds);
    std::printf("%-46s %12.2f\n", "(b) simdesk-cli import (s)", import.seconds);
    std::printf("%-46s %12.3f\n", "    ratio import / reference", ratio);
    std::printf("%-46s %12.0f\n", "    rows per second", rows / import.seconds);
    std::printf("%-46s %12.1f\n", "    peak memory (MB)", import.peakKb / 1024.0);
    std::printf("%-46s %12.2f\n", "    dry run (s)", dryRun.seconds);
    std::printf("%-46s %12.1f\n", "    dry run peak memory (MB)", dryRun.peakKb / 1024.0);
    std::printf("%-46s %12.3f\n", "(c) preview of the first 100 rows (s)", previewSeconds);
    std::printf("%-46s %12.0f\n", "(d) naive INSERT per row: rows per second", naiveRate);
    std::printf("%-46s %12.1f\n", "    extrapolated to the file (s)", rows / naiveRate);

    if (parser.isSet(jsonOption)) {
        const QJsonObject json {
            { QStringLiteral("benchmark"), QStringLiteral("import") },
            { QStringLiteral("rows"), rows },
            { QStringLiteral("reference_s"), reference.seconds },
            { QStringLiteral("import_s"), import.seconds },
            { QStringLiteral("ratio"), ratio },
            { QStringLiteral("rows_per_s"), rows / import.seconds },
            { QStringLiteral("import_peak_mb"), import.peakKb / 1024.0 },
            { QStringLiteral("dry_run_s"), dryRun.seconds },
            { QStringLiteral("dry_run_peak_mb"), dryRun.peakKb / 1024.0 },
            { QStringLiteral("preview_100_s"), previewSeconds },
            { QStringLiteral("naive_rows_per_s"), naiveRate },
        };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            return fail(QStringLiteral("cannot write %1").arg(f.fileName()));
    }
    return 0;
}
