// SPDX-License-Identifier: MIT
// The activation code list at --codes codes: the first page and the total of each filter (none,
// each effective status, expiring within 30 days, a batch, used for a customer, a code prefix of
// 1 to 4 characters and a whole code), and the 20 pages after the first in every order and for
// each status. Prints p50/p95/max per case and writes JSON with --json FILE. Asserts nothing
// about time. A search is measured in code order, as the page lists it. A search is measured in
// code order, as the page lists it.
//
//   bench_codelist --codes 1000000              a throwaway database
//   bench_codelist --database simdesk_bench_codes  a named one, filled once and kept
//
// The fixture: demo data (cards, customers, their codes) and then batches of 1,000 codes added
// in one statement as the superuser, with the triggers off (the audit rows of a million inserts
// are not what is measured): random text, 70 % stored UNUSED, 20 % USED, 10 % EXPIRED; a third
// of the batches past their expiry, a third expiring within 60 days, a third later or never.

#include "benchsupport.h"
#include "services/codelistquery.h"
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

void fill(QSqlDatabase &db, int codes)
{
    DemoDataOptions options;
    options.sims = 20000;
    options.customers = 2000;
    options.now = DemoDataOptions::fixedNow();
    mustOk(DemoData::generate(db, options), QStringLiteral("demo data"));
    const int batches = std::max(1, codes / 1000);
    const QStringList statements {
        QStringLiteral("SET session_replication_role = replica"),
        QStringLiteral(
            "INSERT INTO code_batches (label, prefix, code_length, code_count, expires_at) "
            "SELECT 'Bench batch ' || b, '', 12, 1000, CASE b % 3 "
            "WHEN 0 THEN now() - (b % 90 + 1) * interval '1 day' "
            "WHEN 1 THEN now() + (b % 60 + 1) * interval '1 day' "
            "ELSE CASE WHEN b % 2 = 0 THEN now() + interval '2 years' END END "
            "FROM generate_series(1, %1) b")
            .arg(batches),
        QStringLiteral(
            "INSERT INTO activation_codes (code, status, expires_at, used_at, batch_id, "
            "created_at) "
            "SELECT translate(upper(substr(md5(b.id || ':' || i), 1, 12)), '0O1IL', '23456'), "
            "CASE WHEN r < 0.7 THEN 'UNUSED' WHEN r < 0.9 THEN 'USED' ELSE 'EXPIRED' END, "
            "b.expires_at, CASE WHEN r >= 0.7 AND r < 0.9 THEN b.created_at END, b.id, "
            "b.created_at "
            "FROM code_batches b, generate_series(1, 1000) i, LATERAL (SELECT random() + 0 * i AS "
            "r) x "
            "WHERE b.label LIKE 'Bench batch %' ON CONFLICT (code) DO NOTHING"),
        QStringLiteral("SET session_replication_role = DEFAULT"),
        QStringLiteral("VACUUM ANALYZE activation_codes"),
        QStringLiteral("VACUUM ANALYZE code_batches"),
        QStringLiteral("VACUUM ANALYZE sim_cards"),
    };
    for (const QString &sql : statements)
        must(runQuery(db, sql), sql.left(60));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_codelist"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption codesOption(QStringLiteral("codes"),
        QStringLiteral("activation codes to add (in batches of 1,000)"), QStringLiteral("N"),
        QStringLiteral("1000000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("runs per case"),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption pageOption(QStringLiteral("page"), QStringLiteral("rows per page"),
        QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption dbOption(QStringLiteral("database"),
        QStringLiteral("a database of the test cluster to fill once and keep"),
        QStringLiteral("NAME"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOptions({ codesOption, runsOption, pageOption, dbOption, jsonOption });
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const int n = std::max(1, parser.value(pageOption).toInt());

    TestDatabase tdb(QStringLiteral("bench_codelist"));
    if (!tdb.isValid())
        fail(tdb.error());
    QSqlDatabase db = migratedDatabase(tdb, parser.value(dbOption));
    if (column(db, QStringLiteral("SELECT count(*) FROM code_batches")).value(0).toLongLong() == 0)
        fill(db, parser.value(codesOption).toInt());
    const qint64 count
        = column(db, QStringLiteral("SELECT count(*) FROM activation_codes")).value(0).toLongLong();
    const qint64 middleBatch = column(db,
        QStringLiteral("SELECT id FROM code_batches ORDER BY id OFFSET "
                       "(SELECT count(*) / 2 FROM code_batches) LIMIT 1"))
                                   .value(0)
                                   .toLongLong();
    const qint64 customer = column(db,
        QStringLiteral("SELECT s.customer_id FROM sim_cards s WHERE "
                       "s.activation_code_id IS NOT NULL AND s.customer_id IS NOT "
                       "NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"))
                                .value(0)
                                .toLongLong();
    const QString someCode = column(db,
        QStringLiteral("SELECT code FROM activation_codes WHERE "
                       "batch_id = %1 ORDER BY id LIMIT 1")
            .arg(middleBatch))
                                 .value(0);

    // The list's connection is the application's; a support login reads the same plans, so the
    // superuser's connection measures them.
    CodeListQuery query(db);
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

    QList<QPair<QString, CodeListFilter>> filters;
    filters << qMakePair(QStringLiteral("none"), CodeListFilter());
    for (CodeStatus s : kAllCodeStatuses) {
        CodeListFilter f;
        f.status = s;
        filters << qMakePair(QStringLiteral("status %1").arg(codeStatusKey(s)), f);
    }
    {
        CodeListFilter f;
        f.expiringWithinDays = 30;
        filters << qMakePair(QStringLiteral("expiring within 30 days"), f);
        CodeListFilter b;
        b.batchId = middleBatch;
        filters << qMakePair(QStringLiteral("batch"), b);
        CodeListFilter c;
        c.customerId = customer;
        filters << qMakePair(QStringLiteral("used for a customer"), c);
        for (int len = 1; len <= 4; ++len) {
            CodeListFilter p;
            p.search = someCode.left(len);
            filters << qMakePair(QStringLiteral("prefix \"%1\"").arg(p.search), p);
        }
        CodeListFilter whole;
        whole.search = someCode;
        filters << qMakePair(QStringLiteral("whole code"), whole);
        CodeListFilter unusedBatch = b;
        unusedBatch.status = CodeStatus::Unused;
        filters << qMakePair(QStringLiteral("batch, UNUSED"), unusedBatch);
    }
    // A search is listed alphabetically (CodesPage: the order the code index walks).
    auto sortFor = [](const CodeListFilter &f) {
        return f.search.isEmpty() ? CodeSort() : CodeSort { CodeSortKey::Code, Qt::AscendingOrder };
    };
    for (const auto &[name, f] : filters) {
        measure(QStringLiteral("first page"), name, [&, f = f] {
            return qint64(
                must(query.firstPage(f, sortFor(f), n), QStringLiteral("first page")).rows.size());
        });
        measure(QStringLiteral("total"), name,
            [&, f = f] { return must(query.total(f), QStringLiteral("total")).count; });
    }

    // Paging: the 20 pages after the first, in every order, and newest first for each status.
    const QList<QPair<CodeSortKey, QString>> keys { { CodeSortKey::Newest,
                                                        QStringLiteral("newest") },
        { CodeSortKey::Code, QStringLiteral("code") },
        { CodeSortKey::Expires, QStringLiteral("expires") } };
    QList<std::tuple<QString, CodeListFilter, CodeSort>> pagings;
    for (const auto &[key, name] : keys) {
        for (Qt::SortOrder order : { Qt::AscendingOrder, Qt::DescendingOrder }) {
            pagings.append(
                { QStringLiteral("%1 %2").arg(name,
                      order == Qt::AscendingOrder ? QStringLiteral("asc") : QStringLiteral("desc")),
                    CodeListFilter(), CodeSort { key, order } });
        }
    }
    for (int i = 1; i < filters.size(); ++i) {
        const CodeListFilter &f = filters.at(i).second;
        pagings.append(
            { (f.search.isEmpty() ? QStringLiteral("newest, ") : QStringLiteral("code, "))
                    + filters.at(i).first,
                f, sortFor(f) });
    }
    for (const auto &[name, f, sort] : pagings) {
        CodeListPage page = must(query.firstPage(f, sort, n), QStringLiteral("first page"));
        Measure m { QStringLiteral("next page"), name, {}, 0 };
        for (int p = 0; p < 20 && !page.atEnd; ++p) {
            QElapsedTimer t;
            t.start();
            page = must(query.pageAfter(f, sort, CodeListQuery::cursorOf(page.rows.last()), n),
                QStringLiteral("page"));
            m.ms << double(t.nsecsElapsed()) / 1e6;
            m.rows += page.rows.size();
        }
        results << m;
    }

    std::printf("Activation code list at %lld codes, %d rows a page, %d runs a case (ms)\n", count,
        n, runs);
    std::printf("%-11s %-36s %8s %8s %8s %8s\n", "kind", "what", "p50", "p95", "max", "rows");
    QJsonArray rows;
    for (const Measure &m : results) {
        const double p50 = percentile(m.ms, 0.5);
        const double p95 = percentile(m.ms, 0.95);
        const double mx = percentile(m.ms, 1.0);
        std::printf("%-11s %-36s %8.1f %8.1f %8.1f %8lld\n", qPrintable(m.kind), qPrintable(m.what),
            p50, p95, mx, m.rows);
        rows.append(
            QJsonObject { { QStringLiteral("kind"), m.kind }, { QStringLiteral("what"), m.what },
                { QStringLiteral("p50_ms"), p50 }, { QStringLiteral("p95_ms"), p95 },
                { QStringLiteral("max_ms"), mx }, { QStringLiteral("rows"), m.rows } });
    }
    if (parser.isSet(jsonOption)) {
        const QJsonObject json { { QStringLiteral("benchmark"), QStringLiteral("codelist") },
            { QStringLiteral("codes"), count }, { QStringLiteral("runs"), runs },
            { QStringLiteral("page"), n }, { QStringLiteral("results"), rows } };
        QFile f(parser.value(jsonOption));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0)
            fail(QStringLiteral("cannot write ") + f.fileName());
    }
    return 0;
}
