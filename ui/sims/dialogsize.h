// SPDX-License-Identifier: MIT
#pragma once

#include <QLayout>
#include <QWidget>

namespace simdesk {

// Makes `dialog` tall enough for its layout at its current width (exactly that tall with
// `shrink`, for a dialog being set up). Qt does not grow a window for
// word-wrapped labels (height-for-width) shown after it opened, so messages that appear under a
// field or at the bottom would be clipped without this.
inline void growToFit(QWidget *dialog, bool shrink = false)
{
    QLayout *layout = dialog->layout();
    if (!layout)
        return;
    layout->invalidate();
    layout->activate();
    const int needed = layout->hasHeightForWidth() ? layout->totalHeightForWidth(dialog->width())
                                                   : layout->totalSizeHint().height();
    if (needed > dialog->height() || shrink)
        dialog->resize(dialog->width(), needed);
}

} // namespace simdesk
