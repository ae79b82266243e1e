// SPDX-License-Identifier: MIT
#include "db/database.h"
#include "db/sqlquery.h"
#include "testdatabase.h"

#include <QDeadlineTimer>
#include <QSize>
#include <QTest>
#include <QThread>

#include <libpq-fe.h>

#include <cmath>
#include <limits>
#include <memory>
#include <thread>

using namespace simdesk;

// runQuery against the real server: every value goes through PQexecParams as a bound
// parameter and comes back unchanged, whatever it holds; what cannot be sent is refused.
class TestSqlQuery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void textShouldRoundTripUnchanged_data();
    void textShouldRoundTripUnchanged();
    void placeholderLookalikesInTheSqlShouldStaySql();
    void scalarsShouldRoundTripWithTheirTypes();
    void numericShouldStayExact();
    void nullsOfEveryTypeShouldBindAndRead();
    void arraysShouldKeepQuotesBackslashesAndNulls();
    void timestampsShouldKeepOffsetsAndMilliseconds();
    void timestampsShouldReadInEverySessionTimeZone_data();
    void timestampsShouldReadInEverySessionTimeZone();
    void unsendableValuesShouldBeRefused_data();
    void unsendableValuesShouldBeRefused();
    void aPlaceholderCountMismatchShouldBeRefusedAndLeaveTheConnectionUsable();
    void errorsShouldBeChosenBySqlState();
    void theServerShouldSeePlaceholdersNotValues();
    void aFailedStatementShouldLeaveNoValueInTheServerLog();
    void aKilledConnectionShouldReportConnectionLost();
    void connectionsShouldCarryKeepalivesAndTcpUserTimeout();
    void aPasswordWithNulShouldBeRefusedBeforeConnecting();

private:
    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_db;
};

namespace {

const QString kSecret = QStringLiteral("s3cret-PIN-4711-never-logged");

// The one value a single-row, single-column query returns (invalid on failure, with a warning).
QVariant scalar(const QSqlDatabase &db, const QString &sql, const QVariantList &values = {})
{
    Result<QueryResult> r = runSingle(db, sql, values, QStringLiteral("row"));
    if (!r) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(r.error().fullMessage()));
        return {};
    }
    return r->value(0);
}

} // namespace

void TestSqlQuery::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("sqlquery"));
    REQUIRE_DATABASE(*m_tdb);
    m_db = m_tdb->connect();
    QVERIFY(m_db.isOpen());
    QVERIFY(runQuery(m_db,
        QStringLiteral("CREATE TABLE t (id bigint PRIMARY KEY, body text, doc jsonb, "
                       "amount numeric(12, 2), at timestamptz)"))
                .ok());
}

void TestSqlQuery::cleanupTestCase()
{
    m_db = QSqlDatabase();
    m_tdb.reset();
}

void TestSqlQuery::textShouldRoundTripUnchanged_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("single quotes") << QStringLiteral("it's 'quoted' ''");
    QTest::newRow("double quotes") << QStringLiteral("say \"hi\"");
    QTest::newRow("backslashes") << QStringLiteral("C:\\path\\n \\\\ \\'");
    QTest::newRow("dollar quoting") << QStringLiteral("$$ body $$ $tag$ x $tag$");
    QTest::newRow("question marks") << QStringLiteral("? ?? ?| ?&");
    QTest::newRow("escape string syntax") << QStringLiteral("E'\\x41\\n' U&'\\0041'");
    QTest::newRow("placeholder text") << QStringLiteral("$1 $2 :name %s");
    QTest::newRow("injection shape") << QStringLiteral("'); DROP TABLE t; --");
    QTest::newRow("comment markers") << QStringLiteral("/* -- */ */ /*");
    QTest::newRow("unicode") << QStringLiteral("Grüße, 東京, Ω, 🚀, ﬀ");
    QTest::newRow("control characters") << QStringLiteral("tab\tnewline\nreturn\r\x01");
    QTest::newRow("empty (not NULL)") << QStringLiteral("");
    QTest::newRow("100,000 characters") << QString(100'000 / 4, QLatin1Char('x'))
                                               .replace(QLatin1Char('x'), QStringLiteral("a'\\?"));
}

