// SPDX-License-Identifier: MIT
#pragma once

// What the benchmarks share: percentiles of timings, readings from /proc, and stopping with a
// message when the database refuses what a benchmark needs (a benchmark has nothing to recover).

#include "db/database.h"
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "domain/error.h"
#include "domain/result.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QFile>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>

#include <time.h>
#include <unistd.h>

namespace simdesk::bench {

// The p-quantile (0 < p <= 1) by nearest rank: p95 of 20 runs is the 19th fastest. 0 for none.
inline double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int i = std::clamp(int(std::ceil(p * double(v.size()))) - 1, 0, int(v.size()) - 1);
    return v.at(i);
}

inline double mean(const QList<double> &v)
{
    return v.isEmpty() ? 0 : std::accumulate(v.cbegin(), v.cend(), 0.0) / double(v.size());
}

// Prints "<program>: <message>" to stderr and ends the program with exit code 1.
[[noreturn]] inline void fail(const QString &message)
{
    std::fprintf(
        stderr, "%s: %s\n", qPrintable(QCoreApplication::applicationName()), qPrintable(message));
    std::exit(1);
}

[[noreturn]] inline void fail(const QString &what, const Error &e)
{
    fail(what + QStringLiteral(": ") + e.fullMessage());
}

template<typename T> T must(Result<T> r, const QString &what)
{
    if (!r)
        fail(what, r.error());
    return std::move(r).value();
}

inline void mustOk(const Status &s, const QString &what)
{
    if (!s)
        fail(what, s.error());
}

// The first column of every row of `sql`, as text.
inline QStringList column(const QSqlDatabase &db, const QString &sql)
{
    QueryResult q = must(runQuery(db, sql), sql);
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

// The benchmark's database, migrated: `database` of the test cluster when one is named (it is
// kept afterwards, for repeated runs at full size), otherwise `tdb`'s throwaway one.
inline QSqlDatabase migratedDatabase(TestDatabase &tdb, const QString &database)
{
    QSqlDatabase db;
    if (!database.isEmpty()) {
        ConnectionSettings settings = tdb.settings();
        settings.database = database;
        db = must(Database::open(settings, QCoreApplication::applicationName()),
            QStringLiteral("connect"));
    } else {
        db = tdb.connect();
    }
    must(Migrator(db).migrate(), QStringLiteral("migrate"));
    return db;
}

// kB of a "Key:   123 kB" line of a /proc file ("VmRSS", "VmHWM" of status, "Pss" of
// smaps_rollup); 0 when the file or the line is not there.
inline qint64 procKb(const QString &file, const QByteArray &key)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = key + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// CPU time, for a machine shared with other work: wall time there says as much about the
// neighbours as about the code measured. This thread's, in ms.
inline double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1000.0 + double(ts.tv_nsec) / 1e6;
}

// User plus system CPU time of process `pid` (a server backend of the private cluster, which
// runs on this machine), in ms; in clock ticks (10 ms), so only averages over many runs mean
// something. 0 when it cannot be read.
inline double processCpuMs(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const double ticks = fields.at(11).toDouble() + fields.at(12).toDouble();
    return ticks * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

} // namespace simdesk::bench
