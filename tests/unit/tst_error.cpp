// SPDX-License-Identifier: MIT
#include "domain/error.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace simdesk;

class TestError : public QObject
{
    Q_OBJECT

private slots:
    void shouldFillArgumentsInOnePass();
    void everyCodeShouldHaveAMessageAndAKey();
    void fullMessageShouldAppendDetail();
};

void TestError::shouldFillArgumentsInOnePass()
{
    // A value that itself looks like a placeholder must stay as typed.
    const Error e(ErrorCode::IccidInvalidCharacter, { QStringLiteral("%2"), QStringLiteral("7") });
    QVERIFY2(e.message().contains(u"“%2” at position 7"), qPrintable(e.message()));
}

// Every enumerator of ErrorCode, with its value, read from the header itself: a code added
// without a catalogue line fails here, whoever forgets it.
QList<QPair<QString, int>> errorCodesInHeader()
{
    QFile header(QStringLiteral(SIMDESK_SOURCE_DIR "/core/domain/error.h"));
    if (!header.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(header.readAll());
    const qsizetype begin = text.indexOf(QLatin1String("enum class ErrorCode {"));
    const qsizetype end = text.indexOf(QLatin1String("};"), begin);
    QList<QPair<QString, int>> codes;
    int next = 0;
    const QRegularExpression enumerator(
        QStringLiteral("^\\s*([A-Z][A-Za-z0-9]*)\\s*(?:=\\s*(\\d+))?\\s*,"));
    for (QString line : text.mid(begin, end - begin).split(QLatin1Char('\n'))) {
        line = line.section(QLatin1String("//"), 0, 0);
        const QRegularExpressionMatch m = enumerator.match(line);
        if (!m.hasMatch())
            continue;
        if (!m.captured(2).isEmpty())
            next = m.captured(2).toInt();
        codes.append({ m.captured(1), next++ });
    }
    return codes;
}

void TestError::everyCodeShouldHaveAMessageAndAKey()
{
    const QList<QPair<QString, int>> codes = errorCodesInHeader();
    QVERIFY2(codes.size() > 90, "the enum was not read from core/domain/error.h");
    QSet<QString> keys;
    for (const auto &[name, value] : codes) {
        const Error e(ErrorCode(value),
            { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d") });
        QVERIFY2(!e.message().startsWith(QLatin1String("Unexpected error")), qPrintable(name));
        QVERIFY2(!e.message().contains(QLatin1Char('%')),
            qPrintable(name + QStringLiteral(": ") + e.message()));
        QVERIFY2(e.key() != QString::number(value), qPrintable(name));
        QVERIFY2(!keys.contains(e.key()), qPrintable(e.key()));
        keys.insert(e.key());
    }
}

void TestError::fullMessageShouldAppendDetail()
{
    const Error e(
        ErrorCode::QueryFailed, { QStringLiteral("23505") }, QStringLiteral("duplicate key"));
    QCOMPARE(e.fullMessage(), e.message() + QStringLiteral("\nduplicate key"));
    QCOMPARE(Error(ErrorCode::IccidEmpty).fullMessage(), Error(ErrorCode::IccidEmpty).message());
}

QTEST_APPLESS_MAIN(TestError)
#include "tst_error.moc"
