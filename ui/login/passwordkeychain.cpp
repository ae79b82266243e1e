// SPDX-License-Identifier: MIT
#include "login/passwordkeychain.h"

#include <QCoreApplication>
#include <QPointer>

#include <qt6keychain/keychain.h>

namespace simdesk {

namespace {

// Runs `job` and hands it to `finished` in the GUI thread while `context` lives. The job deletes
// itself after `finished` (QtKeychain's autoDelete), also when the context is gone by then.
void start(QKeychain::Job *job, QObject *context, std::function<void(QKeychain::Job *)> finished)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text settings file
    QPointer<QObject> alive(context);
    QObject::connect(job, &QKeychain::Job::finished, job,
        [alive, finished = std::move(finished)](QKeychain::Job *j) {
            if (alive && finished)
                finished(j);
        });
    job->start();
}

} // namespace

QString PasswordKeychain::service()
{
    return QStringLiteral("SimDesk");
}

QString PasswordKeychain::key(
    const QString &login, const QString &host, int port, const QString &database)
{
    return QStringLiteral("%1@%2:%3/%4")
        .arg(login, host, port > 0 ? QString::number(port) : QString(), database);
}

void PasswordKeychain::probe(
    QObject *context, std::function<void(bool available, QString reason)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(service());
    job->setKey(QStringLiteral("simdesk-keychain-probe"));
    start(job, context, [done = std::move(done)](QKeychain::Job *j) {
        // Not found is the usual answer of a keychain that works.
        const bool works
            = j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound;
        done(works, works ? QString() : j->errorString());
    });
}

void PasswordKeychain::read(
    QObject *context, const QString &key, std::function<void(std::optional<QString> password)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(service());
    job->setKey(key);
    start(job, context, [done = std::move(done)](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError)
            done(std::nullopt);
        else
            done(static_cast<QKeychain::ReadPasswordJob *>(j)->textData());
    });
}

void PasswordKeychain::store(QObject *context, const QString &key, const QString &password,
    std::function<void(bool ok, QString error)> done)
{
    auto *job = new QKeychain::WritePasswordJob(service());
    job->setKey(key);
    job->setTextData(password);
    start(job, context, [done = std::move(done)](QKeychain::Job *j) {
        if (done)
            done(j->error() == QKeychain::NoError, j->errorString());
    });
}

void PasswordKeychain::remove(
    QObject *context, const QString &key, std::function<void(bool ok, QString error)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(service());
    job->setKey(key);
    start(job, context, [done = std::move(done)](QKeychain::Job *j) {
        const bool ok = j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound;
        if (done)
            done(ok, j->errorString());
    });
}

} // namespace simdesk
