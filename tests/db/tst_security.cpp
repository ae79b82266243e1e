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
//
// Ported to the model of migration 003 (SPEC.md): cards, events, secrets, batches and staff are
// written only by the database's functions. Rows whose intent 003 deliberately reverses say so
// ("003:"); tests/db/tst_hostile.cpp tries the same over TCP, and much more.
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
    // Cards through the functions (the schema owner counts as admin), so that every card has its
    // events, as in a real database.
    QCOMPARE(
        m_tdb->exec(QStringLiteral(
            "INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna Berg');"
            "INSERT INTO tariff_plans (code, name, sim_type) VALUES ('PRE', 'Prepaid', 'prepaid');"
            "SELECT simdesk_sim_create('%1', '+4915901000000', NULL, 'prepaid', '1234', "
            "'12345678', 'cli'), simdesk_sim_create('%2', NULL, NULL, 'prepaid', '1234', "
            "'12345678', 'cli')")
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
    QCOMPARE(
        m_tdb->exec(QStringLiteral("SELECT simdesk_sim_act(%1, 'reserve', NULL, 1, NULL, NULL, "
                                   "'setup', 'cli')")
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
        "sim_events", "import_batches", "staff", "sim_transitions", "schema_migrations",
        "audit_log" };
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
        // 003: the one-step simdesk_reveal_secrets is gone; its two-step successor is support's.
        "SELECT simdesk_request_reveal(@CARD@, 'curious', 'cli')",
        "SELECT simdesk_sim_act(@CARD@, 'reserve', NULL, 1, NULL, NULL, 'x', 'cli')",
        "SELECT simdesk_create_staff('eve', 'SCRAM-SHA-256$x', 'e@x.io', 'Eve', 'admin')",
        "CREATE TABLE mine (id int)",
    };
    for (const QString &sql : writes)
        QTest::addRow("viewer: %s", qPrintable(sql.left(60)))
            << QStringLiteral("viewer") << sql << denied;

    // Support: lifecycle and customers, not inventory, tariffs, imports or staff.
    QTest::newRow("support reserves through the lifecycle function")
        << "support"
        << "SELECT simdesk_sim_act(@CARD@, 'reserve', NULL, 1, NULL, NULL, 'x', 'cli')" << ok;
    // 003: support no longer UPDATEs a card (that change had no event) nor writes events.
    QTest::newRow("support cannot UPDATE a card's status any more")
        << "support"
        << "UPDATE sim_cards SET status = 'RESERVED', customer_id = 1 WHERE id = @CARD@" << denied;
    QTest::newRow("support cannot write an event any more")
        << "support"
        << "INSERT INTO sim_events (sim_id, event_type, note) VALUES (@CARD@, 'EDITED', 'x')"
        << denied;
    QTest::newRow("support creates a customer")
        << "support"
        << "INSERT INTO customers (full_name) VALUES ('Eve Example')" << ok;
    // 003: a reveal is requested (and committed) first, then read in a later transaction.
    QTest::newRow("support requests a PIN/PUK reveal through the audited function")
        << "support"
        << "SELECT simdesk_request_reveal(@CARD@, 'x', 'cli')" << ok;
    QTest::newRow("support cannot reveal in the requesting transaction")
        << "support"
        << "SELECT * FROM simdesk_read_revealed(simdesk_request_reveal(@CARD@, 'x', 'cli'))"
        << "SD030";
    QTest::newRow("the one-step reveal is gone")
        << "support"
        << "SELECT * FROM simdesk_reveal_secrets(@CARD@, 'x')"
        << "42883";
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
        << "SELECT simdesk_set_secrets(@CARD@, '0000', '00000000', 'new PIN')" << denied;
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
        << "SELECT simdesk_sim_create('@NEWICCID@', NULL, NULL, 'prepaid', NULL, NULL, 'cli')"
        << ok;
    QTest::newRow("admin deletes an unused card")
        << "admin"
        << "SELECT simdesk_sim_delete(@CARD@, NULL, 'x', 'cli')" << ok;
    // 003: not even an admin writes sim_cards directly.
    QTest::newRow("admin cannot INSERT a card any more")
        << "admin"
        << "INSERT INTO sim_cards (iccid, sim_type) VALUES ('@NEWICCID@', 'prepaid')" << denied;
    QTest::newRow("admin cannot DELETE a card any more")
        << "admin"
        << "DELETE FROM sim_cards WHERE id = @CARD@" << denied;
    QTest::newRow("admin cannot write import_batches.reverted_by")
        << "admin"
        << "UPDATE import_batches SET reverted_by = 'someone'" << denied;
    QTest::newRow("admin creates a tariff plan")
        << "admin"
        << "INSERT INTO tariff_plans (code, name) VALUES ('X1', 'X')" << ok;
    QTest::newRow("admin sets PIN/PUK")
        << "admin"
        << "SELECT simdesk_set_secrets(@CARD@, '0000', '00000000', 'new PIN')" << ok;
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
    // 003: nobody INSERTs events any more; the database writes them, with the session's login.
    QSqlQuery q(m_db[QStringLiteral("support")]);
    QVERIFY(
        q.exec(QStringLiteral("SELECT simdesk_request_reveal(%1, 'who am i', 'cli')").arg(m_card)));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT created_by || ':' || (created_at > now() - "
                                     "interval '1 minute')::text FROM sim_events WHERE sim_id = "
                                     "%1 AND note = 'who am i'")
                          .arg(m_card)),
        m_login[QStringLiteral("support")] + QStringLiteral(":true"));
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
                 QStringLiteral("SELECT simdesk_sim_delete(%1, NULL, 'x', 'cli')").arg(m_usedCard)),
        QStringLiteral("SD004"));
    // A deleted unused card leaves a DELETED event with its ICCID.
    QSqlQuery q(m_db[QStringLiteral("admin")]);
    QVERIFY(q.exec(QStringLiteral("SELECT simdesk_sim_create('%1', NULL, NULL, 'prepaid', NULL, "
                                  "NULL, 'cli')")
                       .arg(TestDatabase::iccid(77))));
    QVERIFY(q.next());
    const qint64 id = q.value(0).toLongLong();
    QVERIFY(q.exec(QStringLiteral("SELECT simdesk_sim_delete(%1, NULL, 'unused', 'cli')").arg(id)));
    QCOMPARE(m_tdb->scalar(
                 QStringLiteral("SELECT created_by || ':' || (details->>'iccid') FROM sim_events "
                                "WHERE sim_id = %1 AND event_type = 'DELETED'")
                     .arg(id)),
        m_login[QStringLiteral("admin")] + QLatin1Char(':') + TestDatabase::iccid(77));
}

