// SPDX-License-Identifier: MIT
#include "tariffplandialog.h"

#include "common/desk.h"
#include "records/tariffplanrepository.h"
#include "sims/dialogsize.h"

#include <QPushButton>
#include <QRegularExpression>

namespace simdesk {

TariffPlanDialog::TariffPlanDialog(
    Desk *desk, const std::optional<TariffPlan> &plan, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_plan(plan.value_or(TariffPlan {}))
{
    m_ui.setupUi(this);
    setWindowTitle(plan ? tr("Edit tariff plan") : tr("New tariff plan"));
    m_ui.fitsCombo->addItem(tr("Any card type"), QString());
    for (SimType t : kAllSimTypes)
        m_ui.fitsCombo->addItem(simTypeDisplayName(t), simTypeKey(t));
    for (PlanType t : { PlanType::Mobile, PlanType::DataOnly })
        m_ui.typeCombo->addItem(planTypeDisplayName(t), planTypeKey(t));
    // A data-only card takes a data-only plan: choosing that card type suggests the type.
    connect(m_ui.fitsCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        if (m_ui.fitsCombo->currentData().toString() == simTypeKey(SimType::DataOnly))
            m_ui.typeCombo->setCurrentIndex(
                m_ui.typeCombo->findData(planTypeKey(PlanType::DataOnly)));
    });
    const QLocale locale;
    m_ui.feeEdit->setPlaceholderText(locale.toCurrencyString(9.99, QString(), 2));
    if (plan) {
        m_ui.codeEdit->setText(plan->code);
        m_ui.nameEdit->setText(plan->name);
        m_ui.fitsCombo->setCurrentIndex(
            m_ui.fitsCombo->findData(plan->simType ? simTypeKey(*plan->simType) : QString()));
        // The locale's currency format, as the list shows it; parseFee() reads it back exactly.
        m_ui.feeEdit->setText(
            locale.toCurrencyString(double(plan->monthlyFeeCents) / 100, QString(), 2));
        m_ui.typeCombo->setCurrentIndex(m_ui.typeCombo->findData(planTypeKey(plan->type)));
        m_ui.descriptionEdit->setPlainText(plan->description);
        if (plan->dataMb)
            m_ui.dataEdit->setText(QString::number(*plan->dataMb));
    }
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(plan ? tr("&Save") : tr("&Create"));
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &TariffPlanDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &TariffPlanDialog::reject);
    growToFit(this, true);
}

std::optional<qint64> TariffPlanDialog::parseFee(const QString &text, const QLocale &locale)
{
    QString t = text;
    t.remove(locale.currencySymbol(QLocale::CurrencySymbol));
    t.remove(locale.currencySymbol(QLocale::CurrencyIsoCode));
    // Spaces, also the no-break ones some locales put between amount and symbol.
    t.remove(QRegularExpression(QStringLiteral("\\s")));
    t.remove(QChar(0x00A0));
    t.remove(QChar(0x202F));
    t.remove(locale.groupSeparator());
    const QString point = locale.decimalPoint();
    const qsizetype at = t.indexOf(point);
    const QString whole = at < 0 ? t : t.left(at);
    const QString fraction = at < 0 ? QString() : t.mid(at + point.size());
    static const QRegularExpression digits(QStringLiteral("^[0-9]*$"));
    if ((whole.isEmpty() && fraction.isEmpty()) || !digits.match(whole).hasMatch()
        || !digits.match(fraction).hasMatch() || fraction.size() > 2 || whole.size() > 12)
        return std::nullopt;
    return whole.toLongLong() * 100 + (fraction + QStringLiteral("00")).left(2).toLongLong();
}

void TariffPlanDialog::accept()
{
    if (m_busy)
        return;
    const std::optional<qint64> fee = parseFee(m_ui.feeEdit->text());
    if (!fee) {
        m_ui.errorView->showError(Error(ErrorCode::InvalidArgument,
            { tr("The monthly fee is not an amount, such as %1.")
                    .arg(QLocale().toCurrencyString(9.99)) }));
        growToFit(this);
        emit attemptFinished(false);
        return;
    }
    TariffPlan plan = m_plan;
    plan.code = m_ui.codeEdit->text();
    plan.name = m_ui.nameEdit->text();
    plan.simType = simTypeFromKey(m_ui.fitsCombo->currentData().toString());
    plan.monthlyFeeCents = *fee;
    plan.type
        = planTypeFromKey(m_ui.typeCombo->currentData().toString()).value_or(PlanType::Mobile);
    plan.description = m_ui.descriptionEdit->toPlainText().trimmed();
    bool ok = false;
    const int data = m_ui.dataEdit->text().trimmed().toInt(&ok);
    plan.dataMb = ok && data >= 0 ? std::optional<int>(data) : std::nullopt;
    m_busy = true;
    m_ui.errorView->clear();
    const bool create = m_plan.id == 0;
    m_desk->runner()->run<TariffPlan>(
        this,
        [plan, create](QSqlDatabase db) {
            TariffPlanRepository repository(db);
            return create ? repository.create(plan) : repository.update(plan);
        },
        [this](const Result<TariffPlan> &result) {
            m_busy = false;
            if (!result) {
                m_ui.errorView->showError(result.error());
                growToFit(this);
                emit attemptFinished(false);
                return;
            }
            emit saved(*result);
            emit attemptFinished(true);
            QDialog::accept();
        });
}

} // namespace simdesk
