// SPDX-License-Identifier: MIT
#include "db/connectionsettings.h"
#include "db/database.h"
#include "db/migrator.h"
#include "services/staffservice.h"
#include "testdatabase.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace simdesk;

// What each role can and cannot do with raw SQL — psql and a staff password, no SimDesk in the
// way. The database alone must hold the line.
class TestSecurity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void rawSql_data();
    void rawSql();
    void createdByShouldComeFromTheSession();
    void noRoleShouldAlterOrDeleteEvents_data();
    void noRoleShouldAlterOrDeleteEvents();
    void onlyUnusedCardsCanBeDeleted();
    void newCardsShouldStartAvailable();
    void sessionShouldReportTheRoleTheDatabaseGrants();
    void adminShouldCreateALoginThatCanSignInWithItsPassword();
    void onlyAnAdminShouldManageStaff();
    void aDisabledLoginShouldNotConnect();
    void roleChangesShouldTakeEffect();

private:
    QString run(const QString &login, const QString &sql); // SQLSTATE, empty on success

    std::unique_ptr<TestDatabase> m_tdb;
    QMap<QString, QString> m_login; // role → login
    QMap<QString, QSqlDatabase> m_db;
    qint64 m_card = 0;
    qint64 m_usedCard = 0;
};

void TestSecurity::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("security"));
    REQUIRE_DATABASE(*m_tdb);
    const Result<QList<int>> r = Migrator(m_tdb->connect()).migrate();
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    for (const QString &role :
        { QStringLiteral("viewer"), QStringLiteral("support"), QStringLiteral("admin") }) {
        m_login[role] = m_tdb->createLogin(role, role);
        m_db[role] = m_tdb->connectAs(m_login[role]);
        QVERIFY(m_db[role].isOpen());
    }
    QCOMPARE(
        m_tdb->exec(QStringLiteral(
            "INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna Berg');"
            "INSERT INTO tariff_plans (code, name, sim_type) VALUES ('PRE', 'Prepaid', 'prepaid');"
            "INSERT INTO sim_cards (iccid, msisdn, sim_type) VALUES ('%1', '+4915901000000', "
            "'prepaid'), ('%2', NULL, 'prepaid');"
            "INSERT INTO sim_secrets (sim_id, pin, puk) SELECT id, '1234', '12345678' FROM "
            "sim_cards;"
            "INSERT INTO sim_events (sim_id, event_type, new_status) SELECT id, 'CREATED', "
            "'AVAILABLE' FROM sim_cards")
                        .arg(TestDatabase::iccid(1), TestDatabase::iccid(2))),
        QString());
    m_card = m_tdb
                 ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                              .arg(TestDatabase::iccid(1)))
                 .toLongLong();
    m_usedCard = m_tdb
                     ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                                  .arg(TestDatabase::iccid(2)))
                     .toLongLong();
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "UPDATE sim_cards SET status = 'RESERVED', customer_id = 1 WHERE id = %1")
                             .arg(m_usedCard)),
        QString());
}

void TestSecurity::cleanupTestCase()
{
    m_db.clear();
    m_tdb.reset();
}

QString TestSecurity::run(const QString &role, const QString &sql)
{
    // Each statement in its own transaction, rolled back, so allowed writes leave no trace.
    QSqlQuery q(m_db[role]);
    q.exec(QStringLiteral("BEGIN"));
    const bool ok = q.exec(QString(sql)
                               .replace(QLatin1String("@CARD@"), QString::number(m_card))
                               .replace(QLatin1String("@NEWICCID@"), TestDatabase::iccid(99)));
    const QString state = ok ? QString() : q.lastError().nativeErrorCode();
    QSqlQuery(m_db[role]).exec(QStringLiteral("ROLLBACK"));
    return state;
}

