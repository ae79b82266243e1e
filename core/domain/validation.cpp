// SPDX-License-Identifier: MIT
#include "domain/validation.h"

#include "domain/printable.h"

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
// On a character that is neither kept nor stripped, `bad` gets it (printable(): it may be any
// character a file holds) and `badPos` its 1-based position in the input.
QString stripSeparators(QStringView input, bool alsoPunctuation, QString *bad, int *badPos,
    bool allowLeadingPlus = false)
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
        } else if (bad->isEmpty()) {
            const bool pair
                = c.isHighSurrogate() && i + 1 < input.size() && input.at(i + 1).isLowSurrogate();
            *bad = printable(input.sliced(i, pair ? 2 : 1));
            *badPos = int(i + 1);
        }
    }
    return out;
}

// Strips separators and requires only digits to remain.
Result<QString> digitsOnly(QStringView input, ErrorCode invalidCharacter)
{
    QString bad;
    int badPos = 0;
    QString digits = stripSeparators(input, false, &bad, &badPos);
    if (!bad.isEmpty())
        return Error(invalidCharacter, { bad, QString::number(badPos) });
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
    QString bad;
    int badPos = 0;
    // "+49 (0)151 …": the bracketed 0 is the national trunk prefix, dialled only from inside the
    // country, and is never part of the international number.
    QString written = input.toString();
    written.replace(QLatin1String("(0)"), QLatin1String(" "));
    QString s = stripSeparators(written, true, &bad, &badPos, true);
    if (!bad.isEmpty())
        return Error(ErrorCode::MsisdnInvalidCharacter, { bad, QString::number(badPos) });
    if (s.isEmpty() || s == QLatin1String("+"))
        return Error(ErrorCode::MsisdnEmpty);

    const QString shown = printable(input.trimmed());
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

bool isReasonSpace(char32_t c)
{
    switch (c) {
    case 0x0009:
    case 0x000A:
    case 0x000B:
    case 0x000C:
    case 0x000D:
    case 0x0020:
    case 0x0085:
    case 0x00A0:
    case 0x1680:
    case 0x2000:
    case 0x2001:
    case 0x2002:
    case 0x2003:
    case 0x2004:
    case 0x2005:
    case 0x2006:
    case 0x2007:
    case 0x2008:
    case 0x2009:
    case 0x200A:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    // Not White_Space, but invisible and pasted along: a reason of only these says nothing.
    case 0x180E:
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
        return true;
    default:
        return false;
    }
}

Result<QString> normalizeReason(QStringView input)
{
    // Walks code points, not UTF-16 units (the limit counts what PostgreSQL's char_length()
    // counts), and never copies more than the reason it keeps: a 16 MB paste costs one scan.
    const auto isPair = [&input](qsizetype high) {
        return high + 1 < input.size() && input.at(high).isHighSurrogate()
            && input.at(high + 1).isLowSurrogate();
    };
    qsizetype begin = 0;
    qsizetype end = input.size();
    while (begin < end) {
        const qsizetype width = isPair(begin) ? 2 : 1;
        const char32_t c = width == 2 ? QChar::surrogateToUcs4(input.at(begin), input.at(begin + 1))
                                      : input.at(begin).unicode();
        if (!isReasonSpace(c))
            break;
        begin += width;
    }
    // Every reason space is in the Basic Multilingual Plane: the last unit alone decides.
    while (end > begin && !input.at(end - 1).isSurrogate()
        && isReasonSpace(input.at(end - 1).unicode()))
        --end;
    if (begin == end)
        return Error(ErrorCode::ReasonMissing);
    qsizetype points = 0;
    for (qsizetype i = begin; i < end; i += isPair(i) ? 2 : 1) {
        if (++points > kMaxReasonLength)
            return Error(ErrorCode::ReasonTooLong, { QString::number(kMaxReasonLength) });
    }
    return input.sliced(begin, end - begin).toString();
}

Result<SimType> parseSimType(QStringView input)
{
    QString key = input.trimmed().toString().toLower();
    key.replace(QLatin1Char('_'), QLatin1Char('-')).replace(QLatin1Char(' '), QLatin1Char('-'));
    if (key == QLatin1String("dataonly") || key == QLatin1String("data"))
        key = QStringLiteral("data-only");
    if (std::optional<SimType> type = simTypeFromKey(key))
        return *type;
    return Error(ErrorCode::SimTypeUnknown, { printable(input.trimmed()) });
}

} // namespace simdesk::validation
