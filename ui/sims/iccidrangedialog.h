// SPDX-License-Identifier: MIT
#pragma once

#include "ui_iccidrangedialog.h"

#include <QDialog>

namespace simdesk {

// Asks for a range of ICCIDs (both ends inclusive, either end may stay open) as a vendor's
// batch is numbered: each end checked as it is typed (18 digits get their check digit), the
// first not after the last.
class IccidRangeDialog : public QDialog
{
    Q_OBJECT

public:
    explicit IccidRangeDialog(QWidget *parent = nullptr);
    // The ends as typed (shown again when the range is edited).
    void setRange(const QString &first, const QString &last);
    // The ends, normalised; empty for an open end.
    QString first() const { return m_first; }
    QString last() const { return m_last; }

private:
    void validate();

    Ui::IccidRangeDialog m_ui;
    QString m_first;
    QString m_last;
};

} // namespace simdesk
