// SPDX-License-Identifier: MIT
#include "audit/auditlogpage.h"

#include "common/desk.h"
#include "common/fileexport.h"

#include <QFileDialog>
#include <QHeaderView>

namespace simdesk {

AuditLogPage::AuditLogPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
    , m_model(desk->runner())
{
    m_ui.setupUi(this);
    m_ui.kindCombo->addItem(tr("Every kind"));
    for (AuditKind k : AuditLogQuery::allKinds())
        m_ui.kindCombo->addItem(AuditLogQuery::kindName(k), int(k));
    m_ui.actionCombo->addItem(QString());
    m_ui.actionCombo->addItems({ QStringLiteral("ACTIVATED"), QStringLiteral("SUSPENDED"),
        QStringLiteral("RESUMED"), QStringLiteral("TERMINATED"), QStringLiteral("LOST_REPORTED"),
        QStringLiteral("TARIFF_CHANGED"), QStringLiteral("SECRET_REVEALED"),
        QStringLiteral("SWAPPED_OUT"), QStringLiteral("IMPORTED"), QStringLiteral("INSERT"),
        QStringLiteral("UPDATE"), QStringLiteral("DELETE"), QStringLiteral("PASSWORD_SET") });
    m_ui.actionCombo->lineEdit()->setPlaceholderText(tr("any action"));
    m_ui.sourceCombo->addItem(tr("Any"));
    for (const char *s : { "desktop", "cli", "import", "bulk", "system" })
        m_ui.sourceCombo->addItem(QLatin1String(s), QLatin1String(s));
    const QDateTime now = QDateTime::currentDateTime();
    m_ui.fromEdit->setDateTime(now.addDays(-7));
    m_ui.toEdit->setDateTime(now.addSecs(3600));
    m_ui.logView->setModel(&m_model);
    m_ui.logView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_ui.logView->horizontalHeader()->setStretchLastSection(true);
    // Room for what the columns hold: a time, a login, an ICCID; the rest scrolls sideways.
    const std::pair<int, int> widths[] = { { AuditLogModel::Time, 135 },
        { AuditLogModel::Who, 150 }, { AuditLogModel::Kind, 95 }, { AuditLogModel::Action, 125 },
        { AuditLogModel::Card, 165 }, { AuditLogModel::Record, 60 }, { AuditLogModel::Source, 70 },
        { AuditLogModel::Operation, 110 }, { AuditLogModel::Reason, 160 },
        { AuditLogModel::Old, 200 } };
    for (const auto &[column, width] : widths)
        m_ui.logView->setColumnWidth(column, width);
    m_ui.logView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    connect(m_ui.applyButton, &QPushButton::clicked, this, &AuditLogPage::applyFilter);
    connect(m_ui.clearButton, &QPushButton::clicked, this, &AuditLogPage::clearFilter);
    connect(m_ui.refreshButton, &QPushButton::clicked, this, &AuditLogPage::applyFilter);
    connect(m_ui.openButton, &QPushButton::clicked, this, &AuditLogPage::openCurrent);
    connect(m_ui.exportButton, &QPushButton::clicked, this, [this] { exportCsv(); });
    connect(m_ui.logView, &QTableView::activated, this, &AuditLogPage::openCurrent);
    for (QLineEdit *e :
        { m_ui.whoEdit, m_ui.iccidEdit, m_ui.operationEdit, m_ui.textEdit, m_ui.customerEdit })
        connect(e, &QLineEdit::returnPressed, this, &AuditLogPage::applyFilter);
    connect(m_ui.fromCheck, &QCheckBox::toggled, m_ui.fromEdit, &QWidget::setEnabled);
    connect(m_ui.toCheck, &QCheckBox::toggled, m_ui.toEdit, &QWidget::setEnabled);
    m_ui.fromEdit->setEnabled(false);
    m_ui.toEdit->setEnabled(false);
    connect(m_ui.logView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &AuditLogPage::updateButtons);
    connect(&m_model, &AuditLogModel::pageLoaded, this, [this] {
        m_ui.errorView->clear();
        updateCount();
        updateButtons();
        emit loaded();
    });
    connect(&m_model, &AuditLogModel::failed, this, [this] {
        m_ui.errorView->showLoadError(m_model.lastError());
        updateCount();
        emit loaded();
    });
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, &AuditLogPage::applyFilter);
    updateButtons();
}

void AuditLogPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loadedOnce)
        applyFilter();
}

AuditFilter AuditLogPage::currentFilter() const
{
    AuditFilter f;
    f.who = m_ui.whoEdit->text().trimmed();
    if (m_ui.kindCombo->currentIndex() > 0)
        f.kinds = { AuditKind(m_ui.kindCombo->currentData().toInt()) };
    f.action = m_ui.actionCombo->currentText().trimmed().toUpper();
    if (m_ui.fromCheck->isChecked())
        f.from = m_ui.fromEdit->dateTime();
    if (m_ui.toCheck->isChecked())
        f.to = m_ui.toEdit->dateTime();
    f.iccid = m_ui.iccidEdit->text().trimmed();
    f.customerNo = m_ui.customerEdit->text().trimmed();
    f.source = m_ui.sourceCombo->currentData().toString();
    f.operationId = m_ui.operationEdit->text().trimmed();
    f.text = m_ui.textEdit->text().trimmed();
    return f;
}

