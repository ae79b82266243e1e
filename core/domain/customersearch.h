// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

// How a typed customer search becomes what the database compares: the C++ side of the folding
// that sql/013_customers.sql stores in customers.search_text (simdesk_fold()). Pure functions,
// no database.
namespace simdesk::customersearch {

// Lower case with accents and other marks removed, as simdesk_fold() (PostgreSQL's unaccent
// dictionary, then lower()) does for the letters names are written in: "Müller" → "muller",
// "Ærø" → "aero", "Straße" → "strasse". tst_customerlistquery proves the two equal on a list
// of names from many languages.
QString fold(QStringView text);

// True when `text` reads as a phone number being typed: digits and only the separators people
// write in numbers (space, -, ., /, brackets) and a leading +.
bool looksLikePhone(QStringView text);

// The terms a customer must contain, all of them (in any field, anywhere in it):
//  * a phone number as typed (looksLikePhone()) is one term of its digits, separators and a
//    national "(0)" after the country code dropped, a leading + or 00 kept: "+49 (0)151 23" →
//    "+4915123"; the stored search text holds each phone as +49… and 0049…, so both match, and
//    bare digits ("151 23") match inside either;
//  * anything else is split at white space, each word folded: "Müll  GmbH" → {"mull", "gmbh"}.
// Empty input: no terms (every customer).
QStringList terms(QStringView input);

// The LIKE pattern matching `term` anywhere, with %, _ and \ escaped.
QString containsPattern(QStringView term);

} // namespace simdesk::customersearch
