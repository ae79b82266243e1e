// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "pgsession.h"
#include "testdatabase.h"

#include <libpq-fe.h>

#include <QRegularExpression>
#include <QTest>
#include <QThread>

#include <map>
#include <memory>
#include <utility>

using namespace simdesk;

// A hostile staff member with psql over TCP (docs/security.md): viewer, support and admin
// logins with passwords, libpq's simple query protocol (what psql sends, several statements in
// one string allowed), and every way around the rules we could think of. Each attempt must be
// REFUSED (an error; its SQLSTATE is in the failure message when it was not) or AUDITED (a row
// the database wrote itself, naming the login). The test needs nothing of core but the Migrator:
// the database alone must hold the line.
//
// The slots run in order and build on each other's data; the last two check the audit invariant
// over every card the others touched.
class TestHostile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void directSqlShouldBeRefused_data();
    void directSqlShouldBeRefused();
    void directWritesToCustomersPlansAndCodesShouldBeAudited();
    void bulkActionsShouldNotSkipTheTransitionTable();
    void shadowTablesAndFunctionsShouldNotChangeWhatTheDatabaseDoes();
    void aRevealReadInTheRequestingTransactionShouldBeRefused();
    void aRevealShouldLeaveExactlyOneCommittedEvent();
    void aRevealTokenShouldServeOneReadOfItsOwner();
    void theOldRevealFunctionShouldBeGoneOrAuditedForGood();
    void settingSecretsShouldWriteAnEventWithoutTheSecrets();
    void settingSecretsShouldTakeAReason();
    void hostileValuesShouldBeStoredExactlyOrRefused_data();
    void hostileValuesShouldBeStoredExactlyOrRefused();
    void twoClientsActivatingOneCardShouldNotBothSucceed();
    void staffChangesShouldBeAuditedWithWhoDidThem();
    void theLastActiveAdminShouldStay();
    void disablingALoginShouldEndItsOpenSessions();
    void twoAdminsDemotingEachOtherShouldLeaveAnAdmin();
    void everyCardShouldBeTheReplayOfItsEvents();
    void everyEventAndAuditRowShouldNameARealLogin();

private:
    using Session = PgSession;
    using Outcome = PgOutcome;

    Session &as(const QString &who);
    std::unique_ptr<Session> connectTcp(const QString &login, const QByteArray &password);
    std::unique_ptr<Session> superuserSession();
    QString fill(QString sql, const QString &who);
    Outcome su(const QString &sql);
    Outcome suParams(const QString &sql, const QList<QByteArray> &values);
    QString suValue(const QString &sql);
    qint64 suCount(const QString &sql) { return suValue(sql).toLongLong(); }
    QString verifier(const QByteArray &password);
    QString actSql(const QString &card, const QString &action, const QString &customer = {},
        const QString &plan = {}, const QString &code = {}, const QString &reason = {});
    qint64 lastAuditId()
    {
        return suCount(QStringLiteral("SELECT coalesce(max(id), 0) FROM audit_log"));
    }
    qint64 lastEventId()
    {
        return suCount(QStringLiteral("SELECT coalesce(max(id), 0) FROM sim_events"));
    }
    void restoreAdmin(const QString &login);

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Session> m_su; // superuser over the private socket: setup and checks only
    std::map<QString, std::unique_ptr<Session>> m_sessions;
    QMap<QString, QString> m_login; // viewer, support, admin, support2, viewer2, admin2 → login
    QMap<QString, QByteArray> m_password;
    QMap<QString, qint64> m_card; // AVAILABLE, ACTIVE, … → card id
    QMap<QString, QString> m_pin, m_puk; // card key → its PIN/PUK as set up
    QMap<QString, qint64> m_id; // CUST1, PLAN, … → row id
    QString m_swapId;
    QString m_checksum;
    QString m_verifier;
};

namespace {

// Where an event keeps its reason: a reason column, the note, or details.
const QString kReason
    = QStringLiteral("coalesce(to_jsonb(e)->>'reason', e.note, e.details->>'reason')");

const QStringList kRoles { QStringLiteral("viewer"), QStringLiteral("support"),
    QStringLiteral("admin") };

} // namespace

// ---------------------------------------------------------------------------------------------

std::unique_ptr<TestHostile::Session> TestHostile::connectTcp(
    const QString &login, const QByteArray &password)
{
    return pgConnectTcp(*m_tdb, login, password);
}

TestHostile::Session &TestHostile::as(const QString &who)
{
    std::unique_ptr<Session> &s = m_sessions[who];
    // A session that was ended while idle only says so at its next query: ask first.
    if (s && s->isOpen() && !s->exec(QString()).ok && s->isOpen())
        qWarning("%s: an empty query failed", qPrintable(who));
    if (!s || !s->isOpen())
        s = connectTcp(m_login.value(who), m_password.value(who));
    return *s;
}

TestHostile::Outcome TestHostile::su(const QString &sql)
{
    Outcome o = m_su->exec(sql);
    if (!o.ok && !m_su->isOpen()) {
        qWarning("the superuser's session was ended (%s): reconnecting", qPrintable(o.describe()));
        m_su = superuserSession();
        o = m_su->exec(sql);
    }
    return o;
}

TestHostile::Outcome TestHostile::suParams(const QString &sql, const QList<QByteArray> &values)
{
    Outcome o = m_su->execParams(sql, values);
    if (!o.ok && !m_su->isOpen()) {
        qWarning("the superuser's session was ended (%s): reconnecting", qPrintable(o.describe()));
        m_su = superuserSession();
        o = m_su->execParams(sql, values);
    }
    return o;
}

std::unique_ptr<TestHostile::Session> TestHostile::superuserSession()
{
    return pgSuperuser(*m_tdb);
}

QString TestHostile::suValue(const QString &sql)
{
    const Outcome o = su(sql);
    if (!o.ok)
        qWarning("superuser check failed: %s\n  %s", qPrintable(sql), qPrintable(o.describe()));
    return o.value();
}

QString TestHostile::verifier(const QByteArray &password)
{
    return pgVerifier(*m_su, password);
}

// @KEY@ → a card's id, @VKEY@ → its current version, @CUST1@ & co → row ids, @SELF@ the login
// of `who`, @OTHER@ somebody else's (an admin's for the lower roles), @ADMIN@, @SUPERUSER@,
// @SWAPID@, @BATCH@, @NEWICCID@ (a valid ICCID no card has), @VERIFIER@ (a valid SCRAM verifier),
// @DATABASE@.
QString TestHostile::fill(QString sql, const QString &who)
{
    sql.replace(QLatin1String("@VERIFIER@"), m_verifier);
    static const QRegularExpression version(QStringLiteral("@V([A-Z0-9]+)@"));
    for (QRegularExpressionMatch m = version.match(sql); m.hasMatch(); m = version.match(sql)) {
        const QString v = suValue(QStringLiteral("SELECT version FROM sim_cards WHERE id = %1")
                                      .arg(m_card.value(m.captured(1))));
        sql.replace(m.captured(0), v.isEmpty() ? QStringLiteral("NULL") : v);
    }
    for (auto it = m_card.cbegin(); it != m_card.cend(); ++it)
        sql.replace(QLatin1Char('@') + it.key() + QLatin1Char('@'), QString::number(it.value()));
    for (auto it = m_id.cbegin(); it != m_id.cend(); ++it)
        sql.replace(QLatin1Char('@') + it.key() + QLatin1Char('@'), QString::number(it.value()));
    sql.replace(QLatin1String("@SELF@"), m_login.value(who));
    sql.replace(QLatin1String("@OTHER@"),
        m_login.value(
            who == QLatin1String("admin") ? QStringLiteral("support") : QStringLiteral("admin")));
    sql.replace(QLatin1String("@ADMIN@"), m_login.value(QStringLiteral("admin")));
    sql.replace(QLatin1String("@SUPERUSER@"), m_tdb->settings().user);
    sql.replace(QLatin1String("@SWAPID@"), m_swapId);
    sql.replace(QLatin1String("@NEWICCID@"), TestDatabase::iccid(999));
    sql.replace(QLatin1String("@DATABASE@"), m_tdb->name());
    return sql;
}

QString TestHostile::actSql(const QString &card, const QString &action, const QString &customer,
    const QString &plan, const QString &code, const QString &reason)
{
    const auto orNull = [](const QString &s) {
        return s.isEmpty() ? QStringLiteral("NULL") : s;
    };
    return fill(QStringLiteral("SELECT simdesk_sim_act(@%1@, '%2', @V%1@, %3, %4, %5, %6, 'cli')")
                    .arg(card, action, orNull(customer), orNull(plan), orNull(code),
                        reason.isEmpty() ? QStringLiteral("'hostile test'") : reason),
        QString());
}

void TestHostile::restoreAdmin(const QString &login)
{
    // Only after a hole let an admin go: put it back so that the later slots still test something.
    su(QStringLiteral("GRANT simdesk_admin TO \"%1\"; ALTER ROLE \"%1\" LOGIN; "
                      "UPDATE staff SET role = 'admin', active = true WHERE login = '%1'")
            .arg(login));
}

