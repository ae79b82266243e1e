// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringView>

#include <cstddef>
#include <optional>

namespace simdesk {

// The words of one enumeration: for each value the stable key the database, files and command
// line use ("LOST_STOLEN", "data-only", "report_lost_stolen") and the source text of its display
// name, marked with QT_TRANSLATE_NOOP in the enumeration's translation context. Every
// enumeration of the domain that has a key (status, action, type, event, source, role, code
// status, bulk outcome) keeps its words in one such table, listed in enum order, and answers
// key → value, value → key and value → name through the functions below.
template<typename Enum> struct Word
{
    Enum value;
    const char *key;
    const char *name; // null where the value has no display name of its own
};

// True when `words` lists every value once, in enum order, `count` values in all: a table's
// static_assert.
template<typename Enum, std::size_t N>
constexpr bool inEnumOrder(const Word<Enum> (&words)[N], std::size_t count)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (std::size_t(words[i].value) != i)
            return false;
    }
    return N == count;
}

template<typename Enum, std::size_t N> QString keyOf(const Word<Enum> (&words)[N], Enum value)
{
    return QString::fromLatin1(words[std::size_t(value)].key);
}

// The value whose key `key` is; nullopt for a word that is none of them.
template<typename Enum, std::size_t N>
std::optional<Enum> valueOfKey(
    const Word<Enum> (&words)[N], QStringView key, Qt::CaseSensitivity cs = Qt::CaseSensitive)
{
    for (const Word<Enum> &w : words) {
        if (key.compare(QLatin1String(w.key), cs) == 0)
            return w.value;
    }
    return std::nullopt;
}

template<typename Enum, std::size_t N>
QString nameOf(const char *context, const Word<Enum> (&words)[N], Enum value)
{
    return QCoreApplication::translate(context, words[std::size_t(value)].name);
}

} // namespace simdesk
