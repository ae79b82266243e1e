// SPDX-License-Identifier: MIT
#include "customers/assignsimdialog.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "common/statusstyle.h"
#include "records/tariffplanrepository.h"
#include "services/lifecycleservice.h"
#include "sims/dialogsize.h"

#include <QPushButton>

namespace simdesk {

AssignSimDialog::AssignSimDialog(Desk *desk, const Customer &customer, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_customer(customer)
    , m_cards(desk->connection())
{
    m_ui.setupUi(this);
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
    connect(&m_cards, &SimListModel::loaded, this, &AssignSimDialog::selectionChanged);
    for (QRadioButton *r : { m_ui.reserveRadio, m_ui.activateRadio })
        connect(r, &QRadioButton::toggled, this, &AssignSimDialog::updateOk);
    connect(m_ui.tariffCombo, &QComboBox::currentIndexChanged, this, &AssignSimDialog::updateOk);
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &AssignSimDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &AssignSimDialog::reject);
    search();
    updateOk();
    m_ui.searchEdit->setFocus();
    resize(qMax(width(), 760), height());
}

void AssignSimDialog::search()
{
    m_debounce.stop();
    SimListFilter filter;
    filter.statuses = { SimStatus::Available, SimStatus::Reserved };
    filter.search = m_ui.searchEdit->text().trimmed();
    m_cards.setQuery(filter, { SimListSortKey::Iccid, Qt::AscendingOrder });
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
    m_ui.selectionLabel->setText(
        rows.isEmpty() ? tr("No card selected") : tr("Selected: %1").arg(rows.size()));
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
    const bool ready = !selectedIds().isEmpty()
        && (!activate || m_ui.tariffCombo->currentIndex() >= 0) && !m_busy && m_desk->isLive();
    QPushButton *ok = m_ui.buttonBox->button(QDialogButtonBox::Ok);
    ok->setText(activate ? tr("&Activate") : tr("&Reserve"));
    ok->setEnabled(ready);
}

void AssignSimDialog::accept()
{
    const QList<qint64> ids = selectedIds();
    if (m_busy || ids.isEmpty())
        return;
    const CardAction action
        = m_ui.activateRadio->isChecked() ? CardAction::Activate : CardAction::Reserve;
    ActionRequest common;
    common.customerId = m_customer.id;
    if (action == CardAction::Activate) {
        common.tariffPlanId = m_ui.tariffCombo->currentData().toLongLong();
        common.activationCode = m_ui.codeEdit->text().trimmed();
    }
    m_busy = true;
    updateOk();
    m_ui.errorView->clear();
    m_desk->runner()->run<BulkResult>(
        this,
        [action, ids, common](QSqlDatabase db) {
            return LifecycleService(db, ChangeSource::Desktop).performMany(action, ids, common);
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

void AssignSimDialog::reject()
{
    if (!m_busy)
        QDialog::reject();
}

} // namespace simdesk
