// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QtGlobal>

namespace simdesk {

// What long work reports while it runs and asks between its steps: how far it is, and whether
// the person who started it has cancelled. Implemented by whoever started the work (the
// background runner, a command-line progress line); core calls it and never shows anything.
class ProgressObserver
{
public:
    virtual ~ProgressObserver() = default;
    // How far the current phase is. `phase` is a short translated word; `total` 0: no measure
    // (a set-based database step).
    virtual void progress(const QString &phase, qint64 done, qint64 total)
    {
        Q_UNUSED(phase);
        Q_UNUSED(done);
        Q_UNUSED(total);
    }
    // Asked between steps and, while a statement runs on the server, every ~50 ms from a helper
    // thread (QueryCanceller): it must be thread-safe, e.g. read an atomic flag.
    virtual bool cancelled() const { return false; }
};

} // namespace simdesk