void TestSecurity::rawSql_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("sqlstate"); // empty: allowed
    const QString denied = QStringLiteral("42501");
    const QString ok;
    const QStringList readable { "sim_cards", "customers", "tariff_plans", "activation_codes",
        "sim_events", "import_batches", "staff", "sim_transitions", "schema_migrations" };
    for (const QString &role :
        { QStringLiteral("viewer"), QStringLiteral("support"), QStringLiteral("admin") }) {
        for (const QString &table : readable)
            QTest::addRow("%s reads %s", qPrintable(role), qPrintable(table))
                << role << QStringLiteral("SELECT * FROM %1 LIMIT 1").arg(table) << ok;
        QTest::addRow("%s cannot read PIN/PUK", qPrintable(role))
            << role << QStringLiteral("SELECT pin, puk FROM sim_secrets") << denied;
        QTest::addRow("%s cannot change a secret", qPrintable(role))
            << role << QStringLiteral("UPDATE sim_secrets SET pin = '0000'") << denied;
    }
    // Viewer: no writes at all.
    const QStringList writes {
        "UPDATE sim_cards SET status = 'RESERVED', customer_id = 1 WHERE id = @CARD@",
        "UPDATE sim_cards SET msisdn = NULL WHERE id = @CARD@",
        "INSERT INTO sim_cards (iccid, sim_type) VALUES ('@NEWICCID@', 'prepaid')",
        "DELETE FROM sim_cards WHERE id = @CARD@",
        "INSERT INTO customers (customer_no, full_name) VALUES ('C-9', 'Eve')",
        "UPDATE customers SET full_name = 'Eve'",
        "DELETE FROM customers",
        "INSERT INTO tariff_plans (code, name) VALUES ('X1', 'X')",
        "UPDATE tariff_plans SET monthly_fee = 0",
        "INSERT INTO sim_events (sim_id, event_type) VALUES (@CARD@, 'EDITED')",
        "UPDATE activation_codes SET status = 'USED', used_at = now()",
        "INSERT INTO import_batches (file_name, checksum, format) VALUES ('a', repeat('a', 64), "
        "'csv')",
        "UPDATE staff SET role = 'admin'",
        "SELECT * FROM simdesk_reveal_secrets(@CARD@)",
        "SELECT simdesk_create_staff('eve', 'SCRAM-SHA-256$x', 'e@x.io', 'Eve', 'admin')",
        "CREATE TABLE mine (id int)",
    };
    for (const QString &sql : writes)
        QTest::addRow("viewer: %s", qPrintable(sql.left(60)))
            << QStringLiteral("viewer") << sql << denied;

    // Support: lifecycle and customers, not inventory, tariffs, imports or staff.
    QTest::newRow("support reserves")
        << "support"
        << "UPDATE sim_cards SET status = 'RESERVED', customer_id = 1 WHERE id = @CARD@" << ok;
    QTest::newRow("support writes an event")
        << "support"
        << "INSERT INTO sim_events (sim_id, event_type, note) VALUES (@CARD@, 'EDITED', 'x')" << ok;
    QTest::newRow("support creates a customer")
        << "support"
        << "INSERT INTO customers (full_name) VALUES ('Eve Example')" << ok;
    QTest::newRow("support reveals PIN/PUK through the audited function")
        << "support"
        << "SELECT * FROM simdesk_reveal_secrets(@CARD@, 'x')" << ok;
    QTest::newRow("support cannot create a card")
        << "support"
        << "INSERT INTO sim_cards (iccid, sim_type) VALUES ('@NEWICCID@', 'prepaid')" << denied;
    QTest::newRow("support cannot delete a card")
        << "support"
        << "DELETE FROM sim_cards WHERE id = @CARD@" << denied;
    QTest::newRow("support cannot change an ICCID")
        << "support"
        << "UPDATE sim_cards SET iccid = '@NEWICCID@' WHERE id = @CARD@" << denied;
    QTest::newRow("support cannot create a tariff plan")
        << "support"
        << "INSERT INTO tariff_plans (code, name) VALUES ('X1', 'X')" << denied;
    QTest::newRow("support cannot delete a tariff plan") << "support"
                                                         << "DELETE FROM tariff_plans" << denied;
    QTest::newRow("support cannot import") << "support"
                                           << "INSERT INTO import_batches (file_name, checksum, "
                                              "format) VALUES ('a', repeat('a', 64), 'csv')"
                                           << denied;
    QTest::newRow("support cannot set PIN/PUK")
        << "support"
        << "SELECT simdesk_set_secrets(@CARD@, '0000', '00000000')" << denied;
    QTest::newRow("support cannot create staff")
        << "support"
        << "SELECT simdesk_create_staff('eve', 'SCRAM-SHA-256$x', 'e@x.io', 'Eve', 'admin')"
        << denied;
    QTest::newRow("support cannot write an event's author")
        << "support"
        << "INSERT INTO sim_events (sim_id, event_type, created_by) VALUES (@CARD@, 'EDITED', "
           "'someone_else')"
        << denied;
    QTest::newRow("support cannot backdate an event")
        << "support"
        << "INSERT INTO sim_events (sim_id, event_type, created_at) VALUES (@CARD@, 'EDITED', "
           "'2020-01-01')"
        << denied;
    QTest::newRow("support cannot bump a version by hand")
        << "support"
        << "UPDATE sim_cards SET version = 1 WHERE id = @CARD@" << denied;

    // Admin: inventory, tariffs, secrets, staff.
    QTest::newRow("admin creates a card")
        << "admin"
        << "INSERT INTO sim_cards (iccid, sim_type) VALUES ('@NEWICCID@', 'prepaid')" << ok;
    QTest::newRow("admin deletes an unused card")
        << "admin"
        << "DELETE FROM sim_cards WHERE id = @CARD@" << ok;
    QTest::newRow("admin creates a tariff plan")
        << "admin"
        << "INSERT INTO tariff_plans (code, name) VALUES ('X1', 'X')" << ok;
    QTest::newRow("admin sets PIN/PUK")
        << "admin"
        << "SELECT simdesk_set_secrets(@CARD@, '0000', '00000000')" << ok;
    QTest::newRow("admin still cannot read sim_secrets directly")
        << "admin"
        << "SELECT * FROM sim_secrets" << denied;
    QTest::newRow("admin cannot change the transition table")
        << "admin"
        << "INSERT INTO sim_transitions VALUES ('TERMINATED', 'resume', 'ACTIVE')" << denied;
    QTest::newRow("admin cannot fake the schema version")
        << "admin"
        << "DELETE FROM schema_migrations" << denied;
}

