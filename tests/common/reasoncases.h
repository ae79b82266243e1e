// SPDX-License-Identifier: MIT
#pragma once

#include "domain/error.h"
#include "domain/validation.h"

#include <QString>
#include <QTest>

// Reasons that are hard to judge, with what the one reason rule makes of them: the kept reason,
// or the error. Used by tests/unit/tst_validation (validation::normalizeReason) and by
// tests/db/tst_constraints, which proves simdesk_reason() in SQL says the same for every row.
inline void addReasonRows()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // the kept reason; empty when refused
    QTest::addColumn<int>("code"); // 0 when kept, else the ErrorCode
    const int missing = int(simdesk::ErrorCode::ReasonMissing);
    const int tooLong = int(simdesk::ErrorCode::ReasonTooLong);
    const qsizetype max = simdesk::validation::kMaxReasonLength;
    QTest::newRow("plain") << QStringLiteral("customer called") << QStringLiteral("customer called")
                           << 0;
    QTest::newRow("empty") << QString() << QString() << missing;
    QTest::newRow("one space") << QStringLiteral(" ") << QString() << missing;
    QTest::newRow("a tab") << QStringLiteral("\t") << QString() << missing;
    QTest::newRow("a line feed") << QStringLiteral("\n") << QString() << missing;
    QTest::newRow("CR LF") << QStringLiteral("\r\n") << QString() << missing;
    QTest::newRow("vertical tab and form feed") << QStringLiteral("\v\f") << QString() << missing;
    QTest::newRow("next line U+0085") << QStringLiteral("\u0085") << QString() << missing;
    QTest::newRow("no-break space") << QStringLiteral("\u00A0") << QString() << missing;
    QTest::newRow("Ogham space mark") << QStringLiteral("\u1680") << QString() << missing;
    QTest::newRow("en quad to hair space")
        << QStringLiteral("\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A")
        << QString() << missing;
    QTest::newRow("line and paragraph separators")
        << QStringLiteral("\u2028\u2029") << QString() << missing;
    QTest::newRow("narrow no-break and medium mathematical space")
        << QStringLiteral("\u202F\u205F") << QString() << missing;
    QTest::newRow("ideographic space") << QStringLiteral("\u3000") << QString() << missing;
    QTest::newRow("zero-width space") << QStringLiteral("\u200B") << QString() << missing;
    QTest::newRow("zero-width joiners and word joiner")
        << QStringLiteral("\u200C\u200D\u2060") << QString() << missing;
    QTest::newRow("byte order mark") << QStringLiteral("\uFEFF") << QString() << missing;
    QTest::newRow("Mongolian vowel separator") << QStringLiteral("\u180E") << QString() << missing;
    QTest::newRow("every space at once")
        << QStringLiteral(" \t\n\v\f\r\u0085\u00A0\u1680\u2000\u200A\u2028\u2029\u202F\u205F"
                          "\u3000\u180E\u200B\u200C\u200D\u2060\uFEFF")
        << QString() << missing;
    QTest::newRow("spaces of every kind around words")
        << QStringLiteral("\u00A0\t lost phone \u200B\u3000\n") << QStringLiteral("lost phone")
        << 0;
    QTest::newRow("spaces inside stay")
        << QStringLiteral("lost\tphone\nreported") << QStringLiteral("lost\tphone\nreported") << 0;
    QTest::newRow("an emoji at each end") << QStringLiteral("\U0001F642 ok \U0001F642")
                                          << QStringLiteral("\U0001F642 ok \U0001F642") << 0;
    QTest::newRow("a combining accent at the end")
        << QStringLiteral("cafe\u0301 ") << QStringLiteral("cafe\u0301") << 0;
    QTest::newRow("an object replacement character is no space")
        << QStringLiteral("\uFFFC") << QStringLiteral("\uFFFC") << 0;
    QTest::newRow("a NEL inside stays")
        << QStringLiteral("a\u0085b") << QStringLiteral("a\u0085b") << 0;
    const QString longest(max, QLatin1Char('x'));
    QTest::newRow("exactly the limit") << longest << longest << 0;
    QTest::newRow("the limit with spaces around")
        << QStringLiteral("  ") + longest + QStringLiteral("\u00A0\n") << longest << 0;
    QTest::newRow("one over the limit") << longest + QLatin1Char('x') << QString() << tooLong;
    // 500 code points, but 1000 UTF-16 units: the limit counts characters.
    const QString emoji = QString(QStringLiteral("\U0001F642")).repeated(max);
    QTest::newRow("the limit in emoji") << emoji << emoji << 0;
    QTest::newRow("one emoji over the limit")
        << emoji + QStringLiteral("\U0001F642") << QString() << tooLong;
    QTest::newRow("sixteen megabytes")
        << QString(16 * 1024 * 1024, QLatin1Char('y')) << QString() << tooLong;
    QTest::newRow("one letter in a sea of spaces")
        << QString(2000, QLatin1Char(' ')) + QLatin1Char('x') + QString(2000, QChar(0x3000))
        << QStringLiteral("x") << 0;
}
