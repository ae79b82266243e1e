// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QWebEngineView>

class QWebChannel;

namespace simdesk {

class DashboardBridge;
class LocalOnlyPage;

// The small status timeline of one SIM card on its detail page: qrc:/dashboard/timeline.html on
// the same shared profile as the dashboard, drawn from the history the page has read already
// (StatsService::timelineOf()). Placed in Designer forms as a promoted widget.
class TimelineView : public QWebEngineView
{
    Q_OBJECT

public:
    explicit TimelineView(QWidget *parent = nullptr);
    ~TimelineView() override;

    DashboardBridge *bridge() const { return m_bridge; }
    const QJsonObject &data() const { return m_data; }

public slots:
    // Shows a timeline (StatsService's JSON of one card).
    void showTimeline(const QJsonObject &data);

signals:
    void drawn(const QJsonObject &summary);

protected:
    void changeEvent(QEvent *event) override;
    QSize sizeHint() const override { return { 600, 96 }; }

private:
    LocalOnlyPage *m_page = nullptr;
    QWebChannel *m_channel = nullptr;
    DashboardBridge *m_bridge = nullptr;
    QJsonObject m_data;
};

} // namespace simdesk
