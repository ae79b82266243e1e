// SPDX-License-Identifier: MIT
#include "connectionoptions.h"

#include <QCommandLineParser>

namespace simdesk {

void ConnectionOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOption(m_db);
}

Result<ConnectionSettings> ConnectionOptions::settings(const QCommandLineParser &parser) const
{
    if (parser.isSet(m_db))
        return ConnectionSettings::fromUrl(parser.value(m_db));
    return ConnectionSettings {};
}

} // namespace simdesk
