// SPDX-License-Identifier: MIT
#include "customers/customerpage.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "common/statusstyle.h"
#include "customers/assignsimdialog.h"
#include "customers/editcustomerdialog.h"
#include "domain/history.h"
#include "domain/lifecycle.h"
#include "records/customerrepository.h"
#include "services/simlistquery.h"
#include "sims/bulkactiondialog.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>

namespace simdesk {

namespace {

// The words of the record's columns, as the dialog calls them.
QString fieldName(const QString &column)
{
    if (column == QLatin1String("customer_no"))
        return CustomerPage::tr("number");
    if (column == QLatin1String("full_name"))
        return CustomerPage::tr("name");
    if (column == QLatin1String("company"))
        return CustomerPage::tr("company");
    if (column == QLatin1String("email"))
        return CustomerPage::tr("e-mail");
    if (column == QLatin1String("phone"))
        return CustomerPage::tr("phone");
    if (column == QLatin1String("address"))
        return CustomerPage::tr("address");
    if (column == QLatin1String("notes"))
        return CustomerPage::tr("notes");
    return column;
}

QString statusName(const QString &key)
{
    const std::optional<SimStatus> s = statusFromKey(key);
    return s ? statusDisplayName(*s) : key;
}

QString describe(const CustomerHistoryEntry &e)
{
    if (e.kind == CustomerHistoryEntry::Kind::Customer) {
        if (e.what == QLatin1String("INSERT"))
            return CustomerPage::tr("Customer created");
        if (e.what == QLatin1String("DELETE"))
            return CustomerPage::tr("Customer deleted");
        QStringList names;
        for (const QString &f : e.fields)
            names << fieldName(f);
        return names.isEmpty()
            ? CustomerPage::tr("Customer saved without changes")
            : CustomerPage::tr("Changed: %1").arg(names.join(QStringLiteral(", ")));
    }
    QString text = eventTypeDisplayName(e.what);
    if (!e.newStatus.isEmpty() && e.oldStatus != e.newStatus)
        text += QStringLiteral(" (%1 → %2)")
                    .arg(e.oldStatus.isEmpty() ? QStringLiteral("–") : statusName(e.oldStatus),
                        statusName(e.newStatus));
    if (!e.note.isEmpty())
        text += QStringLiteral(": ") + e.note;
    return text;
}

} // namespace

CustomerPage::CustomerPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
    , m_cards(desk->connection())
{
    m_ui.setupUi(this);
    m_ui.cardsTable->setModel(&m_cards);
    m_ui.cardsTable->setItemDelegateForColumn(SimListModel::Status, new StatusBadgeDelegate(this));
    m_ui.cardsTable->setColumnHidden(SimListModel::Customer, true); // it is this customer
    m_ui.cardsTable->setColumnWidth(SimListModel::Iccid, 180);
    m_ui.cardsTable->setColumnWidth(SimListModel::Msisdn, 130);
    m_ui.cardsTable->setColumnWidth(SimListModel::Imsi, 140);
    m_ui.cardsTable->setColumnWidth(SimListModel::Status, 110);
    m_ui.historyTree->header()->resizeSection(0, 135);
    m_ui.historyTree->header()->resizeSection(1, 110);
    m_ui.historyTree->header()->resizeSection(2, 370);
    connect(m_ui.cardsTable, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const SimListRow *row = m_cards.rowAt(index.row()))
            emit cardRequested(row->id);
    });
    connect(m_ui.historyTree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (const qint64 sim = item->data(3, Qt::UserRole).toLongLong(); sim > 0)
            emit cardRequested(sim);
    });
    connect(m_ui.backButton, &QToolButton::clicked, this, &CustomerPage::backRequested);
    new QShortcut(QKeySequence::Back, this, this, &CustomerPage::backRequested,
        Qt::WidgetWithChildrenShortcut);
    connect(m_ui.allCardsButton, &QPushButton::clicked, this, [this] { emit simsRequested(m_id); });
    connect(m_ui.editButton, &QPushButton::clicked, this, &CustomerPage::edit);
    connect(m_ui.assignButton, &QPushButton::clicked, this, &CustomerPage::assignSim);
    new QShortcut(
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), this, this, [this] { assignSim(); },
        Qt::WidgetWithChildrenShortcut);
    new QShortcut(
        QKeySequence(Qt::CTRL | Qt::Key_E), this, this, [this] { edit(); },
        Qt::WidgetWithChildrenShortcut);
    setUpBulkActions();
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, &CustomerPage::load);
    connect(m_desk, &Desk::liveChanged, this, &CustomerPage::updateActions);
    m_desk->hub()->watch(this, Topic::Customers, [this](const Change &change) {
        if (m_id && change.touches(m_id))
            load();
    });
    // Their cards' events and counts.
    m_desk->hub()->watch(this, Topic::Cards, [this](const Change &) {
        if (m_id) {
            load();
            m_cards.refresh();
        }
    });
    connect(m_ui.deleteButton, &QPushButton::clicked, this, &CustomerPage::askDelete);
    connect(m_ui.anonymiseButton, &QPushButton::clicked, this, &CustomerPage::askAnonymise);
    updateActions();
}

