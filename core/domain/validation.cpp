// SPDX-License-Identifier: MIT
#include "domain/validation.h"

namespace simdesk::validation {

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

bool isDash(QChar c)
{
    // ASCII hyphen-minus plus the Unicode dashes that word processors and web forms produce.
    return c == QLatin1Char('-') || c == QChar(0x2010) || c == QChar(0x2011) || c == QChar(0x2012)
        || c == QChar(0x2013) || c == QChar(0x2014) || c == QChar(0x2212);
}

// Removes white space (including no-break spaces) and dashes. When `alsoPunctuation` is set,
// dots, slashes and brackets go too (people write phone numbers as "+49 (151) 123.456").
// On a character that is neither kept nor stripped, `bad` gets it and `badPos` its 1-based
// position in the input.
QString stripSeparators(
    QStringView input, bool alsoPunctuation, QChar *bad, int *badPos, bool allowLeadingPlus = false)
{
    QString out;
    out.reserve(input.size());
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input.at(i);
        if (isAsciiDigit(c)) {
            out += c;
        } else if (c.isSpace() || isDash(c)) {
            continue;
        } else if (alsoPunctuation
            && (c == QLatin1Char('.') || c == QLatin1Char('/') || c == QLatin1Char('(')
                || c == QLatin1Char(')'))) {
            continue;
        } else if (allowLeadingPlus && c == QLatin1Char('+') && out.isEmpty()) {
            out += c;
        } else if (bad->isNull()) {
            *bad = c;
            *badPos = int(i + 1);
        }
    }
    return out;
}

// Strips separators and requires only digits to remain.
Result<QString> digitsOnly(QStringView input, ErrorCode invalidCharacter)
{
    QChar bad;
    int badPos = 0;
    QString digits = stripSeparators(input, false, &bad, &badPos);
    if (!bad.isNull())
        return Error(invalidCharacter, { QString(bad), QString::number(badPos) });
    return digits;
}

Result<QString> digitsOfLength(QStringView input, ErrorCode invalidCharacter, ErrorCode wrongLength,
    int minLength, int maxLength)
{
    Result<QString> digits = digitsOnly(input, invalidCharacter);
    if (!digits)
        return digits;
    const int n = int(digits->size());
    if (n < minLength || n > maxLength)
        return Error(wrongLength, { QString::number(n) });
    return digits;
}

} // namespace

int luhnCheckDigit(QStringView body)
{
    int sum = 0;
    bool doubleIt = true; // the digit next to the (future) check digit is doubled
    for (qsizetype i = body.size() - 1; i >= 0; --i) {
        const QChar c = body.at(i);
        if (!isAsciiDigit(c))
            return -1;
        int d = c.unicode() - '0';
        if (doubleIt) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        doubleIt = !doubleIt;
    }
    return (10 - sum % 10) % 10;
}

bool hasValidCheckDigit(QStringView digits)
{
    if (digits.size() < 2 || !isAsciiDigit(digits.back()))
        return false;
    return luhnCheckDigit(digits.chopped(1)) == digits.back().unicode() - '0';
}

Result<QString> normalizeIccid(QStringView input)
{
    Result<QString> stripped = digitsOnly(input, ErrorCode::IccidInvalidCharacter);
    if (!stripped)
        return stripped;
    const QString &digits = *stripped;
    if (digits.isEmpty())
        return Error(ErrorCode::IccidEmpty);
    if (digits.size() < 18 || digits.size() > 20)
        return Error(ErrorCode::IccidWrongLength, { QString::number(digits.size()) });
    if (!digits.startsWith(QLatin1String("89")))
        return Error(ErrorCode::IccidWrongPrefix, { digits.left(2) });
    if (digits.size() == 18) {
        const int check = luhnCheckDigit(digits);
        return Error(
            ErrorCode::IccidMissingCheckDigit, { digits, digits + QString::number(check) });
    }
    const int expected = luhnCheckDigit(QStringView(digits).chopped(1));
    if (expected != digits.back().unicode() - '0')
        return Error(ErrorCode::IccidBadCheckDigit,
            { digits, QString(digits.back()), QString::number(expected) });
    return digits;
}

Result<QString> completeIccid(QStringView input)
{
    Result<QString> iccid = normalizeIccid(input);
    if (!iccid && iccid.error().code == ErrorCode::IccidMissingCheckDigit)
        return iccid.error().args.at(1);
    return iccid;
}

Result<QString> normalizeMsisdn(QStringView input)
{
    QChar bad;
    int badPos = 0;
    // "+49 (0)151 …": the bracketed 0 is the national trunk prefix, dialled only from inside the
    // country, and is never part of the international number.
    QString written = input.toString();
    written.replace(QLatin1String("(0)"), QLatin1String(" "));
    QString s = stripSeparators(written, true, &bad, &badPos, true);
    if (!bad.isNull())
        return Error(ErrorCode::MsisdnInvalidCharacter, { QString(bad), QString::number(badPos) });
    if (s.isEmpty() || s == QLatin1String("+"))
        return Error(ErrorCode::MsisdnEmpty);

    const QString shown = input.trimmed().toString();
    QString digits;
    if (s.startsWith(QLatin1Char('+'))) {
        digits = s.mid(1);
    } else if (s.startsWith(QLatin1String("00"))) {
        digits = s.mid(2); // international call prefix used in most of the world
    } else if (s.startsWith(QLatin1Char('0'))) {
        return Error(ErrorCode::MsisdnNationalFormat, { shown });
    } else {
        digits = s;
    }
    if (digits.startsWith(QLatin1Char('0')))
        return Error(ErrorCode::MsisdnCountryCodeZero, { shown });
    if (digits.size() < 7)
        return Error(ErrorCode::MsisdnTooShort, { shown, QString::number(digits.size()) });
    if (digits.size() > 15)
        return Error(ErrorCode::MsisdnTooLong, { shown, QString::number(digits.size()) });
    return QLatin1Char('+') + digits;
}

Result<QString> normalizeImsi(QStringView input)
{
    return digitsOfLength(
        input, ErrorCode::ImsiInvalidCharacter, ErrorCode::ImsiWrongLength, 6, 15);
}

Result<QString> normalizePin(QStringView input)
{
    return digitsOfLength(input, ErrorCode::PinInvalidCharacter, ErrorCode::PinWrongLength, 4, 8);
}

Result<QString> normalizePuk(QStringView input)
{
    return digitsOfLength(input, ErrorCode::PukInvalidCharacter, ErrorCode::PukWrongLength, 8, 8);
}

Result<SimType> parseSimType(QStringView input)
{
    QString key = input.trimmed().toString().toLower();
    key.replace(QLatin1Char('_'), QLatin1Char('-')).replace(QLatin1Char(' '), QLatin1Char('-'));
    if (key == QLatin1String("dataonly") || key == QLatin1String("data"))
        key = QStringLiteral("data-only");
    if (std::optional<SimType> type = simTypeFromKey(key))
        return *type;
    return Error(ErrorCode::SimTypeUnknown, { input.trimmed().toString() });
}

} // namespace simdesk::validation
