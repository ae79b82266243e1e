// SPDX-License-Identifier: MIT
#include "selfcheck.h"

#include "cli/terminal.h"
#include "dashboard/dashboardloader.h"
#include "dashboard/dashboardpage.h"
#include "dashboard/webprofile.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/versioninfo.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QLibraryInfo>
#include <QSqlDatabase>
#include <QTimer>
#include <QWebEngineView>

#include <cstring>

namespace simdesk {

namespace {

// What the page draws in the round trip: two status segments, nothing from a database.
QJsonObject samplePayload()
{
    const QJsonObject active { { QStringLiteral("status"), QStringLiteral("ACTIVE") },
        { QStringLiteral("count"), 2 } };
    const QJsonObject available { { QStringLiteral("status"), QStringLiteral("AVAILABLE") },
        { QStringLiteral("count"), 1 } };
    return { { QStringLiteral("kpis"),
                 QJsonObject { { QStringLiteral("total"), 3 }, { QStringLiteral("ACTIVE"), 2 },
                     { QStringLiteral("AVAILABLE"), 1 } } },
        { QStringLiteral("byStatus"), QJsonArray { active, available } } };
}

constexpr int kSampleSegments = 2;

} // namespace

bool SelfCheck::requested(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--check") == 0)
            return true;
    }
    return false;
}

void SelfCheck::prepareEnvironment()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

void SelfCheck::line(QTextStream &out, bool ok, const QString &what, const QString &found)
{
    // One line per check, also when an error's detail (the server's words) has several.
    out << (ok ? QStringLiteral("ok    ") : QStringLiteral("FAIL  ")) << what
        << QStringLiteral(": ") << found.simplified() << Qt::endl;
}

int SelfCheck::run(QTextStream &out, const Options &options)
{
    const bool passed = checkQt(out) && checkDriver(out) && checkTls(out)
        && checkDashboard(out, options.pageTimeout)
        && (!options.connection || checkConnection(out, *options.connection));
    if (passed && !options.connection)
        out << QStringLiteral("--    ") << tr("Database") << QStringLiteral(": ")
            << tr("not checked (give --db postgresql://user@host/database, or set PGHOST)")
            << Qt::endl;
    return passed ? 0 : 1;
}

bool SelfCheck::checkQt(QTextStream &out)
{
    line(out, true, tr("SimDesk %1").arg(VersionInfo::application()),
        tr("Qt %1 (built with %2), plugins from %3")
            .arg(VersionInfo::qtRuntime(), QStringLiteral(QT_VERSION_STR),
                QLibraryInfo::path(QLibraryInfo::PluginsPath)));
    return true;
}

bool SelfCheck::checkDriver(QTextStream &out)
{
    const QString what = tr("PostgreSQL driver");
    const QString name = Database::uniqueName(QStringLiteral("simdesk-check"));
    bool valid = false;
    {
        // Loading the plugin loads libpq too: a missing library shows here.
        const QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        valid = db.isValid();
    }
    QSqlDatabase::removeDatabase(name);
    if (!valid) {
        line(out, false, what,
            tr("the Qt plugin QPSQL (sqldrivers/libqsqlpsql) could not be loaded; install "
               "libqt6sql6-psql, or use the AppImage, which has it"));
        return false;
    }
    line(out, true, what, tr("QPSQL with libpq %1").arg(VersionInfo::libpq()));
    return true;
}

bool SelfCheck::checkTls(QTextStream &out)
{
    const QString library = VersionInfo::libpqTls();
    if (library.isEmpty()) {
        line(out, false, tr("TLS"),
            tr("this libpq was built without TLS; connections with sslmode=verify-full cannot "
               "work"));
        return false;
    }
    line(out, true, tr("TLS"), tr("libpq uses %1").arg(library));
    return true;
}

