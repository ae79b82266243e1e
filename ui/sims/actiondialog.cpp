// SPDX-License-Identifier: MIT
#include "actiondialog.h"

#include "common/backgroundtask.h"
#include "dialogsize.h"
#include "records/activationcoderepository.h"
#include "records/customerrepository.h"
#include "records/tariffplanrepository.h"

#include <QKeyEvent>
#include <QLocale>
#include <QPushButton>

namespace simdesk {

namespace {

std::optional<SimAction> lifecycleAction(CardAction action)
{
    switch (action) {
    case CardAction::Reserve:
        return SimAction::Reserve;
    case CardAction::Release:
        return SimAction::Release;
    case CardAction::Activate:
        return SimAction::Activate;
    case CardAction::Suspend:
        return SimAction::Suspend;
    case CardAction::Resume:
        return SimAction::Resume;
    case CardAction::ReportLostStolen:
        return SimAction::ReportLostStolen;
    case CardAction::Terminate:
        return SimAction::Terminate;
    case CardAction::AssignCustomer:
    case CardAction::UnassignCustomer:
    case CardAction::ChangeTariff:
        break;
    }
    return std::nullopt;
}

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

struct CodeCheck
{
    bool ok = false;
    QString text;
};

} // namespace

bool cardActionPossible(CardAction action, SimStatus status, bool hasCustomer)
{
    if (const std::optional<SimAction> a = lifecycleAction(action))
        return isAllowed(status, *a);
    switch (action) {
    case CardAction::AssignCustomer:
    case CardAction::ChangeTariff:
        return holdsCustomer(status);
    case CardAction::UnassignCustomer:
        return hasCustomer && !holdsCustomer(status);
    default:
        return false;
    }
}

bool cardActionNeedsDialog(CardAction action)
{
    return action != CardAction::Release && action != CardAction::Resume
        && action != CardAction::UnassignCustomer;
}

QString cardActionDisplayName(CardAction action)
{
    if (const std::optional<SimAction> a = lifecycleAction(action))
        return actionDisplayName(*a);
    switch (action) {
    case CardAction::AssignCustomer:
        return QCoreApplication::translate("simdesk::ActionDialog", "Assign customer");
    case CardAction::UnassignCustomer:
        return QCoreApplication::translate("simdesk::ActionDialog", "Unassign customer");
    case CardAction::ChangeTariff:
        return QCoreApplication::translate("simdesk::ActionDialog", "Change tariff");
    default:
        return {};
    }
}

Result<SimCard> performCardAction(QSqlDatabase db, CardAction action, const ActionRequest &request)
{
    LifecycleService service(db, ChangeSource::Desktop);
    if (const std::optional<SimAction> a = lifecycleAction(action))
        return service.perform(*a, request);
    switch (action) {
    case CardAction::AssignCustomer:
        if (!request.customerId)
            return Error(ErrorCode::CustomerRequired, { cardActionDisplayName(action) });
        return service.assignCustomer(request.simId, *request.customerId, request.expectedVersion);
    case CardAction::UnassignCustomer:
        return service.unassignCustomer(request.simId, request.expectedVersion);
    case CardAction::ChangeTariff:
        if (!request.tariffPlanId)
            return Error(ErrorCode::TariffRequired, { cardActionDisplayName(action) });
        return service.changeTariff(request.simId, *request.tariffPlanId, request.expectedVersion);
    default:
        return Error(ErrorCode::InvalidArgument);
    }
}

ActionDialog::ActionDialog(ConnectionSettings settings, CardAction action, const SimCard &card,
    std::optional<Customer> customer, QWidget *parent)
    : QDialog(parent)
    , m_settings(std::move(settings))
    , m_action(action)
    , m_card(card)
    , m_customer(std::move(customer))
{
    m_ui.setupUi(this);
    const QString name = cardActionDisplayName(action);
    setWindowTitle(tr("%1 – SIM card %2").arg(name, card.iccid));
    QPushButton *ok = m_ui.buttonBox->button(QDialogButtonBox::Ok);
    ok->setText(name);
    ok->setDefault(true);

    QString intro;
    switch (action) {
    case CardAction::Reserve:
        intro = tr("Reserve card %1 for a customer. It stays reserved until it is activated or "
                   "released.");
        break;
    case CardAction::Activate:
        intro = tr("Activate card %1: pick the customer and a tariff plan. An activation code is "
                   "optional; when given it is used up.");
        break;
    case CardAction::Suspend:
        intro = tr("Suspend card %1. The customer keeps the card and the number; it can be "
                   "resumed later.");
        break;
    case CardAction::ReportLostStolen:
        intro = tr("Report card %1 lost or stolen. It stops working; the number can then be "
                   "moved to a new card with Swap.");
        break;
    case CardAction::Terminate:
        intro = tr("Terminate card %1.");
        break;
    case CardAction::AssignCustomer:
        intro = tr("Give card %1 to another customer.");
        break;
    case CardAction::ChangeTariff:
        intro = tr("Change the tariff plan of card %1.");
        break;
    default:
        break;
    }
    m_ui.introLabel->setText(intro.arg(card.iccid));

    m_ui.formLayout->setRowVisible(0, needsCustomer());
    m_ui.formLayout->setRowVisible(1, needsTariff());
    m_ui.formLayout->setRowVisible(2, action == CardAction::Activate);
    m_ui.formLayout->setRowVisible(3, needsReason());
    m_ui.formLayout->setRowVisible(4, needsConfirmation());
    m_ui.errorLabel->hide();
    m_ui.reloadButton->hide();
    m_ui.codeStatusLabel->hide();
    m_ui.errorLabel->setStyleSheet(QStringLiteral("QLabel { color: #b3261e; }"));

    if (needsConfirmation()) {
        m_ui.warningLabel->setText(card.msisdn.isEmpty()
                ? tr("<b>This is final.</b> A terminated card can never be used again.")
                : tr("<b>This is final.</b> A terminated card can never be used again, and its "
                     "number %1 is released for other cards.")
                      .arg(card.msisdn.toHtmlEscaped()));
        m_ui.warningLabel->setStyleSheet(QStringLiteral("QLabel { color: #8a1c12; }"));
        m_ui.confirmHintLabel->setText(
            tr("To confirm, type the last four digits of the ICCID (…%1).")
                .arg(confirmationDigits()));
        ok->setText(tr("Terminate for good"));
    } else {
        m_ui.warningLabel->hide();
    }

    // Plan names with fee and data are long: the field takes the dialog's width.
    m_ui.tariffCombo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_ui.tariffCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(250);
    m_codeTimer.setSingleShot(true);
    m_codeTimer.setInterval(300);
    connect(&m_searchTimer, &QTimer::timeout, this, &ActionDialog::searchCustomers);
    connect(&m_codeTimer, &QTimer::timeout, this, &ActionDialog::checkCode);
    connect(
        m_ui.customerSearchEdit, &QLineEdit::textEdited, this, [this] { m_searchTimer.start(); });
    // Down from the search field goes to the results, as in any search-as-you-type box.
    m_ui.customerSearchEdit->installEventFilter(this);
    connect(m_ui.customerList, &QListWidget::currentRowChanged, this, &ActionDialog::updateOk);
    connect(m_ui.tariffCombo, &QComboBox::currentIndexChanged, this, &ActionDialog::updateOk);
    connect(m_ui.reasonEdit, &QLineEdit::textChanged, this, &ActionDialog::updateOk);
    connect(m_ui.confirmEdit, &QLineEdit::textChanged, this, &ActionDialog::updateOk);
    connect(m_ui.codeEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        ++m_codeGeneration;
        m_codePending = !text.trimmed().isEmpty();
        m_codeOk = text.trimmed().isEmpty();
        m_ui.codeStatusLabel->setVisible(m_codePending);
        m_ui.codeStatusLabel->setText(tr("Checking…"));
        m_ui.codeStatusLabel->setStyleSheet(QString());
        if (m_codePending)
            m_codeTimer.start();
        updateOk();
    });
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &ActionDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &ActionDialog::reject);
    connect(m_ui.reloadButton, &QPushButton::clicked, this, [this] {
        m_reloadRequested = true;
        reject();
    });

    if (needsCustomer()) {
        // Start with the card's own customer, when it has one (Activate of a reserved card).
        if (m_customer && action != CardAction::AssignCustomer)
            m_ui.customerSearchEdit->setText(m_customer->customerNo);
        m_ui.customerHintLabel->setText(tr("Searching…"));
        searchCustomers();
    } else {
        m_ui.customerHintLabel->hide();
    }
    if (needsTariff()) {
        m_ui.tariffCombo->addItem(tr("Loading tariff plans…"));
        m_ui.tariffCombo->setEnabled(false);
        const SimType type = card.type;
        whenReady(this,
            runWithDatabase<QList<TariffPlan>>(m_settings,
                [type](QSqlDatabase db) -> Result<QList<TariffPlan>> {
                    Result<QList<TariffPlan>> all = TariffPlanRepository(db).list(false);
                    if (!all)
                        return all.error();
                    QList<TariffPlan> fitting;
                    for (const TariffPlan &t : *all) {
                        if (t.active && (!t.simType || *t.simType == type))
                            fitting << t;
                    }
                    return fitting;
                }),
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
                    const int current = m_card.tariffPlanId
                        ? m_ui.tariffCombo->findData(*m_card.tariffPlanId)
                        : -1;
                    m_ui.tariffCombo->setCurrentIndex(current >= 0 ? current : 0);
                }
                updateOk();
                emit tariffsLoaded();
            });
    }
    (needsCustomer()        ? static_cast<QWidget *>(m_ui.customerSearchEdit)
            : needsReason() ? static_cast<QWidget *>(m_ui.reasonEdit)
                            : static_cast<QWidget *>(m_ui.tariffCombo))
        ->setFocus();
    updateOk();
    resize(qMax(width(), 580), height());
    growToFit(this, true);
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
    m_codeTimer.setInterval(ms);
}