void TestSqlQuery::textShouldRoundTripUnchanged()
{
    QFETCH(QString, text);
    static qint64 id = 0;
    ++id;
    Result<QueryResult> insert = runQuery(m_db,
        QStringLiteral("INSERT INTO t (id, body) VALUES ($1, $2) RETURNING body, length(body)"),
        { id, text });
    QVERIFY2(insert.ok(), insert.ok() ? "" : qPrintable(insert.error().fullMessage()));
    QVERIFY(insert.value().next());
    QCOMPARE(insert->value(0).toString(), text);
    QCOMPARE(insert->value(1).toLongLong(), qint64(text.toUcs4().size()));
    QVERIFY(!insert->isNull(0));
    QCOMPARE(insert->rowsAffected(), 1);
    // Read back through a comparison on the server: equal there too, not just here.
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT count(*) FROM t WHERE id = $1 AND body = $2"),
                 { id, text })
                 .toLongLong(),
        1);
}

void TestSqlQuery::placeholderLookalikesInTheSqlShouldStaySql()
{
    // The jsonb ? operator, a '?' literal, a $$ string and an E'' string are SQL, not slots.
    Result<QueryResult> r = runSingle(m_db,
        QStringLiteral("SELECT '{\"a\": 1}'::jsonb ? 'a', '?', $$ $1 ? $$, E'\\x3F', $1::text, "
                       "$2::int /* ? $3 */ -- ? $4\n"),
        { kSecret, 7 }, QStringLiteral("row"));
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(r->value(0).toBool(), true);
    QCOMPARE(r->value(1).toString(), QStringLiteral("?"));
    QCOMPARE(r->value(2).toString(), QStringLiteral(" $1 ? "));
    QCOMPARE(r->value(3).toString(), QStringLiteral("?"));
    QCOMPARE(r->value(4).toString(), kSecret);
    QCOMPARE(r->value(5).toInt(), 7);
}

void TestSqlQuery::scalarsShouldRoundTripWithTheirTypes()
{
    Result<QueryResult> r = runSingle(m_db,
        QStringLiteral("SELECT $1::bool, $2::bool, $3::int2, $4::int4, $5::int8, $6::int8, "
                       "$7::float8, $8::float4, $9::date, $10::text, $11::uuid, $12::int8"),
        { true, false, 12, std::numeric_limits<int>::min(), std::numeric_limits<qint64>::max(),
            std::numeric_limits<qint64>::min(), 0.1, 1.5, QDate(2024, 2, 29),
            QByteArray("bytes → text"), QStringLiteral("0e9a0f0e-5a6c-4f6e-9d6e-1c2b3a4d5e6f"),
            QVariant::fromValue(std::numeric_limits<quint32>::max()) },
        QStringLiteral("row"));
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(r->value(0), QVariant(true));
    QCOMPARE(r->value(1), QVariant(false));
    QCOMPARE(r->value(2), QVariant(12));
    QCOMPARE(r->value(3), QVariant(std::numeric_limits<int>::min()));
    QCOMPARE(r->value(4), QVariant(std::numeric_limits<qlonglong>::max()));
    QCOMPARE(r->value(5), QVariant(std::numeric_limits<qlonglong>::min()));
    QCOMPARE(r->value(6).metaType(), QMetaType::fromType<double>());
    QCOMPARE(r->value(6).toDouble(), 0.1); // shortest form: 0.1 stays 0.1
    QCOMPARE(r->value(7).toDouble(), 1.5);
    QCOMPARE(r->value(8), QVariant(QDate(2024, 2, 29)));
    QCOMPARE(r->value(9).toString(), QStringLiteral("bytes → text"));
    QCOMPARE(r->value(10).toString(), QStringLiteral("0e9a0f0e-5a6c-4f6e-9d6e-1c2b3a4d5e6f"));
    QCOMPARE(r->value(11).toLongLong(), qlonglong(std::numeric_limits<quint32>::max()));
    QCOMPARE(r->columnCount(), 12);
    QCOMPARE(r->rowCount(), 1);
    QVERIFY(!r.value().next());
    QVERIFY(!r->value(0).isValid()); // past the last row
}

