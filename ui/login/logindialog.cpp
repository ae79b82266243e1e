// SPDX-License-Identifier: MIT
#include "logindialog.h"

#include "common/errorview.h"
#include "db/migrator.h"
#include "login/passwordkeychain.h"
#include "login/serverprofiledialog.h"
#include "services/staffservice.h"

#include <QPushButton>

namespace simdesk {

namespace {

// libpq's TLS keywords, which a profile sets.
bool isTlsOption(const QString &item)
{
    return item.startsWith(QLatin1String("sslmode="))
        || item.startsWith(QLatin1String("sslrootcert="));
}

// A schema this build cannot work with, as its own message; nullopt when the schema is fine or
// cannot be read (then the other error stands).
std::optional<Error> schemaProblem(QSqlDatabase db)
{
    const Status s = Migrator(db).checkCompatible();
    if (!s
        && (s.error().code == ErrorCode::SchemaTooOld || s.error().code == ErrorCode::SchemaTooNew
            || s.error().code == ErrorCode::MigrationModified))
        return s.error();
    return std::nullopt;
}

} // namespace

LoginDialog::LoginDialog(const ConnectionSettings &defaults, QWidget *parent)
    : QDialog(parent)
    , m_defaults(defaults)
{
    m_ui.setupUi(this);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Sign in"));
    m_ui.busyLabel->hide();
    m_ui.tlsValue->hide();
    // Off by default, and offered only once the keychain answered.
    m_ui.rememberCheck->setChecked(false);
    m_ui.rememberCheck->setEnabled(false);
    m_ui.rememberCheck->setToolTip(tr("Checking whether this desktop has a keychain…"));

    m_profiles = m_signIn.profiles();
    // The profile used last, unless the command line names another server.
    QString select;
    const QString last = m_signIn.lastProfile();
    for (const ServerProfile &p : std::as_const(m_profiles)) {
        if (p.name != last)
            continue;
        const bool named = !defaults.host.isEmpty() || !defaults.database.isEmpty();
        if (!named
            || (p.host == defaults.host && p.database == defaults.database
                && (defaults.port <= 0 || p.port == defaults.port)))
            select = p.name;
    }
    fillProfiles(select);
    m_ui.userEdit->setText(defaults.user.isEmpty() && m_ui.userEdit->text().isEmpty()
            ? qEnvironmentVariable("PGUSER")
            : defaults.user.isEmpty() ? m_ui.userEdit->text()
                                      : defaults.user);
    (m_ui.userEdit->text().isEmpty() ? m_ui.userEdit : m_ui.passwordEdit)->setFocus();

    connect(m_ui.profileCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
        &LoginDialog::profileChosen);
    connect(m_ui.newProfileButton, &QPushButton::clicked, this, &LoginDialog::newProfile);
    connect(m_ui.editProfileButton, &QPushButton::clicked, this, &LoginDialog::editProfile);
    connect(m_ui.removeProfileButton, &QPushButton::clicked, this, &LoginDialog::removeProfile);
    connect(
        m_ui.userEdit, &QLineEdit::editingFinished, this, &LoginDialog::lookUpRememberedPassword);
    connect(m_ui.passwordEdit, &QLineEdit::textEdited, this, [this] { m_filledKey.clear(); });
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &LoginDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &LoginDialog::reject);

    PasswordKeychain::probe(this, [this](bool available, const QString &reason) {
        m_keychainChecked = true;
        m_keychainAvailable = available;
        m_ui.rememberCheck->setEnabled(available && !m_busy);
        m_ui.rememberCheck->setToolTip(available
                ? tr("Keeps the password in the desktop's keychain (not in a file), so that the "
                     "next sign-in as this login on this server fills it in.")
                : tr("This desktop has no keychain that SimDesk can use (%1), so the password "
                     "cannot be remembered: it is asked for at every sign-in.")
                      .arg(reason.isEmpty() ? tr("no Secret Service or KWallet") : reason));
        emit keychainChecked(available);
        lookUpRememberedPassword();
    });
}

void LoginDialog::fillProfiles(const QString &select)
{
    const QSignalBlocker block(m_ui.profileCombo);
    m_ui.profileCombo->clear();
    m_ui.profileCombo->addItem(tr("Other server (type it below)"), QString());
    for (const ServerProfile &p : std::as_const(m_profiles))
        m_ui.profileCombo->addItem(p.name, p.name);
    m_ui.profileCombo->setCurrentIndex(qMax(0, m_ui.profileCombo->findData(select)));
    profileChosen();
}

int LoginDialog::profileIndex() const
{
    const QString name = m_ui.profileCombo->currentData().toString();
    if (name.isEmpty())
        return -1;
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).name == name)
            return i;
    }
    return -1;
}

