// SPDX-License-Identifier: MIT
#include "sims/bulkactiondialog.h"

#include "common/backgroundtask.h"
#include "records/tariffplanrepository.h"

#include <QFileDialog>
#include <QFutureWatcher>
#include <QLocale>
#include <QMap>
#include <QPushButton>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

namespace simdesk {


BulkActionDialog::BulkActionDialog(
    ConnectionSettings settings, QString actionKey, QList<qint64> simIds, QWidget *parent)
    : QDialog(parent)
    , m_settings(std::move(settings))
    , m_actionKey(std::move(actionKey))
    , m_ids(std::move(simIds))
{
    m_ui.setupUi(this);
    const QLocale locale;
    setWindowTitle(actionTitle());
    m_ui.titleLabel->setText(tr("%1: %n SIM card(s)", nullptr, int(m_ids.size())).arg(actionTitle()));
    const bool tariff = m_actionKey == QLatin1String("change_tariff");
    const bool reason = action() && requirementsOf(*action()).reason;
    const bool terminate = m_actionKey == QLatin1String("terminate");
    m_ui.tariffLabel->setVisible(tariff);
    m_ui.tariffCombo->setVisible(tariff);
    m_ui.reasonLabel->setVisible(reason);
    m_ui.reasonEdit->setVisible(reason);
    m_ui.confirmLabel->setVisible(terminate);
    m_ui.confirmEdit->setVisible(terminate);
    m_ui.saveRefusalsButton->setEnabled(false);
    m_ui.refusalTable->hide();
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Run"));
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, [this] {
        if (m_done)
            accept();
        else
            run();
    });
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui.reasonEdit, &QLineEdit::textChanged, this, &BulkActionDialog::validate);
    connect(m_ui.confirmEdit, &QLineEdit::textChanged, this, &BulkActionDialog::validate);
    connect(m_ui.tariffCombo, &QComboBox::currentIndexChanged, this, &BulkActionDialog::preview);
    connect(m_ui.saveRefusalsButton, &QPushButton::clicked, this, &BulkActionDialog::saveRefusals);
    if (tariff) {
        whenReady(this,
            runWithDatabase<QList<TariffPlan>>(
                m_settings, [](QSqlDatabase db) { return TariffPlanRepository(db).list(false); }),
            [this](const Result<QList<TariffPlan>> &plans) {
                if (!plans) {
                    m_ui.errorLabel->setText(plans.error().message());
                    return;
                }
                const QSignalBlocker block(m_ui.tariffCombo);
                for (const TariffPlan &p : *plans)
                    m_ui.tariffCombo->addItem(p.name, p.id);
                preview();
            });
    } else {
        preview();
    }
}

std::optional<SimAction> BulkActionDialog::action() const
{
    return actionFromKey(m_actionKey);
}

QString BulkActionDialog::actionTitle() const
{
    if (const std::optional<SimAction> a = action())
        return actionDisplayName(*a);
    return tr("Change tariff");
}

QString BulkActionDialog::refusalText(const QString &outcome, const QString &detail)
{
    if (outcome == QLatin1String("transition")) {
        const std::optional<SimStatus> s = statusFromKey(detail);
        return tr("not allowed while %1").arg(s ? statusDisplayName(*s) : detail);
    }
    if (outcome == QLatin1String("not_found"))
        return tr("no longer exists");
    if (outcome == QLatin1String("stale"))
        return tr("changed by someone else meanwhile");
    if (outcome == QLatin1String("tariff_inactive"))
        return tr("tariff %1 is no longer offered").arg(detail);
    if (outcome == QLatin1String("tariff_type"))
        return tr("tariff %1 does not fit the card's type").arg(detail);
    if (outcome == QLatin1String("customer_required"))
        return tr("the card has no customer");
    if (outcome == QLatin1String("tariff_required"))
        return tr("the card has no tariff");
    return outcome;
}

void BulkActionDialog::preview()
{
    if (m_actionKey == QLatin1String("change_tariff") && m_ui.tariffCombo->currentIndex() < 0)
        return;
    m_busy = true;
    m_ui.progressBar->show();
    m_ui.summaryLabel->setText(tr("Checking what the database will do…"));
    validate();
    const std::optional<SimAction> a = action();
    const QList<qint64> ids = m_ids;
    const qint64 tariff = m_ui.tariffCombo->currentData().toLongLong();
    whenReady(this,
        runWithDatabase<BulkResult>(m_settings,
            [a, ids, tariff](QSqlDatabase db) {
                LifecycleService life(db, ChangeSource::Bulk);
                return a ? life.performMany(*a, ids, {}, LifecycleService::BulkMode::Preview)
                         : life.changeTariffOfMany(ids, tariff, LifecycleService::BulkMode::Preview);
            }),
        [this](const Result<BulkResult> &r) {
            m_busy = false;
            m_ui.progressBar->hide();
            if (!r) {
                m_ui.summaryLabel->clear();
                m_ui.errorLabel->setText(r.error().message());
            } else {
                m_preview = *r;
                showPreview(*r);
            }
            validate();
            emit previewed();
        });
}

