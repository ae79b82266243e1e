// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "domain/cardaction.h"
#include "domain/history.h"
#include "domain/lifecycle.h"
#include "domain/validation.h"
#include "reasoncases.h"
#include "records/activationcoderepository.h"
#include "records/tariffplanrepository.h"
#include "testdatabase.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace simdesk;

// The schema itself refuses bad rows, whoever writes them (psql included).
class TestConstraints : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void shouldRefuseBadRows_data();
    void shouldRefuseBadRows();
    void shouldAcceptManyCardsWithoutMsisdn();
    void shouldAllowTheNumberOfATerminatedCardToBeReused();
    void shouldBumpVersionOnEveryUpdate();
    void sqlTransitionTableShouldEqualTheCppTable();
    void holderStatusesAndRequirementsShouldEqualTheDatabases();
    void eventTypesAndSourcesShouldEqualTheDatabases();
    void theFittingTariffsShouldBeTheOnesTheDatabaseAccepts();
    void theCodeStatusRuleShouldBeTheDatabases();
    void sqlReasonRuleShouldEqualTheCppRule_data();
    void sqlReasonRuleShouldEqualTheCppRule();
    void fastLuhnShouldAnswerExactlyAsTheLoopOf001();
    void fastLuhnShouldAgreeWithTheCoreCheckDigit();
    void shouldRefuseToDeleteAnImportBatchThatHasCards();
    void shouldRefuseToDeleteACodeBatchThatHasCodes();

private:
    QString exec(const QString &sql); // SQLSTATE of the failure, empty on success
    // A card in `status` (with a customer and a tariff where the status needs them); its id.
    qint64 cardIn(SimStatus status, int n);
    // What simdesk_sim_apply decides for one card, in a transaction that is rolled back: the
    // outcome key, or the SQLSTATE when it refuses the call as a whole.
    QString wouldApply(qint64 card, const QString &action, const QString &args);
    // The quoted values of a CHECK constraint's IN (…) list.
    QSet<QString> checkValues(const QString &constraint);

    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_db;
};

QString TestConstraints::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (q.exec(sql))
        return {};
    return q.lastError().nativeErrorCode();
}

void TestConstraints::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("constraints"));
    REQUIRE_DATABASE(*m_tdb);
    m_db = m_tdb->connect();
    const Result<QList<int>> r = Migrator(m_db).migrate();
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
}

void TestConstraints::cleanupTestCase()
{
    m_db = QSqlDatabase();
    m_tdb.reset();
}

void TestConstraints::init()
{
    // Every case starts from one known card, one customer and one tariff.
    QCOMPARE(
        exec(QStringLiteral("TRUNCATE sim_events, sim_secrets, sim_cards, customers, tariff_plans, "
                            "activation_codes, import_batches RESTART IDENTITY CASCADE")),
        QString());
    QCOMPARE(exec(QStringLiteral(
                 "INSERT INTO customers (customer_no, full_name) VALUES ('C-1', 'Anna Berg')")),
        QString());
    QCOMPARE(exec(QStringLiteral("INSERT INTO tariff_plans (code, name, sim_type) VALUES ('PRE', "
                                 "'Prepaid', 'prepaid')")),
        QString());
    QCOMPARE(exec(QStringLiteral("INSERT INTO sim_cards (iccid, msisdn, sim_type) "
                                 "VALUES ('8949029900000010007', '+4915901000000', 'prepaid')")),
        QString());
    QCOMPARE(exec(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type, status, customer_id) "
                                 "VALUES ('8949029900000010031', 'prepaid', 'RESERVED', 1)")),
        QString());
}

