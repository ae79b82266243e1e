// SPDX-License-Identifier: MIT
#pragma once

#include "ui_generatebatchdialog.h"

#include <QDialog>

namespace simdesk {

class Desk;

// Admin: a new batch of activation codes — label, count (1–100,000), length, optional prefix,
// expiry date (or none) — checked as typed with the bounds the database enforces
// (simdesk_code_batch_generate, sql/013_customers.sql), with a sample of what a code will look
// like; OK generates it in one transaction on a connection of its own (up to 100,000 codes take
// seconds) and emits generated().
class GenerateBatchDialog : public QDialog
{
    Q_OBJECT

public:
    explicit GenerateBatchDialog(Desk *desk, QWidget *parent = nullptr);

    // The first problem with what is filled in, or empty when it can be generated.
    QString problem() const;

signals:
    void generated(qint64 batchId, const QString &label, int count);

public slots:
    void accept() override;

private:
    void check();

    Ui::GenerateBatchDialog m_ui;
    Desk *m_desk;
    bool m_busy = false;
};

} // namespace simdesk
