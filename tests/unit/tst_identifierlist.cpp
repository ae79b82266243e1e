// SPDX-License-Identifier: MIT
#include "services/identifierlist.h"
#include "testdatabase.h"

#include <QTest>

using namespace simdesk;

namespace {

SimListRow card(
    qint64 id, const QString &iccid, const QString &msisdn = {}, const QString &imsi = {})
{
    SimListRow r;
    r.id = id;
    r.iccid = iccid;
    r.msisdn = msisdn;
    r.imsi = imsi;
    return r;
}

} // namespace

// A pasted list without a database: what each line is looked for as, and which lines the
// cards found answer. The query itself is tests/db/tst_simlistquery.cpp's subject.
class TestIdentifierList : public QObject
{
    Q_OBJECT

private slots:
    void eachLineShouldBeLookedForAsEveryKindItCanBe_data();
    void eachLineShouldBeLookedForAsEveryKindItCanBe();
    void aValueNamedTwiceShouldBeLookedForOnce();
    void cardsShouldAnswerTheLinesInInputOrder();
    void pastedTextShouldSplitIntoTrimmedLines();
    void tailDigitsShouldKeepALeadingDoubleZero_data();
    void tailDigitsShouldKeepALeadingDoubleZero();
};

void TestIdentifierList::eachLineShouldBeLookedForAsEveryKindItCanBe_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QStringList>("iccids");
    QTest::addColumn<QStringList>("msisdns");
    QTest::addColumn<QStringList>("imsis");
    const QString whole = TestDatabase::iccid(5);
    QTest::newRow("a whole ICCID as scanned, with separators")
        << QStringLiteral(" %1 %2-%3 ").arg(whole.left(6), whole.mid(6, 7), whole.mid(13))
        << QStringList { whole } << QStringList() << QStringList();
    QTest::newRow("an ICCID without its check digit gets it")
        << whole.left(18) << QStringList { whole } << QStringList() << QStringList();
    QTest::newRow("a number with + is an MSISDN only")
        << QStringLiteral("+49 170 000 0007") << QStringList()
        << QStringList { QStringLiteral("+491700000007") } << QStringList();
    QTest::newRow("a number with 00 is an MSISDN only")
        << QStringLiteral("0049 170 0000013") << QStringList()
        << QStringList { QStringLiteral("+491700000013") } << QStringList();
    QTest::newRow("15 digits may be an MSISDN or an IMSI")
        << QStringLiteral("262010000000014") << QStringList()
        << QStringList { QStringLiteral("+262010000000014") }
        << QStringList { QStringLiteral("262010000000014") };
    QTest::newRow("text is looked for as nothing")
        << QStringLiteral("not a number") << QStringList() << QStringList() << QStringList();
}

void TestIdentifierList::eachLineShouldBeLookedForAsEveryKindItCanBe()
{
    QFETCH(QString, line);
    QFETCH(QStringList, iccids);
    QFETCH(QStringList, msisdns);
    QFETCH(QStringList, imsis);
    const IdentifierList list({ line });
    QCOMPARE(list.lines(), QStringList { line.trimmed() });
    QCOMPARE(list.iccids(), iccids);
    QCOMPARE(list.msisdns(), msisdns);
    QCOMPARE(list.imsis(), imsis);
}

void TestIdentifierList::aValueNamedTwiceShouldBeLookedForOnce()
{
    const QString a = TestDatabase::iccid(5);
    const QString b = TestDatabase::iccid(6);
    const IdentifierList list({ b, QString(), QStringLiteral("  "), a, a.left(18), b });
    QCOMPARE(list.size(), 4); // the empty lines are dropped
    QCOMPARE(list.iccids(), (QStringList { b, a }));
}

void TestIdentifierList::cardsShouldAnswerTheLinesInInputOrder()
{
    const QString first = TestDatabase::iccid(5);
    const QString second = TestDatabase::iccid(6);
    const QString unknown = TestDatabase::iccid(9999);
    const IdentifierList list({ QStringLiteral("+49 170 0000007"), unknown, first,
        QStringLiteral("not a number"), QStringLiteral("262010000000014"), second });
    // As the database returns them: in no particular order, and one line's card twice named.
    const QList<SimListRow> found { card(3, first),
        card(2, second, {}, QStringLiteral("262010000000014")),
        card(1, TestDatabase::iccid(7), QStringLiteral("+491700000007")) };
    const SimListMatches m = list.matches(found);
    // Each card once, where the first line naming it stands.
    QCOMPARE(m.rows.size(), 3);
    QCOMPARE(m.rows.at(0).id, qint64(1));
    QCOMPARE(m.rows.at(0).msisdn, QStringLiteral("+491700000007"));
    QCOMPARE(m.rows.at(1).id, qint64(3));
    QCOMPARE(m.rows.at(2).id, qint64(2));
    QCOMPARE(m.notFound, (QStringList { unknown, QStringLiteral("not a number") }));
}

void TestIdentifierList::pastedTextShouldSplitIntoTrimmedLines()
{
    QCOMPARE(IdentifierList::split(QStringLiteral(" a \r\n\r\n\tb\n \nc")),
        (QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }));
    QVERIFY(IdentifierList::split(QStringLiteral("\n \r\n")).isEmpty());
}

void TestIdentifierList::tailDigitsShouldKeepALeadingDoubleZero_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("search");
    QTest::addColumn<QString>("tail");
    QTest::newRow("00 prefix") << QStringLiteral("0049 170") << QStringLiteral("49170")
                               << QStringLiteral("0049170");
    QTest::newRow("plus prefix") << QStringLiteral("+49 170") << QStringLiteral("49170")
                                 << QStringLiteral("49170");
    QTest::newRow("no-break space and tab")
        << QStringLiteral("12\u00a034\t56") << QStringLiteral("123456") << QStringLiteral("123456");
    QTest::newRow("a letter makes it no number") << QStringLiteral("12a") << QString() << QString();
}

void TestIdentifierList::tailDigitsShouldKeepALeadingDoubleZero()
{
    QFETCH(QString, input);
    QFETCH(QString, search);
    QFETCH(QString, tail);
    QCOMPARE(IdentifierList::searchDigits(input), search);
    QCOMPARE(IdentifierList::tailDigits(input), tail);
}

QTEST_GUILESS_MAIN(TestIdentifierList)
#include "tst_identifierlist.moc"
