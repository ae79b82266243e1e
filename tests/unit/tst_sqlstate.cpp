// SPDX-License-Identifier: MIT
#include "db/sqlstate.h"
#include "domain/lifecycle.h"
#include "domain/simtypes.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace simdesk;

// The one table from the database's SQLSTATEs to SimDesk's errors (core/db/sqlstate.cpp).
class TestSqlState : public QObject
{
    Q_OBJECT

private slots:
    void everySdCodeTheMigrationsRaiseShouldHaveAnErrorOfItsOwn();
    void serverStatesShouldMapToTheirErrors_data();
    void serverStatesShouldMapToTheirErrors();
    void aRefusalShouldBeWordedFromTheDatabasesOwnDetail();
    void aStaleRefusalShouldSayWhoChangedTheCardAndWhen();
    void aTextDetailShouldBeKeptForPeopleAndAJsonOneNot();
};

void TestSqlState::everySdCodeTheMigrationsRaiseShouldHaveAnErrorOfItsOwn()
{
    const QDir sql(QStringLiteral(SIMDESK_SOURCE_DIR "/sql"));
    const QStringList files = sql.entryList({ QStringLiteral("0*.sql") }, QDir::Files);
    QVERIFY(files.size() >= 10);
    QSet<QString> raised;
    const QRegularExpression code(QStringLiteral("ERRCODE\\s*=\\s*'(SD\\d{3})'"));
    for (const QString &name : files) {
        QFile f(sql.filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        for (auto it = code.globalMatch(text); it.hasNext();)
            raised.insert(it.next().captured(1));
        // simdesk_sim_act raises its codes from a CASE: WHEN '…' THEN 'SDnnn'.
        const QRegularExpression thenCode(QStringLiteral("THEN '(SD\\d{3})'"));
        for (auto it = thenCode.globalMatch(text); it.hasNext();)
            raised.insert(it.next().captured(1));
    }
    QVERIFY(raised.size() >= 20);
    const QStringList known = knownSqlStates();
    for (const QString &state : std::as_const(raised)) {
        QVERIFY2(known.contains(state), qPrintable(state + QStringLiteral(" has no ErrorCode")));
        const Error e = errorForServer({ state, QStringLiteral("refused"), {}, {} });
        QVERIFY2(e.code != ErrorCode::ConstraintViolation && e.code != ErrorCode::QueryFailed,
            qPrintable(state));
        QCOMPARE(e.sqlState, state);
    }
}

void TestSqlState::serverStatesShouldMapToTheirErrors_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("no privilege") << "42501" << ErrorCode::PermissionDenied;
    QTest::newRow("unique key") << "23505" << ErrorCode::DuplicateValue;
    QTest::newRow("check constraint") << "23514" << ErrorCode::ConstraintViolation;
    QTest::newRow("invalid parameter") << "22023" << ErrorCode::ConstraintViolation;
    QTest::newRow("an SD code not in the table") << "SD999" << ErrorCode::ConstraintViolation;
    QTest::newRow("serialization failure") << "40001" << ErrorCode::ConcurrentUpdate;
    QTest::newRow("deadlock") << "40P01" << ErrorCode::ConcurrentUpdate;
    QTest::newRow("lock wait ran out") << "55P03" << ErrorCode::RecordLocked;
    QTest::newRow("statement timeout or cancel") << "57014" << ErrorCode::StatementTimeout;
    QTest::newRow("connection failure") << "08006" << ErrorCode::ConnectionLost;
    QTest::newRow("admin shutdown") << "57P01" << ErrorCode::ConnectionLost;
    QTest::newRow("idle in transaction too long") << "25P03" << ErrorCode::ConnectionLost;
    QTest::newRow("no such record") << "P0002" << ErrorCode::NotFound;
    QTest::newRow("wrong password") << "28P01" << ErrorCode::AuthenticationFailed;
    QTest::newRow("division by zero") << "22012" << ErrorCode::QueryFailed;
    QTest::newRow("transition refused") << "SD001" << ErrorCode::TransitionNotAllowed;
    QTest::newRow("stale") << "SD005" << ErrorCode::StaleVersion;
    QTest::newRow("last admin") << "SD040" << ErrorCode::LastActiveAdmin;
    QTest::newRow("own login") << "SD150" << ErrorCode::StaffOwnLogin;
}

