// SPDX-License-Identifier: MIT
#pragma once

#include "domain/tariffplan.h"
#include "ui_tariffplandialog.h"

#include <QDialog>
#include <QLocale>

#include <optional>

namespace simdesk {

class Desk;

// Creates a tariff plan or edits one (administrators): code, name, the card type it fits (or
// any), monthly fee in the locale's currency format (kept exactly, as cents), data allowance.
// A plan changed elsewhere since it was opened is refused with who changed it (the version).
class TariffPlanDialog : public QDialog
{
    Q_OBJECT

public:
    TariffPlanDialog(Desk *desk, const std::optional<TariffPlan> &plan, QWidget *parent = nullptr);

    // "12,50 €", "1.234,5", "€12.50" in `locale` → 1250, 123450, 1250 cents; nullopt for
    // anything else (more than two decimals, letters, a negative amount).
    static std::optional<qint64> parseFee(const QString &text, const QLocale &locale = {});

public slots:
    void accept() override;

signals:
    void saved(const simdesk::TariffPlan &plan);
    void attemptFinished(bool ok);

private:
    Ui::TariffPlanDialog m_ui;
    Desk *m_desk;
    TariffPlan m_plan;
    bool m_busy = false;
};

} // namespace simdesk
