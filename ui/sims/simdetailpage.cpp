// SPDX-License-Identifier: MIT
#include "simdetailpage.h"

#include "actiondialog.h"
#include "common/desk.h"
#include "common/statusstyle.h"
#include "dashboard/timelineview.h"
#include "editsimdialog.h"
#include "services/lifecycleservice.h"
#include "services/statsservice.h"
#include "swapdialog.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QShortcut>
#include <QTextDocument>
#include <QToolButton>

namespace simdesk {

namespace {

const QString kMask = QStringLiteral("••••");

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

enum HistoryColumn { When, Who, Action, From, To, Reason, Source, Link, ColumnCount };

} // namespace

SimDetailPage::SimDetailPage(Desk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    m_ui.setupUi(this);
    setUpHeader();
    setUpActions();
    setUpSecrets();
    m_ui.headerFrame->hide();
    m_ui.tabs->hide();
    m_ui.timelineView->hide();
    m_ui.noActionsLabel->hide();
    m_ui.loadingLabel->hide();
    connect(m_ui.bannerView, &ErrorView::reloadRequested, this, &SimDetailPage::reload);
    // This card changed here (another page) or elsewhere: one read.
    m_desk->hub()->watch(this, Topic::Cards, [this](const Change &change) {
        if (m_simId > 0 && change.touches(m_simId))
            reload();
    });
    connect(m_desk, &Desk::liveChanged, this, &SimDetailPage::updateActions);
    updateActions();
}

void SimDetailPage::setUpHeader()
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QLabel *value : { m_ui.msisdnLabel, m_ui.imsiLabel, m_ui.pinLabel, m_ui.pukLabel,
             m_ui.activationCodeLabel })
        value->setFont(mono);
    QFont iccid = mono;
    iccid.setPointSizeF(iccid.pointSizeF() * 1.35);
    iccid.setBold(true);
    m_ui.iccidLabel->setFont(iccid);
    QFont msisdn = mono;
    msisdn.setPointSizeF(msisdn.pointSizeF() * 1.15);
    m_ui.msisdnLabel->setFont(msisdn);
    // Captions recede behind the values they name.
    for (QLabel *caption : { m_ui.iccidCaption, m_ui.msisdnCaption, m_ui.customerCaption,
             m_ui.tariffCaption, m_ui.activationCodeCaption }) {
        QPalette p = caption->palette();
        p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
        caption->setPalette(p);
    }
    setLinkStyle(m_ui.customerButton);
    // Values come from the database and from people: "<b>" in a name is text, never markup.
    for (QLabel *value : { m_ui.iccidLabel, m_ui.msisdnLabel, m_ui.tariffLabel,
             m_ui.activationCodeLabel, m_ui.typeLabel, m_ui.imsiLabel, m_ui.importBatchLabel,
             m_ui.pinLabel, m_ui.pukLabel, m_ui.secretsErrorLabel })
        value->setTextFormat(Qt::PlainText);
    m_ui.copyIccidButton->setAccessibleName(tr("Copy ICCID"));
    m_ui.statusBadge->setAccessibleDescription(tr("Status of the card"));
    connect(m_ui.copyIccidButton, &QToolButton::clicked, this, [this] {
        if (m_detail)
            QGuiApplication::clipboard()->setText(m_detail->card.iccid);
    });
    connect(m_ui.customerButton, &QPushButton::clicked, this, [this] {
        if (m_detail && m_detail->card.customerId)
            emit customerRequested(*m_detail->card.customerId);
    });
    // Window-wide while the page is shown. F5 is left to the main window's Refresh, which
    // calls reload() when this page is current (two F5 shortcuts would cancel each other).
    auto *copy = new QShortcut(QKeySequence(tr("Ctrl+Shift+C")), this);
    connect(copy, &QShortcut::activated, m_ui.copyIccidButton, &QToolButton::click);

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
    // The other card of a swap opens from its row.
    connect(m_ui.historyTable, &QTableWidget::cellActivated, this, [this](int row, int) {
        if (QTableWidgetItem *link = m_ui.historyTable->item(row, Link)) {
            if (const qint64 other = link->data(Qt::UserRole + 1).toLongLong(); other > 0)
                emit cardRequested(other);
        }
    });
}

void SimDetailPage::setUpActions()
{
    const std::pair<QPushButton *, CardAction> buttons[] = {
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
        { m_ui.swapButton, CardAction::Swap },
        { m_ui.editButton, CardAction::Edit },
    };
    for (const auto &[button, action] : buttons) {
        const CardAction a = action;
        button->setProperty("cardAction", QVariant::fromValue(a));
        connect(button, &QPushButton::clicked, this, [this, a] { startAction(a); });
    }
}

