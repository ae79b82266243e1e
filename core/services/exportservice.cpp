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

} // namespace simdesk
