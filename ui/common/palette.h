// SPDX-License-Identifier: MIT
#pragma once

#include "domain/activationcode.h"
#include "domain/lifecycle.h"

#include <QColor>
#include <QPalette>

#include <optional>

class QFrame;
class QLabel;
class QPushButton;
class QWidget;

// Every colour SimDesk draws with besides the platform's own palette: the status colours (list
// badges, detail header, history, the dashboard) and the tones of messages (errors, warnings,
// information, success), each in a light and a dark variant chosen from the window colour. The
// widgets styled here follow a change of the application palette by themselves.
namespace simdesk {

enum class Tone : quint8 { Error, Warning, Info, Success };

struct ToneColors
{
    QColor text; // on the window, and on `background`
    QColor background; // of a banner
    QColor border; // of a banner
};

// Qt 6.4 has no colour-scheme hint: a dark palette is one whose window colour is dark.
bool isDarkPalette(const QPalette &palette);
ToneColors toneColors(Tone tone, const QPalette &palette);
// The background of a row that changed elsewhere a moment ago.
QColor changedRowColor(const QPalette &palette);

// One colour per SIM status, readable on light and dark palettes, telling AVAILABLE from
// TERMINATED without relying on hue alone (a badge also carries the status name).
QColor statusColor(SimStatus status);
// Text colour that stays readable on statusColor(status).
QColor statusTextColor(SimStatus status);
// Activation code statuses in the same colours: unused as an available card, used as an
// active one, expired as a terminated one.
QColor statusColor(CodeStatus status);
QColor statusTextColor(CodeStatus status);

// Text in a tone (an inline message, a check's result); nullopt: the palette's own colour again.
void setTextTone(QWidget *widget, std::optional<Tone> tone);
// A framed banner in a tone: its background, border and the text of the labels in it.
void setFrameTone(QFrame *frame, Tone tone);
// A rounded badge in a colour (a status).
void setBadgeColors(QLabel *label, const QColor &background, const QColor &text);
// A flat button that reads as a link (opens a record).
void setLinkStyle(QPushButton *button);

} // namespace simdesk
