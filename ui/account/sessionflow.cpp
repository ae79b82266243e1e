// SPDX-License-Identifier: MIT
#include "sessionflow.h"

namespace simdesk {

SessionFlow::SessionFlow(ConnectionSettings defaults, QObject *parent)
    : QObject(parent)
    , m_last(std::move(defaults))
{ }

SessionFlow::~SessionFlow()
{
    delete m_login;
    delete m_window;
}

void SessionFlow::start()
{
    m_login = new LoginDialog(m_last);
    m_login->setObjectName(QStringLiteral("loginDialog"));
    m_login->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_login, &QDialog::accepted, this, &SessionFlow::openWindow);
    connect(m_login, &QDialog::rejected, this, &SessionFlow::finished);
    m_login->show();
    emit signInShown(m_login);
}

void SessionFlow::openWindow()
{
    const ConnectionSettings settings = m_login->settings();
    m_last = settings;
    m_last.password.clear(); // the next sign-in asks again
    m_window = new MainWindow(settings, m_login->session());
    m_window->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_window, &MainWindow::loggedOut, this, &SessionFlow::logOut);
    connect(m_window, &QObject::destroyed, this, [this] {
        if (m_loggingOut) {
            m_loggingOut = false;
            start();
        } else {
            emit finished();
        }
    });
    m_login->deleteLater();
    m_window->show();
    m_window->refresh();
    emit signedIn(m_window);
}

void SessionFlow::logOut()
{
    m_loggingOut = true;
    // The window may refuse to close (an import still runs and the person keeps it).
    if (!m_window->close())
        m_loggingOut = false;
}

} // namespace simdesk
