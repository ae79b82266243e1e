// SPDX-License-Identifier: MIT
#include "db/connectionsettings.h"

#include <QTest>

#include <libpq-fe.h>

using namespace simdesk;

class TestConnectionSettings : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void shouldParseUrls_data();
    void shouldParseUrls();
    void shouldRefuseOtherAddresses_data();
    void shouldRefuseOtherAddresses();
    void describeShouldNeverShowThePassword();
    void shouldChooseSslmodeByHost_data();
    void shouldChooseSslmodeByHost();
    void shouldLeaveSslmodeToPgsslmode();
    void shouldSendKeepalivesAndTcpUserTimeoutByDefault();
    void shouldLetTheUrlOverrideEachDefault();
    void shouldQuoteOptionValuesForLibpq_data();
    void shouldQuoteOptionValuesForLibpq();
    void shouldBoundLockWaitsUnlessTheUserSaysOtherwise();
    void shouldRefuseANulCharacter_data();
    void shouldRefuseANulCharacter();
};

namespace {

// The conninfo libpq receives: QPSQL joins its quoted host/dbname/user/password with the
// connect options, turning ';' into ' ' (qsql_psql.cpp, Qt 6.4). Parsed back by libpq itself.
QMap<QString, QString> parsedByLibpq(const ConnectionSettings &s)
{
    QString conninfo = QStringLiteral("host=%1 ").arg(quotedConnValue(s.host));
    conninfo += QString(s.connectOptions()).replace(QLatin1Char(';'), QLatin1Char(' '));
    char *error = nullptr;
    PQconninfoOption *options = PQconninfoParse(conninfo.toUtf8().constData(), &error);
    QMap<QString, QString> map;
    if (!options) {
        map.insert(QStringLiteral("error"), QString::fromUtf8(error));
        PQfreemem(error);
        return map;
    }
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (o->val)
            map.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    }
    PQconninfoFree(options);
    return map;
}

ConnectionSettings fromUrl(const char *url)
{
    const Result<ConnectionSettings> s = ConnectionSettings::fromUrl(QString::fromUtf8(url));
    if (!s)
        qFatal("%s: %s", url, qPrintable(s.error().message()));
    return *s;
}

} // namespace

void TestConnectionSettings::init()
{
    // The defaults depend on these; the caller's environment must not decide the outcome.
    qunsetenv("PGSSLMODE");
    qunsetenv("PGHOST");
}

void TestConnectionSettings::shouldParseUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("options");
    QTest::newRow("full") << "postgresql://anna:s3cret@db.example.net:6432/simdesk"
                          << "db.example.net" << 6432 << "simdesk"
                          << "anna"
                          << "s3cret"
                          << "";
    QTest::newRow("postgres scheme, defaults") << "postgres://db.example.net"
                                               << "db.example.net" << -1 << ""
                                               << ""
                                               << ""
                                               << "";
    QTest::newRow("everything from PG* variables") << "postgresql://"
                                                   << "" << -1 << ""
                                                   << ""
                                                   << ""
                                                   << "";
    QTest::newRow("percent-encoded password") << "postgresql://anna:p%40ss%2Fw@h/db"
                                              << "h" << -1 << "db"
                                              << "anna"
                                              << "p@ss/w"
                                              << "";
    QTest::newRow("unix socket via query") << "postgresql:///simdesk?host=/run/postgresql"
                                           << "/run/postgresql" << -1 << "simdesk"
                                           << ""
                                           << ""
                                           << "";
    QTest::newRow("TLS options")
        << "postgresql://anna@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem"
        << "h" << -1 << "db"
        << "anna"
        << ""
        << "sslmode=verify-full;sslrootcert=/etc/ca.pem";
    QTest::newRow("two servers for failover")
        << "postgresql://anna@db1.example.net:5432,db2.example.net:5433/simdesk"
           "?target_session_attrs=read-write"
        << "db1.example.net,db2.example.net" << -1 << "simdesk"
        << "anna"
        << ""
        << "port=5432,5433;target_session_attrs=read-write";
    QTest::newRow("two servers on the default port") << "postgresql://db1,db2/simdesk"
                                                     << "db1,db2" << -1 << "simdesk"
                                                     << ""
                                                     << ""
                                                     << "";
    QTest::newRow("IPv6 and a name, one port") << "postgresql://[fd00::5]:6432,db2/simdesk"
                                               << "fd00::5,db2" << -1 << "simdesk"
                                               << ""
                                               << ""
                                               << "port=6432,";
    QTest::newRow("server list in the query")
        << "postgresql:///simdesk?host=127.0.0.1,127.0.0.1&port=5432,5433"
        << "127.0.0.1,127.0.0.1" << -1 << "simdesk"
        << ""
        << ""
        << "port=5432,5433";
}

void TestConnectionSettings::shouldParseUrls()
{
    QFETCH(QString, url);
    const Result<ConnectionSettings> s = ConnectionSettings::fromUrl(url);
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message()));
    QTEST(s->host, "host");
    QTEST(s->port, "port");
    QTEST(s->database, "database");
    QTEST(s->user, "user");
    QTEST(s->password, "password");
    QTEST(s->options, "options");
}