bool SelfCheck::checkDashboard(QTextStream &out, std::chrono::milliseconds timeout)
{
    QElapsedTimer clock;
    clock.start();
    DashboardPage page(fixedDashboardSource(samplePayload()));
    // Drawn for real (the charts measure their boxes) but never on the screen.
    page.setAttribute(Qt::WA_DontShowOnScreen);
    page.resize(960, 640);
    page.show();

    enum class Outcome { Waiting, Drawn, LoadFailed, RendererEnded, TimedOut };
    Outcome outcome = Outcome::Waiting;
    bool loaded = false;
    QJsonObject drawn;
    QEventLoop loop;
    auto finish = [&](Outcome o) {
        if (outcome == Outcome::Waiting) {
            outcome = o;
            loop.quit();
        }
    };
    QObject::connect(page.page(), &QWebEnginePage::loadFinished, &loop, [&](bool ok) {
        loaded = ok;
        if (!ok)
            finish(Outcome::LoadFailed);
    });
    QObject::connect(page.page(), &QWebEnginePage::renderProcessTerminated, &loop,
        [&] { finish(Outcome::RendererEnded); });
    QObject::connect(&page, &DashboardPage::drawn, &loop, [&](const QJsonObject &summary) {
        drawn = summary;
        finish(Outcome::Drawn);
    });
    QTimer::singleShot(timeout, &loop, [&] { finish(Outcome::TimedOut); });
    loop.exec();

    const QString pageWhat = tr("Dashboard page");
    const QList<QUrl> refused = sharedWebInterceptor()->refused();
    if (!loaded || outcome == Outcome::LoadFailed || outcome == Outcome::RendererEnded) {
        line(out, false, pageWhat,
            outcome == Outcome::RendererEnded
                ? tr("the web renderer (QtWebEngineProcess) ended; run SimDesk from a terminal "
                     "to see why")
                : tr("qrc:/dashboard/index.html did not load (WebEngine resources, or the "
                     "shared-mime-info database, missing?)"));
        return false;
    }
    if (!refused.isEmpty()) {
        line(out, false, pageWhat,
            tr("the page asked for %1, which the local-only profile refused")
                .arg(refused.first().toDisplayString()));
        return false;
    }
    // D3 as the page sees it: from the Qt resources.
    QString d3;
    {
        QEventLoop wait;
        page.page()->runJavaScript(
            QStringLiteral("typeof d3 === 'object' ? d3.version : ''"), [&](const QVariant &v) {
                d3 = v.toString();
                wait.quit();
            });
        QTimer::singleShot(timeout, &wait, &QEventLoop::quit);
        wait.exec();
    }
    if (d3.isEmpty()) {
        line(out, false, pageWhat, tr("the page loaded, but D3 is missing from it"));
        return false;
    }
    line(out, true, pageWhat,
        tr("qrc:/dashboard/index.html on the local-only profile, D3 %1").arg(d3));

    const QString channelWhat = tr("WebChannel");
    if (outcome != Outcome::Drawn) {
        line(out, false, channelWhat,
            tr("no answer from the page within %1 s").arg(timeout.count() / 1000));
        return false;
    }
    const int arcs = drawn.value(QStringLiteral("arcs")).toInt();
    if (arcs != kSampleSegments) {
        line(out, false, channelWhat,
            tr("the page drew %1 segments of %2").arg(arcs).arg(kSampleSegments));
        return false;
    }
    line(out, true, channelWhat,
        tr("page ready, sample sent, %1 segments drawn and reported back (%2 ms)")
            .arg(arcs)
            .arg(clock.elapsed()));
    return true;
}

bool SelfCheck::checkConnection(QTextStream &out, ConnectionSettings settings)
{
    const QString what = tr("Database");
    const QString name = Database::uniqueName(QStringLiteral("simdesk-check"));
    ScopedConnection guard(name);
    Result<QSqlDatabase> db = Database::open(settings, name);
    // A technician at a terminal may type the password; in scripts nothing prompts.
    if (!db && db.error().code == ErrorCode::PasswordRequired) {
        if (const std::optional<QString> password
            = promptPassword(tr("Password for %1: ")
                                 .arg(settings.user.isEmpty() ? qEnvironmentVariable("PGUSER")
                                                              : settings.user))) {
            settings.password = *password;
            db = Database::open(settings, name);
        }
    }
    if (!db) {
        line(out, false, what, db.error().fullMessage());
        return false;
    }
    const QString tls = VersionInfo::connectionTls(*db);
    Migrator migrator(*db);
    const Result<int> version = migrator.currentVersion();
    const Status compatible = migrator.checkCompatible();
    const QString found = tr("%1, PostgreSQL %2, %3, schema %4 (this build: %5)")
                              .arg(Database::describe(*db), VersionInfo::server(*db),
                                  tls.isEmpty() ? tr("not encrypted") : tr("TLS %1").arg(tls),
                                  version ? QString::number(*version) : QStringLiteral("?"),
                                  QString::number(migrator.latestVersion()));
    if (!compatible) {
        line(out, false, what, found + QStringLiteral(": ") + compatible.error().message());
        return false;
    }
    line(out, true, what, found);
    return true;
}

} // namespace simdesk
