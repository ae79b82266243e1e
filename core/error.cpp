// SPDX-License-Identifier: MIT
#include "error.h"

#include <QCoreApplication>

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
    const char *text; // QT_TRANSLATE_NOOP source; %1, %2… are Error::args
};

// The error catalogue: one line per code, each message saying what is wrong and what to do.
constexpr Entry kCatalogue[] = {
    { ErrorCode::IccidEmpty, "iccid.empty",
      QT_TRANSLATE_NOOP("simdesk::Error", "The ICCID is empty. Enter the 19 or 20 digits printed on the card.") },
    { ErrorCode::IccidInvalidCharacter, "iccid.invalid-character",
      QT_TRANSLATE_NOOP("simdesk::Error", "The ICCID contains “%1” at position %2. An ICCID has digits only; spaces and dashes are ignored.") },
    { ErrorCode::IccidWrongLength, "iccid.wrong-length",
      QT_TRANSLATE_NOOP("simdesk::Error", "The ICCID has %1 digits. It must have 19 or 20 digits; check that none are missing or doubled.") },
    { ErrorCode::IccidWrongPrefix, "iccid.wrong-prefix",
      QT_TRANSLATE_NOOP("simdesk::Error", "The ICCID starts with “%1”. Every SIM card ICCID starts with 89 (telecommunications); check that this is the card's ICCID and not another number.") },
    { ErrorCode::IccidMissingCheckDigit, "iccid.missing-check-digit",
      QT_TRANSLATE_NOOP("simdesk::Error", "The ICCID %1 has 18 digits: the check digit is missing. With its check digit it is %2; check the card and enter all digits.") },
    { ErrorCode::IccidBadCheckDigit, "iccid.bad-check-digit",
      QT_TRANSLATE_NOOP("simdesk::Error", "The ICCID %1 ends in %2, but its check digit should be %3. A digit was probably mistyped or misread; check the number on the card.") },
    { ErrorCode::MsisdnEmpty, "msisdn.empty",
      QT_TRANSLATE_NOOP("simdesk::Error", "The phone number is empty. Enter it in international format, e.g. +4915112345678.") },
    { ErrorCode::MsisdnInvalidCharacter, "msisdn.invalid-character",
      QT_TRANSLATE_NOOP("simdesk::Error", "The phone number contains “%1” at position %2. Use digits, with an optional leading + (spaces, dashes, dots and brackets are ignored).") },
    { ErrorCode::MsisdnNationalFormat, "msisdn.national-format",
      QT_TRANSLATE_NOOP("simdesk::Error", "The phone number %1 is in national format. Enter it with its country code, e.g. +49 instead of the leading 0.") },
    { ErrorCode::MsisdnCountryCodeZero, "msisdn.country-code-zero",
      QT_TRANSLATE_NOOP("simdesk::Error", "The phone number %1 has a country code starting with 0, which does not exist. Remove the 0 after the +.") },
    { ErrorCode::MsisdnTooShort, "msisdn.too-short",
      QT_TRANSLATE_NOOP("simdesk::Error", "The phone number %1 has only %2 digits. An international number has at least 7 digits including the country code.") },
    { ErrorCode::MsisdnTooLong, "msisdn.too-long",
      QT_TRANSLATE_NOOP("simdesk::Error", "The phone number %1 has %2 digits. An international (E.164) number has at most 15 digits including the country code.") },
    { ErrorCode::ImsiInvalidCharacter, "imsi.invalid-character",
      QT_TRANSLATE_NOOP("simdesk::Error", "The IMSI contains “%1” at position %2. An IMSI has digits only.") },
    { ErrorCode::ImsiWrongLength, "imsi.wrong-length",
      QT_TRANSLATE_NOOP("simdesk::Error", "The IMSI has %1 digits. It must have 6 to 15 digits; leave it empty if it is not known.") },
    { ErrorCode::PinInvalidCharacter, "pin.invalid-character",
      QT_TRANSLATE_NOOP("simdesk::Error", "The PIN contains “%1”. A PIN has digits only.") },
    { ErrorCode::PinWrongLength, "pin.wrong-length",
      QT_TRANSLATE_NOOP("simdesk::Error", "The PIN has %1 digits. A PIN has 4 to 8 digits.") },
    { ErrorCode::PukInvalidCharacter, "puk.invalid-character",
      QT_TRANSLATE_NOOP("simdesk::Error", "The PUK contains “%1”. A PUK has digits only.") },
    { ErrorCode::PukWrongLength, "puk.wrong-length",
      QT_TRANSLATE_NOOP("simdesk::Error", "The PUK has %1 digits. A PUK has exactly 8 digits.") },
    { ErrorCode::SimTypeUnknown, "sim-type.unknown",
      QT_TRANSLATE_NOOP("simdesk::Error", "“%1” is not a SIM type. Use prepaid, postpaid or data-only.") },
    { ErrorCode::StatusUnknown, "status.unknown",
      QT_TRANSLATE_NOOP("simdesk::Error", "“%1” is not a SIM status. Use AVAILABLE, RESERVED, ACTIVE, SUSPENDED, LOST_STOLEN or TERMINATED.") },
    { ErrorCode::DatabaseDriverMissing, "db.driver-missing",
      QT_TRANSLATE_NOOP("simdesk::Error", "The PostgreSQL driver for Qt is not installed. Install the package libqt6sql6-psql and start SimDesk again.") },
    { ErrorCode::ConnectionFailed, "db.connection-failed",
      QT_TRANSLATE_NOOP("simdesk::Error", "Could not connect to the database %1. Check the server address, user name and password (or PGHOST, PGPORT, PGUSER, PGDATABASE) and that the server is running.") },
    { ErrorCode::ConnectionUrlInvalid, "db.url-invalid",
      QT_TRANSLATE_NOOP("simdesk::Error", "“%1” is not a database address SimDesk understands. Use the form postgresql://user@host:5432/database.") },
    { ErrorCode::QueryFailed, "db.query-failed",
      QT_TRANSLATE_NOOP("simdesk::Error", "The database refused the request (%1). Nothing was changed; try again, and report the details below if it keeps happening.") },
    { ErrorCode::MigrationFailed, "db.migration-failed",
      QT_TRANSLATE_NOOP("simdesk::Error", "Updating the database schema to version %1 (%2) failed and was rolled back; the schema stays at version %3. See the details below.") },
    { ErrorCode::MigrationModified, "db.migration-modified",
      QT_TRANSLATE_NOOP("simdesk::Error", "Schema migration %1 was already applied to this database, but its contents differ from this SimDesk build. Do not edit applied migrations; use a SimDesk build that matches the database.") },
    { ErrorCode::SchemaTooNew, "db.schema-too-new",
      QT_TRANSLATE_NOOP("simdesk::Error", "The database schema is at version %1, newer than this SimDesk understands (%2). Install the newer SimDesk that your colleagues use.") },
    { ErrorCode::SchemaTooOld, "db.schema-too-old",
      QT_TRANSLATE_NOOP("simdesk::Error", "The database schema is at version %1, older than this SimDesk needs (%2). Ask an administrator to run “simdesk-cli migrate”.") },
    { ErrorCode::DemoDataNotEmpty, "demo.not-empty",
      QT_TRANSLATE_NOOP("simdesk::Error", "The database already holds %1 SIM cards. Demo data is only loaded into an empty database; create a new one for the demo.") },
    { ErrorCode::InvalidArgument, "invalid-argument",
      QT_TRANSLATE_NOOP("simdesk::Error", "%1") },
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

QString Error::message() const
{
    const Entry *e = find(code);
    if (!e)
        return tr("Unexpected error %1.").arg(int(code));
    // One pass over the text, so that a value that itself contains "%2" stays as it is.
    const QString text = tr(e->text);
    QString out;
    out.reserve(text.size() + 32);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
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
