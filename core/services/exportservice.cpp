// SPDX-License-Identifier: MIT
#include "services/exportservice.h"

#include "db/copystream.h"

#include <QCoreApplication>

namespace simdesk {

namespace {

const QStringList kHeader { QStringLiteral("iccid"), QStringLiteral("type"),
    QStringLiteral("msisdn"), QStringLiteral("imsi") };

// Characters that make a spreadsheet program read a cell as a formula (or as a signed number):
// OWASP's list, and the full-width forms that some programs take for the same.
bool startsFormula(QChar c)
{
    return c == u'=' || c == u'+' || c == u'-' || c == u'@' || c == u'\t' || c == u'\r'
        || c == QChar(0xFF1D) || c == QChar(0xFF0B) || c == QChar(0xFF0D) || c == QChar(0xFF20);
}

// One line of CSV from the cells, as `flavour` writes them.
QByteArray csvLine(const QStringList &cells, CsvFlavour flavour)
{
    QByteArray line;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            line += ',';
        // Reimportable: ICCIDs, type keys, "+" and digits, nothing to quote.
        line += flavour == CsvFlavour::SpreadsheetSafe ? ExportService::spreadsheetCell(cells.at(i))
                                                       : cells.at(i).toUtf8();
    }
    line += '\n';
    return line;
}

// The fields of one row of COPY's text format: tab-separated (a tab in a value is escaped),
// \N for NULL, backslash escapes.
QStringList copyTextFields(QByteArrayView row)
{
    if (row.endsWith('\n'))
        row.chop(1);
    QStringList fields;
    for (QByteArrayView raw : QByteArray::fromRawData(row.data(), row.size()).split('\t')) {
        if (raw == "\\N") {
            fields.append(QString());
            continue;
        }
        QByteArray field;
        for (qsizetype i = 0; i < raw.size(); ++i) {
            char c = raw.at(i);
            if (c == '\\' && i + 1 < raw.size()) {
                c = raw.at(++i);
                c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
            }
            field += c;
        }
        fields.append(QString::fromUtf8(field));
    }
    return fields;
}

Error writeError(const QIODevice *out)
{
    return Error(ErrorCode::InvalidArgument,
        { QCoreApplication::translate("simdesk::ExportService",
            "Cannot write the export: %1. Check the disk and the file name.")
                .arg(out->errorString()) });
}

} // namespace

QByteArray ExportService::spreadsheetCell(QStringView value)
{
    QString cell = value.toString();
    if (!cell.isEmpty() && startsFormula(cell.front()))
        cell.prepend(QLatin1Char('\''));
    cell.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return '"' + cell.toUtf8() + '"';
}

Result<qint64> ExportService::exportCsv(
    QIODevice *out, std::optional<SimStatus> status, CsvFlavour flavour)
{
    // statusKey() is one of six fixed words: safe to put in the statement.
    const QString where
        = status ? QStringLiteral("WHERE status = '%1'").arg(statusKey(*status)) : QString();
    const QString select
        = QStringLiteral("SELECT iccid, sim_type AS type, msisdn, imsi FROM sim_cards %1 ORDER BY "
                         "iccid")
              .arg(where);
    Result<qint64> rows = Error(ErrorCode::InvalidArgument);
    if (flavour == CsvFlavour::Reimportable) {
        rows = copyOut(m_db,
            QStringLiteral("COPY (%1) TO STDOUT WITH (FORMAT csv, HEADER)").arg(select),
            [out](const QByteArray &block) { return out->write(block) == block.size(); });
    } else {
        // COPY's text format, one row per call, each rewritten cell by cell.
        if (out->write(csvLine(kHeader, flavour)) < 0)
            return writeError(out);
        rows = copyOut(m_db, QStringLiteral("COPY (%1) TO STDOUT").arg(select),
            [out, flavour](const QByteArray &row) {
                const QByteArray line = csvLine(copyTextFields(row), flavour);
                return out->write(line) == line.size();
            });
    }
    if (!rows && rows.error().code == ErrorCode::ImportCancelled)
        return writeError(out);
    return rows;
}

Result<qint64> ExportService::exportCsv(QIODevice *out, const SimListFilter &filter,
    const std::function<bool(qint64 rows)> &progress, CsvFlavour flavour)
{
    constexpr int kPage = 2000;
    const SimListQuery query(m_db);
    const SimListSort byIccid { SimListSortKey::Iccid, Qt::AscendingOrder };
    if (out->write(csvLine(kHeader, flavour)) < 0)
        return writeError(out);
    qint64 rows = 0;
    Result<SimListPage> page = query.firstPage(filter, byIccid, kPage);
    while (page) {
        QByteArray block;
        for (const SimListRow &r : page->rows)
            block += csvLine({ r.iccid, simTypeKey(r.type), r.msisdn, r.imsi }, flavour);
        if (out->write(block) != block.size())
            return writeError(out);
        rows += page->rows.size();
        if (progress && !progress(rows))
            return Error(ErrorCode::ImportCancelled);
        if (page->rows.size() < kPage)
            return rows;
        page = query.pageAfter(filter, byIccid,
            SimListQuery::cursorOf(page->rows.constLast(), SimListSortKey::Iccid), kPage);
    }
    return page.error();
}

Result<qint64> ExportService::exportCodesCsv(
    QIODevice *out, const CodeListFilter &filter, const std::function<bool(qint64 rows)> &progress)
{
    constexpr int kPage = 2000;
    const CodeListQuery query(m_db);
    const CodeSort byCode { CodeSortKey::Code, Qt::AscendingOrder };
    const QStringList header { QStringLiteral("code"), QStringLiteral("status"),
        QStringLiteral("expires_at"), QStringLiteral("batch"), QStringLiteral("used_at"),
        QStringLiteral("iccid") };
    if (out->write(csvLine(header, CsvFlavour::SpreadsheetSafe)) < 0)
        return writeError(out);
    auto iso = [](const std::optional<QDateTime> &t) {
        return t ? t->toUTC().toString(Qt::ISODate) : QString();
    };
    qint64 rows = 0;
    Result<CodeListPage> page = query.firstPage(filter, byCode, kPage);
    while (page) {
        QByteArray block;
        for (const CodeListRow &r : page->rows)
            block += csvLine({ r.code, codeStatusKey(r.status), iso(r.expiresAt), r.batchLabel,
                                 iso(r.usedAt), r.iccid },
                CsvFlavour::SpreadsheetSafe);
        if (out->write(block) != block.size())
            return writeError(out);
        rows += page->rows.size();
        if (progress && !progress(rows))
            return Error(ErrorCode::ImportCancelled);
        if (page->atEnd)
            return rows;
        page = query.pageAfter(
            filter, byCode, CodeListQuery::cursorOf(page->rows.constLast()), kPage);
    }
    return page.error();
}

} // namespace simdesk
