// SPDX-License-Identifier: MIT
#include "records/activationcoderepository.h"

#include "db/sqlquery.h"

#include <QCoreApplication>

namespace simdesk {

QString codeStatusKey(CodeStatus status)
{
    switch (status) {
    case CodeStatus::Unused:
        return QStringLiteral("UNUSED");
    case CodeStatus::Used:
        return QStringLiteral("USED");
    case CodeStatus::Expired:
        return QStringLiteral("EXPIRED");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<CodeStatus> codeStatusFromKey(QStringView key)
{
    for (CodeStatus s : { CodeStatus::Unused, CodeStatus::Used, CodeStatus::Expired }) {
        if (key.compare(codeStatusKey(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

namespace {

// The effective status is computed here, once, for every read.
const QString kSelect = QStringLiteral(
    "SELECT a.id, a.code, CASE WHEN a.status = 'UNUSED' AND a.expires_at <= now() THEN 'EXPIRED' "
    "ELSE a.status END AS effective_status, a.expires_at, a.used_at, s.id AS sim_id, a.created_at "
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
        QStringLiteral("SELECT * FROM (%1) c WHERE $1 IS NULL OR c.effective_status = $2 "
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

Result<ActivationCode> ActivationCodeRepository::mark(const QString &code, CodeStatus to)
{
    Transaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return s.error();
    Result<QueryResult> lock = runSingle(m_db,
        QStringLiteral("SELECT id FROM activation_codes WHERE code = $1 FOR UPDATE"),
        { normalized(code) }, normalized(code));
    if (!lock)
        return lock.error().code == ErrorCode::NotFound
            ? Error(ErrorCode::ActivationCodeUnknown, { normalized(code) })
            : lock.error();
    Result<ActivationCode> current = find(code);
    if (!current)
        return current.error();
    if (current->status != CodeStatus::Unused) {
        if (current->status == CodeStatus::Used)
            return Error(ErrorCode::ActivationCodeUsed,
                { current->code,
                    current->usedAt ? current->usedAt->toLocalTime().toString(Qt::ISODate)
                                    : QString() });
        // Marking an expired code expired again is harmless: store it and report success.
        if (to != CodeStatus::Expired)
            return Error(ErrorCode::ActivationCodeExpired,
                { current->code,
                    current->expiresAt ? current->expiresAt->toLocalTime().toString(Qt::ISODate)
                                       : QString() });
    }
    const QString sql = to == CodeStatus::Used
        ? QStringLiteral(
            "UPDATE activation_codes SET status = 'USED', used_at = now() WHERE id = $1")
        : QStringLiteral("UPDATE activation_codes SET status = 'EXPIRED' WHERE id = $1");
    if (Result<QueryResult> u = runQuery(m_db, sql, { current->id }); !u)
        return u.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(code);
}

Result<ActivationCode> ActivationCodeRepository::markUsed(const QString &code)
{
    return mark(code, CodeStatus::Used);
}

Result<ActivationCode> ActivationCodeRepository::markExpired(const QString &code)
{
    return mark(code, CodeStatus::Expired);
}

Result<int> ActivationCodeRepository::expireOverdue()
{
    Result<QueryResult> q = runQuery(m_db,
        QStringLiteral("UPDATE activation_codes SET status = 'EXPIRED' WHERE status = 'UNUSED' AND "
                       "expires_at <= now()"));
    if (!q)
        return q.error();
    return q.value().rowsAffected();
}

} // namespace simdesk
