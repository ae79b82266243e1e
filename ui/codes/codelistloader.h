// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "db/workerconnection.h"
#include "domain/error.h"
#include "services/codelistquery.h"
#include "sims/simlistloader.h" // declares simdesk::Error to the meta-type system

#include <QObject>
#include <QThread>

#include <optional>

namespace simdesk {

// One request of the code list: a page (the first, or the one after a cursor) or the total,
// of one generation (one filter and sort).
struct CodeListRequest
{
    quint64 generation = 0;
    CodeListFilter filter;
    CodeSort sort;
    bool wantTotal = false;
    int size = 0;
    std::optional<CodeListCursor> after;
};

// The worker of the code list, the shape of SimListWorker: its own thread and connection,
// only the newest generation served, older requests dropped.
class CodeListWorker : public QObject
{
    Q_OBJECT

public:
    explicit CodeListWorker(ConnectionSettings settings)
        : m_connection(std::move(settings), QStringLiteral("simdesk-codelist"))
    { }
    ~CodeListWorker() override;

public slots:
    void enqueue(const simdesk::CodeListRequest &request);

signals:
    void pageLoaded(quint64 generation, bool first, const simdesk::CodeListPage &page, qint64 ms);
    void totalLoaded(quint64 generation, const simdesk::CodeListTotal &total);
    void failed(quint64 generation, const simdesk::Error &error);

private:
    void drain();
    void serve(const CodeListRequest &request);

    WorkerConnection m_connection;
    std::optional<CodeListQuery> m_query;
    int m_opened = -1;
    QList<CodeListRequest> m_queue;
    bool m_draining = false;
};

// Owns the worker's thread. Signals arrive in the thread that created the loader.
class CodeListLoader : public QObject
{
    Q_OBJECT

public:
    explicit CodeListLoader(ConnectionSettings settings, QObject *parent = nullptr);
    ~CodeListLoader() override;

    void request(const CodeListRequest &request);

signals:
    void pageLoaded(quint64 generation, bool first, const simdesk::CodeListPage &page, qint64 ms);
    void totalLoaded(quint64 generation, const simdesk::CodeListTotal &total);
    void failed(quint64 generation, const simdesk::Error &error);

private:
    QThread m_thread;
    CodeListWorker *m_worker;
};

} // namespace simdesk

Q_DECLARE_METATYPE(simdesk::CodeListRequest)
Q_DECLARE_METATYPE(simdesk::CodeListPage)
Q_DECLARE_METATYPE(simdesk::CodeListTotal)
