// SPDX-License-Identifier: MIT
#pragma once

#include "common/appsettings.h"
#include "db/dbrunner.h"
#include "domain/staff.h"
#include "ui_logindialog.h"

#include <QDialog>

#include <memory>

namespace simdesk {

// Asks for server, login and password, and checks them by connecting (off the GUI thread, on a
// runner of its own).
// The server is one of the saved profiles (SignInSettings: per user of this computer, never a
// password) or typed in ("Other server", filled from the command line and the PG* variables);
// each profile remembers the login last used with it. The password may be remembered in the
// desktop's keychain (PasswordKeychain), off by default and offered only when a keychain works.
// Accepted only when the database let the login in, grants it a SimDesk role, and has the schema
// this build needs (neither older nor newer). The password stays in memory (settings()) and in
// the keychain if the person asked for that; it is never written to a settings file.
class LoginDialog : public QDialog
{
    Q_OBJECT

public:
    explicit LoginDialog(const ConnectionSettings &defaults, QWidget *parent = nullptr);

    ConnectionSettings settings() const;
    SessionInfo session() const { return m_session; }
    // The chosen profile's name; empty for "Other server".
    QString profileName() const;
    // Whether a keychain works here (known once keychainChecked() was emitted).
    bool keychainAvailable() const { return m_keychainAvailable; }

public slots:
    void accept() override;

signals:
    // A sign-in attempt ended (tests wait for it); `ok` tells whether the dialog was accepted.
    void attemptFinished(bool ok);
    // The keychain probe answered.
    void keychainChecked(bool available);
    // A remembered password was looked up for the login shown (found or not).
    void rememberedPasswordLooked(bool found);
    // After a sign-in, the keychain stored (or forgot) the password; `ok`: it worked.
    void keychainUpdated(bool ok);

private:
    void setBusy(bool busy);
    void finished(const Result<SessionInfo> &result);
    void fillProfiles(const QString &select);
    void profileChosen();
    void newProfile();
    void editProfile();
    void removeProfile();
    void lookUpRememberedPassword();
    void rememberAfterSignIn();
    QString keychainKey() const;
    int profileIndex() const; // into m_profiles; -1 for "Other server"

    Ui::LoginDialog m_ui;
    ConnectionSettings m_defaults;
    SessionInfo m_session;
    std::unique_ptr<DbRunner> m_runner;
    SignInSettings m_signIn;
    QList<ServerProfile> m_profiles;
    bool m_busy = false;
    bool m_keychainAvailable = false;
    bool m_keychainChecked = false;
    QString m_filledKey; // the keychain entry the password field was filled from
};

} // namespace simdesk
