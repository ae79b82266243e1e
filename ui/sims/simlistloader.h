// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "db/workerconnection.h"
#include "domain/error.h"
#include "services/simlistquery.h"

#include <QObject>
#include <QThread>

#include <optional>

namespace simdesk {

// One request of the SIM list model: a block of rows, or the total, of one generation (one
// filter and sort). The anchor says how to reach the block: after/before a known row (keyset),
// or at a position (a jump).
struct SimListRequest
{
    quint64 generation = 0;
    SimListFilter filter;
    SimListSort sort;
    bool wantTotal = false; // the total instead of rows
    int block = 0; // rows block*size … block*size+size-1
    int size = 0;
    std::optional<SimListCursor> after;
    std::optional<SimListCursor> before;
    bool fromEnd = false; // the last rows of the list
    SimListTotal total; // for a jump
};

// The worker of the SIM list: lives on its own thread with its own database connection
// (docs/architecture.md), serves only requests of the newest generation, newest first, and drops
// the others. Created and driven by SimListLoader.
class SimListWorker : public QObject
{
    Q_OBJECT

public:
    explicit SimListWorker(ConnectionSettings settings)
        : m_connection(std::move(settings), QStringLiteral("simdesk-simlist"))
    { }
    ~SimListWorker() override;

public slots:
    void enqueue(const simdesk::SimListRequest &request);

signals:
    void rowsLoaded(
        quint64 generation, int block, const QList<simdesk::SimListRow> &rows, qint64 ms);
    void totalLoaded(quint64 generation, const simdesk::SimListTotal &total, qint64 ms);
    void failed(quint64 generation, const simdesk::Error &error);

private:
    void drain();
    void serve(const SimListRequest &request);
    Result<SimListQuery *> query(quint64 generation);

    WorkerConnection m_connection; // the list's own, kept open between requests
    std::optional<SimListQuery> m_query;
    quint64 m_queryGeneration = 0;
    QList<SimListRequest> m_queue;
    bool m_draining = false;
};

// Owns the worker's thread. Signals arrive in the thread that created the loader.
class SimListLoader : public QObject
{
    Q_OBJECT

public:
    explicit SimListLoader(ConnectionSettings settings, QObject *parent = nullptr);
    ~SimListLoader() override;

    void request(const SimListRequest &request);

signals:
    void rowsLoaded(
        quint64 generation, int block, const QList<simdesk::SimListRow> &rows, qint64 ms);
    void totalLoaded(quint64 generation, const simdesk::SimListTotal &total, qint64 ms);
    void failed(quint64 generation, const simdesk::Error &error);

private:
    QThread m_thread;
    SimListWorker *m_worker;
};

} // namespace simdesk

Q_DECLARE_METATYPE(simdesk::SimListRequest)
Q_DECLARE_METATYPE(simdesk::SimListTotal)
Q_DECLARE_METATYPE(simdesk::Error)
