// SPDX-License-Identifier: MIT
#pragma once

#include "import/importservice.h"

#include <QAbstractTableModel>

#include <vector>

namespace simdesk {

// Every row of a checked file, compact enough for a million rows (about 60 bytes a row: the
// shown values in one UTF-8 arena, a status byte, the line). Filled on the validating thread by
// ImportPreviewCollector, then handed to the model whole.
struct ImportPreviewRows
{
    std::vector<qint64> lines;
    std::vector<quint32> offsets; // start of each row's text in `text` (then one more: the end)
    std::vector<quint8> status; // RowStatus
    std::vector<quint8> secrets; // bit 0: has PIN, bit 1: has PUK
    QByteArray text; // per row: ICCID \x1f MSISDN \x1f IMSI \x1f type
    std::vector<qint32> problemRows; // rows whose status is not Valid (finish())

    qsizetype size() const { return qsizetype(lines.size()); }
    void append(const PreviewRow &row);
    // The row whose line is `line`, or -1 (lines increase through the file).
    qsizetype indexOfLine(qint64 line) const;
    QString field(qsizetype row, int field) const;
    // Once every row is in: the index of the rows with a problem, for the "only problems" filter.
    // On the checking thread, so that the GUI thread only swaps the finished data in.
    void finish();
};

// The validation preview (wizard step c): a virtual table over ImportPreviewRows and the
// summary's problems, each problem highlighted in its cell, optionally only the rows with one.
class ImportPreviewModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // The problem beside the outcome: on a laptop screen both are what the eye looks for first.
    enum Column {
        LineColumn,
        OutcomeColumn,
        ProblemColumn,
        IccidColumn,
        MsisdnColumn,
        ImsiColumn,
        TypeColumn,
        SecretsColumn,
        ColumnCount
    };

    explicit ImportPreviewModel(QObject *parent = nullptr);

    // Takes the rows and the summary of a finished validation.
    void setPreview(ImportPreviewRows rows, const ImportSummary &summary);
    void clear();
    void setOnlyProblems(bool only);
    bool onlyProblems() const { return m_onlyProblems; }
    // Whether every row has reached the view: a big preview is handed to it in chunks
    // (kFirstRows at once, then kChunkRows per turn of the event loop), so that no single step
    // keeps the GUI thread busy for long — a view told of a million rows at once spends tens of
    // milliseconds laying out its header.
    bool isComplete() const { return m_shown == m_rows.size(); }
    static constexpr qsizetype kFirstRows = 20000;
    static constexpr qsizetype kChunkRows = 50000;

    // Problems per kind, largest first: (kind shown to the user, count).
    QList<QPair<QString, qint64>> problemCounts() const;
    // Every listed problem as CSV (line, column, code, message, the row's values): for "Save
    // problems as CSV".
    QByteArray problemsCsv() const;
    // The short name of a kind of problem (ErrorCode), for the counts.
    static QString problemKindName(const Error &error);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    // Every row is in the view now.
    void completed();

private:
    QStringList cellProblems(qsizetype row, int column) const;
    bool fieldHasProblem(qsizetype row, const QString &field) const;
    QVariant displayData(qsizetype row, int column) const;
    void showMore(quint64 generation);
    qsizetype sourceRow(int row) const;
    // The problems of a line: [first, last) in m_problems (sorted by line).
    std::pair<qsizetype, qsizetype> problemsOf(qint64 line) const;
    static QString outcomeText(RowStatus status);

    ImportPreviewRows m_rows;
    QList<ImportIssue> m_problems;
    qint64 m_problemsNotListed = 0;
    std::vector<qint32> m_problemRows; // rows with a problem (status not Valid)
    bool m_onlyProblems = false;
    qsizetype m_shown = 0; // rows the view has been told of (unfiltered)
    quint64 m_generation = 0; // a chunk of an older preview is dropped
};

} // namespace simdesk