void TestConnectionSettings::shouldRefuseOtherAddresses_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("http") << "http://db.example.net/simdesk";
    QTest::newRow("plain words") << "the database";
    QTest::newRow("nested path") << "postgresql://h/db/extra";
    QTest::newRow("option smuggling a separator") << "postgresql://h/db?sslmode=require;host=evil";
}

void TestConnectionSettings::shouldRefuseOtherAddresses()
{
    QFETCH(QString, url);
    const Result<ConnectionSettings> s = ConnectionSettings::fromUrl(url);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::ConnectionUrlInvalid);
    QVERIFY(s.error().message().contains(url));
}

void TestConnectionSettings::describeShouldNeverShowThePassword()
{
    const Result<ConnectionSettings> s = ConnectionSettings::fromUrl(
        QStringLiteral("postgresql://anna:s3cret@h:5433/db?sslmode=require"));
    QVERIFY(s.ok());
    QCOMPARE(s->describe(), QStringLiteral("host=h port=5433 dbname=db user=anna sslmode=require"));
    QVERIFY(!s->describe().contains(QLatin1String("s3cret")));
}

void TestConnectionSettings::shouldChooseSslmodeByHost_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("pghost");
    QTest::addColumn<QString>("sslmode");
    QTest::newRow("remote name") << "db.example.net"
                                 << ""
                                 << "verify-full";
    QTest::newRow("remote address") << "10.9.9.9"
                                    << ""
                                    << "verify-full";
    QTest::newRow("IPv6 address") << "fd00::5"
                                  << ""
                                  << "verify-full";
    QTest::newRow("localhost") << "localhost"
                               << ""
                               << "prefer";
    QTest::newRow("LOCALHOST") << "LOCALHOST"
                               << ""
                               << "prefer";
    QTest::newRow("127.0.0.1") << "127.0.0.1"
                               << ""
                               << "prefer";
    QTest::newRow("::1") << "::1"
                         << ""
                         << "prefer";
    QTest::newRow("socket directory") << "/run/postgresql"
                                      << ""
                                      << "prefer";
    QTest::newRow("no host: libpq's default socket") << ""
                                                     << ""
                                                     << "prefer";
    QTest::newRow("no host, PGHOST remote") << ""
                                            << "db.example.net"
                                            << "verify-full";
    QTest::newRow("no host, PGHOST a socket") << ""
                                              << "/tmp"
                                              << "prefer";
    QTest::newRow("several hosts, one remote") << "localhost,db.example.net"
                                               << ""
                                               << "verify-full";
}

void TestConnectionSettings::shouldChooseSslmodeByHost()
{
    QFETCH(QString, host);
    QFETCH(QString, pghost);
    if (!pghost.isEmpty())
        qputenv("PGHOST", pghost.toUtf8());
    ConnectionSettings s;
    s.host = host;
    QTEST(parsedByLibpq(s).value(QStringLiteral("sslmode")), "sslmode");
}

void TestConnectionSettings::shouldLeaveSslmodeToPgsslmode()
{
    qputenv("PGSSLMODE", "require");
    ConnectionSettings s;
    s.host = QStringLiteral("db.example.net");
    QVERIFY(!parsedByLibpq(s).contains(QStringLiteral("sslmode")));
}

void TestConnectionSettings::shouldSendKeepalivesAndTcpUserTimeoutByDefault()
{
    const QMap<QString, QString> o = parsedByLibpq(fromUrl("postgresql://db.example.net/simdesk"));
    QCOMPARE(o.value(QStringLiteral("keepalives")), QStringLiteral("1"));
    QCOMPARE(o.value(QStringLiteral("keepalives_idle")), QStringLiteral("20"));
    QCOMPARE(o.value(QStringLiteral("keepalives_interval")), QStringLiteral("10"));
    QCOMPARE(o.value(QStringLiteral("keepalives_count")), QStringLiteral("3"));
    QCOMPARE(o.value(QStringLiteral("tcp_user_timeout")), QStringLiteral("60000"));
    QCOMPARE(o.value(QStringLiteral("connect_timeout")), QStringLiteral("10"));
    QCOMPARE(o.value(QStringLiteral("application_name")), QStringLiteral("simdesk"));
    QCOMPARE(o.value(QStringLiteral("sslmode")), QStringLiteral("verify-full"));
}

