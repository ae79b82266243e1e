// SPDX-License-Identifier: MIT
#include "domain/error.h"

#include <QCoreApplication>
#include <QTranslator>

namespace simdesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::Error", text);
}

struct Entry
{
    ErrorCode code;
    const char *key;
    const char *text; // QT_TRANSLATE_(N_)NOOP source; %1, %2… are Error::args
    // 1-based index of the argument that is a count, written %n in `text`, so that the
    // translation picks its plural form ("1 digit", "3 digits"); 0: none.
    int plural = 0;
};

// The error catalogue: one line per code, each message saying what is wrong and what to do.
constexpr Entry kCatalogue[] = {
    { ErrorCode::IccidEmpty, "iccid.empty",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The ICCID is empty. Enter the 19 or 20 digits printed on the card.") },
    { ErrorCode::IccidInvalidCharacter, "iccid.invalid-character",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The ICCID contains “%1” at position %2. An ICCID has digits only; spaces and dashes "
            "are ignored.") },
    { ErrorCode::IccidWrongLength, "iccid.wrong-length",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "The ICCID has %n digit(s). It must have 19 or 20 digits; check that none are missing "
            "or doubled."),
        1 },
    { ErrorCode::IccidWrongPrefix, "iccid.wrong-prefix",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The ICCID starts with “%1”. Every SIM card ICCID starts with 89 (telecommunications); "
            "check that this is the card's ICCID and not another number.") },
    { ErrorCode::IccidMissingCheckDigit, "iccid.missing-check-digit",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The ICCID %1 has 18 digits: the check digit is missing. With its check digit it is "
            "%2; check the card and enter all digits.") },
    { ErrorCode::IccidBadCheckDigit, "iccid.bad-check-digit",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The ICCID %1 ends in %2, but its check digit should be %3. A digit was probably "
            "mistyped or misread; check the number on the card.") },
    { ErrorCode::MsisdnEmpty, "msisdn.empty",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The phone number is empty. Enter it in international format, e.g. +4915112345678.") },
    { ErrorCode::MsisdnInvalidCharacter, "msisdn.invalid-character",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The phone number contains “%1” at position %2. Use digits, with an optional leading + "
            "(spaces, dashes, dots and brackets are ignored).") },
    { ErrorCode::MsisdnNationalFormat, "msisdn.national-format",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The phone number %1 is in national format. Enter it with its country code, e.g. +49 "
            "instead of the leading 0.") },
    { ErrorCode::MsisdnCountryCodeZero, "msisdn.country-code-zero",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The phone number %1 has a country code starting with 0, which does not exist. Remove "
            "the 0 after the +.") },
    { ErrorCode::MsisdnTooShort, "msisdn.too-short",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "The phone number %1 has only %n digit(s). An international number has at least 7 "
            "digits including the country code."),
        2 },
    { ErrorCode::MsisdnTooLong, "msisdn.too-long",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "The phone number %1 has %n digit(s). An international (E.164) number has at most 15 "
            "digits including the country code."),
        2 },
    { ErrorCode::ImsiInvalidCharacter, "imsi.invalid-character",
        QT_TRANSLATE_NOOP(
            "simdesk::Error", "The IMSI contains “%1” at position %2. An IMSI has digits only.") },
    { ErrorCode::ImsiWrongLength, "imsi.wrong-length",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "The IMSI has %n digit(s). It must have 6 to 15 digits; leave it empty if it is not "
            "known."),
        1 },
    { ErrorCode::PinInvalidCharacter, "pin.invalid-character",
        QT_TRANSLATE_NOOP("simdesk::Error", "The PIN contains “%1”. A PIN has digits only.") },
    { ErrorCode::PinWrongLength, "pin.wrong-length",
        QT_TRANSLATE_N_NOOP("simdesk::Error", "The PIN has %n digit(s). A PIN has 4 to 8 digits."),
        1 },
    { ErrorCode::PukInvalidCharacter, "puk.invalid-character",
        QT_TRANSLATE_NOOP("simdesk::Error", "The PUK contains “%1”. A PUK has digits only.") },
    { ErrorCode::PukWrongLength, "puk.wrong-length",
        QT_TRANSLATE_N_NOOP(
            "simdesk::Error", "The PUK has %n digit(s). A PUK has exactly 8 digits."),
        1 },
    { ErrorCode::SimTypeUnknown, "sim-type.unknown",
        QT_TRANSLATE_NOOP(
            "simdesk::Error", "“%1” is not a SIM type. Use prepaid, postpaid or data-only.") },
    { ErrorCode::StatusUnknown, "status.unknown",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "“%1” is not a SIM status. Use AVAILABLE, RESERVED, ACTIVE, SUSPENDED, LOST_STOLEN or "
            "TERMINATED.") },
    { ErrorCode::ReasonMissing, "reason.missing",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The reason is empty: spaces, tabs and line breaks do not count. Write a short reason; "
            "it is kept in the card's history.") },
    { ErrorCode::ReasonTooLong, "reason.too-long",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The reason is longer than %1 characters. Shorten it to what happened and why; "
            "details belong in the customer's notes.") },
    { ErrorCode::DatabaseDriverMissing, "db.driver-missing",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The PostgreSQL driver for Qt is not installed. Install the package libqt6sql6-psql "
            "and start SimDesk again.") },
    { ErrorCode::ConnectionFailed, "db.connection-failed",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Could not connect to the database %1. Check the server address, user name and "
            "password (or PGHOST, PGPORT, PGUSER, PGDATABASE) and that the server is running.") },
    { ErrorCode::ConnectionUrlInvalid, "db.url-invalid",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "“%1” is not a database address SimDesk understands. Use the form "
            "postgresql://user@host:5432/database.") },
    { ErrorCode::QueryFailed, "db.query-failed",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database refused the request (%1). Nothing was changed; try again, and report the "
            "details below if it keeps happening.") },
    { ErrorCode::MigrationFailed, "db.migration-failed",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Updating the database schema to version %1 (%2) failed and was rolled back; the "
            "schema stays at version %3. See the details below.") },
    { ErrorCode::MigrationModified, "db.migration-modified",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Schema migration %1 was already applied to this database, but its contents differ "
            "from this SimDesk build. Do not edit applied migrations; use a SimDesk build that "
            "matches the database.") },
    { ErrorCode::SchemaTooNew, "db.schema-too-new",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database schema is at version %1, newer than this SimDesk understands (%2). "
            "Install the newer SimDesk that your colleagues use.") },
    { ErrorCode::SchemaTooOld, "db.schema-too-old",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database schema is at version %1, older than this SimDesk needs (%2). Ask an "
            "administrator to run “simdesk-cli migrate”.") },
    { ErrorCode::DemoDataNotEmpty, "demo.not-empty",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database already holds %1 SIM cards. Demo data is only loaded into an empty "
            "database; create a new one for the demo.") },
    { ErrorCode::InvalidArgument, "invalid-argument", QT_TRANSLATE_NOOP("simdesk::Error", "%1") },
    { ErrorCode::PermissionDenied, "db.permission-denied",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Your login is not allowed to do this. Nothing was changed; ask an administrator if "
            "your role should allow it.") },
    { ErrorCode::NotFound, "not-found",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "%1 was not found. It may have been deleted by someone else; refresh the list.") },
    { ErrorCode::DuplicateValue, "db.duplicate",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "This value is already in use (%1). Nothing was changed; choose another value or open "
            "the existing record.") },
    { ErrorCode::ConstraintViolation, "db.constraint",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database refused the change because it breaks a rule (%1). Nothing was changed; "
            "correct the values and try again.") },
    { ErrorCode::ConcurrentUpdate, "db.concurrent-update",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Someone else changed the same records at the same moment. Nothing was changed; try "
            "again.") },
    { ErrorCode::ConnectionLost, "db.connection-lost",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The connection to the database was lost. Nothing half-done was kept; SimDesk "
            "reconnects, then try again.") },
    { ErrorCode::AuthenticationFailed, "db.authentication-failed",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database did not accept the login %1 with this password. Check the login name and "
            "type the password again; an administrator can reset it.") },
    { ErrorCode::RecordLocked, "db.record-locked",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Another session is working on this record right now (or left a change open), and "
            "SimDesk stopped waiting for it. Nothing was changed; try again in a moment. If it "
            "keeps happening, ask an administrator to end that session.") },
    { ErrorCode::StatementTimeout, "db.statement-timeout",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database took too long to answer and the request was stopped. Nothing was "
            "changed; try again, or narrow what you asked for.") },
    { ErrorCode::HistoryAppendOnly, "db.history-append-only",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The history cannot be changed or deleted: it is the audit trail. Nothing was "
            "changed.") },
    { ErrorCode::LoginDisabled, "db.login-disabled",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The login %1 is disabled. Ask an administrator to enable it again.") },
    { ErrorCode::NoSimDeskRole, "db.no-role",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The login %1 is not allowed to use SimDesk: it is in none of SimDesk's roles (viewer, "
            "support, admin). Ask an administrator to give it one.") },
    { ErrorCode::DatabaseMissing, "db.database-missing",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The server %2 has no database %1. Check the database name in the server profile.") },
    { ErrorCode::TooManyConnections, "db.too-many-connections",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The server %1 accepts no more connections right now. Try again in a minute; if it "
            "keeps happening, ask the administrator to raise its connection limit.") },
    { ErrorCode::LoginRefused, "db.login-refused",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The server %2 does not accept the login %1 from this workstation (its access "
            "rules). Ask the administrator to allow it.") },
    { ErrorCode::PasswordRequired, "db.password-required",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database wants a password for the login %1. Type it in (SimDesk stores none), or "
            "put it in ~/.pgpass.") },
    { ErrorCode::Cancelled, "cancelled",
        QT_TRANSLATE_NOOP("simdesk::Error", "Cancelled. Nothing was changed.") },
    { ErrorCode::TlsRootCertificateMissing, "db.tls-root-certificate-missing",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "SimDesk checks the database server's certificate, but this workstation has no "
            "certificate authority to check it with: %1 does not exist. Ask your administrator "
            "for the site's CA certificate and save it there (or name it with sslrootcert=… in "
            "the connection URL).") },
    { ErrorCode::TlsNotOffered, "db.tls-not-offered",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database server %1 does not offer an encrypted (TLS) connection, and SimDesk "
            "connects to a remote server only with TLS. Ask your administrator to turn on TLS on "
            "the server (docs/server-setup.md).") },
    { ErrorCode::TlsCertificateUntrusted, "db.tls-certificate-untrusted",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database server %1 presented a certificate that the certificate authority in "
            "%2 did not sign. Either this is not your site's server, or this workstation has an "
            "old or wrong CA certificate: ask your administrator before connecting again.") },
    { ErrorCode::TlsHostMismatch, "db.tls-host-mismatch",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The database server's certificate is valid, but not for the name %1. Connect with "
            "the server name its certificate was made for (ask your administrator), not with "
            "another name or an address.") },
    { ErrorCode::MigrationInProgress, "db.migration-in-progress",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Another migration of this database is running right now, so this one changed "
            "nothing more; the schema is at version %1. Run the migration again once the other "
            "has finished.") },
    { ErrorCode::ImportEmptyFile, "import.empty-file",
        QT_TRANSLATE_NOOP(
            "simdesk::Error", "The file is empty. Choose the file the card vendor sent.") },
    { ErrorCode::ImportEncoding, "import.encoding",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Line %2 is not UTF-8 text (%1). Save the file as UTF-8 (in a spreadsheet: CSV UTF-8) "
            "and import it again.") },
    { ErrorCode::ImportBinary, "import.binary",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The file contains binary data near line %1; it is not a CSV or vendor text file. "
            "Check that you chose the right file.") },
    { ErrorCode::ImportUnterminatedQuote, "import.unterminated-quote",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The quoted field that starts on line %1 is never closed. Add the missing \" or remove "
            "the stray one, then import again.") },
    { ErrorCode::ImportLineTooLong, "import.line-too-long",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Line %1 is longer than %2 characters; no SIM card row is that long. The file is "
            "damaged or not a SIM list.") },
    { ErrorCode::ImportMissingColumn, "import.missing-column",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The file has no “%1” column. The first line must name the columns, e.g. "
            "iccid,pin,puk,type,msisdn.") },
    { ErrorCode::ImportDuplicateColumn, "import.duplicate-column",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The columns “%1” and “%2” both mean %3. Remove one of them, or ignore one in the "
            "column mapping.") },
    { ErrorCode::ImportUnknownColumn, "import.unknown-column",
        QT_TRANSLATE_NOOP(
            "simdesk::Error", "The column “%1” is not used by SimDesk and is ignored.") },
    { ErrorCode::ImportWrongFieldCount, "import.field-count",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "This line has %n field(s) where the first line names %1. Check for a missing or "
            "extra separator."),
        2 },
    { ErrorCode::ImportNoRows, "import.no-rows",
        QT_TRANSLATE_NOOP(
            "simdesk::Error", "The file has a header but no SIM card rows. Nothing to import.") },
    { ErrorCode::ImportDuplicateInFile, "import.duplicate-in-file",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "%1 appears again; it was already on line %2. Remove one of the rows.") },
    { ErrorCode::ImportAlreadyInDatabase, "import.in-database",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "%1 is already in SimDesk, so this row cannot add it again. Remove the row from the "
            "file.") },
    { ErrorCode::ImportTypeMissing, "import.type-missing",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The file has no SIM type and none was chosen. Choose the type of these cards "
            "(prepaid, postpaid or data-only).") },
    { ErrorCode::ImportAlreadyImported, "import.already-imported",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "This file was already imported as batch %1 on %2. Import it again only if you mean "
            "to.") },
    { ErrorCode::ImportVendorHeader, "import.vendor-header",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The vendor file's header is not as expected: %1. Ask the vendor for the output file "
            "in its usual format.") },
    { ErrorCode::ImportQuantityMismatch, "import.quantity",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "The vendor file's Quantity is %1 but it holds %n row(s). The file is incomplete or "
            "damaged; ask the vendor for it again."),
        2 },
    { ErrorCode::ImportCancelled, "import.cancelled",
        QT_TRANSLATE_NOOP("simdesk::Error", "The import was cancelled. Nothing was imported.") },
    { ErrorCode::ImportBatchNotFound, "import.batch-not-found",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "There is no import batch %1. Check the batch number in the list of imports.") },
    { ErrorCode::ImportBatchTouched, "import.batch-touched",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "Import batch %1 cannot be reverted: %n of its SIM cards has been used since. "
            "Terminate or handle those cards one by one instead."),
        2 },
    { ErrorCode::ImportBatchReverted, "import.batch-reverted",
        QT_TRANSLATE_NOOP("simdesk::Error", "Import batch %1 was already reverted.") },
    { ErrorCode::ImportCheckDigitAppended, "import.check-digit-appended",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The vendor's ICCID %1 has no check digit; SimDesk appended it: %2.") },
    { ErrorCode::ImportFileUnreadable, "import.unreadable",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Cannot read %1 (%2). Check the file name and that you may read it.") },
    { ErrorCode::ImportRefused, "import.refused",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "%n row(s) of the file cannot be imported and the duplicate policy is “error”, so "
            "nothing was imported. Fix the rows listed, or import with the policy “skip”."),
        1 },
    { ErrorCode::ImportNothingImportable, "import.nothing-importable",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "None of the file's %n SIM card row(s) can be imported: %2 invalid, %3 duplicate in "
            "the file, %4 already in SimDesk. Nothing was imported; fix the rows listed."),
        1 },
    { ErrorCode::ImportUnknownColumns, "import.unknown-columns",
        QT_TRANSLATE_N_NOOP(
            "simdesk::Error", "%n column(s) are not used by SimDesk and are ignored: %2."),
        1 },
    { ErrorCode::ImportVendorLine, "import.vendor-line",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Line %1 of the vendor file is not understood: %2. Check that this is the vendor's "
            "output file, unchanged; ask the vendor for it again if it is damaged.") },
    { ErrorCode::ImportNotRegularFile, "import.not-a-file",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "%1 is not a regular file (it is a device, a pipe or a folder), so SimDesk does not "
            "read it. Save the data to a file and import that file.") },
    { ErrorCode::ImportVendorFieldCount, "import.vendor-field-count",
        QT_TRANSLATE_N_NOOP("simdesk::Error",
            "This line has %n field(s) where the Var_Out: line (line %3) names %1. Check the line "
            "for a missing or an extra value."),
        2 },
    { ErrorCode::ImportIccidPaddingRemoved, "import.iccid-padding-removed",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The ICCID %1 ends in F padding, the way it is stored on the card; SimDesk removed the "
            "padding: %2.") },
    { ErrorCode::ImportColumnHoldsSecrets, "import.column-holds-secrets",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The column “%1” holds secrets (PIN, PUK or key material) and cannot be imported as "
            "%2, which every SimDesk user can see. Map it to PIN or PUK, or ignore it.") },
    { ErrorCode::TransitionNotAllowed, "lifecycle.not-allowed",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "SIM card %1 is %2: “%3” is not possible from that status. Refresh to see its current "
            "state; allowed actions are %4.") },
    { ErrorCode::StaleVersion, "lifecycle.stale",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "%1 was changed by %2 at %3 after you opened it. Nothing was changed; look at the new "
            "state and try again.") },
    { ErrorCode::CustomerRequired, "lifecycle.customer-required",
        QT_TRANSLATE_NOOP(
            "simdesk::Error", "“%1” needs a customer. Choose the customer the SIM card is for.") },
    { ErrorCode::TariffRequired, "lifecycle.tariff-required",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "“%1” needs a tariff plan. Choose the tariff plan of the SIM card.") },
    { ErrorCode::ReasonRequired, "lifecycle.reason-required",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "“%1” needs a reason. Write a short reason; it is kept in the card's history.") },
    { ErrorCode::TariffTypeMismatch, "lifecycle.tariff-type",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Tariff plan “%1” is for %2 cards, but SIM card %3 is %4. Choose a tariff plan for "
            "this type of card.") },
    { ErrorCode::TariffInactive, "lifecycle.tariff-inactive",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Tariff plan “%1” is no longer offered. Choose an active tariff plan.") },
    { ErrorCode::ActivationCodeUnknown, "code.unknown",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "There is no activation code “%1”. Check the code with the customer.") },
    { ErrorCode::ActivationCodeUsed, "code.used",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Activation code “%1” was already used on %2. Each code activates one card; ask the "
            "customer for a new code.") },
    { ErrorCode::ActivationCodeExpired, "code.expired",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Activation code “%1” expired on %2. Ask the customer for a new code.") },
    { ErrorCode::SwapSameCard, "swap.same-card",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "This is the card being replaced: a card cannot be swapped with "
            "itself. Scan or choose the new SIM card.") },
    { ErrorCode::SwapTargetNotAvailable, "swap.target-not-available",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The new SIM card %1 is %2. A swap needs a new card that is available or reserved for "
            "the same customer.") },
    { ErrorCode::SwapTargetReservedForOther, "swap.target-reserved",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The new SIM card %1 is reserved for another customer. Choose a card that is available "
            "or reserved for this customer, or release that reservation first.") },
    { ErrorCode::SwapSourceNotSwappable, "swap.source",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "SIM card %1 is %2. Only an active, suspended or lost/stolen card can be swapped.") },
    { ErrorCode::CardInUse, "card.in-use",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "SIM card %1 has been used and cannot be deleted. Terminate it instead; its history "
            "stays.") },
    { ErrorCode::CustomerInUse, "customer.in-use",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Customer %1 has SIM cards or appears in their history and cannot be deleted. Edit the "
            "record instead.") },
    { ErrorCode::CustomerCardsInUse, "customer.cards-in-use",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Customer %1 still has %2 reserved, active or suspended SIM card(s). Release or "
            "terminate them first; then the customer can be anonymised.") },
    { ErrorCode::CustomerAnonymised, "customer.anonymised",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Customer %1 has been anonymised: their personal data is gone and no SIM card can be "
            "reserved or activated for them. Create a new customer instead.") },
    { ErrorCode::CodeBatchInvalid, "codes.batch-invalid",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "A batch of activation codes needs a label, 1 to 100,000 codes of 6 to 24 "
            "characters, a prefix of at most 8 letters or digits, and an expiry date in the "
            "future.") },
    { ErrorCode::CodeBatchUnknown, "codes.batch-unknown",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "There is no batch of activation codes %1; it may have been removed. Reload the "
            "list.") },
    { ErrorCode::CodeBatchNothingToExpire, "codes.batch-nothing-to-expire",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Batch “%1” has no unused code left: every code of it is used or expired already. "
            "Nothing needs to be done.") },
    { ErrorCode::CodeReasonRequired, "codes.reason-required",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "Closing activation codes needs a reason. Write a short reason; it is kept in the "
            "audit log.") },
    { ErrorCode::NewCardNotAvailable, "card.new-not-available",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "A new SIM card starts as available. Create it, then use the lifecycle actions.") },
    { ErrorCode::FieldRequired, "field.required",
        QT_TRANSLATE_NOOP("simdesk::Error", "%1 is required. Fill it in and try again.") },
    { ErrorCode::StaffLoginInvalid, "staff.login-invalid",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "“%1” is not a valid login name. Use lower-case letters, digits, dot, dash and "
            "underscore, starting with a letter (not “simdesk_” or “pg_”).") },
    { ErrorCode::StaffPasswordTooShort, "staff.password-short",
        QT_TRANSLATE_N_NOOP("simdesk::Error", "The password has %n character(s). Use at least %2."),
        1 },
    { ErrorCode::RoleUnknown, "staff.role-unknown",
        QT_TRANSLATE_NOOP(
            "simdesk::Error", "“%1” is not a SimDesk role. Use viewer, support or admin.") },
    { ErrorCode::LastActiveAdmin, "staff.last-admin",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "This would leave SimDesk without an active administrator. Make someone else "
            "administrator first.") },
    { ErrorCode::SecretsReadRefused, "sim.secrets-read-refused",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The PIN and PUK could not be read: the reveal request is unknown, used, older than a "
            "minute, or was not committed first. Reveal them again.") },
    { ErrorCode::PasswordHasNul, "password.nul",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The password contains a NUL character, which PostgreSQL cannot store. Choose "
            "another password.") },
    { ErrorCode::StaffOwnLogin, "staff.own-login",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "You are signed in as %1: you cannot disable that login or end its sessions from "
            "here. Sign out instead, or ask another administrator.") },
    { ErrorCode::PasswordsDiffer, "password.differ",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The two new passwords are not the same. Type the new password twice.") },
    { ErrorCode::CurrentPasswordWrong, "password.current-wrong",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The current password is not right. Type the password you signed in with.") },
    { ErrorCode::SwapSourceSwappedOut, "swap.source-swapped-out",
        QT_TRANSLATE_NOOP("simdesk::Error",
            "The old SIM card was swapped out already: its number and customer are on another card "
            "now. Swap that card instead, or terminate this one.") },
};

const Entry *find(ErrorCode code)
{
    for (const Entry &e : kCatalogue) {
        if (e.code == code)
            return &e;
    }
    return nullptr;
}

} // namespace

