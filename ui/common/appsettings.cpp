// SPDX-License-Identifier: MIT
#include "common/appsettings.h"

#include <QStringList>

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

QString ServerProfile::tlsOptions() const
{
    QStringList options;
    if (!tlsMode.isEmpty())
        options << QStringLiteral("sslmode=") + tlsMode;
    if (!caFile.isEmpty())
        options << QStringLiteral("sslrootcert=") + caFile;
    return options.join(QLatin1Char(';'));
}

QList<ServerProfile> SignInSettings::profiles() const
{
    QList<ServerProfile> list;
    const int n = m_settings.beginReadArray(QStringLiteral("signin/profiles"));
    for (int i = 0; i < n; ++i) {
        m_settings.setArrayIndex(i);
        ServerProfile p;
        p.name = m_settings.value(QStringLiteral("name")).toString();
        p.host = m_settings.value(QStringLiteral("host")).toString();
        p.port = m_settings.value(QStringLiteral("port"), -1).toInt();
        p.database = m_settings.value(QStringLiteral("database")).toString();
        p.tlsMode = m_settings.value(QStringLiteral("tlsMode")).toString();
        p.caFile = m_settings.value(QStringLiteral("caFile")).toString();
        p.lastLogin = m_settings.value(QStringLiteral("lastLogin")).toString();
        if (!p.name.isEmpty())
            list.append(p);
    }
    m_settings.endArray();
    return list;
}

void SignInSettings::setProfiles(const QList<ServerProfile> &profiles)
{
    m_settings.remove(QStringLiteral("signin/profiles"));
    m_settings.beginWriteArray(QStringLiteral("signin/profiles"), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ServerProfile &p = profiles.at(i);
        m_settings.setArrayIndex(i);
        m_settings.setValue(QStringLiteral("name"), p.name);
        m_settings.setValue(QStringLiteral("host"), p.host);
        m_settings.setValue(QStringLiteral("port"), p.port);
        m_settings.setValue(QStringLiteral("database"), p.database);
        m_settings.setValue(QStringLiteral("tlsMode"), p.tlsMode);
        m_settings.setValue(QStringLiteral("caFile"), p.caFile);
        m_settings.setValue(QStringLiteral("lastLogin"), p.lastLogin);
    }
    m_settings.endArray();
}

QString SignInSettings::lastProfile() const
{
    return m_settings.value(QStringLiteral("signin/lastProfile")).toString();
}

void SignInSettings::setLastProfile(const QString &name)
{
    m_settings.setValue(QStringLiteral("signin/lastProfile"), name);
}

} // namespace simdesk