void TestSecurity::rawSql()
{
    QFETCH(QString, role);
    QFETCH(QString, sql);
    QFETCH(QString, sqlstate);
    QCOMPARE(run(role, sql), sqlstate);
}

void TestSecurity::createdByShouldComeFromTheSession()
{
    QSqlQuery q(m_db[QStringLiteral("support")]);
    QVERIFY(q.exec(QStringLiteral(
        "INSERT INTO sim_events (sim_id, event_type, note) VALUES (%1, 'EDITED', 'who am i') "
        "RETURNING created_by, created_at > now() - interval '1 minute'")
                       .arg(m_card)));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), m_login[QStringLiteral("support")]);
    QVERIFY(q.value(1).toBool());
}

void TestSecurity::noRoleShouldAlterOrDeleteEvents_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("sql");
    for (const QString &role :
        { QStringLiteral("viewer"), QStringLiteral("support"), QStringLiteral("admin") }) {
        QTest::addRow("%s updates", qPrintable(role))
            << role << QStringLiteral("UPDATE sim_events SET note = 'rewritten'");
        QTest::addRow("%s deletes", qPrintable(role))
            << role << QStringLiteral("DELETE FROM sim_events");
        QTest::addRow("%s truncates", qPrintable(role))
            << role << QStringLiteral("TRUNCATE sim_events");
    }
}

void TestSecurity::noRoleShouldAlterOrDeleteEvents()
{
    QFETCH(QString, role);
    QFETCH(QString, sql);
    const QString before = m_tdb->scalar(
        QStringLiteral("SELECT count(*) || md5(string_agg(note, ',')) FROM sim_events"));
    QVERIFY(!run(role, sql).isEmpty());
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT count(*) || md5(string_agg(note, ',')) FROM sim_events")),
        before);
}

void TestSecurity::onlyUnusedCardsCanBeDeleted()
{
    // The reserved card has been used: even an admin gets SD004, and it stays.
    QCOMPARE(run(QStringLiteral("admin"),
                 QStringLiteral("DELETE FROM sim_cards WHERE id = %1").arg(m_usedCard)),
        QStringLiteral("SD004"));
    // A deleted unused card leaves a DELETED event with its ICCID.
    QSqlQuery q(m_db[QStringLiteral("admin")]);
    QVERIFY(q.exec(QStringLiteral(
        "INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid') RETURNING id")
                       .arg(TestDatabase::iccid(77))));
    QVERIFY(q.next());
    const qint64 id = q.value(0).toLongLong();
    QVERIFY(q.exec(QStringLiteral("DELETE FROM sim_cards WHERE id = %1").arg(id)));
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT created_by || ':' || (details->>'iccid') FROM sim_events "
                                "WHERE sim_id = %1 AND event_type = 'DELETED'")
                     .arg(id)),
        m_login[QStringLiteral("admin")] + QLatin1Char(':') + TestDatabase::iccid(77));
}

