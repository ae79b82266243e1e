// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QString>

namespace simdesk {

struct Customer
{
    qint64 id = 0;
    QString customerNo; // empty on create: numbered by the database (C-000123)
    QString fullName;
    QString company;
    QString email;
    QString phone; // E.164
    QString address;
    QString notes;
    int version = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime anonymisedAt; // invalid: not anonymised
};

} // namespace simdesk