void TestSqlQuery::numericShouldStayExact()
{
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT $1::numeric + $2::numeric"),
                 { QStringLiteral("0.1"), QStringLiteral("0.2") }),
        QVariant(QStringLiteral("0.3")));
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT $1::numeric * 3"),
                 { QStringLiteral("12345678901234567890.123456789") }),
        QVariant(QStringLiteral("37037036703703703670.370370367")));
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT $1::numeric(12, 2)"), { QStringLiteral("4.5") }),
        QVariant(QStringLiteral("4.50")));
    // Cents written as numeric / 100: no float on the way.
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT ($1::bigint::numeric / 100)::numeric(12, 2)"),
                 { qint64(999'999'999'99) }),
        QVariant(QStringLiteral("999999999.99")));
}

void TestSqlQuery::nullsOfEveryTypeShouldBindAndRead()
{
    const QVariantList nulls { QVariant(), QVariant(QMetaType::fromType<QString>()),
        QVariant(QMetaType::fromType<int>()), QVariant(QMetaType::fromType<qlonglong>()),
        QVariant(QMetaType::fromType<bool>()), QVariant(QMetaType::fromType<double>()),
        QVariant(QMetaType::fromType<QDate>()), QVariant(QMetaType::fromType<QDateTime>()),
        QVariant(QDate()), QVariant(QDateTime()), nullable(QString()),
        nullable(std::optional<qint64>()) };
    QStringList tests;
    for (int i = 1; i <= nulls.size(); ++i)
        tests << QStringLiteral("$%1::text IS NULL").arg(i);
    Result<QueryResult> bound
        = runSingle(m_db, QStringLiteral("SELECT ") + tests.join(QStringLiteral(" AND ")), nulls,
            QStringLiteral("row"));
    QVERIFY2(bound.ok(), bound.ok() ? "" : qPrintable(bound.error().fullMessage()));
    QCOMPARE(bound->value(0), QVariant(true));

    Result<QueryResult> read = runSingle(m_db,
        QStringLiteral("SELECT NULL::bool, NULL::int2, NULL::int4, NULL::int8, NULL::float8, "
                       "NULL::numeric, NULL::date, NULL::timestamptz, NULL::timestamp, "
                       "NULL::text, NULL::uuid, NULL::jsonb, NULL::text[]"),
        {}, QStringLiteral("row"));
    QVERIFY(read.ok());
    const QList<QMetaType> types { QMetaType::fromType<bool>(), QMetaType::fromType<int>(),
        QMetaType::fromType<int>(), QMetaType::fromType<qlonglong>(), QMetaType::fromType<double>(),
        QMetaType::fromType<QString>(), QMetaType::fromType<QDate>(),
        QMetaType::fromType<QDateTime>(), QMetaType::fromType<QDateTime>(),
        QMetaType::fromType<QString>(), QMetaType::fromType<QString>(),
        QMetaType::fromType<QString>(), QMetaType::fromType<QString>() };
    for (int i = 0; i < types.size(); ++i) {
        QVERIFY2(read->isNull(i), qPrintable(QString::number(i)));
        QVERIFY2(read->value(i).isNull(), qPrintable(QString::number(i)));
        QCOMPARE(read->value(i).metaType(), types.at(i));
    }
    // An empty string is a value, not NULL.
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT $1::text IS NULL"), { QStringLiteral("") }),
        QVariant(false));
}

void TestSqlQuery::arraysShouldKeepQuotesBackslashesAndNulls()
{
    const QStringList texts { QStringLiteral("plain"), QStringLiteral("with \"quotes\""),
        QStringLiteral("back\\slash\\"), QStringLiteral("{braces},commas"), QStringLiteral("NULL"),
        QString(), QStringLiteral(""), QStringLiteral("  spaced  "), QStringLiteral("it's"),
        QStringLiteral("ünï ✓") };
    Result<QueryResult> r = runQuery(m_db,
        QStringLiteral("SELECT x, x IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS u(x, n) "
                       "ORDER BY n"),
        { texts });
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().fullMessage()));
    QCOMPARE(r->rowCount(), texts.size());
    for (const QString &expected : texts) {
        QVERIFY(r.value().next());
        QCOMPARE(r->isNull(0), expected.isNull());
        QCOMPARE(r->value(1).toBool(), expected.isNull());
        if (!expected.isNull())
            QCOMPARE(r->value(0).toString(), expected);
    }
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT cardinality($1::text[])"), { QStringList() }),
        QVariant(0));

    const QList<qint64> ids { 1, -2, std::numeric_limits<qint64>::max(), 0 };
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT array_to_string($1::bigint[], ',')"),
                 { QVariant::fromValue(ids) }),
        QVariant(QStringLiteral("1,-2,9223372036854775807,0")));
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT array_to_string($1::integer[], ',')"),
                 { QVariant::fromValue(QList<int> { 3, 4 }) }),
        QVariant(QStringLiteral("3,4")));
}