void TestSecurity::newCardsShouldStartAvailable()
{
    // No role may INSERT a card at all.
    QCOMPARE(run(QStringLiteral("admin"),
                 QStringLiteral(
                     "INSERT INTO sim_cards (iccid, sim_type, status, customer_id, tariff_plan_id) "
                     "VALUES ('@NEWICCID@', 'prepaid', 'ACTIVE', 1, 1)")),
        QStringLiteral("42501"));
    // 003: the INSERT half of the transition trigger (SD003, for a role granted INSERT) is gone:
    // no role has INSERT, and the only way in, simdesk_sim_create, takes no status. What it
    // makes is AVAILABLE, with its CREATED event.
    QSqlQuery q(m_db[QStringLiteral("admin")]);
    QVERIFY(q.exec(QStringLiteral("SELECT simdesk_sim_create('%1', NULL, NULL, 'prepaid', NULL, "
                                  "NULL, 'cli')")
                       .arg(TestDatabase::iccid(98))));
    QVERIFY(q.next());
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT c.status || ':' || e.event_type || ':' || "
                                          "e.new_status FROM sim_cards c JOIN sim_events e ON "
                                          "e.sim_id = c.id WHERE c.id = %1")
                               .arg(q.value(0).toLongLong())),
        QStringLiteral("AVAILABLE:CREATED:AVAILABLE"));
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
    // A login in no SimDesk group has no role, and cannot read anything. 003: it cannot even
    // connect (CONNECT is revoked from PUBLIC and granted to simdesk_viewer only).
    QCOMPARE(
        m_tdb->exec(QStringLiteral("CREATE ROLE %1_nobody LOGIN").arg(m_tdb->name())), QString());
    ConnectionSettings as = m_tdb->settings();
    as.user = m_tdb->name() + QStringLiteral("_nobody");
    const QString name = Database::uniqueName(QStringLiteral("nobody"));
    ScopedConnection guard(name);
    const Result<QSqlDatabase> nobody = Database::open(as, name);
    QVERIFY(!nobody.ok());
    QVERIFY2(nobody.error().detail.contains(QLatin1String("CONNECT privilege")),
        qPrintable(nobody.error().detail));
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
    // An admin cannot lock themselves out, and is told so in words of their own (SD150).
    QCOMPARE(StaffService(m_db[QStringLiteral("admin")])
                 .setActive(m_login[QStringLiteral("admin")], false)
                 .error()
                 .code,
        ErrorCode::StaffOwnLogin);
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
