// SPDX-License-Identifier: MIT
#pragma once

#include "domain/error.h"

#include <QList>
#include <QString>

namespace simdesk {

// A problem found while importing: where (1-based line of the file, column name when it is
// about one field, empty for the whole line or file) and what.
struct ImportIssue
{
    qint64 line = 0; // 0: the file as a whole
    QString column; // "iccid", "msisdn", "imsi", "pin", "puk", "type", or empty
    Error error;
};

// One SIM card row as a reader found it: the raw text of each field (trimmed), before the core
// rules of validation.h are applied. A field the file does not have is empty.
struct SimRecord
{
    qint64 line = 0; // 1-based line where the row starts
    QString iccid;
    QString msisdn;
    QString imsi;
    QString pin;
    QString puk;
    QString type;
    // Problems with the row's shape (e.g. ImportWrongFieldCount); such a row is invalid.
    QList<ImportIssue> issues;
};

} // namespace simdesk
