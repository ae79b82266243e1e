// SPDX-License-Identifier: MIT
#include "db/migrator.h"
#include "db/sqlquery.h"
#include "records/activationcoderepository.h"
#include "records/customerrepository.h"
#include "services/auditlogquery.h"
#include "services/codelistquery.h"
#include "services/lifecycleservice.h"
#include "testdatabase.h"

#include <QSet>
#include <QTest>

#include <memory>

using namespace simdesk;

// The activation code list (CodeListQuery) against the database: one effective-status rule
// (a code past its expiry is EXPIRED whatever is stored) in the filters, the shown status, C++
// and SQL; pages that neither skip nor repeat; the filters; closing codes and expiring a batch
// with the reason in the audit log.
class TestCodeListQuery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void theEffectiveStatusShouldBeOneRuleInFiltersRowsCppAndSql();
    void pagesShouldNeitherSkipNorRepeatInEveryOrder_data();
    void pagesShouldNeitherSkipNorRepeatInEveryOrder();
    void filtersShouldFindBatchPrefixCustomerAndExpiringCodes();
    void findByTextShouldPreferTheExactCode();
    void markingACodeShouldNeedAReasonAndAuditIt();
    void expiringABatchShouldBeOneAuditedActionOfAnAdmin();

private:
    QList<qint64> idsOf(const CodeListFilter &filter, const CodeSort &sort, int pageSize);
    QSet<qint64> idsWhere(const QString &condition);

    std::unique_ptr<TestDatabase> m_tdb;
    QSqlDatabase m_admin;
    QSqlDatabase m_support;
    qint64 m_batch = 0;
};

void TestCodeListQuery::initTestCase()
{
    m_tdb = std::make_unique<TestDatabase>(QStringLiteral("codelistquery"));
    REQUIRE_DATABASE(*m_tdb);
    const auto migrated = Migrator(m_tdb->connect()).migrate();
    QVERIFY2(migrated.ok(), migrated.ok() ? "" : qPrintable(migrated.error().fullMessage()));
    m_admin
        = m_tdb->connectAs(m_tdb->createLogin(QStringLiteral("admin"), QStringLiteral("admin")));
    m_support = m_tdb->connectAs(
        m_tdb->createLogin(QStringLiteral("support"), QStringLiteral("support")));
    QVERIFY(m_admin.isOpen() && m_support.isOpen());
    // Every stored status with every kind of expiry (none, past, future), as stored; then a
    // batch.
    QCOMPARE(m_tdb->exec(QStringLiteral(
                 "INSERT INTO activation_codes (code, status, expires_at, used_at) "
                 "SELECT 'RULE-' || s || '-' || e || '-' || n, s, "
                 "CASE e WHEN 'NONE' THEN NULL WHEN 'PAST' THEN now() - interval '1 day' "
                 "ELSE now() + interval '10 days' END, CASE WHEN s = 'USED' THEN now() END "
                 "FROM unnest(ARRAY['UNUSED', 'USED', 'EXPIRED']) s, "
                 "unnest(ARRAY['NONE', 'PAST', 'SOON']) e, generate_series(1, 7) n")),
        QString());
    Result<qint64> batch
        = ActivationCodeRepository(m_admin).generateBatch(QStringLiteral("List test"), 300, 8,
            QDateTime::currentDateTimeUtc().addDays(40), QStringLiteral("LT-"));
    QVERIFY2(batch.ok(), batch.ok() ? "" : qPrintable(batch.error().fullMessage()));
    m_batch = *batch;
}

void TestCodeListQuery::cleanupTestCase()
{
    m_admin = QSqlDatabase();
    m_support = QSqlDatabase();
    m_tdb.reset();
}

QList<qint64> TestCodeListQuery::idsOf(
    const CodeListFilter &filter, const CodeSort &sort, int pageSize)
{
    QList<qint64> ids;
    const CodeListQuery query(m_support);
    Result<CodeListPage> page = query.firstPage(filter, sort, pageSize);
    while (page) {
        for (const CodeListRow &r : page->rows)
            ids << r.id;
        if (page->atEnd || page->rows.isEmpty())
            return ids;
        page = query.pageAfter(
            filter, sort, CodeListQuery::cursorOf(page->rows.constLast()), pageSize);
    }
    qWarning("%s", qPrintable(page.error().fullMessage()));
    return {};
}

QSet<qint64> TestCodeListQuery::idsWhere(const QString &condition)
{
    QSqlDatabase db = m_tdb->connect();
    Result<QueryResult> q = runQuery(
        db, QStringLiteral("SELECT a.id FROM activation_codes a WHERE %1").arg(condition));
    QSet<qint64> ids;
    if (!q)
        return ids;
    while (q.value().next())
        ids.insert(q.value().value(0).toLongLong());
    return ids;
}

