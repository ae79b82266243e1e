// SPDX-License-Identifier: MIT
#include "importpreviewmodel.h"

#include "common/palette.h"

#include "common/csvfield.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QHash>
#include <QLocale>
#include <QPalette>
#include <QTimer>

#include <algorithm>

namespace simdesk {

namespace {

constexpr char kSeparator = '\x1f';

QString columnOfField(int column)
{
    switch (column) {
    case ImportPreviewModel::IccidColumn:
        return QStringLiteral("iccid");
    case ImportPreviewModel::MsisdnColumn:
        return QStringLiteral("msisdn");
    case ImportPreviewModel::ImsiColumn:
        return QStringLiteral("imsi");
    case ImportPreviewModel::TypeColumn:
        return QStringLiteral("type");
    case ImportPreviewModel::SecretsColumn:
        return QStringLiteral("pin,puk");
    default:
        return {};
    }
}

} // namespace

void ImportPreviewRows::append(const PreviewRow &row)
{
    lines.push_back(row.line);
    offsets.push_back(quint32(text.size()));
    // A field never holds the separator: the core rules allow digits, the raw text of a bad
    // field is cut at it (it only has to be recognisable).
    auto add = [this](const QString &v) {
        text += v.toUtf8().replace(kSeparator, ' ');
    };
    add(row.iccid);
    text += kSeparator;
    add(row.msisdn);
    text += kSeparator;
    add(row.imsi);
    text += kSeparator;
    add(row.type);
    status.push_back(quint8(row.status));
    secrets.push_back(quint8((row.hasPin ? 1 : 0) | (row.hasPuk ? 2 : 0)));
}

void ImportPreviewRows::finish()
{
    problemRows.clear();
    for (size_t i = 0; i < status.size(); ++i) {
        if (status[i] != quint8(RowStatus::Valid))
            problemRows.push_back(qint32(i));
    }
}

qsizetype ImportPreviewRows::indexOfLine(qint64 line) const
{
    const auto it = std::lower_bound(lines.cbegin(), lines.cend(), line);
    return it != lines.cend() && *it == line ? qsizetype(it - lines.cbegin()) : -1;
}

QString ImportPreviewRows::field(qsizetype row, int field) const
{
    const qsizetype start = offsets[size_t(row)];
    const qsizetype end
        = size_t(row) + 1 < offsets.size() ? qsizetype(offsets[size_t(row) + 1]) : text.size();
    qsizetype from = start;
    for (int f = 0; f < field; ++f) {
        const qsizetype sep = text.indexOf(kSeparator, from);
        if (sep < 0 || sep >= end)
            return {};
        from = sep + 1;
    }
    qsizetype to = text.indexOf(kSeparator, from);
    if (to < 0 || to > end)
        to = end;
    return QString::fromUtf8(text.constData() + from, to - from);
}

ImportPreviewModel::ImportPreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ImportPreviewModel::setPreview(ImportPreviewRows rows, const ImportSummary &summary)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_problems = summary.problems;
    // In file order, so that a row's problems are found by binary search. Core lists them so
    // already; sorting is only the fallback (it copies up to 100,000 problems).
    auto byLine = [](const ImportIssue &a, const ImportIssue &b) {
        return a.line < b.line;
    };
    if (!std::is_sorted(m_problems.cbegin(), m_problems.cend(), byLine))
        std::stable_sort(m_problems.begin(), m_problems.end(), byLine);
    m_problemsNotListed = summary.problemsNotListed;
    if (m_rows.problemRows.empty() && m_rows.size() > 0)
        m_rows.finish(); // not done by the caller
    m_problemRows = std::move(m_rows.problemRows);
    m_shown = qMin(m_rows.size(), kFirstRows);
    const quint64 generation = ++m_generation;
    endResetModel();
    if (isComplete())
        emit completed();
    else
        QTimer::singleShot(0, this, [this, generation] { showMore(generation); });
}

void ImportPreviewModel::showMore(quint64 generation)
{
    if (generation != m_generation || isComplete())
        return;
    const qsizetype count = qMin(m_rows.size() - m_shown, kChunkRows);
    // The filtered view already has all its rows; only the count grows behind it.
    if (!m_onlyProblems)
        beginInsertRows({}, int(m_shown), int(m_shown + count - 1));
    m_shown += count;
    if (!m_onlyProblems)
        endInsertRows();
    if (isComplete())
        emit completed();
    else
        QTimer::singleShot(0, this, [this, generation] { showMore(generation); });
}

void ImportPreviewModel::clear()
{
    beginResetModel();
    m_rows = {};
    m_problems.clear();
    m_problemRows.clear();
    m_problemsNotListed = 0;
    m_shown = 0;
    ++m_generation;
    endResetModel();
}

