// SPDX-License-Identifier: MIT
#include "common/desk.h"
#include "common/statusstyle.h"
#include "dashboard/dashboardbridge.h"
#include "dashboard/dashboardpage.h"
#include "dashboard/timelineview.h"
#include "dashboard/webprofile.h"
#include "db/migrator.h"
#include "main/mainwindow.h"
#include "screenshots.h"
#include "services/demodata.h"
#include "services/statsservice.h"
#include "sims/simdetailpage.h"
#include "sims/simspage.h"
#include "testdatabase.h"
#include "webenginetest.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QWebEngineView>

#include <memory>

using namespace simdesk;

namespace {

constexpr int kWait = 30000;

QJsonObject fixture(const QString &name)
{
    QFile file(QStringLiteral(SIMDESK_DASHBOARD_FIXTURES "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Runs a script in the page and waits for its value.
QVariant js(QWebEnginePage *page, const QString &script)
{
    QVariant result;
    bool done = false;
    page->runJavaScript(script, [&](const QVariant &value) {
        result = value;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, kWait))
        qWarning("runJavaScript did not answer: %s", qPrintable(script));
    return result;
}

int jsInt(QWebEnginePage *page, const QString &script)
{
    return js(page, script).toInt();
}

// Clicks an element the way a user does: a bubbling click event on it.
QString clickScript(const QString &selector)
{
    return QStringLiteral("(function(){ const el = document.querySelector(\"%1\");"
                          " if (!el) return false;"
                          " el.dispatchEvent(new MouseEvent('click', {bubbles: true}));"
                          " return true; })()")
        .arg(selector);
}

// Fusion's dark palette, like a desktop in dark mode.
QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1f, 0x21, 0x23));
    p.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3a));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd9));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3a));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}

SessionInfo leadSession()
{
    SessionInfo session;
    session.login = QStringLiteral("lena");
    session.displayName = QStringLiteral("Lena Team Lead");
    session.role = StaffRole::Support;
    return session;
}

} // namespace

// The dashboard's real pages (qrc:/dashboard/index.html and timeline.html) in QWebEngineViews
// under the offscreen platform: what the SVG holds after fixture data of the StatsService
// contract, clicks that reach C++ and open the SIM list, requests that never leave, and the
// screenshots of docs/user-guide.md.
class TestDashboard : public QObject
{
    Q_OBJECT

public:
    static void initMain() { prepareWebEngineTest(); }

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void shouldDrawEveryChartOfThePayload();
    void shouldWriteNumbersInTheApplicationsLocale();
    void theLegendAndTheTariffLabelsShouldFitAt1024And1280();
    void shouldShowAnEmptyStateWithoutCards();
    void clicksShouldBecomeFiltersOfTheSimList();
    void theRangeSwitchesShouldAskForOtherPeriods();
    void shouldQueueDataUntilThePageIsReady();
    void shouldFollowTheApplicationPalette();
    void noRequestShouldLeaveForTheNetwork();
    void aClickOnASliceShouldOpenTheFilteredListInTheMainWindow();
    void shouldRefreshByItselfWhenCardsChange();
    void shouldExportPdfAndPng();
    void exportsShouldSayWhatWhenWhereAndBeReadableByOthers();
    void screenshotsLightAndDark();
    void theSimDetailShouldShowTheCardsTimeline();
    void theWarmUpPageShouldStartTheRendererTheDashboardUses();

private:
    // A dashboard page on fixture JSON, shown at the size of the main window's page area,
    // with its first drawing done.
    std::unique_ptr<DashboardPage> openFixturePage(
        const QJsonObject &data, QJsonObject *summary = nullptr);
    std::unique_ptr<MainWindow> openWindow();
    // Waits until the page has drawn more than `after` times.
    static bool waitDrawn(DashboardPage *page, int after = 0);
    static bool clickAndWaitDrawn(DashboardPage *page, const QString &selector);

    std::unique_ptr<TestDatabase> m_tdb;
    QJsonObject m_fixture;
};

void TestDashboard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    m_fixture = fixture(QStringLiteral("dashboard.json"));
    QVERIFY(!m_fixture.isEmpty());
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("dashboard"));
    REQUIRE_DATABASE(*m_tdb);
    const Result<QList<int>> migrated = Migrator(m_tdb->connect()).migrate();
    QVERIFY2(migrated.ok(), migrated.ok() ? "" : qPrintable(migrated.error().fullMessage()));
    DemoDataOptions options;
    options.sims = 3000;
    // A year of history up to today, so that the default range has activations.
    options.now = QDateTime::currentDateTimeUtc();
    const Status demo = DemoData::generate(m_tdb->connect(), options);
    QVERIFY2(demo.ok(), demo.ok() ? "" : qPrintable(demo.error().fullMessage()));
}

void TestDashboard::init()
{
    QSettings().clear();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QApplication::setPalette(QApplication::style()->standardPalette());
    sharedWebInterceptor()->clearRefused();
}

void TestDashboard::cleanupTestCase()
{
    m_tdb.reset();
}

bool TestDashboard::waitDrawn(DashboardPage *page, int after)
{
    return QTest::qWaitFor([&] { return page->drawCount() > after; }, kWait);
}

bool TestDashboard::clickAndWaitDrawn(DashboardPage *page, const QString &selector)
{
    const int before = page->drawCount();
    return js(page->view()->page(), clickScript(selector)).toBool() && waitDrawn(page, before);
}

std::unique_ptr<DashboardPage> TestDashboard::openFixturePage(
    const QJsonObject &data, QJsonObject *summary)
{
    auto page = std::make_unique<DashboardPage>(fixedDashboardSource(data));
    page->resize(1180, 640);
    page->show();
    if (!waitDrawn(page.get()))
        return nullptr;
    if (summary)
        *summary = page->lastDrawn();
    return page;
}

