// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMutex>
#include <QUrl>
#include <QWebEnginePage>
#include <QWebEngineUrlRequestInterceptor>
#include <memory>

class QPalette;
class QWebEngineProfile;

namespace simdesk {

// Refuses every request whose scheme is not qrc:, data: or blob: — the dashboard's pages load
// everything from the Qt resources, and SimDesk never touches the network except for its
// database (README). Refused URLs are kept (tests prove that nothing left).
class LocalOnlyInterceptor : public QWebEngineUrlRequestInterceptor
{
    Q_OBJECT

public:
    using QWebEngineUrlRequestInterceptor::QWebEngineUrlRequestInterceptor;

    void interceptRequest(QWebEngineUrlRequestInfo &info) override;

    static bool isAllowed(const QUrl &url);

    // Every request refused so far, oldest first.
    QList<QUrl> refused() const;
    void clearRefused();

signals:
    void requestRefused(const QUrl &url);

private:
    mutable QMutex m_mutex; // interceptRequest may run on Chromium's IO thread
    QList<QUrl> m_refused;
};

// A page that navigates only within qrc: (links, scripts setting location, form posts…); new
// windows are never created (createWindow() returns none).
class LocalOnlyPage : public QWebEnginePage
{
    Q_OBJECT

public:
    explicit LocalOnlyPage(QObject *parent = nullptr);

signals:
    void navigationRefused(const QUrl &url);

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame) override;
    void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString &message,
        int lineNumber, const QString &sourceID) override;
};

// Call before the QApplication exists. WebEngine shares OpenGL contexts with the widgets
// (Qt::AA_ShareOpenGLContexts), and every SimDesk web view — all of them on qrc: — runs in one
// renderer process (Chromium's --process-per-site, added to QTWEBENGINE_CHROMIUM_FLAGS): the SIM
// timeline costs no second renderer, and a view created while another is open loads in a
// fraction of the time (docs/performance.md, "Dashboard page").
void prepareWebEngineProcess();

// The one profile every SimDesk web view shares (the dashboard and the SIM timeline): one
// renderer and cache instead of one each, to keep memory down. Off the record (nothing
// written to disk), memory cache only, with the LocalOnlyInterceptor. Created on first use,
// owned by the application.
QWebEngineProfile *sharedWebProfile();
LocalOnlyInterceptor *sharedWebInterceptor();

// Starts WebEngine's renderer process ahead of the first SimDesk web view — call it when the
// QApplication exists and the user is busy (the sign-in dialog): a hidden page on the shared
// profile loads qrc:/dashboard/warmup.html, which compiles D3 and qwebchannel.js. With every view
// in one renderer (prepareWebEngineProcess()), the dashboard after sign-in then loads warm
// (140 ms instead of about 1 s; docs/performance.md). Keep the page while views may be created:
// with no page left the renderer process ends.
std::unique_ptr<QWebEnginePage> startWebEngineEarly();

// Puts the theme, locale and strings of the application into every (re)load of `page` before
// its own scripts run (dashboardtheme::bootScript), and its background colour: the first paint
// already has the application's colours (no white flash).
void installBootScript(QWebEnginePage *page, const QPalette &palette);

} // namespace simdesk
