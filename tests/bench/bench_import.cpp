// SPDX-License-Identifier: MIT
// The import against its physical limit. Generates a CSV of N SIM cards (default 300,000), then
// in one run, each into an equal fresh database on the same cluster:
//   (a) the physical reference: psql's \copy of the same file into a staging table, then ONE
//       set-based statement into bare cards, secrets and events tables (the columns of
//       sim_cards/sim_secrets/sim_events, only their primary and unique keys: no CHECK, no
//       trigger, no foreign key, no other index) in a schema of their own, "bare"
//   (b) simdesk-cli import --dry-run, then simdesk-cli import into the real schema, every rule on
//       (wall time and peak memory)
//   (c) ImportService::preview of the first 100 rows
//   (d) for contrast, one simdesk_sim_create call per row (what a client without the set-based
//       import would do) on a sample, extrapolated to the file
//   (e) simdesk-cli revert-import of the whole batch imported in (b) (after the preview)
// (a) and (b) alternate over `--repeat` rounds, each after a CHECKPOINT; the best of each is
// reported. Prints a table, writes JSON with --json FILE. Asserts nothing about time.
#include "db/migrator.h"
#include "db/sqlquery.h"
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

// The bare tables of the reference: the columns and defaults of sim_cards, sim_secrets and
// sim_events after migration 004, with only their primary and unique keys.
const char *const kBareSchema = R"sql(
CREATE SCHEMA bare;
CREATE TABLE bare.sim_cards (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    iccid text COLLATE "C" NOT NULL UNIQUE,
    msisdn text COLLATE "C",
    imsi text COLLATE "C",
    status text NOT NULL DEFAULT 'AVAILABLE',
    sim_type text NOT NULL,
    customer_id bigint,
    tariff_plan_id bigint,
    activation_code_id bigint UNIQUE,
    import_batch_id bigint,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    status_changed_at timestamptz NOT NULL DEFAULT now(),
    activated_at timestamptz,
    terminated_at timestamptz);
CREATE UNIQUE INDEX bare_sim_cards_msisdn_key ON bare.sim_cards (msisdn) WHERE msisdn IS NOT NULL;
CREATE TABLE bare.sim_secrets (
    sim_id bigint PRIMARY KEY,
    pin text COLLATE "C",
    puk text COLLATE "C");
CREATE TABLE bare.sim_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sim_id bigint NOT NULL,
    event_type text NOT NULL,
    old_status text,
    new_status text,
    customer_id bigint,
    tariff_plan_id bigint,
    import_batch_id bigint,
    swap_id uuid,
    note text,
    details jsonb,
    created_by text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    source text,
    operation_id uuid)
)sql";

