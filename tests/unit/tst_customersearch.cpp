// SPDX-License-Identifier: MIT
#include "domain/customersearch.h"

#include <QTest>

using namespace simdesk;

// What a typed customer search becomes: folded words, or one phone number's digits.
class TestCustomerSearch : public QObject
{
    Q_OBJECT

private slots:
    void foldShouldDropAccentsAndCase_data();
    void foldShouldDropAccentsAndCase();
    void phonesInEveryNotationShouldBecomeOneTerm_data();
    void phonesInEveryNotationShouldBecomeOneTerm();
    void wordsShouldBeFoldedAndSplit_data();
    void wordsShouldBeFoldedAndSplit();
    void likeWildcardsShouldBeEscaped();
};

void TestCustomerSearch::foldShouldDropAccentsAndCase_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("folded");
    QTest::newRow("German umlaut") << QStringLiteral("Müller") << QStringLiteral("muller");
    QTest::newRow("capital umlaut") << QStringLiteral("ÖZTÜRK") << QStringLiteral("ozturk");
    QTest::newRow("sharp s") << QStringLiteral("Straße") << QStringLiteral("strasse");
    QTest::newRow("French") << QStringLiteral("Hélène Lefèvre") << QStringLiteral("helene lefevre");
    QTest::newRow("Danish") << QStringLiteral("Ærø Søndergård")
                            << QStringLiteral("aero sondergard");
    QTest::newRow("Polish") << QStringLiteral("Łukasz Wałęsa") << QStringLiteral("lukasz walesa");
    QTest::newRow("Czech") << QStringLiteral("Dvořák Čapek") << QStringLiteral("dvorak capek");
    QTest::newRow("Turkish dotless i") << QStringLiteral("Yıldız") << QStringLiteral("yildiz");
    QTest::newRow("Spanish") << QStringLiteral("Peña Núñez") << QStringLiteral("pena nunez");
    QTest::newRow("Icelandic") << QStringLiteral("Þórður") << QStringLiteral("thordur");
    QTest::newRow("composed and decomposed alike")
        << QStringLiteral("Mu\u0308ller") << QStringLiteral("muller");
    QTest::newRow("plain ASCII unchanged but lower")
        << QStringLiteral("ACME GmbH") << QStringLiteral("acme gmbh");
}

void TestCustomerSearch::foldShouldDropAccentsAndCase()
{
    QFETCH(QString, text);
    QFETCH(QString, folded);
    QCOMPARE(customersearch::fold(text), folded);
}

void TestCustomerSearch::phonesInEveryNotationShouldBecomeOneTerm_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("term");
    QTest::newRow("international with +") << QStringLiteral("+49 151") << QStringLiteral("+49151");
    QTest::newRow("international with 00")
        << QStringLiteral("0049 151 234") << QStringLiteral("0049151234");
    QTest::newRow("bare digits with spaces") << QStringLiteral("151 23") << QStringLiteral("15123");
    QTest::newRow("dashes slashes dots")
        << QStringLiteral("+49-151/23.45") << QStringLiteral("+491512345");
    QTest::newRow("trunk zero in brackets")
        << QStringLiteral("+49 (0)151 2345") << QStringLiteral("+491512345");
    QTest::newRow("area code in brackets")
        << QStringLiteral("(030) 1234") << QStringLiteral("0301234");
    QTest::newRow("leading blanks") << QStringLiteral("  +4915") << QStringLiteral("+4915");
    QTest::newRow("a customer number's digits") << QStringLiteral("0012") << QStringLiteral("0012");
}

void TestCustomerSearch::phonesInEveryNotationShouldBecomeOneTerm()
{
    QFETCH(QString, input);
    QFETCH(QString, term);
    QVERIFY(customersearch::looksLikePhone(input));
    QCOMPARE(customersearch::terms(input), QStringList { term });
}

void TestCustomerSearch::wordsShouldBeFoldedAndSplit_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("terms");
    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("blanks only") << QStringLiteral("   ") << QStringList();
    QTest::newRow("one partial word") << QStringLiteral("müll") << QStringList { "mull" };
    QTest::newRow("two words, extra spaces")
        << QStringLiteral(" Müll   GmbH ") << QStringList { "mull", "gmbh" };
    QTest::newRow("customer number") << QStringLiteral("C-0012") << QStringList { "c-0012" };
    QTest::newRow("e-mail") << QStringLiteral("Anna@Example.org")
                            << QStringList { "anna@example.org" };
    QTest::newRow("a plus alone is not a phone") << QStringLiteral("+") << QStringList { "+" };
}

void TestCustomerSearch::wordsShouldBeFoldedAndSplit()
{
    QFETCH(QString, input);
    QFETCH(QStringList, terms);
    QCOMPARE(customersearch::terms(input), terms);
}

void TestCustomerSearch::likeWildcardsShouldBeEscaped()
{
    QCOMPARE(customersearch::containsPattern(u"mul"), QStringLiteral("%mul%"));
    QCOMPARE(customersearch::containsPattern(u"50%_a\\b"), QStringLiteral("%50\\%\\_a\\\\b%"));
}

QTEST_APPLESS_MAIN(TestCustomerSearch)
#include "tst_customersearch.moc"
