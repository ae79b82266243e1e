// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/customer.h"
#include "domain/simcard.h"
#include "domain/staff.h"
#include "domain/tariffplan.h"
#include "ui_simdetailpage.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <optional>

namespace simdesk {

class TimelineView;

// Everything the detail page shows of one card, read in one go on a worker thread.
struct SimDetail
{
    SimCard card;
    std::optional<Customer> customer;
    std::optional<TariffPlan> tariff;
    QString activationCode; // the code that activated the card, when one did
    QList<SimEvent> history; // oldest first
};

// One SIM card: header (ICCID, MSISDN, status, customer, tariff, activation code), the actions
// the transition table, the holder rules and the signed-in role allow (the others are hidden),
// and the tabs Details (with PIN/PUK revealed on request, for a reason) and History. All
// database work runs off the GUI thread on connections of its own; while it runs the page shows
// "Loading…" and its actions are disabled. Errors show in a banner at the top with what to do;
// a card changed elsewhere since it was shown is never overwritten (every action names the
// version shown) and the banner offers Reload.
class SimDetailPage : public QWidget
{
    Q_OBJECT

public:
    SimDetailPage(ConnectionSettings settings, SessionInfo session, QWidget *parent = nullptr);

    // Shows the card `simId` (loads it).
    void showCard(qint64 simId);
    qint64 simId() const { return m_simId; }
    // The card as last loaded (empty until the first load has finished).
    const std::optional<SimDetail> &detail() const { return m_detail; }
    TimelineView *timeline() const { return m_timeline; }
    bool isLoading() const { return m_loading; }

    // How long revealed PIN/PUK stay visible (30 s; tests shorten it).
    void setRevealDuration(int seconds) { m_revealSeconds = seconds; }

public slots:
    // Reads the current card again.
    void reload();

signals:
    // The user followed the customer link.
    void customerRequested(qint64 customerId);
    // This page changed a card (an action, an edit, a swap: both cards). Lists refresh it.
    void cardChanged(qint64 simId);
    // The user asked to close the page (Esc on the page).
    void closeRequested();
    // A load ended, successfully or not (tests and callers wait for it).
    void loaded(bool ok);
    // A reveal of PIN/PUK ended (tests wait for it).
    void secretsRevealFinished(bool ok);
    // The revealed values were masked again.
    void secretsHidden();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    // Revealed PIN/PUK do not outlive the page being on screen.
    void hideEvent(QHideEvent *event) override;

private:
    enum class Banner : quint8 { Error, Info };
    void setLoading(bool loading);
    void showDetail(const SimDetail &detail);
    void showLoadError(const Error &error);
    void showBanner(Banner kind, const QString &text, bool offerReload);
    void hideBanner();
    void updateActions();
    void fillHistory(const QList<SimEvent> &history);

    // Actions that need input open a dialog; the others run at once.
    void openActionDialog(int kind);
    void openSwapDialog();
    void openEditDialog();
    void runDirect(int kind);
    void actionSucceeded(const SimCard &card, const QString &message);
    void actionFailed(const Error &error);

    void startReveal();
    void confirmReveal();
    void cancelReveal();
    void hideSecrets();
    void tickCountdown();

    Ui::SimDetailPage m_ui;
    ConnectionSettings m_settings;
    SessionInfo m_session;
    qint64 m_simId = 0;
    quint64 m_loadGeneration = 0;
    bool m_loading = false;
    bool m_acting = false;
    bool m_focusOnLoad = false;
    std::optional<SimDetail> m_detail;
    int m_revealSeconds = 30;
    int m_revealLeft = 0;
    QTimer m_countdown;
    QString m_pendingMessage; // an info shown once the reload after an action is done
    TimelineView *m_timeline = nullptr;
};

} // namespace simdesk
