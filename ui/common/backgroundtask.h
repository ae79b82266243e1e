// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "db/database.h"
#include "domain/result.h"

#include <QFutureWatcher>
#include <QObject>
#include <QSqlDatabase>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>

namespace simdesk {

// Runs `work` on a pool thread with a database connection of its own, opened there and closed
// again when the work is done (a QSqlDatabase belongs to the thread that opened it). A failed
// connection is returned as the work's error.
template<typename T>
QFuture<Result<T>> runWithDatabase(
    const ConnectionSettings &settings, std::function<Result<T>(QSqlDatabase)> work)
{
    return QtConcurrent::run([settings, work]() -> Result<T> {
        const QString name = Database::uniqueName(QStringLiteral("simdesk-sims"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db)
            return db.error();
        return work(*db);
    });
}

// Calls `done` with the future's result on `context`'s thread when it is ready; nothing when
// `context` is gone by then.
template<typename T, typename Done> void whenReady(QObject *context, QFuture<T> future, Done done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcher<T>::finished, context, [watcher, done]() {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(future);
}

} // namespace simdesk