void TestHostile::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("hostile"));
    REQUIRE_DATABASE(*m_tdb);
    {
        const Result<QList<int>> r = Migrator(m_tdb->connect()).migrate();
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    }
    m_su = superuserSession();
    QVERIFY2(m_su->isOpen(), qPrintable(m_su->error()));
    su(QStringLiteral("SET client_min_messages = warning"));
    m_verifier = verifier("pwned-password-1");
    QVERIFY(m_verifier.startsWith(QLatin1String("SCRAM-SHA-256$")));

    // Logins with passwords, as docs/security.md makes them (admin2 comes later, from an admin).
    const QList<std::pair<QString, QString>> logins { { QStringLiteral("viewer"),
                                                          QStringLiteral("viewer") },
        { QStringLiteral("support"), QStringLiteral("support") },
        { QStringLiteral("admin"), QStringLiteral("admin") },
        { QStringLiteral("support2"), QStringLiteral("support") },
        { QStringLiteral("viewer2"), QStringLiteral("viewer") } };
    for (const auto &[who, group] : logins) {
        const QString login = m_tdb->name() + QLatin1Char('_') + who;
        m_login[who] = login;
        m_password[who] = QStringLiteral("pw-%1-'\"\\x").arg(who).toUtf8();
        QVERIFY2(pgCreateLogin(*m_su, login, m_password[who], group), qPrintable(login));
        QVERIFY2(as(who).isOpen(), qPrintable(login + QStringLiteral(": ") + as(who).error()));
    }
    m_login[QStringLiteral("admin2")] = m_tdb->name() + QStringLiteral("_admin2");
    m_password[QStringLiteral("admin2")] = "second admin password";

    // Reference data through the grants the roles keep.
    Session &admin = as(QStringLiteral("admin"));
    Session &support = as(QStringLiteral("support"));
    const auto id = [](const Outcome &o) {
        return o.value().toLongLong();
    };
    const QList<std::pair<QString, QString>> plans {
        { QStringLiteral("PLAN"), QStringLiteral("('H-PRE', 'Hostile prepaid', 'prepaid', true)") },
        { QStringLiteral("PLANPOST"),
            QStringLiteral("('H-POST', 'Hostile postpaid', 'postpaid', true)") },
        { QStringLiteral("PLANOLD"),
            QStringLiteral("('H-OLD', 'Hostile retired', 'prepaid', false)") }
    };
    for (const auto &[key, values] : plans) {
        const Outcome o = admin.exec(QStringLiteral(
            "INSERT INTO tariff_plans (code, name, sim_type, active) VALUES %1 RETURNING id")
                                         .arg(values));
        SUCCEEDS(o, "admin creates tariff plan " + key);
        m_id[key] = id(o);
    }
    for (const auto &[key, values] : QList<std::pair<QString, QString>> {
             { QStringLiteral("CODEUSED"), QStringLiteral("('HOSTILE-0001', NULL)") },
             { QStringLiteral("CODE"), QStringLiteral("('HOSTILE-0002', NULL)") },
             { QStringLiteral("CODEEXPIRED"),
                 QStringLiteral("('HOSTILE-EXP1', now() - interval '1 day')") } }) {
        const Outcome o = admin.exec(
            QStringLiteral("INSERT INTO activation_codes (code, expires_at) VALUES %1 RETURNING id")
                .arg(values));
        SUCCEEDS(o, "admin creates activation code " + key);
        m_id[key] = id(o);
    }
    for (const auto &[key, values] : QList<std::pair<QString, QString>> {
             { QStringLiteral("CUST1"), QStringLiteral("('H-1', 'Anna Berg')") },
             { QStringLiteral("CUST2"), QStringLiteral("('H-2', 'Ben Ode')") } }) {
        const Outcome o = support.exec(
            QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES %1 RETURNING id")
                .arg(values));
        SUCCEEDS(o, "support creates customer " + key);
        m_id[key] = id(o);
    }

    // Cards, created and moved through the new functions only.
    const QStringList cards { "AVAILABLE", "RESERVED", "ACTIVE", "SUSPENDED", "LOST", "TERMINATED",
        "RELEASED", "RACE", "RACE2", "RACE3", "DELETABLE", "REASONS", "SWAPOLD", "SWAPNEW",
        "REVEAL", "SECRETS", "CODETARGET", "NOSECRETS" };
    for (int i = 0; i < cards.size(); ++i) {
        // NOSECRETS has no sim_secrets row, so an INSERT there would be a real write.
        const bool none = cards[i] == QLatin1String("NOSECRETS");
        const QString pin = none ? QString() : QString::number(2000 + i);
        const QString puk = none ? QString() : QString::number(30000000 + i);
        const QString msisdn = QStringLiteral("'+49159020%1'").arg(i, 5, 10, QLatin1Char('0'));
        const Outcome o = admin.exec(QStringLiteral(
            "SELECT simdesk_sim_create('%1', %2, NULL, 'prepaid', '%3', '%4', 'cli')")
                                         .arg(TestDatabase::iccid(100 + i), msisdn, pin, puk));
        SUCCEEDS(o, "admin creates card " + cards[i]);
        m_card[cards[i]] = id(o);
        m_pin[cards[i]] = pin;
        m_puk[cards[i]] = puk;
    }
    const QString cust1 = QString::number(m_id[QStringLiteral("CUST1")]);
    const QString cust2 = QString::number(m_id[QStringLiteral("CUST2")]);
    const QString plan = QString::number(m_id[QStringLiteral("PLAN")]);
    const QList<QStringList> moves {
        { "RESERVED", "reserve", cust1 },
        { "ACTIVE", "activate", cust1, plan, "'HOSTILE-0001'" },
        { "SUSPENDED", "activate", cust1, plan },
        { "SUSPENDED", "suspend" },
        { "LOST", "activate", cust2, plan },
        { "LOST", "report_lost_stolen" },
        { "TERMINATED", "activate", cust2, plan },
        { "TERMINATED", "terminate" },
        { "RELEASED", "reserve", cust2 },
        { "RELEASED", "release" },
        { "SWAPOLD", "activate", cust2, plan },
    };
    for (const QStringList &m : moves) {
        const Outcome o = support.exec(actSql(m[0], m[1], m.value(2), m.value(3), m.value(4)));
        SUCCEEDS(o, QStringLiteral("support: %1 %2").arg(m[1], m[0]));
    }
    {
        const Outcome o
            = support.exec(fill(QStringLiteral("SELECT simdesk_sim_swap(@SWAPOLD@, @SWAPNEW@, "
                                               "@VSWAPOLD@, @VSWAPNEW@, 'TERMINATED', "
                                               "'card broken', 'desktop')"),
                QString()));
        SUCCEEDS(o, "support swaps a card");
        m_swapId = o.value();
    }
    // An import of two cards, one of which is used at once (so the batch cannot be reverted).
    m_checksum = QStringLiteral("ab").repeated(32);
    {
        const Outcome o = admin.exec(QStringLiteral(
            "SELECT simdesk_import_commit('hostile.csv', '%1', 'csv', 2, false, ARRAY['%2', '%3'], "
            "ARRAY[NULL, NULL]::text[], ARRAY[NULL, NULL]::text[], ARRAY['prepaid', 'prepaid'], "
            "ARRAY['1111', '2222'], ARRAY['11111111', '22222222'])")
                                         .arg(m_checksum, TestDatabase::iccid(200),
                                             TestDatabase::iccid(201)));
        SUCCEEDS(o, "admin imports a batch");
        m_id[QStringLiteral("BATCH")] = id(o);
        m_card[QStringLiteral("BATCHCARD")]
            = suCount(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                          .arg(TestDatabase::iccid(200)));
        m_card[QStringLiteral("BATCHUSED")]
            = suCount(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                          .arg(TestDatabase::iccid(201)));
        QVERIFY(m_card[QStringLiteral("BATCHCARD")] > 0 && m_card[QStringLiteral("BATCHUSED")] > 0);
        SUCCEEDS(
            support.exec(actSql(QStringLiteral("BATCHUSED"), QStringLiteral("reserve"), cust1)),
            "support reserves an imported card");
    }
    // Every status is there.
    QCOMPARE(suValue(QStringLiteral(
                 "SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM sim_cards")),
        QStringLiteral("ACTIVE,AVAILABLE,LOST_STOLEN,RESERVED,SUSPENDED,TERMINATED"));
}

void TestHostile::cleanupTestCase()
{
    m_sessions.clear();
    m_su.reset();
    m_tdb.reset();
}

// ---------------------------------------------------------------------------------------------
// Every statement runs inside BEGIN … ROLLBACK: a refusal is a refusal whether or not the
// hostile client meant to commit, and a statement that slips through is reported without
// spoiling the data of the later slots.