void TestCodeListQuery::theEffectiveStatusShouldBeOneRuleInFiltersRowsCppAndSql()
{
    for (CodeStatus s : kAllCodeStatuses) {
        CodeListFilter f;
        f.status = s;
        const QList<qint64> listed = idsOf(f, {}, 50);
        const QSet<qint64> expected
            = idsWhere(QStringLiteral("simdesk_code_status(a) = '%1'").arg(codeStatusKey(s)));
        QVERIFY(!expected.isEmpty());
        QCOMPARE(QSet<qint64>(listed.begin(), listed.end()), expected);
    }
    // Each row shows the database's status, and the C++ rule gives the same from what is stored.
    const QList<qint64> all = idsOf({}, {}, 1000);
    QCOMPARE(all.size(), 63 + 300);
    const CodeListQuery query(m_support);
    Result<CodeListPage> page = query.firstPage({}, {}, 1000);
    QVERIFY(page.ok());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const CodeListRow &r : page->rows) {
        QCOMPARE(effectiveCodeStatus(r.storedStatus, r.expiresAt, now), r.status);
        QCOMPARE(codeStatusKey(r.status),
            m_tdb->scalar(QStringLiteral(
                "SELECT simdesk_code_status(a) FROM activation_codes a WHERE id = %1")
                              .arg(r.id)));
    }
    // Stored UNUSED, past its expiry: EXPIRED in the list, refused by activation's check.
    CodeListFilter past;
    past.search = QStringLiteral("rule-unused-past-1");
    Result<CodeListPage> one = query.firstPage(past, {}, 10);
    QVERIFY(one.ok());
    QCOMPARE(one->rows.size(), 1);
    QCOMPARE(one->rows.first().status, CodeStatus::Expired);
    QCOMPARE(one->rows.first().storedStatus, CodeStatus::Unused);
    QCOMPARE(ActivationCodeRepository(m_support).findUsable(one->rows.first().code).error().code,
        ErrorCode::ActivationCodeExpired);
}

void TestCodeListQuery::pagesShouldNeitherSkipNorRepeatInEveryOrder_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("sql");
    QTest::newRow("newest first") << int(CodeSortKey::Newest) << int(Qt::DescendingOrder)
                                  << QStringLiteral("id DESC");
    QTest::newRow("oldest first") << int(CodeSortKey::Newest) << int(Qt::AscendingOrder)
                                  << QStringLiteral("id ASC");
    QTest::newRow("code A-Z") << int(CodeSortKey::Code) << int(Qt::AscendingOrder)
                              << QStringLiteral("code COLLATE \"C\" ASC");
    QTest::newRow("code Z-A") << int(CodeSortKey::Code) << int(Qt::DescendingOrder)
                              << QStringLiteral("code COLLATE \"C\" DESC");
    QTest::newRow("expiring soonest first, never last")
        << int(CodeSortKey::Expires) << int(Qt::AscendingOrder)
        << QStringLiteral("coalesce(expires_at, 'infinity') ASC, id ASC");
    QTest::newRow("expiring latest first")
        << int(CodeSortKey::Expires) << int(Qt::DescendingOrder)
        << QStringLiteral("coalesce(expires_at, 'infinity') DESC, id DESC");
}

void TestCodeListQuery::pagesShouldNeitherSkipNorRepeatInEveryOrder()
{
    QFETCH(int, key);
    QFETCH(int, order);
    QFETCH(QString, sql);
    // Pages of 7 cross ties of expiry (a whole batch shares one).
    const QList<qint64> listed = idsOf({}, { CodeSortKey(key), Qt::SortOrder(order) }, 7);
    QSqlDatabase db = m_tdb->connect();
    Result<QueryResult> q
        = runQuery(db, QStringLiteral("SELECT id FROM activation_codes ORDER BY %1").arg(sql));
    QVERIFY(q.ok());
    QList<qint64> expected;
    while (q.value().next())
        expected << q.value().value(0).toLongLong();
    QCOMPARE(listed, expected);
}

