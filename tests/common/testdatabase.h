// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"

#include <QSqlDatabase>
#include <QString>

// A fresh, empty database on the test cluster that CTest started (fixture simdesk_cluster), for
// one test executable; dropped again when the object goes. A test that cannot reach the cluster
// fails: database tests never skip.
class TestDatabase
{
public:
    // `tag` names the database (sdt_<tag>_<pid>).
    explicit TestDatabase(const QString &tag);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    // Empty when setup failed; then error() says why.
    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    // Superuser settings for this database.
    simdesk::ConnectionSettings settings() const { return m_settings; }
    QString name() const { return m_settings.database; }

    // A new connection to this database under a unique name (closed by the destructor).
    QSqlDatabase connect();

    // A login "<database>_<suffix>" in the group of `role` ("viewer", "support", "admin") with
    // a staff profile; returns its name. Logins are cluster-wide, so the database name keeps
    // parallel tests apart; the destructor drops them.
    QString createLogin(const QString &suffix, const QString &role);
    // A new connection to this database as `login` (trusted over the cluster's private socket).
    QSqlDatabase connectAs(const QString &login);

    // A valid 19-digit ICCID (Luhn check digit included) numbered n, for test cards.
    static QString iccid(int n);

    // Runs one statement as superuser on this database; returns the error text or empty.
    QString exec(const QString &sql);
    // First column of the first row of a query, as text (empty on error).
    QString scalar(const QString &sql);

private:
    simdesk::ConnectionSettings m_settings;
    QString m_error;
    QStringList m_connections;
    QSqlDatabase m_main;
};

// QVERIFY that a TestDatabase is usable, printing why it is not.
#define REQUIRE_DATABASE(tdb) QVERIFY2((tdb).isValid(), qPrintable((tdb).error()))