void TestConstraints::shouldRefuseBadRows_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("sqlstate");
    const QString uniqueViolation = QStringLiteral("23505");
    const QString checkViolation = QStringLiteral("23514");
    const QString fkViolation = QStringLiteral("23503");
    const QString notNull = QStringLiteral("23502");
    auto sim = [](const char *values) {
        return QStringLiteral(
            "INSERT INTO sim_cards (iccid, msisdn, sim_type, status, customer_id, "
            "tariff_plan_id) VALUES (%1)")
            .arg(QLatin1String(values));
    };
    QTest::newRow("duplicate ICCID")
        << sim("'8949029900000010007', NULL, 'prepaid', 'AVAILABLE', NULL, NULL")
        << uniqueViolation;
    QTest::newRow("duplicate MSISDN")
        << sim("'8949029900000010015', '+4915901000000', 'prepaid', 'AVAILABLE', NULL, NULL")
        << uniqueViolation;
    QTest::newRow("unknown status")
        << sim("'8949029900000010015', NULL, 'prepaid', 'LOST', NULL, NULL") << checkViolation;
    QTest::newRow("lower-case status")
        << sim("'8949029900000010015', NULL, 'prepaid', 'available', NULL, NULL") << checkViolation;
    QTest::newRow("unknown SIM type")
        << sim("'8949029900000010015', NULL, 'contract', 'AVAILABLE', NULL, NULL")
        << checkViolation;
    QTest::newRow("ICCID with a bad check digit")
        << sim("'8949029900000010016', NULL, 'prepaid', 'AVAILABLE', NULL, NULL") << checkViolation;
    QTest::newRow("ICCID of 18 digits")
        << sim("'894902990000001001', NULL, 'prepaid', 'AVAILABLE', NULL, NULL") << checkViolation;
    QTest::newRow("ICCID not starting 89")
        << sim("'7949029900000010007', NULL, 'prepaid', 'AVAILABLE', NULL, NULL") << checkViolation;
    QTest::newRow("ICCID with spaces")
        << sim("'8949 0299 0000 0010 015', NULL, 'prepaid', 'AVAILABLE', NULL, NULL")
        << checkViolation;
    QTest::newRow("MSISDN without +")
        << sim("'8949029900000010015', '4915901000001', 'prepaid', 'AVAILABLE', NULL, NULL")
        << checkViolation;
    QTest::newRow("MSISDN of 16 digits")
        << sim("'8949029900000010015', '+4915901000001234', 'prepaid', 'AVAILABLE', NULL, NULL")
        << checkViolation;
    QTest::newRow("MSISDN country code 0")
        << sim("'8949029900000010015', '+04915901000001', 'prepaid', 'AVAILABLE', NULL, NULL")
        << checkViolation;
    QTest::newRow("reserved without customer")
        << sim("'8949029900000010015', NULL, 'prepaid', 'RESERVED', NULL, NULL") << checkViolation;
    QTest::newRow("active without tariff")
        << sim("'8949029900000010015', NULL, 'prepaid', 'ACTIVE', 1, NULL") << checkViolation;
    QTest::newRow("terminated still holding a number")
        << sim("'8949029900000010015', '+4915901000009', 'prepaid', 'TERMINATED', NULL, NULL")
        << checkViolation;
    QTest::newRow("unknown customer")
        << sim("'8949029900000010015', NULL, 'prepaid', 'RESERVED', 99, NULL") << fkViolation;
    QTest::newRow("missing ICCID")
        << sim("NULL, NULL, 'prepaid', 'AVAILABLE', NULL, NULL") << notNull;
    QTest::newRow("IMSI of 5 digits")
        << QStringLiteral("UPDATE sim_cards SET imsi = '26201' WHERE id = 1") << checkViolation;
    QTest::newRow("PIN of 3 digits") << QStringLiteral(
        "INSERT INTO sim_secrets (sim_id, pin, puk) VALUES (1, '123', '12345678')")
                                     << checkViolation;
    QTest::newRow("PUK of 7 digits") << QStringLiteral(
        "INSERT INTO sim_secrets (sim_id, pin, puk) VALUES (1, '1234', '1234567')")
                                     << checkViolation;
    QTest::newRow("unknown event type")
        << QStringLiteral("INSERT INTO sim_events (sim_id, event_type) VALUES (1, 'EXPLODED')")
        << checkViolation;
    QTest::newRow("used activation code without used_at") << QStringLiteral(
        "INSERT INTO activation_codes (code, status) VALUES ('ACT-1234-ABCD', 'USED')")
                                                          << checkViolation;
    QTest::newRow("unknown activation code status") << QStringLiteral(
        "INSERT INTO activation_codes (code, status) VALUES ('ACT-1234-ABCD', 'LOST')")
                                                    << checkViolation;
    QTest::newRow("duplicate tariff code")
        << QStringLiteral("INSERT INTO tariff_plans (code, name) VALUES ('PRE', 'Other')")
        << uniqueViolation;
    QTest::newRow("staff with unknown role")
        << QStringLiteral("INSERT INTO staff (login, email, display_name, role) "
                          "VALUES ('anna', 'anna@example.net', 'Anna', 'root')")
        << checkViolation;
    QTest::newRow("import batch with a bad checksum") << QStringLiteral(
        "INSERT INTO import_batches (file_name, checksum, format) VALUES ('a.csv', 'abc', 'csv')")
                                                      << checkViolation;
    // 005 checks the batch of a card per statement instead of by a foreign key: the same refusal.
    QTest::newRow("card of an unknown import batch")
        << QStringLiteral("INSERT INTO sim_cards (iccid, sim_type, import_batch_id) "
                          "VALUES ('8949029900000010015', 'prepaid', 99)")
        << fkViolation;
    QTest::newRow("card moved to an unknown import batch")
        << QStringLiteral("UPDATE sim_cards SET import_batch_id = 99 WHERE id = 1") << fkViolation;
    // 021: the same per-statement check for a code's batch.
    QTest::newRow("code of an unknown code batch") << QStringLiteral(
        "INSERT INTO activation_codes (code, batch_id) VALUES ('ACT-9999-WXYZ', 99)")
                                                   << fkViolation;
    QTest::newRow("codes of a known and an unknown code batch in one statement") << QStringLiteral(
        "WITH b AS (INSERT INTO code_batches (label, code_length, code_count) "
        "VALUES ('one', 8, 1) RETURNING id) INSERT INTO activation_codes (code, "
        "batch_id) SELECT v.code, v.batch FROM b, LATERAL (VALUES "
        "('ACT-9999-WXYA', b.id), ('ACT-9999-WXYB', b.id + 99)) v(code, batch)") << fkViolation;
    QTest::newRow("delete a customer who holds a card")
        << QStringLiteral("DELETE FROM customers WHERE id = 1") << fkViolation;
}

