// SPDX-License-Identifier: MIT
// bench_roundtrips — what one user step costs the database: connections opened and statements
// run by a signed-in window for opening a card, one card action and one bulk action, counted by
// the server itself (log_statement for the window's login, read back from the test cluster's
// server log; a server process seen for the first time is a new connection). The listener's
// heartbeat is left out (it runs whatever the user does). Prints a table and writes JSON; asserts
// nothing about counts.
//
//   bench_roundtrips [--bulk 1000] [--settle-ms 1500] [--json out.json]

#include "benchsupport.h"
#include "db/changelistener.h"
#include "main/mainwindow.h"
#include "services/demodata.h"
#include "sims/bulkactiondialog.h"
#include "sims/simdetailpage.h"
#include "sims/simspage.h"
#include "webenginetest.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <cstdio>

using namespace simdesk;
using namespace simdesk::bench;

namespace {

// The test cluster's server log (scripts/localdb writes SIMDESK_PGROOT into cluster.env).
QString serverLog()
{
    QFile env(qEnvironmentVariable("SIMDESK_TEST_CLUSTER") + QStringLiteral("/cluster.env"));
    if (!env.open(QIODevice::ReadOnly))
        fail(QStringLiteral("cannot read %1").arg(env.fileName()));
    const QRegularExpression root(QStringLiteral("SIMDESK_PGROOT=['\"]?([^'\"\\n]+)"));
    const QRegularExpressionMatch m = root.match(QString::fromUtf8(env.readAll()));
    if (!m.hasMatch())
        fail(QStringLiteral("no SIMDESK_PGROOT in %1").arg(env.fileName()));
    return m.captured(1) + QStringLiteral("/server.log");
}

struct Count
{
    int connections = 0;
    int statements = 0;
    QMap<qint64, int> byBackend; // statements per server process
    QStringList lines;
};

// Reads what the server logged since `offset` for the login whose statements are logged,
// leaving out `ignoredPid`. A server process not seen before (`known`) is a new connection: every
// connection QPSQL opens runs statements of its own at once.
Count countSince(const QString &log, qint64 offset, QSet<qint64> &known, qint64 ignoredPid)
{
    QFile f(log);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(offset))
        fail(QStringLiteral("cannot read %1").arg(log));
    Count c;
    // Default log_line_prefix: "%m [%p] ".
    const QRegularExpression pidOf(QStringLiteral("^\\S+ \\S+ \\S+ \\[(\\d+)\\]"));
    QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromUtf8(raw);
        const qint64 pid = pidOf.match(line).captured(1).toLongLong();
        if (pid == ignoredPid)
            continue;
        if (line.contains(QLatin1String("LOG:  statement: "))
            || line.contains(QLatin1String("LOG:  execute "))) {
            if (!known.contains(pid)) {
                known.insert(pid);
                ++c.connections;
            }
            ++c.statements;
            ++c.byBackend[pid];
            c.lines << line.section(QLatin1String("LOG:  "), 1).left(140);
        }
    }
    return c;
}

// Runs the event loop until `done` holds, for at most 30 s.
void waitFor(const std::function<bool()> &done, const QString &what)
{
    if (!QTest::qWaitFor(done, 30000))
        fail(QStringLiteral("timed out waiting for %1").arg(what));
}

} // namespace

