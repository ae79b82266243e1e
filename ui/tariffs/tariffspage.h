// SPDX-License-Identifier: MIT
#pragma once

#include "domain/lifecycle.h"
#include "domain/tariffplan.h"
#include "ui_tariffspage.h"

#include <QHash>
#include <QMap>
#include <QWidget>

#include <optional>

namespace simdesk {

class Desk;

// Tariff plans, for everyone to read: each plan with its price, the cards it fits, data, whether
// it is still offered (a retired one greyed, with its date) and its cards per status, counted
// from the dashboard's rollups, not by scanning the cards. Administrators create and edit plans
// (TariffPlanDialog) and retire them: a retired plan is refused by the database for new
// activations and tariff changes and stays on the cards that have it.
class TariffsPage : public QWidget
{
    Q_OBJECT

public:
    explicit TariffsPage(Desk *desk, QWidget *parent = nullptr);

    const QList<TariffPlan> &plans() const { return m_plans; }
    std::optional<qint64> currentPlanId() const;
    void selectPlan(qint64 id);

public slots:
    void reload();
    void createPlan();
    void editPlan();
    // Retires the selected plan (after asking, naming its cards).
    void retirePlan();
    // Moves every reserved, active or suspended card of the selected plan to another plan: the
    // bulk tariff change with its preview and per-card outcomes, one audited operation.
    void moveCards();

signals:
    void loaded();
    void changeFinished(bool ok);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Data
    {
        QList<TariffPlan> plans;
        QHash<qint64, QMap<SimStatus, qint64>> counts;
    };
    void showData(const Data &data);
    void fillRow(int row, const TariffPlan &plan);
    void updateButtons();
    const TariffPlan *current() const;
    void openDialog(const std::optional<TariffPlan> &plan);

    Ui::TariffsPage m_ui;
    Desk *m_desk;
    QList<TariffPlan> m_plans;
    QHash<qint64, QMap<SimStatus, qint64>> m_counts;
    std::optional<qint64> m_wanted;
    bool m_loadedOnce = false;
};

} // namespace simdesk
