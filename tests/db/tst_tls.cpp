// SPDX-License-Identifier: MIT
#include "db/database.h"
#include "db/versioninfo.h"
#include "localcluster.h"
#include "testdatabase.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace simdesk;

// docs/server-setup.md, "TLS": a site CA signs the server's certificate (the same openssl
// commands as the document), the server runs with it (scripts/localdb start --tls), and a
// workstation connects with sslmode=verify-full — the default for a server that is not this
// machine. The name db.simdesk.test stands for the server's real name; hostaddr sends the
// connection to 127.0.0.1 while libpq checks the certificate against the name.
class TestTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void aWorkstationShouldConnectAndVerifyTheServer();
    void aCertificateOfAnotherCaShouldBeRefusedAsUntrusted();
    void anotherHostNameShouldBeRefusedAsNotTheCertificates();
    void aMissingCaFileShouldBeNamed();
    void aServerWithoutTlsShouldBeSaidSo();

private:
    static QString openssl(const QStringList &arguments, const QString &dir);
    Result<QSqlDatabase> open(const QString &url);
    QString url(const QString &host, const QString &rootCert, int port = 0) const;

    QTemporaryDir m_dir;
    std::unique_ptr<LocalCluster> m_cluster;
    std::unique_ptr<TestDatabase> m_plain; // the CTest cluster, which has no TLS
    QString m_login;
};

QString TestTls::openssl(const QStringList &arguments, const QString &dir)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), arguments);
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return QStringLiteral("openssl %1: %2")
            .arg(arguments.join(QLatin1Char(' ')), QString::fromUtf8(p.readAll()));
    return {};
}

void TestTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString d = m_dir.path();
    // The site CA (and a second one that signed nothing of ours).
    for (const QString &ca : { QStringLiteral("site-ca"), QStringLiteral("other-ca") }) {
        QCOMPARE(
            openssl(
                { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    ca + QStringLiteral(".key"), QStringLiteral("-out"),
                    ca + QStringLiteral(".crt"), QStringLiteral("-days"), QStringLiteral("3650"),
                    QStringLiteral("-subj"), QStringLiteral("/CN=SimDesk ") + ca,
                    QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                    QStringLiteral("-addext"),
                    QStringLiteral("keyUsage=critical,keyCertSign,cRLSign") },
                d),
            QString());
    }
    // The server's key and certificate, for its name only.
    QCOMPARE(openssl({ QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                         QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                         QStringLiteral("server.key"), QStringLiteral("-out"),
                         QStringLiteral("server.csr"), QStringLiteral("-subj"),
                         QStringLiteral("/CN=db.simdesk.test") },
                 d),
        QString());
    QFile ext(d + QStringLiteral("/server.ext"));
    QVERIFY(ext.open(QIODevice::WriteOnly));
    ext.write("subjectAltName = DNS:db.simdesk.test\n"
              "basicConstraints = CA:FALSE\n"
              "keyUsage = critical, digitalSignature, keyEncipherment\n"
              "extendedKeyUsage = serverAuth\n");
    ext.close();
    QCOMPARE(openssl({ QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                         QStringLiteral("server.csr"), QStringLiteral("-CA"),
                         QStringLiteral("site-ca.crt"), QStringLiteral("-CAkey"),
                         QStringLiteral("site-ca.key"), QStringLiteral("-CAcreateserial"),
                         QStringLiteral("-days"), QStringLiteral("825"), QStringLiteral("-extfile"),
                         QStringLiteral("server.ext"), QStringLiteral("-out"),
                         QStringLiteral("server.crt") },
                 d),
        QString());

    m_cluster = std::make_unique<LocalCluster>(d + QStringLiteral("/cluster"));
    QCOMPARE(m_cluster->start({ QStringLiteral("--tls"), d }), QString());
    m_login = QStringLiteral("tls_anna");
    const QString name = Database::uniqueName(QStringLiteral("tls-setup"));
    ScopedConnection guard(name);
    Result<QSqlDatabase> su = Database::open(m_cluster->superuser(), name);
    QVERIFY2(su.ok(), su.ok() ? "" : qPrintable(su.error().fullMessage()));
    QSqlQuery q(*su);
    QVERIFY(q.exec(QStringLiteral("CREATE ROLE tls_anna LOGIN PASSWORD 'anna-secret-1'")));

    m_plain = std::make_unique<TestDatabase>(QStringLiteral("tls_plain"));
    REQUIRE_DATABASE(*m_plain);
}

