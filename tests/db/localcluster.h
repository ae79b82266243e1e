// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

// A cluster of its own for one test, run by scripts/localdb (a TLS server, a primary and its
// standby), removed again by the destructor. Its socket connections are trusted (superuser
// "postgres"); TCP connections on 127.0.0.1 need a password.
class LocalCluster
{
public:
    explicit LocalCluster(QString stateDir)
        : m_state(std::move(stateDir))
    { }
    ~LocalCluster() { localdb({ QStringLiteral("remove"), m_state }); }
    LocalCluster(const LocalCluster &) = delete;
    LocalCluster &operator=(const LocalCluster &) = delete;

    // Runs scripts/localdb with `arguments`; empty on success, else its output.
    static QString localdb(const QStringList &arguments)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(SIMDESK_LOCALDB), arguments);
        if (!p.waitForFinished(120000))
            return QStringLiteral("localdb %1 did not finish")
                .arg(arguments.join(QLatin1Char(' ')));
        const QString out = QString::fromUtf8(p.readAll());
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0 ? QString() : out;
    }

    // start [--tls DIR], standby PRIMARY, promote, stop: scripts/localdb's commands on this one.
    QString start(const QStringList &extra = {})
    {
        return localdb(QStringList { QStringLiteral("start"), m_state } + extra);
    }
    QString standbyOf(const LocalCluster &primary)
    {
        return localdb({ QStringLiteral("standby"), m_state, primary.m_state });
    }
    QString run(const QString &command) { return localdb({ command, m_state }); }

    // The superuser's settings over the private socket (from cluster.env).
    simdesk::ConnectionSettings superuser() const
    {
        simdesk::ConnectionSettings s;
        QFile f(m_state + QStringLiteral("/cluster.env"));
        if (!f.open(QIODevice::ReadOnly))
            return s;
        // KEY='value' lines
        static const QRegularExpression line(QStringLiteral("^(PGHOST|PGPORT)='(.*)'$"));
        for (const QByteArray &raw : f.readAll().split('\n')) {
            const QRegularExpressionMatch m = line.match(QString::fromUtf8(raw));
            if (m.hasMatch() && m.captured(1) == QLatin1String("PGHOST"))
                s.host = m.captured(2);
            else if (m.hasMatch())
                s.port = m.captured(2).toInt();
        }
        s.user = QStringLiteral("postgres");
        s.database = QStringLiteral("simdesk");
        return s;
    }
    int port() const { return superuser().port; }

private:
    QString m_state;
};