void TestConstraints::shouldRefuseBadRows()
{
    QFETCH(QString, sql);
    QFETCH(QString, sqlstate);
    const QString before = m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards"));
    QCOMPARE(exec(QStringLiteral("BEGIN")), QString());
    const QString state = exec(sql);
    QCOMPARE(exec(QStringLiteral("ROLLBACK")), QString());
    QCOMPARE(state, sqlstate);
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards")), before);
}

void TestConstraints::shouldAcceptManyCardsWithoutMsisdn()
{
    QCOMPARE(exec(QStringLiteral(
                 "INSERT INTO sim_cards (iccid, sim_type) VALUES "
                 "('8949029900000010015', 'postpaid'), ('8949029900000010023', 'data-only'), "
                 "('89441100682451369205', 'prepaid')")),
        QString());
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM sim_cards WHERE msisdn IS NULL")),
        QStringLiteral("4"));
}

void TestConstraints::shouldAllowTheNumberOfATerminatedCardToBeReused()
{
    QCOMPARE(exec(QStringLiteral(
                 "UPDATE sim_cards SET status = 'TERMINATED', msisdn = NULL WHERE id = 1")),
        QString());
    QCOMPARE(exec(QStringLiteral("INSERT INTO sim_cards (iccid, msisdn, sim_type) "
                                 "VALUES ('8949029900000010015', '+4915901000000', 'prepaid')")),
        QString());
}

