// SPDX-License-Identifier: MIT
#include "domain/printable.h"

#include <QTest>

using namespace simdesk;

// Values from files reach terminals, reports, the database and the GUI through printable().
class TestPrintable : public QObject
{
    Q_OBJECT

private slots:
    void shouldShowControlCharactersEscaped_data();
    void shouldShowControlCharactersEscaped();
    void shouldCutLongValuesAtWholeCharacters();
};

void TestPrintable::shouldShowControlCharactersEscaped_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain text stays") << QStringLiteral("8949 ICCID Zoë «Ærø» 🙂")
                                      << QStringLiteral("8949 ICCID Zoë «Ærø» 🙂");
    QTest::newRow("clear screen and window title") << QStringLiteral("\x1b[2J\x1b]0;pwned\x07")
                                                   << QStringLiteral("\\x1B[2J\\x1B]0;pwned\\x07");
    QTest::newRow("tab, line feed, carriage return")
        << QStringLiteral("a\tb\nc\rd") << QStringLiteral("a\\tb\\nc\\rd");
    QTest::newRow("NUL and DEL") << QString::fromUtf16(u"a\u0000b\u007Fc", 5)
                                 << QStringLiteral("a\\x00b\\x7Fc");
    QTest::newRow("C1 controls") << QStringLiteral("\u0085\u009B") << QStringLiteral("\\x85\\x9B");
    QTest::newRow("bidirectional overrides") << QStringLiteral("abc\u202Egpj.exe\u2066\u200F")
                                             << QStringLiteral("abc\\u202Egpj.exe\\u2066\\u200F");
    QTest::newRow("line and paragraph separators")
        << QStringLiteral("a\u2028b\u2029") << QStringLiteral("a\\u2028b\\u2029");
    QTest::newRow("a backslash stays") << QStringLiteral("C:\\new") << QStringLiteral("C:\\new");
    QTest::newRow("a lone surrogate") << QString(QChar(0xD800)) << QString(QChar(0xFFFD));
}

void TestPrintable::shouldShowControlCharactersEscaped()
{
    QFETCH(QString, text);
    QFETCH(QString, shown);
    QCOMPARE(printable(text), shown);
}

void TestPrintable::shouldCutLongValuesAtWholeCharacters()
{
    const QString megabyte(1024 * 1024, QLatin1Char('7'));
    const QString shown = printable(megabyte);
    QCOMPARE(shown, QString(kMaxQuotedLength, QLatin1Char('7')) + QChar(0x2026));
    QCOMPARE(printable(QString(kMaxQuotedLength, QLatin1Char('7'))),
        QString(kMaxQuotedLength, QLatin1Char('7')));
    // Emoji are one character each: never cut in half.
    const QString emoji = QString(QStringLiteral("🙂")).repeated(100);
    QCOMPARE(printable(emoji, 3), QStringLiteral("🙂🙂🙂…"));
    QCOMPARE(printable(QStringLiteral("\x1b\x1b\x1b\x1b"), 2), QStringLiteral("\\x1B\\x1B…"));
}

QTEST_APPLESS_MAIN(TestPrintable)
#include "tst_printable.moc"
