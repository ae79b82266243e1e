// SPDX-License-Identifier: MIT
#include "domain/validation.h"
#include "reasoncases.h"

#include <QTest>

using namespace simdesk;
using namespace simdesk::validation;

Q_DECLARE_METATYPE(simdesk::ErrorCode)

class TestValidation : public QObject
{
    Q_OBJECT

private slots:
    void luhnCheckDigitMatchesKnownCards_data();
    void luhnCheckDigitMatchesKnownCards();
    void luhnRefusesNonDigits();

    void shouldNormaliseValidIccids_data();
    void shouldNormaliseValidIccids();
    void shouldRefuseInvalidIccids_data();
    void shouldRefuseInvalidIccids();
    void shouldComputeMissingCheckDigitForEighteenDigits();
    void shouldCompleteVendorIccidsOnly();
    void everySingleDigitTypoIsCaught();

    void shouldNormaliseMsisdns_data();
    void shouldNormaliseMsisdns();
    void shouldRefuseBadMsisdns_data();
    void shouldRefuseBadMsisdns();

    void shouldCheckImsiPinPuk_data();
    void shouldCheckImsiPinPuk();

    void shouldParseSimTypes_data();
    void shouldParseSimTypes();

    void shouldKeepAReasonTrimmedOfEveryUnicodeSpaceAndBounded_data();
    void shouldKeepAReasonTrimmedOfEveryUnicodeSpaceAndBounded();
    void shouldQuoteValuesFromFilesPrintable();
};

void TestValidation::luhnCheckDigitMatchesKnownCards_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("digit");
    // ITU-T E.118 / ISO 7812 examples and ICCIDs of the kind printed on cards.
    QTest::newRow("ISO 7812 example 7992739871 → 3") << "7992739871" << 3;
    QTest::newRow("German 19-digit ICCID") << "894902990000001000" << 7;
    QTest::newRow("UK 20-digit ICCID") << "8944110068245136920" << 5;
    QTest::newRow("US 20-digit ICCID") << "8901260123456789012" << 1;
    QTest::newRow("Dutch 19-digit ICCID") << "893107032036006551" << 5;
    QTest::newRow("all zeros") << "000000000000000000" << 0;
}

void TestValidation::luhnCheckDigitMatchesKnownCards()
{
    QFETCH(QString, body);
    QFETCH(int, digit);
    QCOMPARE(luhnCheckDigit(body), digit);
    QVERIFY(hasValidCheckDigit(body + QString::number(digit)));
    QVERIFY(!hasValidCheckDigit(body + QString::number((digit + 1) % 10)));
}

void TestValidation::luhnRefusesNonDigits()
{
    QCOMPARE(luhnCheckDigit(u"89490299000000A100"), -1);
    QVERIFY(!hasValidCheckDigit(u"8949029900000010007x"));
    QVERIFY(!hasValidCheckDigit(u"7"));
}

void TestValidation::shouldNormaliseValidIccids_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("19 digits") << "8949029900000010007"
                               << "8949029900000010007";
    QTest::newRow("20 digits") << "89441100682451369205"
                               << "89441100682451369205";
    QTest::newRow("scanner spaces in groups") << "8949 0299 0000 0010 007"
                                              << "8949029900000010007";
    QTest::newRow("dashes") << "89-49-0299-0000-0010-007"
                            << "8949029900000010007";
    QTest::newRow("leading and trailing white space, tab, CR") << " \t8949029900000010007\r\n"
                                                               << "8949029900000010007";
    QTest::newRow("no-break spaces from a web form")
        << QString::fromUtf8("8949\u00a00299\u00a00000\u00a00010\u00a0007")
        << "8949029900000010007";
    QTest::newRow("en dash from a word processor")
        << QString::fromUtf8("894902990000\u20130010007") << "8949029900000010007";
}

void TestValidation::shouldNormaliseValidIccids()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const Result<QString> r = normalizeIccid(input);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message()));
    QCOMPARE(*r, expected);
}