void TestConstraints::shouldBumpVersionOnEveryUpdate()
{
    const QString version = QStringLiteral("SELECT version FROM sim_cards WHERE id = 1");
    QCOMPARE(m_tdb->scalar(version), QStringLiteral("1"));
    QCOMPARE(exec(QStringLiteral("UPDATE sim_cards SET imsi = '262019900000101' WHERE id = 1")),
        QString());
    // A client cannot set the version back: the trigger always counts up from the stored one.
    QCOMPARE(exec(QStringLiteral(
                 "UPDATE sim_cards SET imsi = '262019900000102', version = 1 WHERE id = 1")),
        QString());
    QCOMPARE(m_tdb->scalar(version), QStringLiteral("3"));
    QCOMPARE(
        m_tdb->scalar(QStringLiteral("SELECT updated_at > created_at FROM sim_cards WHERE id = 1")),
        QStringLiteral("true"));
}

void TestConstraints::sqlTransitionTableShouldEqualTheCppTable()
{
    QSet<QString> sqlRows;
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT from_status, action, to_status FROM sim_transitions")));
    while (q.next())
        sqlRows << q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString()
                + QLatin1Char(' ') + q.value(2).toString();
    QSet<QString> cppRows;
    for (const Transition &t : kTransitions)
        cppRows << statusKey(t.from) + QLatin1Char(' ') + actionKey(t.action) + QLatin1Char(' ')
                + statusKey(t.to);
    QCOMPARE(sqlRows.size(), int(kTransitions.size()));
    QCOMPARE(sqlRows, cppRows);
}

qint64 TestConstraints::cardIn(SimStatus status, int n)
{
    const bool holds = holdsCustomer(status) || status == SimStatus::LostStolen;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type, status, customer_id, "
                             "tariff_plan_id) VALUES (:iccid, 'prepaid', :status, :customer, "
                             ":tariff) RETURNING id"));
    q.bindValue(QStringLiteral(":iccid"), TestDatabase::iccid(9000 + n));
    q.bindValue(QStringLiteral(":status"), statusKey(status));
    q.bindValue(
        QStringLiteral(":customer"), holds ? QVariant(1) : QVariant(QMetaType::fromType<int>()));
    q.bindValue(
        QStringLiteral(":tariff"), holds ? QVariant(1) : QVariant(QMetaType::fromType<int>()));
    if (!q.exec() || !q.next()) {
        qWarning("cardIn: %s", qPrintable(q.lastError().text()));
        return 0;
    }
    return q.value(0).toLongLong();
}

QString TestConstraints::wouldApply(qint64 card, const QString &action, const QString &args)
{
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("BEGIN"));
    const bool ok = q.exec(
        QStringLiteral("SELECT outcome FROM simdesk_sim_apply(ARRAY[%1]::bigint[], '%2', %3)")
            .arg(card)
            .arg(action, args));
    const QString answer = ok && q.next() ? q.value(0).toString() : q.lastError().nativeErrorCode();
    QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    return answer;
}

QSet<QString> TestConstraints::checkValues(const QString &constraint)
{
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :n"));
    q.bindValue(QStringLiteral(":n"), constraint);
    QSet<QString> values;
    if (!q.exec() || !q.next())
        return values;
    const QRegularExpression quoted(QStringLiteral("'([^']*)'"));
    for (auto it = quoted.globalMatch(q.value(0).toString()); it.hasNext();)
        values << it.next().captured(1);
    return values;
}