void BulkActionDialog::showPreview(const BulkResult &preview)
{
    const QLocale locale;
    QMap<QString, int> reasons;
    for (const BulkOutcome &o : preview.outcomes) {
        if (!o.done())
            ++reasons[refusalText(o.outcome, o.detail)];
    }
    m_ui.summaryLabel->setText(preview.refused == 0
            ? tr("All %1 cards will change.").arg(locale.toString(preview.done))
            : tr("%1 will change; %2 stay as they are (the lifecycle rules or your role do not allow it):")
                  .arg(locale.toString(preview.done), locale.toString(preview.refused)));
    m_ui.refusalTable->setRowCount(int(reasons.size()));
    int row = 0;
    for (auto it = reasons.cbegin(); it != reasons.cend(); ++it, ++row) {
        auto *count = new QTableWidgetItem(locale.toString(it.value()));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_ui.refusalTable->setItem(row, 0, count);
        m_ui.refusalTable->setItem(row, 1, new QTableWidgetItem(it.key()));
    }
    m_ui.refusalTable->resizeColumnToContents(0);
    m_ui.refusalTable->setVisible(!reasons.isEmpty());
    m_ui.saveRefusalsButton->setEnabled(!reasons.isEmpty());
    if (m_actionKey == QLatin1String("terminate"))
        m_ui.confirmEdit->setPlaceholderText(
            tr("Type %1 to terminate that many cards — final, their numbers are released").arg(preview.done));
}

void BulkActionDialog::validate()
{
    bool ok = !m_busy && !m_done && m_preview.done > 0;
    if (m_ui.reasonEdit->isVisible() && m_ui.reasonEdit->text().trimmed().isEmpty())
        ok = false;
    if (m_ui.confirmEdit->isVisible()
        && m_ui.confirmEdit->text().trimmed() != QString::number(m_preview.done))
        ok = false;
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setEnabled(ok || m_done);
}

void BulkActionDialog::run()
{
    m_busy = true;
    m_ui.progressBar->show();
    m_ui.errorLabel->clear();
    m_ui.summaryLabel->setText(tr("Working on %n card(s)…", nullptr, int(m_ids.size())));
    m_ui.buttonBox->button(QDialogButtonBox::Cancel)->setEnabled(false);
    validate();
    const std::optional<SimAction> a = action();
    const QList<qint64> ids = m_ids;
    const qint64 tariff = m_ui.tariffCombo->currentData().toLongLong();
    ActionRequest common;
    common.reason = m_ui.reasonEdit->text().trimmed();
    whenReady(this,
        runWithDatabase<BulkResult>(m_settings,
            [a, ids, tariff, common](QSqlDatabase db) {
                LifecycleService life(db, ChangeSource::Bulk);
                return a ? life.performMany(*a, ids, common) : life.changeTariffOfMany(ids, tariff);
            }),
        [this](const Result<BulkResult> &r) {
            m_busy = false;
            m_ui.progressBar->hide();
            m_ui.buttonBox->button(QDialogButtonBox::Cancel)->setEnabled(true);
            if (!r) {
                m_ui.errorLabel->setText(r.error().message() + QStringLiteral(" ")
                    + tr("Nothing was changed."));
                validate();
                return;
            }
            m_result = *r;
            showResult(*r);
            emit applied();
        });
}

void BulkActionDialog::showResult(const BulkResult &result)
{
    const QLocale locale;
    m_done = true;
    m_preview = result;
    showPreview(result);
    m_ui.summaryLabel->setText(result.refused == 0
            ? tr("Done: %1 cards changed.").arg(locale.toString(result.done))
            : tr("Done: %1 cards changed, %2 refused:").arg(locale.toString(result.done),
                  locale.toString(result.refused)));
    for (QWidget *w : { static_cast<QWidget *>(m_ui.reasonEdit), static_cast<QWidget *>(m_ui.confirmEdit),
             static_cast<QWidget *>(m_ui.tariffCombo) })
        w->setEnabled(false);
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Close"));
    m_ui.buttonBox->button(QDialogButtonBox::Cancel)->hide();
    validate();
}

QString BulkActionDialog::refusalsCsv() const
{
    QString csv = QStringLiteral("sim_id,outcome,detail\n");
    for (const BulkOutcome &o : m_preview.outcomes) {
        if (o.done())
            continue;
        QString detail = o.detail;
        detail.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        csv += QStringLiteral("%1,%2,\"%3\"\n").arg(o.simId).arg(o.outcome, detail);
    }
    return csv;
}

void BulkActionDialog::saveRefusals()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the refused cards"),
        QStringLiteral("refused-cards.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(refusalsCsv().toUtf8()) < 0 || !file.commit())
        m_ui.errorLabel->setText(tr("Could not write %1: %2").arg(path, file.errorString()));
}

} // namespace simdesk