int main(int argc, char **argv)
{
    prepareWebEngineTest();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("bench_roundtrips"));
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("bulk"), QStringLiteral("Cards of the bulk action."),
        QStringLiteral("n"), QStringLiteral("1000") });
    parser.addOption({ QStringLiteral("settle-ms"),
        QStringLiteral("Quiet time after each step before counting."), QStringLiteral("ms"),
        QStringLiteral("1500") });
    parser.addOption({ QStringLiteral("verbose"), QStringLiteral("Print every statement.") });
    parser.addOption(
        { QStringLiteral("json"), QStringLiteral("Write results here."), QStringLiteral("file") });
    parser.process(app);
    const int bulk = parser.value(QStringLiteral("bulk")).toInt();
    const int settle = parser.value(QStringLiteral("settle-ms")).toInt();

    TestDatabase tdb(QStringLiteral("roundtrips"));
    if (!tdb.isValid())
        fail(tdb.error());
    QSqlDatabase db = migratedDatabase(tdb, {});
    DemoDataOptions demo;
    demo.sims = qMax(2000, bulk * 3);
    mustOk(DemoData::generate(db, demo), QStringLiteral("demo data"));
    const QString login = tdb.createLogin(QStringLiteral("desk"), QStringLiteral("support"));
    must(runQuery(db, QStringLiteral("ALTER ROLE %1 SET log_statement = 'all'").arg(login)),
        QStringLiteral("log_statement"));
    const QString log = serverLog();

    ConnectionSettings settings = tdb.settings();
    settings.user = login;
    SessionInfo session;
    session.login = login;
    session.displayName = QStringLiteral("Bench Desk");
    session.role = StaffRole::Support;
    MainWindow w(settings, session);
    w.resize(1366, 768);
    w.show();
    QSignalSpy refreshed(&w, &MainWindow::refreshed);
    w.refresh();
    if (!refreshed.wait(30000))
        fail(QStringLiteral("the window did not load"));
    QTest::qWait(3000); // the dashboard, the listener and the list settle
    const qint64 listenerPid = w.listener() ? w.listener()->backendPid() : 0;

    struct Step
    {
        QString name;
        Count count;
    };
    QList<Step> steps;
    QSet<qint64> known;
    countSince(log, 0, known, listenerPid); // the window's connections so far
    auto measure = [&](const QString &name, const std::function<void()> &step) {
        const qint64 offset = QFileInfo(log).size();
        step();
        QTest::qWait(settle);
        steps.append({ name, countSince(log, offset, known, listenerPid) });
    };

    const QStringList suspendedIds = column(db,
        QStringLiteral("SELECT id FROM sim_cards WHERE status = 'SUSPENDED' ORDER BY id LIMIT 1"));
    const qint64 suspended = suspendedIds.isEmpty() ? 0 : suspendedIds.first().toLongLong();
    if (suspended == 0)
        fail(QStringLiteral("the demo data has no suspended card"));

    measure(QStringLiteral("open a card"), [&] {
        QSignalSpy loaded(w.detailPage(), &SimDetailPage::loaded);
        w.showCard(suspended);
        if (!loaded.wait(20000))
            fail(QStringLiteral("the card did not load"));
    });
    measure(QStringLiteral("one action (resume)"), [&] {
        auto *resume = w.detailPage()->findChild<QPushButton *>(QStringLiteral("resumeButton"));
        if (!resume || !resume->isVisible())
            fail(QStringLiteral("no Resume button"));
        QSignalSpy loaded(w.detailPage(), &SimDetailPage::loaded);
        resume->click();
        if (!loaded.wait(20000))
            fail(QStringLiteral("the card did not reload"));
    });

    const QStringList active = column(db,
        QStringLiteral("SELECT iccid FROM sim_cards WHERE status = 'ACTIVE' ORDER BY id LIMIT %1")
            .arg(bulk));
    SimListFilter list;
    list.identifiers = active;
    w.showSims(list);
    waitFor([&] { return w.simsPage()->model()->total().count == active.size(); },
        QStringLiteral("the list of %1 cards").arg(active.size()));
    QTest::qWait(settle);
    measure(QStringLiteral("bulk action (suspend %1 cards)").arg(active.size()), [&] {
        w.simsPage()->findChild<QPushButton *>(QStringLiteral("selectAllMatchingButton"))->click();
        w.runBulkAction(CardAction::Suspend);
        BulkActionDialog *dialog = nullptr;
        waitFor([&] { return (dialog = w.findChild<BulkActionDialog *>()) != nullptr; },
            QStringLiteral("the bulk dialog"));
        QSignalSpy previewed(dialog, &BulkActionDialog::previewed);
        if (!dialog->previewDone() && !previewed.wait(30000))
            fail(QStringLiteral("no preview"));
        dialog->findChild<QLineEdit *>(QStringLiteral("reasonEdit"))
            ->setText(QStringLiteral("bench"));
        QSignalSpy applied(dialog, &BulkActionDialog::applied);
        dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))
            ->button(QDialogButtonBox::Ok)
            ->click();
        if (!applied.wait(60000))
            fail(QStringLiteral("the bulk action did not finish"));
        dialog->close();
    });

    std::printf("%-36s %12s %11s %s\n", "step", "connections", "statements", "per backend");
    QJsonArray rows;
    for (const Step &s : std::as_const(steps)) {
        QStringList per;
        for (auto it = s.count.byBackend.cbegin(); it != s.count.byBackend.cend(); ++it)
            per << QString::number(it.value());
        std::printf("%-36s %12d %11lld %s\n", qPrintable(s.name), s.count.connections,
            qint64(s.count.statements), qPrintable(per.join(QLatin1Char('+'))));
        if (parser.isSet(QStringLiteral("verbose"))) {
            for (const QString &line : s.count.lines)
                std::printf("    %s\n", qPrintable(line));
        }
        rows.append(QJsonObject { { QStringLiteral("step"), s.name },
            { QStringLiteral("connections"), s.count.connections },
            { QStringLiteral("statements"), s.count.statements },
            { QStringLiteral("backends"), int(s.count.byBackend.size()) } });
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QFile out(parser.value(QStringLiteral("json")));
        if (!out.open(QIODevice::WriteOnly))
            fail(QStringLiteral("cannot write %1").arg(out.fileName()));
        out.write(QJsonDocument(QJsonObject { { QStringLiteral("steps"), rows } }).toJson());
    }
    return 0;
}
