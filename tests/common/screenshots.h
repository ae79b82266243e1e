// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QWidget;

// Saves `widget` as <name>.png under SIMDESK_TEST_OUTPUT (the build's tests/ui/screenshots),
// for people to look at. Returns false when the file could not be written.
bool saveScreenshot(QWidget *widget, const QString &name);
