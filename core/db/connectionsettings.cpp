// SPDX-License-Identifier: MIT
#include "db/connectionsettings.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

namespace simdesk {

namespace {

// libpq keywords are lower-case words with underscores; anything else in a key would let a URL
// smuggle conninfo syntax past the quoting of values.
bool isKeyword(const QString &key)
{
    static const QRegularExpression word(QStringLiteral("^[a-z][a-z_]*$"));
    return word.match(key).hasMatch();
}

QList<QPair<QString, QString>> splitOptions(const QString &options)
{
    QList<QPair<QString, QString>> pairs;
    for (const QString &item : options.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        if (eq < 0)
            pairs.append({ item.trimmed(), QString() });
        else
            pairs.append({ item.left(eq).trimmed(), item.mid(eq + 1) });
    }
    return pairs;
}

bool isLocalHost(const QString &host)
{
    if (host.isEmpty())
        return true;
    // A comma list (libpq's multi-host form) is local only when every entry is.
    for (const QString &h : host.split(QLatin1Char(','))) {
        const QString name = h.trimmed();
        if (!(name.isEmpty() || name.startsWith(QLatin1Char('/'))
                || name.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
                || name == QLatin1String("127.0.0.1") || name == QLatin1String("::1")))
            return false;
    }
    return true;
}

// libpq's multi-host form, postgresql://[user@]host1[:port1],host2[:port2]/…, which QUrl cannot
// read (one host per URL). Splits the host list off: `rest` is the URL with one placeholder
// host, for QUrl; `hosts` and `ports` the lists, comma-joined as libpq takes them (an empty port
// is libpq's default). False when the URL names a single host.
bool splitHostList(const QString &url, QString *rest, QString *hosts, QString *ports)
{
    static const QRegularExpression shape(
        QStringLiteral("^(postgres(?:ql)?://(?:[^@/?#]*@)?)([^/?#]*)(.*)$"));
    const QRegularExpressionMatch m = shape.match(url);
    if (!m.hasMatch() || !m.captured(2).contains(QLatin1Char(',')))
        return false;
    // host, host:port, [v6], [v6]:port
    static const QRegularExpression entry(
        QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[^:\\[\\]]*)(?::(\\d{1,5}))?$"));
    QStringList hostList;
    QStringList portList;
    for (const QString &item : m.captured(2).split(QLatin1Char(','))) {
        const QRegularExpressionMatch e = entry.match(item);
        if (!e.hasMatch())
            return false;
        QString host = QUrl::fromPercentEncoding(e.captured(1).toUtf8());
        if (host.startsWith(QLatin1Char('[')))
            host = host.mid(1, host.size() - 2);
        hostList << host;
        portList << e.captured(2);
    }
    *rest = m.captured(1) + QStringLiteral("multi-host") + m.captured(3);
    *hosts = hostList.join(QLatin1Char(','));
    const bool anyPort = std::any_of(
        portList.cbegin(), portList.cend(), [](const QString &p) { return !p.isEmpty(); });
    *ports = anyPort ? portList.join(QLatin1Char(',')) : QString();
    return true;
}

bool isPortList(const QString &value)
{
    static const QRegularExpression list(QStringLiteral("^\\d{0,5}(,\\d{0,5})+$"));
    return list.match(value).hasMatch();
}

} // namespace

QString quotedConnValue(const QString &value)
{
    QString out = QStringLiteral("'");
    for (const QChar c : value) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('\''))
            out += QLatin1Char('\\');
        out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

Result<ConnectionSettings> ConnectionSettings::fromUrl(const QString &url)
{
    QString single = url;
    QString hostList;
    QString portList;
    const bool multiHost = splitHostList(url, &single, &hostList, &portList);
    const QUrl u(single, QUrl::StrictMode);
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
    if (multiHost) {
        s.host = hostList;
        s.port = -1;
        // QPSQL takes one port number; a list goes to libpq as an option.
        if (!portList.isEmpty())
            options << QStringLiteral("port=") + portList;
    }
    const QUrlQuery query(u);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("host"))
            s.host = value;
        else if (key == QLatin1String("port") && isPortList(value))
            options << QStringLiteral("port=") + value;
        else if (key == QLatin1String("port"))
            s.port = value.toInt();
        else if (key == QLatin1String("user"))
            s.user = value;
        else if (key == QLatin1String("dbname"))
            s.database = value;
        else if (key == QLatin1String("password"))
            s.password = value;
        // QPSQL turns every ';' of the options into a space, so a value cannot hold one.
        else if (isKeyword(key) && !value.contains(QLatin1Char(';')))
            options << key + QLatin1Char('=') + value;
        else
            return Error(ErrorCode::ConnectionUrlInvalid, { url });
    }
    s.options = options.join(QLatin1Char(';'));
    if (Status valid = s.validate(); !valid)
        return valid.error();
    return s;
}

