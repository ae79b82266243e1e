// SPDX-License-Identifier: MIT
#pragma once

#include "ui_pastelistdialog.h"

#include <QDialog>

namespace simdesk {

// Asks for a pasted (or scanned) list of identifiers; counts the lines as they come and refuses
// more than SimListQuery::kMaxIdentifiers.
class PasteListDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PasteListDialog(QWidget *parent = nullptr);
    QString text() const { return m_ui.listEdit->toPlainText(); }
    void setText(const QString &text) { m_ui.listEdit->setPlainText(text); }

private:
    void update();

    Ui::PasteListDialog m_ui;
};

} // namespace simdesk
