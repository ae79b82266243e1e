// SPDX-License-Identifier: MIT
#pragma once

#include "dashboard/dashboardloader.h"

#include <QJsonObject>
#include <QWebEngineView>

class QWebChannel;

namespace simdesk {

class DashboardBridge;
class LocalOnlyPage;

// The small status timeline of one SIM card on its detail page (DESIGN.md §6):
// qrc:/dashboard/timeline.html on the same shared profile as the dashboard, fed with
// StatsService::timeline(simId) loaded off the GUI thread.
class TimelineView : public QWebEngineView
{
    Q_OBJECT

public:
    explicit TimelineView(const ConnectionSettings &settings, QWidget *parent = nullptr);
    explicit TimelineView(TimelineSource source, QWidget *parent = nullptr);
    ~TimelineView() override;

    DashboardBridge *bridge() const { return m_bridge; }
    const QJsonObject &data() const { return m_data; }

public slots:
    // Loads and shows the timeline of this card (again, after a change).
    void showCard(qint64 simId);

signals:
    void loaded(bool ok);
    void drawn(const QJsonObject &summary);

protected:
    void changeEvent(QEvent *event) override;
    QSize sizeHint() const override { return { 600, 96 }; }

private:
    TimelineSource m_source;
    LocalOnlyPage *m_page = nullptr;
    QWebChannel *m_channel = nullptr;
    DashboardBridge *m_bridge = nullptr;
    QJsonObject m_data;
    quint64 m_generation = 0;
};

} // namespace simdesk
