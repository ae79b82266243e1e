// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QJsonObject>
#include <QLocale>
#include <QPalette>

namespace simdesk {

// What the web pages need from the application so that they look and read like the rest of
// SimDesk, passed from C++ (the page has no way to know the Qt palette or locale):
//  - the theme: colours of the application palette (light or dark, told from the window
//    colour: Qt 6.4 has no colour scheme hint) and the status colours of the SIM list badges;
//  - the locale: decimal and group separators, month and day names (d3.formatLocale and
//    d3.timeFormatLocale are built from them);
//  - the user-visible strings, translated here with tr().
namespace dashboardtheme {

bool isDark(const QPalette &palette);
QJsonObject theme(const QPalette &palette);
QJsonObject locale(const QLocale &locale);
QJsonObject strings();
// The page's background, set on the QWebEnginePage before anything loads (no white flash).
QColor background(const QPalette &palette);

// A script run at document creation that leaves {theme, locale, strings} in window.simdeskBoot,
// so the very first paint already has the right colours and words.
QString bootScript(const QJsonObject &theme, const QJsonObject &locale, const QJsonObject &strings);

} // namespace dashboardtheme
} // namespace simdesk