// The holder statuses (assign, change tariff, unassign) and the actions that need a reason are
// rules in C++ (domain/lifecycle.h, domain/cardaction.h) and in simdesk_sim_apply: asked of the
// database for every status and action, they answer the same.
void TestConstraints::holderStatusesAndRequirementsShouldEqualTheDatabases()
{
    int n = 0;
    for (SimStatus status : kAllStatuses) {
        const qint64 card = cardIn(status, ++n);
        QVERIFY(card > 0);
        for (CardAction action : { CardAction::AssignCustomer, CardAction::ChangeTariff,
                 CardAction::UnassignCustomer }) {
            const QString outcome = wouldApply(
                card, cardActionKey(action), QStringLiteral("NULL, 1, 1, NULL, NULL, 'desktop'"));
            const bool cpp = cardActionPossible(action, status, true);
            QVERIFY2((outcome != QLatin1String("transition")) == cpp,
                qPrintable(statusKey(status) + QLatin1Char(' ') + cardActionKey(action)
                    + QStringLiteral(": ") + outcome));
        }
    }
    // Without a reason, the database refuses exactly the actions the catalogue says need one.
    const qint64 active = cardIn(SimStatus::Active, ++n);
    for (CardAction action : kAllCardActions) {
        if (!lifecycleActionOf(action) && action != CardAction::AssignCustomer
            && action != CardAction::UnassignCustomer && action != CardAction::ChangeTariff)
            continue; // swap, edit and reveal have functions of their own
        const QString outcome = wouldApply(
            active, cardActionKey(action), QStringLiteral("NULL, 1, 1, NULL, NULL, 'desktop'"));
        QVERIFY2((outcome == QLatin1String("SD008")) == cardActionRequirements(action).reason,
            qPrintable(cardActionKey(action) + QStringLiteral(": ") + outcome));
    }
}

void TestConstraints::eventTypesAndSourcesShouldEqualTheDatabases()
{
    QSet<QString> types;
    for (EventType t : kAllEventTypes)
        types << eventTypeKey(t);
    QCOMPARE(checkValues(QStringLiteral("sim_events_event_type_check")), types);
    QSet<QString> sources;
    for (ChangeSource s : kAllSources)
        sources << sourceKey(s);
    QCOMPARE(checkValues(QStringLiteral("sim_events_source_check")), sources);
}

// "The plan fits the card" is asked in one place: the plans offered for a card
// (TariffPlanRepository::listFitting) are exactly those a tariff change of it is done with.
void TestConstraints::theFittingTariffsShouldBeTheOnesTheDatabaseAccepts()
{
    QCOMPARE(
        exec(QStringLiteral(
            "INSERT INTO tariff_plans (code, name, sim_type, active) VALUES "
            "('POST', 'Postpaid', 'postpaid', true), ('ANY', 'Any card', NULL, true), "
            "('OLD', 'Retired prepaid', 'prepaid', false), ('DATA', 'Data', 'data-only', true)")),
        QString());
    const qint64 card = cardIn(SimStatus::Active, 100);
    for (SimType type : kAllSimTypes) {
        QCOMPARE(exec(QStringLiteral("UPDATE sim_cards SET sim_type = '%1' WHERE id = %2")
                          .arg(simTypeKey(type))
                          .arg(card)),
            QString());
        const Result<QList<TariffPlan>> fitting = TariffPlanRepository(m_db).listFitting(type);
        QVERIFY(fitting.ok());
        QSet<qint64> offered;
        for (const TariffPlan &p : *fitting)
            offered << p.id;
        QSqlQuery plans(m_db);
        QVERIFY(plans.exec(QStringLiteral("SELECT id FROM tariff_plans")));
        while (plans.next()) {
            const qint64 plan = plans.value(0).toLongLong();
            const QString outcome = wouldApply(card, QStringLiteral("change_tariff"),
                QStringLiteral("NULL, NULL, %1, NULL, NULL, 'desktop'").arg(plan));
            QVERIFY2((outcome == QLatin1String("done")) == offered.contains(plan),
                qPrintable(
                    QStringLiteral("%1 plan %2: %3").arg(simTypeKey(type)).arg(plan).arg(outcome)));
        }
    }
}

