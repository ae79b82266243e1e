// SPDX-License-Identifier: MIT
#include "domain/printable.h"

#include <algorithm>

namespace simdesk {

namespace {

// Characters that move the cursor, change the terminal or the direction of the text around
// them, rather than showing a glyph.
bool needsEscape(char32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F
        || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069);
}

void appendEscaped(QString &out, char32_t c)
{
    switch (c) {
    case '\t':
        out += QLatin1String("\\t");
        return;
    case '\n':
        out += QLatin1String("\\n");
        return;
    case '\r':
        out += QLatin1String("\\r");
        return;
    default:
        break;
    }
    const bool byte = c <= 0xFF;
    out += byte ? QLatin1String("\\x") : QLatin1String("\\u");
    out += QString::number(uint(c), 16).toUpper().rightJustified(byte ? 2 : 4, QLatin1Char('0'));
}

} // namespace

QString printable(QStringView text, qsizetype maxLength)
{
    QString out;
    out.reserve(std::min(text.size(), maxLength) + 8);
    qsizetype points = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (points == maxLength) {
            out += QChar(0x2026);
            break;
        }
        ++points;
        const QChar unit = text.at(i);
        if (unit.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            out += unit;
            out += text.at(++i);
            continue;
        }
        if (unit.isSurrogate()) {
            out += QChar(QChar::ReplacementCharacter);
            continue;
        }
        if (needsEscape(unit.unicode()))
            appendEscaped(out, unit.unicode());
        else
            out += unit;
    }
    return out;
}

} // namespace simdesk