void TestConnectionSettings::shouldLetTheUrlOverrideEachDefault()
{
    const ConnectionSettings s = fromUrl("postgresql://db.example.net/simdesk?keepalives=0"
                                         "&keepalives_idle=5&keepalives_interval=2"
                                         "&keepalives_count=9&tcp_user_timeout=0"
                                         "&sslmode=require&connect_timeout=3");
    const QMap<QString, QString> o = parsedByLibpq(s);
    QCOMPARE(o.value(QStringLiteral("keepalives")), QStringLiteral("0"));
    QCOMPARE(o.value(QStringLiteral("keepalives_idle")), QStringLiteral("5"));
    QCOMPARE(o.value(QStringLiteral("keepalives_interval")), QStringLiteral("2"));
    QCOMPARE(o.value(QStringLiteral("keepalives_count")), QStringLiteral("9"));
    QCOMPARE(o.value(QStringLiteral("tcp_user_timeout")), QStringLiteral("0"));
    QCOMPARE(o.value(QStringLiteral("sslmode")), QStringLiteral("require"));
    QCOMPARE(o.value(QStringLiteral("connect_timeout")), QStringLiteral("3"));
    // Each keyword once: an override replaces the default rather than following it.
    QCOMPARE(s.connectOptions().count(QLatin1String("sslmode=")), 1);
    QCOMPARE(s.connectOptions().count(QLatin1String("keepalives_idle=")), 1);
}

void TestConnectionSettings::shouldQuoteOptionValuesForLibpq_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::newRow("a space cannot start a second keyword")
        << "postgresql://db.example.net/simdesk?sslmode=disable%20host=10.9.9.9"
        << "sslmode"
        << "disable host=10.9.9.9";
    QTest::newRow("quote and backslash")
        << "postgresql://db.example.net/simdesk?application_name=it%27s%5C%20x%27%20host=evil"
        << "application_name"
        << "it's\\ x' host=evil";
    // SimDesk's own server options come first; the user's follow them (and so win).
    QTest::newRow("empty value") << "postgresql://db.example.net/simdesk?options="
                                 << "options" << QString::fromLatin1(kClientServerOptions);
    QTest::newRow("equals sign and unicode")
        << "postgresql://db.example.net/simdesk?options=-c%20search_path%3Dp%C3%BCblic"
        << "options" << QString::fromLatin1(kClientServerOptions) + " -c search_path=p\u00fcblic";
}

void TestConnectionSettings::shouldQuoteOptionValuesForLibpq()
{
    QFETCH(QString, url);
    QFETCH(QString, key);
    QFETCH(QString, value);
    const QMap<QString, QString> o = parsedByLibpq(fromUrl(qPrintable(url)));
    QVERIFY2(!o.contains(QStringLiteral("error")), qPrintable(o.value(QStringLiteral("error"))));
    QCOMPARE(o.value(key), value);
    QCOMPARE(o.value(QStringLiteral("host")), QStringLiteral("db.example.net"));
}

// A lock wait of an interactive session ends after seconds (RecordLocked), unless the user's
// own -c lock_timeout (URL or PGOPTIONS) comes after it.
void TestConnectionSettings::shouldBoundLockWaitsUnlessTheUserSaysOtherwise()
{
    const QString ours
        = QStringLiteral("-c lock_timeout=5s -c client_connection_check_interval=5s -c jit=off");
    QCOMPARE(QString::fromLatin1(kClientServerOptions), ours);
    QCOMPARE(parsedByLibpq(fromUrl("postgresql://db.example.net/simdesk"))
                 .value(QStringLiteral("options")),
        ours);
    qputenv("PGOPTIONS", "-c lock_timeout=0");
    const QString fromEnvironment = parsedByLibpq(fromUrl("postgresql://db.example.net/simdesk"))
                                        .value(QStringLiteral("options"));
    const QString fromUrlToo = parsedByLibpq(
        fromUrl("postgresql://db.example.net/simdesk?options=-c%20lock_timeout%3D1s"))
                                   .value(QStringLiteral("options"));
    qunsetenv("PGOPTIONS");
    QCOMPARE(fromEnvironment, ours + QStringLiteral(" -c lock_timeout=0"));
    QCOMPARE(fromUrlToo, ours + QStringLiteral(" -c lock_timeout=1s"));
}

void TestConnectionSettings::shouldRefuseANulCharacter_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("in the password") << "postgresql://anna:ab%00cd@h/db";
    QTest::newRow("in the password option") << "postgresql://anna@h/db?password=ab%00cd";
    QTest::newRow("in an option") << "postgresql://anna@h/db?sslmode=re%00quire";
    QTest::newRow("in the user") << "postgresql://an%00na@h/db";
}

void TestConnectionSettings::shouldRefuseANulCharacter()
{
    QFETCH(QString, url);
    const Result<ConnectionSettings> s = ConnectionSettings::fromUrl(url);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(s.error().message().contains(QLatin1String("NUL")), qPrintable(s.error().message()));

    ConnectionSettings direct;
    direct.password = QStringLiteral("ab") + QChar(0) + QStringLiteral("cd");
    QCOMPARE(direct.password.size(), 5); // nothing cut before the check
    const Status valid = direct.validate();
    QVERIFY(!valid.ok());
    QCOMPARE(valid.error().code, ErrorCode::InvalidArgument);
    QVERIFY(valid.error().message().contains(QLatin1String("password")));
}

QTEST_APPLESS_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"