void TestHostile::directSqlShouldBeRefused_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("sqlstates"); // accepted SQLSTATEs, "a|b"; empty: any error
    QTest::addColumn<QByteArray>("copyIn");
    const QString denied = QStringLiteral("42501");
    int n = 0;
    const auto add = [&n](const QString &who, const QString &sql, const QString &states,
                         const QByteArray &copy = {}) {
        QTest::addRow("%03d %s: %s", ++n, qPrintable(who), qPrintable(sql.simplified().left(90)))
            << who << sql << states << copy;
    };

    for (const QString &who : kRoles) {
        // sim_cards: no direct write at all, whatever the column; a same-status UPDATE included.
        add(who, "INSERT INTO sim_cards (iccid, sim_type) VALUES ('@NEWICCID@', 'prepaid')",
            denied);
        add(who,
            "INSERT INTO sim_cards (iccid, sim_type, status, customer_id, tariff_plan_id) "
            "VALUES ('@NEWICCID@', 'prepaid', 'ACTIVE', @CUST1@, @PLAN@)",
            denied);
        for (const char *set : { "status = 'SUSPENDED' WHERE id = @ACTIVE@",
                 "status = 'ACTIVE' WHERE id = @TERMINATED@", "status = status WHERE id = @ACTIVE@",
                 "status = 'ACTIVE', customer_id = @CUST1@, tariff_plan_id = @PLAN@ WHERE id = "
                 "@AVAILABLE@",
                 "msisdn = '+4915909999999' WHERE id = @ACTIVE@",
                 "msisdn = NULL WHERE id = @ACTIVE@", "customer_id = @CUST2@ WHERE id = @ACTIVE@",
                 "customer_id = NULL WHERE id = @RESERVED@",
                 "tariff_plan_id = @PLANPOST@ WHERE id = @ACTIVE@",
                 "activated_at = now() - interval '1 year' WHERE id = @ACTIVE@",
                 "activation_code_id = @CODE@ WHERE id = @AVAILABLE@",
                 "activation_code_id = NULL WHERE id = @ACTIVE@",
                 "iccid = '@NEWICCID@' WHERE id = @AVAILABLE@",
                 "imsi = '262011234567890' WHERE id = @AVAILABLE@",
                 "sim_type = 'postpaid' WHERE id = @AVAILABLE@",
                 "import_batch_id = NULL WHERE id = @BATCHCARD@",
                 "version = version + 1 WHERE id = @ACTIVE@",
                 "terminated_at = NULL, status_changed_at = now() WHERE id = @TERMINATED@" })
            add(who, QStringLiteral("UPDATE sim_cards SET %1").arg(QLatin1String(set)), denied);
        add(who, "DELETE FROM sim_cards WHERE id = @AVAILABLE@", denied);
        add(who, "DELETE FROM sim_cards WHERE id = @ACTIVE@", denied);
        add(who, "TRUNCATE sim_cards CASCADE", denied);
        add(who, "COPY sim_cards (iccid, sim_type) FROM STDIN", denied,
            TestDatabase::iccid(999).toUtf8() + "\tprepaid\n");

        // sim_events: forged events of every kind, rewriting, deleting, COPY.
        add(who,
            "INSERT INTO sim_events (sim_id, event_type, old_status) VALUES (@ACTIVE@, 'DELETED', "
            "'ACTIVE')",
            denied);
        add(who,
            "INSERT INTO sim_events (sim_id, event_type, note) VALUES (@ACTIVE@, "
            "'SECRET_REVEALED', 'forged')",
            denied);
        add(who,
            "INSERT INTO sim_events (sim_id, event_type, swap_id) VALUES (@AVAILABLE@, "
            "'SWAPPED_IN', '@SWAPID@')",
            denied);
        add(who,
            "INSERT INTO sim_events (sim_id, event_type, old_status, new_status) "
            "VALUES (@TERMINATED@, 'ACTIVATED', 'TERMINATED', 'ACTIVE')",
            denied);
        add(who, "INSERT INTO sim_events (sim_id, event_type) VALUES (@ACTIVE@, 'SECRETS_CHANGED')",
            denied);
        add(who,
            "INSERT INTO sim_events (sim_id, event_type, created_by) VALUES (@ACTIVE@, 'EDITED', "
            "'@OTHER@')",
            denied);
        add(who,
            "INSERT INTO sim_events (sim_id, event_type) SELECT sim_id, 'DELETED' FROM sim_events",
            denied);
        add(who, "UPDATE sim_events SET note = 'rewritten'", denied);
        add(who, "UPDATE sim_events SET created_by = '@OTHER@' WHERE sim_id = @ACTIVE@", denied);
        add(who, "DELETE FROM sim_events WHERE sim_id = @ACTIVE@", denied);
        add(who, "TRUNCATE sim_events", denied);
        add(who, "COPY sim_events (sim_id, event_type) FROM STDIN", denied,
            QByteArray::number(0) + "\tDELETED\n");

        // sim_secrets: not even readable.
        add(who, "SELECT pin, puk FROM sim_secrets", denied);
        add(who, "SELECT count(*) FROM sim_secrets", denied);
        add(who, "SELECT * FROM sim_secrets WHERE sim_id = @ACTIVE@", denied);
        add(who,
            "INSERT INTO sim_secrets (sim_id, pin, puk) VALUES (@AVAILABLE@, '0000', '00000000')",
            denied);
        add(who,
            "INSERT INTO sim_secrets (sim_id, pin, puk) VALUES (@NOSECRETS@, '0000', '00000000')",
            denied);
        add(who, "UPDATE sim_secrets SET pin = '0000' WHERE sim_id = @ACTIVE@", denied);
        add(who, "DELETE FROM sim_secrets", denied);
        add(who, "TRUNCATE sim_secrets", denied);
        add(who, "COPY sim_secrets TO STDOUT", denied);
        add(who, "COPY (SELECT pin, puk FROM sim_secrets) TO STDOUT", denied);

        // The reveal tokens: nobody reads them or makes a used one new.
        add(who, "SELECT * FROM secret_reveals", denied);
        add(who, "UPDATE secret_reveals SET read_at = NULL", denied);
        add(who, "INSERT INTO secret_reveals SELECT * FROM secret_reveals", denied);
        add(who, "DELETE FROM secret_reveals", denied);

        // import_batches: only through the import functions.
        add(who,
            "INSERT INTO import_batches (file_name, checksum, format) VALUES ('x.csv', repeat('c', "
            "64), 'csv')",
            denied);
        add(who, "UPDATE import_batches SET reverted_by = '@OTHER@'", denied);
        add(who,
            "UPDATE import_batches SET status = 'REVERTED', reverted_at = now(), reverted_by = "
            "'@OTHER@'",
            denied);
        add(who, "UPDATE import_batches SET created_by = '@OTHER@'", denied);
        add(who, "DELETE FROM import_batches", denied);
        add(who, "TRUNCATE import_batches CASCADE", denied);

        // staff: only through the staff functions (admin's old UPDATE (email, display_name) too).
        add(who,
            "INSERT INTO staff (login, email, display_name, role) VALUES ('@SELF@x', "
            "'x@example.net', 'X', 'admin')",
            denied);
        add(who, "UPDATE staff SET role = 'admin' WHERE login = '@SELF@'", denied);
        add(who, "UPDATE staff SET active = false WHERE login = '@OTHER@'", denied);
        if (who != QLatin1String("admin")) { // admin: refused or audited, see the audit slot
            add(who, "UPDATE staff SET email = 'evil@example.net' WHERE login = '@OTHER@'", denied);
            add(who, "UPDATE staff SET display_name = 'Evil' WHERE login = '@OTHER@'", denied);
        }
        add(who, "DELETE FROM staff WHERE login = '@OTHER@'", denied);
        add(who, "TRUNCATE staff", denied);
        add(who, "COPY staff (login, email, display_name, role) FROM STDIN", denied,
            "evil\tevil@example.net\tEvil\tadmin\n");

        // audit_log: append-only, written by the database alone.
        add(who, "INSERT INTO audit_log DEFAULT VALUES", denied);
        add(who,
            "INSERT INTO audit_log (table_name, row_id, action, changed_by) SELECT table_name, "
            "row_id, 'DELETE', '@OTHER@' FROM audit_log",
            denied);
        add(who, "UPDATE audit_log SET changed_by = changed_by", denied);
        add(who, "DELETE FROM audit_log", denied);
        add(who, "TRUNCATE audit_log", denied);
        add(who, "COPY audit_log FROM STDIN", denied);

        // The rules themselves.
        add(who, "INSERT INTO sim_transitions VALUES ('TERMINATED', 'resume', 'ACTIVE')", denied);
        add(who, "UPDATE sim_transitions SET to_status = 'ACTIVE'", denied);
        add(who, "DELETE FROM sim_transitions", denied);
        add(who, "TRUNCATE sim_transitions", denied);
        add(who, "COPY sim_transitions FROM STDIN", denied, "TERMINATED\tresume\tACTIVE\n");
        add(who, "INSERT INTO schema_migrations SELECT * FROM schema_migrations", denied);
        add(who, "UPDATE schema_migrations SET version = version", denied);
        add(who, "DELETE FROM schema_migrations", denied);
        add(who, "TRUNCATE schema_migrations", denied);

        // No table-level DELETE (deletes are functions), so no LOCK TABLE that stops readers.
        for (const char *table :
            { "customers", "tariff_plans", "activation_codes", "import_profiles", "sim_cards",
                "sim_events", "staff", "audit_log", "import_batches", "stats_card_counts" }) {
            add(who, QStringLiteral("DELETE FROM %1 WHERE false").arg(QLatin1String(table)),
                denied);
            for (const char *mode :
                { "ACCESS EXCLUSIVE", "EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE" })
                add(who,
                    QStringLiteral("LOCK TABLE %1 IN %2 MODE")
                        .arg(QLatin1String(table), QLatin1String(mode)),
                    denied);
        }
        // The rows the functions serialise on: not readable, not lockable.
        add(who, "SELECT * FROM serial_locks FOR UPDATE", denied);
        add(who, "LOCK TABLE serial_locks", denied);
        add(who, "SELECT nextval('customer_no_seq')", denied);
        // TRUNCATE skips row triggers, so it must be refused where the audit is a trigger.
        add(who, "TRUNCATE customers CASCADE", denied);
        add(who, "TRUNCATE tariff_plans CASCADE", denied);
        add(who, "TRUNCATE activation_codes CASCADE", denied);

        // Becoming somebody else, or more.
        add(who, "SET ROLE \"@OTHER@\"", denied);
        add(who, "SET ROLE @SUPERUSER@", denied);
        add(who, "SET SESSION AUTHORIZATION \"@OTHER@\"", denied);
        add(who, "SET SESSION AUTHORIZATION @SUPERUSER@", denied);
        add(who, "ALTER ROLE \"@SELF@\" SUPERUSER", denied);
        add(who, "ALTER ROLE \"@SELF@\" CREATEROLE", denied);
        add(who, "ALTER ROLE \"@SELF@\" BYPASSRLS", denied);
        add(who, "ALTER ROLE \"@OTHER@\" PASSWORD 'x'", denied);
        add(who, "ALTER ROLE \"@OTHER@\" NOLOGIN", denied);
        add(who, "GRANT simdesk_admin TO \"@SELF@\"", denied);
        add(who, "CREATE ROLE \"@SELF@_evil\" LOGIN SUPERUSER", denied);
        add(who, "SET session_replication_role = replica", denied);
        add(who, "ALTER TABLE sim_cards DISABLE TRIGGER ALL", denied);
        add(who, "ALTER TABLE sim_events DISABLE TRIGGER USER", denied);
        add(who, "CREATE SCHEMA evil", denied);
        add(who, "CREATE TABLE public.mine (id int)", denied);
        add(who, "CREATE FUNCTION public.simdesk_evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            denied);
        add(who,
            "CREATE OR REPLACE FUNCTION simdesk_session_role() RETURNS text LANGUAGE sql AS "
            "$$SELECT 'admin'$$",
            denied);
        add(who, "ALTER DATABASE @DATABASE@ SET search_path = pg_temp, public", denied);
        add(who, "SELECT pg_read_file('postgresql.conf')", denied);
        add(who, "COPY sim_cards TO PROGRAM 'true'", denied);
        add(who, "CREATE EXTENSION dblink", QString());
        add(who, "SELECT setval('customer_no_seq', 1)", "42501|42P01");
    }

    // The lower roles: TEMP is for the admin's import only, so nothing can be shadowed.
    for (const QString &who : { QStringLiteral("viewer"), QStringLiteral("support") }) {
        add(who,
            "CREATE TEMP TABLE sim_transitions (from_status text, action text, to_status text)",
            denied);
        add(who, "CREATE TEMP TABLE shadow (i int)", denied);
        add(who,
            "CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql AS $$SELECT "
            "timestamptz '2000-01-01'$$",
            denied);
        add(who, "SET ROLE simdesk_admin", denied);
        // Reference data the role may not write.
        add(who, "INSERT INTO tariff_plans (code, name) VALUES ('X1', 'X')", denied);
        add(who, "UPDATE tariff_plans SET monthly_fee = 0", denied);
        add(who, "DELETE FROM tariff_plans WHERE id = @PLANOLD@", denied);
        add(who, "INSERT INTO activation_codes (code) VALUES ('EVIL-0001')", denied);
        add(who, "UPDATE activation_codes SET status = 'UNUSED', used_at = NULL", denied);
        add(who, "UPDATE activation_codes SET status = 'USED', used_at = now() WHERE id = @CODE@",
            denied);
        add(who, "DELETE FROM activation_codes WHERE id = @CODE@", denied);
        // Admin functions.
        add(who,
            "SELECT simdesk_sim_create('@NEWICCID@', NULL, NULL, 'prepaid', '1234', '12345678', "
            "'cli')",
            denied);
        add(who,
            "SELECT simdesk_sim_edit(@AVAILABLE@, @VAVAILABLE@, '@NEWICCID@', NULL, NULL, "
            "'prepaid', 'cli')",
            denied);
        add(who, "SELECT simdesk_sim_delete(@AVAILABLE@, @VAVAILABLE@, 'x', 'cli')", denied);
        add(who,
            "SELECT simdesk_import_commit('x.csv', repeat('d', 64), 'csv', 1, false, "
            "ARRAY['@NEWICCID@'], "
            "ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY['prepaid'], ARRAY['1234'], "
            "ARRAY['12345678'])",
            denied);
        add(who, "SELECT simdesk_import_revert(@BATCH@)", denied);
        add(who, "SELECT simdesk_set_secrets(@ACTIVE@, '0000', '00000000', 'new PIN')", denied);
        // Staff functions on other logins (and on oneself, upwards).
        add(who,
            "SELECT simdesk_create_staff('@SELF@_new', '@VERIFIER@', 'n@example.net', 'New', "
            "'admin')",
            denied);
        add(who, "SELECT simdesk_set_staff_role('@SELF@', 'admin')", denied);
        add(who, "SELECT simdesk_set_staff_role('@OTHER@', 'viewer')", denied);
        add(who, "SELECT simdesk_set_staff_active('@OTHER@', false)", denied);
        add(who, "SELECT simdesk_set_staff_password('@OTHER@', '@VERIFIER@')", denied);
        add(who, "SELECT simdesk_set_staff_password('@ADMIN@', '@VERIFIER@')", denied);
    }
    const QString viewer = QStringLiteral("viewer");
    add(viewer, "SET ROLE simdesk_support", denied);
    add(viewer, "INSERT INTO customers (customer_no, full_name) VALUES ('V-1', 'Eve')", denied);
    add(viewer, "UPDATE customers SET full_name = 'Eve'", denied);
    add(viewer, "DELETE FROM customers WHERE id = @CUST1@", denied);
    add(viewer,
        "SELECT simdesk_sim_act(@AVAILABLE@, 'reserve', @VAVAILABLE@, @CUST1@, NULL, NULL, 'x', "
        "'cli')",
        denied);
    add(viewer,
        "SELECT * FROM simdesk_sim_apply(ARRAY[@AVAILABLE@]::bigint[], 'reserve', NULL, @CUST1@, "
        "NULL, NULL, 'x', 'bulk')",
        denied);
    add(viewer,
        "SELECT simdesk_sim_swap(@ACTIVE@, @AVAILABLE@, @VACTIVE@, @VAVAILABLE@, 'LOST_STOLEN', "
        "'x', 'cli')",
        denied);
    add(viewer, "SELECT simdesk_request_reveal(@ACTIVE@, 'curious', 'cli')", denied);
    add(viewer, "SELECT * FROM simdesk_read_revealed(gen_random_uuid())", QString());

    // Lifecycle functions keep the rules for whoever calls them.
    for (const QString &who : { QStringLiteral("support"), QStringLiteral("admin") }) {
        add(who,
            "SELECT simdesk_sim_act(@TERMINATED@, 'resume', @VTERMINATED@, NULL, NULL, NULL, 'x', "
            "'cli')",
            "SD001");
        add(who,
            "SELECT simdesk_sim_act(@TERMINATED@, 'activate', @VTERMINATED@, @CUST1@, @PLAN@, "
            "NULL, 'x', 'cli')",
            "SD001");
        add(who,
            "SELECT simdesk_sim_act(@ACTIVE@, 'activate', @VACTIVE@, @CUST1@, @PLAN@, NULL, 'x', "
            "'cli')",
            "SD001");
        add(who,
            "SELECT simdesk_sim_act(@ACTIVE@, 'suspend', @VACTIVE@ - 1, NULL, NULL, NULL, 'x', "
            "'cli')",
            "SD005");
        add(who,
            "SELECT simdesk_sim_act(@AVAILABLE@, 'activate', @VAVAILABLE@, NULL, @PLAN@, NULL, "
            "'x', 'cli')",
            "SD006");
        add(who,
            "SELECT simdesk_sim_act(@AVAILABLE@, 'activate', @VAVAILABLE@, @CUST1@, NULL, NULL, "
            "'x', 'cli')",
            "SD007");
        add(who,
            "SELECT simdesk_sim_act(@AVAILABLE@, 'activate', @VAVAILABLE@, @CUST1@, @PLANOLD@, "
            "NULL, 'x', 'cli')",
            "SD009");
        add(who,
            "SELECT simdesk_sim_act(@AVAILABLE@, 'activate', @VAVAILABLE@, @CUST1@, @PLANPOST@, "
            "NULL, 'x', 'cli')",
            "SD010");
        add(who,
            "SELECT simdesk_sim_act(@AVAILABLE@, 'activate', @VAVAILABLE@, @CUST1@, @PLAN@, "
            "'NO-SUCH-CODE', 'x', 'cli')",
            "SD011");
        add(who,
            "SELECT simdesk_sim_act(@AVAILABLE@, 'activate', @VAVAILABLE@, @CUST1@, @PLAN@, "
            "'HOSTILE-0001', 'x', 'cli')",
            "SD012");
        add(who,
            "SELECT simdesk_sim_act(@AVAILABLE@, 'activate', @VAVAILABLE@, @CUST1@, @PLAN@, "
            "'HOSTILE-EXP1', 'x', 'cli')",
            "SD013");
        add(who, "SELECT simdesk_sim_act(999999999, 'reserve', 1, @CUST1@, NULL, NULL, 'x', 'cli')",
            "P0002");
        // The event's source is one of the documented ones, not whatever the client claims.
        add(who,
            "SELECT simdesk_sim_act(@AVAILABLE@, 'reserve', @VAVAILABLE@, @CUST1@, NULL, NULL, "
            "'x', 'evil')",
            QString());
        add(who,
            "SELECT simdesk_sim_swap(@TERMINATED@, @AVAILABLE@, @VTERMINATED@, @VAVAILABLE@, "
            "'TERMINATED', 'x', 'cli')",
            QString());
        add(who, "SELECT simdesk_request_reveal(@ACTIVE@, NULL, 'cli')", "SD008");
        add(who, "SELECT simdesk_request_reveal(@ACTIVE@, '', 'cli')", "SD008");
        add(who, "SELECT simdesk_request_reveal(999999999, 'x', 'cli')", QString());
    }

    // The admin: still no way around the rules, nor onto the superuser or the groups.
    const QString admin = QStringLiteral("admin");
    add(admin, "SELECT simdesk_sim_delete(@ACTIVE@, @VACTIVE@, 'x', 'cli')", "SD004");
    add(admin, "SELECT simdesk_sim_delete(@RELEASED@, @VRELEASED@, 'x', 'cli')", "SD004");
    add(admin, "SELECT simdesk_sim_delete(@TERMINATED@, @VTERMINATED@, 'x', 'cli')", "SD004");
    add(admin, "SELECT simdesk_import_revert(@BATCH@)", "SD022");
    add(admin, "SELECT simdesk_import_revert(999999999)", "P0002");
    add(admin,
        "SELECT simdesk_import_commit('again.csv', repeat('ab', 32), 'csv', 1, false, "
        "ARRAY['@NEWICCID@'], "
        "ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY['prepaid'], ARRAY['1234'], "
        "ARRAY['12345678'])",
        "SD020");
    add(admin, "SELECT simdesk_set_staff_password('@SUPERUSER@', '@VERIFIER@')", QString());
    add(admin, "SELECT simdesk_set_staff_role('@SUPERUSER@', 'viewer')", QString());
    add(admin, "SELECT simdesk_set_staff_active('@SUPERUSER@', false)", QString());
    add(admin, "SELECT simdesk_set_staff_role('simdesk_admin', 'viewer')", QString());
    add(admin,
        "SELECT simdesk_create_staff('@SUPERUSER@', '@VERIFIER@', 'p@example.net', 'P', 'viewer')",
        QString());
    add(admin,
        "SELECT simdesk_create_staff('pg_evil', '@VERIFIER@', 'p@example.net', 'P', 'viewer')",
        QString());
    add(admin,
        "SELECT simdesk_create_staff('simdesk_evil', '@VERIFIER@', 'p@example.net', 'P', 'admin')",
        QString());
    add(admin, "SELECT simdesk_set_staff_password('@SELF@', 'SCRAM-SHA-256$x')", "22023");
    add(admin, "SELECT simdesk_set_staff_password('@SELF@', 'md5d41d8cd98f00b204e9800998ecf8427e')",
        "22023");
    add(admin, "SELECT simdesk_set_staff_password('@SELF@', 'plain text password')", "22023");
    add(admin,
        "SELECT simdesk_set_staff_password('@SELF@', 'SCRAM-SHA-256$4096:QUFB$QkJC:Q0ND'' VALID "
        "UNTIL ''2000-01-01')",
        "22023");
    add(admin, "SELECT simdesk_set_staff_password('@SELF@', E'@VERIFIER@\\nX')", "22023");
    add(admin,
        "SELECT simdesk_create_staff('@SELF@_v', 'SCRAM-SHA-256$4096:QUFB$QkJC', 'v@example.net', "
        "'V', 'viewer')",
        "22023");
    add(admin, "SELECT simdesk_set_secrets(@ACTIVE@, '12', '1', 'bad values')", QString());
}