void AuditLogPage::applyFilter()
{
    m_loadedOnce = true;
    m_ui.countLabel->setText(tr("Loading…"));
    m_model.setFilter(currentFilter());
}

void AuditLogPage::clearFilter()
{
    for (QLineEdit *e :
        { m_ui.whoEdit, m_ui.iccidEdit, m_ui.operationEdit, m_ui.textEdit, m_ui.customerEdit })
        e->clear();
    m_ui.kindCombo->setCurrentIndex(0);
    m_ui.actionCombo->setCurrentIndex(0);
    m_ui.sourceCombo->setCurrentIndex(0);
    m_ui.fromCheck->setChecked(false);
    m_ui.toCheck->setChecked(false);
    applyFilter();
}

void AuditLogPage::updateCount()
{
    const int rows = m_model.rowCount();
    // The list reads on as it scrolls: until its end, the count is "at least".
    m_ui.countLabel->setText(m_model.atEnd()
            ? tr("%n change(s)", nullptr, rows)
            : tr("%n change(s) so far, more below", nullptr, rows));
}

namespace {

// The login a staff row is about (the record's, old or new).
QString staffLogin(const AuditEntry &e)
{
    for (const QString &side : { e.newValue, e.oldValue }) {
        for (const QString &field : side.split(QStringLiteral("; "))) {
            if (field.startsWith(QLatin1String("login: ")))
                return field.mid(7);
        }
    }
    return {};
}

} // namespace

void AuditLogPage::updateButtons()
{
    const AuditEntry *e = m_model.entryAt(m_ui.logView->currentIndex().row());
    QString text = tr("&Open card");
    bool can = false;
    if (e) {
        switch (e->kind) {
        case AuditKind::Card:
            can = e->simId.has_value();
            break;
        case AuditKind::Customer:
            text = tr("&Open customer");
            can = e->recordId.has_value();
            break;
        case AuditKind::TariffPlan:
            text = tr("&Open tariff plan");
            can = e->recordId.has_value();
            break;
        case AuditKind::ActivationCode:
            text = tr("&Open activation code");
            can = e->recordId.has_value();
            break;
        case AuditKind::CodeBatch:
            text = tr("&Open code batch");
            can = e->recordId.has_value();
            break;
        case AuditKind::Import:
            text = tr("&Open import");
            can = e->recordId.has_value();
            break;
        case AuditKind::Staff:
            text = tr("&Open staff member");
            can = m_desk->roleAllows(StaffRole::Admin) && !staffLogin(*e).isEmpty();
            break;
        }
    }
    m_ui.openButton->setText(text);
    m_ui.openButton->setEnabled(can);
    m_ui.exportButton->setEnabled(m_model.rowCount() > 0);
}

void AuditLogPage::openCurrent()
{
    const AuditEntry *e = m_model.entryAt(m_ui.logView->currentIndex().row());
    if (!e)
        return;
    switch (e->kind) {
    case AuditKind::Card:
        if (e->simId)
            emit cardRequested(*e->simId);
        return;
    case AuditKind::Customer:
        // A deleted customer has no page to open; the customer page says so.
        if (e->recordId)
            emit customerRequested(*e->recordId);
        return;
    case AuditKind::TariffPlan:
        if (e->recordId)
            emit tariffPlanRequested(*e->recordId);
        return;
    case AuditKind::ActivationCode:
        if (e->recordId)
            emit activationCodeRequested(*e->recordId);
        return;
    case AuditKind::CodeBatch:
        if (e->recordId)
            emit codeBatchRequested(*e->recordId);
        return;
    case AuditKind::Import:
        if (e->recordId)
            emit importBatchRequested(*e->recordId);
        return;
    case AuditKind::Staff:
        if (const QString login = staffLogin(*e);
            !login.isEmpty() && m_desk->roleAllows(StaffRole::Admin))
            emit staffRequested(login);
        return;
    }
}

void AuditLogPage::exportCsv(const QString &chosenPath)
{
    QString path = chosenPath;
    if (path.isEmpty())
        path = QFileDialog::getSaveFileName(this, tr("Export the audit log"),
            QStringLiteral("audit-log.csv"), tr("CSV for a spreadsheet (*.csv)"));
    if (path.isEmpty())
        return;
    exportToFile(
        this, m_desk, path, tr("Exporting the audit log…"), 0,
        [filter = m_model.filter()](
            QSqlDatabase db, QIODevice *out, const std::function<bool(qint64)> &rowsSoFar) {
            return AuditLogQuery(db).exportCsv(out, filter, rowsSoFar);
        },
        [this, path](qint64 rows) { emit exported(path, rows); });
}

} // namespace simdesk
