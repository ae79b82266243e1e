// SPDX-License-Identifier: MIT
#include "dashboard/timelineview.h"

#include "dashboard/dashboardbridge.h"
#include "dashboard/dashboardtheme.h"
#include "dashboard/webprofile.h"

#include <QEvent>
#include <QWebChannel>

namespace simdesk {

TimelineView::TimelineView(QWidget *parent)
    : QWebEngineView(parent)
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
    // CSV files dropped here go to the window, not to the page.
    setAcceptDrops(false);
    // The page loads with the first card: a detail page never opened costs no renderer.
}

TimelineView::~TimelineView()
{
    setPage(nullptr);
}

void TimelineView::showTimeline(const QJsonObject &data)
{
    if (m_page->url().isEmpty())
        m_page->load(QUrl(QStringLiteral("qrc:/dashboard/timeline.html")));
    m_data = data;
    m_bridge->sendData(m_data); // queued by the bridge until the page is ready
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