void CustomerPage::showCustomer(qint64 id)
{
    if (id != m_id) {
        m_id = id;
        m_detail.reset();
        m_ui.tabs->setCurrentWidget(m_ui.detailsTab);
        SimListFilter filter;
        filter.customerId = id;
        m_cards.setQuery(filter, {});
    }
    load();
}

void CustomerPage::load()
{
    const qint64 id = m_id;
    m_desk->runner()->run<CustomerDetail>(
        this, [id](QSqlDatabase db) { return CustomerDetailQuery::load(db, id); },
        [this, id](const Result<CustomerDetail> &result) {
            if (id != m_id)
                return; // another customer was opened meanwhile
            if (result) {
                m_detail = *result;
                // What a change here achieved stays on screen; otherwise old words go.
                if (m_pendingMessage.isEmpty())
                    m_ui.errorView->clear();
                else
                    m_ui.errorView->showMessage(Tone::Success, std::exchange(m_pendingMessage, {}));
                showDetail();
                showHistory();
            } else {
                m_ui.errorView->showLoadError(result.error());
            }
            updateActions();
            emit loaded();
        });
}

void CustomerPage::showDetail()
{
    const Customer &c = m_detail->customer;
    const QLocale locale;
    m_ui.titleLabel->setText(c.fullName);
    m_ui.numberLabel->setText(c.customerNo);
    // The header row sizes its labels once; a name read later needs its width said.
    for (QLabel *label : { m_ui.titleLabel, m_ui.numberLabel })
        label->setMinimumWidth(label->sizeHint().width());
    m_ui.numberValue->setText(c.customerNo);
    m_ui.companyValue->setText(c.company.isEmpty() ? tr("–") : c.company);
    m_ui.emailValue->setText(c.email.isEmpty() ? tr("–") : c.email);
    m_ui.phoneValue->setText(c.phone.isEmpty() ? tr("–") : c.phone);
    m_ui.addressValue->setText(c.address.isEmpty() ? tr("–") : c.address);
    m_ui.notesValue->setText(c.notes.isEmpty() ? tr("–") : c.notes);
    m_ui.sinceValue->setText(locale.toString(c.createdAt.toLocalTime(), QLocale::ShortFormat));
    m_ui.cardsValue->setText(
        tr("%1 held, %2 of them active")
            .arg(locale.toString(m_detail->cards), locale.toString(m_detail->activeCards)));
    m_ui.tabs->setTabText(
        m_ui.tabs->indexOf(m_ui.cardsTab), tr("&Cards (%1)").arg(locale.toString(m_detail->cards)));
}

void CustomerPage::showHistory()
{
    m_ui.historyTree->clear();
    const QLocale locale;
    QList<QTreeWidgetItem *> items;
    for (const CustomerHistoryEntry &e : m_detail->history) {
        auto *item
            = new QTreeWidgetItem({ locale.toString(e.at.toLocalTime(), QLocale::ShortFormat), e.by,
                describe(e), e.iccid });
        item->setData(3, Qt::UserRole, e.simId);
        items << item;
    }
    m_ui.historyTree->addTopLevelItems(items);
}

