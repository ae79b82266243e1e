// SPDX-License-Identifier: MIT
#include "swapdialog.h"

#include "common/desk.h"
#include "common/errorview.h"
#include "dialogsize.h"
#include "domain/validation.h"
#include "records/simrepository.h"
#include "services/simlistquery.h"

#include <QKeyEvent>
#include <QPushButton>

namespace simdesk {

namespace {

// Enough to pick from by eye; a longer list means the user should type more digits.
constexpr int kMaxCandidates = 8;
// Fewer digits than this match too much of the inventory to be a search.
constexpr int kMinSearchDigits = 4;

} // namespace

SwapDialog::SwapDialog(Desk *desk, const SimCard &oldCard, std::optional<Customer> customer,
    std::optional<TariffPlan> tariff, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_old(oldCard)
    , m_customer(std::move(customer))
    , m_tariff(std::move(tariff))
{
    m_ui.setupUi(this);
    setWindowTitle(tr("Swap SIM card %1").arg(oldCard.iccid));
    QPushButton *ok = m_ui.buttonBox->button(QDialogButtonBox::Ok);
    ok->setText(tr("S&wap"));
    ok->setDefault(false);
    ok->setAutoDefault(false);
    m_ui.introLabel->setText(tr("Move the number, customer and tariff of card %1 (%2) to a new "
                                "card. Both changes happen together or not at all.")
                                 .arg(oldCard.iccid, statusDisplayName(oldCard.status)));
    if (oldCard.status == SimStatus::LostStolen) {
        m_ui.lostRadio->setText(tr("Keep it &lost/stolen (it can be terminated later)"));
        m_ui.lostRadio->setChecked(true);
    } else {
        m_ui.terminateRadio->setChecked(true);
    }
    m_ui.terminateRadio->setText(tr("&Terminate it: final, it can never be used again"));

    m_lookupTimer.setSingleShot(true);
    m_lookupTimer.setInterval(300);
    connect(&m_lookupTimer, &QTimer::timeout, this, &SwapDialog::lookUp);
    m_ui.candidatesList->hide();
    connect(m_ui.candidatesList, &QListWidget::itemActivated, this, &SwapDialog::pickCandidate);
    connect(m_ui.newIccidEdit, &QLineEdit::textEdited, this, [this] {
        m_new.reset();
        ++m_lookupGeneration;
        m_ui.newCardLabel->clear();
        showMoves();
        updateOk();
        m_lookupTimer.start();
    });
    // A scanner ends with Enter: look the card up now instead of pressing a dialog button.
    m_ui.newIccidEdit->installEventFilter(this);
    connect(m_ui.findButton, &QPushButton::clicked, this, &SwapDialog::lookUp);
    connect(m_ui.reasonEdit, &QLineEdit::textChanged, this, &SwapDialog::updateOk);
    connect(m_ui.terminateRadio, &QRadioButton::toggled, this, &SwapDialog::showMoves);
    connect(m_ui.buttonBox, &QDialogButtonBox::accepted, this, &SwapDialog::accept);
    connect(m_ui.buttonBox, &QDialogButtonBox::rejected, this, &SwapDialog::reject);
    connect(m_ui.errorView, &ErrorView::reloadRequested, this, [this] {
        m_reloadRequested = true;
        reject();
    });
    m_ui.newIccidEdit->setFocus();
    showMoves();
    updateOk();
    resize(qMax(width(), 660), height());
    growToFit(this, true);
}

bool SwapDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_ui.newIccidEdit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        // Down from the field walks into the cards found.
        if (key == Qt::Key_Down && m_ui.candidatesList->isVisible()
            && m_ui.candidatesList->count() > 0) {
            m_ui.candidatesList->setFocus();
            m_ui.candidatesList->setCurrentRow(0);
            return true;
        }
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            m_lookupTimer.stop();
            lookUp();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void SwapDialog::lookUp()
{
    m_lookupTimer.stop();
    const QString typed = m_ui.newIccidEdit->text().trimmed();
    const quint64 generation = ++m_lookupGeneration;
    m_new.reset();
    m_ui.candidatesList->hide();
    if (typed.isEmpty()) {
        m_ui.newCardLabel->clear();
        showMoves();
        updateOk();
        return;
    }
    // Core's rules first, so a mistyped or half-scanned ICCID is explained at once.
    const Result<QString> iccid = validation::normalizeIccid(typed);
    const QString digits = SimListQuery::searchDigits(typed);
    if (!iccid && digits.size() >= kMinSearchDigits && digits.size() < 18) {
        findCandidates(digits, generation);
        return;
    }
    if (!iccid) {
        m_ui.newCardLabel->setText(iccid.error().message());
        setTextTone(m_ui.newCardLabel, Tone::Error);
        showMoves();
        updateOk();
        growToFit(this);
        emit newCardChecked(false);
        return;
    }
    m_ui.newCardLabel->setText(tr("Looking up %1…").arg(*iccid));
    setTextTone(m_ui.newCardLabel, std::nullopt);
    const QString normalized = *iccid;
    m_desk->runner()->run<SimCard>(
        this, [normalized](QSqlDatabase db) { return SimRepository(db).findByIccid(normalized); },
        [this, generation, normalized](const Result<SimCard> &found) {
            if (generation != m_lookupGeneration)
                return;
            QString problem;
            if (!found) {
                problem = found.error().code == ErrorCode::NotFound
                    ? tr("There is no card with ICCID %1. Check the number on the card, or "
                         "import the card first.")
                          .arg(normalized)
                    : found.error().message();
            } else if (const std::optional<Error> refusal = swapTargetRefusal(m_old, *found)) {
                problem = refusal->message();
            } else if (found->type != m_old.type) {
                // Allowed by the database when the tariff fits; say it so nobody is surprised.
                m_ui.newCardLabel->setText(
                    tr("✓ Card %1: %2, %3 (the old card is %4).")
                        .arg(found->iccid, statusDisplayName(found->status),
                            simTypeDisplayName(found->type), simTypeDisplayName(m_old.type)));
            }
            if (problem.isEmpty()) {
                m_new = *found;
                if (found->type == m_old.type)
                    m_ui.newCardLabel->setText(
                        tr("✓ Card %1: %2, %3.")
                            .arg(found->iccid, statusDisplayName(found->status),
                                simTypeDisplayName(found->type)));
                setTextTone(m_ui.newCardLabel, Tone::Success);
            } else {
                m_ui.newCardLabel->setText(problem);
                setTextTone(m_ui.newCardLabel, Tone::Error);
            }
            showMoves();
            updateOk();
            // Exactly as tall as needed: the list of candidates a pick came from has gone.
            growToFit(this, true);
            if (m_new)
                m_ui.reasonEdit->setFocus();
            emit newCardChecked(m_new.has_value());
        });
}

void SwapDialog::findCandidates(const QString &digits, quint64 generation)
{
    SimListFilter filter;
    filter.search = digits;
    for (SimStatus s : kAllStatuses) {
        if (canSwapIn(s))
            filter.statuses << s;
    }
    m_ui.newCardLabel->setText(tr("Looking for cards matching %1…").arg(digits));
    setTextTone(m_ui.newCardLabel, std::nullopt);
    m_desk->runner()->run<SimListPage>(
        this,
        [filter](QSqlDatabase db) {
            return SimListQuery(db).firstPage(
                filter, { SimListSortKey::Iccid, Qt::AscendingOrder }, kMaxCandidates + 1);
        },
        [this, generation, digits](const Result<SimListPage> &page) {
            if (generation != m_lookupGeneration)
                return;
            m_ui.candidatesList->clear();
            if (!page) {
                m_ui.newCardLabel->setText(page.error().message());
                setTextTone(m_ui.newCardLabel, Tone::Error);
                emit candidatesListed(0);
                return;
            }
            const QList<SimListRow> &rows = page->rows;
            for (int i = 0; i < qMin(int(rows.size()), kMaxCandidates); ++i) {
                const SimListRow &row = rows.at(i);
                if (row.id == m_old.id)
                    continue;
                QString text = row.iccid;
                if (!row.imsi.isEmpty())
                    text += tr("  ·  IMSI %1").arg(row.imsi);
                text += tr("  ·  %1, %2")
                            .arg(statusDisplayName(row.status), simTypeDisplayName(row.type));
                if (!row.customerNo.isEmpty())
                    text += tr("  ·  reserved for %1").arg(row.customerNo);
                auto *item = new QListWidgetItem(text, m_ui.candidatesList);
                item->setData(Qt::UserRole, row.iccid);
            }
            const int shown = m_ui.candidatesList->count();
            if (shown == 0) {
                m_ui.newCardLabel->setText(
                    tr("No available or reserved card matches %1. Type more of the ICCID, or "
                       "scan the card.")
                        .arg(digits));
                setTextTone(m_ui.newCardLabel, Tone::Error);
            } else {
                QString text;
                if (rows.size() > kMaxCandidates)
                    text = tr("The first %1 matching cards; type more digits to narrow the list. "
                              "Pick one with ↓ and Enter.")
                               .arg(shown);
                else if (shown == 1)
                    text = tr("One matching card; pick it with ↓ and Enter, or a double-click.");
                else
                    text = tr("%1 matching cards; pick one with ↓ and Enter, or a double-click.")
                               .arg(shown);
                m_ui.newCardLabel->setText(text);
                m_ui.candidatesList->show();
            }
            growToFit(this);
            emit candidatesListed(shown);
        });
}

void SwapDialog::pickCandidate(QListWidgetItem *item)
{
    if (!item)
        return;
    m_ui.newIccidEdit->setText(item->data(Qt::UserRole).toString());
    m_ui.newIccidEdit->setFocus();
    lookUp();
}

void SwapDialog::showMoves()
{
    const QString none = tr("none");
    const QString newIccid = m_new ? m_new->iccid : tr("(the new card)");
    const QString customer
        = m_customer ? tr("%1 (%2)").arg(m_customer->fullName, m_customer->customerNo) : none;
    const QString tariff = m_tariff ? tr("%1 (%2)").arg(m_tariff->name, m_tariff->code) : none;
    const SimStatus oldEnd
        = m_ui.terminateRadio->isChecked() ? SimStatus::Terminated : SimStatus::LostStolen;
    auto row = [](const QString &what, const QString &value) {
        return QStringLiteral("<tr><td style='padding-right:14px'><b>%1</b></td><td>%2</td></tr>")
            .arg(what.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table cellspacing='2'>");
    html += row(tr("Number"),
        m_old.msisdn.isEmpty() ? tr("none (the old card has no number)")
                               : tr("%1 → card %2").arg(m_old.msisdn, newIccid));
    html += row(tr("Customer"), customer);
    html += row(tr("Tariff"), tariff);
    html += row(tr("New card"),
        tr("%1 → %2").arg(m_new ? statusDisplayName(m_new->status) : tr("Available or reserved"),
            statusDisplayName(SimStatus::Active)));
    html += row(tr("Old card"),
        tr("%1 %2 → %3, without number")
            .arg(m_old.iccid, statusDisplayName(m_old.status), statusDisplayName(oldEnd)));
    html += QStringLiteral("</table>");
    m_ui.movesLabel->setText(html);
}

void SwapDialog::updateOk()
{
    m_ui.buttonBox->button(QDialogButtonBox::Ok)
        ->setEnabled(!m_busy && !m_stale && m_new && !m_ui.reasonEdit->text().trimmed().isEmpty());
}

void SwapDialog::showError(const Error &error)
{
    m_ui.errorView->showError(error);
    growToFit(this);
}

void SwapDialog::accept()
{
    if (m_busy || !m_new || m_ui.reasonEdit->text().trimmed().isEmpty())
        return;
    SwapRequest request;
    request.oldSimId = m_old.id;
    request.newSimId = m_new->id;
    request.oldExpectedVersion = m_old.version;
    request.newExpectedVersion = m_new->version;
    request.oldCardEnd
        = m_ui.terminateRadio->isChecked() ? SwapOldCardEnd::Terminate : SwapOldCardEnd::LostStolen;
    request.reason = m_ui.reasonEdit->text().trimmed();
    m_busy = true;
    m_ui.errorView->clear();
    updateOk();
    m_desk->runner()->run<SwapResult>(
        this, [request](QSqlDatabase db) { return LifecycleService(db).swap(request); },
        [this](const Result<SwapResult> &result) {
            m_busy = false;
            if (result) {
                m_result = *result;
                emit swapFinished(true);
                QDialog::accept();
                return;
            }
            showError(result.error());
            updateOk();
            emit swapFinished(false);
        });
}

void SwapDialog::reject()
{
    if (m_busy)
        return;
    QDialog::reject();
}

void SwapDialog::showStale(const Error &error)
{
    m_stale = true;
    m_ui.errorView->showError(error);
    updateOk();
}

} // namespace simdesk