void TestHostile::directSqlShouldBeRefused()
{
    QFETCH(QString, who);
    QFETCH(QString, sql);
    QFETCH(QString, sqlstates);
    QFETCH(QByteArray, copyIn);
    Session &s = as(who);
    QVERIFY2(s.isOpen(), qPrintable(s.error()));
    const QString statement = fill(sql, who);
    SUCCEEDS(s.exec(QStringLiteral("BEGIN")), "BEGIN");
    const Outcome o = s.exec(statement, fill(QString::fromUtf8(copyIn), who).toUtf8());
    s.rollback();
    s.exec(QStringLiteral("RESET ALL"));
    REFUSED(o, who + QStringLiteral(": ") + statement.left(300));
    if (!sqlstates.isEmpty())
        QVERIFY2(sqlstates.split(QLatin1Char('|')).contains(o.sqlState),
            qPrintable(QStringLiteral("%1: %2 → expected SQLSTATE %3, got %4")
                           .arg(who, statement.left(300), sqlstates, o.describe())));
}

// ---------------------------------------------------------------------------------------------

void TestHostile::directWritesToCustomersPlansAndCodesShouldBeAudited()
{
    // One audit row for the change, written by the database, naming the login.
    const auto audited = [this](qint64 since, const QString &table, qint64 rowId,
                             const QString &action, const QString &login) {
        return suParams(
            QStringLiteral(
                "SELECT count(*) FROM audit_log WHERE id > $1::bigint AND table_name = $2 "
                "AND row_id::text = $3 AND action = $4 AND changed_by = $5 "
                "AND changed_at > now() - interval '10 minutes'"),
            { QByteArray::number(since), table.toUtf8(), QByteArray::number(rowId), action.toUtf8(),
                login.toUtf8() })
            .value()
            .toLongLong();
    };
    for (const QString &who : { QStringLiteral("support"), QStringLiteral("admin") }) {
        Session &s = as(who);
        const QString login = m_login[who];
        qint64 since = lastAuditId();
        Outcome o = s.exec(QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES "
                                          "('A-%1', 'Audit Me') RETURNING id")
                               .arg(who));
        SUCCEEDS(o, who + " inserts a customer");
        const qint64 id = o.value().toLongLong();
        QCOMPARE(audited(since, "customers", id, "INSERT", login), 1);
        since = lastAuditId();
        SUCCEEDS(s.exec(QStringLiteral(
                     "UPDATE customers SET full_name = 'Audited Again', notes = 'n' WHERE id = %1")
                            .arg(id)),
            "update customer");
        QCOMPARE(audited(since, "customers", id, "UPDATE", login), 1);
        QCOMPARE(suValue(QStringLiteral(
                     "SELECT (old_row->>'full_name') || '→' || (new_row->>'full_name') FROM "
                     "audit_log WHERE id > %1 AND table_name = 'customers'")
                             .arg(since)),
            QStringLiteral("Audit Me→Audited Again"));
        since = lastAuditId();
        // Not with DELETE (no role has it: it came with LOCK TABLE), through the function.
        REFUSED(s.exec(QStringLiteral("DELETE FROM customers WHERE id = %1").arg(id)),
            who + " deletes a customer with DELETE");
        SUCCEEDS(s.exec(QStringLiteral("SELECT simdesk_customer_delete(%1)").arg(id)),
            "delete customer");
        QCOMPARE(audited(since, "customers", id, "DELETE", login), 1);
        // Several statements in one string, one of them failing: nothing, audit included, stays.
        since = lastAuditId();
        REFUSED(s.exec(QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES "
                                      "('A-%1-2', 'Gone'); SELECT 1/0")
                           .arg(who)),
            "multi-statement with an error");
        QCOMPARE(
            suCount(QStringLiteral("SELECT count(*) FROM audit_log WHERE id > %1").arg(since)), 0);
        // A customer in use cannot go (the cards keep their holder).
        REFUSED(s.exec(fill(QStringLiteral("SELECT simdesk_customer_delete(@CUST1@)"), who)),
            who + " deletes a customer with cards");
    }

    Session &admin = as(QStringLiteral("admin"));
    const QString login = m_login[QStringLiteral("admin")];
    qint64 since = lastAuditId();
    Outcome o = admin.exec(QStringLiteral("INSERT INTO tariff_plans (code, name, sim_type) VALUES "
                                          "('H-AUD', 'Audited plan', 'prepaid') RETURNING id"));
    SUCCEEDS(o, "admin inserts a plan");
    const qint64 plan = o.value().toLongLong();
    QCOMPARE(audited(since, "tariff_plans", plan, "INSERT", login), 1);
    since = lastAuditId();
    SUCCEEDS(admin.exec(QStringLiteral(
                 "UPDATE tariff_plans SET monthly_fee = 9.99, active = false WHERE id = %1")
                            .arg(plan)),
        "update plan");
    QCOMPARE(audited(since, "tariff_plans", plan, "UPDATE", login), 1);
    since = lastAuditId();
    SUCCEEDS(admin.exec(QStringLiteral("SELECT simdesk_tariff_plan_delete(%1)").arg(plan)),
        "delete plan");
    QCOMPARE(audited(since, "tariff_plans", plan, "DELETE", login), 1);

    since = lastAuditId();
    o = admin.exec(
        QStringLiteral("INSERT INTO activation_codes (code) VALUES ('AUDIT-0001') RETURNING id"));
    SUCCEEDS(o, "admin inserts a code");
    const qint64 code = o.value().toLongLong();
    QCOMPARE(audited(since, "activation_codes", code, "INSERT", login), 1);
    // Changing a code's status by hand: refused, or audited.
    since = lastAuditId();
    o = admin.exec(fill(
        QStringLiteral(
            "UPDATE activation_codes SET status = 'UNUSED', used_at = NULL WHERE id = @CODEUSED@"),
        QStringLiteral("admin")));
    if (o.ok) {
        QCOMPARE(
            audited(since, "activation_codes", m_id[QStringLiteral("CODEUSED")], "UPDATE", login),
            1);
        su(fill(QStringLiteral("UPDATE activation_codes SET status = 'USED', used_at = now() WHERE "
                               "id = @CODEUSED@"),
            QString()));
    } else {
        qInfo("admin un-using a used code: %s", qPrintable(o.describe()));
    }
    // Staff profiles: admins may edit e-mail and display name directly; refused or audited.
    since = lastAuditId();
    o = admin.exec(QStringLiteral(
        "UPDATE staff SET display_name = 'Renamed By Admin' WHERE login = '%1' RETURNING id")
                       .arg(m_login["viewer2"]));
    if (o.ok)
        QCOMPARE(audited(since, "staff", o.value().toLongLong(), "UPDATE", login), 1);
    else
        qInfo("admin edits a staff profile: %s", qPrintable(o.describe()));
    // A used code cannot be deleted from under its card.
    REFUSED(admin.exec(fill(QStringLiteral("SELECT simdesk_activation_code_delete(@CODEUSED@)"),
                QStringLiteral("admin"))),
        "admin deletes a used code");
    since = lastAuditId();
    SUCCEEDS(admin.exec(QStringLiteral("SELECT simdesk_activation_code_delete(%1)").arg(code)),
        "delete code");
    QCOMPARE(audited(since, "activation_codes", code, "DELETE", login), 1);
}