// What psql runs for the reference: the same staging table as the import, \copy of the file,
// then the cards, secrets and events in one statement, as simdesk_import_commit writes them.
QString referenceScript(const QString &csv)
{
    return QStringLiteral(
        "\\set ON_ERROR_STOP on\n"
        "BEGIN;\n"
        "SET LOCAL work_mem = '256MB';\n"
        "CREATE TEMP TABLE staging (line bigint GENERATED ALWAYS AS IDENTITY, iccid text, "
        "msisdn text, imsi text, sim_type text, pin text, puk text) ON COMMIT DROP;\n"
        "\\copy staging (iccid, pin, puk, sim_type, msisdn) FROM '%1' WITH (FORMAT csv, HEADER)\n"
        "WITH cards AS (\n"
        "    INSERT INTO bare.sim_cards (iccid, msisdn, imsi, sim_type, import_batch_id)\n"
        "    SELECT iccid, msisdn, imsi, sim_type, 1 FROM staging ORDER BY line\n"
        "    RETURNING id, iccid),\n"
        "secrets AS (\n"
        "    INSERT INTO bare.sim_secrets (sim_id, pin, puk)\n"
        "    SELECT c.id, s.pin, s.puk FROM cards c JOIN staging s ON s.iccid = c.iccid\n"
        "    WHERE s.pin IS NOT NULL OR s.puk IS NOT NULL)\n"
        "INSERT INTO bare.sim_events (sim_id, event_type, new_status, import_batch_id, source, "
        "created_by, created_at)\n"
        "SELECT id, 'IMPORTED', 'AVAILABLE', 1, 'import', session_user, now() FROM cards;\n"
        "COMMIT;\n")
        .arg(csv);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption rowsOption(QStringLiteral("rows"), QStringLiteral("rows in the file"),
        QStringLiteral("N"), QStringLiteral("300000"));
    const QCommandLineOption naiveOption(QStringLiteral("naive-rows"),
        QStringLiteral("rows for the per-row path (d), extrapolated to the file"),
        QStringLiteral("N"), QStringLiteral("5000"));
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

    // (a) The physical reference, run by the database's superuser: the bare tables belong to it.
    const QString script = dir.filePath(QStringLiteral("reference.sql"));
    {
        QFile f(script);
        if (!f.open(QIODevice::WriteOnly) || f.write(referenceScript(csv).toUtf8()) < 0)
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
                if (const QString e = db->exec(QString::fromLatin1(kBareSchema)); !e.isEmpty())
                    return fail(QStringLiteral("bare tables: %1").arg(e));
                db->exec(QStringLiteral("CHECKPOINT"));
                const Run r = runChild(psql,
                    { QStringLiteral("-q"), QStringLiteral("-X"), QStringLiteral("-d"),
                        urlFor(*db, db->settings().user), QStringLiteral("-f"), script });
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
            const QString table = referenceTurn ? QStringLiteral("bare.sim_cards")
                                                : QStringLiteral("public.sim_cards");
            if (db->scalar(QStringLiteral("SELECT count(*) FROM %1").arg(table)).toLongLong()
                != rows)
                return fail(QStringLiteral("%1 did not import every row")
                                .arg(referenceTurn ? QStringLiteral("psql")
                                                   : QStringLiteral("simdesk-cli")));
            if (keep.empty() && !referenceTurn)
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

    // (d) Per row: one simdesk_sim_create call (card, secrets, CREATED event) per row, in one
    // transaction, as a client without the set-based import would do it; on a sample.
    QSqlDatabase naiveDb = naive.connectAs(naiveLogin);
    timer.restart();
    {
        Transaction tx(naiveDb);
        if (Status st = tx.begin(); !st)
            return fail(st.error().fullMessage());
        static const char *const types[] = { "prepaid", "postpaid", "data-only" };
        for (int i = 1; i <= naiveRows; ++i) {
            const QVariantList values { iccid(i),
                i % 3 == 0 ? QVariant(QStringLiteral("+4915%1").arg(100000000 + i)) : QVariant(),
                QVariant(), QString::fromLatin1(types[i % 3]), QString::number(1000 + i % 9000),
                QString::number(10000000 + i % 89999999) };
            if (Result<QueryResult> q = runQuery(naiveDb,
                    QStringLiteral("SELECT simdesk_sim_create($1, $2, $3, $4, $5, $6, 'cli')"),
                    values);
                !q)
                return fail(QStringLiteral("simdesk_sim_create: %1").arg(q.error().fullMessage()));
        }
        if (Status st = tx.commit(); !st)
            return fail(st.error().fullMessage());
    }
    const double naiveSeconds = timer.nsecsElapsed() / 1e9;
    const double naiveRate = naiveRows / naiveSeconds;

    // (e) The revert of the batch imported in (b): every card of it, with its secrets, and one
    // IMPORT_REVERTED event each.
    const qint64 batch
        = cli.scalar(QStringLiteral("SELECT max(id) FROM import_batches")).toLongLong();
    cli.exec(QStringLiteral("CHECKPOINT"));
    const Run revert = runChild(cliPath,
        { QStringLiteral("revert-import"), QString::number(batch), QStringLiteral("--db"),
            urlFor(cli, cliLogin) });
    if (revert.exitCode != 0)
        return fail(
            QStringLiteral("simdesk-cli revert-import failed (exit %1)").arg(revert.exitCode));
    if (cli.scalar(QStringLiteral("SELECT count(*) FROM sim_cards")).toLongLong() != 0)
        return fail(QStringLiteral("simdesk-cli revert-import left cards behind"));

    const double ratio = import.seconds / reference.seconds;
    std::printf("%-46s %12s\n", "measure", "value");
    std::printf("%-46s %12lld\n", "rows in the file", rows);
    std::printf("%-46s %12.1f\n", "file size (MB)", QFile(csv).size() / 1e6);
    std::printf("%-46s %12.2f\n", "generate the file (s)", generateSeconds);
    std::printf("%-46s %12d\n", "rounds (best of each reported)", repeat);
    std::printf("%-46s %12.2f\n", "(a) reference: \\copy + 1 insert, bare (s)", reference.seconds);
    std::printf("%-46s %12.2f\n", "(b) simdesk-cli import, every rule (s)", import.seconds);
    std::printf("%-46s %12.2f\n", "    ratio import / reference (target <= 2)", ratio);
    std::printf("%-46s %12.0f\n", "    rows per second", rows / import.seconds);
    std::printf("%-46s %12.1f\n", "    peak memory (MB)", import.peakKb / 1024.0);
    std::printf("%-46s %12.2f\n", "    dry run (s)", dryRun.seconds);
    std::printf("%-46s %12.1f\n", "    dry run peak memory (MB)", dryRun.peakKb / 1024.0);
    std::printf("%-46s %12.3f\n", "(c) preview of the first 100 rows (s)", previewSeconds);
    std::printf("%-46s %12d\n", "(d) simdesk_sim_create per row: sample rows", naiveRows);
    std::printf("%-46s %12.0f\n", "    rows per second", naiveRate);
    std::printf("%-46s %12.1f\n", "    extrapolated to the file (s)", rows / naiveRate);
    std::printf("%-46s %12.2f\n", "(e) simdesk-cli revert-import, whole batch (s)", revert.seconds);
    // On a line of its own, for scripts/bench and whoever reads its output.
    std::printf("\nimport ratio: %.2f (target <= 2)%s\n", ratio, ratio <= 2.0 ? "" : "  MISSED");

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
            { QStringLiteral("per_row_create_sample_rows"), naiveRows },
            { QStringLiteral("per_row_create_rows_per_s"), naiveRate },
            { QStringLiteral("per_row_create_extrapolated_s"), rows / naiveRate },
            { QStringLiteral("revert_s"), revert.seconds },
        };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            return fail(QStringLiteral("cannot write %1").arg(f.fileName()));
    }
    return 0;
}
