// SPDX-License-Identifier: MIT
#include "common/appsettings.h"

namespace simdesk {

namespace {
// The dashboard is what team leads look at first.
const QString kDefaultPage = QStringLiteral("dashboard");
} // namespace

AppSettings::AppSettings(const QString &login)
    : m_prefix(QStringLiteral("users/%1/").arg(login.isEmpty() ? QStringLiteral("_") : login))
{ }

QString AppSettings::key(const QString &name) const
{
    return m_prefix + name;
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings.value(key(QStringLiteral("window/geometry"))).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings.setValue(key(QStringLiteral("window/geometry")), geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings.value(key(QStringLiteral("window/state"))).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings.setValue(key(QStringLiteral("window/state")), state);
}

QByteArray AppSettings::viewState(const QString &name) const
{
    return m_settings.value(key(QStringLiteral("views/") + name)).toByteArray();
}

void AppSettings::setViewState(const QString &name, const QByteArray &state)
{
    m_settings.setValue(key(QStringLiteral("views/") + name), state);
}

QVariantMap AppSettings::lastFilter(const QString &list) const
{
    return m_settings.value(key(QStringLiteral("filters/%1/last").arg(list))).toMap();
}

void AppSettings::setLastFilter(const QString &list, const QVariantMap &filter)
{
    m_settings.setValue(key(QStringLiteral("filters/%1/last").arg(list)), filter);
}

QMap<QString, QVariantMap> AppSettings::savedFilters(const QString &list) const
{
    QMap<QString, QVariantMap> filters;
    const QVariantMap stored
        = m_settings.value(key(QStringLiteral("filters/%1/saved").arg(list))).toMap();
    for (auto it = stored.cbegin(); it != stored.cend(); ++it)
        filters.insert(it.key(), it.value().toMap());
    return filters;
}

void AppSettings::saveFilter(const QString &list, const QString &name, const QVariantMap &filter)
{
    QVariantMap stored
        = m_settings.value(key(QStringLiteral("filters/%1/saved").arg(list))).toMap();
    stored.insert(name, filter);
    m_settings.setValue(key(QStringLiteral("filters/%1/saved").arg(list)), stored);
}

void AppSettings::removeFilter(const QString &list, const QString &name)
{
    QVariantMap stored
        = m_settings.value(key(QStringLiteral("filters/%1/saved").arg(list))).toMap();
    stored.remove(name);
    m_settings.setValue(key(QStringLiteral("filters/%1/saved").arg(list)), stored);
}

QString AppSettings::lastPage() const
{
    return m_settings.value(key(QStringLiteral("window/page")), kDefaultPage).toString();
}

void AppSettings::setLastPage(const QString &page)
{
    m_settings.setValue(key(QStringLiteral("window/page")), page);
}

} // namespace simdesk