void TestValidation::shouldRefuseInvalidIccids_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QStringList>("args");
    QTest::newRow("empty") << "" << ErrorCode::IccidEmpty << QStringList {};
    QTest::newRow("only separators") << " - - " << ErrorCode::IccidEmpty << QStringList {};
    QTest::newRow("letter inside")
        << "89490299000O0010007" << ErrorCode::IccidInvalidCharacter << QStringList { "O", "12" };
    QTest::newRow("hex F padding from a BCD dump")
        << "8949029900000010007F" << ErrorCode::IccidInvalidCharacter << QStringList { "F", "20" };
    QTest::newRow("dot is not a scanner separator")
        << "8949.029900000010007" << ErrorCode::IccidInvalidCharacter << QStringList { ".", "5" };
    QTest::newRow("17 digits") << "89490299000000100" << ErrorCode::IccidWrongLength
                               << QStringList { "17" };
    QTest::newRow("21 digits") << "894902990000001000712" << ErrorCode::IccidWrongLength
                               << QStringList { "21" };
    QTest::newRow("IMSI pasted instead")
        << "262019900000101" << ErrorCode::IccidWrongLength << QStringList { "15" };
    QTest::newRow("wrong industry prefix")
        << "7949029900000010007" << ErrorCode::IccidWrongPrefix << QStringList { "79" };
    QTest::newRow("19 digits, bad check digit")
        << "8949029900000010008" << ErrorCode::IccidBadCheckDigit
        << QStringList { "8949029900000010008", "8", "7" };
    QTest::newRow("20 digits, bad check digit")
        << "89441100682451369200" << ErrorCode::IccidBadCheckDigit
        << QStringList { "89441100682451369200", "0", "5" };
    QTest::newRow("transposed digits") << "8949029900000001007" << ErrorCode::IccidBadCheckDigit
                                       << QStringList { "8949029900000001007", "7", "6" };
}

void TestValidation::shouldRefuseInvalidIccids()
{
    QFETCH(QString, input);
    QFETCH(ErrorCode, code);
    QFETCH(QStringList, args);
    const Result<QString> r = normalizeIccid(input);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, code);
    QCOMPARE(r.error().args, args);
    QVERIFY(!r.error().message().isEmpty());
}

void TestValidation::shouldComputeMissingCheckDigitForEighteenDigits()
{
    const Result<QString> r = normalizeIccid(u"8949 0299 0000 0010 00");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::IccidMissingCheckDigit);
    QCOMPARE(r.error().args, (QStringList { "894902990000001000", "8949029900000010007" }));
    // The message shows the computed ICCID so staff can compare it with the card.
    QVERIFY2(r.error().message().contains(QLatin1String("8949029900000010007")),
        qPrintable(r.error().message()));
}

void TestValidation::shouldCompleteVendorIccidsOnly()
{
    // Vendor output files (../shared/samples/vendor-batch.out) omit the check digit.
    QCOMPARE(*completeIccid(u"894902990000000100"), QStringLiteral("8949029900000001006"));
    QCOMPARE(*completeIccid(u"894902990000000111"), QStringLiteral("8949029900000001113"));
    // Complete ICCIDs pass unchanged; wrong ones are still refused.
    QCOMPARE(*completeIccid(u"8949029900000010007"), QStringLiteral("8949029900000010007"));
    QCOMPARE(completeIccid(u"8949029900000010008").error().code, ErrorCode::IccidBadCheckDigit);
    QCOMPARE(completeIccid(u"794902990000000100").error().code, ErrorCode::IccidWrongPrefix);
}

void TestValidation::everySingleDigitTypoIsCaught()
{
    // The point of the check digit: any one mistyped digit is detected.
    const QString good = QStringLiteral("89441100682451369205");
    QVERIFY(normalizeIccid(good).ok());
    for (int pos = 2; pos < good.size(); ++pos) {
        for (char d = '0'; d <= '9'; ++d) {
            if (good.at(pos) == QLatin1Char(d))
                continue;
            QString typo = good;
            typo[pos] = QLatin1Char(d);
            const Result<QString> r = normalizeIccid(typo);
            QVERIFY2(!r.ok() && r.error().code == ErrorCode::IccidBadCheckDigit, qPrintable(typo));
        }
    }
}

