// SPDX-License-Identifier: MIT
#pragma once

#include <libpq-fe.h>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTest>

#include <memory>
#include <utility>

class TestDatabase;

// A hostile staff member's psql, for the attacker's tests (tst_hostile, tst_insider): libpq
// connections over TCP with a password, the simple query protocol (several statements in one
// string allowed), and what each attempt did.

// What one query string did: ok, or the first error with its SQLSTATE; the rows of the last
// result that had rows (or the lines of a COPY TO STDOUT).
struct PgOutcome
{
    bool ok = false;
    QString sqlState;
    QString message;
    QList<QStringList> rows;

    QString value(int row = 0, int column = 0) const
    {
        return row < rows.size() && column < rows[row].size() ? rows[row][column] : QString();
    }
    QString describe() const
    {
        return ok
            ? QStringLiteral("SUCCEEDED (%1 rows: %2)")
                  .arg(rows.size())
                  .arg(rows.isEmpty() ? QString() : rows.first().join(QLatin1Char('|')).left(200))
            : QStringLiteral("refused %1: %2").arg(sqlState, message.left(300));
    }
};

// One libpq connection, used the way psql uses it.
class PgSession
{
public:
    explicit PgSession(const QList<std::pair<QByteArray, QByteArray>> &params)
    {
        QList<const char *> keys, values;
        for (const auto &[k, v] : params) {
            keys << k.constData();
            values << v.constData();
        }
        keys << nullptr;
        values << nullptr;
        m_conn = PQconnectdbParams(keys.constData(), values.constData(), 0);
    }
    ~PgSession() { PQfinish(m_conn); }
    PgSession(const PgSession &) = delete;
    PgSession &operator=(const PgSession &) = delete;

    bool isOpen() const { return m_conn && PQstatus(m_conn) == CONNECTION_OK; }
    QString error() const { return QString::fromUtf8(PQerrorMessage(m_conn)).trimmed(); }
    PGconn *conn() const { return m_conn; }

    // PQexec semantics (the simple query protocol; several statements allowed). A COPY FROM
    // STDIN gets `copyIn` as its data.
    PgOutcome exec(const QString &sql, const QByteArray &copyIn = {})
    {
        if (!PQsendQuery(m_conn, sql.toUtf8().constData()))
            return lost();
        return collect(copyIn);
    }
    // Bound parameters (PQexecParams): the checks read hostile values back with these. With
    // `binary`, the values go in binary format, which is how a client would try to send a NUL.
    PgOutcome execParams(const QString &sql, const QList<QByteArray> &values, bool binary = false)
    {
        QList<const char *> ptrs;
        QList<int> lengths, formats;
        for (const QByteArray &v : values) {
            ptrs << (v.isNull() ? nullptr : v.constData());
            lengths << int(v.size());
            formats << (binary ? 1 : 0);
        }
        if (!PQsendQueryParams(m_conn, sql.toUtf8().constData(), int(values.size()), nullptr,
                ptrs.constData(), lengths.constData(), formats.constData(), 0))
            return lost();
        return collect({});
    }
    bool send(const QString &sql) { return PQsendQuery(m_conn, sql.toUtf8().constData()) == 1; }
    // Whether a sent query is still waiting (on a lock, say).
    bool busy()
    {
        PQconsumeInput(m_conn);
        return PQisBusy(m_conn) == 1;
    }
    PgOutcome collect(const QByteArray &copyIn = {})
    {
        PgOutcome out;
        bool failed = false;
        while (PGresult *r = PQgetResult(m_conn)) {
            switch (PQresultStatus(r)) {
            case PGRES_COPY_IN:
                PQputCopyData(m_conn, copyIn.constData(), int(copyIn.size()));
                PQputCopyEnd(m_conn, nullptr);
                break;
            case PGRES_COPY_OUT: {
                out.rows.clear();
                char *buf = nullptr;
                int n = 0;
                while ((n = PQgetCopyData(m_conn, &buf, 0)) > 0) {
                    out.rows << QStringList { QString::fromUtf8(buf, n) };
                    PQfreemem(buf);
                }
                break;
            }
            case PGRES_TUPLES_OK:
                if (!failed) {
                    out.rows.clear();
                    for (int i = 0; i < PQntuples(r); ++i) {
                        QStringList row;
                        for (int c = 0; c < PQnfields(r); ++c)
                            row << (PQgetisnull(r, i, c)
                                    ? QString()
                                    : QString::fromUtf8(PQgetvalue(r, i, c), PQgetlength(r, i, c)));
                        out.rows << row;
                    }
                }
                break;
            case PGRES_COMMAND_OK:
            case PGRES_EMPTY_QUERY:
                break;
            default:
                if (!failed) {
                    failed = true;
                    out.sqlState = QString::fromUtf8(PQresultErrorField(r, PG_DIAG_SQLSTATE));
                    out.message = QString::fromUtf8(PQresultErrorMessage(r)).trimmed();
                }
                break;
            }
            PQclear(r);
        }
        if (PQstatus(m_conn) != CONNECTION_OK && !failed) {
            failed = true;
            out.sqlState = QStringLiteral("08006");
            out.message = error();
        }
        out.ok = !failed;
        return out;
    }
    // Leaves no transaction open (after an error inside BEGIN, or a test's own BEGIN).
    void rollback()
    {
        if (isOpen() && PQtransactionStatus(m_conn) != PQTRANS_IDLE)
            exec(QStringLiteral("ROLLBACK"));
    }
    // A string literal the way psql users write them (PQescapeLiteral: E'' when needed).
    QString literal(const QByteArray &value) const
    {
        char *s = PQescapeLiteral(m_conn, value.constData(), size_t(value.size()));
        const QString l = QString::fromUtf8(s);
        PQfreemem(s);
        return l;
    }

private:
    PgOutcome lost() const
    {
        PgOutcome out;
        out.sqlState = QStringLiteral("08006");
        out.message = error();
        return out;
    }

    PGconn *m_conn = nullptr;
};

// psql over TCP to `tdb`'s database as `login` with `password` (no TLS, application_name psql).
std::unique_ptr<PgSession> pgConnectTcp(
    const TestDatabase &tdb, const QString &login, const QByteArray &password);
// The cluster's superuser over its private socket, for setting up and checking only.
std::unique_ptr<PgSession> pgSuperuser(const TestDatabase &tdb);
// A SCRAM-SHA-256 verifier of `password`, as libpq makes it.
QString pgVerifier(PgSession &session, const QByteArray &password);
// Creates LOGIN `login` with `password` in SimDesk's `group` ("viewer", …) and its staff row,
// as the superuser; false (with a warning) when that fails.
bool pgCreateLogin(
    PgSession &superuser, const QString &login, const QByteArray &password, const QString &group);

inline QByteArray pgAttempt(const QString &what, const QString &outcome)
{
    return QStringLiteral("%1 → %2").arg(what, outcome).toUtf8();
}

// QVERIFY that an attempt was refused, naming what was tried and, when it was not, what it did.
// The attempt runs exactly once (QVERIFY2 evaluates its message too).
#define REFUSED(attempt, what)                                                                     \
    do {                                                                                           \
        const auto &outcome_ = (attempt);                                                          \
        QVERIFY2(!outcome_.ok, pgAttempt(what, outcome_.describe()).constData());                  \
    } while (false)
#define SUCCEEDS(attempt, what)                                                                    \
    do {                                                                                           \
        const auto &outcome_ = (attempt);                                                          \
        QVERIFY2(outcome_.ok, pgAttempt(what, outcome_.describe()).constData());                   \
    } while (false)
