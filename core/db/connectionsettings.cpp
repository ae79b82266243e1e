// SPDX-License-Identifier: MIT
#include "db/connectionsettings.h"

#include <QUrl>
#include <QUrlQuery>

namespace simdesk {

Result<ConnectionSettings> ConnectionSettings::fromUrl(const QString &url)
{
    const QUrl u(url, QUrl::StrictMode);
    const QString scheme = u.scheme();
    if (!u.isValid()
        || (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres")))
        return Error(ErrorCode::ConnectionUrlInvalid, { url });

    ConnectionSettings s;
    s.host = u.host();
    s.port = u.port(-1);
    s.user = u.userName();
    s.password = u.password();
    QString path = u.path();
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (path.contains(QLatin1Char('/')))
        return Error(ErrorCode::ConnectionUrlInvalid, { url });
    s.database = path;

    QStringList options;
    const QUrlQuery query(u);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("host"))
            s.host = value;
        else if (key == QLatin1String("port"))
            s.port = value.toInt();
        else if (key == QLatin1String("user"))
            s.user = value;
        else if (key == QLatin1String("dbname"))
            s.database = value;
        else if (key == QLatin1String("password"))
            s.password = value;
        else if (!key.isEmpty() && !key.contains(QLatin1Char(';'))
            && !value.contains(QLatin1Char(';')))
            options << key + QLatin1Char('=') + value;
        else
            return Error(ErrorCode::ConnectionUrlInvalid, { url });
    }
    s.options = options.join(QLatin1Char(';'));
    return s;
}

QString ConnectionSettings::describe() const
{
    QStringList parts;
    if (!host.isEmpty())
        parts << QStringLiteral("host=") + host;
    if (port > 0)
        parts << QStringLiteral("port=") + QString::number(port);
    if (!database.isEmpty())
        parts << QStringLiteral("dbname=") + database;
    if (!user.isEmpty())
        parts << QStringLiteral("user=") + user;
    if (!options.isEmpty())
        parts << QString(options).replace(QLatin1Char(';'), QLatin1Char(' '));
    return parts.join(QLatin1Char(' '));
}

} // namespace simdesk