// A code past its expiry is EXPIRED the moment it is past, however it is stored, in what the
// screens read (simdesk_code_status, ActivationCodeRepository) and in what activation refuses.
void TestConstraints::theCodeStatusRuleShouldBeTheDatabases()
{
    QCOMPARE(
        exec(QStringLiteral(
            "INSERT INTO activation_codes (code, expires_at) VALUES "
            "('CODE-GOOD', now() + interval '1 day'), ('CODE-PAST', now() - interval '1 second'), "
            "('CODE-NEVER', NULL)")),
        QString());
    const ActivationCodeRepository codes(m_db);
    QCOMPARE(codes.find(QStringLiteral("CODE-GOOD"))->status, CodeStatus::Unused);
    QCOMPARE(codes.find(QStringLiteral("CODE-PAST"))->status, CodeStatus::Expired);
    QCOMPARE(codes.find(QStringLiteral("CODE-NEVER"))->status, CodeStatus::Unused);
    QCOMPARE(codes.findUsable(QStringLiteral("code-past")).error().code,
        ErrorCode::ActivationCodeExpired);
    const qint64 card = cardIn(SimStatus::Available, 200);
    QCOMPARE(wouldApply(card, QStringLiteral("activate"),
                 QStringLiteral("NULL, 1, 1, 'CODE-PAST', NULL, 'desktop'")),
        QStringLiteral("code_expired"));
    QCOMPARE(wouldApply(card, QStringLiteral("activate"),
                 QStringLiteral("NULL, 1, 1, 'CODE-GOOD', NULL, 'desktop'")),
        QStringLiteral("done"));
}

// 005 replaced the plpgsql loop of 001 behind the ICCID CHECK with an unrolled version and kept
// the loop as simdesk_luhn_valid_loop: both must give the same answer for every input — valid
// and invalid ICCIDs of 19 and 20 digits (every check digit of each body), digit strings of
// every length from 0 to 30 (beyond 20 the new one hands over to the loop), leading zeros,
// non-digits, spaces, non-ASCII digits and NULL.
void TestConstraints::sqlReasonRuleShouldEqualTheCppRule_data()
{
    addReasonRows();
}

// simdesk_reason() (sql/011_hardening.sql) and validation::normalizeReason() are one rule:
// for every row, both keep the same text or both refuse the same way.
void TestConstraints::sqlReasonRuleShouldEqualTheCppRule()
{
    QFETCH(QString, input);
    const Result<QString> cpp = validation::normalizeReason(input);
    const Result<QueryResult> sql
        = runSingle(m_db, QStringLiteral("SELECT simdesk_reason($1)"), { input }, QString());
    if (cpp) {
        QVERIFY2(sql.ok(), sql.ok() ? "" : qPrintable(sql.error().fullMessage()));
        QCOMPARE(sql->value(0).toString(), *cpp);
    } else if (cpp.error().code == ErrorCode::ReasonMissing) {
        QVERIFY2(sql.ok(), sql.ok() ? "" : qPrintable(sql.error().fullMessage()));
        QVERIFY2(sql->isNull(0), qPrintable(sql->value(0).toString()));
    } else {
        QVERIFY(!sql.ok());
        QCOMPARE(sql.error().code, cpp.error().code);
        QCOMPARE(sql.error().message(), cpp.error().message());
    }
}

