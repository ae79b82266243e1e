// SPDX-License-Identifier: MIT
// The audit log's pages (core/services/auditlogquery.h) at a given size: p50/p95 over --runs runs
// of the first page, a page deep in the log, and the first page of a filter by user, by card, by
// time range and by operation. The log is generated straight into the tables (card events and
// record changes by twenty logins over a year). Prints a table, writes JSON with --json FILE.
// Asserts nothing about time (CTest runs it small so that it keeps working).
//
//   bench_auditlog --events 1000000            a throwaway database
//   bench_auditlog --database auditlog         an existing database of the test cluster, filled
//                                              when empty and kept, for repeated runs

#include "benchsupport.h"
#include "services/auditlogquery.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace simdesk;
using namespace simdesk::bench;

namespace {

constexpr int kLogins = 20;

struct Measure
{
    QString what;
    QList<double> ms;
    qint64 rows = 0;
};

// Cards (one per twenty events), the events of a year spread evenly over them, one bulk
// operation every 1,000 events, and a record change for every twenty events.
void generate(const QSqlDatabase &db, qint64 events)
{
    const qint64 cards = std::max<qint64>(events / 20, 10);
    const QStringList steps {
        QStringLiteral(
            "INSERT INTO sim_cards (iccid, sim_type) SELECT b.body || d.digit, 'prepaid' "
            "FROM (SELECT '8949' || lpad(g::text, 14, '0') AS body "
            "FROM generate_series(1, %1) g) b CROSS JOIN LATERAL (SELECT x::text AS "
            "digit FROM generate_series(0, 9) x WHERE simdesk_luhn_valid(b.body || x) "
            "LIMIT 1) d")
            .arg(cards),
        QStringLiteral(
            "INSERT INTO sim_events (sim_id, event_type, old_status, new_status, note, source, "
            "operation_id, created_by, created_at) SELECT c.min + g % %2, "
            "(ARRAY['SUSPENDED','RESUMED','TARIFF_CHANGED','SECRET_REVEALED'])[1 + g % 4], "
            "'ACTIVE', 'SUSPENDED', 'reason ' || (g % 100), "
            "(ARRAY['desktop','cli','bulk','system'])[1 + g % 4], "
            "CASE WHEN g % 4 = 2 THEN md5((g / 1000)::text)::uuid END, 'bench_user_' || (g % %3), "
            "timestamptz '2026-01-01 00:00+00' + (g * (interval '365 days' / %1)) "
            "FROM generate_series(1, %1) g, (SELECT min(id) AS min FROM sim_cards) c")
            .arg(events)
            .arg(cards)
            .arg(kLogins),
        QStringLiteral(
            "INSERT INTO audit_log (table_name, row_id, action, old_row, new_row, changed_by, "
            "changed_at) SELECT (ARRAY['customers','tariff_plans','activation_codes','staff'])"
            "[1 + g % 4], g % 5000, 'UPDATE', jsonb_build_object('name', 'old ' || g), "
            "jsonb_build_object('name', 'new ' || g), 'bench_user_' || (g % %2), "
            "timestamptz '2026-01-01 00:00+00' + (g * (interval '365 days' / %1)) "
            "FROM generate_series(1, %1) g")
            .arg(events / 20)
            .arg(kLogins),
        QStringLiteral("VACUUM ANALYZE sim_cards"),
        QStringLiteral("VACUUM ANALYZE sim_events"),
        QStringLiteral("VACUUM ANALYZE audit_log"),
    };
    for (const QString &sql : steps)
        must(runQuery(db, sql), sql.left(60));
}

qint64 scalar(const QSqlDatabase &db, const QString &sql)
{
    QueryResult r = must(runQuery(db, sql), sql);
    r.next();
    return r.value(0).toLongLong();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_auditlog"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption eventsOption(QStringLiteral("events"), QStringLiteral("card events"),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("runs per kind"),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption dbOption(QStringLiteral("database"),
        QStringLiteral("use (and keep) this database of the test cluster"), QStringLiteral("NAME"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOptions({ eventsOption, runsOption, dbOption, jsonOption });
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOption).toInt());
    constexpr int kPage = 200; // the page's own size (AuditLogModel::kPageSize)