void TestHostile::bulkActionsShouldNotSkipTheTransitionTable()
{
    for (const QString &who : { QStringLiteral("support"), QStringLiteral("admin") }) {
        const qint64 events = lastEventId();
        const Outcome o = as(who).exec(
            fill(QStringLiteral("SELECT sim_id, outcome FROM simdesk_sim_apply(ARRAY[@TERMINATED@, "
                                "@LOST@, @TERMINATED@]::bigint[], "
                                "'resume', NULL, NULL, NULL, NULL, 'bulk resume', 'bulk')"),
                who));
        for (const QStringList &row : o.rows)
            QVERIFY2(row.value(1) != QLatin1String("done"),
                qPrintable(
                    who + QStringLiteral(": bulk resume of card %1 done").arg(row.value(0))));
        QCOMPARE(
            suValue(fill(
                QStringLiteral("SELECT status FROM sim_cards WHERE id = @TERMINATED@"), QString())),
            QStringLiteral("TERMINATED"));
        QCOMPARE(suValue(fill(
                     QStringLiteral("SELECT status FROM sim_cards WHERE id = @LOST@"), QString())),
            QStringLiteral("LOST_STOLEN"));
        QCOMPARE(
            suCount(QStringLiteral("SELECT count(*) FROM sim_events WHERE id > %1").arg(events)),
            0);
    }
}

// ---------------------------------------------------------------------------------------------
// The admin has TEMP (the import's staging table), so it can put a temp table or function in
// front of every name a trigger or definer function uses, and put pg_temp first in its
// search_path. None of it may change what the database does or where it writes.

void TestHostile::shadowTablesAndFunctionsShouldNotChangeWhatTheDatabaseDoes()
{
    const QString who = QStringLiteral("admin");
    const QString login = m_login[who];
    std::unique_ptr<Session> s = connectTcp(login, m_password[who]);
    QVERIFY2(s->isOpen(), qPrintable(s->error()));
    const QStringList shadows {
        "CREATE TEMP TABLE shadow_calls (name text)",
        "CREATE TEMP TABLE sim_transitions AS SELECT f AS from_status, a AS action, 'ACTIVE'::text "
        "AS to_status "
        "FROM "
        "unnest(ARRAY['AVAILABLE','RESERVED','ACTIVE','SUSPENDED','LOST_STOLEN','TERMINATED']) f, "
        "unnest(ARRAY['reserve','release','activate','suspend','resume','report_lost_stolen','"
        "terminate']) a",
        "CREATE TEMP TABLE sim_cards AS SELECT * FROM public.sim_cards",
        "UPDATE sim_cards SET status = 'AVAILABLE', customer_id = NULL, tariff_plan_id = NULL, "
        "activation_code_id = NULL",
        "CREATE TEMP TABLE sim_events AS SELECT * FROM public.sim_events WHERE false",
        "CREATE TEMP TABLE sim_secrets (sim_id bigint PRIMARY KEY, pin text, puk text)",
        "INSERT INTO sim_secrets SELECT id, '0000', '00000000' FROM public.sim_cards",
        "CREATE TEMP TABLE customers AS SELECT * FROM public.customers WHERE false",
        "CREATE TEMP TABLE tariff_plans AS SELECT * FROM public.tariff_plans",
        "UPDATE tariff_plans SET active = true, sim_type = NULL",
        "CREATE TEMP TABLE activation_codes AS SELECT * FROM public.activation_codes",
        "UPDATE activation_codes SET status = 'UNUSED', used_at = NULL, expires_at = NULL",
        "INSERT INTO activation_codes (id, code, status, created_at) VALUES (-1, 'FAKE-CODE-0001', "
        "'UNUSED', now())",
        "CREATE TEMP TABLE import_batches AS SELECT * FROM public.import_batches WHERE false",
        "CREATE TEMP TABLE staff AS SELECT * FROM public.staff",
        "UPDATE staff SET role = 'admin', active = true",
        "CREATE TEMP TABLE audit_log (id bigint, table_name text, row_id bigint, action text, "
        "old_row jsonb, new_row jsonb, changed_by text, changed_at timestamptz)",
        "CREATE TEMP TABLE schema_migrations (version integer, name text, checksum text, "
        "applied_at timestamptz)",
        "CREATE TEMP TABLE pg_roles AS SELECT * FROM pg_catalog.pg_roles",
        "UPDATE pg_roles SET rolsuper = true",
        "CREATE TEMP TABLE pg_auth_members AS SELECT * FROM pg_catalog.pg_auth_members WHERE false",
        "CREATE TEMP TABLE pg_stat_activity AS SELECT * FROM pg_catalog.pg_stat_activity WHERE "
        "false",
        "CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql AS $$SELECT timestamptz "
        "'2000-01-01 00:00+00'$$",
        "CREATE FUNCTION pg_temp.pg_has_role(name, name, text) RETURNS boolean LANGUAGE sql AS "
        "$$SELECT true$$",
        "CREATE FUNCTION pg_temp.pg_has_role(name, text) RETURNS boolean LANGUAGE sql AS $$SELECT "
        "true$$",
        "CREATE FUNCTION pg_temp.pg_terminate_backend(integer, bigint DEFAULT 0) RETURNS boolean "
        "LANGUAGE sql AS $$SELECT true$$",
        "CREATE FUNCTION pg_temp.gen_random_uuid() RETURNS uuid LANGUAGE sql AS $$SELECT "
        "'00000000-0000-0000-0000-000000000001'::uuid$$",
        // Every simdesk_* function of the schema gets a permissive twin in pg_temp.
        "DO $do$ DECLARE f record; body text; BEGIN "
        "FOR f IN SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, "
        "pg_get_function_result(p.oid) AS res, p.proretset OR p.proallargtypes IS NOT NULL AS "
        "many, "
        "p.prorettype::regtype::text AS rt FROM pg_proc p JOIN pg_namespace n ON n.oid = "
        "p.pronamespace "
        "WHERE n.nspname = 'public' AND p.proname LIKE 'simdesk%' AND p.prokind = 'f' "
        "AND p.prorettype <> 'trigger'::regtype LOOP "
        "body := 'BEGIN INSERT INTO pg_temp.shadow_calls VALUES (' || quote_literal(f.proname) || "
        "'); ' || "
        "CASE WHEN f.many THEN 'RETURN; ' WHEN f.rt = 'void' THEN '' WHEN f.rt = 'boolean' THEN "
        "'RETURN true; ' "
        "WHEN f.rt = 'text' THEN 'RETURN ''admin''; ' ELSE 'RETURN NULL; ' END || 'END'; "
        "BEGIN EXECUTE format('CREATE FUNCTION pg_temp.%I(%s) RETURNS %s LANGUAGE plpgsql AS %L', "
        "f.proname, f.args, f.res, body); EXCEPTION WHEN others THEN NULL; END; END LOOP; END $do$",
        "SET search_path = pg_temp, public",
    };
    int created = 0;
    for (const QString &sql : shadows) {
        const Outcome o = s->exec(sql);
        if (o.ok)
            ++created;
        else
            qInfo(
                "admin shadow refused (%s): %s", qPrintable(o.sqlState), qPrintable(sql.left(80)));
    }
    qInfo("admin: %d of %lld shadow statements ran; %s temp functions", created,
        qlonglong(shadows.size()),
        qPrintable(
            s->exec(QStringLiteral(
                        "SELECT count(*) FROM pg_proc WHERE pronamespace = pg_my_temp_schema()"))
                .value()));
    const qint64 events = lastEventId();

    // A TERMINATED card does not come back.
    REFUSED(s->exec(actSql(QStringLiteral("TERMINATED"), QStringLiteral("resume"))),
        "shadowed: resume a TERMINATED card");
    REFUSED(s->exec(actSql(QStringLiteral("TERMINATED"), QStringLiteral("activate"),
                QString::number(m_id["CUST1"]), QString::number(m_id["PLAN"]))),
        "shadowed: activate a TERMINATED card");
    REFUSED(
        s->exec(fill(
            QStringLiteral("UPDATE public.sim_cards SET status = 'ACTIVE' WHERE id = @TERMINATED@"),
            who)),
        "shadowed: UPDATE a TERMINATED card");
    {
        const Outcome o = s->exec(
            fill(QStringLiteral("SELECT sim_id, outcome FROM simdesk_sim_apply(ARRAY[@TERMINATED@, "
                                "@LOST@]::bigint[], "
                                "'resume', NULL, NULL, NULL, NULL, 'x', 'bulk')"),
                who));
        for (const QStringList &row : o.rows)
            QVERIFY2(row.value(1) != QLatin1String("done"), "shadowed: bulk resume done");
    }
    QCOMPARE(suValue(fill(QStringLiteral("SELECT status FROM sim_cards WHERE id = @TERMINATED@"),
                 QString())),
        QStringLiteral("TERMINATED"));
    QCOMPARE(
        suValue(fill(QStringLiteral("SELECT status FROM sim_cards WHERE id = @LOST@"), QString())),
        QStringLiteral("LOST_STOLEN"));

    // Used cards are not deleted; an unused one is, and its DELETED event lands in public.
    for (const QString &card :
        { QStringLiteral("ACTIVE"), QStringLiteral("RELEASED"), QStringLiteral("TERMINATED") }) {
        REFUSED(s->exec(fill(
                    QStringLiteral("SELECT simdesk_sim_delete(@%1@, @V%1@, 'x', 'cli')").arg(card),
                    who)),
            "shadowed: delete the used card " + card);
        QCOMPARE(
            suCount(fill(QStringLiteral("SELECT count(*) FROM sim_cards WHERE id = @%1@").arg(card),
                QString())),
            1);
    }
    SUCCEEDS(
        s->exec(fill(
            QStringLiteral(
                "SELECT simdesk_sim_delete(@DELETABLE@, @VDELETABLE@, 'shadowed delete', 'cli')"),
            who)),
        "shadowed: delete an unused card");
    QCOMPARE(suCount(fill(QStringLiteral("SELECT count(*) FROM sim_cards WHERE id = @DELETABLE@"),
                 QString())),
        0);
    QCOMPARE(
        suValue(fill(QStringLiteral(
                         "SELECT string_agg(event_type || ':' || created_by, ',') FROM sim_events "
                         "WHERE sim_id = @DELETABLE@ AND id > %1")
                         .arg(events),
            QString())),
        QStringLiteral("DELETED:") + login);

    // Codes and plans are the real ones.
    REFUSED(s->exec(actSql(QStringLiteral("CODETARGET"), QStringLiteral("activate"),
                QString::number(m_id["CUST1"]), QString::number(m_id["PLAN"]),
                QStringLiteral("'FAKE-CODE-0001'"))),
        "shadowed: activate with a temp-only code");
    REFUSED(s->exec(actSql(QStringLiteral("CODETARGET"), QStringLiteral("activate"),
                QString::number(m_id["CUST1"]), QString::number(m_id["PLAN"]),
                QStringLiteral("'HOSTILE-0001'"))),
        "shadowed: activate with a used code");
    REFUSED(s->exec(actSql(QStringLiteral("CODETARGET"), QStringLiteral("activate"),
                QString::number(m_id["CUST1"]), QString::number(m_id["PLANOLD"]))),
        "shadowed: activate with a retired plan");
    QCOMPARE(suValue(fill(QStringLiteral("SELECT status FROM sim_cards WHERE id = @CODETARGET@"),
                 QString())),
        QStringLiteral("AVAILABLE"));

    // Imports: the real batches count.
    REFUSED(s->exec(fill(QStringLiteral("SELECT simdesk_import_revert(@BATCH@)"), who)),
        "shadowed: revert a used batch");
    QCOMPARE(suValue(fill(QStringLiteral("SELECT status FROM import_batches WHERE id = @BATCH@"),
                 QString())),
        QStringLiteral("COMMITTED"));
    REFUSED(s->exec(QStringLiteral(
                "SELECT simdesk_import_commit('again.csv', '%1', 'csv', 1, false, ARRAY['%2'], "
                "ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY['prepaid'], ARRAY['1234'], "
                "ARRAY['12345678'])")
                        .arg(m_checksum, TestDatabase::iccid(300))),
        "shadowed: import the same file again");
    QCOMPARE(suCount(QStringLiteral("SELECT count(*) FROM sim_cards WHERE iccid = '%1'")
                         .arg(TestDatabase::iccid(300))),
        0);

    // Staff: the last admin stays (the temp staff table says everybody is an admin).
    REFUSED(s->exec(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'support')").arg(login)),
        "shadowed: the last admin demotes itself");
    REFUSED(s->exec(QStringLiteral("SELECT simdesk_set_staff_active('%1', false)").arg(login)),
        "shadowed: the last admin disables itself");
    QCOMPARE(
        suValue(QStringLiteral("SELECT role || active::text || pg_has_role('%1', 'simdesk_admin', "
                               "'MEMBER')::text FROM staff WHERE login = '%1'")
                    .arg(login)),
        QStringLiteral("admintruetrue"));

    // Secrets come from the real table.
    {
        const Outcome token = s->exec(fill(
            QStringLiteral("SELECT simdesk_request_reveal(@REVEAL@, 'shadowed reveal', 'cli')"),
            who));
        SUCCEEDS(token, "shadowed: request a reveal");
        QVERIFY(token.value() != QLatin1String("00000000-0000-0000-0000-000000000001"));
        const Outcome read = s->exec(
            QStringLiteral("SELECT pin, puk FROM simdesk_read_revealed('%1')").arg(token.value()));
        SUCCEEDS(read, "shadowed: read the reveal");
        QCOMPARE(read.rows.size(), 1);
        QCOMPARE(read.value(0, 0), m_pin["REVEAL"]);
        QCOMPARE(read.value(0, 1), m_puk["REVEAL"]);
    }

    // Audited writes go to the real audit_log.
    {
        const qint64 since = lastAuditId();
        const Outcome o
            = s->exec(QStringLiteral("INSERT INTO public.customers (customer_no, full_name) VALUES "
                                     "('SHADOW-1', 'Shadow Customer') RETURNING id"));
        SUCCEEDS(o, "shadowed: insert a customer");
        QCOMPARE(suCount(QStringLiteral(
                     "SELECT count(*) FROM audit_log WHERE id > %1 AND table_name = 'customers' "
                     "AND row_id::text = '%2' AND changed_by = '%3'")
                             .arg(since)
                             .arg(o.value(), login)),
            1);
    }

    // Nothing went to a shadow, no shadow function ran, and no time came from pg_temp.now().
    for (const QString &table : { QStringLiteral("sim_events"), QStringLiteral("audit_log"),
             QStringLiteral("import_batches"), QStringLiteral("customers"),
             QStringLiteral("shadow_calls") }) {
        const Outcome o = s->exec(QStringLiteral("SELECT count(*) FROM pg_temp.%1").arg(table));
        if (o.ok)
            QVERIFY2(o.value() == QLatin1String("0"),
                qPrintable(QStringLiteral("pg_temp.%1 got %2 rows").arg(table, o.value())));
    }
    const Outcome calls
        = s->exec(QStringLiteral("SELECT string_agg(name, ',') FROM pg_temp.shadow_calls"));
    QVERIFY2(calls.value().isEmpty(),
        qPrintable(QStringLiteral("shadow functions called: ") + calls.value()));
    QCOMPARE(suCount(QStringLiteral("SELECT count(*) FROM sim_events WHERE id > %1 AND (created_at "
                                    "< now() - interval '1 hour' OR created_by <> '%2')")
                         .arg(events)
                         .arg(login)),
        0);
    QCOMPARE(suCount(QStringLiteral(
                 "SELECT count(*) FROM audit_log WHERE changed_at < now() - interval '1 hour'")),
        0);
}

