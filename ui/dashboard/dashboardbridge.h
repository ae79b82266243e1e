// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QObject>

#include <functional>

namespace simdesk {

// The one object a web page of SimDesk sees on its QWebChannel (as `simdesk`). The page calls
// pageReady() once it has connected to the signals; until then nothing is sent (a signal
// emitted before would be lost), so every push waits in a queue and goes out in order right
// after. A reload of the page (loadStarted) makes it "not ready" again.
//
// Page → C++: pageReady, the range switches, clicks on chart elements, and chartsDrawn (what
// was drawn, for tests and the benchmark). C++ → page: the signals.
class DashboardBridge : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    bool isReady() const { return m_ready; }
    // The page is loading again: queue until it says it is ready.
    void reset() { m_ready = false; }

    // Pushes now when the page is ready, otherwise once it is.
    void sendData(const QJsonObject &data);
    void sendTheme(const QJsonObject &theme, const QJsonObject &locale, const QJsonObject &strings);
    // state: "loading", "ready" or "error" (with a message saying what to do).
    void sendState(const QString &state, const QString &message = {});

    // From the page.
    Q_INVOKABLE void pageReady();
    // preset: "30d", "90d", "12m" or "custom" (then from/to, yyyy-MM-dd); granularity: day,
    // week or month.
    Q_INVOKABLE void requestRange(
        const QString &preset, const QString &from, const QString &to, const QString &granularity);
    Q_INVOKABLE void openStatus(const QString &status); // "" (or "total"): every card
    Q_INVOKABLE void openTariff(double tariffPlanId);
    Q_INVOKABLE void openNoTariff();
    Q_INVOKABLE void openActivations(const QString &start, const QString &end);
    Q_INVOKABLE void chartsDrawn(const QJsonObject &summary);

signals:
    // To the page.
    void dataChanged(const QJsonObject &data);
    void themeChanged(
        const QJsonObject &theme, const QJsonObject &locale, const QJsonObject &strings);
    void stateChanged(const QString &state, const QString &message);

    // To C++.
    void ready();
    void rangeRequested(
        const QString &preset, const QString &from, const QString &to, const QString &granularity);
    void statusClicked(const QString &status);
    void tariffClicked(qint64 tariffPlanId);
    void noTariffClicked();
    void activationsClicked(const QString &start, const QString &end);
    void drawn(const QJsonObject &summary);

private:
    void whenReady(std::function<void()> push);

    bool m_ready = false;
    QList<std::function<void()>> m_queue;
};

} // namespace simdesk
