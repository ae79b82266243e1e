// SPDX-License-Identifier: MIT
#include "db/sqlstate.h"

#include "domain/cardaction.h"
#include "domain/lifecycle.h"
#include "domain/simtypes.h"
#include "domain/validation.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace simdesk {

namespace {

// How one argument of a message is taken from the DETAIL object.
enum class Arg : quint8 {
    Text, // the field as it is
    Status, // a status key, shown by its name
    Allowed, // a status key, shown as the actions allowed from it
    Action, // an action key, shown by its name
    SimType, // a card type key, shown by its name
    Time, // a timestamp, shown in the locale's short format
    Card, // an ICCID, shown as "SIM card <ICCID>"
    Detail, // the DETAIL itself, when it is a plain value rather than an object
    MaxReason, // the longest reason there may be (validation::kMaxReasonLength)
};

struct FieldArg
{
    const char *field;
    Arg as;
};

struct Entry
{
    const char *state;
    ErrorCode code;
    FieldArg args[4];
};

// Every SDnnn code the migrations raise. Fields missing from the DETAIL leave their argument
// empty; a message still reads, with less in it.
constexpr Entry kTable[] = {
    { "SD001", ErrorCode::TransitionNotAllowed,
        { { "iccid", Arg::Text }, { "status", Arg::Status }, { "action", Arg::Action },
            { "status", Arg::Allowed } } },
    { "SD002", ErrorCode::HistoryAppendOnly, {} },
    { "SD003", ErrorCode::NewCardNotAvailable, {} },
    { "SD004", ErrorCode::CardInUse, { { "iccid", Arg::Text } } },
    { "SD005", ErrorCode::StaleVersion,
        { { "iccid", Arg::Card }, { "changed_by", Arg::Text }, { "changed_at", Arg::Time } } },
    { "SD006", ErrorCode::CustomerRequired, { { "action", Arg::Action } } },
    { "SD007", ErrorCode::TariffRequired, { { "action", Arg::Action } } },
    { "SD008", ErrorCode::ReasonRequired, { { "action", Arg::Action } } },
    { "SD009", ErrorCode::TariffInactive, { { "tariff", Arg::Text } } },
    { "SD010", ErrorCode::TariffTypeMismatch,
        { { "tariff", Arg::Text }, { "tariff_type", Arg::SimType }, { "iccid", Arg::Text },
            { "card_type", Arg::SimType } } },
    { "SD011", ErrorCode::ActivationCodeUnknown, { { "code", Arg::Text } } },
    { "SD012", ErrorCode::ActivationCodeUsed, { { "code", Arg::Text }, { "used_at", Arg::Time } } },
    { "SD013", ErrorCode::ActivationCodeExpired,
        { { "code", Arg::Text }, { "expires_at", Arg::Time } } },
    { "SD014", ErrorCode::SwapSameCard, {} },
    { "SD015", ErrorCode::SwapSourceNotSwappable,
        { { "iccid", Arg::Text }, { "status", Arg::Status } } },
    { "SD016", ErrorCode::SwapTargetReservedForOther, { { "iccid", Arg::Text } } },
    { "SD017", ErrorCode::SwapTargetNotAvailable,
        { { "iccid", Arg::Text }, { "status", Arg::Status } } },
    { "SD018", ErrorCode::SwapSourceSwappedOut, {} },
    { "SD019", ErrorCode::ReasonTooLong, { { "", Arg::MaxReason } } },
    // The import functions name what they refused as a plain DETAIL; ImportService adds the
    // batch it asked about.
    { "SD020", ErrorCode::ImportAlreadyImported, { { "", Arg::Detail }, { "", Arg::Text } } },
    { "SD021", ErrorCode::ImportBatchReverted, { { "batch", Arg::Text } } },
    { "SD022", ErrorCode::ImportBatchTouched, { { "", Arg::Text }, { "", Arg::Detail } } },
    { "SD023", ErrorCode::ImportColumnHoldsSecrets, { { "", Arg::Detail }, { "", Arg::Text } } },
    { "SD030", ErrorCode::SecretsReadRefused, {} },
    { "SD040", ErrorCode::LastActiveAdmin, { { "login", Arg::Text } } },
    { "SD150", ErrorCode::StaffOwnLogin, { { "login", Arg::Text } } },
    { "SD100", ErrorCode::CustomerCardsInUse,
        { { "customer", Arg::Text }, { "cards", Arg::Text } } },
    { "SD101", ErrorCode::CustomerAnonymised, { { "customer", Arg::Text } } },
    { "SD102", ErrorCode::CodeBatchInvalid, {} },
    { "SD110", ErrorCode::CodeBatchUnknown, { { "batch", Arg::Text } } },
    { "SD111", ErrorCode::CodeBatchNothingToExpire, { { "batch", Arg::Text } } },
    { "SD112", ErrorCode::CodeReasonRequired, {} },
};

QString argument(const QJsonObject &detail, const QString &plainDetail, const FieldArg &a)
{
    if (a.as == Arg::Detail)
        return plainDetail;
    if (a.as == Arg::MaxReason)
        return QString::number(validation::kMaxReasonLength);
    const QJsonValue v = detail.value(QLatin1String(a.field));
    const QString text = v.isDouble() ? QString::number(qint64(v.toDouble())) : v.toString();
    switch (a.as) {
    case Arg::Text:
        return text;
    case Arg::Status: {
        const std::optional<SimStatus> s = statusFromKey(text);
        return s ? statusDisplayName(*s) : text;
    }
    case Arg::Allowed: {
        const std::optional<SimStatus> s = statusFromKey(text);
        if (!s)
            return {};
        QStringList names;
        for (SimAction action : allowedActions(*s))
            names << actionDisplayName(action);
        return names.isEmpty()
            ? QCoreApplication::translate("simdesk::Error", "none (the status is final)")
            : names.join(QStringLiteral(", "));
    }
    case Arg::Action: {
        const std::optional<CardAction> action = cardActionFromKey(text);
        return action ? cardActionDisplayName(*action) : text;
    }
    case Arg::SimType: {
        const std::optional<SimType> t = simTypeFromKey(text);
        return t ? simTypeDisplayName(*t) : text;
    }
    case Arg::Time: {
        const QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
        return when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::ShortFormat) : text;
    }
    case Arg::Card:
        return QCoreApplication::translate("simdesk::Error", "SIM card %1").arg(text);
    case Arg::Detail:
    case Arg::MaxReason:
        break;
    }
    return text;
}

