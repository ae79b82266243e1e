// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include <QDateTime>
#include <QLocale>
#include <QMessageBox>

namespace simdesk {

MainWindow::MainWindow(ConnectionSettings settings, SessionInfo session, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(std::move(settings))
    , m_session(std::move(session))
{
    m_ui.setupUi(this);
    if (m_session.role) {
        auto *who
            = new QLabel(tr("Signed in as %1 (%2)")
                             .arg(m_session.displayName, staffRoleDisplayName(*m_session.role)),
                this);
        who->setObjectName(QStringLiteral("sessionLabel"));
        m_ui.statusBar->addPermanentWidget(who);
        m_ui.accountMenu->setTitle(tr("&Account: %1").arg(m_session.login));
    }
    connect(m_ui.logoutAction, &QAction::triggered, this, &MainWindow::loggedOut);
    m_ui.statusTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ui.statusTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    connect(m_ui.refreshAction, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_ui.retryButton, &QPushButton::clicked, this, &MainWindow::refresh);
    connect(m_ui.quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_ui.aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    connect(&m_watcher, &QFutureWatcher<Result<Overview>>::finished, this, [this] {
        const Result<Overview> result = m_watcher.result();
        if (result)
            showOverview(*result);
        else
            showError(result.error());
        m_ui.refreshAction->setEnabled(true);
        m_ui.retryButton->setEnabled(true);
        emit refreshed();
    });
}

void MainWindow::refresh()
{
    if (m_watcher.isRunning())
        return;
    m_ui.refreshAction->setEnabled(false);
    m_ui.retryButton->setEnabled(false);
    m_ui.statusBar->showMessage(tr("Loading…"));
    if (m_ui.pages->currentWidget() == m_ui.errorPage)
        m_ui.pages->setCurrentWidget(m_ui.loadingPage);
    m_watcher.setFuture(loadOverview(m_settings));
}

void MainWindow::showOverview(const Overview &overview)
{
    const QLocale locale;
    m_ui.connectionLabel->setText(
        tr("Connected to %1 · schema version %2").arg(overview.server).arg(overview.schemaVersion));
    m_ui.statusTable->setRowCount(int(overview.counts.size()));
    qint64 total = 0;
    int row = 0;
    for (auto it = overview.counts.cbegin(); it != overview.counts.cend(); ++it, ++row) {
        auto *name = new QTableWidgetItem(statusDisplayName(it.key()));
        name->setData(Qt::UserRole, statusKey(it.key()));
        auto *count = new QTableWidgetItem(locale.toString(it.value()));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_ui.statusTable->setItem(row, 0, name);
        m_ui.statusTable->setItem(row, 1, count);
        total += it.value();
    }
    m_ui.totalLabel->setText(tr("Total: %1 SIM cards").arg(locale.toString(total)));
    m_ui.pages->setCurrentWidget(m_ui.overviewPage);
    m_ui.statusBar->showMessage(
        tr("Updated %1").arg(locale.toString(QTime::currentTime(), QLocale::ShortFormat)));
}

void MainWindow::showError(const Error &error)
{
    m_ui.errorLabel->setText(error.message());
    m_ui.errorDetailLabel->setText(error.detail);
    m_ui.errorDetailLabel->setVisible(!error.detail.isEmpty());
    m_ui.pages->setCurrentWidget(m_ui.errorPage);
    m_ui.statusBar->showMessage(tr("Not connected"));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About SimDesk"),
        tr("<h3>SimDesk %1</h3><p>SIM card inventory and lifecycle management for "
           "support and inventory staff.</p><p>Licensed under the MIT licence.</p>")
            .arg(QCoreApplication::applicationVersion()));
}

} // namespace simdesk
