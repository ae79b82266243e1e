// SPDX-License-Identifier: MIT
#include "domain/error.h"

#include <QTest>

using namespace simdesk;

class TestError : public QObject
{
    Q_OBJECT

private slots:
    void shouldFillArgumentsInOnePass();
    void everyCodeShouldHaveAMessageAndAKey();
    void fullMessageShouldAppendDetail();
};

void TestError::shouldFillArgumentsInOnePass()
{
    // A value that itself looks like a placeholder must stay as typed.
    const Error e(ErrorCode::IccidInvalidCharacter, { QStringLiteral("%2"), QStringLiteral("7") });
    QVERIFY2(e.message().contains(u"“%2” at position 7"), qPrintable(e.message()));
}

void TestError::everyCodeShouldHaveAMessageAndAKey()
{
    const QList<ErrorCode> codes {
        ErrorCode::IccidEmpty,
        ErrorCode::IccidInvalidCharacter,
        ErrorCode::IccidWrongLength,
        ErrorCode::IccidWrongPrefix,
        ErrorCode::IccidMissingCheckDigit,
        ErrorCode::IccidBadCheckDigit,
        ErrorCode::MsisdnEmpty,
        ErrorCode::MsisdnInvalidCharacter,
        ErrorCode::MsisdnNationalFormat,
        ErrorCode::MsisdnCountryCodeZero,
        ErrorCode::MsisdnTooShort,
        ErrorCode::MsisdnTooLong,
        ErrorCode::ImsiInvalidCharacter,
        ErrorCode::ImsiWrongLength,
        ErrorCode::PinInvalidCharacter,
        ErrorCode::PinWrongLength,
        ErrorCode::PukInvalidCharacter,
        ErrorCode::PukWrongLength,
        ErrorCode::SimTypeUnknown,
        ErrorCode::StatusUnknown,
        ErrorCode::DatabaseDriverMissing,
        ErrorCode::ConnectionFailed,
        ErrorCode::ConnectionUrlInvalid,
        ErrorCode::QueryFailed,
        ErrorCode::MigrationFailed,
        ErrorCode::MigrationModified,
        ErrorCode::SchemaTooNew,
        ErrorCode::SchemaTooOld,
        ErrorCode::DemoDataNotEmpty,
        ErrorCode::InvalidArgument,
        ErrorCode::PermissionDenied,
        ErrorCode::NotFound,
        ErrorCode::DuplicateValue,
        ErrorCode::ConstraintViolation,
        ErrorCode::ConcurrentUpdate,
        ErrorCode::ConnectionLost,
        ErrorCode::AuthenticationFailed,
        ErrorCode::TransitionNotAllowed,
        ErrorCode::StaleVersion,
        ErrorCode::CustomerRequired,
        ErrorCode::TariffRequired,
        ErrorCode::ReasonRequired,
        ErrorCode::TariffTypeMismatch,
        ErrorCode::TariffInactive,
        ErrorCode::ActivationCodeUnknown,
        ErrorCode::ActivationCodeUsed,
        ErrorCode::ActivationCodeExpired,
        ErrorCode::SwapSameCard,
        ErrorCode::SwapTargetNotAvailable,
        ErrorCode::SwapTargetReservedForOther,
        ErrorCode::SwapSourceNotSwappable,
        ErrorCode::CardInUse,
        ErrorCode::CustomerInUse,
        ErrorCode::NewCardNotAvailable,
        ErrorCode::FieldRequired,
        ErrorCode::StaffLoginInvalid,
        ErrorCode::StaffPasswordTooShort,
        ErrorCode::RoleUnknown,
    };
    QSet<QString> keys;
    for (ErrorCode c : codes) {
        const Error e(c,
            { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d") });
        QVERIFY2(!e.message().startsWith(QLatin1String("Unexpected error")), qPrintable(e.key()));
        QVERIFY2(!e.message().contains(QLatin1Char('%')), qPrintable(e.message()));
        QVERIFY2(!keys.contains(e.key()), qPrintable(e.key()));
        keys.insert(e.key());
    }
}

void TestError::fullMessageShouldAppendDetail()
{
    const Error e(
        ErrorCode::QueryFailed, { QStringLiteral("23505") }, QStringLiteral("duplicate key"));
    QCOMPARE(e.fullMessage(), e.message() + QStringLiteral("\nduplicate key"));
    QCOMPARE(Error(ErrorCode::IccidEmpty).fullMessage(), Error(ErrorCode::IccidEmpty).message());
}

QTEST_APPLESS_MAIN(TestError)
#include "tst_error.moc"