void TestSqlState::serverStatesShouldMapToTheirErrors()
{
    QFETCH(QString, state);
    QFETCH(ErrorCode, code);
    const Error e = errorForServer({ state, QStringLiteral("what the server said"), {}, {} });
    QCOMPARE(e.code, code);
    QCOMPARE(e.sqlState, state);
    QVERIFY(e.detail.contains(QLatin1String("what the server said")));
    if (code == ErrorCode::ConstraintViolation || code == ErrorCode::QueryFailed)
        QCOMPARE(e.args.value(0), state); // the message names the code
}

void TestSqlState::aRefusalShouldBeWordedFromTheDatabasesOwnDetail()
{
    const Error e = errorForServer({ QStringLiteral("SD001"),
        QStringLiteral(
            "suspend refused for SIM card 8949…: not allowed while the card is AVAILABLE"),
        QStringLiteral(R"({"iccid": "8949000000000000018", "status": "AVAILABLE",
                          "action": "suspend", "version": 3})"),
        {} });
    QCOMPARE(e.code, ErrorCode::TransitionNotAllowed);
    QCOMPARE(e.args.value(0), QStringLiteral("8949000000000000018"));
    QCOMPARE(e.args.value(1), statusDisplayName(SimStatus::Available));
    QCOMPARE(e.args.value(2), actionDisplayName(SimAction::Suspend));
    // The actions the card's status allows, from the transition table.
    for (SimAction a : allowedActions(SimStatus::Available))
        QVERIFY2(e.args.value(3).contains(actionDisplayName(a)), qPrintable(e.args.value(3)));
    QVERIFY(!e.args.value(3).contains(actionDisplayName(SimAction::Resume)));
    QVERIFY2(e.message().contains(QLatin1String("8949000000000000018")), qPrintable(e.message()));

    const Error tariff = errorForServer({ QStringLiteral("SD010"), QStringLiteral("refused"),
        QStringLiteral(R"({"iccid": "89490", "tariff": "Data 10", "tariff_type": "data-only",
                          "card_type": "prepaid"})"),
        {} });
    QCOMPARE(tariff.code, ErrorCode::TariffTypeMismatch);
    QCOMPARE(tariff.args,
        QStringList({ QStringLiteral("Data 10"), simTypeDisplayName(SimType::DataOnly),
            QStringLiteral("89490"), simTypeDisplayName(SimType::Prepaid) }));
}

void TestSqlState::aStaleRefusalShouldSayWhoChangedTheCardAndWhen()
{
    const QDateTime when(QDate(2026, 12, 1), QTime(9, 30, 5), Qt::UTC);
    const Error e = errorForServer({ QStringLiteral("SD005"), QStringLiteral("changed since"),
        QStringLiteral(R"({"iccid": "89491", "changed_by": "berta",
                          "changed_at": "2026-12-01T09:30:05.000Z"})"),
        {} });
    QCOMPARE(e.code, ErrorCode::StaleVersion);
    QVERIFY2(e.message().contains(QLatin1String("89491")), qPrintable(e.message()));
    QVERIFY2(e.message().contains(QLatin1String("changed by berta at")), qPrintable(e.message()));
    QVERIFY2(e.message().contains(QLocale().toString(when.toLocalTime(), QLocale::ShortFormat)),
        qPrintable(e.message()));
}

void TestSqlState::aTextDetailShouldBeKeptForPeopleAndAJsonOneNot()
{
    const Error text = errorForServer({ QStringLiteral("23505"), QStringLiteral("duplicate key"),
        QStringLiteral("Key (iccid)=(1) already exists."), QStringLiteral("use another") });
    QCOMPARE(text.detail,
        QStringLiteral(
            "duplicate key\nDETAIL: Key (iccid)=(1) already exists.\nHINT: use another"));
    const Error json = errorForServer({ QStringLiteral("SD004"), QStringLiteral("used"),
        QStringLiteral(R"({"iccid": "1"})"), {} });
    QCOMPARE(json.detail, QStringLiteral("used"));
    QCOMPARE(json.code, ErrorCode::CardInUse);
    QCOMPARE(json.args.value(0), QStringLiteral("1"));
}

QTEST_GUILESS_MAIN(TestSqlState)
#include "tst_sqlstate.moc"
