// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace simdesk {

// Every failure core can report. The numeric values are stable (they appear in JSON reports and
// logs); add new codes at the end of their group.
enum class ErrorCode {
    // Identifier validation (100–199)
    IccidEmpty = 100,
    IccidInvalidCharacter,
    IccidWrongLength,
    IccidWrongPrefix,
    IccidMissingCheckDigit,
    IccidBadCheckDigit,
    MsisdnEmpty = 120,
    MsisdnInvalidCharacter,
    MsisdnNationalFormat,
    MsisdnCountryCodeZero,
    MsisdnTooShort,
    MsisdnTooLong,
    ImsiInvalidCharacter = 140,
    ImsiWrongLength,
    PinInvalidCharacter = 150,
    PinWrongLength,
    PukInvalidCharacter = 160,
    PukWrongLength,
    SimTypeUnknown = 170,
    StatusUnknown,
    ReasonMissing = 180, // empty once every Unicode space is trimmed
    ReasonTooLong, // args: the limit

    // Database and schema (500–599)
    DatabaseDriverMissing = 500,
    ConnectionFailed,
    ConnectionUrlInvalid,
    QueryFailed,
    MigrationFailed,
    MigrationModified,
    SchemaTooNew,
    SchemaTooOld,
    DemoDataNotEmpty,
    InvalidArgument,
    PermissionDenied,
    NotFound,
    DuplicateValue,
    ConstraintViolation,
    ConcurrentUpdate,
    ConnectionLost,
    AuthenticationFailed,
    RecordLocked, // a lock wait ran out (55P03): another session holds the record
    StatementTimeout, // the statement ran longer than the session allows (or was cancelled)
    HistoryAppendOnly, // an attempt to change or delete an audit row
    LoginDisabled, // args: login
    NoSimDeskRole, // args: login
    DatabaseMissing, // args: database, server
    TooManyConnections, // args: server
    LoginRefused, // the server's access rules refuse this login from here; args: login, server
    Cancelled, // the person who started the work stopped it
    PasswordRequired, // the server wants a password and none was given; args: login
    // TLS failures of a connection, told apart by how far libpq got (core/db/tlsdiagnosis.h).
    TlsRootCertificateMissing, // args: path of the CA file libpq looks for
    TlsNotOffered, // args: server
    TlsCertificateUntrusted, // args: server, CA file
    TlsHostMismatch, // args: host name
    MigrationInProgress, // args: schema version now

    // Lifecycle and records (600–699)
    TransitionNotAllowed = 600,
    StaleVersion,
    CustomerRequired,
    TariffRequired,
    ReasonRequired,
    TariffTypeMismatch,
    TariffInactive,
    ActivationCodeUnknown,
    ActivationCodeUsed,
    ActivationCodeExpired,
    SwapSameCard,
    SwapTargetNotAvailable,
    SwapTargetReservedForOther,
    SwapSourceNotSwappable,
    CardInUse,
    CustomerInUse,
    NewCardNotAvailable,
    FieldRequired,
    StaffLoginInvalid,
    StaffPasswordTooShort,
    RoleUnknown,
    LastActiveAdmin,
    SecretsReadRefused,
    PasswordHasNul,
    SwapSourceSwappedOut, // the old card's number moved to another card already (SD018)

    // Import (700–799). File-level problems stop the whole file; row-level ones concern a line.
    ImportEmptyFile = 700,
    ImportEncoding,
    ImportBinary,
    ImportUnterminatedQuote,
    ImportLineTooLong,
    ImportMissingColumn,
    ImportDuplicateColumn,
    ImportUnknownColumn,
    ImportWrongFieldCount,
    ImportNoRows,
    ImportDuplicateInFile,
    ImportAlreadyInDatabase,
    ImportTypeMissing,
    ImportAlreadyImported,
    ImportVendorHeader,
    ImportQuantityMismatch,
    ImportCancelled,
    ImportBatchNotFound,
    ImportBatchTouched,
    ImportBatchReverted,
    ImportCheckDigitAppended,
    ImportFileUnreadable,
    ImportRefused,
    ImportNothingImportable, // rows were read, none can be imported; args: rows, invalid, dup,
                             // known
    ImportUnknownColumns, // several ignored columns, one warning; args: count, the first names
    ImportVendorLine, // a vendor file line that is not understood; args: line, why
    ImportNotRegularFile, // a device, pipe or folder; args: the path
    ImportVendorFieldCount, // args: fields named, fields found, line of the Var_Out: line
    ImportIccidPaddingRemoved, // trailing F padding of an on-card ICCID; args: as written, without
    ImportColumnHoldsSecrets, // a secret column mapped to a visible field; args: column, field

    // Administration (900–999)
    StaffOwnLogin = 900, // disabling or ending the sessions of one's own login; args: login
    PasswordsDiffer, // the new password typed twice is not the same twice
    CurrentPasswordWrong, // the current password given to change it is not the login's
    // Customers (800–899).
    CustomerCardsInUse = 800, // anonymise refused (SD100); args: customer number, cards
    CustomerAnonymised, // anonymised already, or a card for them (SD101); args: customer number
    CodeBatchInvalid, // a code batch request out of bounds (SD102)
    // Activation codes (820–849).
    CodeBatchUnknown = 820, // no such batch (SD110); args: batch
    CodeBatchNothingToExpire, // no unused code left in the batch (SD111); args: batch label
    CodeReasonRequired, // closing a code or expiring a batch without a reason (SD112)
};

// A failure: its code, the values its message names (in order), and technical detail such as
// the server's own message, shown to the user under the message.
struct Error
{
    ErrorCode code;
    QStringList args;
    QString detail;
    // The database's SQLSTATE when the error came from the server (see db/sqlstate.h).
    QString sqlState;

    Error(ErrorCode c, QStringList a = {}, QString d = {})
        : code(c)
        , args(std::move(a))
        , detail(std::move(d))
    { }

    // The translated, human sentence for this error: what is wrong and what to do.
    QString message() const;
    // The message followed by the detail, when there is one.
    QString fullMessage() const;
    // A short, stable identifier such as "iccid.missing-check-digit", for reports and logs.
    QString key() const;
};

} // namespace simdesk
