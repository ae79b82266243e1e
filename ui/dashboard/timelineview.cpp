// SPDX-License-Identifier: MIT
#include "dashboard/timelineview.h"

#include "common/backgroundtask.h"
#include "dashboard/dashboardbridge.h"
#include "dashboard/dashboardtheme.h"
#include "dashboard/webprofile.h"

#include <QEvent>
#include <QWebChannel>

namespace simdesk {

TimelineView::TimelineView(const ConnectionSettings &settings, QWidget *parent)
    : TimelineView(databaseTimelineSource(settings), parent)
{ }

TimelineView::TimelineView(TimelineSource source, QWidget *parent)
    : QWebEngineView(parent)
    , m_source(std::move(source))
{
    m_page = new LocalOnlyPage(this);
    installBootScript(m_page, palette());
    m_bridge = new DashboardBridge(this);
    m_channel = new QWebChannel(this);
    m_channel->registerObject(QStringLiteral("simdesk"), m_bridge);
    m_page->setWebChannel(m_channel);
    setPage(m_page);
    setContextMenuPolicy(Qt::NoContextMenu);
    setMinimumHeight(84);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(m_page, &QWebEnginePage::loadStarted, m_bridge, &DashboardBridge::reset);
    connect(m_bridge, &DashboardBridge::ready, this, [this] {
        if (!m_data.isEmpty())
            m_bridge->sendData(m_data);
    });
    connect(m_bridge, &DashboardBridge::drawn, this, &TimelineView::drawn);
    // CSV files dropped here go to the window (DESIGN.md §6), not to the page.
    setAcceptDrops(false);
    // The page loads with the first card: a detail page never opened costs no renderer.
}

TimelineView::~TimelineView()
{
    setPage(nullptr);
}

void TimelineView::showCard(qint64 simId)
{
    if (m_page->url().isEmpty())
        m_page->load(QUrl(QStringLiteral("qrc:/dashboard/timeline.html")));
    const quint64 generation = ++m_generation;
    whenReady(this, m_source(simId), [this, generation](const Result<QJsonObject> &result) {
        if (generation != m_generation)
            return; // another card was asked for since
        if (result) {
            m_data = *result;
            m_bridge->sendData(m_data);
        } else {
            m_bridge->sendState(QStringLiteral("error"), result.error().message());
        }
        emit loaded(result.ok());
    });
}

void TimelineView::changeEvent(QEvent *event)
{
    QWebEngineView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::LocaleChange) {
        installBootScript(m_page, palette());
        m_bridge->sendTheme(dashboardtheme::theme(palette()), dashboardtheme::locale(QLocale()),
            dashboardtheme::strings());
    }
}

} // namespace simdesk
