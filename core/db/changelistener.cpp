// SPDX-License-Identifier: MIT
#include "db/changelistener.h"

#include "db/database.h"
#include "db/sqlquery.h"

#include <QHash>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QSqlDriver>
#include <QTimer>

#include <libpq-fe.h>

#include <algorithm>
#include <utility>

namespace simdesk {

namespace {

Q_LOGGING_CATEGORY(lcListener, "simdesk.db.listener")

constexpr std::chrono::milliseconds kStatusCheckInterval { 250 };

// libpq prints what the server says outside a statement ("FATAL: terminating connection due to
// administrator command") to stderr; the listener's outages are reported by signals instead.
void logNotice(void *, const char *message)
{
    qCInfo(lcListener, "%s", QByteArray(message).trimmed().constData());
}

// The listener shows up under its own name in pg_stat_activity, unless the session names one.
ConnectionSettings listenerSettings(ConnectionSettings settings)
{
    const QStringList items = settings.options.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    const bool named = std::any_of(items.begin(), items.end(), [](const QString &item) {
        return item.trimmed().startsWith(QLatin1String("application_name="));
    });
    if (!named) {
        if (!settings.options.isEmpty())
            settings.options += QLatin1Char(';');
        settings.options += QStringLiteral("application_name=simdesk-listener");
    }
    return settings;
}

// libpq's last words on a connection, also once it has gone bad (Database::pgconn() then
// returns nullptr).
QString libpqMessage(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    const char *type = handle.typeName();
    if (!handle.isValid() || !type
        || (qstrcmp(type, "pg_conn*") != 0 && qstrcmp(type, "PGconn*") != 0))
        return {};
    PGconn *conn = *static_cast<PGconn *const *>(handle.data());
    return conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : QString();
}

} // namespace

// Everything that touches the connection; lives in ChangeListener::m_thread. It reports to the
// owner only by posting functors to it, so every signal is emitted in the owner's thread and
// the owner's members are only ever touched there.
class ChangeListenerWorker : public QObject
{
    Q_OBJECT

public:
    ChangeListenerWorker(ChangeListener *owner, ConnectionSettings settings,
        ChangeListener::Options options, std::shared_ptr<const SessionRegistry> ownSessions)
        : m_owner(owner)
        , m_settings(std::move(settings))
        , m_options(options)
        , m_ownSessions(std::move(ownSessions))
        , m_heartbeat(new QTimer(this))
        , m_retry(new QTimer(this))
        , m_coalesce(new QTimer(this))
        , m_statusCheck(new QTimer(this))
    {
        m_heartbeat->setInterval(m_options.heartbeatInterval);
        // When the server ends the session (pg_terminate_backend, shutdown, idle timeout) QPSQL
        // reads the goodbye on its notification socket and says nothing; the libpq status then
        // reads bad. Looking at it costs no round trip, so it is done often.
        m_statusCheck->setInterval(std::min(kStatusCheckInterval, m_options.heartbeatInterval));
        m_retry->setSingleShot(true);
        // A fixed window from the first notification, not a debounce: a steady stream of changes
        // still reaches the screen every window.
        m_coalesce->setSingleShot(true);
        m_coalesce->setInterval(m_options.coalesceWindow);
        connect(m_heartbeat, &QTimer::timeout, this, &ChangeListenerWorker::heartbeat);
        connect(m_statusCheck, &QTimer::timeout, this, &ChangeListenerWorker::checkAlive);
        connect(m_retry, &QTimer::timeout, this, &ChangeListenerWorker::attempt);
        connect(m_coalesce, &QTimer::timeout, this, &ChangeListenerWorker::flush);
        m_backoff = m_options.initialBackoff;
    }

    // Both run in the worker thread.
    void attempt();
    void shutdown();

private:
    void heartbeat();
    void checkAlive();
    void fail(const Error &error);
    void closeConnection();
    void readSocket();
    void take(qint64 senderPid, const QString &payload);
    void takeRecord(qint64 senderPid, const QString &payload);
    void drainQueuedNotifications();
    void flush();

    template<typename F> void post(F &&f)
    {
        QMetaObject::invokeMethod(m_owner, std::forward<F>(f), Qt::QueuedConnection);
    }

    ChangeListener *const m_owner;
    const ConnectionSettings m_settings;
    const ChangeListener::Options m_options;
    const std::shared_ptr<const SessionRegistry> m_ownSessions;
    QTimer *const m_heartbeat;
    QTimer *const m_retry;
    QTimer *const m_coalesce;
    QTimer *const m_statusCheck;

