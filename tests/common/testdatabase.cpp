// SPDX-License-Identifier: MIT
#include "testdatabase.h"

#include "db/database.h"
#include "domain/validation.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace simdesk;

namespace {

// Reads KEY='value' lines of scripts/localdb's cluster.env.
QMap<QString, QString> readClusterEnv(const QString &path, QString *error)
{
    QMap<QString, QString> env;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read %1 (%2): the test cluster is not running. Run the "
                                "tests through ctest, which starts it (fixture simdesk_cluster).")
                     .arg(path, f.errorString());
        return env;
    }
    static const QRegularExpression line(QStringLiteral("^([A-Z_]+)='(.*)'$"));
    while (!f.atEnd()) {
        const QRegularExpressionMatch m = line.match(QString::fromUtf8(f.readLine()).trimmed());
        if (m.hasMatch())
            env.insert(m.captured(1), m.captured(2));
    }
    return env;
}

// Tests connect only to the cluster named by SIMDESK_TEST_CLUSTER, with explicit settings; any
// PG* variable of the caller (PGSERVICE, PGOPTIONS, PGHOSTADDR, PGCLIENTENCODING, PGPASSWORD…)
// would still be read by libpq for whatever a setting leaves empty, here and in the simdesk-cli
// processes the tests start, and point them at another server or change their session.
void dropCallerPgEnvironment()
{
    const QStringList names = QProcessEnvironment::systemEnvironment().keys();
    for (const QString &name : names) {
        if (name.startsWith(QLatin1String("PG")))
            qunsetenv(name.toLocal8Bit().constData());
    }
}

} // namespace

TestDatabase::TestDatabase(const QString &tag)
{
    dropCallerPgEnvironment();
    const QString dir = qEnvironmentVariable("SIMDESK_TEST_CLUSTER");
    if (dir.isEmpty()) {
        m_error
            = QStringLiteral("SIMDESK_TEST_CLUSTER is not set: run database tests through ctest.");
        return;
    }
    const QMap<QString, QString> env
        = readClusterEnv(dir + QStringLiteral("/cluster.env"), &m_error);
    if (!m_error.isEmpty())
        return;
    m_settings.host = env.value(QStringLiteral("PGHOST"));
    m_settings.port = env.value(QStringLiteral("PGPORT")).toInt();
    m_settings.user = env.value(QStringLiteral("PGUSER"));
    m_settings.database = QStringLiteral("postgres");

    const QString dbName
        = QStringLiteral("sdt_%1_%2").arg(tag.toLower()).arg(QCoreApplication::applicationPid());
    {
        const QString admin = Database::uniqueName(QStringLiteral("test-admin"));
        ScopedConnection guard(admin);
        Result<QSqlDatabase> db = Database::open(m_settings, admin);
        if (!db) {
            m_error = db.error().fullMessage();
            return;
        }
        QSqlQuery q(*db);
        // A leftover of a crashed earlier run with the same pid goes; no NOTICE when there is none.
        if (!q.exec(QStringLiteral("SET client_min_messages = warning"))
            || !q.exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(dbName))
            || !q.exec(QStringLiteral("CREATE DATABASE %1").arg(dbName))) {
            m_error = q.lastError().text();
            return;
        }
    }
    m_settings.database = dbName;
    m_main = connect();
    if (!m_main.isOpen())
        m_error = QStringLiteral("cannot connect to %1").arg(dbName);
}

TestDatabase::~TestDatabase()
{
    m_main = QSqlDatabase();
    for (const QString &name : std::as_const(m_connections))
        Database::close(name);
    if (m_settings.database.isEmpty() || m_settings.database == QLatin1String("postgres"))
        return;
    ConnectionSettings admin = m_settings;
    admin.database = QStringLiteral("postgres");
    const QString name = Database::uniqueName(QStringLiteral("test-admin"));
    ScopedConnection guard(name);
    if (Result<QSqlDatabase> db = Database::open(admin, name)) {
        QSqlQuery q(*db);
        q.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_settings.database));
        QStringList logins;
        q.exec(QStringLiteral("SELECT rolname FROM pg_roles WHERE starts_with(rolname, '%1_')")
                   .arg(m_settings.database));
        while (q.next())
            logins << q.value(0).toString();
        for (const QString &login : std::as_const(logins))
            q.exec(QStringLiteral("DROP ROLE IF EXISTS \"%1\"").arg(login));
    }
}

QSqlDatabase TestDatabase::connect()
{
    const QString name = Database::uniqueName(QStringLiteral("test"));
    Result<QSqlDatabase> db = Database::open(m_settings, name);
    if (!db) {
        m_error = db.error().fullMessage();
        return {};
    }
    m_connections << name;
    return *db;
}

QString TestDatabase::createLogin(const QString &suffix, const QString &role)
{
    const QString login = m_settings.database + QLatin1Char('_') + suffix;
    const QString error
        = exec(QStringLiteral("CREATE ROLE \"%1\" LOGIN IN ROLE simdesk_%2").arg(login, role));
    if (!error.isEmpty()) {
        qWarning("createLogin: %s", qPrintable(error));
        return {};
    }
    exec(QStringLiteral(
        "INSERT INTO staff (login, email, display_name, role) VALUES ('%1', '%1@example.net', "
        "'Test %2', '%3')")
             .arg(login, suffix, role));
    return login;
}

QSqlDatabase TestDatabase::connectAs(const QString &login)
{
    ConnectionSettings as = m_settings;
    as.user = login;
    const QString name = Database::uniqueName(QStringLiteral("test-as"));
    Result<QSqlDatabase> db = Database::open(as, name);
    if (!db) {
        qWarning("connectAs(%s): %s", qPrintable(login), qPrintable(db.error().fullMessage()));
        return {};
    }
    m_connections << name;
    return *db;
}

QString TestDatabase::iccid(int n)
{
    const QString body = QStringLiteral("894999%1").arg(n, 12, 10, QLatin1Char('0'));
    return body + QString::number(validation::luhnCheckDigit(body));
}

QString TestDatabase::exec(const QString &sql)
{
    QSqlQuery q(m_main);
    return q.exec(sql) ? QString() : q.lastError().databaseText();
}

QString TestDatabase::scalar(const QString &sql)
{
    QSqlQuery q(m_main);
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0).toString();
}
