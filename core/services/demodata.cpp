// SPDX-License-Identifier: MIT
#include "services/demodata.h"

#include "db/database.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
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

    QSqlQuery q(db);
    // Lock out a second generator (or an import) racing on the same empty database.
    if (!q.exec(QStringLiteral("LOCK TABLE sim_cards IN SHARE ROW EXCLUSIVE MODE"))
        || !q.exec(QStringLiteral("SELECT count(*) FROM sim_cards")) || !q.next())
        return fail(Database::queryError(q.lastError()));
    if (const qlonglong existing = q.value(0).toLongLong(); existing > 0)
        return fail(Error(ErrorCode::DemoDataNotEmpty, { QString::number(existing) }));

    const QList<QPair<QString, QString>> settings {
        { QStringLiteral("simdesk.demo_sims"), QString::number(options.sims) },
        { QStringLiteral("simdesk.demo_customers"),
            options.customers > 0 ? QString::number(options.customers) : QString() },
        { QStringLiteral("simdesk.demo_seed"), QString::number(options.seed) },
        { QStringLiteral("simdesk.demo_now"), options.now.toUTC().toString(Qt::ISODate) },
    };
    for (const auto &[name, value] : settings) {
        q.prepare(QStringLiteral("SELECT set_config(?, ?, true)"));
        q.addBindValue(name);
        q.addBindValue(value);
        if (!q.exec())
            return fail(Database::queryError(q.lastError()));
    }
    if (Status s = Database::execScript(db, QString::fromUtf8(script.readAll())); !s)
        return fail(s.error());
    if (!db.commit())
        return fail(Database::queryError(db.lastError()));
    return {};
}

} // namespace simdesk
