// SPDX-License-Identifier: MIT
#pragma once

#include "domain/cardaction.h"
#include "services/simdetailquery.h"
#include "ui_simdetailpage.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

namespace simdesk {

class Desk;
class TimelineView;

// One SIM card: header (ICCID, MSISDN, status, customer, tariff, activation code), the actions
// the card-action catalogue allows for its status and the signed-in role (the others are
// hidden), a status timeline, and the tabs Details (with PIN/PUK revealed on request, for a
// reason) and History. The card, its customer, plan and history are read in one statement on
// the window's connection; while that runs the page shows "Loading…" and its actions are
// disabled. Errors show in the banner with what to do; a card changed elsewhere since it was
// shown is never overwritten (every action names the version shown) and the banner offers
// Reload.
class SimDetailPage : public QWidget
{
    Q_OBJECT

public:
    SimDetailPage(Desk *desk, QWidget *parent = nullptr);

    // Shows the card `simId` (loads it).
    void showCard(qint64 simId);
    qint64 simId() const { return m_simId; }
    // The card as last loaded (empty until the first load has finished).
    const std::optional<SimDetail> &detail() const { return m_detail; }
    TimelineView *timeline() const { return m_ui.timelineView; }
    bool isLoading() const { return m_loading; }

    // How long revealed PIN/PUK stay visible (30 s; tests shorten it).
    void setRevealDuration(int seconds) { m_revealSeconds = seconds; }

public slots:
    // Reads the current card again.
    void reload();

signals:
    // The user followed the customer link.
    void customerRequested(qint64 customerId);
    // The user opened another card (the other card of a swap).
    void cardRequested(qint64 simId);
    // The user asked to close the page (Esc on the page).
    void closeRequested();
    // A load began (tests count the reloads) and ended, successfully or not.
    void loadStarted();
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
    void setUpHeader();
    void setUpActions();
    void setUpSecrets();
    void setLoading(bool loading);
    void showDetail(const SimDetail &detail);
    void showHeader(const SimDetail &detail);
    void focusFirstAction();
    void updateActions();
    void fillHistory(const QList<SimEvent> &history);

    // Actions that need input open a dialog; the others run at once.
    void startAction(CardAction action);
    void openActionDialog(CardAction action);
    void openSwapDialog();
    void openEditDialog();
    void runDirect(CardAction action);
    // A change made here: the page shows it (one read) and the other pages hear of it.
    void changed(const QSet<qint64> &cards, const QString &message);

    void startReveal();
    void confirmReveal();
    void showSecrets(const QString &pin, const QString &puk);
    void cancelReveal();
    void hideSecrets();
    void tickCountdown();

    Ui::SimDetailPage m_ui;
    Desk *m_desk;
    qint64 m_simId = 0;
    quint64 m_loadGeneration = 0;
    bool m_loading = false;
    bool m_acting = false;
    bool m_focusOnLoad = false;
    std::optional<SimDetail> m_detail;
    int m_revealSeconds = 30;
    int m_revealLeft = 0;
    QTimer m_countdown;
    QString m_pendingMessage; // said once the reload after an action is done
    // The dialog open on this card, told when the card changes under it.
    template<typename Dialog> void watchDialog(Dialog *dialog);
    void tellDialogIfStale(const SimDetail &detail);
    std::function<void(const Error &)> m_staleDialog;
    qint64 m_dialogVersion = 0;
};

} // namespace simdesk
