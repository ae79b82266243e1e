// SPDX-License-Identifier: MIT
#include "dashboard/dashboardpage.h"

#include "common/desk.h"
#include "dashboard/dashboardbridge.h"
#include "dashboard/dashboardtheme.h"
#include "dashboard/webprofile.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPointer>
#include <QSaveFile>
#include <QTimeZone>
#include <QWebChannel>
#include <QWebEngineView>

#include <algorithm>

namespace simdesk {

DashboardPage::DashboardPage(Desk *desk, QWidget *parent)
    : DashboardPage(databaseDashboardSource(desk->runner()), parent)
{
    const ConnectionSettings &c = desk->connection();
    m_server = c.port > 0 ? QStringLiteral("%1:%2/%3").arg(c.host).arg(c.port).arg(c.database)
                          : QStringLiteral("%1/%2").arg(c.host, c.database);
    // The hub asks a hidden dashboard only when it is shown again.
    desk->hub()->watch(this, Topic::Cards, [this](const Change &) { cardsChanged(); });
}

DashboardPage::DashboardPage(DashboardSource source, QWidget *parent)
    : QWidget(parent)
    , m_source(std::move(source))
{
    m_range = presetRange(m_preset, StatsGranularity::Day, QDate::currentDate());
    setUp();
}

DashboardPage::~DashboardPage()
{
    // The view must not outlive its page (the page is ours, not the view's).
    m_ui.webView->setPage(nullptr);
}

void DashboardPage::setUp()
{
    m_ui.setupUi(this);
    m_page = new LocalOnlyPage(this);
    installBootScript(m_page, palette());
    m_bridge = new DashboardBridge(this);
    m_channel = new QWebChannel(this);
    m_channel->registerObject(QStringLiteral("simdesk"), m_bridge);
    m_page->setWebChannel(m_channel);
    m_ui.webView->setPage(m_page);
    // No Back/Reload/View source menu: this is part of the application, not a browser.
    m_ui.webView->setContextMenuPolicy(Qt::NoContextMenu);
    // CSV files dropped on the dashboard go to the window, not to the page.
    m_ui.webView->setAcceptDrops(false);

    connect(m_page, &QWebEnginePage::loadStarted, m_bridge, &DashboardBridge::reset);
    connect(m_page, &QWebEnginePage::renderProcessTerminated, this,
        [this](QWebEnginePage::RenderProcessTerminationStatus status) {
            if (status != QWebEnginePage::NormalTerminationStatus)
                m_page->triggerAction(QWebEnginePage::Reload);
        });
    connect(m_bridge, &DashboardBridge::ready, this, [this] {
        if (!m_data.isEmpty())
            m_bridge->sendData(m_data); // a reloaded page shows the numbers it had
        load();
    });
    connect(m_bridge, &DashboardBridge::rangeRequested, this, &DashboardPage::chooseRange);
    connectDrillDowns();
    connect(m_bridge, &DashboardBridge::drawn, this, [this](const QJsonObject &summary) {
        ++m_drawCount;
        m_lastDrawn = summary;
        emit drawn(summary);
    });
    connect(m_ui.refreshButton, &QPushButton::clicked, this, &DashboardPage::refresh);
    // Where the export went, until the next one.
    connect(this, &DashboardPage::exported, this, [this](const QString &file, bool ok) {
        m_ui.exportStatusLabel->setText(
            ok ? tr("Saved as %1").arg(QDir::toNativeSeparators(QFileInfo(file).absoluteFilePath()))
               : QString());
        m_ui.exportStatusLabel->setToolTip(m_ui.exportStatusLabel->text());
    });
    connect(m_ui.exportButton, &QPushButton::clicked, this, &DashboardPage::chooseExportFile);

    m_coalesce.setSingleShot(true);
    connect(&m_coalesce, &QTimer::timeout, this, &DashboardPage::load);

    m_page->load(QUrl(QStringLiteral("qrc:/dashboard/index.html")));
}

void DashboardPage::chooseRange(
    const QString &preset, const QString &from, const QString &to, const QString &granularity)
{
    StatsGranularity g = m_range.granularity;
    granularityFromName(granularity, &g);
    StatsRange range;
    if (preset == QLatin1String("custom")) {
        range.from = QDate::fromString(from, Qt::ISODate);
        range.to = QDate::fromString(to, Qt::ISODate);
        range.granularity = g;
        if (!StatsService::checkRange(range).ok()) {
            m_bridge->sendState(QStringLiteral("error"),
                tr("Choose a start date on or before the end date, at most ten years apart."));
            return;
        }
    } else {
        range = presetRange(preset, g, QDate::currentDate());
    }
    m_preset = preset;
    m_range = range;
    load();
}

// A click on a number opens the SIM list with the filter that counts it.
void DashboardPage::connectDrillDowns()
{
    connect(m_bridge, &DashboardBridge::statusClicked, this, [this](const QString &key) {
        SimListFilter filter;
        if (const std::optional<SimStatus> status = statusFromKey(key))
            filter.statuses = { *status };
        emit simsRequested(filter);
    });
    connect(m_bridge, &DashboardBridge::tariffClicked, this, [this](qint64 id) {
        SimListFilter filter;
        filter.tariffPlanId = id;
        emit simsRequested(filter);
    });
    connect(m_bridge, &DashboardBridge::noTariffClicked, this, [this] {
        SimListFilter filter;
        filter.noTariff = true;
        emit simsRequested(filter);
    });
    connect(m_bridge, &DashboardBridge::activationsClicked, this,
        [this](const QString &start, const QString &end) {
            SimListFilter filter;
            filter.activatedFrom = startOfDay(start);
            filter.activatedTo = startOfDay(end);
            if (filter.activatedFrom.isValid() && filter.activatedTo.isValid())
                emit simsRequested(filter);
        });
}

void DashboardPage::applyTheme()
{
    installBootScript(m_page, palette()); // for the next reload
    m_bridge->sendTheme(dashboardtheme::theme(palette()), dashboardtheme::locale(QLocale()),
        dashboardtheme::strings());
}

void DashboardPage::refresh()
{
    m_coalesce.stop();
    load();
}

void DashboardPage::cardsChanged()
{
    if (m_coalesce.isActive())
        return; // already due: this change is in the next load
    const qint64 since = QDateTime::currentMSecsSinceEpoch() - m_lastLoadMs;
    m_coalesce.start(int(std::clamp<qint64>(1000 - since, 0, 1000)));
}

void DashboardPage::load()
{
    if (!m_bridge->isReady())
        return; // loads once the page says it is ready
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    m_lastLoadMs = QDateTime::currentMSecsSinceEpoch();
    m_bridge->sendState(QStringLiteral("loading"));
    m_source(m_range, this, [this](const Result<QJsonObject> &result) { showResult(result); });
}

void DashboardPage::showResult(const Result<QJsonObject> &result)
{
    m_loading = false;
    if (result) {
        m_data = *result;
        const QDateTime generated = QDateTime::fromString(
            m_data.value(QStringLiteral("generatedAt")).toString(), Qt::ISODateWithMs);
        const QTime shown
            = (generated.isValid() ? generated.toLocalTime() : QDateTime::currentDateTime()).time();
        m_data.insert(QStringLiteral("preset"), m_preset);
        m_data.insert(QStringLiteral("updatedText"),
            tr("Updated %1").arg(QLocale().toString(shown, QStringLiteral("HH:mm:ss"))));
        m_data.insert(QStringLiteral("reportTitle"),
            reportTitle(generated.isValid() ? generated : QDateTime::currentDateTime()));
        m_bridge->sendData(m_data);
        m_bridge->sendState(QStringLiteral("ready"));
    } else {
        m_bridge->sendState(QStringLiteral("error"), result.error().message());
    }
    emit loaded(result.ok());
    if (std::exchange(m_again, false))
        load(); // a range switched, or cards changed, while this load ran
}

QDateTime DashboardPage::startOfDay(const QString &date) const
{
    const QDate day = QDate::fromString(date, Qt::ISODate);
    if (!day.isValid())
        return {};
    // The periods are calendar days of the dashboard's time zone (the server's).
    const QTimeZone zone(m_data.value(QStringLiteral("timeZone")).toString().toUtf8());
    return zone.isValid() ? QDateTime(day, QTime(0, 0), zone) : QDateTime(day, QTime(0, 0));
}

void DashboardPage::chooseExportFile()
{
    QString filter;
    const QString pdf = tr("PDF document (*.pdf)");
    const QString png = tr("PNG image (*.png)");
    QString name = QFileDialog::getSaveFileName(this, tr("Export dashboard"),
        tr("dashboard-%1.pdf").arg(QDate::currentDate().toString(Qt::ISODate)),
        pdf + QStringLiteral(";;") + png, &filter);
    if (name.isEmpty())
        return;
    const QString suffix = QFileInfo(name).suffix().toLower();
    if (suffix != QLatin1String("pdf") && suffix != QLatin1String("png"))
        name += filter == png ? QStringLiteral(".png") : QStringLiteral(".pdf");
    auto *once = new QObject(this);
    connect(this, &DashboardPage::exported, once, [this, once](const QString &file, bool ok) {
        once->deleteLater();
        if (!ok)
            QMessageBox::warning(this, tr("Export dashboard"),
                tr("Could not write %1. Choose a folder you may write to and try again.")
                    .arg(QDir::toNativeSeparators(file)));
    });
    exportTo(name);
}

QString DashboardPage::reportTitle(const QDateTime &asOf) const
{
    const QLocale locale;
    static const char *const granularities[]
        = { QT_TR_NOOP("by day"), QT_TR_NOOP("by week"), QT_TR_NOOP("by month") };
    const QString period = tr("%1 – %2, %3")
                               .arg(locale.toString(m_range.from, QLocale::ShortFormat),
                                   locale.toString(m_range.to, QLocale::ShortFormat),
                                   tr(granularities[int(m_range.granularity)]));
    const QString when = locale.toString(asOf.toLocalTime(), QLocale::ShortFormat);
    return m_server.isEmpty()
        ? tr("SimDesk dashboard · %1 · as of %2").arg(period, when)
        : tr("SimDesk dashboard · %1 · as of %2 · %3").arg(period, when, m_server);
}

// Both kinds of file say what they show (title, period, time, server) and are written like
// every other export: through QSaveFile, so with the usual permissions (Chromium's own PDF
// writer makes its files private) and never half-written.
void DashboardPage::exportTo(const QString &fileName)
{
    const QString title = m_data.value(QStringLiteral("reportTitle")).toString();
    if (QFileInfo(fileName).suffix().compare(QLatin1String("png"), Qt::CaseInsensitive) == 0) {
        emit exported(fileName, saveFile(fileName, titledImage(title)));
        return;
    }
    const QPageLayout layout(QPageSize(QPageSize::A4), QPageLayout::Landscape,
        QMarginsF(10, 10, 10, 10), QPageLayout::Millimeter);
    const QPointer<DashboardPage> self(this);
    m_page->printToPdf(
        [self, fileName](const QByteArray &pdf) {
            if (self)
                emit self->exported(fileName, !pdf.isEmpty() && saveFile(fileName, pdf));
        },
        layout);
}

QByteArray DashboardPage::titledImage(const QString &title) const
{
    const QPixmap shot = m_ui.webView->grab();
    const int band = title.isEmpty() ? 0 : fontMetrics().height() * 2;
    QImage image(shot.width(), shot.height() + band, QImage::Format_RGB32);
    image.fill(palette().color(QPalette::Window));
    QPainter painter(&image);
    painter.setPen(palette().color(QPalette::WindowText));
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(
        QRect(8, 0, image.width() - 16, band), Qt::AlignVCenter | Qt::AlignLeft, title);
    painter.drawPixmap(0, band, shot);
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

bool DashboardPage::saveFile(const QString &fileName, const QByteArray &content)
{
    QSaveFile file(fileName);
    return !content.isEmpty() && file.open(QIODevice::WriteOnly)
        && file.write(content) == content.size() && file.commit();
}

void DashboardPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::LocaleChange)
        applyTheme();
}

} // namespace simdesk