void TestValidation::shouldNormaliseMsisdns_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("E.164") << "+4915901000000"
                           << "+4915901000000";
    QTest::newRow("spaces") << "+49 1590 1000000"
                            << "+4915901000000";
    QTest::newRow("brackets, dashes and dots") << "+49 (1590) 100-00.00"
                                               << "+4915901000000";
    QTest::newRow("(0) trunk prefix dropped") << "+49 (0)1590-100.0000"
                                              << "+4915901000000";
    QTest::newRow("00 international prefix") << "0049 15901000000"
                                             << "+4915901000000";
    QTest::newRow("bare international digits") << "4915901000000"
                                               << "+4915901000000";
    QTest::newRow("one-digit country code (NANP)") << "+1 212 555 0100"
                                                   << "+12125550100";
    QTest::newRow("three-digit country code") << "+353 87 123 4567"
                                              << "+353871234567";
    QTest::newRow("shortest: 7 digits") << "+6831234"
                                        << "+6831234";
    QTest::newRow("longest: 15 digits") << "+882123456789012"
                                        << "+882123456789012";
}

void TestValidation::shouldNormaliseMsisdns()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const Result<QString> r = normalizeMsisdn(input);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message()));
    QCOMPARE(*r, expected);
}

void TestValidation::shouldRefuseBadMsisdns_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("empty") << "" << ErrorCode::MsisdnEmpty;
    QTest::newRow("plus only") << " + " << ErrorCode::MsisdnEmpty;
    QTest::newRow("national format") << "0159 01000000" << ErrorCode::MsisdnNationalFormat;
    QTest::newRow("country code 0 after +") << "+049159010000" << ErrorCode::MsisdnCountryCodeZero;
    QTest::newRow("country code 0 after 00") << "000491590100" << ErrorCode::MsisdnCountryCodeZero;
    QTest::newRow("16 digits") << "+4915901000000123" << ErrorCode::MsisdnTooLong;
    QTest::newRow("6 digits") << "+491234" << ErrorCode::MsisdnTooShort;
    QTest::newRow("letters") << "+49 1590 CALLME" << ErrorCode::MsisdnInvalidCharacter;
    QTest::newRow("plus in the middle") << "49+15901000000" << ErrorCode::MsisdnInvalidCharacter;
    QTest::newRow("extension") << "+4915901000000;ext=1" << ErrorCode::MsisdnInvalidCharacter;
}

void TestValidation::shouldRefuseBadMsisdns()
{
    QFETCH(QString, input);
    QFETCH(ErrorCode, code);
    const Result<QString> r = normalizeMsisdn(input);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, code);
}

void TestValidation::shouldCheckImsiPinPuk_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: refused with `code`
    QTest::addColumn<ErrorCode>("code");
    const ErrorCode none = ErrorCode::InvalidArgument;
    QTest::newRow("IMSI 15 digits") << "imsi"
                                    << "262019900000101"
                                    << "262019900000101" << none;
    QTest::newRow("IMSI 6 digits") << "imsi"
                                   << "262019"
                                   << "262019" << none;
    QTest::newRow("IMSI 5 digits") << "imsi"
                                   << "26201"
                                   << "" << ErrorCode::ImsiWrongLength;
    QTest::newRow("IMSI 16 digits") << "imsi"
                                    << "2620199000001011"
                                    << "" << ErrorCode::ImsiWrongLength;
    QTest::newRow("IMSI with letter") << "imsi"
                                      << "26201990000010A"
                                      << "" << ErrorCode::ImsiInvalidCharacter;
    QTest::newRow("PIN 4 digits") << "pin"
                                  << "0000"
                                  << "0000" << none;
    QTest::newRow("PIN 8 digits") << "pin"
                                  << "12345678"
                                  << "12345678" << none;
    QTest::newRow("PIN keeps leading zero") << "pin"
                                            << " 0510 "
                                            << "0510" << none;
    QTest::newRow("PIN 3 digits") << "pin"
                                  << "123"
                                  << "" << ErrorCode::PinWrongLength;
    QTest::newRow("PIN 9 digits") << "pin"
                                  << "123456789"
                                  << "" << ErrorCode::PinWrongLength;
    QTest::newRow("PIN with letter") << "pin"
                                     << "12a4"
                                     << "" << ErrorCode::PinInvalidCharacter;
    QTest::newRow("PUK 8 digits") << "puk"
                                  << "05618636"
                                  << "05618636" << none;
    QTest::newRow("PUK 7 digits") << "puk"
                                  << "5618636"
                                  << "" << ErrorCode::PukWrongLength;
    QTest::newRow("PUK 9 digits") << "puk"
                                  << "056186361"
                                  << "" << ErrorCode::PukWrongLength;
    QTest::newRow("PUK scientific notation from a spreadsheet")
        << "puk"
        << "5.6E+06"
        << "" << ErrorCode::PukInvalidCharacter;
}

