// SPDX-License-Identifier: MIT
#include "actiondialog.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "customers/editcustomerdialog.h"
#include "dialogsize.h"
#include "records/customerrepository.h"
#include "records/tariffplanrepository.h"
#include "services/lifecycleservice.h"

#include <QKeyEvent>
#include <QLocale>
#include <QPushButton>

namespace simdesk {

namespace {

QString customerText(const Customer &c)
{
    QString text = c.company.isEmpty()
        ? QCoreApplication::translate("simdesk::ActionDialog", "%1 (%2)")
              .arg(c.fullName, c.customerNo)
        : QCoreApplication::translate("simdesk::ActionDialog", "%1, %2 (%3)")
              .arg(c.fullName, c.company, c.customerNo);
    if (!c.email.isEmpty())
        text += QStringLiteral(" · ") + c.email;
    return text;
}

QString tariffText(const TariffPlan &t)
{
    const QLocale locale;
    const QString fee = locale.toString(double(t.monthlyFeeCents) / 100.0, 'f', 2);
    const QString data = t.dataMb
        ? QCoreApplication::translate("simdesk::ActionDialog", "%1 MB")
              .arg(locale.toString(*t.dataMb))
        : QCoreApplication::translate("simdesk::ActionDialog", "unlimited data");
    return QCoreApplication::translate("simdesk::ActionDialog", "%1 (%2) · %3 a month · %4")
        .arg(t.name, t.code, fee, data);
}

QString introText(CardAction action)
{
    switch (action) {
    case CardAction::Reserve:
        return ActionDialog::tr("Reserve card %1 for a customer. It stays reserved until it is "
                                "activated or released.");
    case CardAction::Activate:
        return ActionDialog::tr("Activate card %1: pick the customer and a tariff plan. An "
                                "activation code is optional; when given it is used up.");
    case CardAction::Suspend:
        return ActionDialog::tr("Suspend card %1. The customer keeps the card and the number; "
                                "it can be resumed later.");
    case CardAction::ReportLostStolen:
        return ActionDialog::tr("Report card %1 lost or stolen. It stops working; the number "
                                "can then be moved to a new card with Swap.");
    case CardAction::Terminate:
        return ActionDialog::tr("Terminate card %1.");
    case CardAction::AssignCustomer:
        return ActionDialog::tr("Give card %1 to another customer.");
    case CardAction::ChangeTariff:
        return ActionDialog::tr("Change the tariff plan of card %1.");
    default:
        return QStringLiteral("%1");
    }
}

} // namespace

ActionDialog::ActionDialog(Desk *desk, CardAction action, const SimCard &card,
    std::optional<Customer> customer, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_action(action)
    , m_card(card)
    , m_customer(std::move(customer))
{
    m_ui.setupUi(this);
    setUpText();
    setUpFields();
    if (needsCustomer()) {
        // Start with the card's own customer, when it has one (Activate of a reserved card).
        if (m_customer && action != CardAction::AssignCustomer)
            m_ui.customerSearchEdit->setText(m_customer->customerNo);
        m_ui.customerHintLabel->setText(tr("Searching…"));
        searchCustomers();
    } else {
        m_ui.customerHintLabel->hide();
    }
    if (needsTariff())
        loadTariffs();
    (needsCustomer()        ? static_cast<QWidget *>(m_ui.customerSearchEdit)
            : needsReason() ? static_cast<QWidget *>(m_ui.reasonEdit)
                            : static_cast<QWidget *>(m_ui.tariffCombo))
        ->setFocus();
    updateOk();
    resize(qMax(width(), 580), height());
    growToFit(this, true);
}

void ActionDialog::setUpText()
{
    const QString name = cardActionDisplayName(m_action);
    setWindowTitle(tr("%1 – SIM card %2").arg(name, m_card.iccid));
    QPushButton *ok = m_ui.buttonBox->button(QDialogButtonBox::Ok);
    ok->setText(name);
    ok->setDefault(true);
    m_ui.introLabel->setText(introText(m_action).arg(m_card.iccid));
    if (needsConfirmation()) {
        m_ui.warningLabel->setText(m_card.msisdn.isEmpty()
                ? tr("<b>This is final.</b> A terminated card can never be used again.")
                : tr("<b>This is final.</b> A terminated card can never be used again, and its "
                     "number %1 is released for other cards.")
                      .arg(m_card.msisdn.toHtmlEscaped()));
        setTextTone(m_ui.warningLabel, Tone::Error);
        m_ui.confirmHintLabel->setText(
            tr("To confirm, type the last four digits of the ICCID (…%1).")
                .arg(confirmationDigits()));
        ok->setText(tr("Terminate for good"));
    } else {
        m_ui.warningLabel->hide();
    }
}

void ActionDialog::setUpFields()
{
    m_ui.formLayout->setRowVisible(0, needsCustomer());
    m_ui.formLayout->setRowVisible(1, needsTariff());
    m_ui.formLayout->setRowVisible(2, takesCode());
    m_ui.formLayout->setRowVisible(3, needsReason());
    m_ui.formLayout->setRowVisible(4, needsConfirmation());
    if (takesCode()) {
        m_code = new ActivationCodeCheck(m_desk, m_ui.codeEdit, m_ui.codeStatusLabel, this);
        connect(m_code, &ActivationCodeCheck::changed, this, &ActionDialog::updateOk);
        connect(m_code, &ActivationCodeCheck::checked, this, [this] {
            growToFit(this);
            emit codeChecked();
        });
    } else {
        m_ui.codeStatusLabel->hide();
    }
    // A customer who is not in the database yet is made without leaving the dialog.
    m_ui.newCustomerButton->setVisible(needsCustomer() && m_desk->roleAllows(StaffRole::Support));
    connect(m_ui.newCustomerButton, &QPushButton::clicked, this, &ActionDialog::createCustomer);
    // Plan names with fee and data are long: the field takes the dialog's width.
    m_ui.tariffCombo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_ui.tariffCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(250);
    connect(&m_searchTimer, &QTimer::timeout, this, &ActionDialog::searchCustomers);
    connect(
        m_ui.customerSearchEdit, &QLineEdit::textEdited, this, [this] { m_searchTimer.start(); });
    // Down from the search field goes to the results, as in any search-as-you-type box.
    m_ui.customerSearchEdit->installEventFilter(this);
    connect(m_ui.customerList, &QListWidget::currentRowChanged, this, &ActionDialog::updateOk);
    connect(m_ui.tariffCombo, &QComboBox::currentIndexChanged, this, &ActionDialog::updateOk);
    connect(m_ui.reasonEdit, &QLineEdit::textChanged, this, &ActionDialog::updateOk);
    connect(m_ui.confirmEdit, &QLineEdit::textChanged, this, &ActionDialog::updateOk);
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &ActionDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &ActionDialog::reject);
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, [this] {
        m_reloadRequested = true;
        reject();
    });
    // They repeat what was typed (a search, a code): text, never markup.
    m_ui.customerHintLabel->setTextFormat(Qt::PlainText);
}