QString LoginDialog::profileName() const
{
    const int i = profileIndex();
    return i < 0 ? QString() : m_profiles.at(i).name;
}

void LoginDialog::profileChosen()
{
    const int i = profileIndex();
    const bool profile = i >= 0;
    // A profile's server is changed with Edit…, so the fields show it read-only.
    for (QLineEdit *edit : { m_ui.hostEdit, m_ui.databaseEdit })
        edit->setReadOnly(profile);
    m_ui.portSpin->setReadOnly(profile);
    m_ui.editProfileButton->setEnabled(profile);
    m_ui.removeProfileButton->setEnabled(profile);
    m_ui.tlsValue->setVisible(profile);
    if (profile) {
        const ServerProfile &p = m_profiles.at(i);
        m_ui.hostEdit->setText(p.host);
        m_ui.portSpin->setValue(p.port > 0 ? p.port : 0);
        m_ui.databaseEdit->setText(p.database);
        if (!p.lastLogin.isEmpty())
            m_ui.userEdit->setText(p.lastLogin);
        const QString mode = p.tlsMode.isEmpty() ? tr("automatic") : p.tlsMode;
        m_ui.tlsValue->setText(p.caFile.isEmpty()
                ? tr("TLS: %1").arg(mode)
                : tr("TLS: %1, CA certificate %2").arg(mode, p.caFile));
    } else {
        // Show what libpq would use, so that people see where they are signing in.
        m_ui.hostEdit->setText(
            m_defaults.host.isEmpty() ? qEnvironmentVariable("PGHOST") : m_defaults.host);
        m_ui.portSpin->setValue(
            m_defaults.port > 0 ? m_defaults.port : qEnvironmentVariable("PGPORT").toInt());
        m_ui.databaseEdit->setText(m_defaults.database.isEmpty()
                ? qEnvironmentVariable("PGDATABASE")
                : m_defaults.database);
    }
    if (!m_filledKey.isEmpty()) {
        // A password from the keychain belongs to the server it was stored for.
        m_ui.passwordEdit->clear();
        m_ui.rememberCheck->setChecked(false);
        m_filledKey.clear();
    }
    lookUpRememberedPassword();
}

QString LoginDialog::keychainKey() const
{
    const ConnectionSettings s = settings();
    return PasswordKeychain::key(s.user, s.host, s.port, s.database);
}

void LoginDialog::lookUpRememberedPassword()
{
    if (!m_keychainAvailable || m_ui.userEdit->text().trimmed().isEmpty()
        || (!m_ui.passwordEdit->text().isEmpty() && m_filledKey.isEmpty()))
        return;
    const QString key = keychainKey();
    PasswordKeychain::read(this, key, [this, key](std::optional<QString> password) {
        // The person may have moved on to another login or server meanwhile.
        if (key != keychainKey() || m_busy) {
            emit rememberedPasswordLooked(false);
            return;
        }
        if (password) {
            m_ui.passwordEdit->setText(*password);
            m_ui.rememberCheck->setChecked(true);
            m_filledKey = key;
        } else if (!m_filledKey.isEmpty()) {
            m_ui.passwordEdit->clear();
            m_ui.rememberCheck->setChecked(false);
            m_filledKey.clear();
        }
        emit rememberedPasswordLooked(password.has_value());
    });
}

void LoginDialog::newProfile()
{
    ServerProfile draft;
    draft.host = m_ui.hostEdit->text().trimmed();
    draft.port = m_ui.portSpin->value() > 0 ? m_ui.portSpin->value() : -1;
    draft.database = m_ui.databaseEdit->text().trimmed();
    QStringList taken;
    for (const ServerProfile &p : std::as_const(m_profiles))
        taken << p.name;
    auto *dialog = new ServerProfileDialog(draft, taken, this);
    dialog->setObjectName(QStringLiteral("serverProfileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_profiles.append(dialog->profile());
        m_signIn.setProfiles(m_profiles);
        fillProfiles(dialog->profile().name);
    });
    dialog->open();
}