// English plural forms ("1 digit", "3 digits") come from a translation like any other
// language's (translations/simdesk_en.ts, compiled into core). Installed as soon as the
// application object exists, so every program and test that uses core gets them; a translator
// installed later (the user's language) is asked first.
static void installPluralForms()
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(QStringLiteral(":/i18n/simdesk_en.qm")))
        QCoreApplication::installTranslator(translator);
    else
        delete translator;
}
Q_COREAPP_STARTUP_FUNCTION(installPluralForms)

QString Error::message() const
{
    const Entry *e = find(code);
    if (!e)
        return tr("Unexpected error %1.").arg(int(code));
    // One pass over the text, so that a value that itself contains "%2" stays as it is. The
    // count, if any, is filled in by the translation (%n), which also picks its plural form.
    int n = -1;
    if (e->plural > 0) {
        bool ok = false;
        n = args.value(e->plural - 1).toInt(&ok);
        if (!ok)
            n = -1;
    }
    const QString text
        = n >= 0 ? QCoreApplication::translate("simdesk::Error", e->text, nullptr, n) : tr(e->text);
    QString out;
    out.reserve(text.size() + 32);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        // A count that is not a number (it should not happen) is shown as it was given.
        if (c == QLatin1Char('%') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('n')
            && e->plural > 0) {
            out += args.value(e->plural - 1);
            ++i;
            continue;
        }
        if (c == QLatin1Char('%') && i + 1 < text.size() && text.at(i + 1).isDigit()) {
            const int n = text.at(i + 1).digitValue();
            if (n >= 1 && n <= args.size()) {
                out += args.at(n - 1);
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

QString Error::fullMessage() const
{
    return detail.isEmpty() ? message() : message() + QLatin1Char('\n') + detail;
}

QString Error::key() const
{
    const Entry *e = find(code);
    return e ? QString::fromLatin1(e->key) : QString::number(int(code));
}

} // namespace simdesk
