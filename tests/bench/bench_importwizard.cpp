// SPDX-License-Identifier: MIT
// The import wizard (ui/imports/importwizard.h) checking a big CSV file (default 1,000,000 rows)
// through its background path, exactly as an admin runs it: ImportRunner on a pool thread with
// its own connection, progress polled by the GUI thread, every row kept for the preview. While
// it runs, a 5 ms timer on the GUI thread measures the gaps between its ticks: the longest gap
// is the longest time the window could not react (target < 50 ms). Then the preview is
// scrolled: random jumps of the scroll bar, each painted at once (repaint), and the "only
// problems" filter toggled.
// Prints a table, writes JSON with --json FILE. Asserts nothing about time; it fails only when
// the database cannot be set up or the check never ends.
//
//   bench_importwizard --rows 1000000
#include "common/desk.h"
#include "db/migrator.h"
#include "imports/importwizard.h"
#include "testdatabase.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace simdesk;

namespace {

// CPU time the calling thread has used, in ns: tells a gap the GUI thread spent working (our
// code) from one it spent waiting for a core (the machine's load).
qint64 threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// kB of a line of /proc/self/status ("VmRSS", "VmHWM").
qint64 procStatusKb(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(qsizetype(qstrlen(key)) + 1).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Gaps between the ticks of a 5 ms timer on the GUI thread.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 cpu = threadCpuNs();
            if (m_last >= 0) {
                m_gaps.push_back(double(now - m_last) / 1e6);
                m_at.push_back(double(m_last) / 1e6);
                m_cpu.push_back(double(cpu - m_lastCpu) / 1e6);
            }
            m_last = now;
            m_lastCpu = cpu;
        });
    }
    void start()
    {
        m_gaps.clear();
        m_at.clear();
        m_cpu.clear();
        m_last = -1;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double max() const
    {
        return m_gaps.empty() ? 0 : *std::max_element(m_gaps.begin(), m_gaps.end());
    }
    double percentile(double p) const
    {
        if (m_gaps.empty())
            return 0;
        std::vector<double> s = m_gaps;
        std::sort(s.begin(), s.end());
        return s[size_t(std::min<double>(double(s.size() - 1), p * double(s.size())))];
    }
    size_t ticks() const { return m_gaps.size(); }
    // The longest gaps, longest first: (gap ms, ms after the start where it began, GUI-thread
    // CPU ms within it).
    std::vector<std::tuple<double, double, double>> longest(size_t n) const
    {
        std::vector<std::tuple<double, double, double>> all;
        for (size_t i = 0; i < m_gaps.size(); ++i)
            all.emplace_back(m_gaps[i], m_at[i], m_cpu[i]);
        std::sort(all.begin(), all.end(),
            [](const auto &a, const auto &b) { return std::get<0>(a) > std::get<0>(b); });
        all.resize(std::min(n, all.size()));
        return all;
    }
    // The most CPU the GUI thread used between two ticks: how long our code kept it busy.
    double maxBusy() const
    {
        return m_cpu.empty() ? 0 : *std::max_element(m_cpu.begin(), m_cpu.end());
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    std::vector<double> m_gaps;
    std::vector<double> m_at;
    std::vector<double> m_cpu;
    qint64 m_lastCpu = 0;
};

QString luhnComplete(const QString &body)
{
    int sum = 0;
    bool dbl = true;
    for (qsizetype i = body.size() - 1; i >= 0; --i) {
        int d = body.at(i).digitValue();
        if (dbl) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    return body + QString::number((10 - sum % 10) % 10);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption rowsOption(QStringLiteral("rows"), QStringLiteral("rows of the file"),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption scrollsOption(QStringLiteral("scrolls"),
        QStringLiteral("scroll-bar jumps in the preview"), QStringLiteral("N"),
        QStringLiteral("200"));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("write results here"), QStringLiteral("FILE"));
    parser.addOptions({ rowsOption, scrollsOption, jsonOption });
    parser.process(app);
    const qint64 rows = parser.value(rowsOption).toLongLong();
    const int scrolls = parser.value(scrollsOption).toInt();

    TestDatabase tdb(QStringLiteral("benchimportwizard"));
    if (!tdb.isValid()) {
        std::fprintf(stderr, "no database: %s\n", qPrintable(tdb.error()));
        return 1;
    }
    if (!Migrator(tdb.connect()).migrate()) {
        std::fprintf(stderr, "migration failed\n");
        return 1;
    }
    ConnectionSettings settings = tdb.settings();
    settings.user = tdb.createLogin(QStringLiteral("admin"), QStringLiteral("admin"));

    // The file: valid rows, one in 1,000 with a wrong check digit, one in 5,000 repeating an
    // earlier ICCID — problems to highlight and count, as in a real delivery.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.csv"));
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        QByteArray chunk("iccid,msisdn,type\n");
        for (qint64 n = 0; n < rows; ++n) {
            QString iccid
                = luhnComplete(QStringLiteral("894999%1").arg(n, 12, 10, QLatin1Char('0')));
            if (n % 1000 == 999)
                iccid.back() = QChar(u'0' + char16_t((iccid.back().digitValue() + 1) % 10));
            if (n % 5000 == 2500)
                iccid
                    = luhnComplete(QStringLiteral("894999%1").arg(n - 1, 12, 10, QLatin1Char('0')));
            chunk += iccid.toLatin1() + ",+49151" + QByteArray::number(10000000 + n) + ",prepaid\n";
            if (chunk.size() > (1 << 20)) {
                f.write(chunk);
                chunk.clear();
            }
        }
        f.write(chunk);
    }
    const qint64 fileBytes = QFileInfo(path).size();

    SessionInfo admin;
    admin.login = settings.user;
    admin.role = StaffRole::Admin;
    Desk desk(settings, admin);
    ImportWizard wizard(&desk, path);
    wizard.resize(1100, 680); // the size the app opens it at on a 1366×768 screen
    wizard.show();
    QSignalSpy inspected(&wizard, &ImportWizard::fileInspected);
    if (!inspected.wait(60000))
        return 1;
    wizard.next(); // columns
    const qint64 rssBeforeKb = procStatusKb("VmRSS");

    StallMeter meter;
    QSignalSpy validated(&wizard, &ImportWizard::validated);
    QElapsedTimer clock;
    meter.start();
    clock.start();
    wizard.next(); // the check starts
    if (!validated.wait(30 * 60 * 1000))
        return 1;
    // The rows reach the view in chunks: the check ends when all of them are there.
    ImportPreviewModel *model = wizard.previewModel();
    while (!model->isComplete())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    // The preview's first paint belongs to the check too.
    auto *view = wizard.findChild<QTableView *>(QStringLiteral("previewView"));
    view->viewport()->repaint();
    const double checkMs = double(clock.nsecsElapsed()) / 1e6;
    QTimer::singleShot(50, &app, [] {}); // one more tick after the end
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 60)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    meter.stop();
    const qint64 rssAfterKb = procStatusKb("VmRSS");

    // Scrolling the preview: random positions of the scroll bar, each painted at once.
    QScrollBar *bar = view->verticalScrollBar();
    std::vector<double> scrollMs;
    for (int i = 0; i < scrolls; ++i) {
        const int to = int(QRandomGenerator::global()->bounded(bar->maximum() + 1));
        QElapsedTimer t;
        t.start();
        bar->setValue(to);
        view->viewport()->repaint();
        scrollMs.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(scrollMs.begin(), scrollMs.end());
    auto *only = wizard.findChild<QCheckBox *>(QStringLiteral("onlyProblemsCheck"));
    QElapsedTimer ft;
    ft.start();
    only->setChecked(true);
    view->viewport()->repaint();
    const double filterMs = double(ft.nsecsElapsed()) / 1e6;
    const int problemRows = wizard.previewModel()->rowCount();
    ft.restart();
    only->setChecked(false);
    view->viewport()->repaint();
    const double unfilterMs = double(ft.nsecsElapsed()) / 1e6;

    const ImportSummary &s = wizard.lastReport().summary;
    const QLocale c(QLocale::English);
    auto row = [](const QString &what, const QString &value, const char *target) {
        std::printf("%-62s %14s %8s\n", qPrintable(what), qPrintable(value), target);
    };
    std::printf("Import wizard: check of %s rows (%s MB) through the background path\n",
        qPrintable(c.toString(rows)), qPrintable(c.toString(fileBytes / 1048576.0, 'f', 1)));
    std::printf("%-62s %14s %8s\n", "", "value", "target");
    row(QStringLiteral("rows checked / can be imported / with problems"),
        QStringLiteral("%1/%2/%3").arg(s.rows).arg(s.valid).arg(s.problemCount()), "");
    row(QStringLiteral("check, start to every row in the preview, painted (s)"),
        c.toString(checkMs / 1000, 'f', 2), "");
    row(QStringLiteral("GUI thread: longest stall during the check (ms)"),
        c.toString(meter.max(), 'f', 1), "< 50");
    row(QStringLiteral("GUI thread: 99th percentile gap of the 5 ms timer (ms)"),
        c.toString(meter.percentile(0.99), 'f', 1), "");
    row(QStringLiteral("GUI thread: timer ticks during the check"),
        c.toString(qint64(meter.ticks())), "");
    row(QStringLiteral("GUI thread: most CPU used between two ticks (ms)"),
        c.toString(meter.maxBusy(), 'f', 1), "< 50");
    for (const auto &[gap, at, cpu] : meter.longest(3))
        row(QStringLiteral("  a long gap: %1 ms at %2 s, of which GUI-thread CPU %3 ms")
                .arg(gap, 0, 'f', 1)
                .arg(at / 1000, 0, 'f', 2)
                .arg(cpu, 0, 'f', 1),
            QString(), "");
    row(QStringLiteral("VmRSS before the check (MB)"), c.toString(rssBeforeKb / 1024.0, 'f', 1),
        "");
    row(QStringLiteral("VmRSS with the preview of every row (MB)"),
        c.toString(rssAfterKb / 1024.0, 'f', 1), "");
    row(QStringLiteral("preview: scroll-bar jump + paint, p50 (ms)"),
        c.toString(scrollMs[scrollMs.size() / 2], 'f', 2), "");
    row(QStringLiteral("preview: scroll-bar jump + paint, p95 (ms)"),
        c.toString(scrollMs[size_t(double(scrollMs.size()) * 0.95)], 'f', 2), "");
    row(QStringLiteral("preview: scroll-bar jump + paint, max (ms)"),
        c.toString(scrollMs.back(), 'f', 2), "");
    row(QStringLiteral("preview: \"only problems\" on (%1 rows) + paint (ms)").arg(problemRows),
        c.toString(filterMs, 'f', 2), "");
    row(QStringLiteral("preview: \"only problems\" off + paint (ms)"),
        c.toString(unfilterMs, 'f', 2), "");

    if (parser.isSet(jsonOption)) {
        const QJsonObject json { { QStringLiteral("benchmark"), QStringLiteral("importwizard") },
            { QStringLiteral("rows"), rows }, { QStringLiteral("file_bytes"), fileBytes },
            { QStringLiteral("check_ms"), checkMs },
            { QStringLiteral("max_stall_ms"), meter.max() },
            { QStringLiteral("p99_gap_ms"), meter.percentile(0.99) },
            { QStringLiteral("max_busy_ms"), meter.maxBusy() },
            { QStringLiteral("rss_before_kb"), rssBeforeKb },
            { QStringLiteral("rss_after_kb"), rssAfterKb },
            { QStringLiteral("scroll_p50_ms"), scrollMs[scrollMs.size() / 2] },
            { QStringLiteral("scroll_p95_ms"), scrollMs[size_t(double(scrollMs.size()) * 0.95)] },
            { QStringLiteral("scroll_max_ms"), scrollMs.back() },
            { QStringLiteral("only_problems_ms"), filterMs },
            { QStringLiteral("problem_rows"), problemRows } };
        QFile out(parser.value(jsonOption));
        if (out.open(QIODevice::WriteOnly))
            out.write(QJsonDocument(json).toJson());
    }
    return 0;
}
