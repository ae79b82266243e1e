// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

class QWidget;

namespace simdesk {

// What a change touched: some records of one kind, or possibly all of them.
struct Change
{
    QSet<qint64> ids;
    bool everything = false;

    static Change all() { return { {}, true }; }
    bool touches(qint64 id) const { return everything || ids.contains(id); }
    void merge(const Change &other);
};

// The kinds of records pages show and reload.
enum class Topic : quint8 { Cards, Customers, Tariffs, Codes, Imports, Staff };

// One reload per change, whoever made it. Pages say which records they show (watch()); every
// change is announced once — by this window right after it made it (changedHere), by the
// listener for other sessions' changes (changedElsewhere), or as "everything" after a reconnect
// — and each watching page reloads once: at once when it is on screen, when it is next shown
// otherwise, with everything that happened meanwhile merged into one reload. The page that made
// a change has shown its result already and is not asked again.
class RefreshHub : public QObject
{
    Q_OBJECT

public:
    // Reloads the page for a change; it decides whether the change concerns what it shows.
    using Reload = std::function<void(const Change &change)>;

    explicit RefreshHub(QObject *parent = nullptr);

    // `page` shows records of `topic`; `reload` runs in the hub's thread. A page may watch
    // several topics. The watch ends with the page.
    void watch(QWidget *page, Topic topic, Reload reload);

    // This window changed records; `origin` (the page that did it) is not asked to reload.
    void changedHere(Topic topic, const Change &change, QWidget *origin = nullptr);
    // Another session changed records (ChangeListener).
    void changedElsewhere(Topic topic, const Change &change);
    // After a reconnect nothing shown can be trusted: every page reloads everything.
    void everythingChanged();

    // Reloads asked of `page` so far (tests count them).
    int reloads(const QWidget *page) const { return m_reloads.value(page); }

signals:
    // A change was announced: made `here` (this window) or elsewhere (tests follow them).
    void changed(simdesk::Topic topic, const simdesk::Change &change, bool here);
    // A page was asked to reload (tests and benchmarks wait for it).
    void reloadRequested(QWidget *page, simdesk::Topic topic);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Watch
    {
        QPointer<QWidget> page;
        Topic topic;
        Reload reload;
        Change pending;
        bool dirty = false;
    };
    void deliver(Topic topic, const Change &change, QWidget *origin, bool here);
    void run(Watch &w, const Change &change);

    QList<Watch> m_watches;
    QHash<const QWidget *, int> m_reloads;
};

} // namespace simdesk

Q_DECLARE_METATYPE(simdesk::Topic)
Q_DECLARE_METATYPE(simdesk::Change)