// ---------------------------------------------------------------------------------------------

void TestHostile::aRevealReadInTheRequestingTransactionShouldBeRefused()
{
    Session &s = as(QStringLiteral("support"));
    const QString count = fill(QStringLiteral("SELECT count(*) FROM sim_events WHERE sim_id = "
                                              "@REVEAL@ AND event_type = 'SECRET_REVEALED'"),
        QString());
    const qint64 before = suCount(count);

    SUCCEEDS(s.exec(QStringLiteral("BEGIN")), "BEGIN");
    const Outcome token = s.exec(
        fill(QStringLiteral("SELECT simdesk_request_reveal(@REVEAL@, 'then roll back', 'cli')"),
            QString()));
    SUCCEEDS(token, "request inside BEGIN");
    const Outcome read
        = s.exec(QStringLiteral("SELECT * FROM simdesk_read_revealed('%1')").arg(token.value()));
    s.exec(QStringLiteral("ROLLBACK"));
    REFUSED(read, "support: BEGIN; request_reveal; read_revealed(token); ROLLBACK");
    QCOMPARE(read.sqlState, QStringLiteral("SD030"));
    QCOMPARE(suCount(count), before);
    // The rolled-back token is worth nothing afterwards either.
    REFUSED(s.exec(QStringLiteral("SELECT * FROM simdesk_read_revealed('%1')").arg(token.value())),
        "read of a rolled-back token");

    // One statement, one string of statements: the same transaction.
    REFUSED(s.exec(fill(QStringLiteral(
                            "SELECT * FROM simdesk_read_revealed(simdesk_request_reveal(@REVEAL@, "
                            "'one statement', 'cli'))"),
                QString())),
        "read_revealed(request_reveal(…)) in one statement");
    REFUSED(s.exec(fill(
                QStringLiteral(
                    "WITH t AS (SELECT simdesk_request_reveal(@REVEAL@, 'cte', 'cli') AS token) "
                    "SELECT r.* FROM t, simdesk_read_revealed(t.token) r"),
                QString())),
        "request and read in one CTE");
    // A committed token read in a transaction that has written something.
    const Outcome committed = s.exec(
        fill(QStringLiteral("SELECT simdesk_request_reveal(@REVEAL@, 'dirty transaction', 'cli')"),
            QString()));
    SUCCEEDS(committed, "committed request");
    SUCCEEDS(s.exec(QStringLiteral(
                 "BEGIN; INSERT INTO customers (customer_no, full_name) VALUES ('R-1', 'Writer')")),
        "BEGIN + write");
    const Outcome dirty = s.exec(
        QStringLiteral("SELECT * FROM simdesk_read_revealed('%1')").arg(committed.value()));
    s.exec(QStringLiteral("ROLLBACK"));
    REFUSED(dirty, "read_revealed in a transaction that wrote");
    QCOMPARE(suCount(count), before + 1); // only the committed request
}

void TestHostile::aRevealShouldLeaveExactlyOneCommittedEvent()
{
    Session &s = as(QStringLiteral("support"));
    const qint64 events = lastEventId();
    const Outcome token = s.exec(
        fill(QStringLiteral(
                 "SELECT simdesk_request_reveal(@REVEAL@, 'customer lost the PUK', 'desktop')"),
            QString()));
    SUCCEEDS(token, "support requests a reveal");
    const Outcome read = s.exec(
        QStringLiteral("SELECT pin, puk FROM simdesk_read_revealed('%1')").arg(token.value()));
    SUCCEEDS(read, "support reads the reveal in the next transaction");
    QCOMPARE(read.rows.size(), 1);
    QCOMPARE(read.value(0, 0), m_pin["REVEAL"]);
    QCOMPARE(read.value(0, 1), m_puk["REVEAL"]);
    QCOMPARE(suValue(fill(QStringLiteral("SELECT string_agg(event_type || ':' || created_by || ':' "
                                         "|| coalesce(source, '?'), ',') "
                                         "FROM sim_events WHERE id > %1"),
                 QString())
                         .arg(events)),
        QStringLiteral("SECRET_REVEALED:%1:desktop").arg(m_login["support"]));
    QCOMPARE(
        suValue(
            QStringLiteral("SELECT %1 FROM sim_events e WHERE id > %2").arg(kReason).arg(events)),
        QStringLiteral("customer lost the PUK"));
    // Secrets never appear in the event.
    QCOMPARE(suCount(QStringLiteral("SELECT count(*) FROM sim_events e WHERE id > %1 AND (e::text "
                                    "LIKE '%%%2%%' OR e::text LIKE '%%%3%%')")
                         .arg(events)
                         .arg(m_pin["REVEAL"], m_puk["REVEAL"])),
        0);
}

void TestHostile::aRevealTokenShouldServeOneReadOfItsOwner()
{
    Session &s = as(QStringLiteral("support"));
    const Outcome token = s.exec(fill(
        QStringLiteral("SELECT simdesk_request_reveal(@REVEAL@, 'one read', 'cli')"), QString()));
    SUCCEEDS(token, "request");
    // Another login, even an admin, cannot use it.
    REFUSED(
        as(QStringLiteral("admin"))
            .exec(QStringLiteral("SELECT * FROM simdesk_read_revealed('%1')").arg(token.value())),
        "admin reads support's token");
    REFUSED(
        as(QStringLiteral("support2"))
            .exec(QStringLiteral("SELECT * FROM simdesk_read_revealed('%1')").arg(token.value())),
        "support2 reads support's token");
    // A committed read uses the token up. (A read that is rolled back does not: PostgreSQL has
    // no autonomous transaction to keep the mark. Its owner may then read the same card once
    // more within the minute, under the same committed SECRET_REVEALED record — documented in
    // sql/004_audit.sql and docs/security.md.)
    const Outcome first
        = s.exec(QStringLiteral("SELECT * FROM simdesk_read_revealed('%1')").arg(token.value()));
    SUCCEEDS(first, "first read");
    QVERIFY2(!first.rows.isEmpty(), qPrintable(first.describe()));
    REFUSED(s.exec(QStringLiteral("SELECT * FROM simdesk_read_revealed('%1')").arg(token.value())),
        "second read of a used token");
    // Random tokens are nothing.
    REFUSED(s.exec(QStringLiteral("SELECT * FROM simdesk_read_revealed(gen_random_uuid())")),
        "random token");
}

void TestHostile::theOldRevealFunctionShouldBeGoneOrAuditedForGood()
{
    Session &s = as(QStringLiteral("support"));
    const qint64 before = suCount(
        QStringLiteral("SELECT count(*) FROM sim_events WHERE event_type = 'SECRET_REVEALED'"));
    SUCCEEDS(s.exec(QStringLiteral("BEGIN")), "BEGIN");
    const Outcome o = s.exec(
        fill(QStringLiteral("SELECT * FROM simdesk_reveal_secrets(@REVEAL@, 'then roll back')"),
            QString()));
    s.exec(QStringLiteral("ROLLBACK"));
    if (o.ok) {
        QVERIFY2(o.rows.isEmpty() || o.value(0, 0).isEmpty(),
            qPrintable("old simdesk_reveal_secrets revealed: " + o.describe()));
        QVERIFY2(suCount(QStringLiteral(
                     "SELECT count(*) FROM sim_events WHERE event_type = 'SECRET_REVEALED'"))
                > before,
            "old simdesk_reveal_secrets left no event after ROLLBACK");
    }
    qInfo("old simdesk_reveal_secrets: %s", qPrintable(o.describe()));
}

void TestHostile::settingSecretsShouldWriteAnEventWithoutTheSecrets()
{
    const qint64 events = lastEventId();
    SUCCEEDS(
        as(QStringLiteral("admin"))
            .exec(fill(
                QStringLiteral(
                    "SELECT simdesk_set_secrets(@SECRETS@, '97531', '86420864', 'card resent')"),
                QString())),
        "admin sets PIN/PUK");
    QCOMPARE(
        suValue(QStringLiteral(
            "SELECT string_agg(event_type || ':' || created_by, ',') FROM sim_events WHERE id > %1")
                    .arg(events)),
        QStringLiteral("SECRETS_CHANGED:") + m_login["admin"]);
    QCOMPARE(suCount(QStringLiteral("SELECT count(*) FROM sim_events e WHERE id > %1 AND (e::text "
                                    "LIKE '%97531%' OR e::text LIKE '%86420864%')")
                         .arg(events)),
        0);
    QCOMPARE(suValue(fill(QStringLiteral(
                              "SELECT pin || '/' || puk FROM sim_secrets WHERE sim_id = @SECRETS@"),
                 QString())),
        QStringLiteral("97531/86420864"));
    m_pin["SECRETS"] = QStringLiteral("97531");
    m_puk["SECRETS"] = QStringLiteral("86420864");
    // Rolled back: nothing changed, no event.
    const qint64 after = lastEventId();
    Session &admin = as(QStringLiteral("admin"));
    SUCCEEDS(
        admin.exec(fill(
            QStringLiteral("BEGIN; SELECT simdesk_set_secrets(@SECRETS@, '1111', '11111111', 'x')"),
            QString())),
        "set in BEGIN");
    admin.exec(QStringLiteral("ROLLBACK"));
    QCOMPARE(lastEventId(), after);
    QCOMPARE(suValue(fill(QStringLiteral("SELECT pin FROM sim_secrets WHERE sim_id = @SECRETS@"),
                 QString())),
        QStringLiteral("97531"));
    // A support login still cannot read them, nor set them.
    REFUSED(as(QStringLiteral("support"))
                .exec(fill(QStringLiteral("SELECT pin FROM sim_secrets WHERE sim_id = @SECRETS@"),
                    QString())),
        "support reads sim_secrets");
}

