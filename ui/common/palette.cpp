// SPDX-License-Identifier: MIT
#include "common/palette.h"

#include <QApplication>
#include <QFrame>
#include <QLabel>
#include <QPointer>
#include <QPushButton>

namespace simdesk {

namespace {

// The one table of message colours: text, background, border; light then dark.
struct ToneRow
{
    Tone tone;
    QRgb light[3];
    QRgb dark[3];
};

constexpr ToneRow kTones[] = {
    { Tone::Error, { 0xb3261e, 0xfdecea, 0xe9a8a2 }, { 0xf2b8b5, 0x3b1d1b, 0x8c3b35 } },
    { Tone::Warning, { 0x8a5300, 0xfff4dc, 0xf0c36d }, { 0xf5c46b, 0x3a2e14, 0x7a5c1f } },
    { Tone::Info, { 0x123a5e, 0xe7f1fb, 0x9cc3e8 }, { 0xa9cdf0, 0x182a3b, 0x36597a } },
    { Tone::Success, { 0x1e7b34, 0xe6f4ea, 0x9fd3ad }, { 0x8fd4a0, 0x173322, 0x2f6b41 } },
};

const char *const kToneProperty = "simdeskTone"; // int(Tone) + 1; 0: none
const char *const kFrameProperty = "simdeskToneFrame"; // the tone styles a frame

// Styles a widget for its tone again when the application palette changes (a switch to a dark
// desktop theme, for example). One filter on the application serves every styled widget.
class ToneFollower : public QObject
{
public:
    static void ensure()
    {
        static QPointer<ToneFollower> instance;
        if (!instance && qApp) {
            instance = new ToneFollower(qApp);
            qApp->installEventFilter(instance);
        }
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::ApplicationPaletteChange && watched == qApp) {
            for (QWidget *w : QApplication::allWidgets()) {
                const int tone = w->property(kToneProperty).toInt();
                if (tone == 0)
                    continue;
                if (w->property(kFrameProperty).toBool())
                    setFrameTone(qobject_cast<QFrame *>(w), Tone(tone - 1));
                else
                    setTextTone(w, Tone(tone - 1));
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    using QObject::QObject;
};

QPalette applicationPalette()
{
    return QApplication::palette();
}

} // namespace

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

ToneColors toneColors(Tone tone, const QPalette &palette)
{
    const ToneRow &row = kTones[size_t(tone)];
    const QRgb *c = isDarkPalette(palette) ? row.dark : row.light;
    return { QColor(c[0]), QColor(c[1]), QColor(c[2]) };
}

QColor changedRowColor(const QPalette &palette)
{
    return isDarkPalette(palette) ? QColor(120, 100, 20, 150) : QColor(255, 236, 153, 150);
}

QColor statusColor(SimStatus status)
{
    switch (status) {
    case SimStatus::Available:
        return QColor(0x4c8bf5); // blue: in stock
    case SimStatus::Reserved:
        return QColor(0x8e6bd6); // violet: set aside
    case SimStatus::Active:
        return QColor(0x2e9e5b); // green: working
    case SimStatus::Suspended:
        return QColor(0xe09b22); // amber: paused
    case SimStatus::LostStolen:
        return QColor(0xd94a3d); // red: needs attention
    case SimStatus::Terminated:
        return QColor(0x7a8087); // grey: final
    }
    return Qt::gray;
}

QColor statusTextColor(SimStatus status)
{
    return status == SimStatus::Suspended ? QColor(0x2b1d00) : QColor(Qt::white);
}

void setTextTone(QWidget *widget, std::optional<Tone> tone)
{
    if (!widget)
        return;
    ToneFollower::ensure();
    widget->setProperty(kToneProperty, tone ? int(*tone) + 1 : 0);
    widget->setProperty(kFrameProperty, false);
    if (!tone) {
        widget->setPalette(QPalette()); // inherit again
        return;
    }
    const QColor text = toneColors(*tone, applicationPalette()).text;
    QPalette p = widget->palette();
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Text, text);
    widget->setPalette(p);
}

void setFrameTone(QFrame *frame, Tone tone)
{
    if (!frame)
        return;
    ToneFollower::ensure();
    frame->setProperty(kToneProperty, int(tone) + 1);
    frame->setProperty(kFrameProperty, true);
    const ToneColors c = toneColors(tone, applicationPalette());
    // Scoped to this frame by its object name, so that buttons inside keep the platform's look.
    const QString name
        = frame->objectName().isEmpty() ? QStringLiteral("toneFrame") : frame->objectName();
    frame->setObjectName(name);
    frame->setStyleSheet(QStringLiteral("QFrame#%1 { background: %2; border: 1px solid %3; "
                                        "border-radius: 4px; } QFrame#%1 QLabel { color: %4; }")
                             .arg(name, c.background.name(), c.border.name(), c.text.name()));
}

void setBadgeColors(QLabel *label, const QColor &background, const QColor &text)
{
    label->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; border-radius: 9px; padding: 2px 10px; "
                       "font-weight: 600; }")
            .arg(background.name(), text.name()));
}

void setLinkStyle(QPushButton *button)
{
    button->setFlat(true);
    button->setCursor(Qt::PointingHandCursor);
    button->setStyleSheet(
        QStringLiteral("QPushButton { text-align: left; padding: 0px; border: none; color: "
                       "palette(link); text-decoration: underline; }"
                       "QPushButton:disabled { color: palette(window-text); "
                       "text-decoration: none; }"));
}

namespace {

SimStatus codeColorOf(CodeStatus status)
{
    switch (status) {
    case CodeStatus::Unused:
        return SimStatus::Available;
    case CodeStatus::Used:
        return SimStatus::Active;
    case CodeStatus::Expired:
        return SimStatus::Terminated;
    }
    return SimStatus::Available;
}

} // namespace

QColor statusColor(CodeStatus status)
{
    return statusColor(codeColorOf(status));
}

QColor statusTextColor(CodeStatus status)
{
    return statusTextColor(codeColorOf(status));
}

} // namespace simdesk
