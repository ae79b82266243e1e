// SPDX-License-Identifier: MIT
#include "common/desk.h"

namespace simdesk {

namespace {
ConnectionSettings withSharedPassword(ConnectionSettings settings)
{
    settings.sharePassword();
    return settings;
}
} // namespace

Desk::Desk(ConnectionSettings connection, SessionInfo session, QObject *parent)
    : QObject(parent)
    , m_connection(withSharedPassword(std::move(connection)))
    , m_session(std::move(session))
    , m_runner(m_connection)
    , m_settings(std::make_unique<AppSettings>(m_session.login))
{ }

Desk::~Desk() = default;

void Desk::setOwnPassword(const QString &password)
{
    m_connection.setPassword(password);
}

bool Desk::roleAllows(StaffRole role) const
{
    return m_session.role && simdesk::roleAllows(*m_session.role, role);
}

bool Desk::allows(CardAction action, SimStatus status, bool hasCustomer) const
{
    return cardActionAllowed(action, status, hasCustomer, m_session.role);
}

Task *Desk::act(QObject *context, CardAction action, const ActionRequest &request,
    std::function<void(const Status &)> done)
{
    return m_runner.run<bool>(
        context,
        [action, request](QSqlDatabase db) -> Result<bool> {
            if (Status s = LifecycleService(db, ChangeSource::Desktop).perform(action, request); !s)
                return s.error();
            return true;
        },
        [done = std::move(done)](
            const Result<bool> &result) { done(result ? Status() : Status(result.error())); });
}

void Desk::setLive(bool live)
{
    if (m_live == live)
        return;
    m_live = live;
    emit liveChanged(live);
}

} // namespace simdesk
