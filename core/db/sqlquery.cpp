// SPDX-License-Identifier: MIT
#include "db/sqlquery.h"

#include "db/database.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QSqlError>
#include <QTimeZone>

#include <libpq-fe.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace simdesk {

namespace {

// Built-in type oids (pg_type.dat); stable across server versions.
enum : Oid {
    kBoolOid = 16,
    kInt8Oid = 20,
    kInt2Oid = 21,
    kInt4Oid = 23,
    kFloat4Oid = 700,
    kFloat8Oid = 701,
    kDateOid = 1082,
    kTimestampOid = 1114,
    kTimestampTzOid = 1184,
    kNumericOid = 1700,
};

QString tr(const char *text)
{
    return QCoreApplication::translate("simdesk::SqlQuery", text);
}

Error refused(const QString &why)
{
    return Error(ErrorCode::InvalidArgument, { why });
}

// One element of an array literal: "…" with " and \ escaped, so commas, braces, quotes, spaces
// and the word NULL inside a value stay data.
QByteArray arrayElement(const QString &text)
{
    QByteArray out = "\"";
    for (const char c : text.toUtf8()) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

// A parameter's text form; std::nullopt: SQL NULL.
using ParameterText = std::optional<QByteArray>;

// `where` names the parameter in a refusal ("value $3").
Result<ParameterText> doubleText(double d, const QString &where)
{
    if (!std::isfinite(d))
        return refused(tr("%1 is not a finite number").arg(where));
    return ParameterText(QByteArray::number(d, 'g', QLocale::FloatingPointShortest));
}

Result<ParameterText> stringText(const QString &s, const QString &where)
{
    if (s.contains(QChar(0)))
        return refused(tr("%1 contains a NUL character").arg(where));
    return ParameterText(s.toUtf8());
}

Result<ParameterText> bytesText(const QByteArray &b, const QString &where)
{
    if (b.contains('\0'))
        return refused(tr("%1 contains a NUL character").arg(where));
    return ParameterText(b);
}

// An invalid date or time is NULL.
Result<ParameterText> dateText(const QDate &d, const QString &where)
{
    if (!d.isValid())
        return ParameterText();
    const QString s = d.toString(Qt::ISODate);
    if (s.isEmpty())
        return refused(tr("%1 is a date outside the years 0–9999").arg(where));
    return ParameterText(s.toLatin1());
}

Result<ParameterText> dateTimeText(const QDateTime &t, const QString &where)
{
    if (!t.isValid())
        return ParameterText();
    // UTC with a "Z": one instant whatever the session's TimeZone setting is.
    const QString s = t.toUTC().toString(Qt::ISODateWithMs);
    if (s.isEmpty())
        return refused(tr("%1 is a time outside the years 0–9999").arg(where));
    return ParameterText(s.toLatin1());
}

// An array literal; a null QString is a NULL element.
Result<ParameterText> stringArrayText(const QStringList &list, const QString &where)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            out += ',';
        if (list.at(i).isNull()) {
            out += "NULL";
            continue;
        }
        if (list.at(i).contains(QChar(0)))
            return refused(tr("%1 (element %2) contains a NUL character").arg(where).arg(i + 1));
        out += arrayElement(list.at(i));
    }
    out += '}';
    return ParameterText(out);
}

template<typename List> ParameterText numberArrayText(const List &list)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i > 0)
            out += ',';
        out += QByteArray::number(list.at(i));
    }
    out += '}';
    return out;
}

// The text form of one parameter, or the reason it cannot be sent.
Result<ParameterText> parameterText(const QVariant &v, int position)
{
    if (!v.isValid() || v.isNull())
        return ParameterText();
    const QString where = tr("value $%1").arg(position);
    switch (v.metaType().id()) {
    case QMetaType::Bool:
        return ParameterText(QByteArray(v.toBool() ? "true" : "false"));
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::Long:
    case QMetaType::LongLong:
        return ParameterText(QByteArray::number(v.toLongLong()));
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
        return ParameterText(QByteArray::number(v.toULongLong()));
    case QMetaType::Double:
    case QMetaType::Float:
        return doubleText(v.toDouble(), where);
    case QMetaType::QString:
        return stringText(v.toString(), where);
    case QMetaType::QByteArray:
        return bytesText(v.toByteArray(), where);
    case QMetaType::QDate:
        return dateText(v.toDate(), where);
    case QMetaType::QDateTime:
        return dateTimeText(v.toDateTime(), where);
    case QMetaType::QStringList:
        return stringArrayText(v.toStringList(), where);
    default:
        break;
    }
    if (v.metaType() == QMetaType::fromType<QList<qint64>>())
        return numberArrayText(v.value<QList<qint64>>());
    if (v.metaType() == QMetaType::fromType<QList<int>>())
        return numberArrayText(v.value<QList<int>>());
    // Guessing a text form for other types is how values ended up pasted unquoted before.
    return refused(tr("%1 has a type that cannot be sent to the database (%2)")
                       .arg(where, QString::fromLatin1(v.metaType().name())));
}

