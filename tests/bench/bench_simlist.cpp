// SPDX-License-Identifier: MIT
// The SIM list's queries (core/services/simlistquery.h) at a given size: p50/p95 over --runs
// runs of each kind of request. Prints a table, writes JSON with --json FILE. Asserts nothing
// about time (CTest runs it small so that it keeps working).
//
//   bench_simlist --sims 1000000                  a throwaway database with demo data
//   bench_simlist --database simlist              an existing database on the test cluster
//                                                 (migrated; filled with --sims demo cards when
//                                                 empty; kept afterwards, for repeated runs)
#include "benchsupport.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "services/demodata.h"
#include "services/simlistquery.h"
#include "testdatabase.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace simdesk;
using namespace simdesk::bench;

namespace {

struct Measure
{
    QString kind;
    QString what;
    QList<double> ms;
    qint64 rows = 0;
    QString note;
    QList<double> cpuMs; // this thread's CPU plus the server backend's, per run
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption simsOption(QStringLiteral("sims"), QStringLiteral("SIM cards"),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("runs per kind"),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption pageOption(QStringLiteral("page"), QStringLiteral("rows per page"),
        QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption dbOption(QStringLiteral("database"),
        QStringLiteral("use (and keep) this database of the test cluster"), QStringLiteral("NAME"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOptions({ simsOption, runsOption, pageOption, dbOption, jsonOption });
    parser.process(app);
    const int sims = parser.value(simsOption).toInt();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const int n = std::max(1, parser.value(pageOption).toInt());

    TestDatabase tdb(QStringLiteral("bench_simlist"));
    if (!tdb.isValid()) {
        std::fprintf(stderr, "bench_simlist: %s\n", qPrintable(tdb.error()));
        return 2;
    }
    QSqlDatabase db = migratedDatabase(tdb, parser.value(dbOption));
    QueryResult have = must(
        runQuery(db, QStringLiteral("SELECT count(*) FROM sim_cards")), QStringLiteral("count"));
    have.next();
    if (have.value(0).toLongLong() == 0) {
        DemoDataOptions options;
        options.sims = sims;
        // The dates of the filters below lie in this year of history.
        options.now = DemoDataOptions::fixedNow();
        if (Status s = DemoData::generate(db, options); !s)
            fail(QStringLiteral("demo data"), s.error());
        // What autovacuum does soon after a big load: statistics and the visibility map that
        // index-only scans need.
        for (const char *sql : { "VACUUM ANALYZE sim_cards", "ANALYZE customers" }) {
            if (Result<QueryResult> r = runQuery(db, QString::fromLatin1(sql)); !r)
                fail(QStringLiteral("vacuum"), r.error());
        }
    }
    const qint64 cards = must(SimListQuery(db).countExactly({}), QStringLiteral("count"));

    SimListQuery query(db);
    QList<Measure> results;
    QElapsedTimer timer;
    QueryResult backend
        = must(runQuery(db, QStringLiteral("SELECT pg_backend_pid()")), QStringLiteral("backend"));
    backend.next();
    const qint64 backendPid = backend.value(0).toLongLong();
    auto measure
        = [&](const QString &kind, const QString &what, const std::function<qint64(int)> &run) {
              Measure m { kind, what, {}, 0, {}, {} };
              run(0); // warm: the list is used warm
              for (int i = 0; i < runs; ++i) {
                  const double cpu0 = threadCpuMs() + processCpuMs(backendPid);
                  timer.restart();
                  m.rows = run(i);
                  m.ms << timer.nsecsElapsed() / 1e6;
                  m.cpuMs << threadCpuMs() + processCpuMs(backendPid) - cpu0;
              }
              results << m;
              return m;
          };

    // Real identifiers to search for, spread over the table.
    const QString step = QString::number(std::max<qint64>(cards / 400, 1));
    const QStringList iccids = column(db,
        QStringLiteral("SELECT iccid FROM sim_cards WHERE id % %1 = 7 ORDER BY id LIMIT 400")
            .arg(step));
    const QStringList msisdns = column(db,
        QStringLiteral("SELECT msisdn FROM sim_cards WHERE msisdn IS NOT NULL AND id % %1 = 3 "
                       "ORDER BY id LIMIT 400")
            .arg(step));
    const QStringList imsis = column(db,
        QStringLiteral("SELECT imsi FROM sim_cards WHERE imsi IS NOT NULL AND id % %1 = 5 "
                       "ORDER BY id LIMIT 400")
            .arg(step));
    const QStringList customers = column(db,
        QStringLiteral(
            "SELECT customer_id FROM sim_cards WHERE customer_id IS NOT NULL AND id % %1 = 1 "
            "ORDER BY id LIMIT 100")
            .arg(step));
    const QStringList customerNos = column(db,
        QStringLiteral("SELECT cu.customer_no FROM customers cu WHERE id % 97 = 1 AND EXISTS "
                       "(SELECT 1 FROM sim_cards c WHERE c.customer_id = cu.id) LIMIT 100"));
    const QStringList batches
        = column(db, QStringLiteral("SELECT id FROM import_batches ORDER BY id"));
    const QStringList tariffs
        = column(db, QStringLiteral("SELECT id FROM tariff_plans ORDER BY id"));
    auto pick = [](const QStringList &l, int i) {
        return l.isEmpty() ? QString() : l[i % l.size()];
    };

    const SimListSort byId;
    const SimListFilter all;

    // 1. The first page of the whole list.
    measure(QStringLiteral("first page"), QStringLiteral("no filter, by id"), [&](int) {
        return qint64(
            must(query.firstPage(all, byId, n), QStringLiteral("first page")).rows.size());
    });

    // 2. Searches as typed or scanned: ICCID prefix and suffix, MSISDN with + and with 00 and
    // its last digits, IMSI prefix and suffix, a customer number.
    measure(QStringLiteral("search"),
        QStringLiteral("ICCID/MSISDN/IMSI prefix+suffix, customer no"), [&](int i) {
            SimListFilter f;
            const QString iccid = pick(iccids, i);
            const QString msisdn = pick(msisdns, i);
            const QString imsi = pick(imsis, i);
            switch (i % 8) {
            case 0:
                f.search = iccid.left(12);
                break;
            case 1:
                f.search = iccid.right(6);
                break;
            case 2:
                f.search = msisdn;
                break;
            case 3:
                f.search
                    = QStringLiteral("00") + msisdn.mid(1, 3) + QLatin1Char(' ') + msisdn.mid(4);
                break;
            case 4:
                f.search = msisdn.right(5);
                break;
            case 5:
                f.search = imsi.left(11);
                break;
            case 6:
                f.search = imsi.right(5);
                break;
            default:
                f.search = pick(customerNos, i);
                break;
            }
            return qint64(must(query.firstPage(f, byId, n), f.search).rows.size());
        });
    // The broad ones: the first 8 digits of an ICCID are its issuer's and a batch's (tens to
    // hundreds of thousands of cards, clustered in id when a batch is one import), and the last
    // 4 of a number match a hundred cards or so spread over the table.
    const QStringList prefixes
        = column(db, QStringLiteral("SELECT DISTINCT left(iccid, 8) FROM sim_cards ORDER BY 1"));
    measure(
        QStringLiteral("search"), QStringLiteral("ICCID first 8 digits (each prefix)"), [&](int i) {
            SimListFilter f;
            f.search = pick(prefixes, i);
            return qint64(must(query.firstPage(f, byId, n), f.search).rows.size());
        });
    results.last().note = QStringLiteral("%1 prefixes").arg(prefixes.size());
    measure(QStringLiteral("search"), QStringLiteral("MSISDN last 4 digits"), [&](int i) {
        SimListFilter f;
        f.search = pick(msisdns, i).right(4);
        return qint64(must(query.firstPage(f, byId, n), f.search).rows.size());
    });

    // 3. Filter changes, each a first page.
    auto filterNo = [&](int i) {
        SimListFilter f;
        switch (i % 10) {
        case 0:
            f.statuses = { SimStatus::Active };
            break;
        case 1:
            f.statuses = { SimStatus::Suspended, SimStatus::LostStolen };
            break;
        case 2:
            f.type = SimType::Postpaid;
            break;
        case 3:
            f.tariffPlanId = pick(tariffs, i).toLongLong();
            break;
        case 4:
            f.customerId = pick(customers, i).toLongLong();
            break;
        case 5:
            f.importBatchId = pick(batches, i).toLongLong();
            break;
        case 6:
            f.changedSince = QDateTime(QDate(2026, 10, 1), QTime(0, 0), Qt::UTC);
            break;
        case 7:
            f.activatedFrom = QDateTime(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);
            f.activatedTo = QDateTime(QDate(2026, 3, 8), QTime(0, 0), Qt::UTC);
            break;
        case 8:
            f.noTariff = true;
            f.statuses = { SimStatus::Available, SimStatus::Reserved };
            break;
        default:
            f.iccidFirst = pick(iccids, 100);
            f.iccidLast = pick(iccids, 110);
            break;
        }
        return f;
    };
    const QStringList filterNames { QStringLiteral("status ACTIVE"),
        QStringLiteral("status SUSPENDED or LOST_STOLEN"), QStringLiteral("type postpaid"),
        QStringLiteral("tariff plan"), QStringLiteral("customer"), QStringLiteral("import batch"),
        QStringLiteral("changed since 2026-10-01"), QStringLiteral("activated in one week"),
        QStringLiteral("no tariff, AVAILABLE or RESERVED"),
        QStringLiteral("ICCID range (~25,000)") };
    for (int k = 0; k < 10; ++k) {
        measure(QStringLiteral("filter change"), filterNames[k], [&](int i) {
            // The customer and batch rotate; the others are the same filter each time.
            const SimListFilter f = filterNo(k + 10 * i);
            return qint64(must(query.firstPage(f, byId, n), QStringLiteral("filter")).rows.size());
        });
    }

    // 4. Sort changes: every key both ways, first page.
    auto sortNo = [](int i) {
        SimListSort s;
        s.key = SimListSortKey(i % 5);
        s.order = (i / 5) % 2 ? Qt::DescendingOrder : Qt::AscendingOrder;
        return s;
    };
    measure(QStringLiteral("sort change"), QStringLiteral("5 keys x 2 orders"), [&](int i) {
        return qint64(must(query.firstPage(all, sortNo(i), n), QStringLiteral("sort")).rows.size());
    });
    measure(QStringLiteral("sort change"), QStringLiteral("status ACTIVE, 5 keys x 2 orders"),
        [&](int i) {
            SimListFilter f;
            f.statuses = { SimStatus::Active };
            return qint64(
                must(query.firstPage(f, sortNo(i), n), QStringLiteral("sort")).rows.size());
        });

    // 5. Scrolling: the next page after the last row, in each sort.
    {
        QList<SimListCursor> cursors;
        QList<SimListSort> sorts;
        for (int i = 0; i < 10; ++i) {
            const SimListSort s = sortNo(i);
            const SimListPage p = must(query.firstPage(all, s, n), QStringLiteral("page"));
            sorts << s;
            cursors << SimListQuery::cursorOf(p.rows.last(), s.key);
        }
        measure(QStringLiteral("next page"), QStringLiteral("5 keys x 2 orders, scrolling on"),
            [&](int i) {
                const int k = i % 10;
                const SimListPage p
                    = must(query.pageAfter(all, sorts[k], cursors[k], n), QStringLiteral("next"));
                if (!p.rows.isEmpty())
                    cursors[k] = SimListQuery::cursorOf(p.rows.last(), sorts[k].key);
                return qint64(p.rows.size());
            });
    }

    // 6, 7. Jumps: the scroll bar dragged to the middle and to the end.
    const SimListTotal whole = must(query.total(all), QStringLiteral("total"));
    SimListFilter active;
    active.statuses = { SimStatus::Active };
    const SimListTotal activeTotal = must(query.total(active), QStringLiteral("total"));
    int approximate = 0;
    auto jump = [&](const QString &what, const SimListFilter &f, const SimListTotal &t,
                    const std::function<SimListSort(int)> &sortOf, double at) {
        approximate = 0;
        int calls = 0;
        measure(QString::fromLatin1(at < 0.9 ? "jump to middle" : "jump to end"), what, [&](int i) {
            const qint64 offset = at < 0.9 ? qint64(t.count * at) + i * 997 : t.count - n;
            const SimListPage p
                = must(query.rowsAt(f, sortOf(i), offset, n, t), QStringLiteral("jump"));
            ++calls;
            approximate += p.positionExact ? 0 : 1;
            return qint64(p.rows.size());
        });
        results.last().note = approximate == 0 ? QStringLiteral("exact")
            : approximate == calls
            ? QStringLiteral("approximate (%1)")
                  .arg(t.exact ? QStringLiteral("sampled") : QStringLiteral("total estimated"))
            : QStringLiteral("%1/%2 approximate").arg(approximate).arg(calls);
    };
    auto fixedSort = [](SimListSortKey k, Qt::SortOrder o) {
        return [k, o](int) {
            return SimListSort { k, o };
        };
    };
    for (SimListSortKey k : { SimListSortKey::Id, SimListSortKey::Iccid, SimListSortKey::Msisdn,
             SimListSortKey::Status, SimListSortKey::UpdatedAt }) {
        const QString name
            = QStringList { QStringLiteral("id"), QStringLiteral("iccid"), QStringLiteral("msisdn"),
                  QStringLiteral("status"), QStringLiteral("updated_at") }[int(k)];
        jump(QStringLiteral("no filter, by %1").arg(name), all, whole,
            fixedSort(k, Qt::AscendingOrder), 0.5);
    }
    jump(QStringLiteral("no filter, by id desc"), all, whole,
        fixedSort(SimListSortKey::Id, Qt::DescendingOrder), 0.5);
    jump(QStringLiteral("ACTIVE, by id"), active, activeTotal,
        fixedSort(SimListSortKey::Id, Qt::AscendingOrder), 0.5);
    jump(QStringLiteral("ACTIVE, by iccid"), active, activeTotal,
        fixedSort(SimListSortKey::Iccid, Qt::AscendingOrder), 0.5);
    for (SimListSortKey k : { SimListSortKey::Id, SimListSortKey::Iccid, SimListSortKey::Msisdn,
             SimListSortKey::UpdatedAt }) {
        const QString name
            = QStringList { QStringLiteral("id"), QStringLiteral("iccid"), QStringLiteral("msisdn"),
                  QStringLiteral("status"), QStringLiteral("updated_at") }[int(k)];
        jump(QStringLiteral("no filter, by %1").arg(name), all, whole,
            fixedSort(k, Qt::AscendingOrder), 1.0);
    }
    jump(QStringLiteral("ACTIVE, by iccid"), active, activeTotal,
        fixedSort(SimListSortKey::Iccid, Qt::AscendingOrder), 1.0);

    // 8. A pasted list of 10,000 identifiers (a third each kind, 1 % unknown), written as
    // people paste them.
    {
        const QStringList many = column(db,
            QStringLiteral(
                "SELECT CASE id % 3 WHEN 0 THEN iccid WHEN 1 THEN "
                "coalesce('00' || substr(msisdn, 2), iccid) ELSE coalesce(imsi, iccid) END "
                "FROM sim_cards WHERE id % %1 = 0 ORDER BY id LIMIT 9900")
                .arg(std::max<qint64>(cards / 9900, 1)));
        QStringList lines;
        for (int i = 0; i < many.size(); ++i) {
            lines << many[i];
            if (i % 99 == 0)
                lines << QStringLiteral("+999 %1").arg(1000000 + i);
        }
        while (lines.size() > SimListQuery::kMaxIdentifiers)
            lines.removeLast();
        qint64 notFound = 0;
        measure(QStringLiteral("pasted list"),
            QStringLiteral("%1 lines: matches + not found").arg(lines.size()), [&](int) {
                const SimListMatches m
                    = must(query.matchIdentifiers(lines), QStringLiteral("list"));
                notFound = m.notFound.size();
                return qint64(m.rows.size());
            });
        results.last().note = QStringLiteral("%1 not found").arg(notFound);
        // A shorter paste, for how the cost scales (the probes are per line).
        const QStringList some = lines.mid(0, 1000);
        measure(QStringLiteral("pasted list"),
            QStringLiteral("%1 lines: matches + not found").arg(some.size()), [&](int) {
                return qint64(
                    must(query.matchIdentifiers(some), QStringLiteral("list")).rows.size());
            });
        SimListFilter f;
        f.identifiers = lines;
        measure(QStringLiteral("pasted list"), QStringLiteral("as a filter: first page"), [&](int) {
            query.refresh(); // the list is matched anew
            return qint64(must(query.firstPage(f, byId, n), QStringLiteral("list")).rows.size());
        });
        SimListCursor at;
        measure(QStringLiteral("pasted list"), QStringLiteral("as a filter: next page, by ICCID"),
            [&](int i) {
                const SimListSort byIccid { SimListSortKey::Iccid, Qt::AscendingOrder };
                const SimListPage p = i == 0
                    ? must(query.firstPage(f, byIccid, n), QStringLiteral("list"))
                    : must(query.pageAfter(f, byIccid, at, n), QStringLiteral("list"));
                if (!p.rows.isEmpty())
                    at = SimListQuery::cursorOf(p.rows.last(), byIccid.key);
                return qint64(p.rows.size());
            });
        // In the pasted order: the list's cards numbered in the statement, paged by that number.
        const SimListSort pasted { SimListSortKey::Pasted, Qt::AscendingOrder };
        measure(
            QStringLiteral("pasted list"), QStringLiteral("in pasted order: first page"), [&](int) {
                query.refresh(); // the list is matched anew, in list order
                return qint64(
                    must(query.firstPage(f, pasted, n), QStringLiteral("list")).rows.size());
            });
        measure(QStringLiteral("pasted list"), QStringLiteral("in pasted order: next page"),
            [&](int i) {
                const SimListPage p = i == 0
                    ? must(query.firstPage(f, pasted, n), QStringLiteral("list"))
                    : must(query.pageAfter(f, pasted, at, n), QStringLiteral("list"));
                if (!p.rows.isEmpty())
                    at = SimListQuery::cursorOf(p.rows.last(), pasted.key);
                return qint64(p.rows.size());
            });
        const SimListTotal listTotal = must(query.total(f), QStringLiteral("list total"));
        measure(QStringLiteral("pasted list"),
            QStringLiteral("in pasted order: last page (Ctrl+End)"), [&](int) {
                return qint64(
                    must(query.lastPage(f, pasted, n), QStringLiteral("list")).rows.size());
            });
        measure(QStringLiteral("pasted list"),
            QStringLiteral("in pasted order: jump to a position"), [&](int i) {
                const qint64 offset = listTotal.count * ((i % 9) + 1) / 10;
                return qint64(
                    must(query.rowsAt(f, pasted, offset, n, listTotal), QStringLiteral("list"))
                        .rows.size());
            });
        results.last().note = QStringLiteral("%1 cards").arg(listTotal.count);
    }

    // 9. Totals as the footer shows them.
    measure(QStringLiteral("count estimate"), QStringLiteral("the 10 filters and no filter"),
        [&](int i) {
            const SimListTotal t
                = must(query.total(i % 11 == 10 ? all : filterNo(i)), QStringLiteral("total"));
            return t.count;
        });
    {
        int exactOnes = 0;
        measure(
            QStringLiteral("count estimate"), QStringLiteral("the 8 kinds of search"), [&](int i) {
                SimListFilter f;
                switch (i % 4) {
                case 0:
                    f.search = pick(iccids, i).right(6);
                    break;
                case 1:
                    f.search = pick(msisdns, i).right(5);
                    break;
                case 2:
                    f.search = pick(imsis, i).left(11);
                    break;
                default:
                    f.search = pick(customerNos, i);
                    break;
                }
                const SimListTotal t = must(query.total(f), QStringLiteral("total"));
                exactOnes += t.exact ? 1 : 0;
                return t.count;
            });
        results.last().note = QStringLiteral("%1/%2 exact").arg(exactOnes).arg(runs + 1);
    }

    // 10. Exact counts on request.
    measure(QStringLiteral("exact count"), QStringLiteral("no filter"),
        [&](int) { return must(query.countExactly(all), QStringLiteral("count")); });
    measure(QStringLiteral("exact count"), QStringLiteral("status ACTIVE"),
        [&](int) { return must(query.countExactly(active), QStringLiteral("count")); });

    std::printf(
        "SIM list queries at %lld cards, %d rows a page, %d runs each (ms)\n", cards, n, runs);
    std::printf("%-15s %-44s %8s %8s %8s %8s %8s  %s\n", "kind", "what", "p50", "p95", "max",
        "cpu avg", "rows", "note");
    QJsonArray rows;
    for (const Measure &m : results) {
        const double p50 = percentile(m.ms, 0.5);
        const double p95 = percentile(m.ms, 0.95);
        const double mx = percentile(m.ms, 1.0);
        const double cpu = mean(m.cpuMs);
        std::printf("%-15s %-44s %8.1f %8.1f %8.1f %8.1f %8lld  %s\n", qPrintable(m.kind),
            qPrintable(m.what), p50, p95, mx, cpu, m.rows, qPrintable(m.note));
        rows.append(
            QJsonObject { { QStringLiteral("kind"), m.kind }, { QStringLiteral("what"), m.what },
                { QStringLiteral("p50_ms"), p50 }, { QStringLiteral("p95_ms"), p95 },
                { QStringLiteral("max_ms"), mx }, { QStringLiteral("cpu_avg_ms"), cpu },
                { QStringLiteral("rows"), m.rows }, { QStringLiteral("note"), m.note } });
    }
    if (parser.isSet(jsonOption)) {
        const QJsonObject json { { QStringLiteral("benchmark"), QStringLiteral("simlist") },
            { QStringLiteral("sims"), cards }, { QStringLiteral("runs"), runs },
            { QStringLiteral("page"), n }, { QStringLiteral("results"), rows } };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0) {
            std::fprintf(stderr, "bench_simlist: cannot write %s\n", qPrintable(f.fileName()));
            return 1;
        }
    }
    return 0;
}
