// SPDX-License-Identifier: MIT
#include "common/errorview.h"

#include <QFontDatabase>

namespace simdesk {

ErrorView::ErrorView(QWidget *parent)
    : QFrame(parent)
{
    m_ui.setupUi(this);
    m_ui.detailLabel->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui.detailLabel->hide();
    connect(m_ui.detailsButton, &QToolButton::toggled, m_ui.detailLabel, &QWidget::setVisible);
    connect(m_ui.reloadButton, &QPushButton::clicked, this, &ErrorView::reloadRequested);
    connect(m_ui.closeButton, &QToolButton::clicked, this, [this] {
        clear();
        emit dismissed();
    });
    QFrame::hide();
}

void ErrorView::setBanner(bool banner)
{
    m_banner = banner;
    m_ui.closeButton->setVisible(banner);
    if (!banner)
        m_ui.rootLayout->setContentsMargins(0, 0, 0, 0);
}

bool ErrorView::offersReload(const Error &error)
{
    switch (error.code) {
    case ErrorCode::StaleVersion:
    case ErrorCode::TransitionNotAllowed:
    case ErrorCode::NotFound:
    case ErrorCode::ConcurrentUpdate:
    case ErrorCode::RecordLocked:
        return true;
    default:
        return false;
    }
}

QString ErrorView::fullText(const Error &error)
{
    if (error.code == ErrorCode::StaleVersion || error.detail.isEmpty())
        return error.message();
    return error.message() + QLatin1Char('\n') + error.detail;
}

void ErrorView::showError(const Error &error)
{
    m_error = error;
    show(Tone::Error, error.message(),
        error.code == ErrorCode::StaleVersion ? QString() : error.detail,
        offersReload(error) ? Button::Reload : Button::None);
}

void ErrorView::showLoadError(const Error &error)
{
    m_error = error;
    show(Tone::Error, error.message(), error.detail, Button::Retry);
}

void ErrorView::showMessage(Tone tone, const QString &text, const QString &detail)
{
    m_error.reset();
    show(tone, text, detail, Button::None);
}

void ErrorView::show(Tone tone, const QString &text, const QString &detail, Button button)
{
    m_tone = tone;
    m_ui.messageLabel->setText(text);
    m_ui.detailLabel->setText(detail);
    m_ui.detailsButton->setVisible(!detail.isEmpty());
    m_ui.detailsButton->setChecked(false);
    m_ui.reloadButton->setVisible(button != Button::None);
    m_ui.reloadButton->setText(button == Button::Retry ? tr("&Retry") : tr("&Reload"));
    if (m_banner) {
        setFrameTone(this, tone);
    } else {
        setTextTone(m_ui.messageLabel, tone);
        setTextTone(m_ui.detailLabel, tone);
    }
    QFrame::show();
}

void ErrorView::clear()
{
    m_error.reset();
    m_ui.messageLabel->clear();
    m_ui.detailLabel->clear();
    QFrame::hide();
}

} // namespace simdesk
