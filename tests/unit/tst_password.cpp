// SPDX-License-Identifier: MIT
#include "domain/staff.h"
#include "services/staffservice.h"

#include <QSet>
#include <QTest>

Q_DECLARE_METATYPE(simdesk::PasswordStrength)

using namespace simdesk;

// The strength hint shown while a new password is typed, and the generated passwords.
class TestPassword : public QObject
{
    Q_OBJECT

private slots:
    void strengthShouldFollowLengthAndKinds_data();
    void strengthShouldFollowLengthAndKinds();
    void theHintsMinimumShouldBeTheServicesMinimum();
    void generatedPasswordsShouldBeStrongUnambiguousAndDifferent();
};

void TestPassword::strengthShouldFollowLengthAndKinds_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<PasswordStrength>("strength");
    QTest::newRow("empty") << QString() << PasswordStrength::TooShort;
    QTest::newRow("nine characters") << "abcDEF123" << PasswordStrength::TooShort;
    QTest::newRow("ten lower-case letters") << "abcdefghij" << PasswordStrength::Weak;
    QTest::newRow("eleven mixed") << "abcDEF123!x" << PasswordStrength::Weak;
    QTest::newRow("twelve letters and digits") << "abcdef123456" << PasswordStrength::Fair;
    QTest::newRow("fifteen of three kinds") << "abcDEF123456789" << PasswordStrength::Fair;
    QTest::newRow("sixteen of three kinds") << "abcDEF1234567890" << PasswordStrength::Strong;
    QTest::newRow("sixteen of two kinds") << "abcdefgh12345678" << PasswordStrength::Fair;
    QTest::newRow("twenty digits") << "12345678901234567890" << PasswordStrength::Strong;
    QTest::newRow("fifteen digits") << "123456789012345" << PasswordStrength::Weak;
    QTest::newRow("umlauts count as letters") << "Grüße-aus-Köln-2024" << PasswordStrength::Strong;
}

void TestPassword::strengthShouldFollowLengthAndKinds()
{
    QFETCH(QString, password);
    QFETCH(PasswordStrength, strength);
    QCOMPARE(passwordStrength(password), strength);
}

void TestPassword::theHintsMinimumShouldBeTheServicesMinimum()
{
    const QString atMinimum(StaffService::kMinimumPasswordLength, QLatin1Char('a'));
    QVERIFY(passwordStrength(atMinimum) != PasswordStrength::TooShort);
    QCOMPARE(passwordStrength(atMinimum.chopped(1)), PasswordStrength::TooShort);
}

void TestPassword::generatedPasswordsShouldBeStrongUnambiguousAndDifferent()
{
    QSet<QString> seen;
    for (int i = 0; i < 200; ++i) {
        const QString p = generatePassword();
        QCOMPARE(p.size(), 20);
        QCOMPARE(passwordStrength(p), PasswordStrength::Strong);
        for (QChar c : p) {
            QVERIFY2(c.isLetterOrNumber() && c.unicode() < 128, qPrintable(p));
            QVERIFY2(!QStringLiteral("0O1lI").contains(c), qPrintable(p));
        }
        seen.insert(p);
    }
    QCOMPARE(seen.size(), 200);
}

QTEST_APPLESS_MAIN(TestPassword)
#include "tst_password.moc"
