// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QString>
#include <QStringView>

// The rules of a customer's fields, for the repository and for the edit dialog as it is typed
// (the database checks the same again: sql/001_schema.sql). The phone is an MSISDN
// (validation::normalizeMsisdn).
namespace simdesk::customerfields {

// The name trimmed; FieldRequired when nothing is left.
Result<QString> normalizeName(QStringView input);
// The address trimmed; InvalidArgument unless it reads name@domain.tld (no spaces, one @).
Result<QString> normalizeEmail(QStringView input);

} // namespace simdesk::customerfields