// Every change of PIN/PUK has one event "with … the reason".
void TestHostile::settingSecretsShouldTakeAReason()
{
    const qint64 events = lastEventId();
    const Outcome o = as(QStringLiteral("admin"))
                          .exec(fill(QStringLiteral("SELECT simdesk_set_secrets(@SECRETS@, "
                                                    "'97531', '86420864', 'new SIM profile')"),
                              QString()));
    SUCCEEDS(o,
        "admin sets PIN/PUK with a reason (simdesk_set_secrets(p_sim_id, p_pin, p_puk, p_reason))");
    QCOMPARE(suValue(QStringLiteral(
                 "SELECT %1 FROM sim_events e WHERE id > %2 AND event_type = 'SECRETS_CHANGED'")
                         .arg(kReason)
                         .arg(events)),
        QStringLiteral("new SIM profile"));
    REFUSED(as(QStringLiteral("admin"))
                .exec(fill(QStringLiteral(
                               "SELECT simdesk_set_secrets(@SECRETS@, '97531', '86420864', NULL)"),
                    QString())),
        "set_secrets without a reason");
}

// ---------------------------------------------------------------------------------------------

void TestHostile::hostileValuesShouldBeStoredExactlyOrRefused_data()
{
    QTest::addColumn<QByteArray>("value");
    QByteArray longValue;
    while (longValue.size() < 100000)
        longValue += "O'Brien \\ $$ ? ?| $1 ; -- ";
    longValue.truncate(99999);
    longValue += 'Z'; // the functions trim a reason's spaces: end on a letter
    QTest::newRow("quotes") << QByteArray("O'Brien'); CREATE TABLE public.pwned (i int); --");
    QTest::newRow("backslashes") << QByteArray(
        "C:\\new\\table \\' \\\\'); CREATE TABLE public.pwned (i int); --");
    QTest::newRow("dollar quotes")
        << QByteArray("$$; CREATE TABLE public.pwned (i int); $$ $x$ $1 $2");
    QTest::newRow("question marks") << QByteArray("? ?| ?& :name $1 ?::text");
    QTest::newRow("double quotes and format")
        << QByteArray("\"x\"; %I %L %s %% \"); CREATE TABLE public.pwned (i int); --");
    QTest::newRow("unicode") << QByteArray("Zoë «Ærø» 🙂 \xe2\x80\xa8 line\nbreak\ttab");
    QTest::newRow("NUL byte") << QByteArray("before\0after", 12);
    QTest::newRow("100,000 characters") << longValue;
}

void TestHostile::hostileValuesShouldBeStoredExactlyOrRefused()
{
    QFETCH(QByteArray, value);
    static int row = 0;
    ++row;
    Session &support = as(QStringLiteral("support"));
    Session &admin = as(QStringLiteral("admin"));
    const bool hasNul = value.contains('\0');
    // psql users type E'…\000…' for a NUL; the escape function stops at one.
    const QString literal = hasNul ? QStringLiteral("E'before\\000after'") : support.literal(value);
    const auto storedOrRefused = [&](const Outcome &o, const QString &what, const QString &readBack,
                                     const QList<QByteArray> &keys) {
        const Outcome stored = suParams(readBack, keys);
        if (o.ok) {
            QVERIFY2(stored.ok && !stored.rows.isEmpty(),
                qPrintable(what + QStringLiteral(": accepted but not found")));
            QVERIFY2(stored.value().toUtf8() == value,
                qPrintable(what
                    + QStringLiteral(": stored %1 characters, not the %2 sent")
                          .arg(stored.value().size())
                          .arg(value.size())));
        } else {
            QVERIFY2(!o.message.isEmpty(), qPrintable(what + ": refused without a message"));
            QVERIFY2(stored.rows.isEmpty() || stored.value().isNull(),
                qPrintable(what + ": refused but something was stored"));
            qInfo("%s refused: %s", qPrintable(what), qPrintable(o.describe().left(160)));
        }
    };
    // The checks run in a lambda: stop at its first failure.
#define CHECKED(call)                                                                              \
    call;                                                                                          \
    if (QTest::currentTestFailed())                                                                \
        return;

    // A customer's name, typed into psql and sent as a bound value.
    const QString no = QStringLiteral("HV-%1").arg(row);
    const qint64 audits = lastAuditId();
    Outcome o = support.exec(
        QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES ('%1', %2)")
            .arg(no, literal));
    CHECKED(storedOrRefused(o, "customer name (simple query)",
        QStringLiteral("SELECT full_name FROM customers WHERE customer_no = $1"), { no.toUtf8() }))
    if (o.ok)
        QCOMPARE(suParams(QStringLiteral("SELECT new_row->>'full_name' FROM audit_log WHERE id > "
                                         "$1::bigint AND table_name = 'customers'"),
                     { QByteArray::number(audits) })
                     .value()
                     .toUtf8(),
            value);
    o = support.execParams(
        QStringLiteral("INSERT INTO customers (customer_no, full_name) VALUES ($1, $2)"),
        { (no + "-b").toUtf8(), value }, hasNul);
    CHECKED(storedOrRefused(o, "customer name (bound)",
        QStringLiteral("SELECT full_name FROM customers WHERE customer_no = $1"),
        { (no + "-b").toUtf8() }))

    // A lifecycle reason: reserve and release, both with the value.
    for (const QString &action : { QStringLiteral("reserve"), QStringLiteral("release") }) {
        const qint64 events = lastEventId();
        o = support.exec(actSql(QStringLiteral("REASONS"), action,
            action == QLatin1String("reserve") ? QString::number(m_id["CUST1"]) : QString(), {}, {},
            literal));
        CHECKED(storedOrRefused(o, "reason of " + action,
            QStringLiteral(
                "SELECT %1 FROM sim_events e WHERE id > $1::bigint AND sim_id = $2::bigint")
                .arg(kReason),
            { QByteArray::number(events), QByteArray::number(m_card["REASONS"]) }))
        if (!o.ok)
            break;
    }
    // The reason of a reveal.
    {
        const qint64 events = lastEventId();
        o = support.exec(
            fill(QStringLiteral("SELECT simdesk_request_reveal(@REVEAL@, %1, 'cli')"), QString())
                .arg(literal));
        CHECKED(storedOrRefused(o, "reason of a reveal",
            QStringLiteral("SELECT %1 FROM sim_events e WHERE id > $1::bigint AND event_type = "
                           "'SECRET_REVEALED'")
                .arg(kReason),
            { QByteArray::number(events) }))
    }
    // A staff member's display name; and the value as a login name, which must be refused.
    {
        const QString login = m_tdb->name() + QStringLiteral("_hv%1").arg(row);
        o = admin.exec(QStringLiteral(
            "SELECT simdesk_create_staff('%1', '%2', '%1@example.net', %3, 'viewer')")
                           .arg(login, m_verifier, literal));
        CHECKED(storedOrRefused(o, "staff display name",
            QStringLiteral("SELECT display_name FROM staff WHERE login = $1"), { login.toUtf8() }))
        o = admin.exec(QStringLiteral(
            "SELECT simdesk_create_staff(%1, '%2', 'hv@example.net', 'HV', 'viewer')")
                           .arg(literal, m_verifier));
        REFUSED(o, "the value as a login name");
        if (!hasNul)
            QCOMPARE(suParams(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = $1"),
                         { value })
                         .value(),
                QStringLiteral("0"));
    }
    // Never executed.
    QCOMPARE(suValue(QStringLiteral("SELECT coalesce(to_regclass('public.pwned')::text, 'none')")),
        QStringLiteral("none"));
    QCOMPARE(suValue(QStringLiteral("SELECT to_regclass('public.sim_events') IS NOT NULL AND "
                                    "to_regclass('public.customers') IS NOT NULL")),
        QStringLiteral("t"));
#undef CHECKED
}

// ---------------------------------------------------------------------------------------------

void TestHostile::twoClientsActivatingOneCardShouldNotBothSucceed()
{
    const QString cust = QString::number(m_id["CUST1"]);
    const QString plan = QString::number(m_id["PLAN"]);
    std::unique_ptr<Session> a = connectTcp(m_login["support"], m_password["support"]);
    std::unique_ptr<Session> b = connectTcp(m_login["support2"], m_password["support2"]);
    QVERIFY(a->isOpen() && b->isOpen());
    const QString activatedCount = QStringLiteral(
        "SELECT count(*) FROM sim_events WHERE sim_id = %1 AND event_type = 'ACTIVATED'");

    // A holds the card; B, with the same (then current) version, waits and then fails.
    {
        const QString sql = actSql(QStringLiteral("RACE"), QStringLiteral("activate"), cust, plan);
        SUCCEEDS(a->exec(QStringLiteral("BEGIN")), "BEGIN");
        SUCCEEDS(a->exec(sql), "A activates");
        QVERIFY(b->send(sql));
        QThread::msleep(300);
        qInfo("B waiting for A's lock: %s", b->busy() ? "yes" : "no");
        SUCCEEDS(a->exec(QStringLiteral("COMMIT")), "A commits");
        const Outcome second = b->collect();
        REFUSED(second, "B activates the same card after A");
        QVERIFY2(QStringList({ "SD001", "SD005", "55P03", "40001" }).contains(second.sqlState),
            qPrintable(second.describe()));
        QCOMPARE(suCount(activatedCount.arg(m_card["RACE"])), 1);
    }
    // Both at once, same version, no transaction around: exactly one wins.
    {
        const QString sql = actSql(QStringLiteral("RACE2"), QStringLiteral("activate"), cust, plan);
        QVERIFY(a->send(sql));
        QVERIFY(b->send(sql));
        const Outcome ra = a->collect();
        const Outcome rb = b->collect();
        QVERIFY2(ra.ok != rb.ok,
            qPrintable(QStringLiteral("A: %1, B: %2").arg(ra.describe(), rb.describe())));
        QCOMPARE(suCount(activatedCount.arg(m_card["RACE2"])), 1);
    }
    // A bulk call naming one card twice activates it once.
    {
        const Outcome o
            = a->exec(fill(QStringLiteral("SELECT outcome FROM simdesk_sim_apply(ARRAY[@RACE3@, "
                                          "@RACE3@]::bigint[], 'activate', "
                                          "NULL, %1, %2, NULL, 'twice', 'bulk')"),
                QString())
                          .arg(cust, plan));
        qInfo("bulk activate of one card twice: %s", qPrintable(o.describe()));
        QVERIFY(suCount(activatedCount.arg(m_card["RACE3"])) <= 1);
    }
}

// ---------------------------------------------------------------------------------------------

