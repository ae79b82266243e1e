// SPDX-License-Identifier: MIT
#include "customers/assignsimdialog.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "common/statusstyle.h"
#include "records/tariffplanrepository.h"
#include "services/lifecycleservice.h"
#include "services/simlistquery.h"
#include "sims/dialogsize.h"
#include "sims/iccidrangedialog.h"
#include "sims/pastelistdialog.h"

#include <QLocale>
#include <QPushButton>

namespace simdesk {

AssignSimDialog::AssignSimDialog(Desk *desk, const Customer &customer, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_customer(customer)
    , m_cards(desk->connection())
{
    m_ui.setupUi(this);
    m_code = new ActivationCodeCheck(m_desk, m_ui.codeEdit, m_ui.codeStatusLabel, this);
    setWindowTitle(tr("Assign SIM cards to %1").arg(customer.fullName));
    m_ui.introLabel->setText(tr("Cards that are available or reserved. Select one or several "
                                "(Shift, Ctrl), then reserve them for %1 (%2) or activate them.")
                                 .arg(customer.fullName, customer.customerNo));
    m_ui.cardsTable->setModel(&m_cards);
    m_ui.cardsTable->setItemDelegateForColumn(SimListModel::Status, new StatusBadgeDelegate(this));
    for (int c : { int(SimListModel::Imsi), int(SimListModel::Customer), int(SimListModel::Tariff),
             int(SimListModel::Updated) })
        m_ui.cardsTable->setColumnHidden(c, true);
    m_ui.cardsTable->setColumnWidth(SimListModel::Iccid, 190);
    m_ui.cardsTable->setColumnWidth(SimListModel::Msisdn, 140);
    m_ui.cardsTable->setColumnWidth(SimListModel::Status, 110);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(&m_debounce, &QTimer::timeout, this, &AssignSimDialog::search);
    connect(m_ui.searchEdit, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_ui.cardsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &AssignSimDialog::selectionChanged);
    connect(&m_cards, &SimListModel::loaded, this, [this] {
        // The cards of a pasted list or range are meant together: all of them start selected.
        if (std::exchange(m_selectAllWhenLoaded, false))
            m_ui.cardsTable->selectAll();
        selectionChanged();
    });
    for (QRadioButton *r : { m_ui.reserveRadio, m_ui.activateRadio })
        connect(r, &QRadioButton::toggled, this, &AssignSimDialog::updateOk);
    connect(m_ui.tariffCombo, &QComboBox::currentIndexChanged, this, &AssignSimDialog::updateOk);
    connect(m_code, &ActivationCodeCheck::changed, this, &AssignSimDialog::updateOk);
    connect(m_ui.pasteButton, &QPushButton::clicked, this, &AssignSimDialog::pasteList);
    connect(m_ui.rangeButton, &QPushButton::clicked, this, &AssignSimDialog::chooseIccidRange);
    connect(m_ui.clearListButton, &QPushButton::clicked, this, [this] {
        m_identifiers.clear();
        m_iccidFirst.clear();
        m_iccidLast.clear();
        m_listNote.clear();
        search();
    });
    m_ui.listLabel->setTextFormat(Qt::PlainText); // it repeats what was pasted
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &AssignSimDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &AssignSimDialog::reject);
    search();
    updateOk();
    m_ui.searchEdit->setFocus();
    resize(qMax(width(), 760), height());
}

SimListFilter AssignSimDialog::filter() const
{
    // The SIM list's own filter: what can be assigned, narrowed by what was typed, pasted or
    // given as a range (all of them at once).
    SimListFilter filter;
    filter.statuses = { SimStatus::Available, SimStatus::Reserved };
    filter.search = m_ui.searchEdit->text().trimmed();
    filter.identifiers = m_identifiers;
    filter.iccidFirst = m_iccidFirst;
    filter.iccidLast = m_iccidLast;
    return filter;
}

void AssignSimDialog::search()
{
    m_debounce.stop();
    // A pasted list is shown in its own order, as the SIM list does.
    m_cards.setQuery(filter(),
        { m_identifiers.isEmpty() ? SimListSortKey::Iccid : SimListSortKey::Pasted,
            Qt::AscendingOrder });
    showList();
}

void AssignSimDialog::setDebounceInterval(int ms)
{
    m_debounce.setInterval(ms);
    m_code->setDebounceInterval(ms);
}

QDialog *AssignSimDialog::pasteList()
{
    auto *dialog = new PasteListDialog(this);
    dialog->setObjectName(QStringLiteral("pasteListDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setText(m_identifiers.join(QLatin1Char('\n')));
    connect(dialog, &QDialog::accepted, this,
        [this, dialog] { setIdentifiers(SimListQuery::splitIdentifierList(dialog->text())); });
    dialog->open();
    return dialog;
}

QDialog *AssignSimDialog::chooseIccidRange()
{
    auto *dialog = new IccidRangeDialog(this);
    dialog->setObjectName(QStringLiteral("iccidRangeDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setRange(m_iccidFirst, m_iccidLast);
    connect(dialog, &QDialog::accepted, this,
        [this, dialog] { setIccidRange(dialog->first(), dialog->last()); });
    dialog->open();
    return dialog;
}

void AssignSimDialog::setIdentifiers(const QStringList &lines)
{
    m_identifiers = lines;
    m_listNote.clear();
    m_selectAllWhenLoaded = !lines.isEmpty();
    search();
    if (!lines.isEmpty())
        checkList(lines);
}

void AssignSimDialog::setIccidRange(const QString &first, const QString &last)
{
    m_iccidFirst = first;
    m_iccidLast = last;
    m_selectAllWhenLoaded = !first.isEmpty() || !last.isEmpty();
    search();
}

void AssignSimDialog::checkList(const QStringList &lines)
{
    // Which lines name no card, and which name a card that cannot be assigned: said above the
    // list, so a wrong line in a pasted list is not silently left out.
    m_desk->runner()->run<SimListMatches>(
        this, [lines](QSqlDatabase db) { return SimListQuery(db).matchIdentifiers(lines); },
        [this, lines](const Result<SimListMatches> &m) {
            if (m_identifiers != lines)
                return; // another list meanwhile
            if (!m) {
                m_ui.errorView->showError(m.error());
                return;
            }
            QStringList taken;
            for (const SimListRow &row : m->rows) {
                if (row.status != SimStatus::Available && row.status != SimStatus::Reserved)
                    taken << tr("%1 (%2)").arg(row.iccid, statusDisplayName(row.status));
            }
            QStringList parts;
            if (!m->notFound.isEmpty())
                parts << tr("No card: %1").arg(m->notFound.join(QStringLiteral(", ")));
            if (!taken.isEmpty())
                parts << tr("Not available or reserved: %1").arg(taken.join(QStringLiteral(", ")));
            m_listNote = parts.join(QStringLiteral(". "));
            showList();
            emit listChecked();
        });
}

void AssignSimDialog::showList()
{
    QString text;
    if (!m_identifiers.isEmpty())
        text = tr("Pasted list of %n identifier(s).", nullptr, int(m_identifiers.size()));
    else if (!m_iccidFirst.isEmpty() || !m_iccidLast.isEmpty())
        text = tr("ICCID range %1 – %2.")
                   .arg(m_iccidFirst.isEmpty() ? tr("(open)") : m_iccidFirst,
                       m_iccidLast.isEmpty() ? tr("(open)") : m_iccidLast);
    if (!m_listNote.isEmpty())
        text += QLatin1Char(' ') + m_listNote + QLatin1Char('.');
    m_ui.listLabel->setText(text);
    m_ui.listLabel->setVisible(!text.isEmpty());
    m_ui.clearListButton->setVisible(!text.isEmpty());
    setTextTone(m_ui.listLabel, m_listNote.isEmpty() ? std::nullopt : std::optional(Tone::Warning));
}

bool AssignSimDialog::allSelected() const
{
    const int rows = m_cards.rowCount();
    return rows > 0 && m_ui.cardsTable->selectionModel()->selectedRows().size() == rows;
}

QList<qint64> AssignSimDialog::selectedIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_ui.cardsTable->selectionModel()->selectedRows()) {
        if (const SimListRow *row = m_cards.rowAt(index.row()))
            ids << row->id;
    }
    return ids;
}

void AssignSimDialog::selectionChanged()
{
    const QModelIndexList rows = m_ui.cardsTable->selectionModel()->selectedRows();
    // Tariffs that fit the first selected card; the database checks every card again.
    if (!rows.isEmpty()) {
        if (const SimListRow *row = m_cards.rowAt(rows.first().row());
            row && row->type != m_tariffType)
            loadTariffs(row->type);
    }
    updateOk();
}

void AssignSimDialog::loadTariffs(SimType type)
{
    m_tariffType = type;
    m_desk->runner()->run<QList<TariffPlan>>(
        this, [type](QSqlDatabase db) { return TariffPlanRepository(db).listFitting(type); },
        [this](const Result<QList<TariffPlan>> &plans) {
            const qint64 was = m_ui.tariffCombo->currentData().toLongLong();
            m_ui.tariffCombo->clear();
            if (!plans) {
                m_ui.errorView->showLoadError(plans.error());
                return;
            }
            for (const TariffPlan &p : *plans)
                m_ui.tariffCombo->addItem(p.name, p.id);
            const int keep = m_ui.tariffCombo->findData(was);
            m_ui.tariffCombo->setCurrentIndex(keep >= 0 ? keep : 0);
            updateOk();
        });
}

void AssignSimDialog::updateOk()
{
    const bool activate = m_ui.activateRadio->isChecked();
    for (QWidget *w :
        { static_cast<QWidget *>(m_ui.tariffCombo), static_cast<QWidget *>(m_ui.codeEdit),
            static_cast<QWidget *>(m_ui.tariffLabel), static_cast<QWidget *>(m_ui.codeLabel) })
        w->setEnabled(activate);
    // A code activates one card (the database consumes it with that card's activation).
    const qsizetype selected = m_ui.cardsTable->selectionModel()->selectedRows().size();
    const bool oneCodeTooFewCards = activate && !m_code->code().isEmpty() && selected > 1;
    m_ui.selectionLabel->setText(oneCodeTooFewCards
            ? tr("Selected: %1. An activation code activates one card: select one card, or "
                 "leave the code empty.")
                  .arg(selected)
            : selected == 0                 ? tr("No card selected")
            : allSelected() && selected > 1 ? tr("Selected: all %1 cards shown").arg(selected)
                                            : tr("Selected: %1").arg(selected));
    setTextTone(m_ui.selectionLabel,
        oneCodeTooFewCards ? std::optional<Tone>(Tone::Warning) : std::nullopt);
    const bool ready = selected > 0 && !oneCodeTooFewCards
        && (!activate || (m_ui.tariffCombo->currentIndex() >= 0 && m_code->acceptable())) && !m_busy
        && m_desk->isLive();
    QPushButton *ok = m_ui.buttonBox->button(QDialogButtonBox::Ok);
    ok->setText(activate ? tr("&Activate") : tr("&Reserve"));
    ok->setEnabled(ready);
}

void AssignSimDialog::accept()
{
    if (m_busy || !m_ui.buttonBox->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    // Every card shown selected: their ids are read with the filter, since rows of a long list
    // or range that were never scrolled to are not loaded here.
    const bool all = allSelected();
    const QList<qint64> ids = all ? QList<qint64>() : selectedIds();
    const SimListFilter shown = filter();
    const CardAction action
        = m_ui.activateRadio->isChecked() ? CardAction::Activate : CardAction::Reserve;
    if (action == CardAction::Activate && !m_code->code().isEmpty()) {
        activateWithCode();
        return;
    }
    ActionRequest common;
    common.customerId = m_customer.id;
    if (action == CardAction::Activate) {
        common.tariffPlanId = m_ui.tariffCombo->currentData().toLongLong();
    }
    m_busy = true;
    updateOk();
    m_ui.errorView->clear();
    m_desk->runner()->run<BulkResult>(
        this,
        [action, all, ids, shown, common](QSqlDatabase db) -> Result<BulkResult> {
            QList<qint64> cards = ids;
            if (all) {
                Result<QList<qint64>> matching
                    = SimListQuery(db).matchingIds(shown, SimListQuery::kMaxIdentifiers);
                if (!matching)
                    return matching.error();
                cards = *matching;
            }
            return LifecycleService(db, ChangeSource::Desktop).performMany(action, cards, common);
        },
        [this](const Result<BulkResult> &result) {
            m_busy = false;
            if (!result) {
                m_ui.errorView->showError(result.error());
                updateOk();
                return;
            }
            QList<qint64> done;
            QString firstRefusal;
            for (const BulkOutcome &o : result->outcomes) {
                if (o.done())
                    done << o.simId;
                else if (firstRefusal.isEmpty())
                    firstRefusal = o.message();
            }
            if (!done.isEmpty())
                emit assigned(done);
            if (firstRefusal.isEmpty()) {
                QDialog::accept();
                return;
            }
            m_ui.errorView->showMessage(Tone::Warning,
                tr("Done: %1. Refused: %2, the first because: %3")
                    .arg(result->done)
                    .arg(result->refused)
                    .arg(firstRefusal));
            search();
            updateOk();
        });
}

void AssignSimDialog::activateWithCode()
{
    // One card, as its own page activates it: the code is consumed in the same transaction,
    // against the version of the card shown.
    const QModelIndexList rows = m_ui.cardsTable->selectionModel()->selectedRows();
    const SimListRow *row = rows.size() == 1 ? m_cards.rowAt(rows.first().row()) : nullptr;
    if (!row)
        return;
    const qint64 id = row->id;
    ActionRequest request;
    request.simId = id;
    request.expectedVersion = row->version;
    request.customerId = m_customer.id;
    request.tariffPlanId = m_ui.tariffCombo->currentData().toLongLong();
    request.activationCode = m_code->code();
    m_busy = true;
    updateOk();
    m_ui.errorView->clear();
    m_desk->act(this, CardAction::Activate, request, [this, id](const Status &result) {
        m_busy = false;
        if (!result) {
            m_ui.errorView->showError(result.error());
            updateOk();
            return;
        }
        emit assigned({ id });
        QDialog::accept();
    });
}

void AssignSimDialog::reject()
{
    if (!m_busy)
        QDialog::reject();
}

} // namespace simdesk
