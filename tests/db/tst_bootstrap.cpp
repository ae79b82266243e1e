// SPDX-License-Identifier: MIT
#include "cli/clicommands.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "services/staffservice.h"
#include "testdatabase.h"

#include <QTest>

#include <memory>

using namespace simdesk;

// docs/security.md, "Setting up a real server", step by step: a NOSUPERUSER owner with
// CREATEROLE owns the database, migrates it, and creates the first administrator, who then runs
// SimDesk's staff administration on their own. Until 004 this worked only as a superuser.
class TestBootstrap : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void theOwnerShouldMigrateAndCreateTheFirstAdmin();
    void theFirstAdminShouldManageStaffOverTcp();
    void setupServerShouldDoEveryStepInOneCommandAndAgainNothing();

private:
    Result<QSqlDatabase> open(const QString &user, bool tcp, const QString &password = {});

    std::unique_ptr<TestDatabase> m_tdb; // only for the cluster's superuser settings
    QString m_owner;
    QString m_database;
    QString m_admin;
    QStringList m_roles; // made here, dropped at the end
};

void TestBootstrap::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("bootstrap"));
    REQUIRE_DATABASE(*m_tdb);
    m_owner = m_tdb->name() + QStringLiteral("_owner");
    m_database = m_tdb->name() + QStringLiteral("_site");
    m_admin = m_tdb->name() + QStringLiteral("_anna");
    // "once, as the PostgreSQL superuser" — createuser/createdb as the doc says, plus the one
    // grant that lets the owner end a disabled login's sessions.
    QCOMPARE(
        m_tdb->exec(QStringLiteral("CREATE ROLE %1 LOGIN CREATEROLE NOSUPERUSER").arg(m_owner)),
        QString());
    m_roles << m_owner;
    QCOMPARE(m_tdb->exec(QStringLiteral("GRANT pg_signal_backend TO %1").arg(m_owner)), QString());
    QCOMPARE(m_tdb->exec(QStringLiteral("CREATE DATABASE %1 OWNER %2").arg(m_database, m_owner)),
        QString());
}

void TestBootstrap::cleanupTestCase()
{
    if (!m_tdb)
        return;
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(QLatin1String("boot-")))
            Database::close(name);
    }
    m_tdb->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_database));
    for (auto it = m_roles.crbegin(); it != m_roles.crend(); ++it)
        m_tdb->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(*it));
    m_tdb.reset();
}

Result<QSqlDatabase> TestBootstrap::open(const QString &user, bool tcp, const QString &password)
{
    ConnectionSettings s = m_tdb->settings();
    s.database = m_database;
    s.user = user;
    s.password = password;
    if (tcp)
        s.host = QStringLiteral("127.0.0.1");
    return Database::open(s, Database::uniqueName(QStringLiteral("boot")));
}

void TestBootstrap::theOwnerShouldMigrateAndCreateTheFirstAdmin()
{
    Result<QSqlDatabase> owner = open(m_owner, false);
    QVERIFY2(owner.ok(), owner.ok() ? "" : qPrintable(owner.error().fullMessage()));
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT rolsuper FROM pg_roles WHERE rolname = '%1'").arg(m_owner)),
        QStringLiteral("false"));

    const Result<QList<int>> migrated = Migrator(*owner).migrate();
    QVERIFY2(migrated.ok(), migrated.ok() ? "" : qPrintable(migrated.error().fullMessage()));

    // The owner counts as admin for the staff functions.
    Result<QueryResult> role
        = runSingle(*owner, QStringLiteral("SELECT simdesk_session_role()"), {}, {});
    QVERIFY(role.ok());
    QCOMPARE(role.value().value(0).toString(), QStringLiteral("admin"));

    NewStaffMember anna;
    anna.login = m_admin;
    anna.displayName = QStringLiteral("Anna Berg");
    anna.email = QStringLiteral("anna@example.net");
    anna.role = StaffRole::Admin;
    anna.password = QStringLiteral("anna's first password");
    const Result<StaffMember> created = StaffService(*owner).create(anna);
    QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().fullMessage()));
    m_roles << m_admin;
    // Recorded, with the owner as the one who did it.
    Result<QueryResult> audit = runSingle(*owner,
        QStringLiteral("SELECT changed_by FROM audit_log WHERE table_name = 'staff' AND action = "
                       "'INSERT' AND new_row->>'login' = $1"),
        { m_admin }, m_admin);
    QVERIFY2(audit.ok(), audit.ok() ? "" : qPrintable(audit.error().fullMessage()));
    QCOMPARE(audit.value().value(0).toString(), m_owner);
}

