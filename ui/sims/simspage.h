// SPDX-License-Identifier: MIT
#pragma once

#include "common/refreshhub.h"
#include "domain/cardaction.h"
#include "services/exportservice.h"
#include "sims/simlistmodel.h"
#include "ui_simspage.h"

#include <QHash>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <functional>

class QMenu;

namespace simdesk {

class Desk;

// The SIM list: filters, search, a virtual table at any size, the count, the selection (kept by
// card id), bulk actions and CSV export. The filter is one SimListFilter value: the controls show
// the parts they can, and every change goes through it. No SQL here: SimListModel asks core's
// SimListQuery on its own thread; everything else runs on the window's DbRunner.
class SimsPage : public QWidget
{
    Q_OBJECT

public:
    SimsPage(Desk *desk, QWidget *parent = nullptr);
    ~SimsPage() override;

    SimListModel *model() { return &m_model; }
    // Shows the cards of `filter` (from the global search, the dashboard or a saved filter).
    void setFilter(const SimListFilter &filter);
    const SimListFilter &currentFilter() const { return m_filter; }
    // Ctrl+F.
    void focusSearch();
    // Cards changed: reload what is shown, keep position and selection. After an error (a lost
    // connection) the list starts again from its filter.
    void refresh(const Change &change);
    // The cards the next bulk action works on: the selected ones (ids), or every card of the
    // filter ("all matching").
    QList<qint64> selectedIds() const;
    bool allMatchingSelected() const { return m_allMatching; }
    // A bulk action on the selection was applied: the selection is cleared, and the page says
    // so until the user selects again.
    void clearSelectionAfterBulkAction(int changed);
    // Export CSV of the current filter, off the GUI thread with progress and Cancel. Asks for
    // the file unless `path` is given; the file dialog's type chooses the flavour: a CSV that
    // imports again as is, or one safe to open in a spreadsheet (CsvFlavour::SpreadsheetSafe).
    void exportCsv(const QString &path = {}, CsvFlavour flavour = CsvFlavour::Reimportable);

signals:
    void openCard(qint64 simId);
    void createRequested();
    // "Import…" (admins): the import wizard, after choosing a file.
    void importRequested();
    // A bulk action of the catalogue was chosen.
    void bulkRequested(simdesk::CardAction action);
    // An export finished: `rows` cards written to `path`.
    void exported(const QString &path, qint64 rows);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setUpTable();
    void setUpSelection();
    void setUpFilters();
    void setUpActions();
    void buildStatusMenu();
    void loadTariffs();
    void showFilterInControls();
    // One part of the filter shown as a chip: its name, its words, how to remove it.
    struct Chip
    {
        QString key;
        QString text;
        std::function<void(SimListFilter &)> remove;
    };
    QList<Chip> filterChips() const;
    void showFilterChips();
    void loadCustomerNumber(qint64 id);
    void readControls();
    void applyFilter();
    void updateFooter();
    void showLoadError(const Error &error);
    void readSelection();
    void updateSelection();
    void restoreSelection();
    void pasteList();
    // The header's sort indicator and the banner's "In pasted order" button for the list's sort.
    void showPastedOrder();
    void chooseIccidRange();
    void showNotFound(const QStringList &lines, const QStringList &notFound);
    void countExactly();
    void saveCurrentFilter();
    void showSavedFilterName();
    void renameSavedFilter();
    void deleteSavedFilter();
    void loadSavedFilters();
    void showColumnMenu(const QPoint &pos);
    void updateActionsEnabled();
    static QVariantMap filterToMap(const SimListFilter &filter);
    static SimListFilter filterFromMap(const QVariantMap &map);

    Ui::SimsPage m_ui;
    Desk *m_desk;
    SimListModel m_model;
    SimListFilter m_filter; // what the list shows: the one place the filter lives
    QMenu *m_statusMenu = nullptr;
    QTimer m_searchDebounce;
    QSet<qint64> m_selectedIds;
    qint64 m_currentId = 0;
    int m_currentRowPending = -1; // the current row, until its card is loaded
    QSet<int> m_selectedRowsPending; // selected rows not loaded yet: ids when they are
    bool m_allMatching = false;
    bool m_restoring = false; // the controls are being set from the filter
    bool m_settingSelection = false; // the view's selection is being set from the ids
    QHash<qint64, QString> m_customerNumbers; // customer id → number, for the chips
    QString m_selectionNote; // why nothing is selected, when the page cleared the selection
    qint64 m_exactCount = -1;
};

} // namespace simdesk
