// SPDX-License-Identifier: MIT
#include "sims/bulkactiondialog.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "records/tariffplanrepository.h"

#include <QFileDialog>
#include <QLocale>
#include <QMap>
#include <QPushButton>
#include <QSaveFile>

namespace simdesk {

BulkActionDialog::BulkActionDialog(
    Desk *desk, CardAction action, QList<qint64> simIds, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_action(action)
    , m_ids(std::move(simIds))
{
    m_ui.setupUi(this);
    const QString title = cardActionDisplayName(m_action);
    setWindowTitle(title);
    m_ui.titleLabel->setText(tr("%1: %n SIM card(s)", nullptr, int(m_ids.size())).arg(title));
    const ActionRequirements needs = cardActionRequirements(m_action);
    const bool terminate = m_action == CardAction::Terminate;
    m_ui.tariffLabel->setVisible(needs.tariff);
    m_ui.tariffCombo->setVisible(needs.tariff);
    m_ui.reasonLabel->setVisible(needs.reason);
    m_ui.reasonEdit->setVisible(needs.reason);
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
    if (!needs.tariff) {
        preview();
        return;
    }
    // Every offered plan: the cards may be of several types; a plan that does not fit one of
    // them is that card's refusal in the preview.
    m_desk->runner()->run<QList<TariffPlan>>(
        this, [](QSqlDatabase db) { return TariffPlanRepository(db).list(false); },
        [this](const Result<QList<TariffPlan>> &plans) {
            if (!plans) {
                m_ui.errorView->showError(plans.error());
                return;
            }
            const QSignalBlocker block(m_ui.tariffCombo);
            for (const TariffPlan &p : *plans)
                m_ui.tariffCombo->addItem(p.name, p.id);
            preview();
        });
}

ActionRequest BulkActionDialog::request() const
{
    ActionRequest common;
    common.reason = m_ui.reasonEdit->text().trimmed();
    if (cardActionRequirements(m_action).tariff && m_ui.tariffCombo->currentIndex() >= 0)
        common.tariffPlanId = m_ui.tariffCombo->currentData().toLongLong();
    return common;
}

void BulkActionDialog::preview()
{
    if (cardActionRequirements(m_action).tariff && m_ui.tariffCombo->currentIndex() < 0)
        return;
    m_busy = true;
    m_previewDone = false;
    const int generation = ++m_previewGeneration;
    m_ui.progressBar->show();
    m_ui.summaryLabel->setText(tr("Checking what the database will do…"));
    validate();
    const CardAction action = m_action;
    const QList<qint64> ids = m_ids;
    const ActionRequest common = request();
    m_desk->runner()->run<BulkResult>(
        this,
        [action, ids, common](QSqlDatabase db) {
            return LifecycleService(db, ChangeSource::Bulk)
                .performMany(action, ids, common, LifecycleService::BulkMode::Preview);
        },
        [this, generation](const Result<BulkResult> &r) {
            if (generation != m_previewGeneration)
                return; // another tariff was chosen meanwhile: its preview is on its way
            m_busy = false;
            m_ui.progressBar->hide();
            if (!r) {
                m_ui.summaryLabel->clear();
                m_ui.errorView->showError(r.error());
            } else {
                m_preview = *r;
                showPreview(*r);
            }
            validate();
            m_previewDone = true;
            emit previewed();
        });
}

void BulkActionDialog::showPreview(const BulkResult &preview)
{
    const QLocale locale;
    QMap<QString, int> reasons;
    for (const BulkOutcome &o : preview.outcomes) {
        if (!o.done())
            ++reasons[o.message()];
    }
    m_ui.summaryLabel->setText(preview.refused == 0
            ? tr("All %1 cards will change.").arg(locale.toString(preview.done))
            : tr("%1 will change; %2 stay as they are (the lifecycle rules or your role do not "
                 "allow it):")
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
    if (m_action == CardAction::Terminate)
        m_ui.confirmEdit->setPlaceholderText(
            tr("Type %1 to terminate that many cards — final, their numbers are released")
                .arg(preview.done));
}

void BulkActionDialog::validate()
{
    bool ok = !m_busy && !m_done && m_preview.done > 0 && m_desk->isLive();
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
    m_ui.errorView->clear();
    m_ui.summaryLabel->setText(tr("Working on %n card(s)…", nullptr, int(m_ids.size())));
    m_ui.buttonBox->button(QDialogButtonBox::Cancel)->setEnabled(false);
    validate();
    const CardAction action = m_action;
    const QList<qint64> ids = m_ids;
    const ActionRequest common = request();
    m_desk->runner()->run<BulkResult>(
        this,
        [action, ids, common](QSqlDatabase db) {
            return LifecycleService(db, ChangeSource::Bulk).performMany(action, ids, common);
        },
        [this](const Result<BulkResult> &r) {
            m_busy = false;
            m_ui.progressBar->hide();
            m_ui.buttonBox->button(QDialogButtonBox::Cancel)->setEnabled(true);
            if (!r) {
                m_ui.errorView->showError(r.error());
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
            : tr("Done: %1 cards changed, %2 refused:")
                  .arg(locale.toString(result.done), locale.toString(result.refused)));
    for (QWidget *w : { static_cast<QWidget *>(m_ui.reasonEdit),
             static_cast<QWidget *>(m_ui.confirmEdit), static_cast<QWidget *>(m_ui.tariffCombo) })
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
        csv += QStringLiteral("%1,%2,\"%3\"\n").arg(o.simId).arg(bulkOutcomeKey(o.kind), detail);
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
    if (!file.open(QIODevice::WriteOnly) || file.write(refusalsCsv().toUtf8()) < 0
        || !file.commit())
        m_ui.errorView->showError(Error(ErrorCode::InvalidArgument,
            { tr("Could not write %1: %2").arg(path, file.errorString()) }));
}

} // namespace simdesk
