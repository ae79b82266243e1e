// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"
#include "domain/simtypes.h"

#include <QString>
#include <QStringView>

// The identifier rules (ICCID, IMSI, MSISDN, PIN, PUK, reasons), pure functions with no database.
// Every function strips the separators people and scanners add, and returns the canonical form
// stored in the database or an Error whose code names exactly what is wrong.
namespace simdesk::validation {

// The Luhn (ITU-T E.118) check digit for a string of digits, or -1 if it holds anything else.
int luhnCheckDigit(QStringView body);
// True when the last digit of `digits` is the Luhn check digit of the others.
bool hasValidCheckDigit(QStringView digits);

// ICCID: 19 or 20 digits starting with 89, last digit a valid check digit. 18 digits fail with
// IccidMissingCheckDigit whose args are {input digits, digits with the computed check digit}.
Result<QString> normalizeIccid(QStringView input);
// For vendor files that omit the check digit: 18 digits starting 89 → the 19-digit ICCID.
// Anything else is validated as by normalizeIccid().
Result<QString> completeIccid(QStringView input);

// MSISDN in E.164: "+" then 7–15 digits, country code not starting with 0. Accepts "+49…",
// "0049…" and bare international digits "49…" (how telecom systems usually write MSISDNs);
// a single leading 0 is a national number and is refused.
Result<QString> normalizeMsisdn(QStringView input);

Result<QString> normalizeImsi(QStringView input); // 6–15 digits
Result<QString> normalizePin(QStringView input); // 4–8 digits
Result<QString> normalizePuk(QStringView input); // exactly 8 digits

// "prepaid", "postpaid", "data-only" in any case; "data_only", "data only", "dataonly" too.
Result<SimType> parseSimType(QStringView input);

// The longest reason kept, in characters (Unicode code points, as PostgreSQL's char_length).
constexpr qsizetype kMaxReasonLength = 500;

// A free-text reason (suspend, terminate, reveal, delete, …): trimmed at both ends of every
// Unicode space and of the invisible format characters pasted text brings (isReasonSpace()).
// ReasonMissing when nothing is left, ReasonTooLong (args: kMaxReasonLength) beyond
// kMaxReasonLength characters. The same rule as simdesk_reason() in sql/011_hardening.sql;
// tests/db/tst_constraints proves the two equal.
Result<QString> normalizeReason(QStringView input);
// The characters normalizeReason() trims: Unicode White_Space, and U+180E, U+200B–U+200D,
// U+2060, U+FEFF.
bool isReasonSpace(char32_t c);

} // namespace simdesk::validation
