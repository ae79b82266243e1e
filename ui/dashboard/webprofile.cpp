// SPDX-License-Identifier: MIT
#include "dashboard/webprofile.h"

#include "dashboard/dashboardtheme.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QPointer>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>
#include <QWebEngineUrlRequestInfo>

namespace simdesk {

Q_LOGGING_CATEGORY(lcWeb, "simdesk.web")

void LocalOnlyInterceptor::interceptRequest(QWebEngineUrlRequestInfo &info)
{
    const QUrl url = info.requestUrl();
    if (isAllowed(url))
        return;
    info.block(true);
    {
        const QMutexLocker lock(&m_mutex);
        m_refused.append(url);
    }
    qCWarning(lcWeb) << "refused a request for" << url.toDisplayString();
    emit requestRefused(url);
}

bool LocalOnlyInterceptor::isAllowed(const QUrl &url)
{
    const QString scheme = url.scheme();
    return scheme == QLatin1String("qrc") || scheme == QLatin1String("data")
        || scheme == QLatin1String("blob");
}

QList<QUrl> LocalOnlyInterceptor::refused() const
{
    const QMutexLocker lock(&m_mutex);
    return m_refused;
}

void LocalOnlyInterceptor::clearRefused()
{
    const QMutexLocker lock(&m_mutex);
    m_refused.clear();
}

LocalOnlyPage::LocalOnlyPage(QObject *parent)
    : QWebEnginePage(sharedWebProfile(), parent)
{ }

bool LocalOnlyPage::acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame)
{
    Q_UNUSED(type)
    // Subframes get the same rule: an iframe could otherwise show a remote page.
    if (url.scheme() == QLatin1String("qrc")
        || (!isMainFrame && url.scheme() == QLatin1String("about")))
        return true;
    qCWarning(lcWeb) << "refused navigation to" << url.toDisplayString();
    emit navigationRefused(url);
    return false;
}

void LocalOnlyPage::javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level,
    const QString &message, int lineNumber, const QString &sourceID)
{
    // A script error in our own page is a bug worth seeing in the log.
    if (level == ErrorMessageLevel)
        qCWarning(lcWeb).noquote() << sourceID << lineNumber << message;
    else
        qCDebug(lcWeb).noquote() << sourceID << lineNumber << message;
}

namespace {
struct SharedProfile
{
    QPointer<QWebEngineProfile> profile;
    LocalOnlyInterceptor *interceptor = nullptr;
};

SharedProfile &shared()
{
    static SharedProfile s;
    if (!s.profile) {
        // No storage name: off the record, nothing on disk.
        s.profile = new QWebEngineProfile(QCoreApplication::instance());
        s.profile->setHttpCacheType(QWebEngineProfile::MemoryHttpCache);
        s.profile->setPersistentCookiesPolicy(QWebEngineProfile::NoPersistentCookies);
        s.profile->setSpellCheckEnabled(false);
        s.interceptor = new LocalOnlyInterceptor(s.profile);
        s.profile->setUrlRequestInterceptor(s.interceptor);
    }
    return s;
}
} // namespace

void prepareWebEngineProcess()
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QByteArray flags = qgetenv("QTWEBENGINE_CHROMIUM_FLAGS");
    if (!flags.contains("--process-per-site")) {
        flags += flags.isEmpty() ? "--process-per-site" : " --process-per-site";
        qputenv("QTWEBENGINE_CHROMIUM_FLAGS", flags);
    }
}

QWebEngineProfile *sharedWebProfile()
{
    return shared().profile;
}

LocalOnlyInterceptor *sharedWebInterceptor()
{
    return shared().interceptor;
}

std::unique_ptr<QWebEnginePage> startWebEngineEarly()
{
    auto page = std::make_unique<LocalOnlyPage>();
    page->load(QUrl(QStringLiteral("qrc:/dashboard/warmup.html")));
    return page;
}

void installBootScript(QWebEnginePage *page, const QPalette &palette)
{
    const QString name = QStringLiteral("simdesk-boot");
    QWebEngineScriptCollection &scripts = page->scripts();
    for (const QWebEngineScript &old : scripts.find(name))
        scripts.remove(old);
    QWebEngineScript boot;
    boot.setName(name);
    boot.setInjectionPoint(QWebEngineScript::DocumentCreation);
    boot.setWorldId(QWebEngineScript::MainWorld);
    boot.setRunsOnSubFrames(false);
    boot.setSourceCode(dashboardtheme::bootScript(dashboardtheme::theme(palette),
        dashboardtheme::locale(QLocale()), dashboardtheme::strings()));
    scripts.insert(boot);
    page->setBackgroundColor(dashboardtheme::background(palette));
}

} // namespace simdesk
