// SPDX-License-Identifier: MIT
#include "domain/customersearch.h"

#include <QRegularExpression>

namespace simdesk::customersearch {

namespace {

// Letters that are not a base letter plus marks, so canonical decomposition leaves them as
// they are, but which the unaccent dictionary spells out.
QString spelledOut(QChar c)
{
    switch (c.unicode()) {
    case 0x00DF:
        return QStringLiteral("ss"); // ß
    case 0x1E9E:
        return QStringLiteral("SS"); // ẞ
    case 0x00C6:
        return QStringLiteral("AE"); // Æ
    case 0x00E6:
        return QStringLiteral("ae"); // æ
    case 0x0152:
        return QStringLiteral("OE"); // Œ
    case 0x0153:
        return QStringLiteral("oe"); // œ
    case 0x00D8:
        return QStringLiteral("O"); // Ø
    case 0x00F8:
        return QStringLiteral("o"); // ø
    case 0x0141:
        return QStringLiteral("L"); // Ł
    case 0x0142:
        return QStringLiteral("l"); // ł
    case 0x0110:
        return QStringLiteral("D"); // Đ
    case 0x0111:
        return QStringLiteral("d"); // đ
    case 0x00D0:
        return QStringLiteral("D"); // Ð
    case 0x00F0:
        return QStringLiteral("d"); // ð
    case 0x00DE:
        return QStringLiteral("TH"); // Þ
    case 0x00FE:
        return QStringLiteral("th"); // þ
    case 0x0131:
        return QStringLiteral("i"); // ı
    case 0x0126:
        return QStringLiteral("H"); // Ħ
    case 0x0127:
        return QStringLiteral("h"); // ħ
    default:
        return {};
    }
}

} // namespace

QString fold(QStringView text)
{
    const QString decomposed = text.toString().normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (QChar c : decomposed) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        const QString spelled = spelledOut(c);
        out += spelled.isEmpty() ? QString(c) : spelled;
    }
    return out.toLower();
}

bool looksLikePhone(QStringView text)
{
    static const QRegularExpression phone(
        QStringLiteral("^\\s*\\+?[\\d\\s().\\-/]*\\d[\\d\\s().\\-/]*$"));
    return phone.match(text.toString()).hasMatch();
}

QStringList terms(QStringView input)
{
    const QString trimmed = input.trimmed().toString();
    if (trimmed.isEmpty())
        return {};
    if (looksLikePhone(trimmed)) {
        QString digits = trimmed;
        // "+49 (0)151": the trunk zero written for national callers is not part of the number.
        static const QRegularExpression trunk(QStringLiteral("\\(\\s*0\\s*\\)"));
        if (digits.startsWith(QLatin1Char('+')) || digits.startsWith(QLatin1String("00")))
            digits.replace(trunk, QString());
        static const QRegularExpression separators(QStringLiteral("[\\s().\\-/]"));
        digits.remove(separators);
        return { digits };
    }
    static const QRegularExpression space(QStringLiteral("\\s+"));
    return fold(trimmed).split(space, Qt::SkipEmptyParts);
}

QString containsPattern(QStringView term)
{
    QString escaped;
    escaped.reserve(term.size() + 2);
    escaped += QLatin1Char('%');
    for (QChar c : term) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    escaped += QLatin1Char('%');
    return escaped;
}

} // namespace simdesk::customersearch