void TestSecurity::newCardsShouldStartAvailable()
{
    // Column grants stop an admin before the trigger does (the trigger holds for the schema's
    // owner role, which may insert every column).
    QCOMPARE(run(QStringLiteral("admin"),
                 QStringLiteral(
                     "INSERT INTO sim_cards (iccid, sim_type, status, customer_id, tariff_plan_id) "
                     "VALUES ('@NEWICCID@', 'prepaid', 'ACTIVE', 1, 1)")),
        QStringLiteral("42501"));
    const QString owner = m_tdb->name() + QStringLiteral("_owner");
    QCOMPARE(
        m_tdb->exec(
            QStringLiteral("CREATE ROLE %1 LOGIN; GRANT INSERT ON sim_cards TO %1").arg(owner)),
        QString());
    QSqlDatabase db = m_tdb->connectAs(owner);
    QSqlQuery q(db);
    QVERIFY(!q.exec(QStringLiteral(
        "INSERT INTO sim_cards (iccid, sim_type, status, customer_id, tariff_plan_id) "
        "VALUES ('%1', 'prepaid', 'ACTIVE', 1, 1)")
                        .arg(TestDatabase::iccid(98))));
    QCOMPARE(q.lastError().nativeErrorCode(), QStringLiteral("SD003"));
}

void TestSecurity::sessionShouldReportTheRoleTheDatabaseGrants()
{
    for (const QString &role :
        { QStringLiteral("viewer"), QStringLiteral("support"), QStringLiteral("admin") }) {
        const Result<SessionInfo> s = StaffService(m_db[role]).currentSession();
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().fullMessage()));
        QCOMPARE(s->login, m_login[role]);
        QCOMPARE(s->role, staffRoleFromKey(role));
        QCOMPARE(s->displayName, QStringLiteral("Test %1").arg(role));
    }
    // A login in no SimDesk group has no role, and cannot read anything.
    QCOMPARE(
        m_tdb->exec(QStringLiteral("CREATE ROLE %1_nobody LOGIN").arg(m_tdb->name())), QString());
    QSqlDatabase nobody = m_tdb->connectAs(m_tdb->name() + QStringLiteral("_nobody"));
    const Result<SessionInfo> s = StaffService(nobody).currentSession();
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::PermissionDenied);
}