void TestBootstrap::theFirstAdminShouldManageStaffOverTcp()
{
    Result<QSqlDatabase> anna = open(m_admin, true, QStringLiteral("anna's first password"));
    QVERIFY2(anna.ok(), anna.ok() ? "" : qPrintable(anna.error().fullMessage()));
    Result<SessionInfo> me = StaffService(*anna).currentSession();
    QVERIFY2(me.ok(), me.ok() ? "" : qPrintable(me.error().fullMessage()));
    QCOMPARE(me->role, std::optional<StaffRole>(StaffRole::Admin));

    NewStaffMember ben;
    ben.login = m_tdb->name() + QStringLiteral("_ben");
    ben.displayName = QStringLiteral("Ben Kurz");
    ben.email = QStringLiteral("ben@example.net");
    ben.role = StaffRole::Support;
    ben.password = QStringLiteral("ben's first password");
    const Result<StaffMember> created = StaffService(*anna).create(ben);
    QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().fullMessage()));
    m_roles << ben.login;

    // Ben signs in; Anna disables him: the login stops working and his open session ends.
    Result<QSqlDatabase> benDb = open(ben.login, true, ben.password);
    QVERIFY2(benDb.ok(), benDb.ok() ? "" : qPrintable(benDb.error().fullMessage()));
    const Status disabled = StaffService(*anna).setActive(ben.login, false);
    QVERIFY2(disabled.ok(), disabled.ok() ? "" : qPrintable(disabled.error().fullMessage()));
    const Result<QueryResult> after = runQuery(*benDb, QStringLiteral("SELECT 1"));
    QVERIFY(!after.ok());
    QCOMPARE(after.error().code, ErrorCode::ConnectionLost);
    QVERIFY(!open(ben.login, true, ben.password).ok());

    // Anna cannot leave the site without an administrator.
    const Status demoted = StaffService(*anna).setRole(m_admin, StaffRole::Support);
    QVERIFY(!demoted.ok());
    QCOMPARE(demoted.error().code, ErrorCode::LastActiveAdmin);
}

// docs/server-setup.md: `simdesk-cli setup-server` as the superuser, on a cluster where nothing
// of SimDesk exists; a NOLOGIN owner, the database, the schema and Anna, in one command.
void TestBootstrap::setupServerShouldDoEveryStepInOneCommandAndAgainNothing()
{
    const QString owner = m_tdb->name() + QStringLiteral("_nlowner");
    const QString database = m_tdb->name() + QStringLiteral("_central");
    const QString admin = m_tdb->name() + QStringLiteral("_carla");
    const ConnectionSettings su = m_tdb->settings();
    const QString url = QStringLiteral("postgresql:///%1?host=%2&port=%3&user=postgres")
                            .arg(database, su.host)
                            .arg(su.port);
    auto setup = [&](QString *output) {
        QString out;
        QString err;
        QString input = QStringLiteral("carla's first password\n");
        QTextStream outStream(&out);
        QTextStream errStream(&err);
        QTextStream in(&input);
        const int code
            = CliCommands(outStream, errStream, &in)
                  .run({ QStringLiteral("simdesk-cli"), QStringLiteral("setup-server"),
                      QStringLiteral("--db"), url, QStringLiteral("--owner"), owner,
                      QStringLiteral("--admin"), admin, QStringLiteral("--name"),
                      QStringLiteral("Carla Diaz"), QStringLiteral("--email"),
                      QStringLiteral("carla@example.net"), QStringLiteral("--password-stdin") });
        *output = out + err;
        return code;
    };
    QString first;
    QCOMPARE(setup(&first), 0);
    qInfo().noquote() << first;
    m_roles << admin << owner;
    QVERIFY(first.contains(QStringLiteral("Created the schema owner %1").arg(owner)));
    QVERIFY(first.contains(QStringLiteral("Created the database %1").arg(database)));
    QVERIFY(first.contains(QStringLiteral("Created the first administrator %1").arg(admin)));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT rolcanlogin::text || rolcreaterole::text FROM "
                                          "pg_roles WHERE rolname = '%1'")
                               .arg(owner)),
        QStringLiteral("falsetrue"));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT pg_has_role('%1', 'pg_signal_backend', "
                                          "'MEMBER')")
                               .arg(owner)),
        QStringLiteral("true"));

    // Carla signs in over TCP with her password and is the site's administrator; the tables
    // belong to the owner.
    ConnectionSettings carla = su;
    carla.host = QStringLiteral("127.0.0.1");
    carla.database = database;
    carla.user = admin;
    carla.password = QStringLiteral("carla's first password");
    {
        const QString name = Database::uniqueName(QStringLiteral("boot"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(carla, name);
        QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().fullMessage()));
        QCOMPARE(
            StaffService(*db).currentSession()->role, std::optional<StaffRole>(StaffRole::Admin));
        Result<QueryResult> tables = runSingle(*db,
            QStringLiteral(
                "SELECT string_agg(DISTINCT pg_get_userbyid(relowner)::text, ',') FROM "
                "pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"),
            {}, {});
        QVERIFY(tables.ok());
        QCOMPARE(tables->value(0).toString(), owner);
    }

    QString second;
    QCOMPARE(setup(&second), 0);
    QVERIFY(second.contains(QStringLiteral("The schema owner %1 exists.").arg(owner)));
    QVERIFY(second.contains(QStringLiteral("The schema is up to date.")));
    QVERIFY(second.contains(QStringLiteral("none was created")));

    m_tdb->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(database));
}

QTEST_GUILESS_MAIN(TestBootstrap)
#include "tst_bootstrap.moc"