bool ActionDialog::needsCustomer() const
{
    return m_action == CardAction::Reserve || m_action == CardAction::Activate
        || m_action == CardAction::AssignCustomer;
}

bool ActionDialog::needsTariff() const
{
    return m_action == CardAction::Activate || m_action == CardAction::ChangeTariff;
}

bool ActionDialog::needsReason() const
{
    if (const std::optional<SimAction> a = lifecycleAction(m_action))
        return requirementsOf(*a).reason;
    return false;
}

QString ActionDialog::confirmationDigits() const
{
    return m_card.iccid.right(4);
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
    whenReady(this,
        runWithDatabase<QList<Customer>>(m_settings,
            [search](QSqlDatabase db) { return CustomerRepository(db).list(search, 50); }),
        [this, generation, search](const Result<QList<Customer>> &result) {
            if (generation != m_searchGeneration)
                return; // the user has typed on since
            const std::optional<qint64> before = selectedCustomer();
            m_ui.customerList->clear();
            if (!result) {
                m_ui.customerHintLabel->setText(result.error().message());
                m_ui.customerHintLabel->show();
            } else {
                for (const Customer &c : *result) {
                    auto *item = new QListWidgetItem(customerText(c), m_ui.customerList);
                    item->setData(Qt::UserRole, c.id);
                    if ((before && *before == c.id)
                        || (!before && m_customer && m_customer->id == c.id
                            && m_action != CardAction::AssignCustomer))
                        m_ui.customerList->setCurrentItem(item);
                }
                if (result->isEmpty())
                    m_ui.customerHintLabel->setText(search.isEmpty()
                            ? tr("There are no customers yet.")
                            : tr("No customer matches “%1”.").arg(search));
                else if (result->size() >= 50)
                    m_ui.customerHintLabel->setText(
                        tr("The first 50 matches; type more to narrow the list."));
                else
                    m_ui.customerHintLabel->setText(result->size() == 1
                            ? tr("One customer found.")
                            : tr("%1 customers found.").arg(result->size()));
                if (result->size() == 1 && !m_ui.customerList->currentItem())
                    m_ui.customerList->setCurrentRow(0);
            }
            updateOk();
            emit customersLoaded();
        });
}

