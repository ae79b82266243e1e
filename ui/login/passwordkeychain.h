// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace simdesk {

// "Remember password": the desktop's keychain (the Secret Service of GNOME or KDE through
// libsecret, KWallet; the platform's own store elsewhere) through QtKeychain, never QSettings
// or a file: QtKeychain's insecure fallback to a settings file stays off. Each call is one
// asynchronous job; its answer comes through the callback in the GUI thread while `context`
// lives. An entry is named by the login and the server it signs in to, so renaming a profile
// keeps it.
class PasswordKeychain
{
public:
    // Whether a keychain works on this desktop, found by a harmless read; `reason` says why not
    // (shown in a tooltip) when it does not.
    static void probe(QObject *context, std::function<void(bool available, QString reason)> done);

    // The stored password, nullopt when there is none (or the keychain cannot be read).
    static void read(QObject *context, const QString &key,
        std::function<void(std::optional<QString> password)> done);
    // Stores (replaces) the password; `done` hears whether it worked and, if not, why.
    static void store(QObject *context, const QString &key, const QString &password,
        std::function<void(bool ok, QString error)> done = {});
    // Forgets the password (nothing happens when there is none).
    static void remove(QObject *context, const QString &key,
        std::function<void(bool ok, QString error)> done = {});

    // The entry's name for `login` at host:port/database.
    static QString key(
        const QString &login, const QString &host, int port, const QString &database);

    // The keychain's service name under which SimDesk's entries are kept.
    static QString service();
};

} // namespace simdesk