    QString m_connectionName;
    QSqlDatabase m_db;
    QSocketNotifier *m_socket = nullptr; // the connection's socket: a notification to read
    std::chrono::milliseconds m_backoff;
    bool m_outage = false; // connectionLost() sent, reconnected() not yet
    bool m_stopping = false;

    QSet<qint64> m_ids;
    bool m_everything = false;
    bool m_cardsPending = false;
    // Other kinds of record (NOTIFY record_changed '<kind>:<id>'), by kind.
    struct Records
    {
        QSet<qint64> ids;
        bool everything = false;
    };
    QHash<QString, Records> m_records;
};

void ChangeListenerWorker::attempt()
{
    if (m_stopping)
        return;
    m_connectionName = Database::uniqueName(QStringLiteral("simdesk-listener"));
    Result<QSqlDatabase> db = Database::open(m_settings, m_connectionName);
    if (!db) {
        m_connectionName.clear(); // open() leaves no registration behind
        fail(db.error());
        return;
    }
    m_db = *db;
    // LISTEN and the notifications through libpq itself, not QPSQL's subscription: only libpq
    // says which server process sent a notification, and this window's own changes (sent by
    // its own connections) are shown already and must not be reloaded twice.
    if (const Result<QueryResult> listen
        = runQuery(m_db, QStringLiteral("LISTEN %1").arg(ChangeListener::channel()));
        !listen) {
        fail(listen.error());
        return;
    }
    if (const Result<QueryResult> listen
        = runQuery(m_db, QStringLiteral("LISTEN %1").arg(ChangeListener::recordChannel()));
        !listen) {
        fail(listen.error());
        return;
    }
    PGconn *conn = Database::pgconn(m_db);
    m_socket = new QSocketNotifier(PQsocket(conn), QSocketNotifier::Read, this);
    connect(m_socket, &QSocketNotifier::activated, this, &ChangeListenerWorker::readSocket);
    PQsetNoticeProcessor(conn, &logNotice, nullptr);
    const qint64 pid = PQbackendPID(conn);
    m_backoff = m_options.initialBackoff;
    m_heartbeat->start();
    m_statusCheck->start();
    const bool wasOut = std::exchange(m_outage, false);
    post([owner = m_owner, pid, wasOut] {
        owner->m_backendPid = pid;
        owner->setState(ChangeListener::State::Live);
        if (wasOut)
            emit owner->reconnected();
    });
}

void ChangeListenerWorker::heartbeat()
{
    if (m_connectionName.isEmpty())
        return;
    // QPSQL notices nothing while it only waits for notifications: a server that ended the
    // session leaves the libpq connection bad (QPSQL's isOpen() false) without a signal, and a
    // dead link is only found by a statement (which fails once keepalives/tcp_user_timeout give
    // up on it).
    if (!m_db.isOpen()) {
        checkAlive();
        return;
    }
    const Result<QueryResult> r = runQuery(m_db, QStringLiteral("SELECT 1"));
    if (!r) {
        fail(r.error());
        return;
    }
    drainQueuedNotifications();
}

void ChangeListenerWorker::checkAlive()
{
    if (!m_connectionName.isEmpty() && !m_db.isOpen())
        fail(Error(ErrorCode::ConnectionLost, {}, libpqMessage(m_db)));
}

// Notifications that arrive while a statement runs are read off the socket by libpq and queued
// there; after runQuery() and whenever the socket has data, the queue is read here.
void ChangeListenerWorker::drainQueuedNotifications()
{
    PGconn *conn = Database::pgconn(m_db);
    if (!conn)
        return;
    while (PGnotify *n = PQnotifies(conn)) {
        if (QString::fromUtf8(n->relname) == ChangeListener::channel())
            take(n->be_pid, QString::fromUtf8(n->extra));
        else if (QString::fromUtf8(n->relname) == ChangeListener::recordChannel())
            takeRecord(n->be_pid, QString::fromUtf8(n->extra));
        PQfreemem(n);
    }
}

void ChangeListenerWorker::readSocket()
{
    PGconn *conn = Database::pgconn(m_db);
    // A socket that is readable but yields nothing is a connection the server closed.
    if (!conn || PQconsumeInput(conn) == 0 || PQstatus(conn) == CONNECTION_BAD) {
        fail(Error(ErrorCode::ConnectionLost, {},
            conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : libpqMessage(m_db)));
        return;
    }
    drainQueuedNotifications();
}

void ChangeListenerWorker::fail(const Error &error)
{
    closeConnection();
    // What was collected is moot: after the outage the caller reloads everything.
    m_coalesce->stop();
    m_ids.clear();
    m_everything = false;
    m_cardsPending = false;
    m_records.clear();
    if (m_stopping)
        return;

    const auto delay = m_backoff;
    const int jitter = int(QRandomGenerator::global()->bounded(qint64(delay.count()) / 5 + 1));
    const int retryInMs = int(delay.count()) + jitter;
    m_backoff = std::min(m_backoff * 2, m_options.maxBackoff);
    m_retry->start(retryInMs);

    const bool first = !std::exchange(m_outage, true);
    post([owner = m_owner, error, first, retryInMs] {
        owner->m_backendPid = 0;
        if (first) {
            owner->setState(ChangeListener::State::Reconnecting);
            emit owner->connectionLost(error);
        } else {
            emit owner->reconnectFailed(error, retryInMs);
        }
    });
}

void ChangeListenerWorker::closeConnection()
{
    m_heartbeat->stop();
    m_statusCheck->stop();
    delete m_socket; // before the socket it watches is closed
    m_socket = nullptr;
    if (m_connectionName.isEmpty())
        return;
    m_db = QSqlDatabase(); // no handle may stay behind when the name is removed
    Database::close(m_connectionName);
    m_connectionName.clear();
}

void ChangeListenerWorker::shutdown()
{
    m_stopping = true;
    m_retry->stop();
    m_coalesce->stop();
    closeConnection();
    thread()->quit();
}

void ChangeListenerWorker::take(qint64 senderPid, const QString &payload)
{
    // This window's own change: it has shown it already.
    if (m_ownSessions && m_ownSessions->contains(senderPid))
        return;
    m_cardsPending = true;
    if (!m_everything) {
        const qsizetype colon = payload.indexOf(QLatin1Char(':'));
        bool ok = false;
        const qint64 id = colon > 0 ? payload.left(colon).toLongLong(&ok) : 0;
        // "*:N" (a statement touched more than 100 cards) or something unreadable.
        if (!ok) {
            m_everything = true;
        } else {
            m_ids.insert(id);
            m_everything = m_ids.size() > m_options.everythingThreshold;
        }
        if (m_everything)
            m_ids.clear();
    }
    if (!m_coalesce->isActive())
        m_coalesce->start();
}

void ChangeListenerWorker::takeRecord(qint64 senderPid, const QString &payload)
{
    if (m_ownSessions && m_ownSessions->contains(senderPid))
        return;
    const qsizetype colon = payload.indexOf(QLatin1Char(':'));
    // Without a kind there is nobody to tell; a payload is only a hint anyway.
    if (colon <= 0)
        return;
    Records &r = m_records[payload.left(colon)];
    if (!r.everything) {
        bool ok = false;
        const qint64 id = payload.mid(colon + 1).toLongLong(&ok);
        if (ok)
            r.ids.insert(id);
        // "<kind>:*" (a statement touched more than 100 rows) or an unreadable id.
        r.everything = !ok || r.ids.size() > m_options.everythingThreshold;
        if (r.everything)
            r.ids.clear();
    }
    if (!m_coalesce->isActive())
        m_coalesce->start();
}

void ChangeListenerWorker::flush()
{
    if (std::exchange(m_cardsPending, false)) {
        post([owner = m_owner, ids = std::exchange(m_ids, {}), everything = m_everything] {
            emit owner->cardsChanged(ids, everything);
        });
    }
    m_everything = false;
    for (auto it = m_records.cbegin(); it != m_records.cend(); ++it) {
        post([owner = m_owner, kind = it.key(), r = it.value()] {
            emit owner->recordsChanged(kind, r.ids, r.everything);
        });
    }
    m_records.clear();
}

ChangeListener::ChangeListener(const ConnectionSettings &settings, QObject *parent)
    : ChangeListener(settings, Options(), {}, parent)
{ }

ChangeListener::ChangeListener(const ConnectionSettings &settings, const Options &options,
    std::shared_ptr<const SessionRegistry> ownSessions, QObject *parent)
    : QObject(parent)
    , m_worker(new ChangeListenerWorker(
          this, listenerSettings(settings), options, std::move(ownSessions)))
{
    m_thread.setObjectName(QStringLiteral("simdesk-listener"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
}

ChangeListener::~ChangeListener()
{
    if (m_started) {
        // Queued behind whatever the worker is doing; a pending retry timer is simply stopped.
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker] { w->shutdown(); }, Qt::QueuedConnection);
        m_thread.wait();
    } else {
        delete m_worker; // never started: it has no connection and no running timer
    }
}

void ChangeListener::start()
{
    if (m_started)
        return;
    m_started = true;
    setState(State::Connecting);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->attempt(); }, Qt::QueuedConnection);
}

QString ChangeListener::channel()
{
    return QStringLiteral("sim_changed");
}

QString ChangeListener::recordChannel()
{
    return QStringLiteral("record_changed");
}

void ChangeListener::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace simdesk

#include "changelistener.moc"
