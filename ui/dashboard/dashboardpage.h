// SPDX-License-Identifier: MIT
#pragma once

#include "dashboard/dashboardloader.h"
#include "services/simlistquery.h"
#include "ui_dashboardpage.h"

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QWebChannel;

namespace simdesk {

class DashboardBridge;
class Desk;
class LocalOnlyPage;

// The dashboard: qrc:/dashboard/index.html in a QWebEngineView on the
// shared profile (sharedWebProfile(): only qrc:, data: and blob: load; navigation stays in
// qrc:), D3 charts fed with StatsService's JSON through one DashboardBridge on a QWebChannel.
//
// The numbers load off the GUI thread (DashboardSource) when the page is ready, when the range
// switches change, on refresh(), and when cards changed (cardsChanged(): coalesced, at most one
// refresh a second; the refresh hub asks a hidden page only when it is shown again). A
// click on a chart element becomes a SimListFilter (simsRequested). The colours follow the
// application palette and the numbers the default QLocale.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    // Reads the window's database and reloads when cards change.
    explicit DashboardPage(Desk *desk, QWidget *parent = nullptr);
    // With another source of JSON (tests, the benchmark).
    explicit DashboardPage(DashboardSource source, QWidget *parent = nullptr);
    ~DashboardPage() override;

    QWebEngineView *view() const { return m_ui.webView; }
    LocalOnlyPage *page() const { return m_page; }
    DashboardBridge *bridge() const { return m_bridge; }
    // The range the last request asked for.
    StatsRange range() const { return m_range; }
    // The payload last shown (empty until the first load has finished).
    const QJsonObject &data() const { return m_data; }
    // How often the page has drawn its charts so far, and what it drew last (see drawn()).
    int drawCount() const { return m_drawCount; }
    const QJsonObject &lastDrawn() const { return m_lastDrawn; }

    // Saves the dashboard as it is shown, headed by a title with the period, the time of the
    // numbers and the server: PDF (QWebEnginePage::printToPdf; finishes later, see exported())
    // or PNG (at once). The format follows the suffix.
    void exportTo(const QString &fileName);

public slots:
    // Reads the numbers again now (when the page is ready; otherwise it loads when it is).
    void refresh();
    // Cards changed (here or elsewhere): refresh within a second, at most once a second.
    void cardsChanged();

signals:
    // The user clicked into a number: the SIM list of these cards.
    void simsRequested(const SimListFilter &filter);
    // A load ended (tests wait for it); the page draws after this.
    void loaded(bool ok);
    // The page drew the charts of a payload: what it holds (arcs, bars, points, …).
    void drawn(const QJsonObject &summary);
    // An export ended.
    void exported(const QString &fileName, bool ok);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setUp();
    void applyTheme();
    // The range the page asked for (a preset, or "custom" with ISO dates); a custom range the
    // statistics cannot cover is refused on the page.
    void chooseRange(
        const QString &preset, const QString &from, const QString &to, const QString &granularity);
    void connectDrillDowns();
    void load();
    void showResult(const Result<QJsonObject> &result);
    void chooseExportFile();
    // "SimDesk dashboard · <period> · as of <time> · <server>": on exported files.
    QString reportTitle(const QDateTime &asOf) const;
    QByteArray titledImage(const QString &title) const;
    static bool saveFile(const QString &fileName, const QByteArray &content);
    QDateTime startOfDay(const QString &date) const;

    Ui::DashboardPage m_ui;
    DashboardSource m_source;
    LocalOnlyPage *m_page = nullptr;
    QWebChannel *m_channel = nullptr;
    DashboardBridge *m_bridge = nullptr;
    StatsRange m_range;
    QString m_preset = QStringLiteral("30d");
    QString m_server; // host:port/database, on exported files
    QJsonObject m_data;
    QTimer m_coalesce;
    bool m_loading = false;
    bool m_again = false; // another load was asked for while one ran
    qint64 m_lastLoadMs = 0;
    int m_drawCount = 0;
    QJsonObject m_lastDrawn;
};

} // namespace simdesk

Q_DECLARE_METATYPE(simdesk::SimListFilter)