void TestSqlQuery::timestampsShouldKeepOffsetsAndMilliseconds()
{
    const QDateTime utc(QDate(2024, 3, 1), QTime(7, 4, 56, 123), Qt::UTC);
    // Written: the same instant whatever the QDateTime's zone, milliseconds included.
    for (const QDateTime &sent : { utc, utc.toLocalTime(), utc.toOffsetFromUtc(5 * 3600 + 1800),
             utc.toOffsetFromUtc(-(3 * 3600 + 1800)) }) {
        QCOMPARE(
            scalar(m_db, QStringLiteral("SELECT $1::timestamptz = '2024-03-01 07:04:56.123+00'"),
                { sent }),
            QVariant(true));
        QCOMPARE(
            scalar(m_db, QStringLiteral("SELECT $1::timestamptz"), { sent }).toDateTime(), utc);
    }
    // Read: offsets applied, the fraction cut at milliseconds (QDateTime's resolution), never
    // rounded into the next second.
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT '2024-03-01 12:34:56.123456+05:30'::timestamptz"))
                 .toDateTime(),
        QDateTime(QDate(2024, 3, 1), QTime(7, 4, 56, 123), Qt::UTC));
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT '2024-12-31 23:59:59.999999-01'::timestamptz"))
                 .toDateTime(),
        QDateTime(QDate(2025, 1, 1), QTime(0, 59, 59, 999), Qt::UTC));
    // Microseconds the server keeps; the text form carries them for who needs them.
    QCOMPARE(scalar(m_db,
                 QStringLiteral("SELECT (($1::timestamptz + interval '0.000456 s') "
                                "AT TIME ZONE 'UTC')::text"),
                 { utc })
                 .toString(),
        QStringLiteral("2024-03-01 07:04:56.123456"));
    QVERIFY(!scalar(m_db, QStringLiteral("SELECT 'infinity'::timestamptz")).toDateTime().isValid());
}

void TestSqlQuery::timestampsShouldReadInEverySessionTimeZone_data()
{
    QTest::addColumn<QString>("zone");
    QTest::newRow("UTC") << "UTC";
    QTest::newRow("half-hour east") << "Asia/Kolkata";
    QTest::newRow("half-hour west") << "America/St_Johns";
    QTest::newRow("far east") << "Pacific/Kiritimati";
    QTest::newRow("seconds offset (LMT)") << "Europe/Amsterdam";
}

void TestSqlQuery::timestampsShouldReadInEverySessionTimeZone()
{
    QFETCH(QString, zone);
    QVERIFY(
        runQuery(m_db, QStringLiteral("SELECT set_config('TimeZone', $1, false)"), { zone }).ok());
    // 1900: Amsterdam was then at +00:19:32, an offset with seconds.
    for (const QDateTime &t : { QDateTime(QDate(2024, 7, 1), QTime(12, 0, 0, 250), Qt::UTC),
             QDateTime(QDate(1900, 1, 1), QTime(0, 0), Qt::UTC) }) {
        QCOMPARE(scalar(m_db, QStringLiteral("SELECT $1::timestamptz"), { t }).toDateTime(), t);
    }
    QVERIFY(runQuery(m_db, QStringLiteral("RESET TimeZone")).ok());
}

