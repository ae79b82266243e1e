// SPDX-License-Identifier: MIT
#pragma once

#include "domain/result.h"

#include <QString>
#include <QStringView>

#include <optional>

class QLabel;
class QLineEdit;

namespace simdesk {

// A core rule for one field: validates and normalises what was typed.
using FieldRule = Result<QString> (*)(QStringView input);

struct FieldSpec
{
    bool optional = false; // empty is fine
    bool secret = false; // never echo the stored form (PIN, PUK)
    // The value the record has now; emptying an optional field that had one says it will be
    // removed. Null: a new record.
    QString current;
};

struct FieldCheck
{
    bool valid = true;
    // What would be stored: the normalised value; empty for an empty optional field.
    QString value;
    bool empty = false;
};

// Checks a field as it is typed with core's rule and says so under it: the error in the error
// tone, or in a quiet tone how the value will be stored when that differs from what was typed.
// A required field left empty is invalid without a word (no scolding before typing).
FieldCheck checkField(QLineEdit *field, QLabel *message, FieldRule rule, const FieldSpec &spec);

} // namespace simdesk
