// SPDX-License-Identifier: MIT
#include "common/refreshhub.h"

#include <QEvent>
#include <QWidget>

namespace simdesk {

void Change::merge(const Change &other)
{
    everything = everything || other.everything;
    if (everything)
        ids.clear();
    else
        ids.unite(other.ids);
}

RefreshHub::RefreshHub(QObject *parent)
    : QObject(parent)
{ }

void RefreshHub::watch(QWidget *page, Topic topic, Reload reload)
{
    m_watches.append({ page, topic, std::move(reload), {}, false });
    page->installEventFilter(this);
    connect(page, &QObject::destroyed, this, [this, page] {
        m_watches.removeIf([page](const Watch &w) { return w.page.isNull() || w.page == page; });
        m_reloads.remove(page);
    });
}

void RefreshHub::changedHere(Topic topic, const Change &change, QWidget *origin)
{
    deliver(topic, change, origin, true);
}

void RefreshHub::changedElsewhere(Topic topic, const Change &change)
{
    deliver(topic, change, nullptr, false);
}

void RefreshHub::everythingChanged()
{
    for (Topic topic : { Topic::Cards, Topic::Customers, Topic::Tariffs, Topic::Codes,
             Topic::Imports, Topic::Staff })
        deliver(topic, Change::all(), nullptr, false);
}

void RefreshHub::deliver(Topic topic, const Change &change, QWidget *origin, bool here)
{
    emit changed(topic, change, here);
    // By index: a reload may open or close pages, which changes the list.
    for (qsizetype i = 0; i < m_watches.size(); ++i) {
        Watch &w = m_watches[i];
        if (w.topic != topic || !w.page || w.page == origin)
            continue;
        if (w.page->isVisible()) {
            run(w, change);
        } else {
            w.pending.merge(change);
            w.dirty = true;
        }
    }
}

void RefreshHub::run(Watch &w, const Change &change)
{
    QWidget *page = w.page;
    const Topic topic = w.topic;
    const Reload reload = w.reload; // the watch may go while it runs
    w.pending = {};
    w.dirty = false;
    ++m_reloads[page];
    emit reloadRequested(page, topic);
    reload(change);
}

bool RefreshHub::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Show) {
        for (qsizetype i = 0; i < m_watches.size(); ++i) {
            Watch &w = m_watches[i];
            if (w.page == watched && w.dirty) {
                const Change pending = w.pending;
                run(w, pending);
            }
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace simdesk
