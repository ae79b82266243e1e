// SPDX-License-Identifier: MIT
#include "db/tlsdiagnosis.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <libpq-fe.h>
#include <poll.h>

namespace simdesk {

namespace {

// The options libpq resolved for a conninfo (the URL's, then PG* variables, then its defaults).
QMap<QString, QString> effectiveOptions(const QByteArray &conninfo)
{
    QMap<QString, QString> options;
    PGconn *conn = PQconnectStart(conninfo.constData());
    if (!conn)
        return options;
    if (PQconninfoOption *info = PQconninfo(conn)) {
        for (PQconninfoOption *o = info; o->keyword; ++o) {
            if (o->val)
                options.insert(QString::fromLatin1(o->keyword), QString::fromUtf8(o->val));
        }
        PQconninfoFree(info);
    }
    PQfinish(conn);
    return options;
}

} // namespace

QByteArray TlsDiagnosis::conninfo(const ConnectionSettings &settings)
{
    QStringList parts;
    if (!settings.host.isEmpty())
        parts << QStringLiteral("host=") + quotedConnValue(settings.host);
    if (!settings.database.isEmpty())
        parts << QStringLiteral("dbname=") + quotedConnValue(settings.database);
    if (!settings.user.isEmpty())
        parts << QStringLiteral("user=") + quotedConnValue(settings.user);
    if (settings.port > 0)
        parts << QStringLiteral("port=") + QString::number(settings.port);
    // As QPSQL does (Database::open): the options with ';' as separator.
    parts << settings.connectOptions().replace(QLatin1Char(';'), QLatin1Char(' '));
    return parts.join(QLatin1Char(' ')).toUtf8();
}

TlsDiagnosis::Stage TlsDiagnosis::probe(const QByteArray &conninfo, int timeoutS)
{
    // A later keyword wins in a conninfo string.
    const QByteArray bounded = conninfo + " connect_timeout='" + QByteArray::number(timeoutS) + "'";
    PGconn *conn = PQconnectStart(bounded.constData());
    if (!conn)
        return Stage::Unknown;
    const QDeadlineTimer deadline(std::chrono::seconds(timeoutS + 1));
    Stage stage = Stage::Unknown;
    bool failedInTls = false;
    ConnStatusType last = PQstatus(conn);
    PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
    while (
        last != CONNECTION_BAD && polling != PGRES_POLLING_FAILED && polling != PGRES_POLLING_OK) {
        const int fd = PQsocket(conn);
        if (fd >= 0) {
            pollfd p { fd, short(polling == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0 };
            const int ready = ::poll(&p, 1, int(deadline.remainingTime()));
            if (ready <= 0)
                break; // timed out: no verdict
        }
        polling = PQconnectPoll(conn);
        const ConnStatusType now = PQstatus(conn);
        if (last == CONNECTION_SSL_STARTUP && now != CONNECTION_SSL_STARTUP) {
            // With several hosts libpq goes on to the next one after a failure (NEEDED/STARTED).
            if (now == CONNECTION_BAD || now == CONNECTION_NEEDED || now == CONNECTION_STARTED) {
                failedInTls = true;
            } else {
                stage = Stage::TlsPassed;
                break; // nothing more to learn; no password is sent
            }
        }
        if (polling == PGRES_POLLING_OK)
            stage = Stage::TlsPassed;
        last = now;
    }
    PQfinish(conn);
    if (stage == Stage::Unknown && failedInTls)
        stage = Stage::TlsFailed;
    return stage;
}

std::optional<Error> TlsDiagnosis::diagnose(const ConnectionSettings &settings, int timeoutS)
{
    const QByteArray info = conninfo(settings);
    const QMap<QString, QString> options = effectiveOptions(info);
    const QString mode = options.value(QStringLiteral("sslmode"));
    if (mode != QLatin1String("require") && mode != QLatin1String("verify-ca")
        && mode != QLatin1String("verify-full"))
        return std::nullopt; // libpq falls back to no TLS, or was told not to use it
    const int timeout = std::min(timeoutS,
        std::max(
            1, options.value(QStringLiteral("connect_timeout"), QStringLiteral("10")).toInt()));
    const QString host = options.value(QStringLiteral("host"));
    const QString server = host.isEmpty() ? QStringLiteral("localhost") : host;

    // The CA file libpq checks the certificate with (fe-secure-openssl.c: sslrootcert, else
    // ~/.postgresql/root.crt); with require it checks only when that file exists.
    QString rootCert = options.value(QStringLiteral("sslrootcert"));
    if (rootCert.isEmpty())
        rootCert = QDir::homePath() + QStringLiteral("/.postgresql/root.crt");
    const bool verifies = mode != QLatin1String("require") || QFileInfo::exists(rootCert);
    if (mode != QLatin1String("require") && !QFileInfo::exists(rootCert))
        return Error(ErrorCode::TlsRootCertificateMissing, { rootCert });

    if (probe(info, timeout) != Stage::TlsFailed)
        return std::nullopt;
    // Would the server speak TLS at all? require, checking nothing: a CA file that cannot exist
    // keeps libpq from checking against root.crt.
    const QTemporaryDir empty;
    const QByteArray noCheck = info + " sslmode='require' sslrootcert="
        + quotedConnValue(empty.path() + QStringLiteral("/none")).toUtf8();
    if (probe(noCheck, timeout) != Stage::TlsPassed)
        return Error(ErrorCode::TlsNotOffered, { server });
    if (!verifies)
        return std::nullopt; // cannot happen: require without a CA checks nothing
    if (mode == QLatin1String("verify-full")
        && probe(info + " sslmode='verify-ca'", timeout) == Stage::TlsPassed)
        return Error(ErrorCode::TlsHostMismatch, { server });
    return Error(ErrorCode::TlsCertificateUntrusted, { server, rootCert });
}

} // namespace simdesk
