// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace simdesk {

// One field of a CSV file the user saves (problems of an import, as a spreadsheet opens them):
// UTF-8, quoted (with quotes doubled) only when it holds a comma, a quote or a line break.
inline QByteArray csvField(const QString &value)
{
    QByteArray v = value.toUtf8();
    if (v.contains(',') || v.contains('"') || v.contains('\n') || v.contains('\r')) {
        v.replace("\"", "\"\"");
        v = '"' + v + '"';
    }
    return v;
}

} // namespace simdesk