void TestConstraints::fastLuhnShouldAnswerExactlyAsTheLoopOf001()
{
    const QString sql = QStringLiteral(
        "WITH input AS ("
        "  SELECT '89' || lpad(((i * 2654435761) % 100000000000000000)::text, 17, '0') || d AS v,"
        "         'iccid' AS kind"
        "  FROM generate_series(1::bigint, 5000) i, generate_series(0, 9) d"
        "  UNION ALL"
        "  SELECT '89' || lpad(((i * 40503) % 10000000000000000)::text, 16, '0') || d, 'iccid'"
        "  FROM generate_series(1::bigint, 5000) i, generate_series(0, 9) d"
        "  UNION ALL"
        "  SELECT left(translate(md5(i::text) || md5((i + 1)::text), 'abcdef', '012345'), i % 31),"
        "         'digits'"
        "  FROM generate_series(1, 30000) i"
        "  UNION ALL"
        "  SELECT left('000000' || translate(md5(i::text), 'abcdef', '987654'), 4 + i % 24), "
        "'digits'"
        "  FROM generate_series(1, 5000) i"
        "  UNION ALL"
        "  SELECT left(md5(i::text) || md5((i * 3)::text), i % 31), 'other'"
        "  FROM generate_series(1, 20000) i"
        "  UNION ALL"
        "  SELECT x, 'other' FROM unnest(ARRAY[NULL, '', ' ', '0', '00', '18', '8949 0299 0000 "
        "0010 015',"
        "      '8949029900000010007 ', ' 8949029900000010007', '894902990000001000x', "
        "'+8949029900000010007',"
        "      '-18', '٣٤', '８９', '89490299000000100071234567890']) x"
        ")"
        "SELECT count(*),"
        "       count(*) FILTER (WHERE public.simdesk_luhn_valid(v)"
        "                        IS DISTINCT FROM public.simdesk_luhn_valid_loop(v)),"
        "       count(*) FILTER (WHERE kind = 'iccid' AND public.simdesk_luhn_valid(v)),"
        "       count(*) FILTER (WHERE kind = 'digits' AND public.simdesk_luhn_valid(v)),"
        "       count(*) FILTER (WHERE kind = 'other' AND public.simdesk_luhn_valid(v)),"
        "       count(*) FILTER (WHERE public.simdesk_luhn_valid(v) IS NULL)"
        "FROM input");
    QSqlQuery q(m_db);
    QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toLongLong(), 100000 + 30000 + 5000 + 20000 + 15);
    QCOMPARE(q.value(1).toLongLong(), 0); // not one answer differs
    // Exactly one check digit of ten is right for each body.
    QCOMPARE(q.value(2).toLongLong(), 10000);
    // The other kinds hold both answers, so the comparison above means something.
    QVERIFY(q.value(3).toLongLong() > 1000 && q.value(3).toLongLong() < 34000);
    QVERIFY(q.value(4).toLongLong() > 0);
    QCOMPARE(q.value(5).toLongLong(), 1); // NULL in, NULL out
}

// The database's check and the core's check digit (ITU-T E.118) agree, card by card.
void TestConstraints::fastLuhnShouldAgreeWithTheCoreCheckDigit()
{
    QStringList valid;
    QStringList invalid;
    for (int n = 1; n <= 2000; n += 7) {
        const QString iccid = TestDatabase::iccid(n * 7919);
        valid << iccid;
        const int last = iccid.right(1).toInt();
        invalid << iccid.left(iccid.size() - 1) + QString::number((last + 1 + n % 9) % 10);
    }
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT bool_and(public.simdesk_luhn_valid(v)) FROM "
                                  "unnest('{%1}'::text[]) v")
                       .arg(valid.join(QLatin1Char(',')))));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toBool(), true);
    QVERIFY(q.exec(QStringLiteral("SELECT bool_or(public.simdesk_luhn_valid(v)) FROM "
                                  "unnest('{%1}'::text[]) v")
                       .arg(invalid.join(QLatin1Char(',')))));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toBool(), false);
}

