// SPDX-License-Identifier: MIT
#include "main/aboutdialog.h"
#include "screenshots.h"
#include "testdatabase.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace simdesk;

// Help › About: one version everywhere (CMake's), the libraries, the server and the licence.
class TestAboutDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void shouldShowTheVersionsAndTheServerItTalksTo();
    void anUnreachableServerShouldBeSaidSo();

private:
    static QString text(QDialog &dialog, const char *name);
    std::unique_ptr<TestDatabase> m_tdb;
};

void TestAboutDialog::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("about"));
    REQUIRE_DATABASE(*m_tdb);
}

void TestAboutDialog::cleanupTestCase()
{
    m_tdb.reset();
}

QString TestAboutDialog::text(QDialog &dialog, const char *name)
{
    auto *label = dialog.findChild<QLabel *>(QString::fromLatin1(name));
    return label ? label->text() : QStringLiteral("(no %1)").arg(QString::fromLatin1(name));
}

void TestAboutDialog::shouldShowTheVersionsAndTheServerItTalksTo()
{
    DbRunner runner(m_tdb->settings());
    AboutDialog dialog(&runner);
    QSignalSpy shown(&dialog, &AboutDialog::serverVersionShown);
    dialog.show();
    QCOMPARE(text(dialog, "versionValue"), QStringLiteral(SIMDESK_VERSION));
    QVERIFY(text(dialog, "titleLabel").contains(QStringLiteral(SIMDESK_VERSION)));
    QVERIFY(text(dialog, "qtValue").startsWith(QString::fromLatin1(qVersion())));
    QVERIFY(text(dialog, "libpqValue").contains(QLatin1String("OpenSSL")));
    QVERIFY(text(dialog, "d3Value").startsWith(QLatin1String("7.")));
    QVERIFY(shown.wait(20000));
    QVERIFY2(text(dialog, "serverValue").startsWith(QLatin1String("15.")),
        qPrintable(text(dialog, "serverValue")));
    QVERIFY(text(dialog, "serverValue").contains(m_tdb->name()));
    QVERIFY(dialog.findChild<QPlainTextEdit *>(QStringLiteral("licenceText"))
                ->toPlainText()
                .startsWith(QLatin1String("MIT License")));
    saveScreenshot(&dialog, QStringLiteral("about-dialog"));
}

void TestAboutDialog::anUnreachableServerShouldBeSaidSo()
{
    ConnectionSettings nowhere;
    nowhere.host = QStringLiteral("127.0.0.1");
    nowhere.port = 1;
    nowhere.database = QStringLiteral("simdesk");
    DbRunner runner(nowhere);
    AboutDialog dialog(&runner);
    QSignalSpy shown(&dialog, &AboutDialog::serverVersionShown);
    QVERIFY(shown.wait(20000));
    QVERIFY(text(dialog, "serverValue").startsWith(QLatin1String("not reachable")));
}

QTEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
