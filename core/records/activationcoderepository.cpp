// SPDX-License-Identifier: MIT
#include "records/activationcoderepository.h"

#include "db/sqlquery.h"

#include <QCoreApplication>
#include <QLocale>

namespace simdesk {

namespace {

// The effective status is the database's rule (simdesk_code_status), the one activation applies.
const QString kSelect = QStringLiteral(
    "SELECT a.id, a.code, simdesk_code_status(a) AS effective_status, a.expires_at, a.used_at, "
    "s.id AS sim_id, a.created_at "
    "FROM activation_codes a LEFT JOIN sim_cards s ON s.activation_code_id = a.id");

ActivationCode readCode(const QueryResult &q)
{
    ActivationCode c;
    c.id = q.value(0).toLongLong();
    c.code = q.value(1).toString();
    c.status = codeStatusFromKey(q.value(2).toString()).value_or(CodeStatus::Unused);
    c.expiresAt = optionalTime(q.value(3));
    c.usedAt = optionalTime(q.value(4));
    c.simId = optionalId(q.value(5));
    c.createdAt = q.value(6).toDateTime();
    return c;
}

QString normalized(const QString &code)
{
    return code.trimmed().toUpper();
}

} // namespace

Result<QList<ActivationCode>> ActivationCodeRepository::list(
    std::optional<CodeStatus> status, int limit) const
{
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT * FROM (%1) c WHERE $1::text IS NULL OR c.effective_status = $2 "
                       "ORDER BY c.created_at DESC, c.id DESC LIMIT $3")
            .arg(kSelect),
        { status ? QVariant(codeStatusKey(*status)) : nullable(QString()),
            status ? QVariant(codeStatusKey(*status)) : nullable(QString()), limit });
    if (!q)
        return q.error();
    QList<ActivationCode> codes;
    while (q.value().next())
        codes.append(readCode(q.value()));
    return codes;
}

Result<ActivationCode> ActivationCodeRepository::find(const QString &code) const
{
    Result<QueryResult> q = runSingle(m_db, kSelect + QStringLiteral(" WHERE a.code = $1"),
        { normalized(code) }, normalized(code));
    if (!q) {
        if (q.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::ActivationCodeUnknown, { normalized(code) });
        return q.error();
    }
    return readCode(q.value());
}

Result<ActivationCode> ActivationCodeRepository::create(
    const QString &code, std::optional<QDateTime> expiresAt)
{
    if (normalized(code).isEmpty())
        return Error(ErrorCode::FieldRequired,
            { QCoreApplication::translate("simdesk::ActivationCodeRepository", "The code") });
    if (Result<QueryResult> q = runQuery(m_db,
            QStringLiteral("INSERT INTO activation_codes (code, expires_at) VALUES ($1, $2)"),
            { normalized(code), nullable(expiresAt) });
        !q)
        return q.error();
    return find(code);
}

Result<ActivationCode> ActivationCodeRepository::findUsable(const QString &code) const
{
    Result<ActivationCode> current = find(code);
    if (!current)
        return current.error();
    const QLocale locale;
    auto when = [&](const std::optional<QDateTime> &t) {
        return t ? locale.toString(t->toLocalTime(), QLocale::ShortFormat) : QString();
    };
    if (current->status == CodeStatus::Used)
        return Error(ErrorCode::ActivationCodeUsed, { current->code, when(current->usedAt) });
    if (current->status == CodeStatus::Expired)
        return Error(ErrorCode::ActivationCodeExpired, { current->code, when(current->expiresAt) });
    return current;
}

Result<ActivationCode> ActivationCodeRepository::mark(
    const QString &code, CodeStatus to, const QString &reason)
{
    // The database locks the code, decides and records who closed it and why (audit_log).
    if (Result<QueryResult> u
        = runQuery(m_db, QStringLiteral("SELECT simdesk_code_close($1, $2, $3)"),
            { normalized(code),
                to == CodeStatus::Used ? QStringLiteral("USED") : QStringLiteral("EXPIRED"),
                reason });
        !u) {
        // Marking an expired code expired again is harmless: report success.
        if (!(to == CodeStatus::Expired && u.error().code == ErrorCode::ActivationCodeExpired))
            return u.error();
    }
    return find(code);
}

Result<ActivationCode> ActivationCodeRepository::markUsed(
    const QString &code, const QString &reason)
{
    return mark(code, CodeStatus::Used, reason);
}

Result<ActivationCode> ActivationCodeRepository::markExpired(
    const QString &code, const QString &reason)
{
    return mark(code, CodeStatus::Expired, reason);
}

Result<int> ActivationCodeRepository::expireOverdue()
{
    Result<QueryResult> q
        = runSingle(m_db, QStringLiteral("SELECT simdesk_expire_overdue_codes()"), {}, {});
    if (!q)
        return q.error();
    return q.value().value(0).toInt();
}

Result<qint64> ActivationCodeRepository::generateBatch(const QString &label, int count, int length,
    const std::optional<QDateTime> &expiresAt, const QString &prefix)
{
    Result<QueryResult> q
        = runQuery(m_db, QStringLiteral("SELECT simdesk_code_batch_generate($1, $2, $3, $4, $5)"),
            { label, count, length, nullable(expiresAt), prefix });
    if (!q)
        return q.error();
    q.value().next();
    return q.value().value(0).toLongLong();
}

Result<QStringList> ActivationCodeRepository::batchCodes(qint64 batchId) const
{
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("SELECT code FROM activation_codes WHERE batch_id = $1 ORDER BY id"),
        { batchId });
    if (!q)
        return q.error();
    QStringList codes;
    while (q.value().next())
        codes << q.value().value(0).toString();
    return codes;
}

Result<int> ActivationCodeRepository::expireBatch(qint64 batchId, const QString &reason)
{
    Result<QueryResult> q = runSingle(
        m_db, QStringLiteral("SELECT simdesk_code_batch_expire($1, $2)"), { batchId, reason }, {});
    if (!q)
        return q.error();
    return q.value().value(0).toInt();
}

namespace {

const QString kBatchSelect
    = QStringLiteral("SELECT id, label, prefix, code_length, code_count, expires_at, created_by, "
                     "created_at, expired_at FROM code_batches");

CodeBatch readBatch(const QueryResult &q)
{
    CodeBatch b;
    b.id = q.value(0).toLongLong();
    b.label = q.value(1).toString();
    b.prefix = q.value(2).toString();
    b.length = q.value(3).toInt();
    b.count = q.value(4).toInt();
    b.expiresAt = optionalTime(q.value(5));
    b.createdBy = q.value(6).toString();
    b.createdAt = q.value(7).toDateTime();
    b.expiredAt = optionalTime(q.value(8));
    return b;
}

} // namespace

Result<QList<CodeBatch>> ActivationCodeRepository::batches(int limit) const
{
    Result<QueryResult> q
        = runQuery(m_db, kBatchSelect + QStringLiteral(" ORDER BY id DESC LIMIT $1"), { limit });
    if (!q)
        return q.error();
    QList<CodeBatch> list;
    while (q.value().next())
        list.append(readBatch(q.value()));
    return list;
}

Result<CodeBatch> ActivationCodeRepository::batch(qint64 batchId) const
{
    Result<QueryResult> q = runSingle(m_db, kBatchSelect + QStringLiteral(" WHERE id = $1"),
        { batchId }, QString::number(batchId));
    if (!q) {
        if (q.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::CodeBatchUnknown, { QString::number(batchId) });
        return q.error();
    }
    return readBatch(q.value());
}

} // namespace simdesk