void ImportPreviewModel::setOnlyProblems(bool only)
{
    if (only == m_onlyProblems)
        return;
    beginResetModel();
    m_onlyProblems = only;
    endResetModel();
}

qsizetype ImportPreviewModel::sourceRow(int row) const
{
    return m_onlyProblems ? qsizetype(m_problemRows[size_t(row)]) : qsizetype(row);
}

std::pair<qsizetype, qsizetype> ImportPreviewModel::problemsOf(qint64 line) const
{
    auto byLine = [](const ImportIssue &i, qint64 l) {
        return i.line < l;
    };
    const auto first = std::lower_bound(m_problems.cbegin(), m_problems.cend(), line, byLine);
    auto last = first;
    while (last != m_problems.cend() && last->line == line)
        ++last;
    return { first - m_problems.cbegin(), last - m_problems.cbegin() };
}

int ImportPreviewModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_onlyProblems ? qsizetype(m_problemRows.size()) : m_shown);
}

int ImportPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ImportPreviewModel::outcomeText(RowStatus status)
{
    switch (status) {
    case RowStatus::Valid:
        return tr("Will be imported");
    case RowStatus::Invalid:
        return tr("Invalid");
    case RowStatus::DuplicateInFile:
        return tr("Duplicate in the file");
    case RowStatus::AlreadyInDatabase:
        return tr("Already in SimDesk");
    }
    return {};
}

QStringList ImportPreviewModel::cellProblems(qsizetype row, int column) const
{
    // The problems of this cell: those of its column, or of the whole row for the outcome.
    QStringList messages;
    if (RowStatus(m_rows.status[size_t(row)]) == RowStatus::Valid)
        return messages;
    const auto [first, last] = problemsOf(m_rows.lines[size_t(row)]);
    const QString field = columnOfField(column);
    for (qsizetype i = first; i < last; ++i) {
        const ImportIssue &p = m_problems.at(i);
        const bool here = column == ProblemColumn || (column == OutcomeColumn && p.column.isEmpty())
            || (!field.isEmpty() && !p.column.isEmpty() && field.contains(p.column));
        if (here)
            messages.append(p.error.message());
    }
    return messages;
}

bool ImportPreviewModel::fieldHasProblem(qsizetype row, const QString &field) const
{
    if (RowStatus(m_rows.status[size_t(row)]) == RowStatus::Valid)
        return false;
    const auto [first, last] = problemsOf(m_rows.lines[size_t(row)]);
    for (qsizetype i = first; i < last; ++i) {
        if (m_problems.at(i).column == field)
            return true;
    }
    return false;
}

QVariant ImportPreviewModel::displayData(qsizetype row, int column) const
{
    const auto status = RowStatus(m_rows.status[size_t(row)]);
    switch (column) {
    case LineColumn:
        return m_rows.lines[size_t(row)];
    case OutcomeColumn:
        return outcomeText(status);
    case IccidColumn:
    case MsisdnColumn:
    case ImsiColumn:
    case TypeColumn:
        return m_rows.field(row, column - IccidColumn);
    case SecretsColumn: {
        // The values are never shown: only which were given, and which of them is wrong, so
        // that a highlighted cell names the field its problem is about.
        const quint8 s = m_rows.secrets[size_t(row)];
        const bool badPin = fieldHasProblem(row, QStringLiteral("pin"));
        const bool badPuk = fieldHasProblem(row, QStringLiteral("puk"));
        QStringList parts;
        if (badPin)
            parts << tr("PIN invalid");
        else if (s & 1)
            parts << tr("PIN");
        if (badPuk)
            parts << tr("PUK invalid");
        else if (s & 2)
            parts << tr("PUK");
        return parts.join(QStringLiteral(" + "));
    }
    case ProblemColumn: {
        const QStringList messages = cellProblems(row, column);
        if (messages.isEmpty() && status != RowStatus::Valid)
            return tr("(not listed: more than %L1 problems)")
                .arg(ImportSummary::kMaxListedProblems);
        return messages.join(QStringLiteral(" · "));
    }
    default:
        return {};
    }
}

