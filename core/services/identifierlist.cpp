// SPDX-License-Identifier: MIT
#include "services/identifierlist.h"

#include "domain/validation.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace simdesk {

namespace {

// Appends `value` and its line unless it is empty or already there (`seen` remembers what is).
void appendOnce(
    QStringList &list, QList<qint64> &lines, QSet<QString> &seen, const QString &value, qint64 line)
{
    if (value.isEmpty() || seen.contains(value))
        return;
    seen.insert(value);
    list.append(value);
    lines.append(line);
}

} // namespace

IdentifierList::IdentifierList(const QStringList &lines)
{
    QSet<QString> seenIccid;
    QSet<QString> seenMsisdn;
    QSet<QString> seenImsi;
    for (const QString &line : lines) {
        const QString t = line.trimmed();
        if (t.isEmpty())
            continue;
        const Candidates c = candidatesOf(t);
        m_lines.append(t);
        m_candidates.append(c);
        const qint64 n = m_lines.size();
        appendOnce(m_iccids, m_iccidLines, seenIccid, c.iccid, n);
        appendOnce(m_msisdns, m_msisdnLines, seenMsisdn, c.msisdn, n);
        appendOnce(m_imsis, m_imsiLines, seenImsi, c.imsi, n);
    }
}

IdentifierList::Candidates IdentifierList::candidatesOf(const QString &line)
{
    Candidates c;
    const QString digits = searchDigits(line);
    if (digits.isEmpty())
        return c;
    // A leading + or 00 is an international phone number: ICCIDs start with 89 and IMSIs with a
    // country code (2-7), so neither is looked for.
    const bool phone = line.startsWith(QLatin1Char('+')) || line.startsWith(QLatin1String("00"));
    if (Result<QString> msisdn = validation::normalizeMsisdn(digits))
        c.msisdn = *msisdn;
    if (phone)
        return c;
    if (Result<QString> iccid = validation::completeIccid(digits))
        c.iccid = *iccid;
    if (Result<QString> imsi = validation::normalizeImsi(digits))
        c.imsi = *imsi;
    return c;
}

SimListMatches IdentifierList::matches(QList<SimListRow> found) const
{
    QHash<QString, int> byIccid;
    QHash<QString, int> byMsisdn;
    QHash<QString, int> byImsi;
    for (int i = 0; i < found.size(); ++i) {
        const SimListRow &row = found.at(i);
        byIccid.insert(row.iccid, i);
        if (!row.msisdn.isEmpty())
            byMsisdn.insert(row.msisdn, i);
        if (!row.imsi.isEmpty())
            byImsi.insert(row.imsi, i);
    }
    SimListMatches result;
    QSet<qint64> taken;
    for (int n = 0; n < m_lines.size(); ++n) {
        const Candidates &c = m_candidates.at(n);
        QList<int> hits;
        if (!c.iccid.isEmpty() && byIccid.contains(c.iccid))
            hits << byIccid.value(c.iccid);
        if (!c.msisdn.isEmpty() && byMsisdn.contains(c.msisdn))
            hits << byMsisdn.value(c.msisdn);
        if (!c.imsi.isEmpty() && byImsi.contains(c.imsi))
            hits << byImsi.value(c.imsi);
        if (hits.isEmpty()) {
            result.notFound << m_lines.at(n);
            continue;
        }
        for (int i : hits) {
            // Each card once: moved out the first time a line names it.
            if (!taken.contains(found[i].id)) {
                taken.insert(found[i].id);
                result.rows.append(std::move(found[i]));
            }
        }
    }
    return result;
}

QStringList IdentifierList::split(const QString &text)
{
    static const QRegularExpression lineBreak(QStringLiteral("[\\r\\n]+"));
    QStringList lines;
    for (const QString &line : text.split(lineBreak, Qt::SkipEmptyParts)) {
        const QString t = line.trimmed();
        if (!t.isEmpty())
            lines << t;
    }
    return lines;
}

QString IdentifierList::tailDigits(const QString &input)
{
    const QString t = input.trimmed();
    QString digits;
    digits.reserve(t.size());
    for (int i = t.startsWith(QLatin1Char('+')) ? 1 : 0; i < t.size(); ++i) {
        const QChar ch = t.at(i);
        if (ch >= QLatin1Char('0') && ch <= QLatin1Char('9'))
            digits.append(ch);
        else if (ch != QLatin1Char(' ') && ch != QLatin1Char('-') && ch != QLatin1Char('.')
            && ch != QLatin1Char('/') && ch != QLatin1Char('(') && ch != QLatin1Char(')')
            && ch != QLatin1Char('\t') && ch != QChar(0x00A0))
            return {};
    }
    return digits;
}

QString IdentifierList::searchDigits(const QString &input)
{
    QString digits = tailDigits(input);
    if (!input.trimmed().startsWith(QLatin1Char('+')) && digits.startsWith(QLatin1String("00")))
        digits.remove(0, 2);
    return digits;
}

} // namespace simdesk
