// SPDX-License-Identifier: MIT
#include "services/demodata.h"

#include "db/database.h"
#include "db/sqlquery.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlError>
#include <QVariant>

namespace simdesk {

Status DemoData::generate(QSqlDatabase db, const DemoDataOptions &options)
{
    if (options.sims <= 0 || options.sims > 50'000'000)
        return Error(ErrorCode::InvalidArgument,
            { QCoreApplication::translate("simdesk::DemoData",
                "The number of demo SIM cards must be between 1 and 50,000,000.") });
    QFile script(QStringLiteral(":/sql/demo_data.sql"));
    if (!script.open(QIODevice::ReadOnly))
        return Error(ErrorCode::InvalidArgument, { script.errorString() });

    if (!db.transaction())
        return Database::queryError(db.lastError());
    auto fail = [&](const Error &e) -> Status {
        db.rollback();
        return e;
    };

    // Lock out a second generator (or an import) racing on the same empty database.
    if (Result<QueryResult> lock
        = runQuery(db, QStringLiteral("LOCK TABLE sim_cards IN SHARE ROW EXCLUSIVE MODE"));
        !lock)
        return fail(lock.error());
    Result<QueryResult> count = runSingle(
        db, QStringLiteral("SELECT count(*) FROM sim_cards"), {}, QStringLiteral("sim_cards"));
    if (!count)
        return fail(count.error());
    if (const qlonglong existing = count->value(0).toLongLong(); existing > 0)
        return fail(Error(ErrorCode::DemoDataNotEmpty, { QString::number(existing) }));

    // A million cards with their year of history is a few long statements: not to be cut by the
    // database's default statement_timeout (sql/011_hardening.sql).
    if (Result<QueryResult> unbounded
        = runQuery(db, QStringLiteral("SET LOCAL statement_timeout = 0"));
        !unbounded)
        return fail(unbounded.error());
    const QList<QPair<QString, QString>> settings {
        { QStringLiteral("simdesk.demo_sims"), QString::number(options.sims) },
        { QStringLiteral("simdesk.demo_customers"),
            options.customers > 0 ? QString::number(options.customers) : QString() },
        { QStringLiteral("simdesk.demo_codes"),
            options.codes > 0 ? QString::number(options.codes) : QString() },
        { QStringLiteral("simdesk.demo_seed"), QString::number(options.seed) },
        // Empty: the script's default, the server's now().
        { QStringLiteral("simdesk.demo_now"),
            options.now.isValid() ? options.now.toUTC().toString(Qt::ISODate) : QString() },
    };
    for (const auto &[name, value] : settings) {
        if (Result<QueryResult> set
            = runQuery(db, QStringLiteral("SELECT set_config($1, $2, true)"), { name, value });
            !set)
            return fail(set.error());
    }
    if (Status s = Database::execScript(db, QString::fromUtf8(script.readAll())); !s)
        return fail(s.error());
    if (!db.commit())
        return fail(Database::queryError(db.lastError()));
    return {};
}

} // namespace simdesk