// PostgreSQL's ISO output ("2024-03-01 12:34:56.123456+01", "+05:30", no offset for
// timestamp without time zone); QPSQL sets DateStyle ISO on every connection.
QDateTime parseTimestamp(const QByteArray &text)
{
    static const QRegularExpression iso(
        QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?"
                       "(?:([+-])(\\d{2})(?::?(\\d{2}))?(?::?(\\d{2}))?)?$"));
    const QRegularExpressionMatch m = iso.match(QString::fromLatin1(text));
    if (!m.hasMatch())
        return {}; // infinity, -infinity, BC dates, years past 9999: nothing QDateTime holds
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    // QDateTime holds milliseconds: the fraction is cut there, never rounded up into the next
    // second.
    const int ms = (m.captured(7) + QStringLiteral("000")).left(3).toInt();
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), ms);
    if (m.captured(8).isEmpty())
        return QDateTime(date, time, Qt::LocalTime);
    int offset
        = m.captured(9).toInt() * 3600 + m.captured(10).toInt() * 60 + m.captured(11).toInt();
    if (m.captured(8) == QLatin1String("-"))
        offset = -offset;
    return QDateTime(date, time, Qt::OffsetFromUTC, offset).toLocalTime();
}

QVariant nullOf(Oid type)
{
    switch (type) {
    case kBoolOid:
        return QVariant(QMetaType::fromType<bool>());
    case kInt2Oid:
    case kInt4Oid:
        return QVariant(QMetaType::fromType<int>());
    case kInt8Oid:
        return QVariant(QMetaType::fromType<qlonglong>());
    case kFloat4Oid:
    case kFloat8Oid:
        return QVariant(QMetaType::fromType<double>());
    case kDateOid:
        return QVariant(QMetaType::fromType<QDate>());
    case kTimestampOid:
    case kTimestampTzOid:
        return QVariant(QMetaType::fromType<QDateTime>());
    default:
        return QVariant(QMetaType::fromType<QString>());
    }
}

QVariant valueOf(Oid type, const QByteArray &text)
{
    switch (type) {
    case kBoolOid:
        return text == "t";
    case kInt2Oid:
    case kInt4Oid:
        return text.toInt();
    case kInt8Oid:
        return text.toLongLong();
    case kFloat4Oid:
    case kFloat8Oid:
        if (text == "NaN")
            return std::nan("");
        if (text == "Infinity")
            return HUGE_VAL;
        if (text == "-Infinity")
            return -HUGE_VAL;
        return text.toDouble();
    case kDateOid:
        return QDate::fromString(QString::fromLatin1(text), Qt::ISODate);
    case kTimestampOid:
    case kTimestampTzOid:
        return parseTimestamp(text);
    default: // numeric stays text, so 0.1 is 0.1 and not 0.1000000000000000055…
        return QString::fromUtf8(text);
    }
}

} // namespace

QueryResult::QueryResult(pg_result *result)
    : m_result(result)
{ }

QueryResult::~QueryResult()
{
    if (m_result)
        PQclear(m_result);
}

QueryResult::QueryResult(QueryResult &&other) noexcept
    : m_result(std::exchange(other.m_result, nullptr))
    , m_row(std::exchange(other.m_row, -1))
{ }

QueryResult &QueryResult::operator=(QueryResult &&other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
        m_row = std::exchange(other.m_row, -1);
    }
    return *this;
}

bool QueryResult::next()
{
    if (m_row < rowCount())
        ++m_row;
    return m_row < rowCount();
}

bool QueryResult::validCell(int column) const
{
    return m_result && m_row >= 0 && m_row < PQntuples(m_result) && column >= 0
        && column < PQnfields(m_result);
}

QVariant QueryResult::value(int column) const
{
    if (!validCell(column))
        return {};
    const Oid type = PQftype(m_result, column);
    if (PQgetisnull(m_result, m_row, column))
        return nullOf(type);
    return valueOf(type,
        QByteArray::fromRawData(
            PQgetvalue(m_result, m_row, column), PQgetlength(m_result, m_row, column)));
}

bool QueryResult::isNull(int column) const
{
    return !validCell(column) || PQgetisnull(m_result, m_row, column);
}

int QueryResult::rowCount() const
{
    return m_result ? PQntuples(m_result) : 0;
}

int QueryResult::columnCount() const
{
    return m_result ? PQnfields(m_result) : 0;
}

qint64 QueryResult::rowsAffected() const
{
    return m_result ? QByteArray(PQcmdTuples(m_result)).toLongLong() : 0;
}