void CustomerPage::updateActions()
{
    const bool may = m_desk->roleAllows(StaffRole::Support);
    const bool live = m_detail && m_desk->isLive();
    const bool anonymised = m_detail && m_detail->customer.anonymisedAt.isValid();
    m_ui.editButton->setVisible(may);
    m_ui.assignButton->setVisible(may);
    m_ui.assignButton->setEnabled(may && live && !anonymised);
    m_ui.editButton->setEnabled(may && live && !anonymised);
    m_ui.deleteButton->setVisible(may);
    m_ui.deleteButton->setEnabled(may && live);
    m_ui.deleteButton->setToolTip(m_detail && m_detail->everHeldCard
            ? tr("This customer held SIM cards: the record stays with its history.")
            : tr("Delete this customer (never held a SIM card)"));
    // Only where it can apply: a customer who held cards, not anonymised yet.
    const bool mayAnonymise
        = m_desk->roleAllows(StaffRole::Admin) && m_detail && m_detail->everHeldCard && !anonymised;
    m_ui.bulkButton->setEnabled(live && m_ui.cardsTable->selectionModel()->hasSelection());
    m_ui.anonymiseButton->setVisible(mayAnonymise);
    m_ui.anonymiseButton->setEnabled(mayAnonymise && live && m_detail->cardsInUse == 0);
    m_ui.anonymiseButton->setToolTip(mayAnonymise && m_detail->cardsInUse > 0
            ? tr("%1 of their cards are reserved, active or suspended: release or terminate "
                 "them first.")
                  .arg(m_detail->cardsInUse)
            : tr("Replace the personal data; the record and its history stay (administrators)"));
}

void CustomerPage::setUpBulkActions()
{
    // The SIM list's catalogue, as far as the role goes: the same actions, the same dialog.
    auto *menu = new QMenu(m_ui.bulkButton);
    menu->setObjectName(QStringLiteral("bulkMenu"));
    for (CardAction action : bulkCardActions()) {
        if (!m_desk->roleAllows(cardActionRole(action)))
            continue;
        QAction *item = menu->addAction(tr("%1…").arg(cardActionDisplayName(action)));
        item->setData(QVariant::fromValue(action));
        connect(item, &QAction::triggered, this, [this, action] { runBulkAction(action); });
    }
    m_ui.bulkButton->setMenu(menu);
    m_ui.bulkButton->setVisible(!menu->isEmpty());
    connect(m_ui.cardsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &CustomerPage::updateActions);
}

QList<qint64> CustomerPage::selectedCardIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_ui.cardsTable->selectionModel()->selectedRows()) {
        if (const SimListRow *row = m_cards.rowAt(index.row()))
            ids << row->id;
    }
    return ids;
}

