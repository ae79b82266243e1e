// SPDX-License-Identifier: MIT
#include "domain/customerfields.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace simdesk::customerfields {

Result<QString> normalizeName(QStringView input)
{
    const QString name = input.trimmed().toString();
    if (name.isEmpty())
        return Error(ErrorCode::FieldRequired,
            { QCoreApplication::translate("simdesk::CustomerRepository", "The name") });
    return name;
}

Result<QString> normalizeEmail(QStringView input)
{
    // The CHECK of customers.email, in Qt's regular expression dialect.
    static const QRegularExpression email(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    const QString e = input.trimmed().toString();
    if (!email.match(e).hasMatch())
        return Error(ErrorCode::InvalidArgument,
            { QCoreApplication::translate("simdesk::CustomerRepository",
                "“%1” is not an e-mail address. Write it as name@example.com.")
                    .arg(e) });
    return e;
}

} // namespace simdesk::customerfields