Status ConnectionSettings::validate() const
{
    auto refuse = [](const char *text) {
        return Error(ErrorCode::InvalidArgument,
            { QCoreApplication::translate("simdesk::ConnectionSettings", text) });
    };
    const QChar nul(0);
    if (currentPassword().contains(nul))
        return refuse("The password contains a NUL character, which PostgreSQL cannot take. "
                      "Nothing was sent to the server.");
    if (host.contains(nul) || database.contains(nul) || user.contains(nul) || options.contains(nul))
        return refuse("The connection settings contain a NUL character.");
    for (const auto &[key, value] : splitOptions(options)) {
        Q_UNUSED(value)
        if (!isKeyword(key))
            return refuse("The connection options are not a list of libpq keyword=value pairs.");
    }
    return {};
}

bool ConnectionSettings::isLocal() const
{
    return isLocalHost(host.isEmpty() ? qEnvironmentVariable("PGHOST") : host);
}

QString ConnectionSettings::connectOptions() const
{
    QList<QPair<QString, QString>> pairs {
        { QStringLiteral("application_name"), QStringLiteral("simdesk") },
        { QStringLiteral("connect_timeout"), QStringLiteral("10") },
        { QStringLiteral("keepalives"), QStringLiteral("1") },
        { QStringLiteral("keepalives_idle"), QStringLiteral("20") },
        { QStringLiteral("keepalives_interval"), QStringLiteral("10") },
        { QStringLiteral("keepalives_count"), QStringLiteral("3") },
        { QStringLiteral("tcp_user_timeout"), QStringLiteral("60000") },
    };
    // PGSSLMODE is the user's choice as much as ?sslmode= is: a conninfo value would override it.
    if (qEnvironmentVariableIsEmpty("PGSSLMODE"))
        pairs.append({ QStringLiteral("sslmode"),
            isLocal() ? QStringLiteral("prefer") : QStringLiteral("verify-full") });
    // Server options: SimDesk's own first, then the user's (?options=, else PGOPTIONS, which a
    // conninfo value would silently replace); the server takes the last of two -c settings, so
    // the user's word wins.
    QString serverOptions = qEnvironmentVariable("PGOPTIONS");
    for (const auto &[key, value] : splitOptions(options)) {
        if (key == QLatin1String("options"))
            serverOptions = value;
    }
    pairs.append({ QStringLiteral("options"),
        (QLatin1String(kClientServerOptions) + QLatin1Char(' ') + serverOptions).trimmed() });
    for (const auto &[key, value] : splitOptions(options)) {
        if (key == QLatin1String("options"))
            continue;
        auto same = [&key = key](const QPair<QString, QString> &p) {
            return p.first == key;
        };
        if (auto it = std::find_if(pairs.begin(), pairs.end(), same); it != pairs.end())
            it->second = value;
        else
            pairs.append({ key, value });
    }
    QStringList out;
    for (const auto &[key, value] : std::as_const(pairs))
        out << key + QLatin1Char('=') + quotedConnValue(value);
    return out.join(QLatin1Char(';'));
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
