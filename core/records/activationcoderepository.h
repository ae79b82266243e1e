// SPDX-License-Identifier: MIT
#pragma once

#include "domain/activationcode.h"
#include "domain/result.h"

#include <QList>
#include <QSqlDatabase>

namespace simdesk {

// Activation codes. Expiry is lazy: a code still stored UNUSED whose expires_at has passed is
// read as Expired everywhere (list, find, and activation refuses it), so nothing has to run on
// a schedule; expireOverdue() writes that state down for housekeeping and reports.
class ActivationCodeRepository
{
public:
    explicit ActivationCodeRepository(QSqlDatabase db)
        : m_db(std::move(db))
    { }

    // Codes by effective status (all when nullopt), newest first.
    Result<QList<ActivationCode>> list(
        std::optional<CodeStatus> status = {}, int limit = 500) const;
    // By code, ignoring case and surrounding spaces. NotFound when there is none.
    Result<ActivationCode> find(const QString &code) const;

    // Admin: a new UNUSED code. DuplicateValue when it exists.
    Result<ActivationCode> create(const QString &code, std::optional<QDateTime> expiresAt);

    // Support: record that an UNUSED code was used outside SimDesk / expire it by hand, with
    // the reason in the audit log (simdesk_code_close, sql/016_code_list.sql), in one
    // transaction. CodeReasonRequired without a reason (the reason rule of
    // validation::normalizeReason), ActivationCodeUnknown, ActivationCodeUsed, or
    // ActivationCodeExpired (marking an expired code used); marking an expired code expired
    // again succeeds.
    Result<ActivationCode> markUsed(const QString &code, const QString &reason);
    Result<ActivationCode> markExpired(const QString &code, const QString &reason);

    // The code when it can still be used (activation consumes it, or support closes it), read
    // now with the database's expiry rule; ActivationCodeUnknown, ActivationCodeUsed (with when)
    // or ActivationCodeExpired (with when) otherwise.
    Result<ActivationCode> findUsable(const QString &code) const;

    // Stores EXPIRED on every UNUSED code past its expiry; returns how many.
    Result<int> expireOverdue();

    // Admin: a batch of `count` (1–100,000) new UNUSED codes of `length` (6–24) random
    // characters from kCodeAlphabet after `prefix` (up to 8 letters or digits, an optional
    // dash), unique across every code ever issued, in one transaction of the database
    // (simdesk_code_batch_generate, sql/013_customers.sql); returns the batch id.
    // CodeBatchInvalid for a request out of bounds, PermissionDenied for other roles.
    Result<qint64> generateBatch(const QString &label, int count, int length,
        const std::optional<QDateTime> &expiresAt, const QString &prefix = {});
    // The codes of a batch, in the order they were issued.
    Result<QStringList> batchCodes(qint64 batchId) const;

    // Admin: every still UNUSED code of the batch becomes EXPIRED, in one transaction of the
    // database (simdesk_code_batch_expire), audited with the reason; returns how many.
    // CodeReasonRequired, CodeBatchUnknown, CodeBatchNothingToExpire, PermissionDenied.
    Result<int> expireBatch(qint64 batchId, const QString &reason);
    // Batches, newest first, at most `limit`.
    Result<QList<CodeBatch>> batches(int limit = 1000) const;
    Result<CodeBatch> batch(qint64 batchId) const;

    // The characters of generated codes: no 0/O, no 1/I/L (the SQL twin:
    // simdesk_code_alphabet()).
    static constexpr const char *kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

private:
    Result<ActivationCode> mark(const QString &code, CodeStatus to, const QString &reason);

    QSqlDatabase m_db;
};

} // namespace simdesk
