// SPDX-License-Identifier: MIT
#pragma once

#include "import/simrecordreader.h"

#include <QIODevice>

#include <memory>
#include <optional>

namespace simdesk {

// Reads a SIM vendor "output file" (see ../shared/samples/vendor-batch.out):
//
//   File Name             : S2026110400012.i01
//   Quantity              : 12 ( 1 / 1 )
//   Local IMSI From       : 262019900000101   To : 262019900000112
//   SERIAL NUMBER/ICC-ID  : 894902990000000100   To : 894902990000000111
//   …
//   var_out:IMSI EKI ICCID PIN1 PUK1 PIN2 PUK2 ADM_code
//   262019900000101 A4C1… 894902990000000100 8711 57390467 5146 62492024 36B3216F
//
// A header of "key : value" lines (keys compared case-insensitively; "From … To : …" ranges on
// one line; at most 1,000 of them), then a var_out: line naming the columns — separated by "/",
// when it has any, so that a name may hold spaces ("Code Retailer/Code ADM"), else by white
// space — then one row per card, fields separated by white space. A "key: value" line after
// var_out: ("FORMAT_OUT: …") belongs to the header, not to the cards. A var_In: line and its
// values before any var_out: mark the file sent to the vendor, and are refused as such; a key one
// or two letters off "Quantity" is named as its misspelling.
// Only ICCID, IMSI, PIN1 and PUK1 are taken; key material (EKI, KI, OPC, ADM codes, …) is never
// kept in memory beyond the line being split. The vendor's ICCIDs normally lack the check digit
// (completesIccids()). At the end the number of rows must equal the header's Quantity, else
// error() is ImportQuantityMismatch. The file has no SIM type: the importer takes it from the
// user. Lines are limited to CsvReader::kMaxLineLength like CSV files.
class VendorFileReader : public SimRecordReader
{
public:
    explicit VendorFileReader(QIODevice *device);
    ~VendorFileReader() override;

    // True when `head` (the first bytes of a file) looks like a vendor output file: a
    // "key : value" first line and a var_out: line. Used to pick the reader for a file.
    static bool looksLikeVendorFile(const QByteArray &head);

    Status open() override;
    bool next(SimRecord &record) override;
    std::optional<Error> error() const override;
    QList<ImportIssue> warnings() const override;
    QStringList columns() const override;
    qint64 bytesRead() const override;
    QString format() const override { return QStringLiteral("vendor-out"); }
    bool completesIccids() const override { return true; }

    // The header's Quantity (after open()).
    std::optional<qint64> declaredQuantity() const;
    // Every header line, key → value, as written in the file (e.g. "File Name" →
    // "S2026110400012.i01"). Quantity is the number of cards in this file (of a multi-part
    // delivery, "( 1 / 3 )", this part).
    QList<QPair<QString, QString>> header() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace simdesk