std::unique_ptr<MainWindow> TestDashboard::openWindow()
{
    auto w = std::make_unique<MainWindow>(m_tdb->settings(), leadSession());
    w->resize(1366, 768);
    w->show();
    QSignalSpy refreshed(w.get(), &MainWindow::refreshed);
    w->refresh();
    if (!refreshed.wait(kWait) || !w->dashboardPage())
        return nullptr;
    return w;
}

void TestDashboard::shouldDrawEveryChartOfThePayload()
{
    QJsonObject summary;
    const std::unique_ptr<DashboardPage> page = openFixturePage(m_fixture, &summary);
    QVERIFY(page);
    QWebEnginePage *web = page->view()->page();
    QCOMPARE(web->url(), QUrl(QStringLiteral("qrc:/dashboard/index.html")));

    // One arc per status with cards (all six have some), the legend lists all six.
    QCOMPARE(jsInt(web, QStringLiteral("document.querySelectorAll('#donut path.arc').length")), 6);
    QCOMPARE(jsInt(web, QStringLiteral("document.querySelectorAll('#legend li').length")), 6);
    // One bar per tariff plan, "No tariff" included and last.
    const QJsonArray tariffs = m_fixture.value(QStringLiteral("byTariff")).toArray();
    QCOMPARE(jsInt(web, QStringLiteral("document.querySelectorAll('#tariffs rect.bar').length")),
        int(tariffs.size()));
    QCOMPARE(js(web,
                 QStringLiteral(
                     "document.querySelector('#tariffs rect.bar:last-of-type') && "
                     "[...document.querySelectorAll('#tariffs rect.bar')].pop().dataset.tariff"))
                 .toString(),
        QStringLiteral("none"));
    QVERIFY(js(web, QStringLiteral("document.getElementById('tariffs').textContent"))
                .toString()
                .contains(QLatin1String("No tariff")));
    // One bar and one clickable column per period of the activations chart: counts per period
    // are bars, never a curve through the periods (which shows values that never happened).
    const int periods = int(m_fixture.value(QStringLiteral("activations")).toArray().size());
    QCOMPARE(jsInt(web,
                 QStringLiteral("document.querySelectorAll('#activations rect.count-bar').length")),
        periods);
    QCOMPARE(jsInt(web,
                 QStringLiteral("document.querySelectorAll('#activations path:not(.domain), "
                                "#flows path:not(.domain)').length")),
        0);
    // A bar spans its period: none is wider than its column.
    QVERIFY(js(web, QStringLiteral(R"(
        [...document.querySelectorAll('#activations rect.count-bar')].every((b) => {
          const col = document.querySelector(`#activations rect.period[data-start="${b.dataset.start}"]`);
          return +b.getAttribute('x') >= +col.getAttribute('x') - 0.01
              && +b.getAttribute('x') + +b.getAttribute('width')
                   <= +col.getAttribute('x') + +col.getAttribute('width') + 0.01;
        }))"))
                .toBool());
    QCOMPARE(
        jsInt(web, QStringLiteral("document.querySelectorAll('#activations rect.period').length")),
        periods);
    // Imports and terminations: two series.
    QCOMPARE(
        jsInt(web, QStringLiteral("document.querySelectorAll('#flows rect.count-bar').length")),
        2 * periods);
    // What the page reported to C++ is what it holds.
    QCOMPARE(summary.value(QStringLiteral("arcs")).toInt(), 6);
    QCOMPARE(summary.value(QStringLiteral("bars")).toInt(), int(tariffs.size()));
    QCOMPARE(summary.value(QStringLiteral("points")).toInt(), periods);

    // KPI cards: all cards, then the six statuses in lifecycle order.
    QCOMPARE(
        js(web,
            QStringLiteral("document.querySelector('.kpi[data-status=total] .value').textContent"))
            .toString(),
        QStringLiteral("248,617"));
    QCOMPARE(
        js(web,
            QStringLiteral("document.querySelector('.kpi[data-status=ACTIVE] .value').textContent"))
            .toString(),
        QStringLiteral("152,380"));
    QCOMPARE(
        js(web,
            QStringLiteral("document.querySelector('.kpi[data-status=ACTIVE] .label').textContent"))
            .toString(),
        statusDisplayName(SimStatus::Active));
    QCOMPARE(js(web,
                 QStringLiteral(
                     "[...document.querySelectorAll('.kpi')].map(k => k.dataset.status).join()"))
                 .toString(),
        QStringLiteral("total,AVAILABLE,RESERVED,ACTIVE,SUSPENDED,LOST_STOLEN,TERMINATED"));
    // Colours: the SIM list's badge colour of each status.
    QCOMPARE(js(web,
                 QStringLiteral("document.querySelector('#donut "
                                "path.arc[data-status=LOST_STOLEN]').getAttribute('fill')"))
                 .toString(),
        statusColor(SimStatus::LostStolen).name());
    // Percentages in the legend and the "Updated" time.
    QCOMPARE(js(web,
                 QStringLiteral(
                     "document.querySelector('#legend li[data-status=ACTIVE] .pct').textContent"))
                 .toString(),
        QStringLiteral("61%"));
    QVERIFY(js(web, QStringLiteral("document.getElementById('updated').textContent"))
                .toString()
                .startsWith(QLatin1String("Updated ")));
    QVERIFY(js(web, QStringLiteral("document.getElementById('empty').hidden")).toBool());
    // Readable date axes: day and month names, not raw ISO dates.
    const QString axis
        = js(web, QStringLiteral("document.querySelector('#activations .axis.x').textContent"))
              .toString();
    QVERIFY2(axis.contains(QLatin1String("Nov")) && !axis.contains(QLatin1String("2026-")),
        qPrintable(axis));

    // Redrawn on resize, to the new width.
    const int before = jsInt(
        web, QStringLiteral("document.querySelector('#activations svg').getAttribute('width')"));
    page->resize(900, 640);
    QTRY_VERIFY_WITH_TIMEOUT(
        jsInt(
            web, QStringLiteral("document.querySelector('#activations svg').getAttribute('width')"))
            < before,
        kWait);
    QCOMPARE(jsInt(web,
                 QStringLiteral("document.querySelectorAll('#activations rect.count-bar').length")),
        periods);
}

void TestDashboard::shouldWriteNumbersInTheApplicationsLocale()
{
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const std::unique_ptr<DashboardPage> page = openFixturePage(m_fixture);
    QVERIFY(page);
    QWebEnginePage *web = page->view()->page();
    QCOMPARE(
        js(web,
            QStringLiteral("document.querySelector('.kpi[data-status=total] .value').textContent"))
            .toString(),
        QStringLiteral("248.617"));
    QCOMPARE(js(web,
                 QStringLiteral(
                     "document.querySelector('#legend li[data-status=ACTIVE] .count').textContent"))
                 .toString(),
        QStringLiteral("152.380"));
    QCOMPARE(
        js(web,
            QStringLiteral("document.querySelector('.kpi[data-status=ACTIVE] .label').textContent"))
            .toString(),
        statusDisplayName(SimStatus::Active));
    // Month names of the locale on the axis (November is "Nov." in German).
    const QString axis
        = js(web, QStringLiteral("document.querySelector('#activations .axis.x').textContent"))
              .toString();
    QVERIFY2(
        axis.contains(QLocale().standaloneMonthName(11, QLocale::ShortFormat)), qPrintable(axis));
    // The custom range's dates in the locale's format (day first, dots), not the browser's
    // MM/DD/YYYY; a date typed that way is read that way.
    const QDate from = QDate::fromString(m_fixture.value(QStringLiteral("range"))
                                             .toObject()
                                             .value(QStringLiteral("from"))
                                             .toString(),
        Qt::ISODate);
    QCOMPARE(js(web, QStringLiteral("document.getElementById('from').value")).toString(),
        from.toString(QStringLiteral("dd.MM.yyyy")));
    QVERIFY(js(web, clickScript(QStringLiteral("#range button[data-preset='custom']"))).toBool());
    js(web,
        QStringLiteral("document.getElementById('from').value = '01.02.2026';"
                       "document.getElementById('to').value = '30.04.2026'; true"));
    QVERIFY(js(web, clickScript(QStringLiteral("#apply"))).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(page->range().from, QDate(2026, 2, 1), kWait);
    QCOMPARE(page->range().to, QDate(2026, 4, 30));
}

// In a window of 1024 or 1280 pixels (the page is the window less the side bar), every row of
// the donut's legend, percentage included, stays inside its card, and every tariff label is
// whole (starts inside the chart), long names shortened with an ellipsis at the end.
void TestDashboard::theLegendAndTheTariffLabelsShouldFitAt1024And1280()
{
    QJsonObject data = m_fixture;
    QJsonArray tariffs = data.value(QStringLiteral("byTariff")).toArray();
    QJsonObject longName = tariffs.first().toObject();
    longName.insert(
        QStringLiteral("name"), QStringLiteral("Business Mobile XL unlimited EU roaming"));
    tariffs.replace(0, longName);
    data.insert(QStringLiteral("byTariff"), tariffs);
    const std::unique_ptr<DashboardPage> page = openFixturePage(data);
    QVERIFY(page);
    QWebEnginePage *web = page->view()->page();
    for (const int windowWidth : { 1024, 1280 }) {
        // Redrawn for the new width (on resize the page draws again by itself).
        const QString svgWidth
            = QStringLiteral("document.querySelector('#activations svg').getAttribute('width')");
        const int before = jsInt(web, svgWidth);
        page->resize(windowWidth - 200, windowWidth == 1024 ? 620 : 700);
        QTRY_VERIFY_WITH_TIMEOUT(jsInt(web, svgWidth) != before, kWait);
        QTest::qWait(100);
        const QString legend = js(web, QStringLiteral(R"(
            (() => {
              const card = document.getElementById('statusCard').getBoundingClientRect();
              return [...document.querySelectorAll('#legend li')].filter((li) => {
                const pct = li.querySelector('.pct').getBoundingClientRect();
                const name = li.querySelector('.name');
                return pct.right > card.right - 2 || pct.width < 1
                    || li.querySelector('.pct').scrollWidth > li.querySelector('.pct').clientWidth + 1
                    || name.getBoundingClientRect().left < card.left;
              }).map((li) => li.dataset.status).join(',');
            })())"))
                                   .toString();
        QVERIFY2(
            legend.isEmpty(), qPrintable(QStringLiteral("%1 px: %2").arg(windowWidth).arg(legend)));
        const QString labels = js(web, QStringLiteral(R"(
            [...document.querySelectorAll('#tariffs text.bar-label')]
              .filter((t) => t.getBBox().x < 0).map((t) => t.textContent).join('|'))"))
                                   .toString();
        QVERIFY2(
            labels.isEmpty(), qPrintable(QStringLiteral("%1 px: %2").arg(windowWidth).arg(labels)));
        QVERIFY(js(web,
            QStringLiteral("document.querySelector('#tariffs text.bar-label').textContent"
                           ".startsWith('Business')"))
                    .toBool());
        QVERIFY(saveScreenshot(page.get(), QStringLiteral("dashboard-%1").arg(windowWidth)));
    }
}

void TestDashboard::shouldShowAnEmptyStateWithoutCards()
{
    QJsonObject summary;
    const std::unique_ptr<DashboardPage> page
        = openFixturePage(fixture(QStringLiteral("empty.json")), &summary);
    QVERIFY(page);
    QWebEnginePage *web = page->view()->page();
    QVERIFY(summary.value(QStringLiteral("empty")).toBool());
    QCOMPARE(js(web, QStringLiteral("document.getElementById('empty').hidden")).toBool(), false);
    QCOMPARE(js(web, QStringLiteral("document.getElementById('charts').hidden")).toBool(), true);
    QVERIFY(js(web, QStringLiteral("document.getElementById('empty').textContent"))
                .toString()
                .contains(QLatin1String("No SIM cards yet")));
    QCOMPARE(
        js(web,
            QStringLiteral("document.querySelector('.kpi[data-status=total] .value').textContent"))
            .toString(),
        QStringLiteral("0"));
    QVERIFY(saveScreenshot(page.get(), QStringLiteral("dashboard-empty")));
}

void TestDashboard::clicksShouldBecomeFiltersOfTheSimList()
{
    const std::unique_ptr<DashboardPage> page = openFixturePage(m_fixture);
    QVERIFY(page);
    QWebEnginePage *web = page->view()->page();
    QSignalSpy requested(page.get(), &DashboardPage::simsRequested);
    // The click reaches C++ while runJavaScript is being waited for: count, do not wait().
    auto clicked = [&] {
        return QTest::qWaitFor([&] { return requested.size() == 1; }, kWait);
    };

    QVERIFY(
        js(web, clickScript(QStringLiteral("#donut path.arc[data-status=SUSPENDED]"))).toBool());
    QVERIFY(clicked());
    SimListFilter f = requested.takeLast().first().value<SimListFilter>();
    QCOMPARE(f.statuses, QList<SimStatus> { SimStatus::Suspended });

    QVERIFY(js(web, clickScript(QStringLiteral(".kpi[data-status=LOST_STOLEN]"))).toBool());
    QVERIFY(clicked());
    f = requested.takeLast().first().value<SimListFilter>();
    QCOMPARE(f.statuses, QList<SimStatus> { SimStatus::LostStolen });

    // "All cards": no filter at all.
    QVERIFY(js(web, clickScript(QStringLiteral(".kpi[data-status=total]"))).toBool());
    QVERIFY(clicked());
    QVERIFY(requested.takeLast().first().value<SimListFilter>().isEmpty());

    QVERIFY(js(web, clickScript(QStringLiteral("#tariffs rect.bar[data-tariff='1']"))).toBool());
    QVERIFY(clicked());
    f = requested.takeLast().first().value<SimListFilter>();
    QCOMPARE(f.tariffPlanId, std::optional<qint64>(1));
    QVERIFY(!f.noTariff);

    QVERIFY(js(web, clickScript(QStringLiteral("#tariffs rect.bar[data-tariff=none]"))).toBool());
    QVERIFY(clicked());
    f = requested.takeLast().first().value<SimListFilter>();
    QVERIFY(f.noTariff);

    // A period of the activations chart: the cards activated in [start, end) of the
    // dashboard's time zone.
    QVERIFY(
        js(web, clickScript(QStringLiteral("#activations rect.period[data-start='2026-11-20']")))
            .toBool());
    QVERIFY(clicked());
    f = requested.takeLast().first().value<SimListFilter>();
    const QTimeZone berlin("Europe/Berlin");
    QCOMPARE(f.activatedFrom, QDateTime(QDate(2026, 11, 20), QTime(0, 0), berlin));
    QCOMPARE(f.activatedTo, QDateTime(QDate(2026, 11, 21), QTime(0, 0), berlin));
    QVERIFY(f.statuses.isEmpty());
}

void TestDashboard::theRangeSwitchesShouldAskForOtherPeriods()
{
    QList<StatsRange> asked;
    QJsonObject data = m_fixture;
    auto page = std::make_unique<DashboardPage>(
        [&asked, data](const StatsRange &range, QObject *context, DashboardDone done) {
            asked.append(range);
            QJsonObject out = data;
            QJsonObject r = out.value(QStringLiteral("range")).toObject();
            r.insert(QStringLiteral("granularity"), granularityName(range.granularity));
            r.insert(QStringLiteral("from"), range.from.toString(Qt::ISODate));
            r.insert(QStringLiteral("to"), range.to.toString(Qt::ISODate));
            out.insert(QStringLiteral("range"), r);
            QMetaObject::invokeMethod(
                context, [done, out] { done(Result<QJsonObject>(out)); }, Qt::QueuedConnection);
        });
    page->resize(1180, 640);
    page->show();
    QVERIFY(waitDrawn(page.get()));
    QCOMPARE(asked.size(), 1);
    const QDate today = QDate::currentDate();
    QCOMPARE(asked.last().from, today.addDays(-29));
    QCOMPARE(asked.last().to, today);
    QCOMPARE(asked.last().granularity, StatsGranularity::Day);
    QWebEnginePage *web = page->view()->page();
    QCOMPARE(js(web,
                 QStringLiteral(
                     "document.querySelector('#range button[aria-pressed=true]').dataset.preset"))
                 .toString(),
        QStringLiteral("30d"));

    QVERIFY(clickAndWaitDrawn(page.get(), QStringLiteral("#range button[data-preset='12m']")));
    QCOMPARE(asked.last().from, QDate(today.year(), today.month(), 1).addMonths(-11));
    QCOMPARE(asked.last().granularity, StatsGranularity::Month);
    QCOMPARE(js(web,
                 QStringLiteral("document.querySelector('#granularity "
                                "button[aria-pressed=true]').dataset.granularity"))
                 .toString(),
        QStringLiteral("month"));

    QVERIFY(clickAndWaitDrawn(
        page.get(), QStringLiteral("#granularity button[data-granularity='week']")));
    QCOMPARE(asked.last().granularity, StatsGranularity::Week);
    QCOMPARE(page->range().granularity, StatsGranularity::Week);

    // Custom: the two dates as given.
    QVERIFY(js(web, clickScript(QStringLiteral("#range button[data-preset='custom']"))).toBool());
    QCOMPARE(js(web, QStringLiteral("document.getElementById('custom').hidden")).toBool(), false);
    js(web,
        QStringLiteral("document.getElementById('from').value = '2026-02-01';"
                       "document.getElementById('to').value = '2026-04-30'; true"));
    QVERIFY(clickAndWaitDrawn(page.get(), QStringLiteral("#apply")));
    QCOMPARE(asked.last().from, QDate(2026, 2, 1));
    QCOMPARE(asked.last().to, QDate(2026, 4, 30));
    const int before = int(asked.size());

    // A reversed range is refused in words, and nothing is asked for.
    js(web,
        QStringLiteral("document.getElementById('from').value = '2026-05-01';"
                       "document.getElementById('to').value = '2026-04-30'; true"));
    QVERIFY(js(web, clickScript(QStringLiteral("#apply"))).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(js(web, QStringLiteral("document.getElementById('state').textContent"))
                                 .toString()
                                 .contains(QLatin1String("start date")),
        kWait);
    QCOMPARE(int(asked.size()), before);
}

void TestDashboard::shouldQueueDataUntilThePageIsReady()
{
    DashboardBridge bridge;
    QSignalSpy data(&bridge, &DashboardBridge::dataChanged);
    QSignalSpy state(&bridge, &DashboardBridge::stateChanged);
    bridge.sendState(QStringLiteral("loading"));
    bridge.sendData(QJsonObject { { QStringLiteral("n"), 1 } });
    QCOMPARE(data.size(), 0); // nobody listens yet: kept
    bridge.pageReady();
    QCOMPARE(state.size(), 1);
    QCOMPARE(data.size(), 1);
    QCOMPARE(data.first().first().toJsonObject().value(QStringLiteral("n")).toInt(), 1);
    bridge.sendData(QJsonObject { { QStringLiteral("n"), 2 } });
    QCOMPARE(data.size(), 2); // ready: at once
    bridge.reset(); // the page reloads
    bridge.sendData(QJsonObject { { QStringLiteral("n"), 3 } });
    QCOMPARE(data.size(), 2);
    bridge.pageReady();
    QCOMPARE(data.size(), 3);
}

void TestDashboard::shouldFollowTheApplicationPalette()
{
    const std::unique_ptr<DashboardPage> page = openFixturePage(m_fixture);
    QVERIFY(page);
    QWebEnginePage *web = page->view()->page();
    const QString light = QApplication::palette().color(QPalette::Window).name();
    QCOMPARE(web->backgroundColor().name(), light); // before load: no white flash in dark mode
    QCOMPARE(js(web, QStringLiteral("getComputedStyle(document.body).backgroundColor")).toString(),
        QStringLiteral("rgb(%1, %2, %3)")
            .arg(QColor(light).red())
            .arg(QColor(light).green())
            .arg(QColor(light).blue()));
    QVERIFY(
        !js(web, QStringLiteral("document.documentElement.classList.contains('dark')")).toBool());

    QApplication::setPalette(darkPalette());
    QTRY_VERIFY_WITH_TIMEOUT(
        js(web, QStringLiteral("document.documentElement.classList.contains('dark')")).toBool(),
        kWait);
    QCOMPARE(web->backgroundColor(), darkPalette().color(QPalette::Window));
    QCOMPARE(js(web, QStringLiteral("getComputedStyle(document.body).backgroundColor")).toString(),
        QStringLiteral("rgb(43, 45, 48)"));
    // The charts were drawn again, with the same status colours.
    QCOMPARE(jsInt(web, QStringLiteral("document.querySelectorAll('#donut path.arc').length")), 6);
    QCOMPARE(js(web,
                 QStringLiteral("document.querySelector('#donut "
                                "path.arc[data-status=ACTIVE]').getAttribute('fill')"))
                 .toString(),
        statusColor(SimStatus::Active).name());
}

void TestDashboard::theWarmUpPageShouldStartTheRendererTheDashboardUses()
{
    // What the app does while the sign-in dialog is open (app/gui/main.cpp).
    sharedWebInterceptor()->clearRefused();
    const std::unique_ptr<QWebEnginePage> warmUp = startWebEngineEarly();
    QSignalSpy loaded(warmUp.get(), &QWebEnginePage::loadFinished);
    QVERIFY(loaded.wait(kWait));
    QCOMPARE(loaded.first().first().toBool(), true);
    QCOMPARE(warmUp->profile(), sharedWebProfile());
    // It compiled D3 and Qt's channel script (both from the resources) and shows nothing.
    QCOMPARE(
        js(warmUp.get(), QStringLiteral("typeof d3.select + '/' + typeof QWebChannel")).toString(),
        QStringLiteral("function/function"));
    QCOMPARE(js(warmUp.get(), QStringLiteral("document.body.childElementCount")).toInt(), 0);
    const qint64 renderer = warmUp->renderProcessPid();
    QVERIFY(renderer > 0);

    // The dashboard opened afterwards joins that renderer instead of starting one.
    const std::unique_ptr<DashboardPage> page = openFixturePage(m_fixture);
    QVERIFY(page);
    QCOMPARE(page->view()->page()->renderProcessPid(), renderer);
    QVERIFY(sharedWebInterceptor()->refused().isEmpty());
}

void TestDashboard::noRequestShouldLeaveForTheNetwork()
{
    const std::unique_ptr<DashboardPage> page = openFixturePage(m_fixture);
    QVERIFY(page);
    auto *web = qobject_cast<LocalOnlyPage *>(page->view()->page());
    QVERIFY(web);
    QSignalSpy navigationRefused(web, &LocalOnlyPage::navigationRefused);
    LocalOnlyInterceptor *interceptor = sharedWebInterceptor();

    // A script that tries everything a page could do to reach the network.
    js(web, QStringLiteral(R"(
        window.leak = { fetch: 'pending', img: 'pending', xhr: 'pending' };
        fetch('https://example.com/data.json').then(() => { window.leak.fetch = 'loaded'; },
                                                    () => { window.leak.fetch = 'failed'; });
        const img = document.createElement('img');
        img.onload = () => { window.leak.img = 'loaded'; };
        img.onerror = () => { window.leak.img = 'failed'; };
        img.src = 'http://example.com/pixel.png';
        document.body.appendChild(img);
        const xhr = new XMLHttpRequest();
        xhr.onload = () => { window.leak.xhr = 'loaded'; };
        xhr.onerror = () => { window.leak.xhr = 'failed'; };
        xhr.open('GET', 'http://203.0.113.7/x');
        xhr.send();
        true)"));
    QTRY_COMPARE_WITH_TIMEOUT(
        js(web, QStringLiteral("window.leak.fetch")).toString(), QStringLiteral("failed"), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(
        js(web, QStringLiteral("window.leak.img")).toString(), QStringLiteral("failed"), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(
        js(web, QStringLiteral("window.leak.xhr")).toString(), QStringLiteral("failed"), kWait);
    const QList<QUrl> refused = interceptor->refused();
    QVERIFY2(refused.contains(QUrl(QStringLiteral("https://example.com/data.json"))),
        qPrintable(QDebug::toString(refused)));
    QVERIFY(refused.contains(QUrl(QStringLiteral("http://example.com/pixel.png"))));
    QVERIFY(refused.contains(QUrl(QStringLiteral("http://203.0.113.7/x"))));

    // Navigation away from qrc: is refused, and the dashboard stays.
    js(web, QStringLiteral("window.location.href = 'http://example.com/'; true"));
    QTRY_COMPARE_WITH_TIMEOUT(navigationRefused.size(), 1, kWait);
    QCOMPARE(
        navigationRefused.first().first().toUrl(), QUrl(QStringLiteral("http://example.com/")));
    QTest::qWait(200);
    QCOMPARE(web->url(), QUrl(QStringLiteral("qrc:/dashboard/index.html")));
    QCOMPARE(jsInt(web, QStringLiteral("document.querySelectorAll('#donut path.arc').length")), 6);

    // Every request that was not refused was for the page's own resources.
    for (const QUrl &url : refused)
        QVERIFY2(!LocalOnlyInterceptor::isAllowed(url), qPrintable(url.toString()));
    QVERIFY(LocalOnlyInterceptor::isAllowed(QUrl(QStringLiteral("qrc:/dashboard/index.html"))));
    QVERIFY(LocalOnlyInterceptor::isAllowed(QUrl(QStringLiteral("data:image/png;base64,AAAA"))));
    QVERIFY(!LocalOnlyInterceptor::isAllowed(QUrl(QStringLiteral("file:///etc/passwd"))));
    QVERIFY(!LocalOnlyInterceptor::isAllowed(QUrl(QStringLiteral("ws://example.com/"))));
}

void TestDashboard::aClickOnASliceShouldOpenTheFilteredListInTheMainWindow()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    MainWindow &w = *window;
    DashboardPage *dashboard = w.dashboardPage();
    auto *pages = w.findChild<QStackedWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentWidget(), dashboard); // the first page after sign-in
    auto *nav = w.findChild<QListWidget *>(QStringLiteral("navigationList"));
    QCOMPARE(nav->item(0)->data(Qt::UserRole).toString(), QStringLiteral("dashboard"));
    QVERIFY(waitDrawn(dashboard));

    // The numbers are StatsService's, in the real database.
    const Result<QJsonObject> kpis = StatsService(m_tdb->connect()).kpis();
    QVERIFY(kpis.ok());
    QWebEnginePage *web = dashboard->view()->page();
    QCOMPARE(
        js(web,
            QStringLiteral("document.querySelector('.kpi[data-status=total] .value').textContent"))
            .toString(),
        QLocale().toString(kpis->value(QStringLiteral("total")).toInteger()));

    QVERIFY(js(web, clickScript(QStringLiteral("#donut path.arc[data-status=ACTIVE]"))).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(pages->currentWidget(), static_cast<QWidget *>(w.simsPage()), kWait);
    QCOMPARE(w.simsPage()->currentFilter().statuses, QList<SimStatus> { SimStatus::Active });
    QCOMPARE(nav->currentItem()->data(Qt::UserRole).toString(), QStringLiteral("sims"));
    QVERIFY(saveScreenshot(&w, QStringLiteral("dashboard-click-active")));
}

void TestDashboard::shouldRefreshByItselfWhenCardsChange()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    DashboardPage *dashboard = window->dashboardPage();
    QVERIFY(waitDrawn(dashboard));
    QSignalSpy loaded(dashboard, &DashboardPage::loaded);
    // A burst of notifications: one refresh, not five.
    for (int i = 0; i < 5; ++i)
        window->desk()->hub()->changedElsewhere(Topic::Cards, { { qint64(i + 1) }, false });
    QVERIFY(loaded.wait(kWait));
    QTest::qWait(1500);
    QCOMPARE(loaded.size(), 1);

    // A real change elsewhere: the new card shows in the total within seconds.
    const qint64 before = dashboard->data()
                              .value(QStringLiteral("kpis"))
                              .toObject()
                              .value(QStringLiteral("total"))
                              .toInteger();
    QCOMPARE(m_tdb->exec(
                 QStringLiteral("INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid')")
                     .arg(TestDatabase::iccid(990001))),
        QString());
    QTRY_COMPARE_WITH_TIMEOUT(dashboard->data()
                                  .value(QStringLiteral("kpis"))
                                  .toObject()
                                  .value(QStringLiteral("total"))
                                  .toInteger(),
        before + 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(
        js(dashboard->view()->page(),
            QStringLiteral("document.querySelector('.kpi[data-status=total] .value').textContent"))
            .toString(),
        QLocale().toString(before + 1), kWait);
}

void TestDashboard::shouldExportPdfAndPng()
{
    const std::unique_ptr<DashboardPage> page = openFixturePage(m_fixture);
    QVERIFY(page);
    const QString dir = qEnvironmentVariable("SIMDESK_TEST_OUTPUT", QDir::tempPath());
    QDir().mkpath(dir);
    QSignalSpy exported(page.get(), &DashboardPage::exported);

    const QString pdf = dir + QStringLiteral("/dashboard-export.pdf");
    QFile::remove(pdf);
    page->exportTo(pdf);
    QVERIFY(exported.wait(kWait));
    QCOMPARE(exported.last().at(1).toBool(), true);
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");
    QVERIFY(pdfFile.size() > 5000);
    // What a reader of the paper sees: every status named in full beside its count and share
    // (the legend once lost its percentages and cut its names on paper).
    QProcess pdftotext;
    pdftotext.start(
        QStringLiteral("pdftotext"), { QStringLiteral("-layout"), pdf, QStringLiteral("-") });
    QVERIFY2(pdftotext.waitForFinished(30000) && pdftotext.exitCode() == 0,
        "pdftotext (poppler-utils, installed by scripts/deps) could not read the export");
    const QString text = QString::fromUtf8(pdftotext.readAllStandardOutput());
    for (const char *name : { "Available", "Reserved", "Suspended", "Lost/stolen", "Terminated" }) {
        const QRegularExpression row(QStringLiteral("%1\\s+[\\d,]+\\s+[\\d.]+%")
                                         .arg(QRegularExpression::escape(QLatin1String(name))));
        QVERIFY2(text.contains(row),
            qPrintable(
                QStringLiteral("%1 is not whole on paper:\n%2").arg(QLatin1String(name), text)));
    }
    QVERIFY2(!text.contains(QChar(0x2026)), qPrintable(text)); // no name cut short with "…"

    const QString png = dir + QStringLiteral("/dashboard-export.png");
    QFile::remove(png);
    page->exportTo(png);
    QCOMPARE(exported.size(), 2);
    QCOMPARE(exported.last().at(1).toBool(), true);
    const QImage image(png);
    QCOMPARE(image.width(), page->view()->width());
    QVERIFY(image.height() > page->view()->height()); // the title above the charts
    // Not a blank picture: the page's colours are in it.
    QSet<QRgb> colours;
    for (int x = 0; x < image.width(); x += 7)
        colours.insert(image.pixel(x, image.height() / 2));
    QVERIFY(colours.size() > 3);
}

// An exported file says what it shows (title, period, time, server); it is written with the
// permissions every other export gets (QSaveFile: the umask's, not Chromium's private 0600);
// and the page says where it went.
void TestDashboard::exportsShouldSayWhatWhenWhereAndBeReadableByOthers()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    DashboardPage *dashboard = window->dashboardPage();
    QVERIFY(waitDrawn(dashboard));
    QWebEnginePage *web = dashboard->view()->page();
    const QString title
        = js(web, QStringLiteral("document.getElementById('report').textContent")).toString();
    QVERIFY2(title.startsWith(QStringLiteral("SimDesk dashboard")), qPrintable(title));
    QVERIFY2(title.contains(m_tdb->settings().database), qPrintable(title));
    QVERIFY2(title.contains(QLocale().toString(dashboard->range().from, QLocale::ShortFormat)),
        qPrintable(title));
    QVERIFY2(title.contains(QStringLiteral("by day")), qPrintable(title));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // What any other export's file gets here.
    QSaveFile reference(dir.filePath(QStringLiteral("reference.csv")));
    QVERIFY(reference.open(QIODevice::WriteOnly));
    reference.write("x\n");
    QVERIFY(reference.commit());
    const QFile::Permissions usual
        = QFile::permissions(dir.filePath(QStringLiteral("reference.csv")));

    QSignalSpy exported(dashboard, &DashboardPage::exported);
    const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
    dashboard->exportTo(pdf);
    QVERIFY(exported.wait(kWait));
    QVERIFY(exported.last().at(1).toBool());
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");
    QCOMPARE(QFile::permissions(pdf), usual);
    auto *status = dashboard->findChild<QLabel *>(QStringLiteral("exportStatusLabel"));
    QVERIFY(status);
    QVERIFY2(status->text().contains(QDir::toNativeSeparators(pdf)), qPrintable(status->text()));

    const QString png = dir.filePath(QStringLiteral("report.png"));
    dashboard->exportTo(png);
    QVERIFY(exported.last().at(1).toBool());
    QCOMPARE(QFile::permissions(png), usual);
    const QImage image(png);
    QVERIFY(image.height() > dashboard->view()->height());
    // The title band is not empty: text was drawn into it.
    QSet<QRgb> band;
    for (int y = 0; y < image.height() - dashboard->view()->height(); ++y)
        for (int x = 0; x < qMin(image.width(), 400); ++x)
            band.insert(image.pixel(x, y));
    QVERIFY(band.size() > 2);
    QVERIFY(status->text().contains(QDir::toNativeSeparators(png)));
    QVERIFY(saveScreenshot(window.get(), QStringLiteral("dashboard-exported")));
}

void TestDashboard::screenshotsLightAndDark()
{
    for (const bool dark : { false, true }) {
        QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
        const std::unique_ptr<MainWindow> window = openWindow();
        QVERIFY(window);
        DashboardPage *dashboard = window->dashboardPage();
        QVERIFY(waitDrawn(dashboard));
        QWebEnginePage *web = dashboard->view()->page();
        QCOMPARE(
            js(web, QStringLiteral("document.documentElement.classList.contains('dark')")).toBool(),
            dark);
        // The last 90 days by week: a fuller picture than 30 days.
        QVERIFY(clickAndWaitDrawn(dashboard, QStringLiteral("#range button[data-preset='90d']")));
        QCOMPARE(dashboard->range().granularity, StatsGranularity::Week);
        QTest::qWait(300); // the compositor's next frame
        const QString name
            = dark ? QStringLiteral("dashboard-dark") : QStringLiteral("dashboard-light");
        QVERIFY(saveScreenshot(window.get(), name));
    }
}

void TestDashboard::theSimDetailShouldShowTheCardsTimeline()
{
    // The demo card with the longest history.
    const qint64 simId
        = m_tdb
              ->scalar(QStringLiteral("SELECT sim_id FROM sim_events GROUP BY sim_id ORDER BY "
                                      "count(*) DESC, sim_id LIMIT 1"))
              .toLongLong();
    QVERIFY(simId > 0);
    const Result<QJsonObject> expected = StatsService(m_tdb->connect()).timeline(simId);
    QVERIFY(expected.ok());
    const int events = int(expected->value(QStringLiteral("events")).toArray().size());
    QVERIFY(events >= 2);

    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    MainWindow &w = *window;
    w.showCard(simId);
    SimDetailPage *detail = w.detailPage();
    TimelineView *timeline = detail->timeline();
    QVERIFY(timeline);
    QSignalSpy drawn(timeline, &TimelineView::drawn);
    QTRY_VERIFY_WITH_TIMEOUT(
        drawn.size() > 0 && timeline->data().value(QStringLiteral("simId")).toInteger() == simId,
        kWait);
    QVERIFY(timeline->isVisible());
    QCOMPARE(timeline->page()->profile(), sharedWebProfile()); // one profile for all views
    // …and one renderer process (--process-per-site): the timeline costs no second one.
    QVERIFY(timeline->page()->renderProcessPid() > 0);
    QCOMPARE(timeline->page()->renderProcessPid(),
        w.dashboardPage()->view()->page()->renderProcessPid());
    QCOMPARE(timeline->page()->url(), QUrl(QStringLiteral("qrc:/dashboard/timeline.html")));
    QCOMPARE(jsInt(timeline->page(),
                 QStringLiteral("document.querySelectorAll('circle.marker').length")),
        events);
    QCOMPARE(
        jsInt(timeline->page(), QStringLiteral("document.querySelectorAll('rect.segment').length")),
        events);
    // The last segment is the card's status now.
    QCOMPARE(
        js(timeline->page(),
            QStringLiteral("[...document.querySelectorAll('rect.segment')].pop().dataset.status"))
            .toString(),
        expected->value(QStringLiteral("status")).toString());
    QTest::qWait(300);
    QVERIFY(saveScreenshot(&w, QStringLiteral("sim-timeline")));

    // The same page on fixture JSON: one segment per status change.
    TimelineView fixed;
    fixed.resize(900, 96);
    fixed.show();
    QSignalSpy fixedDrawn(&fixed, &TimelineView::drawn);
    fixed.showTimeline(fixture(QStringLiteral("timeline.json")));
    QTRY_VERIFY_WITH_TIMEOUT(!fixedDrawn.isEmpty()
            && fixedDrawn.last().first().toJsonObject().value(QStringLiteral("markers")).toInt()
                == 5,
        kWait);
    QCOMPARE(
        jsInt(fixed.page(),
            QStringLiteral("document.querySelectorAll('rect.segment[data-status=ACTIVE]').length")),
        2);

    // A change made just now puts its marker at the end of the band: "now" stays readable
    // beside it, not under it, and inside the view.
    QJsonObject recent = fixture(QStringLiteral("timeline.json"));
    QJsonArray recentEvents = recent.value(QStringLiteral("events")).toArray();
    QJsonObject last = recentEvents.last().toObject();
    last.insert(QStringLiteral("at"),
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")));
    recentEvents.replace(recentEvents.size() - 1, last);
    recent.insert(QStringLiteral("events"), recentEvents);
    fixedDrawn.clear();
    fixed.showTimeline(recent);
    QTRY_VERIFY_WITH_TIMEOUT(!fixedDrawn.isEmpty(), kWait);
    const QString clear = js(fixed.page(), QStringLiteral(R"(
        (() => {
          const now = document.querySelector('text.now-label').getBBox();
          const svg = document.querySelector('#timeline svg');
          const overlaps = [...document.querySelectorAll('circle.marker')].filter((m) => {
            const b = m.getBBox();
            return b.x + b.width + 1 > now.x && b.x < now.x + now.width;
          }).length;
          return `${overlaps} ${now.x + now.width <= +svg.getAttribute('width')}`;
        })())"))
                              .toString();
    QCOMPARE(clear, QStringLiteral("0 true"));
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
