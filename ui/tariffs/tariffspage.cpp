// SPDX-License-Identifier: MIT
#include "tariffspage.h"

#include "common/desk.h"
#include "records/tariffplanrepository.h"
#include "services/simlistquery.h"
#include "sims/bulkactiondialog.h"
#include "tariffplandialog.h"

#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <algorithm>

namespace simdesk {

namespace {

// The statuses a card on a plan may be in, one column each, in lifecycle order.
constexpr SimStatus kCountedStatuses[] = { SimStatus::Reserved, SimStatus::Active,
    SimStatus::Suspended, SimStatus::LostStolen, SimStatus::Terminated };
enum Column {
    CodeColumn,
    NameColumn,
    TypeColumn,
    FitsColumn,
    FeeColumn,
    DataColumn,
    OfferedColumn,
    FirstCountColumn
};

QTableWidgetItem *item(const QString &text, bool number = false)
{
    auto *i = new QTableWidgetItem(text);
    if (number)
        i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return i;
}

} // namespace

TariffsPage::TariffsPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    m_ui.setupUi(this);
    const bool admin = m_desk->roleAllows(StaffRole::Admin);
    m_ui.newButton->setVisible(admin);
    m_ui.editButton->setVisible(admin);
    m_ui.retireButton->setVisible(admin);
    m_ui.moveButton->setVisible(admin);
    QStringList headers;
    for (int c = 0; c < FirstCountColumn; ++c)
        headers << m_ui.planTable->horizontalHeaderItem(c)->text();
    for (SimStatus s : kCountedStatuses)
        headers << statusDisplayName(s);
    headers << tr("Cards");
    m_ui.planTable->setColumnCount(int(headers.size()));
    m_ui.planTable->setHorizontalHeaderLabels(headers);
    m_ui.planTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui.planTable->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    connect(m_ui.refreshButton, &QPushButton::clicked, this, &TariffsPage::reload);
    connect(m_ui.newButton, &QPushButton::clicked, this, &TariffsPage::createPlan);
    connect(m_ui.editButton, &QPushButton::clicked, this, &TariffsPage::editPlan);
    connect(m_ui.retireButton, &QPushButton::clicked, this, &TariffsPage::retirePlan);
    connect(m_ui.moveButton, &QPushButton::clicked, this, &TariffsPage::moveCards);
    connect(m_ui.planTable, &QTableWidget::itemSelectionChanged, this, &TariffsPage::updateButtons);
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, &TariffsPage::reload);
    connect(m_desk, &Desk::liveChanged, this, &TariffsPage::updateButtons);
    // Plans change here or elsewhere; counts change with every card.
    m_desk->hub()->watch(this, Topic::Tariffs, [this](const Change &) { reload(); });
    m_desk->hub()->watch(this, Topic::Cards, [this](const Change &) { reload(); });
    updateButtons();
}

void TariffsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loadedOnce)
        reload();
}

void TariffsPage::reload()
{
    m_loadedOnce = true;
    if (const std::optional<qint64> id = currentPlanId(); id && !m_wanted)
        m_wanted = id;
    m_desk->runner()->run<Data>(
        this,
        [](QSqlDatabase db) -> Result<Data> {
            TariffPlanRepository plans(db);
            Result<QList<TariffPlan>> list = plans.list(true);
            if (!list)
                return list.error();
            Result<QHash<qint64, QMap<SimStatus, qint64>>> counts = plans.cardCounts();
            if (!counts)
                return counts.error();
            return Data { *list, *counts };
        },
        [this](const Result<Data> &result) {
            if (result)
                showData(*result);
            else
                m_ui.errorView->showLoadError(result.error());
            emit loaded();
        });
}

void TariffsPage::showData(const Data &data)
{
    // Offered plans first, by name; retired ones after them.
    m_plans = data.plans;
    std::stable_sort(m_plans.begin(), m_plans.end(),
        [](const TariffPlan &a, const TariffPlan &b) { return a.active && !b.active; });
    m_counts = data.counts;
    const QSignalBlocker block(m_ui.planTable);
    m_ui.planTable->setRowCount(int(m_plans.size()));
    for (int row = 0; row < m_plans.size(); ++row)
        fillRow(row, m_plans.at(row));
    m_ui.countLabel->setText(tr("%n plan(s)", nullptr, int(m_plans.size())));
    if (m_wanted) {
        const qint64 wanted = *m_wanted;
        m_wanted.reset();
        selectPlan(wanted);
    }
    updateButtons();
}

void TariffsPage::fillRow(int row, const TariffPlan &p)
{
    const QLocale locale;
    QTableWidget *t = m_ui.planTable;
    t->setItem(row, CodeColumn, item(p.code));
    t->setItem(row, NameColumn, item(p.name));
    t->setItem(row, TypeColumn, item(planTypeDisplayName(p.type)));
    t->setItem(
        row, FitsColumn, item(p.simType ? simTypeDisplayName(*p.simType) : tr("Any card type")));
    t->setItem(
        row, FeeColumn, item(locale.toCurrencyString(double(p.monthlyFeeCents) / 100), true));
    t->setItem(row, DataColumn,
        item(p.dataMb ? tr("%1 MB").arg(locale.toString(*p.dataMb)) : tr("Unlimited"), true));
    t->setItem(row, OfferedColumn,
        item(p.active ? tr("Offered")
                      : tr("Retired %1")
                            .arg(locale.toString(
                                p.retiredAt.toLocalTime().date(), QLocale::ShortFormat))));
    const QMap<SimStatus, qint64> counts = m_counts.value(p.id);
    qint64 total = 0;
    int column = FirstCountColumn;
    for (SimStatus s : kCountedStatuses) {
        t->setItem(row, column++, item(locale.toString(counts.value(s)), true));
        total += counts.value(s);
    }
    total += counts.value(SimStatus::Available);
    t->setItem(row, column, item(locale.toString(total), true));
    // The description: the tooltip of code, name and type, and under the list for the selected
    // plan (updateButtons()).
    if (!p.description.isEmpty()) {
        for (int c : { int(CodeColumn), int(NameColumn), int(TypeColumn) })
            t->item(row, c)->setToolTip(p.description);
    }
    if (!p.active) {
        // Greyed: still on cards, no longer offered.
        const QColor grey = palette().color(QPalette::Disabled, QPalette::Text);
        for (int c = 0; c < t->columnCount(); ++c) {
            t->item(row, c)->setForeground(grey);
            t->item(row, c)->setToolTip(
                tr("No longer offered for activations or tariff changes; the cards on it keep "
                   "it."));
        }
    }
}

