// SPDX-License-Identifier: MIT
// The customer list as a support agent types: each keystroke of "müll", "+49 151" and "C-0012"
// (the first page and the total, what the list asks for after each key) and paging in every
// sort order, at --customers customers (demo data). Prints p50/p95 per kind and writes JSON with
// --json FILE. Asserts nothing about time.
//
//   bench_customersearch --customers 200000              a throwaway database with demo data
//   bench_customersearch --database simdesk_bench_cust  a named one, filled once and kept
//   … --explain                                          also EXPLAIN (ANALYZE, BUFFERS) of the
//                                                        card-count orders within "müll"

#include "benchsupport.h"
#include "services/customerlistquery.h"
#include "services/demodata.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_customersearch"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption customersOption(QStringLiteral("customers"),
        QStringLiteral("customers in the demo data"), QStringLiteral("N"),
        QStringLiteral("200000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("runs per kind"),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption pageOption(QStringLiteral("page"), QStringLiteral("rows per page"),
        QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption dbOption(QStringLiteral("database"),
        QStringLiteral("a database of the test cluster to fill once and keep"),
        QStringLiteral("NAME"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    const QCommandLineOption explainOption(QStringLiteral("explain"),
        QStringLiteral("print the plans of the card-count orders within \"müll\" (page 1, 11)"));
    parser.addOptions(
        { customersOption, runsOption, pageOption, dbOption, jsonOption, explainOption });
    parser.process(app);
    const int customers = parser.value(customersOption).toInt();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const int n = std::max(1, parser.value(pageOption).toInt());

    TestDatabase tdb(QStringLiteral("bench_customersearch"));
    if (!tdb.isValid())
        fail(tdb.error());
    QSqlDatabase db = migratedDatabase(tdb, parser.value(dbOption));
    if (column(db, QStringLiteral("SELECT count(*) FROM customers")).value(0).toLongLong() == 0) {
        DemoDataOptions options;
        options.customers = customers;
        // Cards only to give customers card counts; the search does not read them.
        options.sims = std::max(1000, customers / 4);
        options.now = DemoDataOptions::fixedNow();
        mustOk(DemoData::generate(db, options), QStringLiteral("demo data"));
        for (const char *sql :
            { "VACUUM ANALYZE customers", "VACUUM ANALYZE customer_card_counts" })
            must(runQuery(db, QString::fromLatin1(sql)), QStringLiteral("vacuum"));
    }
    const qint64 count
        = column(db, QStringLiteral("SELECT count(*) FROM customers")).value(0).toLongLong();

    CustomerListQuery query(db);
    QList<Measure> results;
    auto measure = [&](const QString &kind, const QString &what, const std::function<qint64()> &f) {
        Measure m { kind, what, {}, 0 };
        for (int r = 0; r < runs; ++r) {
            QElapsedTimer t;
            t.start();
            m.rows = f();
            m.ms << double(t.nsecsElapsed()) / 1e6;
        }
        results << m;
    };

    // Each keystroke: the first page, then the total (the list asks for both after every key;
    // the rows show as soon as the page is there).
    for (const QString &typed :
        { QStringLiteral("müll"), QStringLiteral("+49 151"), QStringLiteral("C-0012") }) {
        for (int i = 1; i <= typed.size(); ++i) {
            const QString prefix = typed.left(i);
            if (prefix.trimmed().size() < i)
                continue; // a trailing space changes nothing
            const QString what = QStringLiteral("\"%1\"").arg(prefix);
            measure(QStringLiteral("first page"), what, [&] {
                return qint64(
                    must(query.firstPage(prefix, {}, n), QStringLiteral("first page")).rows.size());
            });
            measure(QStringLiteral("total"), what,
                [&] { return must(query.total(prefix), QStringLiteral("total")).count; });
        }
    }

    // Paging: the 20 pages after the first, in each sort order, unfiltered and for "müll".
    const QList<QPair<CustomerSortKey, QString>> keys { { CustomerSortKey::Name,
                                                            QStringLiteral("name") },
        { CustomerSortKey::Number, QStringLiteral("number") },
        { CustomerSortKey::Company, QStringLiteral("company") },
        { CustomerSortKey::Cards, QStringLiteral("cards") },
        { CustomerSortKey::ActiveCards, QStringLiteral("active cards") },
        { CustomerSortKey::Created, QStringLiteral("created") } };
    for (const QString &search : { QString(), QStringLiteral("müll") }) {
        for (const auto &[key, name] : keys) {
            for (Qt::SortOrder order : { Qt::AscendingOrder, Qt::DescendingOrder }) {
                const CustomerSort sort { key, order };
                CustomerListPage page
                    = must(query.firstPage(search, sort, n), QStringLiteral("first page"));
                Measure m { QStringLiteral("page"),
                    QStringLiteral("%1 %2%3").arg(name,
                        order == Qt::AscendingOrder ? QStringLiteral("asc")
                                                    : QStringLiteral("desc"),
                        search.isEmpty() ? QString() : QStringLiteral(", \"%1\"").arg(search)),
                    {}, 0 };
                for (int p = 0; p < 20 && !page.atEnd; ++p) {
                    QElapsedTimer t;
                    t.start();
                    page = must(query.pageAfter(
                                    search, sort, CustomerListQuery::cursorOf(page.rows.last()), n),
                        QStringLiteral("page"));
                    m.ms << double(t.nsecsElapsed()) / 1e6;
                    m.rows += page.rows.size();
                }
                results << m;
            }
        }
    }

    if (parser.isSet(explainOption)) {
        // Where a page of the slowest orders spends its time: the first page and the eleventh.
        const QString search = QStringLiteral("müll");
        for (CustomerSortKey key : { CustomerSortKey::Cards, CustomerSortKey::ActiveCards }) {
            for (Qt::SortOrder order : { Qt::AscendingOrder, Qt::DescendingOrder }) {
                const CustomerSort sort { key, order };
                std::optional<CustomerListCursor> cursor;
                for (int p = 0; p <= 10; ++p) {
                    if (p == 0 || p == 10) {
                        std::printf("-- %s %s, \"müll\", page %d\n",
                            key == CustomerSortKey::Cards ? "cards" : "active cards",
                            order == Qt::AscendingOrder ? "asc" : "desc", p + 1);
                        std::printf("%s\n\n",
                            qPrintable(must(query.explainPage(search, sort, cursor, n),
                                QStringLiteral("explain"))));
                    }
                    const CustomerListPage page
                        = must(cursor ? query.pageAfter(search, sort, *cursor, n)
                                      : query.firstPage(search, sort, n),
                            QStringLiteral("page"));
                    if (page.atEnd)
                        break;
                    cursor = CustomerListQuery::cursorOf(page.rows.last());
                }
            }
        }
    }

    std::printf("Customer search at %lld customers, %d rows a page, %d runs a keystroke (ms)\n",
        count, n, runs);
    std::printf("%-11s %-32s %8s %8s %8s %8s\n", "kind", "what", "p50", "p95", "max", "rows");
    QJsonArray rows;
    for (const Measure &m : results) {
        const double p50 = percentile(m.ms, 0.5);
        const double p95 = percentile(m.ms, 0.95);
        const double mx = percentile(m.ms, 1.0);
        std::printf("%-11s %-32s %8.1f %8.1f %8.1f %8lld\n", qPrintable(m.kind), qPrintable(m.what),
            p50, p95, mx, m.rows);
        rows.append(
            QJsonObject { { QStringLiteral("kind"), m.kind }, { QStringLiteral("what"), m.what },
                { QStringLiteral("p50_ms"), p50 }, { QStringLiteral("p95_ms"), p95 },
                { QStringLiteral("max_ms"), mx }, { QStringLiteral("rows"), m.rows } });
    }
    if (parser.isSet(jsonOption)) {
        const QJsonObject json { { QStringLiteral("benchmark"), QStringLiteral("customersearch") },
            { QStringLiteral("customers"), count }, { QStringLiteral("runs"), runs },
            { QStringLiteral("page"), n }, { QStringLiteral("results"), rows } };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            fail(QStringLiteral("cannot write ") + f.fileName());
    }
    return 0;
}
