// SPDX-License-Identifier: MIT
#include "services/exportservice.h"

#include "db/copystream.h"

#include <QCoreApplication>

namespace simdesk {

Result<qint64> ExportService::exportCsv(QIODevice *out, std::optional<SimStatus> status)
{
    // statusKey() is one of six fixed words: safe to put in the statement.
    const QString where
        = status ? QStringLiteral("WHERE status = '%1'").arg(statusKey(*status)) : QString();
    const QString sql = QStringLiteral(
        "COPY (SELECT iccid, sim_type AS type, msisdn, imsi FROM sim_cards %1 ORDER BY iccid) "
        "TO STDOUT WITH (FORMAT csv, HEADER)")
                            .arg(where);
    Result<qint64> rows = copyOut(
        m_db, sql, [out](const QByteArray &block) { return out->write(block) == block.size(); });
    if (!rows && rows.error().code == ErrorCode::ImportCancelled)
        return Error(ErrorCode::InvalidArgument,
            { QCoreApplication::translate("simdesk::ExportService",
                "Cannot write the export: %1. Check the disk and the file name.")
                    .arg(out->errorString()) });
    return rows;
}

Result<qint64> ExportService::exportCsv(QIODevice *out, const SimListFilter &filter,
    const std::function<bool(qint64 rows)> &progress)
{
    constexpr int kPage = 2000;
    const SimListQuery query(m_db);
    const SimListSort byIccid { SimListSortKey::Iccid, Qt::AscendingOrder };
    auto writeError = [out] {
        return Error(ErrorCode::InvalidArgument,
            { QCoreApplication::translate("simdesk::ExportService",
                "Cannot write the export: %1. Check the disk and the file name.")
                    .arg(out->errorString()) });
    };
    if (out->write("iccid,type,msisdn,imsi\n") < 0)
        return writeError();
    qint64 rows = 0;
    Result<SimListPage> page = query.firstPage(filter, byIccid, kPage);
    while (page) {
        QByteArray block;
        for (const SimListRow &r : page->rows) {
            // Digits, "+" and the type keys: nothing to quote.
            block += r.iccid.toLatin1() + ',' + simTypeKey(r.type).toLatin1() + ',' + r.msisdn.toLatin1()
                + ',' + r.imsi.toLatin1() + '\n';
        }
        if (out->write(block) != block.size())
            return writeError();
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

} // namespace simdesk
