// SPDX-License-Identifier: MIT
#pragma once

#include "db/connectionsettings.h"
#include "domain/staff.h"
#include "sims/simlistmodel.h"
#include "ui_simspage.h"

#include <QSet>
#include <QTimer>
#include <QWidget>

class QMenu;

namespace simdesk {

class AppSettings;

// The SIM list of issue 8: filters, search, a virtual table at any size, the count, the
// selection (kept by card id), bulk actions and CSV export. No SQL here: SimListModel asks
// core's SimListQuery on its own thread.
class SimsPage : public QWidget
{
    Q_OBJECT

public:
    SimsPage(ConnectionSettings settings, SessionInfo session, AppSettings *appSettings,
        QWidget *parent = nullptr);
    ~SimsPage() override;

    SimListModel *model() { return &m_model; }
    // Shows the cards of `filter` (from the global search, the dashboard or a saved filter).
    void setFilter(const SimListFilter &filter);
    SimListFilter currentFilter() const;
    // Ctrl+F.
    void focusSearch();
    // Cards changed elsewhere: reload what is shown, keep position and selection.
    void refresh(const QSet<qint64> &changed = {}, bool everything = false);
    // While the connection is lost nothing may be changed.
    void setActionsEnabled(bool enabled);
    // The cards the next bulk action works on: the selected ones (ids), or every card of the
    // filter ("all matching").
    QList<qint64> selectedIds() const;
    bool allMatchingSelected() const { return m_allMatching; }
    // Export CSV of the current filter, off the GUI thread with progress and Cancel; asks for
    // the file unless `path` is given.
    void exportCsv(const QString &path = {});

signals:
    void openCard(qint64 simId);
    void createRequested();
    // "Import…" (admins): the import wizard, after choosing a file.
    void importRequested();
    // A bulk action was chosen: "suspend", "resume", "report_lost_stolen", "terminate",
    // "change_tariff".
    void bulkRequested(const QString &actionKey);
    // An export finished: `rows` cards written to `path`.
    void exported(const QString &path, qint64 rows);

private:
    void buildStatusMenu();
    void loadTariffs();
    void applyFilter();
    void updateFooter();
    void updateSelection();
    void restoreSelection();
    void pasteList();
    void countExactly();
    void saveCurrentFilter();
    void loadSavedFilters();
    void showColumnMenu(const QPoint &pos);
    QVariantMap filterToMap(const SimListFilter &filter) const;
    SimListFilter filterFromMap(const QVariantMap &map) const;
    void setControlsFrom(const SimListFilter &filter);

    Ui::SimsPage m_ui;
    ConnectionSettings m_settings;
    SessionInfo m_session;
    AppSettings *m_appSettings;
    SimListModel m_model;
    QMenu *m_statusMenu = nullptr;
    QTimer m_searchDebounce;
    QStringList m_identifiers; // the pasted list in force
    QString m_iccidFirst;
    QString m_iccidLast;
    std::optional<qint64> m_customerId;
    std::optional<qint64> m_importBatchId;
    QDateTime m_activatedFrom;
    QDateTime m_activatedTo;
    QSet<qint64> m_selectedIds;
    qint64 m_currentId = 0;
    bool m_allMatching = false;
    bool m_restoring = false;
    bool m_actionsEnabled = true;
    qint64 m_exactCount = -1;
};

} // namespace simdesk