QVariant ImportPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const qsizetype row = sourceRow(index.row());
    const auto status = RowStatus(m_rows.status[size_t(row)]);
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case Qt::ToolTipRole: {
        const QStringList messages = cellProblems(row, column);
        return messages.isEmpty() ? QVariant() : QVariant(messages.join(QLatin1Char('\n')));
    }
    case Qt::BackgroundRole:
    case Qt::ForegroundRole: {
        // A refused row's outcome and a cell with a problem in the error tone; a row that is
        // only a duplicate in the warning tone. The tones come with their text colour, for
        // light and dark palettes alike.
        const bool marked = status != RowStatus::Valid && column != LineColumn
            && (column == OutcomeColumn
                || (column != ProblemColumn && !cellProblems(row, column).isEmpty()));
        if (!marked)
            return {};
        const Tone tone
            = column == OutcomeColumn && status != RowStatus::Invalid ? Tone::Warning : Tone::Error;
        const ToneColors c = toneColors(tone, QGuiApplication::palette());
        return QBrush(role == Qt::BackgroundRole ? c.background : c.text);
    }
    case Qt::TextAlignmentRole:
        return column == LineColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::UserRole: // the row's status, for tests and the filter
        return int(status);
    default:
        return {};
    }
}

QVariant ImportPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case LineColumn:
        return tr("Line");
    case OutcomeColumn:
        return tr("Outcome");
    case IccidColumn:
        return tr("ICCID");
    case MsisdnColumn:
        return tr("MSISDN");
    case ImsiColumn:
        return tr("IMSI");
    case TypeColumn:
        return tr("Type");
    case SecretsColumn:
        return tr("Secrets");
    case ProblemColumn:
        return tr("Problem");
    default:
        return {};
    }
}

QString ImportPreviewModel::problemKindName(const Error &error)
{
    switch (error.code) {
    case ErrorCode::IccidBadCheckDigit:
        return tr("ICCID check digit wrong (Luhn)");
    case ErrorCode::IccidMissingCheckDigit:
        return tr("ICCID without check digit");
    case ErrorCode::IccidWrongLength:
        return tr("ICCID of the wrong length");
    case ErrorCode::IccidWrongPrefix:
        return tr("ICCID not starting with 89");
    case ErrorCode::IccidInvalidCharacter:
        return tr("ICCID with other characters than digits");
    case ErrorCode::IccidEmpty:
        return tr("ICCID missing");
    case ErrorCode::MsisdnEmpty:
    case ErrorCode::MsisdnInvalidCharacter:
    case ErrorCode::MsisdnNationalFormat:
    case ErrorCode::MsisdnCountryCodeZero:
    case ErrorCode::MsisdnTooShort:
    case ErrorCode::MsisdnTooLong:
        return tr("MSISDN not a valid international number");
    case ErrorCode::ImsiInvalidCharacter:
    case ErrorCode::ImsiWrongLength:
        return tr("IMSI invalid");
    case ErrorCode::PinInvalidCharacter:
    case ErrorCode::PinWrongLength:
        return tr("PIN invalid");
    case ErrorCode::PukInvalidCharacter:
    case ErrorCode::PukWrongLength:
        return tr("PUK invalid");
    case ErrorCode::SimTypeUnknown:
        return tr("SIM type unknown");
    case ErrorCode::ImportTypeMissing:
        return tr("SIM type missing");
    case ErrorCode::ImportWrongFieldCount:
        return tr("Wrong number of fields");
    case ErrorCode::ImportDuplicateInFile:
        return tr("Duplicate in the file");
    case ErrorCode::ImportAlreadyInDatabase:
        return tr("Already in SimDesk");
    default:
        return error.key();
    }
}

QList<QPair<QString, qint64>> ImportPreviewModel::problemCounts() const
{
    // By code first: naming each of 100,000 problems would cost a translation look-up each.
    QHash<int, Error> examples;
    QHash<int, qint64> byCode;
    for (const ImportIssue &p : m_problems) {
        const int code = int(p.error.code);
        if (++byCode[code] == 1)
            examples.insert(code, p.error);
    }
    QHash<QString, qint64> counts;
    for (auto it = byCode.cbegin(); it != byCode.cend(); ++it)
        counts[problemKindName(*examples.constFind(it.key()))] += it.value();
    QList<QPair<QString, qint64>> list;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        list.append({ it.key(), it.value() });
    if (m_problemsNotListed > 0)
        list.append(
            { tr("Not listed (beyond the first %L1)").arg(ImportSummary::kMaxListedProblems),
                m_problemsNotListed });
    std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return list;
}

QByteArray ImportPreviewModel::problemsCsv() const
{
    QByteArray out("line,column,problem,message,iccid,msisdn,imsi,type\n");
    for (const ImportIssue &p : m_problems) {
        const qsizetype row = m_rows.indexOfLine(p.line);
        QList<QByteArray> fields { QByteArray::number(p.line), csvField(p.column),
            csvField(p.error.key()), csvField(p.error.message()) };
        for (int f = 0; f < 4; ++f)
            fields.append(csvField(row >= 0 ? m_rows.field(row, f) : QString()));
        out += fields.join(',');
        out += '\n';
    }
    return out;
}

} // namespace simdesk
