// SPDX-License-Identifier: MIT
#pragma once

#include "dashboard/webprofile.h"

#include <QCoreApplication>
#include <QtGlobal>

#include <unistd.h>

// For a test (or benchmark) process that opens Qt WebEngine views (the dashboard, the SIM
// timeline): call before the QApplication exists (Qt Test: from initMain()). The same set-up as
// the app (simdesk::prepareWebEngineProcess()); and Chromium's sandbox refuses to run as root
// (containers, CI), so there — and only inside this test process — it is switched off.
inline void prepareWebEngineTest()
{
    simdesk::prepareWebEngineProcess();
    if (geteuid() == 0)
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
}
