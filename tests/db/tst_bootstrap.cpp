// SPDX-License-Identifier: MIT
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
    QCOMPARE(m_tdb->exec(QStringLiteral("CREATE ROLE %1 LOGIN CREATEROLE NOSUPERUSER").arg(m_owner)),
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
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT rolsuper FROM pg_roles WHERE rolname = '%1'")
                               .arg(m_owner)),
        QStringLiteral("false"));

    const Result<QList<int>> migrated = Migrator(*owner).migrate();
    QVERIFY2(migrated.ok(), migrated.ok() ? "" : qPrintable(migrated.error().fullMessage()));

    // The owner counts as admin for the staff functions.
    Result<QueryResult> role = runSingle(*owner, QStringLiteral("SELECT simdesk_session_role()"), {}, {});
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

QTEST_GUILESS_MAIN(TestBootstrap)
#include "tst_bootstrap.moc"