void TestTls::cleanupTestCase()
{
    for (const QString &name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(QLatin1String("tls-")))
            Database::close(name);
    }
    m_plain.reset();
    m_cluster.reset();
}

QString TestTls::url(const QString &host, const QString &rootCert, int port) const
{
    // As a workstation would have it, with the address of this machine for the name.
    return QStringLiteral("postgresql://%1:anna-secret-1@%2:%3/simdesk?hostaddr=127.0.0.1"
                          "&sslrootcert=%4")
        .arg(m_login, host)
        .arg(port ? port : m_cluster->port())
        .arg(rootCert);
}

Result<QSqlDatabase> TestTls::open(const QString &url)
{
    Result<ConnectionSettings> s = ConnectionSettings::fromUrl(url);
    if (!s)
        return s.error();
    return Database::open(*s, Database::uniqueName(QStringLiteral("tls-test")));
}

void TestTls::aWorkstationShouldConnectAndVerifyTheServer()
{
    const QString u
        = url(QStringLiteral("db.simdesk.test"), m_dir.filePath(QStringLiteral("site-ca.crt")));
    QVERIFY(ConnectionSettings::fromUrl(u)->connectOptions().contains(
        QLatin1String("sslmode='verify-full'")));
    Result<QSqlDatabase> db = open(u);
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().fullMessage()));
    QSqlQuery q(*db);
    QVERIFY(q.exec(QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")));
    QVERIFY(q.next());
    QVERIFY(q.value(0).toBool());
    QVERIFY(VersionInfo::connectionTls(*db).startsWith(QLatin1String("TLSv1.")));
}

void TestTls::aCertificateOfAnotherCaShouldBeRefusedAsUntrusted()
{
    const QString ca = m_dir.filePath(QStringLiteral("other-ca.crt"));
    const Result<QSqlDatabase> db = open(url(QStringLiteral("db.simdesk.test"), ca));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, ErrorCode::TlsCertificateUntrusted);
    QVERIFY(db.error().message().contains(QLatin1String("db.simdesk.test")));
    QVERIFY(db.error().message().contains(ca));
    qInfo().noquote() << db.error().fullMessage();
}

void TestTls::anotherHostNameShouldBeRefusedAsNotTheCertificates()
{
    const Result<QSqlDatabase> db = open(
        url(QStringLiteral("other.simdesk.test"), m_dir.filePath(QStringLiteral("site-ca.crt"))));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, ErrorCode::TlsHostMismatch);
    QVERIFY(db.error().message().contains(QLatin1String("other.simdesk.test")));
    qInfo().noquote() << db.error().fullMessage();
}

void TestTls::aMissingCaFileShouldBeNamed()
{
    const QString missing = m_dir.filePath(QStringLiteral("no-such-ca.crt"));
    const Result<QSqlDatabase> db = open(url(QStringLiteral("db.simdesk.test"), missing));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, ErrorCode::TlsRootCertificateMissing);
    QVERIFY(db.error().message().contains(missing));
}

void TestTls::aServerWithoutTlsShouldBeSaidSo()
{
    const Result<QSqlDatabase> db = open(url(QStringLiteral("db.simdesk.test"),
        m_dir.filePath(QStringLiteral("site-ca.crt")), m_plain->settings().port));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, ErrorCode::TlsNotOffered);
    qInfo().noquote() << db.error().fullMessage();
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
