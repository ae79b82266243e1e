// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>

namespace simdesk {

// Asks for a secret on the controlling terminal without echoing it. nullopt when standard
// input is not a terminal (scripts, CI): nothing may prompt there.
std::optional<QString> promptPassword(const QString &prompt);

} // namespace simdesk