void TestCodeListQuery::filtersShouldFindBatchPrefixCustomerAndExpiringCodes()
{
    CodeListFilter batch;
    batch.batchId = m_batch;
    QCOMPARE(idsOf(batch, {}, 100).size(), 300);
    // Its total is exact however far past the counting limit (the batch knows its count); with
    // another filter beside it, past the limit, the total is an estimate.
    CodeListQuery small(m_support);
    small.setExactCountLimit(10);
    const Result<CodeListTotal> batchTotal = small.total(batch);
    QVERIFY(batchTotal.ok());
    QCOMPARE(batchTotal->count, 300);
    QVERIFY(batchTotal->exact);
    CodeListFilter batchUnused = batch;
    batchUnused.search = QStringLiteral("LT-");
    const Result<CodeListTotal> searched = small.total(batchUnused);
    QVERIFY(searched.ok());
    QVERIFY(!searched->exact);
    // A prefix, typed in lower case with a space; LIKE's wildcards are plain characters.
    CodeListFilter prefix;
    prefix.search = QStringLiteral("lt -");
    QCOMPARE(idsOf(prefix, {}, 100).size(), 300);
    prefix.search = QStringLiteral("LT%");
    QCOMPARE(idsOf(prefix, {}, 100).size(), 0);
    prefix.search = QStringLiteral("RULE-USED");
    QCOMPARE(idsOf(prefix, {}, 100).size(), 21);
    // Expiring within 20 days: the usable codes that expire in 10 (not the batch: 40 days).
    CodeListFilter soon;
    soon.expiringWithinDays = 20;
    const QList<qint64> soonIds = idsOf(soon, {}, 100);
    QCOMPARE(QSet<qint64>(soonIds.begin(), soonIds.end()),
        idsWhere(QStringLiteral("code LIKE 'RULE-UNUSED-SOON-%'")));
    soon.expiringWithinDays = 60;
    QCOMPARE(idsOf(soon, {}, 100).size(), 7 + 300);

    // Used on a card of a customer.
    QCOMPARE(m_tdb->exec(
                 QStringLiteral("INSERT INTO tariff_plans (code, name) VALUES ('CL1', 'One');"
                                "INSERT INTO sim_cards (iccid, sim_type) VALUES ('%1', 'prepaid')")
                     .arg(TestDatabase::iccid(11))),
        QString());
    Customer c;
    c.fullName = QStringLiteral("Codes Kundin");
    const Result<Customer> customer = CustomerRepository(m_support).create(c);
    QVERIFY(customer.ok());
    const qint64 sim = m_tdb
                           ->scalar(QStringLiteral("SELECT id FROM sim_cards WHERE iccid = '%1'")
                                        .arg(TestDatabase::iccid(11)))
                           .toLongLong();
    const qint64 tariff
        = m_tdb->scalar(QStringLiteral("SELECT id FROM tariff_plans WHERE code = 'CL1'"))
              .toLongLong();
    const QString code = m_tdb->scalar(
        QStringLiteral("SELECT code FROM activation_codes WHERE batch_id = %1 ORDER BY id LIMIT 1")
            .arg(m_batch));
    QVERIFY(LifecycleService(m_support).activate(sim, customer->id, tariff, code).ok());
    CodeListFilter theirs;
    theirs.customerId = customer->id;
    const CodeListQuery query(m_support);
    Result<CodeListPage> page = query.firstPage(theirs, {}, 10);
    QVERIFY(page.ok());
    QCOMPARE(page->rows.size(), 1);
    const CodeListRow &used = page->rows.first();
    QCOMPARE(used.code, code);
    QCOMPARE(used.status, CodeStatus::Used);
    QCOMPARE(used.iccid, TestDatabase::iccid(11));
    QCOMPARE(used.simId.value_or(0), sim);
    QCOMPARE(used.customerNo, customer->customerNo);
    QCOMPARE(used.batchLabel, QStringLiteral("List test"));
    QVERIFY(used.usedAt.has_value());
    Result<CodeListTotal> total = query.total(theirs);
    QVERIFY(total.ok());
    QCOMPARE(total->count, 1);
    QVERIFY(total->exact);
    QCOMPARE(query.byId(used.id)->iccid, used.iccid);
}

void TestCodeListQuery::findByTextShouldPreferTheExactCode()
{
    const CodeListQuery query(m_support);
    Result<QList<CodeListRow>> exact = query.findByText(QStringLiteral(" rule-used-none-1 "));
    QVERIFY(exact.ok());
    QCOMPARE(exact->size(), 1);
    QCOMPARE(exact->first().code, QStringLiteral("RULE-USED-NONE-1"));
    Result<QList<CodeListRow>> prefix = query.findByText(QStringLiteral("RULE-USED-NONE"), 5);
    QVERIFY(prefix.ok());
    QCOMPARE(prefix->size(), 5);
    QCOMPARE(prefix->first().code, QStringLiteral("RULE-USED-NONE-1"));
    QVERIFY(query.findByText(QStringLiteral("no such; code"))->isEmpty());
    QVERIFY(query.findByText(QString())->isEmpty());
}

