// SPDX-License-Identifier: MIT
#pragma once

#include "domain/customer.h"
#include "ui_editcustomerdialog.h"

#include <QDialog>

#include <optional>

namespace simdesk {

class Desk;

// New customer and Edit customer (support and admin). Name, e-mail and phone are checked by
// core's rules as they are typed, with the message under the field (the phone is shown in the
// E.164 form it will be stored in); Save stays disabled until every field is valid and, for an
// edit, something changed. An edit is saved against the version shown: a customer changed
// elsewhere meanwhile is refused ("changed by X at T") and the dialog offers Reload.
class EditCustomerDialog : public QDialog
{
    Q_OBJECT

public:
    // A new customer (no id) or an edit of `customer`.
    EditCustomerDialog(Desk *desk, const Customer &customer = {}, QWidget *parent = nullptr);

    const Customer &customer() const { return m_customer; }
    bool reloadRequested() const { return m_reloadRequested; }

public slots:
    void accept() override;
    void reject() override;

signals:
    // Saved: the customer as the database has it now.
    void saved(const simdesk::Customer &customer);

private:
    std::optional<Customer> validate();

    Ui::EditCustomerDialog m_ui;
    Desk *m_desk;
    Customer m_customer;
    bool m_busy = false;
    bool m_reloadRequested = false;
};

} // namespace simdesk
