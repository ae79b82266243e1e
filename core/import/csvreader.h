// SPDX-License-Identifier: MIT
#pragma once

#include "import/simrecordreader.h"

#include <QHash>
#include <QIODevice>
#include <QList>
#include <QStringList>

#include <memory>

namespace simdesk {

// A streaming RFC 4180 reader for SIM card lists, built on libcsv's tokenizer:
//  * quoted fields with embedded delimiters, doubled quotes and line breaks; CRLF or LF;
//  * UTF-8 with or without BOM; a UTF-16/UTF-32 BOM, invalid UTF-8 or NUL bytes are refused with
//    the line number;
//  * the delimiter is detected from the header line among , ; TAB | (the one that splits it
//    into the most fields, outside quotes);
//  * the header is matched case-insensitively with common aliases (kAliases in csvreader.cpp):
//    iccid/icc_id/icc-id, msisdn/phone_number/phone/mobile, imsi, pin/pin1, puk/puk1,
//    type/sim_type; other columns are ignored with an ImportUnknownColumn warning;
//  * memory stays bounded: the device is read in blocks, rows are handed out one by one, and no
//    line may exceed kMaxLineLength characters (ImportLineTooLong).
// Line numbers are physical, 1-based lines of the file (blank lines and line breaks inside quoted
// fields count), so a problem's line is where an editor shows it.
class CsvReader : public SimRecordReader
{
public:
    static constexpr qsizetype kMaxLineLength = 1024 * 1024;

    // Reads from `device` (open for reading; not owned).
    explicit CsvReader(QIODevice *device);
    ~CsvReader() override;

    Status open() override;
    bool next(SimRecord &record) override;
    std::optional<Error> error() const override;
    QList<ImportIssue> warnings() const override;
    QStringList columns() const override;
    qint64 bytesRead() const override;
    QString format() const override { return QStringLiteral("csv"); }

    // The detected delimiter (after open(), also when it failed on the header's columns).
    QChar delimiter() const;

    // Header names as written in the file (trimmed, compared case-insensitively) → field
    // ("iccid", "msisdn", "imsi", "pin", "puk", "type"), tried before the aliases; an empty field
    // ignores the column without a warning, an unknown field is dropped. Call before open().
    void setColumnMapping(const QHash<QString, QString> &mapping);
    // The header's names as written, trimmed (after open(), also when it failed on them).
    QStringList headerNames() const;
    // The field a header name matches by the aliases, or empty (the import wizard's auto-match).
    static QString fieldForHeader(const QString &name);
    // Whether a header's name says its column holds a secret: one of its words (runs of ASCII
    // letters and digits) is PIN, PUK, CHV, ADM, KI, EKI, OPC, OP, KIC, KID or KIK, with or
    // without a number after it ("PIN2", "ADM_code", "Code ADM"). The same rule as
    // simdesk_secret_header() in sql/011_hardening.sql (tests/db/tst_importprofiles compares).
    static bool isSecretHeader(QStringView name);
    // A column may be imported as `field` ("iccid", …; empty: ignored): a secret column only as
    // "pin", "puk" or nothing, since every other field is shown to every SimDesk user.
    // ImportColumnHoldsSecrets otherwise. Asked by open() for every mapped column and by
    // ImportProfileRepository::save(); the database refuses such a profile itself (SD023).
    static Status checkMapping(const QString &header, const QString &field);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace simdesk
