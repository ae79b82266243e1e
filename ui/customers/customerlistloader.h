// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "db/workerconnection.h"
#include "domain/error.h"
#include "services/customerlistquery.h"
#include "sims/simlistloader.h" // declares simdesk::Error to the meta-type system

#include <QObject>
#include <QThread>

#include <optional>

namespace simdesk {

// One request of the customer list: a page (the first, or the one after a cursor) or the total,
// of one generation (one search and sort).
struct CustomerListRequest
{
    quint64 generation = 0;
    QString search;
    CustomerSort sort;
    bool wantTotal = false;
    int size = 0;
    std::optional<CustomerListCursor> after;
};

// The worker of the customer list, the shape of SimListWorker: its own thread and connection,
// only the newest generation served, older requests dropped.
class CustomerListWorker : public QObject
{
    Q_OBJECT

public:
    explicit CustomerListWorker(ConnectionSettings settings)
        : m_connection(std::move(settings), QStringLiteral("simdesk-customerlist"))
    { }
    ~CustomerListWorker() override;

public slots:
    void enqueue(const simdesk::CustomerListRequest &request);

signals:
    void pageLoaded(
        quint64 generation, bool first, const simdesk::CustomerListPage &page, qint64 ms);
    void totalLoaded(quint64 generation, const simdesk::CustomerListTotal &total);
    void failed(quint64 generation, const simdesk::Error &error);

private:
    void drain();
    void serve(const CustomerListRequest &request);

    WorkerConnection m_connection;
    std::optional<CustomerListQuery> m_query;
    int m_opened = -1;
    QList<CustomerListRequest> m_queue;
    bool m_draining = false;
};

// Owns the worker's thread. Signals arrive in the thread that created the loader.
class CustomerListLoader : public QObject
{
    Q_OBJECT

public:
    explicit CustomerListLoader(ConnectionSettings settings, QObject *parent = nullptr);
    ~CustomerListLoader() override;

    void request(const CustomerListRequest &request);

signals:
    void pageLoaded(
        quint64 generation, bool first, const simdesk::CustomerListPage &page, qint64 ms);
    void totalLoaded(quint64 generation, const simdesk::CustomerListTotal &total);
    void failed(quint64 generation, const simdesk::Error &error);

private:
    QThread m_thread;
    CustomerListWorker *m_worker;
};

} // namespace simdesk

Q_DECLARE_METATYPE(simdesk::CustomerListRequest)
Q_DECLARE_METATYPE(simdesk::CustomerListPage)
Q_DECLARE_METATYPE(simdesk::CustomerListTotal)
