// SPDX-License-Identifier: MIT
#include "sims/pastelistdialog.h"

#include "common/palette.h"

#include "services/simlistquery.h"

#include <QLocale>
#include <QPushButton>

namespace simdesk {

PasteListDialog::PasteListDialog(QWidget *parent)
    : QDialog(parent)
{
    m_ui.setupUi(this);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Find"));
    connect(m_ui.listEdit, &QPlainTextEdit::textChanged, this, &PasteListDialog::update);
    update();
}

void PasteListDialog::update()
{
    const qsizetype n = SimListQuery::splitIdentifierList(text()).size();
    const bool tooMany = n > SimListQuery::kMaxIdentifiers;
    const QLocale locale;
    m_ui.countLabel->setText(tooMany
            ? tr("%1 identifiers: at most %2 at a time. Split the list.")
                  .arg(locale.toString(n), locale.toString(SimListQuery::kMaxIdentifiers))
            : tr("%n identifier(s)", nullptr, int(n)));
    setTextTone(m_ui.countLabel, tooMany ? std::optional<Tone>(Tone::Error) : std::nullopt);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(n > 0 && !tooMany);
}

} // namespace simdesk