Result<QueryResult> runQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    PGconn *conn = Database::pgconn(db);
    if (!conn || PQstatus(conn) == CONNECTION_BAD)
        return Error(ErrorCode::ConnectionLost, {},
            conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed()
                 : QStringLiteral("no open PostgreSQL connection"));

    std::vector<QByteArray> texts;
    std::vector<const char *> params;
    texts.reserve(size_t(values.size()));
    params.reserve(size_t(values.size()));
    for (qsizetype i = 0; i < values.size(); ++i) {
        Result<ParameterText> text = parameterText(values.at(i), int(i + 1));
        if (!text)
            return text.error();
        if (*text) {
            texts.push_back(**text);
            params.push_back(texts.back().constData());
        } else {
            params.push_back(nullptr);
        }
    }
    // texts never reallocates after reserve(), so the pointers above stay valid.
    const QByteArray statement = sql.toUtf8();
    if (statement.contains('\0'))
        return refused(tr("the statement contains a NUL character"));
    PGresult *res = PQexecParams(conn, statement.constData(), int(params.size()), nullptr,
        params.data(), nullptr, nullptr, 0);
    const ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (res && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK))
        return QueryResult(res);
    Error error = Database::errorForResult(res, conn);
    if (res) {
        // A statement whose $n count differs from the values is a protocol error (08P01) on a
        // healthy connection: a programming error, not a lost link.
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (PQstatus(conn) == CONNECTION_OK && state && qstrcmp(state, "08P01") == 0)
            error = refused(
                tr("the statement's placeholders do not match its %1 values: %2")
                    .arg(values.size())
                    .arg(QString::fromUtf8(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY))));
        PQclear(res);
    }
    return error;
}

Result<QueryResult> runSingle(
    const QSqlDatabase &db, const QString &sql, const QVariantList &values, const QString &what)
{
    Result<QueryResult> q = runQuery(db, sql, values);
    if (!q)
        return q;
    if (!q.value().next())
        return Error(ErrorCode::NotFound, { what });
    return q;
}

Result<QString> lockAtVersion(const QSqlDatabase &db, const QString &table,
    const QString &nameColumn, qint64 id, int expectedVersion, const QString &labelTemplate)
{
    Result<QueryResult> q = runSingle(db,
        QStringLiteral("SELECT version, %1, updated_at FROM %2 WHERE id = $1 FOR UPDATE")
            .arg(nameColumn, table),
        { id }, labelTemplate.arg(id));
    if (!q)
        return q.error();
    const QString name = q->value(1).toString();
    if (q->value(0).toInt() != expectedVersion)
        return Error(ErrorCode::StaleVersion,
            { labelTemplate.arg(name),
                QCoreApplication::translate("simdesk::Error", "someone else"),
                QLocale().toString(q->value(2).toDateTime().toLocalTime(), QLocale::ShortFormat) });
    return name;
}

QString qualifiedColumns(const QString &columns, const QString &alias)
{
    if (alias.isEmpty())
        return columns;
    QStringList out;
    for (const QString &c : columns.split(QLatin1Char(','))) {
        const QString name = c.trimmed();
        if (!name.isEmpty())
            out << alias + QLatin1Char('.') + name;
    }
    return out.join(QStringLiteral(", "));
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

std::optional<qint64> optionalId(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

std::optional<QDateTime> optionalTime(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toDateTime();
}

Transaction::~Transaction()
{
    if (m_open)
        m_db.rollback();
}

Status Transaction::begin()
{
    if (!m_db.transaction())
        return Database::queryError(m_db.lastError());
    m_open = true;
    return {};
}

Status Transaction::commit()
{
    if (!m_db.commit()) {
        const Error e = Database::queryError(m_db.lastError());
        m_db.rollback();
        m_open = false;
        return e;
    }
    m_open = false;
    return {};
}

Result<double> estimateRows(
    const QSqlDatabase &db, const QString &select, const QVariantList &values)
{
    Result<QueryResult> plan
        = runQuery(db, QStringLiteral("EXPLAIN (FORMAT JSON) ") + select, values);
    if (!plan)
        return plan.error();
    plan.value().next();
    return QJsonDocument::fromJson(plan.value().value(0).toString().toUtf8())
        .array()
        .first()
        .toObject()
        .value(QLatin1String("Plan"))
        .toObject()
        .value(QLatin1String("Plan Rows"))
        .toDouble();
}

Result<BoundedCount> countUpTo(const QSqlDatabase &db, const QString &select, QVariantList values,
    double estimate, qint64 limit)
{
    if (estimate > double(limit))
        return BoundedCount { qint64(estimate), false };
    values << limit + 1;
    Result<QueryResult> q = runQuery(db,
        QStringLiteral("SELECT count(*) FROM (%1 LIMIT $%2) m").arg(select).arg(values.size()),
        values);
    if (!q)
        return q.error();
    q.value().next();
    const qint64 counted = q.value().value(0).toLongLong();
    if (counted > limit)
        return BoundedCount { qint64(std::max(estimate, double(counted))), false };
    return BoundedCount { counted, true };
}

} // namespace simdesk
