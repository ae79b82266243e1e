// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringView>

namespace simdesk {

// How much of a value from outside (a file's field or header, a path) a message quotes.
constexpr qsizetype kMaxQuotedLength = 60;

// `text` as a message may quote it, whatever it holds: control characters (C0, DEL, C1), the
// Unicode line and paragraph separators and the bidirectional controls are shown escaped (\t,
// \n, \r, \x1B, \u202E), so a value cannot clear a terminal, set its title, break a line of a
// report or reorder what a reader sees; a lone surrogate becomes U+FFFD; and more than
// `maxLength` characters (code points) are cut, ending in "…". Every message that names a value
// read from a file goes through it: the Error's arguments carry the printable form, so the CLI,
// the JSON report, the stored problems and the GUI all show the same.
QString printable(QStringView text, qsizetype maxLength = kMaxQuotedLength);

} // namespace simdesk