void LoginDialog::editProfile()
{
    const int i = profileIndex();
    if (i < 0)
        return;
    QStringList taken;
    for (int j = 0; j < m_profiles.size(); ++j) {
        if (j != i)
            taken << m_profiles.at(j).name;
    }
    auto *dialog = new ServerProfileDialog(m_profiles.at(i), taken, this);
    dialog->setObjectName(QStringLiteral("serverProfileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString before = m_profiles.at(i).name;
    connect(dialog, &QDialog::accepted, this, [this, dialog, before] {
        for (ServerProfile &p : m_profiles) {
            if (p.name == before)
                p = dialog->profile();
        }
        m_signIn.setProfiles(m_profiles);
        if (m_signIn.lastProfile() == before)
            m_signIn.setLastProfile(dialog->profile().name);
        fillProfiles(dialog->profile().name);
    });
    dialog->open();
}

void LoginDialog::removeProfile()
{
    const int i = profileIndex();
    if (i < 0)
        return;
    const ServerProfile gone = m_profiles.takeAt(i);
    m_signIn.setProfiles(m_profiles);
    if (m_signIn.lastProfile() == gone.name)
        m_signIn.setLastProfile(QString());
    // A remembered password of the profile goes with it.
    if (m_keychainAvailable && !gone.lastLogin.isEmpty())
        PasswordKeychain::remove(
            this, PasswordKeychain::key(gone.lastLogin, gone.host, gone.port, gone.database));
    fillProfiles(QString());
}

void LoginDialog::finished(const Result<SessionInfo> &result)
{
    setBusy(false);
    m_runner.reset(); // the window opens connections of its own
    if (result && result->role) {
        m_session = *result;
        // Remember the profile and its login; never the password (that only in the keychain).
        if (const int i = profileIndex(); i >= 0) {
            m_profiles[i].lastLogin = settings().user;
            m_signIn.setProfiles(m_profiles);
        }
        m_signIn.setLastProfile(profileName());
        rememberAfterSignIn();
        QDialog::accept();
        emit attemptFinished(true);
        return;
    }
    m_ui.errorView->showError(
        result ? Error(ErrorCode::NoSimDeskRole, { result->login }) : result.error());
    m_ui.passwordEdit->selectAll();
    m_ui.passwordEdit->setFocus();
    emit attemptFinished(false);
}

void LoginDialog::rememberAfterSignIn()
{
    if (!m_keychainAvailable)
        return;
    const QString key = keychainKey();
    auto done = [this](bool ok, const QString &) {
        emit keychainUpdated(ok);
    };
    if (m_ui.rememberCheck->isChecked())
        PasswordKeychain::store(this, key, m_ui.passwordEdit->text(), done);
    else
        PasswordKeychain::remove(this, key, done); // a password remembered before is forgotten
}

ConnectionSettings LoginDialog::settings() const
{
    ConnectionSettings s = m_defaults;
    s.host = m_ui.hostEdit->text().trimmed();
    s.port = m_ui.portSpin->value() > 0 ? m_ui.portSpin->value() : -1;
    s.database = m_ui.databaseEdit->text().trimmed();
    s.user = m_ui.userEdit->text().trimmed();
    s.password = m_ui.passwordEdit->text();
    if (const int i = profileIndex(); i >= 0) {
        // The profile's TLS settings replace any given on the command line.
        QStringList options;
        for (const QString &item : m_defaults.options.split(QLatin1Char(';'), Qt::SkipEmptyParts))
            if (!isTlsOption(item.trimmed()))
                options << item;
        if (const QString tls = m_profiles.at(i).tlsOptions(); !tls.isEmpty())
            options << tls;
        s.options = options.join(QLatin1Char(';'));
    }
    return s;
}

void LoginDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_ui.busyLabel->setVisible(busy);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    for (QWidget *w :
        { static_cast<QWidget *>(m_ui.hostEdit), static_cast<QWidget *>(m_ui.portSpin),
            static_cast<QWidget *>(m_ui.databaseEdit), static_cast<QWidget *>(m_ui.userEdit),
            static_cast<QWidget *>(m_ui.passwordEdit), static_cast<QWidget *>(m_ui.profileCombo),
            static_cast<QWidget *>(m_ui.newProfileButton) })
        w->setEnabled(!busy);
    m_ui.editProfileButton->setEnabled(!busy && profileIndex() >= 0);
    m_ui.removeProfileButton->setEnabled(!busy && profileIndex() >= 0);
    m_ui.rememberCheck->setEnabled(!busy && m_keychainAvailable);
}

void LoginDialog::accept()
{
    if (m_busy)
        return;
    m_ui.errorView->clear();
    setBusy(true);
    // A runner for this attempt's settings: its connection closes with it.
    m_runner = std::make_unique<DbRunner>(settings());
    m_runner->run<SessionInfo>(
        this,
        [](QSqlDatabase db) -> Result<SessionInfo> {
            // SimDesk's functions are missing from a schema too old, and may have changed in one
            // too new: that is the message then, not the failed query.
            Result<SessionInfo> session = StaffService(db).currentSession();
            if (std::optional<Error> schema = schemaProblem(db))
                return *schema;
            return session;
        },
        [this](const Result<SessionInfo> &result) { finished(result); });
}

} // namespace simdesk
