// SPDX-License-Identifier: MIT
#pragma once

#include "common/palette.h"
#include "domain/lifecycle.h"

#include <QColor>
#include <QStyledItemDelegate>

class QLabel;
class QPalette;

namespace simdesk {

// The status colours (common/palette.h) as {"AVAILABLE": "#…", …} for web views.
QString statusColorsJson();

// Turns a QLabel into a status badge (rounded, coloured, the translated status name).
void styleStatusBadge(QLabel *label, SimStatus status);
void styleStatusBadge(QLabel *label, CodeStatus status);

// Paints a column whose Qt::DisplayRole is a status key as a badge: a card's ("ACTIVE") or an
// activation code's ("EXPIRED").
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
