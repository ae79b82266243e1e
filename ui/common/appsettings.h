// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QSettings>
#include <QString>
#include <QVariantMap>

namespace simdesk {

// Everything SimDesk remembers between sessions, per user (the database login), with every
// default in one place. A thin typed layer over QSettings (the platform's place for settings:
// ~/.config/SimDesk/SimDesk.conf on Linux); never holds a password.
class AppSettings
{
public:
    // `login`: the signed-in user; settings of different users on one workstation stay apart.
    explicit AppSettings(const QString &login);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    // A splitter's or a table header's saveState(), by the widget's object name.
    QByteArray viewState(const QString &name) const;
    void setViewState(const QString &name, const QByteArray &state);

    // The last filter of a list (an opaque map the page reads back).
    QVariantMap lastFilter(const QString &list) const;
    void setLastFilter(const QString &list, const QVariantMap &filter);

    // Named filters the user saved on a list, by name.
    QMap<QString, QVariantMap> savedFilters(const QString &list) const;
    void saveFilter(const QString &list, const QString &name, const QVariantMap &filter);
    void removeFilter(const QString &list, const QString &name);

    // The page shown at start ("sims" …).
    QString lastPage() const;
    void setLastPage(const QString &page);

private:
    QString key(const QString &name) const;

    QString m_prefix;
    mutable QSettings m_settings;
};

// A named database server a person signs in to ("Head office", "Test"): where, how its TLS is
// checked, and the login last used there. Never a password (that goes to the keychain, if
// anywhere: login/passwordkeychain.h).
struct ServerProfile
{
    QString name;
    QString host;
    int port = -1; // -1: libpq's default
    QString database;
    QString tlsMode; // libpq's sslmode; empty: SimDesk's default (db/connectionsettings.h)
    QString caFile; // libpq's sslrootcert; empty: libpq's default (~/.postgresql/root.crt)
    QString lastLogin;

    // libpq's options for the TLS settings ("sslmode=…;sslrootcert=…").
    QString tlsOptions() const;
};

// What the sign-in dialog remembers, per user of this computer (the operating system's: nobody
// has signed in yet): the server profiles and the one used last. Same store as AppSettings.
class SignInSettings
{
public:
    QList<ServerProfile> profiles() const;
    void setProfiles(const QList<ServerProfile> &profiles);
    // The name of the profile signed in with last; empty when none.
    QString lastProfile() const;
    void setLastProfile(const QString &name);

private:
    mutable QSettings m_settings;
};

} // namespace simdesk