void SimDetailPage::setUpSecrets()
{
    m_ui.revealReasonEdit->hide();
    m_ui.revealConfirmButton->hide();
    m_ui.revealCancelButton->hide();
    m_ui.hideSecretsButton->hide();
    m_ui.countdownLabel->hide();
    m_ui.secretsErrorLabel->hide();
    m_ui.pinLabel->setText(kMask);
    m_ui.pukLabel->setText(kMask);
    const bool mayReveal = m_desk->roleAllows(cardActionRole(CardAction::RevealSecrets));
    m_ui.revealButton->setVisible(mayReveal);
    if (!mayReveal) {
        m_ui.secretsGroup->setToolTip(tr("Your role may not see PIN and PUK."));
        m_ui.secretsErrorLabel->setText(
            tr("Only support staff and administrators may reveal PIN and PUK."));
        m_ui.secretsErrorLabel->show();
    }
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
}

void SimDetailPage::showCard(qint64 simId)
{
    if (simId != m_simId) {
        hideSecrets();
        cancelReveal();
        m_ui.bannerView->clear();
        m_detail.reset();
        m_ui.tabs->setCurrentWidget(m_ui.detailsTab);
        m_focusOnLoad = true;
    }
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
    emit loadStarted();
    m_desk->runner()->run<SimDetail>(
        this, [simId](QSqlDatabase db) { return SimDetailQuery(db).load(simId); },
        [this, generation](const Result<SimDetail> &result) {
            if (generation != m_loadGeneration)
                return; // an older request: a newer one is on its way
            setLoading(false);
            if (result) {
                tellDialogIfStale(*result);
                showDetail(*result);
                if (std::exchange(m_focusOnLoad, false))
                    focusFirstAction();
                if (!m_pendingMessage.isEmpty())
                    m_ui.bannerView->showMessage(Tone::Success, m_pendingMessage);
                else
                    m_ui.bannerView->clear();
            } else {
                m_ui.bannerView->showLoadError(result.error());
            }
            m_pendingMessage.clear();
            emit loaded(result.ok());
        });
}

void SimDetailPage::focusFirstAction()
{
    // A card just opened (by Enter in a list, a scan): its actions are next.
    QWidget *first = m_ui.tabs;
    for (int i = 0; i < m_ui.actionsLayout->count(); ++i) {
        auto *button = qobject_cast<QPushButton *>(m_ui.actionsLayout->itemAt(i)->widget());
        if (button && button->isVisibleTo(this)) {
            first = button;
            break;
        }
    }
    first->setFocus();
}

void SimDetailPage::setLoading(bool loading)
{
    m_loading = loading;
    m_ui.loadingLabel->setVisible(loading);
    // Until a card is there, nothing but the banner and "Loading…" means anything; after that
    // the card stays in view while it is read again (or when reading it again fails).
    m_ui.headerFrame->setVisible(m_detail.has_value());
    m_ui.tabs->setVisible(m_detail.has_value());
    m_ui.timelineView->setVisible(m_detail.has_value());
    updateActions();
}

