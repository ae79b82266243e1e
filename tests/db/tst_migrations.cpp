// SPDX-License-Identifier: MIT
#include "db/database.h"
#include "db/migrator.h"
#include "testdatabase.h"

#include <QSqlQuery>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace simdesk;

class TestMigrations : public QObject
{
    Q_OBJECT

private slots:
    void bundledMigrationsShouldBeNumberedFromOne();
    void shouldMigrateAnEmptyDatabase();
    void shouldBeANoOpWhenRunAgain();
    void shouldRefuseADatabaseNewerThanTheApp();
    void shouldRollBackAFailingMigrationCompletely();
    void shouldRefuseAnAppliedMigrationThatWasEdited();
    void twoWorkstationsMigratingAtOnceShouldApplyEachMigrationOnce();
};

void TestMigrations::bundledMigrationsShouldBeNumberedFromOne()
{
    const QList<Migration> list = Migrator::bundledMigrations();
    QVERIFY(!list.isEmpty());
    for (int i = 0; i < list.size(); ++i) {
        QCOMPARE(list.at(i).version, i + 1);
        QVERIFY(!list.at(i).sql.isEmpty());
    }
    QCOMPARE(list.constFirst().name, QStringLiteral("schema"));
}

void TestMigrations::shouldMigrateAnEmptyDatabase()
{
    TestDatabase tdb(QStringLiteral("migrate_empty"));
    REQUIRE_DATABASE(tdb);
    Migrator m(tdb.connect());
    QCOMPARE(*m.currentVersion(), 0);
    QCOMPARE(m.checkCompatible().error().code, ErrorCode::SchemaTooOld);

    const Result<QList<int>> applied = m.migrate();
    QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.error().fullMessage()));
    QCOMPARE(applied->size(), m.migrations().size());
    QCOMPARE(*m.currentVersion(), m.latestVersion());
    QVERIFY(m.checkCompatible().ok());

    for (const char *table : { "sim_cards", "sim_secrets", "customers", "tariff_plans",
             "activation_codes", "sim_events", "import_batches", "staff", "sim_transitions" }) {
        QCOMPARE(
            tdb.scalar(
                QStringLiteral("SELECT to_regclass('%1') IS NOT NULL").arg(QLatin1String(table))),
            QStringLiteral("true"));
    }
    QCOMPARE(
        tdb.scalar(QStringLiteral("SELECT applied_by FROM schema_migrations WHERE version = 1")),
        tdb.settings().user);
}

void TestMigrations::shouldBeANoOpWhenRunAgain()
{
    TestDatabase tdb(QStringLiteral("migrate_again"));
    REQUIRE_DATABASE(tdb);
    Migrator m(tdb.connect());
    QVERIFY(m.migrate().ok());
    const QString before
        = tdb.scalar(QStringLiteral("SELECT string_agg(version || ':' || applied_at, ',' ORDER BY "
                                    "version) FROM schema_migrations"));
    const Result<QList<int>> again = m.migrate();
    QVERIFY(again.ok());
    QVERIFY(again->isEmpty());
    QCOMPARE(tdb.scalar(QStringLiteral("SELECT string_agg(version || ':' || applied_at, ',' ORDER "
                                       "BY version) FROM schema_migrations")),
        before);
}

void TestMigrations::shouldRefuseADatabaseNewerThanTheApp()
{
    TestDatabase tdb(QStringLiteral("migrate_newer"));
    REQUIRE_DATABASE(tdb);
    Migrator m(tdb.connect());
    QVERIFY(m.migrate().ok());
    const int future = m.latestVersion() + 1;
    QCOMPARE(tdb.exec(QStringLiteral("INSERT INTO schema_migrations (version, name, checksum) "
                                     "VALUES (%1, 'from_the_future', 'x')")
                          .arg(future)),
        QString());

    const Result<QList<int>> r = m.migrate();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::SchemaTooNew);
    QCOMPARE(r.error().args,
        (QStringList { QString::number(future), QString::number(m.latestVersion()) }));
    QCOMPARE(m.checkCompatible().error().code, ErrorCode::SchemaTooNew);
}

void TestMigrations::shouldRollBackAFailingMigrationCompletely()
{
    TestDatabase tdb(QStringLiteral("migrate_failing"));
    REQUIRE_DATABASE(tdb);
    QList<Migration> list = Migrator::bundledMigrations();
    const int bad = list.constLast().version + 1;
    // Its first statement succeeds, its second fails: the first must not survive.
    list.append(Migration::fromSql(bad, QStringLiteral("broken"),
        "CREATE TABLE half_done (id int);\n"
        "ALTER TABLE sim_cards ADD COLUMN iccid text;\n"));
    Migrator m(tdb.connect(), list);

    const Result<QList<int>> r = m.migrate();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::MigrationFailed);
    QCOMPARE(r.error().args.at(0), QString::number(bad));
    QVERIFY2(r.error().detail.contains(QLatin1String("iccid")), qPrintable(r.error().detail));
    // The good migrations before it stay; nothing of the broken one does.
    QCOMPARE(*m.currentVersion(), bad - 1);
    QCOMPARE(tdb.scalar(QStringLiteral("SELECT to_regclass('half_done') IS NULL")),
        QStringLiteral("true"));
    QCOMPARE(
        tdb.scalar(
            QStringLiteral("SELECT count(*) FROM schema_migrations WHERE version = %1").arg(bad)),
        QStringLiteral("0"));
}

void TestMigrations::shouldRefuseAnAppliedMigrationThatWasEdited()
{
    TestDatabase tdb(QStringLiteral("migrate_edited"));
    REQUIRE_DATABASE(tdb);
    QVERIFY(Migrator(tdb.connect()).migrate().ok());
    QList<Migration> edited = Migrator::bundledMigrations();
    edited.first()
        = Migration::fromSql(1, edited.first().name, edited.first().sql + "\n-- edited\n");
    Migrator m(tdb.connect(), edited);
    const Result<QList<int>> r = m.migrate();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::MigrationModified);
    QCOMPARE(m.checkCompatible().error().code, ErrorCode::MigrationModified);
}

void TestMigrations::twoWorkstationsMigratingAtOnceShouldApplyEachMigrationOnce()
{
    TestDatabase tdb(QStringLiteral("migrate_race"));
    REQUIRE_DATABASE(tdb);
    const ConnectionSettings settings = tdb.settings();
    auto run = [settings]() -> QString {
        const QString name = Database::uniqueName(QStringLiteral("race"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(settings, name);
        if (!db)
            return db.error().fullMessage();
        Result<QList<int>> r = Migrator(*db).migrate();
        return r.ok() ? QString() : r.error().fullMessage();
    };
    QList<QFuture<QString>> runs;
    for (int i = 0; i < 4; ++i)
        runs << QtConcurrent::run(run);
    for (QFuture<QString> &f : runs)
        QCOMPARE(f.result(), QString());
    QCOMPARE(tdb.scalar(QStringLiteral("SELECT count(*) FROM schema_migrations")),
        QString::number(Migrator::bundledMigrations().size()));
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