// The RESTRICT that the foreign key of sim_cards.import_batch_id gave, kept by 005's trigger.
void TestConstraints::shouldRefuseToDeleteAnImportBatchThatHasCards()
{
    QCOMPARE(exec(QStringLiteral("INSERT INTO import_batches (file_name, checksum, format) "
                                 "VALUES ('a.csv', repeat('a', 64), 'csv'), "
                                 "('b.csv', repeat('b', 64), 'csv')")),
        QString());
    QCOMPARE(exec(QStringLiteral("INSERT INTO sim_cards (iccid, sim_type, import_batch_id) "
                                 "VALUES ('8949029900000010015', 'prepaid', 1)")),
        QString());
    QCOMPARE(
        exec(QStringLiteral("DELETE FROM import_batches WHERE id = 1")), QStringLiteral("23503"));
    QCOMPARE(exec(QStringLiteral("UPDATE import_batches SET id = DEFAULT WHERE id = 1")),
        QStringLiteral("23503"));
    QCOMPARE(exec(QStringLiteral("DELETE FROM import_batches WHERE id = 2")), QString());
    QCOMPARE(exec(QStringLiteral("DELETE FROM sim_cards WHERE import_batch_id = 1")), QString());
    QCOMPARE(exec(QStringLiteral("DELETE FROM import_batches WHERE id = 1")), QString());
}

// The RESTRICT that the foreign key of activation_codes.batch_id gave, kept by 021's trigger,
// with PostgreSQL's own message and constraint name.
void TestConstraints::shouldRefuseToDeleteACodeBatchThatHasCodes()
{
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("INSERT INTO code_batches (label, code_length, code_count) "
                                  "VALUES ('kept', 8, 1), ('empty', 8, 1) RETURNING id")));
    QVERIFY(q.next());
    const qint64 kept = q.value(0).toLongLong();
    QVERIFY(q.next());
    const qint64 empty = q.value(0).toLongLong();
    QCOMPARE(exec(QStringLiteral("INSERT INTO activation_codes (code, batch_id) VALUES "
                                 "('KEPT-2345', %1)")
                      .arg(kept)),
        QString());
    QVERIFY(!q.exec(QStringLiteral("DELETE FROM code_batches WHERE id = %1").arg(kept)));
    QCOMPARE(q.lastError().nativeErrorCode(), QStringLiteral("23503"));
    QVERIFY2(q.lastError().databaseText().contains(QLatin1String(
                 "update or delete on table \"code_batches\" violates foreign key constraint "
                 "\"activation_codes_batch_id_fkey\" on table \"activation_codes\"")),
        qPrintable(q.lastError().databaseText()));
    QCOMPARE(exec(QStringLiteral("UPDATE code_batches SET id = DEFAULT WHERE id = %1").arg(kept)),
        QStringLiteral("23503"));
    QCOMPARE(exec(QStringLiteral("UPDATE activation_codes SET batch_id = %1 WHERE code = "
                                 "'KEPT-2345'")
                      .arg(empty + 1000)),
        QStringLiteral("23503"));
    QCOMPARE(exec(QStringLiteral("UPDATE activation_codes SET batch_id = %1 WHERE code = "
                                 "'KEPT-2345'")
                      .arg(empty)),
        QString());
    QCOMPARE(exec(QStringLiteral("UPDATE activation_codes SET batch_id = %1 WHERE code = "
                                 "'KEPT-2345'")
                      .arg(kept)),
        QString());
    QVERIFY(!q.exec(QStringLiteral("INSERT INTO activation_codes (code, batch_id) VALUES "
                                   "('LOST-2345', %1)")
                        .arg(empty + 1000)));
    QVERIFY2(q.lastError().databaseText().contains(QStringLiteral(
                 "insert or update on table \"activation_codes\" violates foreign key "
                 "constraint \"activation_codes_batch_id_fkey\"")),
        qPrintable(q.lastError().databaseText()));
    QCOMPARE(exec(QStringLiteral("DELETE FROM code_batches WHERE id = %1").arg(empty)), QString());
    QCOMPARE(exec(QStringLiteral("DELETE FROM activation_codes WHERE batch_id = %1").arg(kept)),
        QString());
    QCOMPARE(exec(QStringLiteral("DELETE FROM code_batches WHERE id = %1").arg(kept)), QString());
}

QTEST_GUILESS_MAIN(TestConstraints)
#include "tst_constraints.moc"
