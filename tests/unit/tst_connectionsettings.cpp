// SPDX-License-Identifier: MIT
#include "db/connectionsettings.h"

#include <QTest>

using namespace simdesk;

class TestConnectionSettings : public QObject
{
    Q_OBJECT

private slots:
    void shouldParseUrls_data();
    void shouldParseUrls();
    void shouldRefuseOtherAddresses_data();
    void shouldRefuseOtherAddresses();
    void describeShouldNeverShowThePassword();
};

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

QTEST_APPLESS_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"