void SimDetailPage::showDetail(const SimDetail &detail)
{
    if (m_detail && m_detail->card.id != detail.card.id)
        hideSecrets();
    m_detail = detail;
    m_ui.headerFrame->show();
    m_ui.tabs->show();
    m_ui.timelineView->show();
    // Drawn from the history read with the card: no second read of the events.
    m_ui.timelineView->showTimeline(StatsService::timelineOf(detail));
    showHeader(detail);
    const SimCard &card = detail.card;
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

void SimDetailPage::showHeader(const SimDetail &detail)
{
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
        // A button's text takes "&" as a mnemonic: a name such as "Berg & Co." keeps its "&".
        QString name = c.company.isEmpty()
            ? tr("%1 (%2)").arg(c.fullName, c.customerNo)
            : tr("%1, %2 (%3)").arg(c.fullName, c.company, c.customerNo);
        m_ui.customerButton->setText(name.replace(QLatin1Char('&'), QStringLiteral("&&")));
        m_ui.customerButton->setEnabled(true);
        m_ui.customerButton->setToolTip(
            Qt::convertFromPlainText(tr("Open customer %1").arg(c.customerNo)));
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
            // A tooltip reads markup in any text that looks like it: a note is shown as typed.
            item->setToolTip(Qt::convertFromPlainText(tip.isEmpty() ? text : tip));
            t->setItem(row, column, item);
            return item;
        };
        // A look at the card (a reveal) changes no status: no badges for it.
        const std::optional<EventType> type = eventTypeFromKey(e.type);
        const bool observation = type && isObservation(*type);
        auto status = [observation](const std::optional<SimStatus> &s) {
            return s && !observation ? statusKey(*s) : QString();
        };
        auto statusName = [observation](const std::optional<SimStatus> &s) {
            return s && !observation ? statusDisplayName(*s) : QString();
        };
        set(When, dateText(e.createdAt))->setData(Qt::UserRole, e.id);
        set(Who, e.createdBy);
        set(Action, eventTypeDisplayName(e.type))->setData(Qt::UserRole, e.type);
        set(From, status(e.oldStatus), statusName(e.oldStatus));
        set(To, status(e.newStatus), statusName(e.newStatus));
        set(Reason, e.note);
        set(Source, sourceDisplayName(e.source))->setData(Qt::UserRole, e.source);
        QStringList links;
        QStringList tips;
        if (!e.swapId.isEmpty()) {
            links << (e.partnerIccid.isEmpty() ? tr("Swap %1").arg(e.swapId.left(8))
                    : e.type == eventTypeKey(EventType::SwappedOut)
                    ? tr("Swapped to card %1").arg(e.partnerIccid)
                    : tr("Swapped from card %1").arg(e.partnerIccid));
            tips << tr("Swap id %1 (both cards' events carry it); Enter or double-click opens "
                       "the other card")
                        .arg(e.swapId);
        }
        // Every change has an operation id; it links something only for a bulk action, so only
        // then it is shown (always in the tooltip).
        if (!e.operationId.isEmpty() && e.operationId != e.swapId) {
            if (e.source == sourceKey(ChangeSource::Bulk))
                links << tr("Bulk operation %1").arg(e.operationId.left(8));
            tips << tr("Operation id %1").arg(e.operationId);
        }
        if (e.importBatchId) {
            links << tr("Import batch %1").arg(*e.importBatchId);
            tips << tr("Import batch %1").arg(*e.importBatchId);
        }
        QTableWidgetItem *link = set(Link, links.join(QStringLiteral(" · ")), tips.join(u'\n'));
        link->setData(Qt::UserRole, e.swapId.isEmpty() ? e.operationId : e.swapId);
        link->setData(Qt::UserRole + 1, e.partnerSimId.value_or(0));
    }
    t->resizeColumnsToContents();
    t->horizontalHeader()->setSectionResizeMode(Reason, QHeaderView::Stretch);
}

void SimDetailPage::updateActions()
{
    const bool have = m_detail.has_value();
    const SimStatus status = have ? m_detail->card.status : SimStatus::Available;
    const bool hasCustomer = have && m_detail->card.customerId.has_value();
    const bool idle = !m_loading && !m_acting && m_desk->isLive();
    bool any = false;
    for (QPushButton *button :
        { m_ui.reserveButton, m_ui.releaseButton, m_ui.activateButton, m_ui.suspendButton,
            m_ui.resumeButton, m_ui.reportLostButton, m_ui.terminateButton, m_ui.assignButton,
            m_ui.unassignButton, m_ui.changeTariffButton, m_ui.swapButton, m_ui.editButton }) {
        const auto action = button->property("cardAction").value<CardAction>();
        const bool shown = have && m_desk->allows(action, status, hasCustomer);
        button->setVisible(shown);
        button->setEnabled(idle);
        any = any || shown;
    }
    const bool support = m_desk->roleAllows(StaffRole::Support);
    m_ui.noActionsLabel->setVisible(have && (!support || !any));
    m_ui.noActionsLabel->setText(support
            ? tr("A terminated card cannot be changed any more.")
            : tr("Your role can look at this card but not change it."));
    m_ui.revealButton->setEnabled(idle && have);
}

void SimDetailPage::startAction(CardAction action)
{
    if (!m_detail || m_acting)
        return;
    switch (action) {
    case CardAction::Swap:
        openSwapDialog();
        return;
    case CardAction::Edit:
        openEditDialog();
        return;
    case CardAction::RevealSecrets:
        startReveal();
        return;
    default:
        if (cardActionNeedsDialog(action))
            openActionDialog(action);
        else
            runDirect(action);
    }
}

template<typename Dialog> void SimDetailPage::watchDialog(Dialog *dialog)
{
    const QPointer<Dialog> open(dialog);
    m_dialogVersion = m_detail->card.version;
    m_staleDialog = [open](const Error &error) {
        if (open)
            open->showStale(error);
    };
    connect(dialog, &QDialog::finished, this, [this] { m_staleDialog = nullptr; });
}

void SimDetailPage::tellDialogIfStale(const SimDetail &detail)
{
    // The dialog would be refused as stale when the user presses OK: say so now, with who
    // changed the card and when, as the database would.
    if (!m_staleDialog || detail.card.version == m_dialogVersion)
        return;
    const SimEvent *last = nullptr; // the newest change (a look at the secrets is none)
    for (auto it = detail.history.crbegin(); it != detail.history.crend() && !last; ++it) {
        const std::optional<EventType> type = eventTypeFromKey(it->type);
        if (!type || !isObservation(*type))
            last = &*it;
    }
    m_staleDialog(Error(ErrorCode::StaleVersion,
        { QCoreApplication::translate("simdesk::Error", "SIM card %1").arg(detail.card.iccid),
            last ? last->createdBy : tr("someone"),
            QLocale().toString((last ? last->createdAt : detail.card.updatedAt).toLocalTime(),
                QLocale::ShortFormat) }));
    m_staleDialog = nullptr; // said once
}