void ActionDialog::loadTariffs()
{
    m_ui.tariffCombo->addItem(tr("Loading tariff plans…"));
    m_ui.tariffCombo->setEnabled(false);
    const SimType type = m_card.type;
    m_desk->runner()->run<QList<TariffPlan>>(
        this, [type](QSqlDatabase db) { return TariffPlanRepository(db).listFitting(type); },
        [this](const Result<QList<TariffPlan>> &plans) {
            m_ui.tariffCombo->clear();
            if (!plans) {
                showError(plans.error());
            } else if (plans->isEmpty()) {
                m_ui.tariffCombo->addItem(tr("No active tariff plan fits a %1 card")
                                              .arg(simTypeDisplayName(m_card.type)));
            } else {
                m_ui.tariffCombo->setEnabled(true);
                for (const TariffPlan &t : *plans)
                    m_ui.tariffCombo->addItem(tariffText(t), t.id);
                const int current
                    = m_card.tariffPlanId ? m_ui.tariffCombo->findData(*m_card.tariffPlanId) : -1;
                m_ui.tariffCombo->setCurrentIndex(current >= 0 ? current : 0);
            }
            updateOk();
            emit tariffsLoaded();
        });
}

bool ActionDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_ui.customerSearchEdit && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down
        && m_ui.customerList->count() > 0) {
        m_ui.customerList->setFocus();
        if (!m_ui.customerList->currentItem())
            m_ui.customerList->setCurrentRow(0);
        return true;
    }
    return QDialog::eventFilter(watched, event);
}

void ActionDialog::setDebounceInterval(int ms)
{
    m_searchTimer.setInterval(ms);
    if (m_code)
        m_code->setDebounceInterval(ms);
}

std::optional<qint64> ActionDialog::selectedCustomer() const
{
    const QListWidgetItem *item = m_ui.customerList->currentItem();
    if (!item || !item->data(Qt::UserRole).isValid())
        return std::nullopt;
    return item->data(Qt::UserRole).toLongLong();
}

std::optional<qint64> ActionDialog::selectedTariff() const
{
    const QVariant id = m_ui.tariffCombo->currentData();
    if (!id.isValid())
        return std::nullopt;
    return id.toLongLong();
}