void TestHostile::staffChangesShouldBeAuditedWithWhoDidThem()
{
    // At least one audit row by `by` about `target` since `since` (a role change may be both the
    // staff row's UPDATE and the staff action).
    const auto audited = [this](qint64 since, const QString &by, const QString &target) {
        return suParams(
            QStringLiteral("SELECT count(*) FROM audit_log a WHERE a.id > $1::bigint AND "
                           "a.changed_by = $2 AND "
                           "(a.row_id::text = (SELECT id::text FROM staff WHERE login = $3) "
                           "OR a.new_row->>'login' = $3 OR a.old_row->>'login' = $3)"),
            { QByteArray::number(since), by.toUtf8(), target.toUtf8() })
            .value()
            .toLongLong();
    };
    Session &admin = as(QStringLiteral("admin"));
    const QString by = m_login["admin"];
    const QString viewer2 = m_login["viewer2"];
    const QString admin2 = m_login["admin2"];
    qint64 since = lastAuditId();
    const QString v2 = verifier(m_password["admin2"]);
    SUCCEEDS(admin.exec(QStringLiteral("SELECT simdesk_create_staff('%1', '%2', "
                                       "'admin2@example.net', 'Second Admin', 'admin')")
                            .arg(admin2, v2)),
        "admin creates a second admin");
    QVERIFY(audited(since, by, admin2) >= 1);
    QVERIFY(as(QStringLiteral("admin2")).isOpen());

    since = lastAuditId();
    SUCCEEDS(
        admin.exec(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'support')").arg(viewer2)),
        "role change");
    QVERIFY(audited(since, by, viewer2) >= 1);
    QCOMPARE(suValue(QStringLiteral("SELECT pg_has_role('%1', 'simdesk_support', 'MEMBER') AND NOT "
                                    "pg_has_role('%1', 'simdesk_admin', 'MEMBER')")
                         .arg(viewer2)),
        QStringLiteral("t"));
    since = lastAuditId();
    SUCCEEDS(admin.exec(QStringLiteral("SELECT simdesk_set_staff_password('%1', '%2')")
                            .arg(viewer2, verifier("reset by admin"))),
        "password reset");
    QVERIFY(audited(since, by, viewer2) >= 1);
    since = lastAuditId();
    SUCCEEDS(
        admin.exec(QStringLiteral("SELECT simdesk_set_staff_active('%1', false)").arg(viewer2)),
        "disable");
    QVERIFY(audited(since, by, viewer2) >= 1);
    since = lastAuditId();
    SUCCEEDS(admin.exec(QStringLiteral("SELECT simdesk_set_staff_active('%1', true)").arg(viewer2)),
        "enable");
    QVERIFY(audited(since, by, viewer2) >= 1);
    // One's own password: allowed, audited as oneself.
    since = lastAuditId();
    SUCCEEDS(as(QStringLiteral("support"))
                 .exec(QStringLiteral("SELECT simdesk_set_staff_password('%1', '%2')")
                           .arg(m_login["support"], verifier(m_password["support"]))),
        "support changes its own password");
    QVERIFY(audited(since, m_login["support"], m_login["support"]) >= 1);
    // No verifier in the audit trail.
    QCOMPARE(suCount(QStringLiteral(
                 "SELECT count(*) FROM audit_log a WHERE a::text LIKE '%SCRAM-SHA-256$%'")),
        0);
}

void TestHostile::theLastActiveAdminShouldStay()
{
    Session &admin = as(QStringLiteral("admin"));
    const QString login = m_login["admin"];
    const QString admin2 = m_login["admin2"];
    const QString isAdmin = QStringLiteral(
        "SELECT role || active::text || pg_has_role('%1', 'simdesk_admin', 'MEMBER')::text "
        "|| (SELECT rolcanlogin FROM pg_roles WHERE rolname = '%1')::text FROM staff WHERE login = "
        "'%1'");
    // admin2 is disabled: admin is the last active admin.
    std::unique_ptr<Session> second = connectTcp(admin2, m_password["admin2"]);
    QVERIFY2(second->isOpen(), qPrintable(second->error()));
    SUCCEEDS(admin.exec(QStringLiteral("SELECT simdesk_set_staff_active('%1', false)").arg(admin2)),
        "admin disables admin2");
    REFUSED(
        second->exec(QStringLiteral("SELECT 1")), "admin2's open session after it was disabled");

    Outcome o
        = admin.exec(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'support')").arg(login));
    REFUSED(o, "the last active admin demotes itself");
    QCOMPARE(o.sqlState, QStringLiteral("SD040"));
    o = admin.exec(QStringLiteral("SELECT simdesk_set_staff_active('%1', false)").arg(login));
    REFUSED(o, "the last active admin disables itself");
    QCOMPARE(suValue(isAdmin.arg(login)), QStringLiteral("admintruetruetrue"));
    // The schema owner counts as an admin for the staff functions, but cannot leave zero either.
    o = su(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'viewer')").arg(login));
    if (o.ok)
        restoreAdmin(login);
    REFUSED(o, "the owner demotes the last active admin");
    QCOMPARE(o.sqlState, QStringLiteral("SD040"));
    o = su(QStringLiteral("SELECT simdesk_set_staff_active('%1', false)").arg(login));
    if (o.ok)
        restoreAdmin(login);
    REFUSED(o, "the owner disables the last active admin");
    QCOMPARE(o.sqlState, QStringLiteral("SD040"));
    QCOMPARE(suValue(isAdmin.arg(login)), QStringLiteral("admintruetruetrue"));

    SUCCEEDS(admin.exec(QStringLiteral("SELECT simdesk_set_staff_active('%1', true)").arg(admin2)),
        "admin enables admin2");
    QCOMPARE(suValue(isAdmin.arg(admin2)), QStringLiteral("admintruetruetrue"));
}

void TestHostile::disablingALoginShouldEndItsOpenSessions()
{
    const QString support2 = m_login["support2"];
    Session &victim = as(QStringLiteral("support2"));
    SUCCEEDS(victim.exec(QStringLiteral("SELECT 1")), "support2 works");
    std::unique_ptr<Session> admin = connectTcp(m_login["admin"], m_password["admin"]);
    std::unique_ptr<Session> bystander = connectTcp(m_login["viewer"], m_password["viewer"]);
    std::unique_ptr<Session> superuser = superuserSession();
    QVERIFY(admin->isOpen() && bystander->isOpen() && superuser->isOpen());
    SUCCEEDS(
        admin->exec(QStringLiteral("SELECT simdesk_set_staff_active('%1', false)").arg(support2)),
        "admin disables support2");
    // Only support2's sessions end: not the caller's, not anybody else's.
    SUCCEEDS(
        admin->exec(QStringLiteral("SELECT 1")), "the disabling admin's own session afterwards");
    SUCCEEDS(bystander->exec(QStringLiteral("SELECT 1")), "a viewer's session afterwards");
    SUCCEEDS(superuser->exec(QStringLiteral("SELECT 1")), "the superuser's session afterwards");
    const Outcome after = victim.exec(
        fill(QStringLiteral("SELECT simdesk_request_reveal(@REVEAL@, 'one last look', 'cli')"),
            QString()));
    REFUSED(after, "support2's open session after it was disabled");
    QCOMPARE(suCount(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE usename = '%1'")
                         .arg(support2)),
        0);
    std::unique_ptr<Session> again = connectTcp(support2, m_password["support2"]);
    QVERIFY2(!again->isOpen(), "a disabled login connects");
}

void TestHostile::twoAdminsDemotingEachOtherShouldLeaveAnAdmin()
{
    const QString one = m_login["admin"];
    const QString two = m_login["admin2"];
    std::unique_ptr<Session> a = connectTcp(one, m_password["admin"]);
    std::unique_ptr<Session> b = connectTcp(two, m_password["admin2"]);
    QVERIFY2(a->isOpen() && b->isOpen(), qPrintable(a->error() + b->error()));
    SUCCEEDS(a->exec(QStringLiteral("BEGIN")), "BEGIN");
    const Outcome first
        = a->exec(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'viewer')").arg(two));
    SUCCEEDS(first, "admin demotes admin2 (not committed yet)");
    QVERIFY(b->send(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'viewer')").arg(one)));
    QThread::msleep(300);
    SUCCEEDS(a->exec(QStringLiteral("COMMIT")), "admin commits");
    const Outcome second = b->collect();
    const qint64 admins = suCount(
        QStringLiteral("SELECT count(*) FROM staff s JOIN pg_roles r ON r.rolname = s.login WHERE "
                       "s.role = 'admin' AND s.active "
                       "AND r.rolcanlogin AND pg_has_role(s.login, 'simdesk_admin', 'MEMBER')"));
    if (admins == 0)
        restoreAdmin(one);
    QVERIFY2(admins >= 1,
        qPrintable(QStringLiteral("two admins demoting each other left no active admin (admin → "
                                  "admin2: %1; admin2 → admin: %2)")
                       .arg(first.describe(), second.describe())));
    REFUSED(second, "admin2 demotes admin at the same time");
    // The one admin left cannot go either.
    REFUSED(as(QStringLiteral("admin"))
                .exec(QStringLiteral("SELECT simdesk_set_staff_role('%1', 'viewer')").arg(one)),
        "the last admin demotes itself");
}

// ---------------------------------------------------------------------------------------------
// The audit invariant, over every card the slots above touched.

void TestHostile::everyCardShouldBeTheReplayOfItsEvents()
{
    // The replay: the new_status of a card's last event that names one, in id order, must be
    // the card's status (a card with no such event replays to NULL and fails).
    const Outcome wrong
        = su(QStringLiteral("SELECT c.id, c.status, r.new_status FROM sim_cards c "
                            "LEFT JOIN LATERAL (SELECT e.new_status FROM sim_events e WHERE "
                            "e.sim_id = c.id AND e.new_status IS NOT NULL "
                            "                   ORDER BY e.id DESC LIMIT 1) r ON true "
                            "WHERE r.new_status IS DISTINCT FROM c.status ORDER BY c.id"));
    SUCCEEDS(wrong, "replay query");
    QStringList lines;
    for (const QStringList &row : wrong.rows)
        lines << row.join(QLatin1Char(' '));
    QVERIFY2(wrong.rows.isEmpty(),
        qPrintable(QStringLiteral(
                       "cards whose status is not the replay of their events (id status replay): ")
            + lines.join(QLatin1String("; "))));
    // And the chain holds: each status event starts where the previous one ended.
    const Outcome chain = su(QStringLiteral(
        "SELECT sim_id, id, event_type, old_status, previous FROM ("
        "  SELECT e.*, lag(e.new_status) OVER (PARTITION BY e.sim_id ORDER BY e.id) AS previous "
        "FROM sim_events e "
        "  WHERE e.new_status IS NOT NULL AND e.sim_id IN (SELECT id FROM sim_cards)) x "
        "WHERE old_status IS NOT NULL AND previous IS NOT NULL AND old_status <> previous"));
    SUCCEEDS(chain, "chain query");
    lines.clear();
    for (const QStringList &row : chain.rows)
        lines << row.join(QLatin1Char(' '));
    QVERIFY2(chain.rows.isEmpty(),
        qPrintable(QStringLiteral("events that do not start where the previous ended: ")
            + lines.join(QLatin1String("; "))));
    QVERIFY(suCount(QStringLiteral("SELECT count(*) FROM sim_cards")) >= 18);
}

void TestHostile::everyEventAndAuditRowShouldNameARealLogin()
{
    QStringList logins { m_tdb->settings().user };
    for (const QString &l : std::as_const(m_login))
        logins << l;
    const QString known
        = QStringLiteral("'") + logins.join(QLatin1String("', '")) + QStringLiteral("'");
    const QString who = QStringLiteral(
        "SELECT string_agg(DISTINCT coalesce(%1, '<null>'), ', ') FROM %2 x LEFT JOIN pg_roles r "
        "ON r.rolname = x.%1 "
        "WHERE x.%1 IS NULL OR r.oid IS NULL OR x.%1 LIKE 'simdesk\\_%' OR x.%1 NOT IN (%3) "
        "OR NOT (r.rolcanlogin OR EXISTS (SELECT 1 FROM staff s WHERE s.login = x.%1))");
    QCOMPARE(suValue(who.arg(QStringLiteral("created_by"), QStringLiteral("sim_events"), known)),
        QString());
    QCOMPARE(suValue(who.arg(QStringLiteral("changed_by"), QStringLiteral("audit_log"), known)),
        QString());
    QVERIFY(suCount(QStringLiteral("SELECT count(*) FROM sim_events")) > 30);
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
