// SPDX-License-Identifier: MIT
// Generating a batch of activation codes in the database (simdesk_code_batch_generate): --count
// codes of --length characters, --runs times, each run a new batch on top of the earlier ones
// (so uniqueness is checked against a growing table). Prints the times and writes JSON with
// --json FILE. Asserts nothing about time.
//
//   bench_codebatch --count 100000 --runs 5

#include "benchsupport.h"
#include "records/activationcoderepository.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace simdesk;
using namespace simdesk::bench;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_codebatch"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("codes a batch"),
        QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption lengthOption(QStringLiteral("length"),
        QStringLiteral("characters a code"), QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("batches"),
        QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOptions({ countOption, lengthOption, runsOption, jsonOption });
    parser.process(app);
    const int count = parser.value(countOption).toInt();
    const int length = parser.value(lengthOption).toInt();
    const int runs = std::max(1, parser.value(runsOption).toInt());

    TestDatabase tdb(QStringLiteral("bench_codebatch"));
    if (!tdb.isValid())
        fail(tdb.error());
    QSqlDatabase db = migratedDatabase(tdb, {});
    ActivationCodeRepository codes(db);
    QList<double> ms;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer t;
        t.start();
        must(codes.generateBatch(QStringLiteral("bench %1").arg(r), count, length,
                 QDateTime::currentDateTimeUtc().addDays(365)),
            QStringLiteral("generate"));
        ms << double(t.nsecsElapsed()) / 1e6;
    }
    const qint64 total
        = column(db, QStringLiteral("SELECT count(*) FROM activation_codes")).value(0).toLongLong();
    std::printf("Generating %d codes of %d characters, %d batches (ms)\n", count, length, runs);
    std::printf("%8s %8s %8s %12s %14s\n", "p50", "p95", "max", "codes/s p50", "codes in table");
    const double p50 = percentile(ms, 0.5);
    std::printf("%8.0f %8.0f %8.0f %12.0f %14lld\n", p50, percentile(ms, 0.95), percentile(ms, 1.0),
        double(count) / (p50 / 1000.0), total);
    if (parser.isSet(jsonOption)) {
        QJsonArray runsMs;
        for (double m : ms)
            runsMs.append(m);
        const QJsonObject json { { QStringLiteral("benchmark"), QStringLiteral("codebatch") },
            { QStringLiteral("count"), count }, { QStringLiteral("length"), length },
            { QStringLiteral("runs_ms"), runsMs }, { QStringLiteral("p50_ms"), p50 } };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            fail(QStringLiteral("cannot write ") + f.fileName());
    }
    return 0;
}