void TestCodeListQuery::markingACodeShouldNeedAReasonAndAuditIt()
{
    ActivationCodeRepository codes(m_support);
    QCOMPARE(codes.markUsed(QStringLiteral("RULE-UNUSED-NONE-1"), QStringLiteral("  \u200B "))
                 .error()
                 .code,
        ErrorCode::CodeReasonRequired);
    const Result<ActivationCode> used = codes.markUsed(
        QStringLiteral("RULE-UNUSED-NONE-1"), QStringLiteral(" Given out by phone "));
    QVERIFY2(used.ok(), used.ok() ? "" : qPrintable(used.error().fullMessage()));
    QCOMPARE(used->status, CodeStatus::Used);
    const Result<ActivationCode> expired
        = codes.markExpired(QStringLiteral("RULE-UNUSED-SOON-1"), QStringLiteral("Leaked"));
    QVERIFY(expired.ok());
    QCOMPARE(expired->status, CodeStatus::Expired);
    // Marking an expired code used is refused; the reason is kept, trimmed, with who did it.
    QCOMPARE(
        codes.markUsed(QStringLiteral("RULE-UNUSED-PAST-2"), QStringLiteral("late")).error().code,
        ErrorCode::ActivationCodeExpired);
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT concat_ws('|', a.reason, a.changed_by, a.new_row->>'status') "
                 "FROM audit_log a JOIN activation_codes c ON c.id = a.row_id "
                 "WHERE a.table_name = 'activation_codes' AND a.action = 'UPDATE' "
                 "AND c.code = 'RULE-UNUSED-NONE-1'")),
        QStringLiteral("Given out by phone|%1|USED").arg(m_support.userName()));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT a.reason FROM audit_log a JOIN activation_codes c ON c.id = a.row_id "
                 "WHERE a.table_name = 'activation_codes' AND a.action = 'UPDATE' "
                 "AND c.code = 'RULE-UNUSED-SOON-1'")),
        QStringLiteral("Leaked"));
    // The reason does not stick to later changes in the same session.
    QCOMPARE(m_tdb->scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE reason IS NOT NULL "
                                          "AND table_name = 'activation_codes'")),
        QStringLiteral("2"));
}

void TestCodeListQuery::expiringABatchShouldBeOneAuditedActionOfAnAdmin()
{
    QCOMPARE(ActivationCodeRepository(m_support)
                 .expireBatch(m_batch, QStringLiteral("Recall"))
                 .error()
                 .code,
        ErrorCode::PermissionDenied);
    ActivationCodeRepository admin(m_admin);
    QCOMPARE(admin.expireBatch(m_batch, QString()).error().code, ErrorCode::CodeReasonRequired);
    QCOMPARE(admin.expireBatch(987654, QStringLiteral("Recall")).error().code,
        ErrorCode::CodeBatchUnknown);
    const QString unused = m_tdb->scalar(
        QStringLiteral("SELECT count(*) FROM activation_codes WHERE batch_id = %1 AND status = "
                       "'UNUSED'")
            .arg(m_batch));
    QCOMPARE(unused, QStringLiteral("299")); // one activated a card above
    const Result<int> n = admin.expireBatch(m_batch, QStringLiteral("Campaign recalled"));
    QVERIFY2(n.ok(), n.ok() ? "" : qPrintable(n.error().fullMessage()));
    QCOMPARE(*n, 299);
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM activation_codes "
                 "WHERE batch_id = %1")
                               .arg(m_batch)),
        QStringLiteral("EXPIRED,USED"));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT count(*) FROM audit_log WHERE table_name = 'activation_codes' "
                 "AND reason = 'Campaign recalled' AND changed_by = '%1'")
                               .arg(m_admin.userName())),
        QStringLiteral("299"));
    QCOMPARE(m_tdb->scalar(QStringLiteral(
                 "SELECT concat_ws('|', reason, new_row->>'expired_by') FROM audit_log "
                 "WHERE table_name = 'code_batches' AND action = 'UPDATE' AND row_id = %1")
                               .arg(m_batch)),
        QStringLiteral("Campaign recalled|%1").arg(m_admin.userName()));
    const Result<CodeBatch> batch = admin.batch(m_batch);
    QVERIFY(batch.ok() && batch->expiredAt.has_value());
    // The audit log page lists the batch's change as a kind of its own, the reason with it.
    AuditFilter batches;
    batches.kinds = { AuditKind::CodeBatch };
    const Result<QList<AuditEntry>> logged = AuditLogQuery(m_tdb->connect()).page(batches, {}, 50);
    QVERIFY2(logged.ok(), logged.ok() ? "" : qPrintable(logged.error().fullMessage()));
    QVERIFY(std::any_of(logged->cbegin(), logged->cend(), [&](const AuditEntry &e) {
        return e.kind == AuditKind::CodeBatch && e.recordId == m_batch
            && e.reason == QLatin1String("Campaign recalled")
            && e.newValue.contains(QLatin1String("expired_by"));
    }));
    // Nothing left to expire.
    const Result<int> again = admin.expireBatch(m_batch, QStringLiteral("Again"));
    QCOMPARE(again.error().code, ErrorCode::CodeBatchNothingToExpire);
    QVERIFY(again.error().message().contains(QLatin1String("List test")));
}

QTEST_GUILESS_MAIN(TestCodeListQuery)
#include "tst_codelistquery.moc"
