// SPDX-License-Identifier: MIT
#pragma once

#include "services/simlistquery.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace simdesk {

// A pasted list of card identifiers, one ICCID, MSISDN or IMSI a line, written any way
// core/domain/validation accepts it. Knows what to look for (each line's values, in the form the
// database stores) and which lines the cards found answer; it runs no query itself
// (SimListQuery::matchIdentifiers() does, with the statement SimListSql builds).
class IdentifierList
{
public:
    // Each line trimmed; empty ones dropped, the order kept. A line starting with + or 00 is
    // looked for as an MSISDN only (ICCIDs start with 89, IMSIs with a country code 2–7); an
    // 18-digit ICCID gets its check digit; a line that is no valid identifier of any kind looks
    // for nothing and is reported as not found.
    explicit IdentifierList(const QStringList &lines);

    const QStringList &lines() const { return m_lines; }
    qsizetype size() const { return m_lines.size(); }
    bool isEmpty() const { return m_lines.isEmpty(); }

    // The distinct values of each kind, in the order of the first line naming them: the arrays
    // a statement matches with `= ANY($n::text[])`. Never null, possibly empty.
    const QStringList &iccids() const { return m_iccids; }
    const QStringList &msisdns() const { return m_msisdns; }
    const QStringList &imsis() const { return m_imsis; }
    // For each value of iccids(), msisdns(), imsis(): the 1-based number of the first line
    // naming it, which places the cards found in the order the lines were pasted.
    const QList<qint64> &iccidLines() const { return m_iccidLines; }
    const QList<qint64> &msisdnLines() const { return m_msisdnLines; }
    const QList<qint64> &imsiLines() const { return m_imsiLines; }

    // Sorts the cards that matched any value into the answer: each card once, in the order of
    // the first line naming it (by ICCID, MSISDN or IMSI), and the lines that name no card, as
    // given, in input order. Cards named by no line are left out.
    SimListMatches matches(QList<SimListRow> found) const;

    // Splits pasted text into lines (trimmed, empty ones dropped, order kept).
    static QStringList split(const QString &text);
    // The digits of a typed or scanned identifier: separators (space, tab, no-break space, -, .,
    // /, brackets) and a leading + or 00 removed; empty when anything else is left.
    static QString searchDigits(const QString &input);
    // As searchDigits(), but a leading 00 is kept: it is an international prefix at the start
    // of a number and real digits at the end of one ("…00277").
    static QString tailDigits(const QString &input);

private:
    // The values one line stands for; empty where the line is no valid identifier of that kind.
    struct Candidates
    {
        QString iccid;
        QString msisdn;
        QString imsi;
    };
    static Candidates candidatesOf(const QString &line);

    QStringList m_lines;
    QList<Candidates> m_candidates; // one per line
    QStringList m_iccids;
    QStringList m_msisdns;
    QStringList m_imsis;
    QList<qint64> m_iccidLines;
    QList<qint64> m_msisdnLines;
    QList<qint64> m_imsiLines;
};

} // namespace simdesk