void TestSecurity::adminShouldCreateALoginThatCanSignInWithItsPassword()
{
    StaffService admin(m_db[QStringLiteral("admin")]);
    const QString login = m_tdb->name() + QStringLiteral("_newcomer");
    const Result<StaffMember> m = admin.create({ login, QStringLiteral("correct horse battery"),
        QStringLiteral("new@example.net"), QStringLiteral("New Comer"), StaffRole::Support });
    QVERIFY2(m.ok(), m.ok() ? "" : qPrintable(m.error().fullMessage()));
    // The server only ever saw a verifier.
    QVERIFY(
        m_tdb
            ->scalar(
                QStringLiteral("SELECT rolpassword FROM pg_authid WHERE rolname = '%1'").arg(login))
            .startsWith(QLatin1String("SCRAM-SHA-256$")));
    // Over TCP the cluster asks for the password (scram-sha-256).
    ConnectionSettings tcp = m_tdb->settings();
    tcp.host = QStringLiteral("127.0.0.1");
    tcp.user = login;
    tcp.password = QStringLiteral("correct horse battery");
    {
        const QString name = Database::uniqueName(QStringLiteral("newcomer"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(tcp, name);
        QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().fullMessage()));
        QCOMPARE(
            StaffService(*db).currentSession()->role, std::optional<StaffRole>(StaffRole::Support));
    }
    tcp.password = QStringLiteral("wrong password!");
    {
        const QString name = Database::uniqueName(QStringLiteral("newcomer"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(tcp, name);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().code, ErrorCode::AuthenticationFailed);
        QVERIFY(db.error().detail.contains(QLatin1String("password authentication failed")));
    }
    // Same login again.
    const Result<StaffMember> again = admin.create({ login, QStringLiteral("correct horse battery"),
        QStringLiteral("new2@example.net"), QStringLiteral("Again"), StaffRole::Viewer });
    QCOMPARE(again.error().code, ErrorCode::DuplicateValue);
}

void TestSecurity::onlyAnAdminShouldManageStaff()
{
    StaffService support(m_db[QStringLiteral("support")]);
    const Result<StaffMember> m = support.create(
        { m_tdb->name() + QStringLiteral("_sneaky"), QStringLiteral("0123456789abc"),
            QStringLiteral("s@example.net"), QStringLiteral("Sneaky"), StaffRole::Admin });
    QCOMPARE(m.error().code, ErrorCode::PermissionDenied);
    QCOMPARE(support.setRole(m_login[QStringLiteral("support")], StaffRole::Admin).error().code,
        ErrorCode::PermissionDenied);
    QCOMPARE(support.setActive(m_login[QStringLiteral("viewer")], false).error().code,
        ErrorCode::PermissionDenied);
    QCOMPARE(support.setPassword(m_login[QStringLiteral("viewer")], QStringLiteral("0123456789abc"))
                 .error()
                 .code,
        ErrorCode::PermissionDenied);
    // Input checks before anything reaches the server.
    StaffService admin(m_db[QStringLiteral("admin")]);
    QCOMPARE(admin
                 .create({ QStringLiteral("Bad Name"), QStringLiteral("0123456789abc"),
                     QStringLiteral("b@x.io"), QStringLiteral("B"), StaffRole::Viewer })
                 .error()
                 .code,
        ErrorCode::StaffLoginInvalid);
    QCOMPARE(admin
                 .create({ QStringLiteral("simdesk_admin2"), QStringLiteral("0123456789abc"),
                     QStringLiteral("b@x.io"), QStringLiteral("B"), StaffRole::Viewer })
                 .error()
                 .code,
        ErrorCode::StaffLoginInvalid);
    QCOMPARE(admin
                 .create({ m_tdb->name() + QStringLiteral("_short"), QStringLiteral("short"),
                     QStringLiteral("b@x.io"), QStringLiteral("B"), StaffRole::Viewer })
                 .error()
                 .code,
        ErrorCode::StaffPasswordTooShort);
}

void TestSecurity::aDisabledLoginShouldNotConnect()
{
    const QString login = m_tdb->createLogin(QStringLiteral("leaver"), QStringLiteral("support"));
    QVERIFY(StaffService(m_db[QStringLiteral("admin")]).setActive(login, false).ok());
    ConnectionSettings as = m_tdb->settings();
    as.user = login;
    const QString name = Database::uniqueName(QStringLiteral("leaver"));
    ScopedConnection guard(name);
    const Result<QSqlDatabase> db = Database::open(as, name);
    QVERIFY(!db.ok());
    QVERIFY2(db.error().detail.contains(QLatin1String("not permitted to log in")),
        qPrintable(db.error().detail));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT active FROM staff WHERE login = '%1'").arg(login)),
        QStringLiteral("false"));
    // An admin cannot lock themselves out.
    QCOMPARE(StaffService(m_db[QStringLiteral("admin")])
                 .setActive(m_login[QStringLiteral("admin")], false)
                 .error()
                 .code,
        ErrorCode::ConstraintViolation);
}

void TestSecurity::roleChangesShouldTakeEffect()
{
    const QString login = m_tdb->createLogin(QStringLiteral("promoted"), QStringLiteral("viewer"));
    QVERIFY(StaffService(m_db[QStringLiteral("admin")]).setRole(login, StaffRole::Support).ok());
    QSqlDatabase db = m_tdb->connectAs(login);
    QCOMPARE(StaffService(db).currentSession()->role, std::optional<StaffRole>(StaffRole::Support));
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT role FROM staff WHERE login = '%1'").arg(login)),
        QStringLiteral("support"));
    // Exactly one group.
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT string_agg(r.rolname, ',') FROM pg_auth_members m "
                                     "JOIN pg_roles r ON r.oid = m.roleid "
                                     "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '%1'")
                          .arg(login)),
        QStringLiteral("simdesk_support"));
}

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