void TestValidation::shouldCheckImsiPinPuk()
{
    QFETCH(QString, kind);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(ErrorCode, code);
    const Result<QString> r = kind == QLatin1String("imsi") ? normalizeImsi(input)
        : kind == QLatin1String("pin")                      ? normalizePin(input)
                                                            : normalizePuk(input);
    if (expected.isEmpty()) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, code);
    } else {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message()));
        QCOMPARE(*r, expected);
    }
}

void TestValidation::shouldParseSimTypes_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("type"); // -1: refused
    QTest::newRow("prepaid") << "prepaid" << int(SimType::Prepaid);
    QTest::newRow("Postpaid, capitalised") << "Postpaid" << int(SimType::Postpaid);
    QTest::newRow("data-only") << "data-only" << int(SimType::DataOnly);
    QTest::newRow("DATA_ONLY") << "DATA_ONLY" << int(SimType::DataOnly);
    QTest::newRow("data only") << " data only " << int(SimType::DataOnly);
    QTest::newRow("dataonly") << "dataonly" << int(SimType::DataOnly);
    QTest::newRow("contract is not a type") << "contract" << -1;
    QTest::newRow("empty") << "" << -1;
}

void TestValidation::shouldParseSimTypes()
{
    QFETCH(QString, input);
    QFETCH(int, type);
    const Result<SimType> r = parseSimType(input);
    if (type < 0) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::SimTypeUnknown);
    } else {
        QVERIFY(r.ok());
        QCOMPARE(int(*r), type);
        QCOMPARE(simTypeFromKey(simTypeKey(*r)), std::optional<SimType>(*r));
    }
}

void TestValidation::shouldKeepAReasonTrimmedOfEveryUnicodeSpaceAndBounded_data()
{
    addReasonRows();
}

void TestValidation::shouldKeepAReasonTrimmedOfEveryUnicodeSpaceAndBounded()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(int, code);
    const Result<QString> r = normalizeReason(input);
    if (code == 0) {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message()));
        QCOMPARE(*r, expected);
    } else {
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), code);
        QVERIFY(!r.error().message().contains(QLatin1Char('%')));
    }
}

// Identifier errors quote what was typed or read: printable, whatever it holds.
void TestValidation::shouldQuoteValuesFromFilesPrintable()
{
    const QString hostile
        = QStringLiteral("\x1b[2J\x1b]0;pwned\x07") + QString(100000, QLatin1Char('9'));
    for (const Result<QString> &r :
        { normalizeMsisdn(QStringLiteral("0") + QString(100000, QLatin1Char('1'))),
            normalizeMsisdn(QStringLiteral("+49\x1b[2J")),
            normalizeIccid(QStringLiteral("8949\x1b")),
            normalizePin(QStringLiteral("12\u202E4")) }) {
        QVERIFY(!r.ok());
        const QString message = r.error().message();
        QVERIFY2(message.size() < 400, qPrintable(QString::number(message.size())));
        for (const QChar c : message)
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7F && c.unicode() != 0x202E,
                qPrintable(message));
    }
    const Result<SimType> t = parseSimType(hostile);
    QVERIFY(!t.ok());
    QVERIFY(t.error().message().contains(QStringLiteral("\\x1B[2J\\x1B]0;pwned\\x07")));
    QVERIFY(t.error().message().contains(QChar(0x2026)));
}

QTEST_APPLESS_MAIN(TestValidation)
#include "tst_validation.moc"