// The server's words as the detail users see under the message: the primary message, and the
// DETAIL and HINT when they are text (a JSON DETAIL is for the table above, not for people).
// What the database found missing, for NotFound's message: {"card": 12} names a SIM card,
// {"customer": 5} a customer, and so on; anything else is "the record".
QString missingRecord(const ServerError &s)
{
    const QJsonObject detail = QJsonDocument::fromJson(s.detail.toUtf8()).object();
    auto id = [&detail](const char *key) {
        const QJsonValue v = detail.value(QLatin1String(key));
        return v.isDouble() ? QString::number(qint64(v.toDouble())) : v.toString();
    };
    if (detail.contains(QLatin1String("card")))
        return QCoreApplication::translate("simdesk::Error", "SIM card %1").arg(id("card"));
    if (detail.contains(QLatin1String("customer")))
        return QCoreApplication::translate("simdesk::Error", "Customer %1").arg(id("customer"));
    if (detail.contains(QLatin1String("tariff_plan")))
        return QCoreApplication::translate("simdesk::Error", "Tariff plan %1")
            .arg(id("tariff_plan"));
    return QCoreApplication::translate("simdesk::Error", "The record");
}

QString serverWords(const ServerError &s, bool jsonDetail)
{
    QString words = s.message.trimmed();
    if (!s.detail.isEmpty() && !jsonDetail)
        words += QStringLiteral("\nDETAIL: ") + s.detail;
    if (!s.hint.isEmpty())
        words += QStringLiteral("\nHINT: ") + s.hint;
    return words;
}

Error generic(const ServerError &s, const QString &words)
{
    const QString state = s.sqlState.isEmpty() ? QStringLiteral("?") : s.sqlState;
    auto is = [&](const char *code) {
        return state == QLatin1String(code);
    };
    auto starts = [&](const char *prefix) {
        return state.startsWith(QLatin1String(prefix));
    };
    if (is("42501"))
        return Error(ErrorCode::PermissionDenied, {}, words);
    if (is("23505"))
        return Error(ErrorCode::DuplicateValue, { state }, words);
    if (starts("23") || is("22023") || starts("SD"))
        return Error(ErrorCode::ConstraintViolation, { state }, words);
    if (is("40001") || is("40P01"))
        return Error(ErrorCode::ConcurrentUpdate, {}, words);
    if (is("55P03"))
        return Error(ErrorCode::RecordLocked, {}, words);
    if (is("57014"))
        return Error(ErrorCode::StatementTimeout, {}, words);
    if (starts("08") || is("25P03") || is("57P01") || is("57P02") || is("57P03"))
        return Error(ErrorCode::ConnectionLost, {}, words);
    if (is("P0002"))
        return Error(ErrorCode::NotFound, { missingRecord(s) }, words);
    if (starts("28"))
        return Error(ErrorCode::AuthenticationFailed, {}, words);
    return Error(ErrorCode::QueryFailed, { state }, words);
}

} // namespace

Error errorForServer(const ServerError &server)
{
    QJsonParseError parsed;
    const QJsonDocument json = QJsonDocument::fromJson(server.detail.toUtf8(), &parsed);
    const bool jsonDetail = parsed.error == QJsonParseError::NoError && json.isObject();
    const QString words = serverWords(server, jsonDetail);
    for (const Entry &e : kTable) {
        if (server.sqlState != QLatin1String(e.state))
            continue;
        QStringList args;
        for (const FieldArg &a : e.args) {
            if (!a.field)
                break;
            args << argument(json.object(), jsonDetail ? QString() : server.detail.trimmed(), a);
        }
        Error error(e.code, args, words);
        error.sqlState = server.sqlState;
        return error;
    }
    Error error = generic(server, words);
    error.sqlState = server.sqlState;
    return error;
}

QStringList knownSqlStates()
{
    QStringList states;
    for (const Entry &e : kTable)
        states << QString::fromLatin1(e.state);
    return states;
}

} // namespace simdesk