void TestSqlQuery::unsendableValuesShouldBeRefused_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("why");
    QTest::newRow("NUL in a string")
        << QVariant(QStringLiteral("12") + QChar(0) + QStringLiteral("34")) << "NUL";
    QTest::newRow("NUL in bytes") << QVariant(QByteArray("ab\0cd", 5)) << "NUL";
    QTest::newRow("NUL in an array element")
        << QVariant(QStringList { QStringLiteral("ok"), QStringLiteral("a") + QChar(0) }) << "NUL";
    QTest::newRow("NaN") << QVariant(std::nan("")) << "finite";
    QTest::newRow("infinity") << QVariant(std::numeric_limits<double>::infinity()) << "finite";
    QTest::newRow("minus infinity")
        << QVariant(-std::numeric_limits<double>::infinity()) << "finite";
    QTest::newRow("float NaN") << QVariant(std::numeric_limits<float>::quiet_NaN()) << "finite";
    QTest::newRow("unknown type") << QVariant(QSize(3, 4)) << "QSize";
    QTest::newRow("a list of variants") << QVariant(QVariantList { 1, 2 }) << "QVariantList";
}

void TestSqlQuery::unsendableValuesShouldBeRefused()
{
    QFETCH(QVariant, value);
    QFETCH(QString, why);
    const Result<QueryResult> r = runQuery(
        m_db, QStringLiteral("INSERT INTO t (id, body) VALUES (999, $1::text)"), { value });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(r.error().message().contains(why), qPrintable(r.error().message()));
    QVERIFY2(r.error().message().contains(QLatin1String("$1")), qPrintable(r.error().message()));
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT count(*) FROM t WHERE id = 999")), QVariant(0LL));
}

void TestSqlQuery::aPlaceholderCountMismatchShouldBeRefusedAndLeaveTheConnectionUsable()
{
    for (const QVariantList &values : { QVariantList { 1 }, QVariantList { 1, 2, 3 } }) {
        const Result<QueryResult> r
            = runQuery(m_db, QStringLiteral("SELECT $1::int + $2::int"), values);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    }
    QCOMPARE(scalar(m_db, QStringLiteral("SELECT $1::int + $2::int"), { 1, 2 }), QVariant(3));
}

void TestSqlQuery::errorsShouldBeChosenBySqlState()
{
    QVERIFY(runQuery(m_db, QStringLiteral("INSERT INTO t (id) VALUES (5000)")).ok());
    const Result<QueryResult> dup
        = runQuery(m_db, QStringLiteral("INSERT INTO t (id) VALUES ($1)"), { 5000 });
    QVERIFY(!dup.ok());
    QCOMPARE(dup.error().code, ErrorCode::DuplicateValue);
    QVERIFY2(dup.error().detail.contains(QLatin1String("DETAIL: Key (id)=(5000)")),
        qPrintable(dup.error().detail));

    const Result<QueryResult> hinted = runQuery(m_db,
        QStringLiteral("DO $$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = 'SD999', "
                       "DETAIL = 'why', HINT = 'what to do'; END $$"));
    QVERIFY(!hinted.ok());
    QCOMPARE(hinted.error().code, ErrorCode::ConstraintViolation);
    QCOMPARE(hinted.error().args.value(0), QStringLiteral("SD999"));
    QCOMPARE(hinted.error().detail, QStringLiteral("refused\nDETAIL: why\nHINT: what to do"));

    const Result<QueryResult> zero = runQuery(m_db, QStringLiteral("SELECT 1 / $1::int"), { 0 });
    QVERIFY(!zero.ok());
    QCOMPARE(zero.error().code, ErrorCode::QueryFailed);
    QCOMPARE(zero.error().args.value(0), QStringLiteral("22012"));
}