void SimDetailPage::openActionDialog(CardAction action)
{
    auto *dialog = new ActionDialog(m_desk, action, m_detail->card, m_detail->customer, this);
    dialog->setObjectName(QStringLiteral("actionDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    watchDialog(dialog);
    connect(dialog, &QDialog::finished, this, [this, dialog, action](int result) {
        if (result == QDialog::Accepted)
            changed({ m_simId },
                tr("%1: done for card %2.")
                    .arg(cardActionDisplayName(action),
                        m_detail ? m_detail->card.iccid : QString()));
        else if (dialog->reloadRequested())
            reload();
    });
    dialog->open();
}

void SimDetailPage::openSwapDialog()
{
    auto *dialog
        = new SwapDialog(m_desk, m_detail->card, m_detail->customer, m_detail->tariff, this);
    dialog->setObjectName(QStringLiteral("swapDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    watchDialog(dialog);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result != QDialog::Accepted) {
            if (dialog->reloadRequested())
                reload();
            return;
        }
        const SwapResult swap = dialog->result();
        // The number moved to the new card: that is the card to look at now.
        m_simId = swap.newCard.id;
        m_focusOnLoad = true;
        changed({ swap.oldCard.id, swap.newCard.id },
            tr("Swap done: number %1 moved from card %2 to this card; the old card is now %3.")
                .arg(swap.newCard.msisdn, swap.oldCard.iccid,
                    statusDisplayName(swap.oldCard.status)));
    });
    dialog->open();
}

void SimDetailPage::openEditDialog()
{
    auto *dialog = new EditSimDialog(m_desk, m_detail->card, this);
    dialog->setObjectName(QStringLiteral("editSimDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    watchDialog(dialog);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result == QDialog::Accepted)
            changed({ m_simId }, tr("The identifiers were saved."));
        else if (dialog->reloadRequested())
            reload();
    });
    dialog->open();
}

void SimDetailPage::runDirect(CardAction action)
{
    ActionRequest request;
    request.simId = m_detail->card.id;
    request.expectedVersion = m_detail->card.version;
    const QString iccid = m_detail->card.iccid;
    m_acting = true;
    updateActions();
    m_ui.bannerView->clear();
    m_desk->act(this, action, request, [this, action, iccid](const Status &result) {
        m_acting = false;
        if (result)
            changed(
                { m_simId }, tr("%1: done for card %2.").arg(cardActionDisplayName(action), iccid));
        else
            m_ui.bannerView->showError(result.error());
        updateActions();
    });
}

void SimDetailPage::changed(const QSet<qint64> &cards, const QString &message)
{
    m_desk->hub()->changedHere(Topic::Cards, { cards, false }, this);
    m_pendingMessage = message;
    reload();
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
    m_ui.revealButton->setVisible(
        m_desk->roleAllows(cardActionRole(CardAction::RevealSecrets)) && !m_countdown.isActive());
}

void SimDetailPage::confirmReveal()
{
    const QString reason = m_ui.revealReasonEdit->text().trimmed();
    if (!m_detail || reason.isEmpty() || !m_ui.revealConfirmButton->isEnabled())
        return;
    const qint64 simId = m_detail->card.id;
    m_ui.revealConfirmButton->setEnabled(false);
    m_ui.revealReasonEdit->setEnabled(false);
    m_desk->runner()->run<Secrets>(
        this,
        [simId, reason](
            QSqlDatabase db) { return LifecycleService(db).revealSecrets(simId, reason); },
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
            showSecrets(result->pin, result->puk);
            emit secretsRevealFinished(true);
            // The history now holds the SECRET_REVEALED event.
            m_desk->hub()->changedHere(Topic::Cards, { { simId }, false }, this);
            reload();
        });
}

void SimDetailPage::showSecrets(const QString &pin, const QString &puk)
{
    cancelReveal();
    m_ui.revealButton->hide();
    m_ui.pinLabel->setText(pin.isEmpty() ? tr("(none stored)") : pin);
    m_ui.pukLabel->setText(puk.isEmpty() ? tr("(none stored)") : puk);
    m_revealLeft = m_revealSeconds;
    m_ui.countdownLabel->setText(tr("Hidden again in %n s", nullptr, m_revealLeft));
    m_ui.countdownLabel->show();
    m_ui.hideSecretsButton->show();
    m_countdown.start();
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