void CustomerPage::runBulkAction(CardAction action)
{
    if (!m_ui.bulkButton->isEnabled())
        return;
    auto open = [this, action](const QList<qint64> &ids) {
        auto *dialog = new BulkActionDialog(m_desk, action, ids, this);
        dialog->setObjectName(QStringLiteral("bulkActionDialog"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &BulkActionDialog::applied, this, [this, dialog] {
            QSet<qint64> changed;
            for (const BulkOutcome &o : dialog->result().outcomes) {
                if (o.done())
                    changed.insert(o.simId);
            }
            // The rows the action was chosen for have moved on: choose again for another.
            m_ui.cardsTable->clearSelection();
            m_desk->hub()->changedHere(Topic::Cards, { changed, false }, this);
            load();
            m_cards.refresh();
        });
        dialog->open();
    };
    const int rows = m_cards.rowCount();
    if (rows == 0 || m_ui.cardsTable->selectionModel()->selectedRows().size() < rows) {
        open(selectedCardIds());
        return;
    }
    // All their cards: the ids with the list's own filter, since rows never scrolled to are
    // not loaded here.
    SimListFilter filter;
    filter.customerId = m_id;
    m_desk->runner()->run<QList<qint64>>(
        this,
        [filter](QSqlDatabase db) {
            return SimListQuery(db).matchingIds(filter, SimListQuery::kMaxIdentifiers);
        },
        [this, open](const Result<QList<qint64>> &ids) {
            if (!ids) {
                m_ui.errorView->showError(ids.error());
                return;
            }
            open(*ids);
        });
}

QDialog *CustomerPage::assignSim()
{
    if (!m_detail || !m_ui.assignButton->isEnabled())
        return nullptr;
    auto *dialog = new AssignSimDialog(m_desk, m_detail->customer, this);
    dialog->setObjectName(QStringLiteral("assignSimDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AssignSimDialog::assigned, this, [this](const QList<qint64> &ids) {
        m_desk->hub()->changedHere(
            Topic::Cards, { QSet<qint64>(ids.begin(), ids.end()), false }, this);
        load();
        m_cards.refresh();
    });
    dialog->open();
    return dialog;
}

QMessageBox *CustomerPage::askDelete()
{
    if (!m_detail || !m_ui.deleteButton->isEnabled())
        return nullptr;
    const Customer c = m_detail->customer;
    if (m_detail->everHeldCard) {
        const QString more = m_desk->roleAllows(StaffRole::Admin)
            ? tr("To erase their personal data, use Anonymise.")
            : tr("An administrator can anonymise it to erase their personal data.");
        m_ui.errorView->showMessage(Tone::Info,
            tr("%1 held SIM cards, so the record stays: the cards' history names them. %2")
                .arg(c.fullName, more));
        return nullptr;
    }
    auto *ask = new QMessageBox(QMessageBox::Question, tr("Delete customer"),
        tr("Delete customer %1 (%2)? This cannot be undone.").arg(c.fullName, c.customerNo),
        QMessageBox::Cancel, this);
    ask->setObjectName(QStringLiteral("deleteCustomerQuestion"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *yes = ask->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    connect(yes, &QPushButton::clicked, this, [this, c] {
        m_desk->runner()->run<bool>(
            this,
            [c](QSqlDatabase db) -> Result<bool> {
                if (Status s = CustomerRepository(db).remove(c.id, c.version); !s)
                    return s.error();
                return true;
            },
            [this, c](const Result<bool> &result) {
                if (!result) {
                    m_ui.errorView->showError(result.error());
                    return;
                }
                m_desk->hub()->changedHere(Topic::Customers, { { c.id }, false }, this);
                emit deleted(c.id);
            });
    });
    ask->open();
    return ask;
}

QMessageBox *CustomerPage::askAnonymise()
{
    if (!m_detail || !m_ui.anonymiseButton->isEnabled())
        return nullptr;
    const Customer c = m_detail->customer;
    auto *ask = new QMessageBox(QMessageBox::Warning, tr("Anonymise customer"),
        tr("Replace the name, company, e-mail, phone, address and notes of %1 (%2), here and in "
           "every copy in the audit log? The number, the cards and all history stay. This cannot "
           "be undone.")
            .arg(c.fullName, c.customerNo),
        QMessageBox::Cancel, this);
    ask->setObjectName(QStringLiteral("anonymiseCustomerQuestion"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *yes = ask->addButton(tr("&Anonymise"), QMessageBox::DestructiveRole);
    connect(yes, &QPushButton::clicked, this, [this, c] {
        change([c](QSqlDatabase db) { return CustomerRepository(db).anonymise(c.id, c.version); },
            tr("Customer %1 was anonymised.").arg(c.customerNo));
    });
    ask->open();
    return ask;
}

void CustomerPage::change(const std::function<Status(QSqlDatabase)> &work, const QString &done)
{
    const qint64 id = m_id;
    m_desk->runner()->run<bool>(
        this,
        [work](QSqlDatabase db) -> Result<bool> {
            if (Status s = work(db); !s)
                return s.error();
            return true;
        },
        [this, id, done](const Result<bool> &result) {
            if (!result) {
                m_ui.errorView->showError(result.error());
                return;
            }
            m_desk->hub()->changedHere(Topic::Customers, { { id }, false }, this);
            m_pendingMessage = done;
            load();
        });
}

QDialog *CustomerPage::edit()
{
    if (!m_detail || !m_ui.editButton->isEnabled())
        return nullptr;
    auto *dialog = new EditCustomerDialog(m_desk, m_detail->customer, this);
    dialog->setObjectName(QStringLiteral("editCustomerDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &EditCustomerDialog::saved, this, [this](const Customer &c) {
        m_desk->hub()->changedHere(Topic::Customers, { { c.id }, false }, this);
        load();
    });
    connect(dialog, &QDialog::rejected, this, [this, dialog] {
        if (dialog->reloadRequested())
            load();
    });
    dialog->open();
    return dialog;
}

} // namespace simdesk