void TestSqlQuery::theServerShouldSeePlaceholdersNotValues()
{
    // A second connection, on its own thread (a connection belongs to the thread that opened
    // it), runs a statement that sleeps with a bound value; this one reads what the server
    // shows in pg_stat_activity meanwhile.
    const ConnectionSettings settings = m_tdb->settings();
    bool sleptOk = false;
    std::thread sleeper([&] {
        const QString name = Database::uniqueName(QStringLiteral("sleeper"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db)
            return;
        sleptOk = runQuery(
            *db, QStringLiteral("SELECT pg_sleep($1::float8), $2::text"), { 1.5, kSecret })
                      .ok();
    });
    QString seen;
    const QDeadlineTimer deadline(5000);
    while (seen.isEmpty() && !deadline.hasExpired()) {
        seen = scalar(m_db,
            QStringLiteral("SELECT coalesce(string_agg(query, ' | '), '') FROM pg_stat_activity "
                           "WHERE query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()"))
                   .toString();
        if (seen.isEmpty())
            QThread::msleep(20);
    }
    sleeper.join();
    QVERIFY(sleptOk);
    QCOMPARE(seen, QStringLiteral("SELECT pg_sleep($1::float8), $2::text"));
    QVERIFY(!seen.contains(kSecret));
}

void TestSqlQuery::aFailedStatementShouldLeaveNoValueInTheServerLog()
{
    // The test cluster logs to <root>/server.log beside its data directory, with the default
    // log_min_error_statement = error: a failed statement's text goes into the log.
    QCOMPARE(scalar(m_db, QStringLiteral("SHOW log_min_error_statement")),
        QVariant(QStringLiteral("error")));
    const QString marker = QStringLiteral("marker-%1").arg(QDateTime::currentMSecsSinceEpoch());
    const Result<QueryResult> failed
        = runQuery(m_db, QStringLiteral("SELECT $1::text, $2::text, 1 / 0"), { marker, kSecret });
    QVERIFY(!failed.ok());
    // The marker is in the error's context only if the value were pasted; look up the lines
    // by the statement text instead.
    const QString log = scalar(m_db,
        QStringLiteral(
            "SELECT pg_read_file(current_setting('data_directory') || '/../server.log')"))
                            .toString();
    QVERIFY2(!log.isEmpty(), "the test cluster's server.log could not be read");
    QVERIFY2(log.contains(QLatin1String("STATEMENT:  SELECT $1::text, $2::text, 1 / 0")),
        qPrintable(log.right(2000)));
    QVERIFY(!log.contains(kSecret));
    QVERIFY(!log.contains(marker));
}

void TestSqlQuery::aKilledConnectionShouldReportConnectionLost()
{
    QSqlDatabase victim = m_tdb->connect();
    QVERIFY(victim.isOpen());
    const QVariant pid = scalar(victim, QStringLiteral("SELECT pg_backend_pid()"));
    QVERIFY(scalar(m_db, QStringLiteral("SELECT pg_terminate_backend($1::int)"), { pid }).toBool());
    QThread::msleep(100);
    Result<QueryResult> r = runQuery(victim, QStringLiteral("SELECT $1::int"), { 1 });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ConnectionLost);
    // And again, now that libpq knows the connection is gone.
    r = runQuery(victim, QStringLiteral("SELECT 1"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ConnectionLost);
}

void TestSqlQuery::connectionsShouldCarryKeepalivesAndTcpUserTimeout()
{
    PGconn *conn = Database::pgconn(m_db);
    QVERIFY(conn);
    QMap<QString, QString> used;
    PQconninfoOption *options = PQconninfo(conn);
    QVERIFY(options);
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (o->val)
            used.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    }
    PQconninfoFree(options);
    QCOMPARE(used.value(QStringLiteral("keepalives")), QStringLiteral("1"));
    QCOMPARE(used.value(QStringLiteral("keepalives_idle")), QStringLiteral("20"));
    QCOMPARE(used.value(QStringLiteral("keepalives_interval")), QStringLiteral("10"));
    QCOMPARE(used.value(QStringLiteral("keepalives_count")), QStringLiteral("3"));
    QCOMPARE(used.value(QStringLiteral("tcp_user_timeout")), QStringLiteral("60000"));
    // The test cluster is reached through its socket directory: a local server.
    if (qEnvironmentVariableIsEmpty("PGSSLMODE"))
        QCOMPARE(used.value(QStringLiteral("sslmode")), QStringLiteral("prefer"));
    QCOMPARE(used.value(QStringLiteral("application_name")), QStringLiteral("simdesk"));
}

void TestSqlQuery::aPasswordWithNulShouldBeRefusedBeforeConnecting()
{
    ConnectionSettings s = m_tdb->settings();
    s.password = QStringLiteral("right") + QChar(0) + QStringLiteral("wrong");
    const QString name = Database::uniqueName(QStringLiteral("nul"));
    const Result<QSqlDatabase> db = Database::open(s, name);
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(db.error().message().contains(QLatin1String("NUL")), qPrintable(db.error().message()));
    QVERIFY(!QSqlDatabase::contains(name));
}

QTEST_GUILESS_MAIN(TestSqlQuery)
#include "tst_sqlquery.moc"