const TariffPlan *TariffsPage::current() const
{
    const QList<QTableWidgetItem *> selected = m_ui.planTable->selectedItems();
    if (selected.isEmpty())
        return nullptr;
    const int row = selected.first()->row();
    return row >= 0 && row < m_plans.size() ? &m_plans.at(row) : nullptr;
}

std::optional<qint64> TariffsPage::currentPlanId() const
{
    if (const TariffPlan *p = current())
        return p->id;
    return std::nullopt;
}

void TariffsPage::selectPlan(qint64 id)
{
    for (int row = 0; row < m_plans.size(); ++row) {
        if (m_plans.at(row).id == id) {
            m_ui.planTable->selectRow(row);
            return;
        }
    }
    m_wanted = id;
}

void TariffsPage::updateButtons()
{
    const TariffPlan *p = current();
    const bool live = m_desk->isLive();
    m_ui.newButton->setEnabled(live);
    m_ui.editButton->setEnabled(live && p);
    m_ui.retireButton->setEnabled(live && p && p->active);
    m_ui.descriptionLabel->setText(!p  ? QString()
            : p->description.isEmpty() ? tr("%1: no description.").arg(p->name)
                                       : tr("%1: %2").arg(p->name, p->description));
    const QMap<SimStatus, qint64> counts = p ? m_counts.value(p->id) : QMap<SimStatus, qint64>();
    m_ui.moveButton->setEnabled(live
        && counts.value(SimStatus::Reserved) + counts.value(SimStatus::Active)
                + counts.value(SimStatus::Suspended)
            > 0);
}

void TariffsPage::openDialog(const std::optional<TariffPlan> &plan)
{
    auto *dialog = new TariffPlanDialog(m_desk, plan, this);
    dialog->setObjectName(QStringLiteral("tariffPlanDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TariffPlanDialog::saved, this, [this](const TariffPlan &saved) {
        m_ui.errorView->showMessage(Tone::Success, tr("%1 was saved.").arg(saved.name));
        m_wanted = saved.id;
        m_desk->hub()->changedHere(Topic::Tariffs, { { saved.id }, false }, this);
        reload();
    });
    dialog->open();
}

void TariffsPage::createPlan()
{
    openDialog(std::nullopt);
}

void TariffsPage::editPlan()
{
    if (const TariffPlan *p = current())
        openDialog(*p);
}

void TariffsPage::retirePlan()
{
    const TariffPlan *p = current();
    if (!p || !p->active)
        return;
    qint64 cards = 0;
    for (qint64 n : m_counts.value(p->id))
        cards += n;
    if (QMessageBox::question(this, tr("Retire tariff plan"),
            tr("Retire %1? It is no longer offered for activations or tariff changes. The %n "
               "card(s) on it keep it until their tariff is changed.",
                nullptr, int(cards))
                .arg(p->name))
        != QMessageBox::Yes)
        return;
    TariffPlan retired = *p;
    retired.active = false;
    m_desk->runner()->run<TariffPlan>(
        this, [retired](QSqlDatabase db) { return TariffPlanRepository(db).update(retired); },
        [this](const Result<TariffPlan> &result) {
            if (result) {
                m_ui.errorView->showMessage(
                    Tone::Success, tr("%1 is retired. The cards on it keep it.").arg(result->name));
                m_desk->hub()->changedHere(Topic::Tariffs, { { result->id }, false }, this);
            } else {
                m_ui.errorView->showError(result.error());
            }
            reload();
            emit changeFinished(result.ok());
        });
}

void TariffsPage::moveCards()
{
    const TariffPlan *p = current();
    if (!p)
        return;
    // The cards whose tariff can change; the rest stay on the plan (their history has it).
    SimListFilter filter;
    filter.tariffPlanId = p->id;
    filter.statuses = { SimStatus::Reserved, SimStatus::Active, SimStatus::Suspended };
    constexpr int kMaxCards = 100000; // the SIM list's bulk limit (MainWindow::kMaxBulkCards)
    m_desk->runner()->run<QList<qint64>>(
        this, [filter](QSqlDatabase db) { return SimListQuery(db).matchingIds(filter, kMaxCards); },
        [this](const Result<QList<qint64>> &ids) {
            if (!ids) {
                m_ui.errorView->showError(ids.error());
                return;
            }
            auto *dialog = new BulkActionDialog(m_desk, CardAction::ChangeTariff, *ids, this);
            dialog->setObjectName(QStringLiteral("bulkActionDialog"));
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &BulkActionDialog::applied, this, [this, dialog] {
                QSet<qint64> changed;
                for (const BulkOutcome &o : dialog->result().outcomes) {
                    if (o.done())
                        changed.insert(o.simId);
                }
                m_desk->hub()->changedHere(Topic::Cards, { changed, false }, this);
                reload();
            });
            dialog->open();
        });
}

} // namespace simdesk