void ActionDialog::checkCode()
{
    const QString code = m_ui.codeEdit->text().trimmed();
    if (code.isEmpty())
        return;
    const quint64 generation = m_codeGeneration;
    whenReady(this,
        runWithDatabase<CodeCheck>(m_settings,
            [code](QSqlDatabase db) -> Result<CodeCheck> {
                Result<ActivationCode> found = ActivationCodeRepository(db).find(code);
                if (!found) {
                    if (found.error().code == ErrorCode::NotFound)
                        return CodeCheck { false,
                            QCoreApplication::translate("simdesk::ActionDialog",
                                "There is no activation code “%1”. Check it with the customer.")
                                .arg(code) };
                    return found.error();
                }
                const QLocale locale;
                switch (found->status) {
                case CodeStatus::Used:
                    return CodeCheck { false,
                        QCoreApplication::translate("simdesk::ActionDialog",
                            "This code was already used%1. Ask the customer for a new one.")
                            .arg(found->usedAt
                                    ? QCoreApplication::translate("simdesk::ActionDialog", " on %1")
                                          .arg(locale.toString(
                                              found->usedAt->toLocalTime(), QLocale::ShortFormat))
                                    : QString()) };
                case CodeStatus::Expired:
                    return CodeCheck { false,
                        QCoreApplication::translate("simdesk::ActionDialog",
                            "This code expired%1. Ask the customer for a new one.")
                            .arg(found->expiresAt
                                    ? QCoreApplication::translate("simdesk::ActionDialog", " on %1")
                                          .arg(locale.toString(found->expiresAt->toLocalTime(),
                                              QLocale::ShortFormat))
                                    : QString()) };
                case CodeStatus::Unused:
                    break;
                }
                return CodeCheck { true,
                    found->expiresAt ? QCoreApplication::translate(
                        "simdesk::ActionDialog", "✓ Valid and unused; expires %1.")
                                           .arg(locale.toString(found->expiresAt->toLocalTime(),
                                               QLocale::ShortFormat))
                                     : QCoreApplication::translate("simdesk::ActionDialog",
                                         "✓ Valid and unused; it does not expire.") };
            }),
        [this, generation](const Result<CodeCheck> &result) {
            if (generation != m_codeGeneration)
                return;
            m_codePending = false;
            m_codeOk = result && result->ok;
            m_ui.codeStatusLabel->setText(result ? result->text : result.error().message());
            m_ui.codeStatusLabel->setStyleSheet(m_codeOk
                    ? QStringLiteral("QLabel { color: #1e7b34; }")
                    : QStringLiteral("QLabel { color: #b3261e; }"));
            m_ui.codeStatusLabel->show();
            growToFit(this);
            updateOk();
            emit codeChecked();
        });
}