void ActionDialog::searchCustomers()
{
    const quint64 generation = ++m_searchGeneration;
    const QString search = m_ui.customerSearchEdit->text().trimmed();
    m_desk->runner()->run<QList<Customer>>(
        this, [search](QSqlDatabase db) { return CustomerRepository(db).list(search, 50); },
        [this, generation, search](const Result<QList<Customer>> &result) {
            if (generation != m_searchGeneration)
                return; // the user has typed on since
            if (!result) {
                m_ui.customerList->clear();
                m_ui.customerHintLabel->setText(result.error().message());
                m_ui.customerHintLabel->show();
            } else {
                showCustomers(*result, search);
            }
            updateOk();
            emit customersLoaded();
        });
}

void ActionDialog::showCustomers(const QList<Customer> &customers, const QString &search)
{
    // A customer just made here comes first; otherwise the selection stays where it was.
    const std::optional<qint64> before
        = m_created ? std::exchange(m_created, std::nullopt) : selectedCustomer();
    m_ui.customerList->clear();
    for (const Customer &c : customers) {
        auto *item = new QListWidgetItem(customerText(c), m_ui.customerList);
        item->setData(Qt::UserRole, c.id);
        if ((before && *before == c.id)
            || (!before && m_customer && m_customer->id == c.id
                && m_action != CardAction::AssignCustomer))
            m_ui.customerList->setCurrentItem(item);
    }
    if (customers.isEmpty())
        m_ui.customerHintLabel->setText(search.isEmpty()
                ? tr("There are no customers yet.")
                : tr("No customer matches “%1”.").arg(search));
    else if (customers.size() >= 50)
        m_ui.customerHintLabel->setText(tr("The first 50 matches; type more to narrow the list."));
    else
        m_ui.customerHintLabel->setText(customers.size() == 1
                ? tr("One customer found.")
                : tr("%1 customers found.").arg(customers.size()));
    if (customers.size() == 1 && !m_ui.customerList->currentItem())
        m_ui.customerList->setCurrentRow(0);
}

QDialog *ActionDialog::createCustomer()
{
    if (!m_ui.newCustomerButton->isVisibleTo(this) || m_busy)
        return nullptr;
    auto *dialog = new EditCustomerDialog(m_desk, {}, this);
    dialog->setObjectName(QStringLiteral("newCustomerDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &EditCustomerDialog::saved, this, [this](const Customer &c) {
        m_desk->hub()->changedHere(Topic::Customers, { { c.id }, false });
        // Found by its number (unique), so the list shows exactly the new customer, selected.
        m_created = c.id;
        m_ui.customerSearchEdit->setText(c.customerNo);
        m_searchTimer.stop();
        searchCustomers();
        m_ui.customerList->setFocus();
    });
    dialog->open();
    return dialog;
}

void ActionDialog::updateOk()
{
    bool valid = !m_busy && !m_stale && m_desk->isLive();
    if (needsCustomer())
        valid = valid && selectedCustomer().has_value();
    if (needsTariff()) {
        valid = valid && selectedTariff().has_value();
        if (m_action == CardAction::ChangeTariff && m_card.tariffPlanId)
            valid = valid && selectedTariff() != m_card.tariffPlanId;
    }
    if (takesCode())
        valid = valid && m_code->acceptable();
    if (needsReason())
        valid = valid && !m_ui.reasonEdit->text().trimmed().isEmpty();
    if (needsConfirmation())
        valid = valid && m_ui.confirmEdit->text().trimmed() == confirmationDigits();
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(valid);
}

void ActionDialog::showStale(const Error &error)
{
    m_stale = true;
    showError(error);
    updateOk();
}

void ActionDialog::showError(const Error &error)
{
    m_ui.errorView->showError(error);
    growToFit(this);
}

void ActionDialog::accept()
{
    if (m_busy || !m_ui.buttonBox->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    ActionRequest request;
    request.simId = m_card.id;
    request.expectedVersion = m_card.version;
    if (needsCustomer())
        request.customerId = selectedCustomer();
    if (needsTariff())
        request.tariffPlanId = selectedTariff();
    if (takesCode())
        request.activationCode = m_code->code();
    if (needsReason())
        request.reason = m_ui.reasonEdit->text().trimmed();
    m_busy = true;
    m_ui.errorView->clear();
    updateOk();
    m_desk->act(this, m_action, request, [this](const Status &result) {
        m_busy = false;
        if (result) {
            emit actionFinished(true);
            QDialog::accept();
            return;
        }
        showError(result.error());
        updateOk();
        emit actionFinished(false);
    });
}

void ActionDialog::reject()
{
    if (m_busy)
        return;
    QDialog::reject();
}

} // namespace simdesk
