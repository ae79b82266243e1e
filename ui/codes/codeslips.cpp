// SPDX-License-Identifier: MIT
#include "codes/codeslips.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QLocale>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>

namespace simdesk {

namespace {

constexpr int kColumns = 3;
constexpr int kRows = 8;
constexpr int kPage = 2000;

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::CodeSlips", text);
}

void drawSlip(QPainter &p, const QRectF &slip, const CodeListRow &row)
{
    const QLocale locale;
    p.setPen(QPen(Qt::gray, 0, Qt::DashLine));
    p.drawRect(slip);
    const QRectF inner = slip.adjusted(
        slip.width() * 0.06, slip.height() * 0.1, -slip.width() * 0.06, -slip.height() * 0.1);
    p.setPen(Qt::black);
    QFont small = p.font();
    small.setPointSizeF(7);
    p.setFont(small);
    p.drawText(inner, Qt::AlignTop | Qt::AlignLeft, tr("Activation code"));
    QFont code = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    code.setPointSizeF(row.code.size() > 16 ? 9 : 12);
    code.setBold(true);
    p.setFont(code);
    p.drawText(inner, Qt::AlignCenter, row.code);
    p.setFont(small);
    const QString expires = row.expiresAt
        ? tr("Valid until %1")
              .arg(locale.toString(row.expiresAt->toLocalTime().date(), QLocale::ShortFormat))
        : tr("Does not expire");
    p.drawText(inner, Qt::AlignBottom | Qt::AlignLeft, expires);
    p.drawText(inner, Qt::AlignBottom | Qt::AlignRight, row.batchLabel.left(30));
}

} // namespace

Result<qint64> writeCodeSlipsPdf(QSqlDatabase db, QIODevice *out, const CodeListFilter &filter,
    const std::function<bool(qint64 rows)> &progress)
{
    QPdfWriter pdf(out);
    pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
        QMarginsF(10, 10, 10, 10), QPageLayout::Millimeter));
    pdf.setTitle(tr("Activation codes"));
    pdf.setCreator(QStringLiteral("SimDesk"));
    QPainter painter(&pdf);
    const QRectF area = painter.viewport();
    const QSizeF slip(area.width() / kColumns, area.height() / kRows);
    const CodeListQuery query(db);
    const CodeSort byCode { CodeSortKey::Code, Qt::AscendingOrder };
    qint64 written = 0;
    Result<CodeListPage> page = query.firstPage(filter, byCode, kPage);
    while (page) {
        for (const CodeListRow &row : page->rows) {
            const int onPage = int(written % (kColumns * kRows));
            if (written > 0 && onPage == 0)
                pdf.newPage();
            const QPointF at(
                (onPage % kColumns) * slip.width(), (onPage / kColumns) * slip.height());
            drawSlip(painter, QRectF(at, slip), row);
            ++written;
        }
        if (progress && !progress(written))
            return Error(ErrorCode::ImportCancelled);
        if (page->atEnd)
            break;
        page = query.pageAfter(
            filter, byCode, CodeListQuery::cursorOf(page->rows.constLast()), kPage);
    }
    if (!page)
        return page.error();
    painter.end();
    return written;
}

} // namespace simdesk
