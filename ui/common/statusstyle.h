// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"

#include <QColor>
#include <QStyledItemDelegate>

class QLabel;
class QPalette;

namespace simdesk {

// One colour per SIM status, shared by every screen (list badges, detail header, history, and
// the dashboard, which reads the same values through statusColorsJson()). Chosen to read on
// light and dark palettes, and to tell AVAILABLE from TERMINATED without relying on hue alone
// (the badge also carries the status name).
QColor statusColor(SimStatus status);
// Text colour that stays readable on statusColor(status).
QColor statusTextColor(SimStatus status);
// {"AVAILABLE": "#…", …} for web views.
QString statusColorsJson();

// Turns a QLabel into a status badge (rounded, coloured, the translated status name).
void styleStatusBadge(QLabel *label, SimStatus status);

// Paints a column whose Qt::DisplayRole is a status key ("ACTIVE") as a badge.
class StatusBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace simdesk