    TestDatabase tdb(QStringLiteral("bench_auditlog"));
    if (!tdb.isValid()) {
        std::fprintf(stderr, "bench_auditlog: %s\n", qPrintable(tdb.error()));
        return 2;
    }
    QSqlDatabase db = migratedDatabase(tdb, parser.value(dbOption));
    if (scalar(db, QStringLiteral("SELECT count(*) FROM sim_events")) == 0) {
        QElapsedTimer fill;
        fill.start();
        generate(db, parser.value(eventsOption).toLongLong());
        std::printf("generated in %.1f s\n", double(fill.elapsed()) / 1000);
    }
    const qint64 events = scalar(db, QStringLiteral("SELECT count(*) FROM sim_events"));
    const qint64 records = scalar(db, QStringLiteral("SELECT count(*) FROM audit_log"));
    const QStringList iccids = column(
        db, QStringLiteral("SELECT iccid FROM sim_cards ORDER BY random() LIMIT %1").arg(runs + 1));
    const QStringList operations = column(db,
        QStringLiteral("SELECT DISTINCT operation_id FROM sim_events WHERE operation_id IS NOT "
                       "NULL LIMIT %1")
            .arg(runs + 1));
    AuditLogQuery query(db);
    // A cursor halfway down the log: the page after it is what scrolling far down reads.
    std::optional<AuditCursor> deep;
    {
        QueryResult r
            = must(runQuery(db,
                       QStringLiteral("SELECT created_at::text, id FROM sim_events "
                                      "ORDER BY created_at DESC, id DESC OFFSET %1 LIMIT 1")
                           .arg(events / 2)),
                QStringLiteral("middle"));
        if (r.next())
            deep = AuditCursor { r.value(0).toString(), AuditKind::Card, r.value(1).toLongLong() };
    }
    QList<Measure> results;
    QElapsedTimer timer;
    auto measure = [&](const QString &what, const std::function<AuditFilter(int)> &filter,
                       const std::optional<AuditCursor> &after = std::nullopt) {
        Measure m { what, {}, 0 };
        must(query.page(filter(runs), after, kPage), what); // warm
        for (int i = 0; i < runs; ++i) {
            const AuditFilter f = filter(i);
            timer.restart();
            m.rows = must(query.page(f, after, kPage), what).size();
            m.ms << double(timer.nsecsElapsed()) / 1e6;
        }
        results << m;
    };
    measure(QStringLiteral("first page, no filter"), [](int) { return AuditFilter(); });
    measure(
        QStringLiteral("page halfway down, no filter"), [](int) { return AuditFilter(); }, deep);
    measure(QStringLiteral("by user (1 of 20 logins)"), [](int i) {
        AuditFilter f;
        f.who = QStringLiteral("bench_user_%1").arg(i % kLogins);
        return f;
    });
    measure(QStringLiteral("by card (ICCID)"), [&](int i) {
        AuditFilter f;
        f.iccid = iccids.value(i % std::max<qsizetype>(iccids.size(), 1));
        return f;
    });
    measure(QStringLiteral("time range (one day in March)"), [](int i) {
        AuditFilter f;
        f.from = QDateTime(QDate(2026, 3, 1 + i % 28), QTime(0, 0), Qt::UTC);
        f.to = f.from.addDays(1);
        return f;
    });
    measure(QStringLiteral("by operation id"), [&](int i) {
        AuditFilter f;
        f.operationId = operations.value(i % std::max<qsizetype>(operations.size(), 1));
        return f;
    });
    measure(QStringLiteral("by user and reason text"), [](int i) {
        AuditFilter f;
        f.who = QStringLiteral("bench_user_%1").arg(i % kLogins);
        f.text = QStringLiteral("reason %1").arg(i % kLogins);
        return f;
    });

    std::printf("Audit log pages at %lld card events + %lld record changes, %d rows a page, %d "
                "runs each (ms)\n",
        events, records, kPage, runs);
    std::printf("%-34s %8s %8s %8s %6s\n", "what", "p50", "p95", "max", "rows");
    QJsonArray rows;
    for (const Measure &m : results) {
        const double p50 = percentile(m.ms, 0.5);
        const double p95 = percentile(m.ms, 0.95);
        const double mx = percentile(m.ms, 1.0);
        std::printf("%-34s %8.1f %8.1f %8.1f %6lld\n", qPrintable(m.what), p50, p95, mx, m.rows);
        rows.append(QJsonObject { { QStringLiteral("what"), m.what },
            { QStringLiteral("p50_ms"), p50 }, { QStringLiteral("p95_ms"), p95 },
            { QStringLiteral("max_ms"), mx }, { QStringLiteral("rows"), m.rows } });
    }
    if (parser.isSet(jsonOption)) {
        const QJsonObject json { { QStringLiteral("benchmark"), QStringLiteral("auditlog") },
            { QStringLiteral("events"), events }, { QStringLiteral("records"), records },
            { QStringLiteral("runs"), runs }, { QStringLiteral("results"), rows } };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0) {
            std::fprintf(stderr, "bench_auditlog: cannot write %s\n", qPrintable(f.fileName()));
            return 1;
        }
    }
    return 0;
}
