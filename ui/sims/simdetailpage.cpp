// SPDX-License-Identifier: MIT
#include "simdetailpage.h"

#include "actiondialog.h"
#include "common/backgroundtask.h"
#include "common/statusstyle.h"
#include "dashboard/timelineview.h"
#include "editsimdialog.h"
#include "records/customerrepository.h"
#include "records/simrepository.h"
#include "records/tariffplanrepository.h"
#include "services/lifecycleservice.h"
#include "swapdialog.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLocale>
#include <QShortcut>
#include <QToolButton>

namespace simdesk {

namespace {

const QString kMask = QStringLiteral("••••");

Result<SimDetail> loadDetail(QSqlDatabase db, qint64 simId)
{
    SimRepository sims(db);
    Result<SimCard> card = sims.find(simId);
    if (!card)
        return card.error();
    SimDetail d;
    d.card = *card;
    if (card->customerId) {
        Result<Customer> c = CustomerRepository(db).find(*card->customerId);
        if (!c)
            return c.error();
        d.customer = *c;
    }
    if (card->tariffPlanId) {
        Result<TariffPlan> t = TariffPlanRepository(db).find(*card->tariffPlanId);
        if (!t)
            return t.error();
        d.tariff = *t;
    }
    Result<QList<SimEvent>> history = sims.history(simId);
    if (!history)
        return history.error();
    d.history = *history;
    // The code is named in the ACTIVATED event that consumed it (no lookup by id needed).
    if (card->activationCodeId) {
        for (auto it = d.history.crbegin(); it != d.history.crend(); ++it) {
            const QJsonObject details = QJsonDocument::fromJson(it->details.toUtf8()).object();
            if (details.contains(QLatin1String("activation_code"))) {
                d.activationCode = details.value(QLatin1String("activation_code")).toString();
                break;
            }
        }
    }
    return d;
}

// "8949 1234 5678 9012 345": easier to read aloud and compare than 19 digits in one run.
QString groupedIccid(const QString &iccid)
{
    QString out;
    for (int i = 0; i < iccid.size(); ++i) {
        if (i > 0 && i % 4 == 0)
            out += QLatin1Char(' ');
        out += iccid.at(i);
    }
    return out;
}

QString dateText(const QDateTime &when)
{
    return when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::ShortFormat)
                          : QStringLiteral("—");
}

QString dateText(const std::optional<QDateTime> &when)
{
    return when ? dateText(*when) : QStringLiteral("—");
}

QString eventDisplayName(const QString &type)
{
    static const QHash<QString, const char *> names {
        { QStringLiteral("CREATED"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Created") },
        { QStringLiteral("IMPORTED"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Imported") },
        { QStringLiteral("ASSIGNED"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Customer assigned") },
        { QStringLiteral("UNASSIGNED"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Customer removed") },
        { QStringLiteral("RESERVED"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Reserved") },
        { QStringLiteral("RELEASED"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Released") },
        { QStringLiteral("STATUS_CHANGED"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Status changed") },
        { QStringLiteral("ACTIVATED"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Activated") },
        { QStringLiteral("SUSPENDED"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Suspended") },
        { QStringLiteral("RESUMED"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Resumed") },
        { QStringLiteral("LOST_REPORTED"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Reported lost/stolen") },
        { QStringLiteral("TERMINATED"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Terminated") },
        { QStringLiteral("SWAPPED_OUT"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Swapped out") },
        { QStringLiteral("SWAPPED_IN"), QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Swapped in") },
        { QStringLiteral("SECRET_REVEALED"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "PIN/PUK revealed") },
        { QStringLiteral("EDITED"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Identifiers edited") },
        { QStringLiteral("TARIFF_CHANGED"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "Tariff changed") },
        { QStringLiteral("SECRETS_CHANGED"),
            QT_TRANSLATE_NOOP("simdesk::SimDetailPage", "PIN/PUK changed") },
    };
    const char *name = names.value(type);
    return name ? QCoreApplication::translate("simdesk::SimDetailPage", name) : type;
}

QString sourceDisplayName(const QString &source)
{
    if (source == QLatin1String("desktop"))
        return QCoreApplication::translate("simdesk::SimDetailPage", "Desktop");
    if (source == QLatin1String("cli"))
        return QCoreApplication::translate("simdesk::SimDetailPage", "Command line");
    if (source == QLatin1String("import"))
        return QCoreApplication::translate("simdesk::SimDetailPage", "Import");
    if (source == QLatin1String("bulk"))
        return QCoreApplication::translate("simdesk::SimDetailPage", "Bulk action");
    if (source == QLatin1String("system"))
        return QCoreApplication::translate("simdesk::SimDetailPage", "System");
    return source;
}

enum HistoryColumn { When, Who, Action, From, To, Reason, Source, Link, ColumnCount };

} // namespace

SimDetailPage::SimDetailPage(ConnectionSettings settings, SessionInfo session, QWidget *parent)
    : QWidget(parent)
    , m_settings(std::move(settings))
    , m_session(std::move(session))
{
    m_ui.setupUi(this);

    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(mono.pointSizeF() * 1.35);
    mono.setBold(true);
    m_ui.iccidLabel->setFont(mono);
    QFont monoValue = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui.msisdnLabel->setFont(monoValue);
    m_ui.imsiLabel->setFont(monoValue);
    m_ui.pinLabel->setFont(monoValue);
    m_ui.pukLabel->setFont(monoValue);
    m_ui.activationCodeLabel->setFont(monoValue);
    QFont bigger = m_ui.msisdnLabel->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 1.15);
    m_ui.msisdnLabel->setFont(bigger);
    for (QLabel *caption : { m_ui.iccidCaption, m_ui.msisdnCaption, m_ui.customerCaption,
             m_ui.tariffCaption, m_ui.activationCodeCaption }) {
        QPalette p = caption->palette();
        p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
        caption->setPalette(p);
    }
    // The tabs take the height; without a card (a load that failed) the banner stays at the top.
    m_ui.rootLayout->setStretchFactor(m_ui.tabs, 1);
    // The card's status over time, drawn with the dashboard's assets (DESIGN.md §6).
    m_timeline = new TimelineView(m_settings, this);
    m_timeline->setObjectName(QStringLiteral("timelineView"));
    m_timeline->hide();
    m_ui.rootLayout->insertWidget(m_ui.rootLayout->indexOf(m_ui.tabs), m_timeline);
    m_ui.rootLayout->addStretch(0);
    m_ui.headerLayout->setColumnStretch(1, 1);
    m_ui.iccidLayout->setSpacing(10);
    m_ui.actionsLayout->setSpacing(8);
    // The groups keep their natural height at the top of the tab; the values sit beside their
    // captions, and the reveal controls keep their own widths.
    m_ui.detailsLayout->setAlignment(m_ui.cardGroup, Qt::AlignTop);
    m_ui.detailsLayout->setAlignment(m_ui.secretsGroup, Qt::AlignTop);
    m_ui.detailsLayout->setStretch(0, 1);
    m_ui.detailsLayout->setStretch(1, 1);
    m_ui.secretsLayout->setColumnStretch(1, 1);
    m_ui.revealLayout->addStretch(1);
    m_ui.revealReasonEdit->setMinimumWidth(340);
    m_ui.headerLayout->setColumnStretch(3, 1);
    m_ui.customerButton->setStyleSheet(
        QStringLiteral("QPushButton { text-align: left; padding: 0px; border: none; color: "
                       "palette(link); text-decoration: underline; }"
                       "QPushButton:disabled { color: palette(window-text); "
                       "text-decoration: none; }"));

    m_ui.bannerCloseButton->setAccessibleName(tr("Hide this message"));
    m_ui.copyIccidButton->setAccessibleName(tr("Copy ICCID"));
    m_ui.statusBadge->setAccessibleDescription(tr("Status of the card"));

    m_ui.historyTable->setColumnCount(ColumnCount);
    m_ui.historyTable->setHorizontalHeaderLabels({ tr("When"), tr("Who"), tr("Action"), tr("From"),
        tr("To"), tr("Reason"), tr("Source"), tr("Swap · operation · import") });
    m_ui.historyTable->verticalHeader()->hide();
    auto *badges = new StatusBadgeDelegate(m_ui.historyTable);
    m_ui.historyTable->setItemDelegateForColumn(From, badges);
    m_ui.historyTable->setItemDelegateForColumn(To, badges);
    QHeaderView *header = m_ui.historyTable->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(Reason, QHeaderView::Stretch);

    m_ui.revealReasonEdit->hide();
    m_ui.revealConfirmButton->hide();
    m_ui.revealCancelButton->hide();
    m_ui.hideSecretsButton->hide();
    m_ui.countdownLabel->hide();
    m_ui.secretsErrorLabel->hide();
    m_ui.pinLabel->setText(kMask);
    m_ui.pukLabel->setText(kMask);
    m_ui.bannerFrame->hide();
    m_ui.noActionsLabel->hide();
    m_ui.loadingLabel->hide();

    const bool support = m_session.role && roleAllows(*m_session.role, StaffRole::Support);
    m_ui.revealButton->setVisible(support);
    if (!support) {
        m_ui.secretsGroup->setToolTip(tr("Your role may not see PIN and PUK."));
        m_ui.secretsErrorLabel->setText(tr("Only support staff and administrators may reveal "
                                           "PIN and PUK."));
        m_ui.secretsErrorLabel->show();
    }

    connect(m_ui.copyIccidButton, &QToolButton::clicked, this, [this] {
        if (m_detail)
            QGuiApplication::clipboard()->setText(m_detail->card.iccid);
    });
    connect(m_ui.customerButton, &QPushButton::clicked, this, [this] {
        if (m_detail && m_detail->card.customerId)
            emit customerRequested(*m_detail->card.customerId);
    });
    connect(m_ui.bannerReloadButton, &QPushButton::clicked, this, &SimDetailPage::reload);
    connect(m_ui.bannerCloseButton, &QToolButton::clicked, this, &SimDetailPage::hideBanner);
    // Window-wide while the page is shown. F5 is left to the main window's Refresh, which
    // calls reload() when this page is current (two F5 shortcuts would cancel each other).
    auto *copy = new QShortcut(QKeySequence(tr("Ctrl+Shift+C")), this);
    connect(copy, &QShortcut::activated, m_ui.copyIccidButton, &QToolButton::click);

    const std::pair<QPushButton *, CardAction> actionButtons[] = {
        { m_ui.reserveButton, CardAction::Reserve },
        { m_ui.releaseButton, CardAction::Release },
        { m_ui.activateButton, CardAction::Activate },
        { m_ui.suspendButton, CardAction::Suspend },
        { m_ui.resumeButton, CardAction::Resume },
        { m_ui.reportLostButton, CardAction::ReportLostStolen },
        { m_ui.terminateButton, CardAction::Terminate },
        { m_ui.assignButton, CardAction::AssignCustomer },
        { m_ui.unassignButton, CardAction::UnassignCustomer },
        { m_ui.changeTariffButton, CardAction::ChangeTariff },
    };
    for (const auto &[button, action] : actionButtons) {
        const CardAction a = action;
        button->setProperty("cardAction", int(a));
        connect(button, &QPushButton::clicked, this, [this, a] {
            if (cardActionNeedsDialog(a))
                openActionDialog(int(a));
            else
                runDirect(int(a));
        });
    }
    connect(m_ui.swapButton, &QPushButton::clicked, this, &SimDetailPage::openSwapDialog);
    connect(m_ui.editButton, &QPushButton::clicked, this, &SimDetailPage::openEditDialog);

    connect(m_ui.revealButton, &QPushButton::clicked, this, &SimDetailPage::startReveal);
    connect(m_ui.revealConfirmButton, &QPushButton::clicked, this, &SimDetailPage::confirmReveal);
    connect(m_ui.revealReasonEdit, &QLineEdit::returnPressed, this, &SimDetailPage::confirmReveal);
    connect(m_ui.revealCancelButton, &QPushButton::clicked, this, &SimDetailPage::cancelReveal);
    connect(m_ui.revealReasonEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_ui.revealConfirmButton->setEnabled(!text.trimmed().isEmpty());
    });
    connect(m_ui.hideSecretsButton, &QPushButton::clicked, this, &SimDetailPage::hideSecrets);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &SimDetailPage::tickCountdown);

    updateActions();
}

void SimDetailPage::showCard(qint64 simId)
{
    if (simId != m_simId) {
        hideSecrets();
        cancelReveal();
        hideBanner();
        m_detail.reset();
        m_ui.tabs->setCurrentWidget(m_ui.detailsTab);
    }
    if (simId != m_simId)
        m_focusOnLoad = true;
    m_simId = simId;
    reload();
}

void SimDetailPage::reload()
{
    if (m_simId <= 0)
        return;
    const quint64 generation = ++m_loadGeneration;
    const qint64 simId = m_simId;
    setLoading(true);
    whenReady(this,
        runWithDatabase<SimDetail>(
            m_settings, [simId](QSqlDatabase db) { return loadDetail(db, simId); }),
        [this, generation](const Result<SimDetail> &result) {
            if (generation != m_loadGeneration)
                return; // an older request: a newer one is on its way
            setLoading(false);
            if (result) {
                showDetail(*result);
                if (m_focusOnLoad) {
                    // A card just opened (by Enter in a list, a scan): its actions are next.
                    m_focusOnLoad = false;
                    QWidget *first = m_ui.tabs;
                    for (int i = 0; i < m_ui.actionsLayout->count(); ++i) {
                        auto *button
                            = qobject_cast<QPushButton *>(m_ui.actionsLayout->itemAt(i)->widget());
                        if (button && button->isVisibleTo(this)) {
                            first = button;
                            break;
                        }
                    }
                    first->setFocus();
                }
                if (!m_pendingMessage.isEmpty())
                    showBanner(Banner::Info, m_pendingMessage, false);
                else
                    hideBanner();
            } else {
                showLoadError(result.error());
            }
            m_pendingMessage.clear();
            emit loaded(result.ok());
        });
}

void SimDetailPage::setLoading(bool loading)
{
    m_loading = loading;
    m_ui.loadingLabel->setVisible(loading);
    // Until a card is there, nothing but the banner and "Loading…" means anything; after that
    // the card stays in view while it is read again (or when reading it again fails).
    m_ui.headerFrame->setVisible(m_detail.has_value());
    m_ui.tabs->setVisible(m_detail.has_value());
    m_timeline->setVisible(m_detail.has_value());
    updateActions();
}

void SimDetailPage::showDetail(const SimDetail &detail)
{
    if (m_detail && m_detail->card.id != detail.card.id)
        hideSecrets();
    m_detail = detail;
    m_ui.headerFrame->show();
    m_ui.tabs->show();
    m_timeline->show();
    m_timeline->showCard(detail.card.id);
    const SimCard &card = detail.card;
    const QString dash = QStringLiteral("—");
    m_ui.iccidLabel->setText(groupedIccid(card.iccid));
    m_ui.msisdnLabel->setText(card.msisdn.isEmpty() ? dash : card.msisdn);
    m_ui.msisdnLabel->setToolTip(card.msisdn.isEmpty()
            ? tr("The card has no number (a terminated card's number is released).")
            : tr("The phone number of the card (E.164)"));
    styleStatusBadge(m_ui.statusBadge, card.status);
    if (detail.customer) {
        const Customer &c = *detail.customer;
        m_ui.customerButton->setText(c.company.isEmpty()
                ? tr("%1 (%2)").arg(c.fullName, c.customerNo)
                : tr("%1, %2 (%3)").arg(c.fullName, c.company, c.customerNo));
        m_ui.customerButton->setEnabled(true);
        m_ui.customerButton->setToolTip(tr("Open customer %1").arg(c.customerNo));
    } else {
        m_ui.customerButton->setText(tr("No customer"));
        m_ui.customerButton->setEnabled(false);
        m_ui.customerButton->setToolTip(QString());
    }
    m_ui.tariffLabel->setText(detail.tariff
            ? tr("%1 (%2)").arg(detail.tariff->name, detail.tariff->code)
            : tr("No tariff"));
    m_ui.activationCodeLabel->setText(
        detail.activationCode.isEmpty() ? dash : detail.activationCode);

    m_ui.typeLabel->setText(simTypeDisplayName(card.type));
    m_ui.imsiLabel->setText(card.imsi.isEmpty() ? tr("unknown") : card.imsi);
    m_ui.createdLabel->setText(dateText(card.createdAt));
    m_ui.activatedLabel->setText(dateText(card.activatedAt));
    m_ui.statusChangedLabel->setText(dateText(card.statusChangedAt));
    m_ui.terminatedLabel->setText(dateText(card.terminatedAt));
    m_ui.updatedLabel->setText(dateText(card.updatedAt));
    m_ui.importBatchLabel->setText(card.importBatchId ? tr("Batch %1").arg(*card.importBatchId)
                                                      : tr("Not imported (created in SimDesk)"));
    m_ui.versionLabel->setText(QString::number(card.version));
    m_ui.versionLabel->setToolTip(tr("Changes are made against this version; a change made "
                                     "elsewhere meanwhile is detected and never overwritten."));
    fillHistory(detail.history);
    updateActions();
}

void SimDetailPage::fillHistory(const QList<SimEvent> &history)
{
    QTableWidget *t = m_ui.historyTable;
    t->setSortingEnabled(false);
    t->setRowCount(int(history.size()));
    // Newest first: what changed last is what people look for.
    int row = 0;
    for (auto it = history.crbegin(); it != history.crend(); ++it, ++row) {
        const SimEvent &e = *it;
        auto set = [t, row](int column, const QString &text, const QString &tip = {}) {
            auto *item = new QTableWidgetItem(text);
            item->setToolTip(tip.isEmpty() ? text : tip);
            t->setItem(row, column, item);
            return item;
        };
        set(When, dateText(e.createdAt))->setData(Qt::UserRole, e.id);
        set(Who, e.createdBy);
        set(Action, eventDisplayName(e.type))->setData(Qt::UserRole, e.type);
        set(From, e.oldStatus ? statusKey(*e.oldStatus) : QString(),
            e.oldStatus ? statusDisplayName(*e.oldStatus) : QString());
        set(To, e.newStatus ? statusKey(*e.newStatus) : QString(),
            e.newStatus ? statusDisplayName(*e.newStatus) : QString());
        set(Reason, e.note);
        set(Source, sourceDisplayName(e.source))->setData(Qt::UserRole, e.source);
        QStringList links;
        QStringList tips;
        if (!e.swapId.isEmpty()) {
            links << tr("Swap %1").arg(e.swapId.left(8));
            tips << tr("Swap id %1 (both cards' events carry it)").arg(e.swapId);
        }
        // Every change has an operation id; it links something only for a bulk action, so only
        // then it is shown (always in the tooltip).
        if (!e.operationId.isEmpty() && e.operationId != e.swapId) {
            if (e.source == QLatin1String("bulk"))
                links << tr("Bulk operation %1").arg(e.operationId.left(8));
            tips << tr("Operation id %1").arg(e.operationId);
        }
        if (e.importBatchId) {
            links << tr("Import batch %1").arg(*e.importBatchId);
            tips << tr("Import batch %1").arg(*e.importBatchId);
        }
        QTableWidgetItem *link = set(Link, links.join(QStringLiteral(" · ")), tips.join(u'\n'));
        link->setData(Qt::UserRole, e.swapId.isEmpty() ? e.operationId : e.swapId);
    }
    t->resizeColumnsToContents();
    t->horizontalHeader()->setSectionResizeMode(Reason, QHeaderView::Stretch);
}

void SimDetailPage::showLoadError(const Error &error)
{
    QString text = error.message();
    if (!error.detail.isEmpty())
        text += QStringLiteral("\n") + error.detail;
    showBanner(Banner::Error, text, true);
    m_ui.bannerReloadButton->setText(tr("&Retry"));
}

void SimDetailPage::showBanner(Banner kind, const QString &text, bool offerReload)
{
    m_ui.bannerLabel->setText(text);
    m_ui.bannerReloadButton->setText(tr("&Reload"));
    m_ui.bannerReloadButton->setVisible(offerReload);
    m_ui.bannerFrame->setProperty(
        "kind", kind == Banner::Error ? QStringLiteral("error") : QStringLiteral("info"));
    m_ui.bannerFrame->setStyleSheet(kind == Banner::Error
            ? QStringLiteral("#bannerFrame { background: #fdecea; border: 1px solid #e9a8a2; "
                             "border-radius: 4px; } #bannerFrame QLabel { color: #7a1c14; }")
            : QStringLiteral("#bannerFrame { background: #e7f1fb; border: 1px solid #9cc3e8; "
                             "border-radius: 4px; } #bannerFrame QLabel { color: #123a5e; }"));
    m_ui.bannerFrame->show();
}

void SimDetailPage::hideBanner()
{
    m_ui.bannerFrame->hide();
}

void SimDetailPage::updateActions()
{
    const bool support = m_session.role && roleAllows(*m_session.role, StaffRole::Support);
    const bool admin = m_session.role && roleAllows(*m_session.role, StaffRole::Admin);
    const bool have = m_detail.has_value();
    const SimStatus status = have ? m_detail->card.status : SimStatus::Available;
    const bool hasCustomer = have && m_detail->card.customerId.has_value();
    const bool idle = !m_loading && !m_acting;

    bool any = false;
    for (QPushButton *button : { m_ui.reserveButton, m_ui.releaseButton, m_ui.activateButton,
             m_ui.suspendButton, m_ui.resumeButton, m_ui.reportLostButton, m_ui.terminateButton,
             m_ui.assignButton, m_ui.unassignButton, m_ui.changeTariffButton }) {
        const auto action = CardAction(button->property("cardAction").toInt());
        const bool shown = have && support && cardActionPossible(action, status, hasCustomer);
        button->setVisible(shown);
        button->setEnabled(idle);
        any = any || shown;
    }
    m_ui.swapButton->setVisible(have && support && canSwapOut(status));
    m_ui.swapButton->setEnabled(idle);
    m_ui.editButton->setVisible(have && admin);
    m_ui.editButton->setEnabled(idle);
    any = any || m_ui.swapButton->isVisibleTo(this) || m_ui.editButton->isVisibleTo(this);
    m_ui.noActionsLabel->setVisible(have && !support);
    if (have && support && !any)
        m_ui.noActionsLabel->setText(tr("A terminated card cannot be changed any more."));
    m_ui.revealButton->setEnabled(idle && have);
}

void SimDetailPage::openActionDialog(int kind)
{
    if (!m_detail || m_acting)
        return;
    auto *dialog
        = new ActionDialog(m_settings, CardAction(kind), m_detail->card, m_detail->customer, this);
    dialog->setObjectName(QStringLiteral("actionDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result == QDialog::Accepted)
            actionSucceeded(dialog->card(),
                tr("%1: done for card %2.")
                    .arg(cardActionDisplayName(dialog->action()), dialog->card().iccid));
        else if (dialog->reloadRequested())
            reload();
    });
    dialog->open();
}

void SimDetailPage::openSwapDialog()
{
    if (!m_detail || m_acting)
        return;
    auto *dialog
        = new SwapDialog(m_settings, m_detail->card, m_detail->customer, m_detail->tariff, this);
    dialog->setObjectName(QStringLiteral("swapDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result != QDialog::Accepted) {
            if (dialog->reloadRequested())
                reload();
            return;
        }
        const SwapResult swap = dialog->result();
        emit cardChanged(swap.oldCard.id);
        emit cardChanged(swap.newCard.id);
        const qint64 newId = swap.newCard.id;
        showCard(newId);
        m_pendingMessage = tr("Swap done: number %1 moved from card %2 to this card; the old card "
                              "is now %3.")
                               .arg(swap.newCard.msisdn, swap.oldCard.iccid,
                                   statusDisplayName(swap.oldCard.status));
    });
    dialog->open();
}

void SimDetailPage::openEditDialog()
{
    if (!m_detail || m_acting)
        return;
    auto *dialog = new EditSimDialog(m_settings, m_detail->card, this);
    dialog->setObjectName(QStringLiteral("editSimDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result == QDialog::Accepted)
            actionSucceeded(dialog->card(), tr("The identifiers were saved."));
        else if (dialog->reloadRequested())
            reload();
    });
    dialog->open();
}

void SimDetailPage::runDirect(int kind)
{
    if (!m_detail || m_acting)
        return;
    const CardAction action = CardAction(kind);
    ActionRequest request;
    request.simId = m_detail->card.id;
    request.expectedVersion = m_detail->card.version;
    m_acting = true;
    updateActions();
    hideBanner();
    whenReady(this,
        runWithDatabase<SimCard>(m_settings,
            [action, request](QSqlDatabase db) { return performCardAction(db, action, request); }),
        [this, action](const Result<SimCard> &result) {
            m_acting = false;
            if (result)
                actionSucceeded(*result,
                    tr("%1: done for card %2.").arg(cardActionDisplayName(action), result->iccid));
            else
                actionFailed(result.error());
            updateActions();
        });
}

void SimDetailPage::actionSucceeded(const SimCard &card, const QString &message)
{
    emit cardChanged(card.id);
    m_pendingMessage = message;
    reload();
}

void SimDetailPage::actionFailed(const Error &error)
{
    QString text = error.message();
    if (!error.detail.isEmpty() && error.code != ErrorCode::StaleVersion)
        text += QStringLiteral("\n") + error.detail;
    const bool offerReload = error.code == ErrorCode::StaleVersion
        || error.code == ErrorCode::TransitionNotAllowed || error.code == ErrorCode::NotFound
        || error.code == ErrorCode::ConcurrentUpdate;
    showBanner(Banner::Error, text, offerReload);
}

void SimDetailPage::startReveal()
{
    m_ui.secretsErrorLabel->hide();
    m_ui.revealButton->hide();
    m_ui.revealReasonEdit->clear();
    m_ui.revealReasonEdit->show();
    m_ui.revealConfirmButton->show();
    m_ui.revealConfirmButton->setEnabled(false);
    m_ui.revealCancelButton->show();
    m_ui.revealReasonEdit->setFocus();
}

void SimDetailPage::cancelReveal()
{
    m_ui.revealReasonEdit->hide();
    m_ui.revealConfirmButton->hide();
    m_ui.revealCancelButton->hide();
    const bool support = m_session.role && roleAllows(*m_session.role, StaffRole::Support);
    m_ui.revealButton->setVisible(support && !m_countdown.isActive());
}

void SimDetailPage::confirmReveal()
{
    const QString reason = m_ui.revealReasonEdit->text().trimmed();
    if (!m_detail || reason.isEmpty() || !m_ui.revealConfirmButton->isEnabled())
        return;
    const qint64 simId = m_detail->card.id;
    m_ui.revealConfirmButton->setEnabled(false);
    m_ui.revealReasonEdit->setEnabled(false);
    whenReady(this,
        runWithDatabase<Secrets>(m_settings,
            [simId, reason](
                QSqlDatabase db) { return LifecycleService(db).revealSecrets(simId, reason); }),
        [this, simId](const Result<Secrets> &result) {
            m_ui.revealReasonEdit->setEnabled(true);
            if (!m_detail || m_detail->card.id != simId) {
                emit secretsRevealFinished(false);
                return; // another card is shown by now
            }
            if (!result) {
                m_ui.revealConfirmButton->setEnabled(true);
                m_ui.secretsErrorLabel->setText(result.error().message());
                m_ui.secretsErrorLabel->show();
                emit secretsRevealFinished(false);
                return;
            }
            cancelReveal();
            m_ui.revealButton->hide();
            m_ui.pinLabel->setText(result->pin.isEmpty() ? tr("(none stored)") : result->pin);
            m_ui.pukLabel->setText(result->puk.isEmpty() ? tr("(none stored)") : result->puk);
            m_revealLeft = m_revealSeconds;
            m_ui.countdownLabel->setText(tr("Hidden again in %n s", nullptr, m_revealLeft));
            m_ui.countdownLabel->show();
            m_ui.hideSecretsButton->show();
            m_countdown.start();
            emit secretsRevealFinished(true);
            reload(); // the history now holds the SECRET_REVEALED event
        });
}

void SimDetailPage::tickCountdown()
{
    if (--m_revealLeft <= 0) {
        hideSecrets();
        return;
    }
    m_ui.countdownLabel->setText(tr("Hidden again in %n s", nullptr, m_revealLeft));
}

void SimDetailPage::hideSecrets()
{
    const bool wasShown = m_countdown.isActive();
    m_countdown.stop();
    m_ui.pinLabel->setText(kMask);
    m_ui.pukLabel->setText(kMask);
    m_ui.countdownLabel->hide();
    m_ui.hideSecretsButton->hide();
    cancelReveal();
    if (wasShown)
        emit secretsHidden();
}

void SimDetailPage::hideEvent(QHideEvent *event)
{
    hideSecrets();
    QWidget::hideEvent(event);
}

void SimDetailPage::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        if (m_ui.revealReasonEdit->isVisible()) {
            cancelReveal();
            return;
        }
        emit closeRequested();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace simdesk
