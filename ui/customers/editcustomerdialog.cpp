// SPDX-License-Identifier: MIT
#include "customers/editcustomerdialog.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "common/fieldcheck.h"
#include "domain/customerfields.h"
#include "domain/validation.h"
#include "records/customerrepository.h"
#include "sims/dialogsize.h"

#include <QPushButton>

namespace simdesk {

namespace {

Result<QString> normalizeNumber(QStringView input)
{
    const QString number = input.trimmed().toString();
    if (number.isEmpty())
        return Error(ErrorCode::FieldRequired, { EditCustomerDialog::tr("The customer number") });
    return number;
}

QString plain(const QPlainTextEdit *edit)
{
    return edit->toPlainText().trimmed();
}

} // namespace

EditCustomerDialog::EditCustomerDialog(Desk *desk, const Customer &customer, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_customer(customer)
{
    m_ui.setupUi(this);
    const bool isNew = customer.id == 0;
    setWindowTitle(isNew ? tr("New customer") : tr("Edit customer %1").arg(customer.customerNo));
    m_ui.introLabel->setText(isNew
            ? tr("A name is all that is needed; the number is given by the database unless you "
                 "enter one.")
            : tr("The change is recorded in the customer's history with the old and new "
                 "values."));
    m_ui.numberEdit->setPlaceholderText(isNew ? tr("next free number") : QString());
    m_ui.phoneEdit->setPlaceholderText(tr("+49 151 2345678"));
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(isNew ? tr("&Create") : tr("&Save"));
    m_ui.numberEdit->setText(customer.customerNo);
    m_ui.nameEdit->setText(customer.fullName);
    m_ui.companyEdit->setText(customer.company);
    m_ui.emailEdit->setText(customer.email);
    m_ui.phoneEdit->setText(customer.phone);
    m_ui.addressEdit->setPlainText(customer.address);
    m_ui.notesEdit->setPlainText(customer.notes);
    for (QLineEdit *e :
        { m_ui.numberEdit, m_ui.nameEdit, m_ui.companyEdit, m_ui.emailEdit, m_ui.phoneEdit })
        connect(e, &QLineEdit::textChanged, this, [this] { validate(); });
    for (QPlainTextEdit *e : { m_ui.addressEdit, m_ui.notesEdit })
        connect(e, &QPlainTextEdit::textChanged, this, [this] { validate(); });
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &EditCustomerDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &EditCustomerDialog::reject);
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, [this] {
        m_reloadRequested = true;
        reject();
    });
    validate();
    m_ui.nameEdit->setFocus();
    resize(qMax(width(), 560), height());
    growToFit(this, true);
}

std::optional<Customer> EditCustomerDialog::validate()
{
    const bool isNew = m_customer.id == 0;
    Customer c = m_customer;
    bool valid = true;
    auto check = [&valid](QLineEdit *field, QLabel *message, FieldRule rule, bool optional,
                     const QString &current, QString &out) {
        const FieldCheck r = checkField(field, message, rule, { optional, false, current });
        valid = valid && r.valid;
        out = r.value;
    };
    check(m_ui.numberEdit, m_ui.numberMessageLabel, normalizeNumber, isNew, m_customer.customerNo,
        c.customerNo);
    check(m_ui.nameEdit, m_ui.nameMessageLabel, customerfields::normalizeName, false,
        m_customer.fullName, c.fullName);
    check(m_ui.emailEdit, m_ui.emailMessageLabel, customerfields::normalizeEmail, true,
        m_customer.email, c.email);
    check(m_ui.phoneEdit, m_ui.phoneMessageLabel, validation::normalizeMsisdn, true,
        m_customer.phone, c.phone);
    c.company = m_ui.companyEdit->text().trimmed();
    c.address = plain(m_ui.addressEdit);
    c.notes = plain(m_ui.notesEdit);
    const bool changed = isNew || c.customerNo != m_customer.customerNo
        || c.fullName != m_customer.fullName || c.company != m_customer.company
        || c.email != m_customer.email || c.phone != m_customer.phone
        || c.address != m_customer.address || c.notes != m_customer.notes;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)
        ->setEnabled(valid && changed && !m_busy && m_desk->isLive());
    growToFit(this);
    if (!valid || !changed)
        return std::nullopt;
    return c;
}

void EditCustomerDialog::accept()
{
    if (m_busy)
        return;
    const std::optional<Customer> c = validate();
    if (!c)
        return;
    m_busy = true;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_ui.errorView->clear();
    const Customer change = *c;
    m_desk->runner()->run<Customer>(
        this,
        [change](QSqlDatabase db) {
            CustomerRepository repo(db);
            return change.id == 0 ? repo.create(change) : repo.update(change);
        },
        [this](const Result<Customer> &result) {
            m_busy = false;
            if (result) {
                m_customer = *result;
                emit saved(m_customer);
                QDialog::accept();
                return;
            }
            m_ui.errorView->showError(result.error());
            validate();
            growToFit(this);
        });
}

void EditCustomerDialog::reject()
{
    // The save's outcome must reach the page: wait for it.
    if (!m_busy)
        QDialog::reject();
}

} // namespace simdesk