void ActionDialog::updateOk()
{
    bool valid = !m_busy;
    if (needsCustomer())
        valid = valid && selectedCustomer().has_value();
    if (needsTariff()) {
        valid = valid && selectedTariff().has_value();
        if (m_action == CardAction::ChangeTariff && m_card.tariffPlanId)
            valid = valid && selectedTariff() != m_card.tariffPlanId;
    }
    if (m_action == CardAction::Activate)
        valid = valid && m_codeOk && !m_codePending;
    if (needsReason())
        valid = valid && !m_ui.reasonEdit->text().trimmed().isEmpty();
    if (needsConfirmation())
        valid = valid && m_ui.confirmEdit->text().trimmed() == confirmationDigits();
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(valid);
}

void ActionDialog::showError(const Error &error)
{
    QString text = error.message();
    if (!error.detail.isEmpty() && error.code != ErrorCode::StaleVersion)
        text += QStringLiteral("\n") + error.detail;
    m_ui.errorLabel->setText(text);
    m_ui.errorLabel->show();
    m_ui.reloadButton->setVisible(
        error.code == ErrorCode::StaleVersion || error.code == ErrorCode::TransitionNotAllowed);
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
    if (m_action == CardAction::Activate)
        request.activationCode = m_ui.codeEdit->text().trimmed();
    if (needsReason())
        request.reason = m_ui.reasonEdit->text().trimmed();
    m_busy = true;
    m_ui.errorLabel->hide();
    m_ui.reloadButton->hide();
    updateOk();
    const CardAction action = m_action;
    whenReady(this,
        runWithDatabase<SimCard>(m_settings,
            [action, request](QSqlDatabase db) { return performCardAction(db, action, request); }),
        [this](const Result<SimCard> &result) {
            m_busy = false;
            if (result) {
                m_card = *result;
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
