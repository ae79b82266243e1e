// SPDX-License-Identifier: MIT
#include "dashboard/dashboardbridge.h"

namespace simdesk {

void DashboardBridge::whenReady(std::function<void()> push)
{
    if (m_ready)
        push();
    else
        m_queue.append(std::move(push));
}

void DashboardBridge::sendData(const QJsonObject &data)
{
    whenReady([this, data] { emit dataChanged(data); });
}

void DashboardBridge::sendTheme(
    const QJsonObject &theme, const QJsonObject &locale, const QJsonObject &strings)
{
    whenReady([this, theme, locale, strings] { emit themeChanged(theme, locale, strings); });
}

void DashboardBridge::sendState(const QString &state, const QString &message)
{
    whenReady([this, state, message] { emit stateChanged(state, message); });
}

void DashboardBridge::pageReady()
{
    m_ready = true;
    const QList<std::function<void()>> queue = std::exchange(m_queue, {});
    for (const auto &push : queue)
        push();
    emit ready();
}

void DashboardBridge::requestRange(
    const QString &preset, const QString &from, const QString &to, const QString &granularity)
{
    emit rangeRequested(preset, from, to, granularity);
}

void DashboardBridge::openStatus(const QString &status)
{
    emit statusClicked(status);
}

void DashboardBridge::openTariff(double tariffPlanId)
{
    emit tariffClicked(qint64(tariffPlanId));
}

void DashboardBridge::openNoTariff()
{
    emit noTariffClicked();
}

void DashboardBridge::openActivations(const QString &start, const QString &end)
{
    emit activationsClicked(start, end);
}

void DashboardBridge::chartsDrawn(const QJsonObject &summary)
{
    emit drawn(summary);
}

} // namespace simdesk
