// SPDX-License-Identifier: MIT
#include "common/statusstyle.h"

#include "common/palette.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>

namespace simdesk {

QString statusColorsJson()
{
    QJsonObject o;
    for (SimStatus s : kAllStatuses)
        o.insert(statusKey(s), statusColor(s).name());
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void styleStatusBadge(QLabel *label, SimStatus status)
{
    label->setText(statusDisplayName(status));
    label->setAlignment(Qt::AlignCenter);
    setBadgeColors(label, statusColor(status), statusTextColor(status));
}

void styleStatusBadge(QLabel *label, CodeStatus status)
{
    label->setText(codeStatusDisplayName(status));
    label->setAlignment(Qt::AlignCenter);
    setBadgeColors(label, statusColor(status), statusTextColor(status));
}

namespace {

// The badge of a status key: its name and colours, for a card's or a code's status.
struct Badge
{
    QString text;
    QColor background;
    QColor foreground;
};

std::optional<Badge> badgeOf(const QString &key)
{
    if (const std::optional<SimStatus> s = statusFromKey(key))
        return Badge { statusDisplayName(*s), statusColor(*s), statusTextColor(*s) };
    if (const std::optional<CodeStatus> c = codeStatusFromKey(key))
        return Badge { codeStatusDisplayName(*c), statusColor(*c), statusTextColor(*c) };
    return std::nullopt;
}

} // namespace

void StatusBadgeDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const std::optional<Badge> status = badgeOf(index.data(Qt::DisplayRole).toString());
    if (!status) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The row's selection background first, then the badge on top of it.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle *style = option.widget ? option.widget->style() : nullptr;
    if (style)
        style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    const QString text = status->text;
    QFont font = option.font;
    font.setWeight(QFont::DemiBold);
    const QFontMetrics metrics(font);
    const int height = metrics.height() + 4;
    const int width = metrics.horizontalAdvance(text) + 16;
    const QRect badge(option.rect.left() + 6, option.rect.center().y() - height / 2 + 1,
        qMin(width, option.rect.width() - 12), height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(QRectF(badge), height / 2.0, height / 2.0);
    painter->fillPath(path, status->background);
    painter->setFont(font);
    painter->setPen(status->foreground);
    painter->drawText(
        badge, Qt::AlignCenter, metrics.elidedText(text, Qt::ElideRight, badge.width() - 8));
    painter->restore();
}

QSize StatusBadgeDelegate::sizeHint(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const std::optional<Badge> status = badgeOf(index.data(Qt::DisplayRole).toString());
    if (status) {
        QFont font = option.font;
        font.setWeight(QFont::DemiBold);
        size.setWidth(QFontMetrics(font).horizontalAdvance(status->text) + 28);
    }
    return size;
}

} // namespace simdesk
