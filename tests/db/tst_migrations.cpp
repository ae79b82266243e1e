// SPDX-License-Identifier: MIT
#include "db/database.h"
#include "db/migrator.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QSqlError>
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
    void aMigrationWhileAnotherRunsShouldBeRefusedAtOnce();
    void noApplicationRoleShouldBeAbleToBlockAMigration();
    void aMemberOfANologinOwnerShouldMigrateAsTheOwner();

private:
    static QList<Migration> withExtra(const QByteArray &sql);
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
        // A run that meets another one's migration is refused, not made to wait.
        return r.ok() || r.error().code == ErrorCode::MigrationInProgress ? QString()
                                                                          : r.error().fullMessage();
    };
    QList<QFuture<QString>> runs;
    for (int i = 0; i < 4; ++i)
        runs << QtConcurrent::run(run);
    for (QFuture<QString> &f : runs)
        QCOMPARE(f.result(), QString());
    // Whoever held the lock last went on to the end: every migration is there, once.
    QCOMPARE(tdb.scalar(QStringLiteral("SELECT count(*) FROM schema_migrations")),
        QString::number(Migrator::bundledMigrations().size()));
}

QList<Migration> TestMigrations::withExtra(const QByteArray &sql)
{
    QList<Migration> list = Migrator::bundledMigrations();
    list.append(Migration::fromSql(list.size() + 1, QStringLiteral("extra"), sql));
    return list;
}

void TestMigrations::aMigrationWhileAnotherRunsShouldBeRefusedAtOnce()
{
    TestDatabase tdb(QStringLiteral("migrate_busy"));
    REQUIRE_DATABASE(tdb);
    QVERIFY(Migrator(tdb.connect()).migrate().ok());
    const int current = Migrator::bundledMigrations().size();

    // Another migration holds the lock (its transaction is still open).
    QSqlDatabase other = tdb.connect();
    QVERIFY(other.transaction());
    QSqlQuery lock(other);
    QVERIFY(lock.exec(QStringLiteral("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")));

    QElapsedTimer clock;
    clock.start();
    Migrator second(tdb.connect(), withExtra("CREATE TABLE extra_one (id int)"));
    const Result<QList<int>> refused = second.migrate();
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::MigrationInProgress);
    QCOMPARE(refused.error().args.value(0), QString::number(current));
    QVERIFY2(clock.elapsed() < 5000, "refused, not made to wait");
    QVERIFY(refused.error().message().contains(QString::number(current)));

    QVERIFY(other.rollback());
    const Result<QList<int>> applied = second.migrate();
    QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.error().fullMessage()));
    QCOMPARE(applied.value(), QList<int> { current + 1 });
}

void TestMigrations::noApplicationRoleShouldBeAbleToBlockAMigration()
{
    TestDatabase tdb(QStringLiteral("migrate_noblock"));
    REQUIRE_DATABASE(tdb);
    QVERIFY(Migrator(tdb.connect()).migrate().ok());
    const QString admin = tdb.createLogin(QStringLiteral("admin"), QStringLiteral("admin"));
    const QString viewer = tdb.createLogin(QStringLiteral("viewer"), QStringLiteral("viewer"));

    // Not even an admin may take the lock a migration takes, or any mode that blocks it.
    QSqlDatabase adminDb = tdb.connectAs(admin);
    for (const char *mode : { "EXCLUSIVE", "SHARE", "ROW SHARE", "SHARE ROW EXCLUSIVE",
             "ACCESS EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "ROW EXCLUSIVE" }) {
        QVERIFY(adminDb.transaction());
        QSqlQuery q(adminDb);
        QVERIFY2(!q.exec(QStringLiteral("LOCK TABLE schema_migrations IN %1 MODE")
                             .arg(QString::fromLatin1(mode))),
            mode);
        QCOMPARE(q.lastError().nativeErrorCode(), QStringLiteral("42501"));
        QVERIFY(adminDb.rollback());
    }
    // What a viewer can hold (ACCESS SHARE, by reading in an open transaction) and the old
    // advisory-lock key do not stop a migration.
    QSqlDatabase viewerDb = tdb.connectAs(viewer);
    QVERIFY(viewerDb.transaction());
    QSqlQuery read(viewerDb);
    QVERIFY(read.exec(QStringLiteral("SELECT count(*) FROM schema_migrations")));
    QVERIFY(read.exec(QStringLiteral("SELECT pg_advisory_lock(1397968199)")));
    const Result<QList<int>> applied = Migrator(tdb.connect(),
        withExtra("CREATE FUNCTION extra_two() RETURNS int "
                  "LANGUAGE sql AS 'SELECT 2'"))
                                           .migrate();
    QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.error().fullMessage()));
    QVERIFY(viewerDb.rollback());
}

void TestMigrations::aMemberOfANologinOwnerShouldMigrateAsTheOwner()
{
    TestDatabase tdb(QStringLiteral("migrate_owner"));
    REQUIRE_DATABASE(tdb);
    const QString owner = tdb.name() + QStringLiteral("_owner");
    const QString dba = tdb.name() + QStringLiteral("_dba");
    const QString site = tdb.name() + QStringLiteral("_site");
    QCOMPARE(tdb.exec(QStringLiteral("CREATE ROLE %1 NOLOGIN CREATEROLE").arg(owner)), QString());
    QCOMPARE(tdb.exec(QStringLiteral("CREATE ROLE %1 LOGIN CREATEROLE IN ROLE %2").arg(dba, owner)),
        QString());
    QCOMPARE(tdb.exec(QStringLiteral("CREATE DATABASE %1 OWNER %2").arg(site, owner)), QString());
    ConnectionSettings s = tdb.settings();
    s.database = site;
    s.user = dba;
    bool ok = false;
    {
        const QString name = Database::uniqueName(QStringLiteral("owner"));
        ScopedConnection guard(name);
        Result<QSqlDatabase> db = Database::open(s, name);
        QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().fullMessage()));
        const Result<QList<int>> applied = Migrator(*db).migrate();
        QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.error().fullMessage()));
        QSqlQuery q(*db);
        QVERIFY(q.exec(QStringLiteral("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c "
                                      "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                      "WHERE n.nspname = 'public' AND c.relkind = 'r'")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), owner); // every table, schema_migrations included
        QVERIFY(!q.next());
        QVERIFY(q.exec(QStringLiteral("SELECT current_user")) && q.next());
        QCOMPARE(q.value(0).toString(), dba); // the session itself is not changed
        ok = true;
    }
    QVERIFY(ok);
    tdb.exec(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(site));
    tdb.exec(QStringLiteral("DROP ROLE %1").arg(dba));
    tdb.exec(QStringLiteral("DROP OWNED BY %1").arg(owner));
    tdb.exec(QStringLiteral("DROP ROLE %1").arg(owner));
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
