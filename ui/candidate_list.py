"""The candidate list: a table model over ``store.rows()`` and a filter by name, ID number, unit, status."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from collector.storage.store import STATUS_LABELS

COLUMNS = (("name", "姓名"), ("id_number", "公民身份号码"), ("employer", "工作单位"),
           ("status", "状态"), ("updated_at", "更新时间"))


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "draft", status or "草稿")


class CandidateModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.rows: list[dict] = []
        self.haystacks: list[str] = []  # lower-cased name|id|unit, so filtering is one `in` per row

        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self.store.rows()
        for n, row in enumerate(self.rows):
            row["_pos"] = n  # the store's order (creation), for "unsorted"
        self._sort_rows()
        self.endResetModel()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (one key per row), not by Qt asking ``data()`` n·log n times."""
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        where = [(self.rows[i.row()]["id"], i.column()) for i in old]
        self._sort_rows()
        pos = {row["id"]: n for n, row in enumerate(self.rows)}
        self.changePersistentIndexList(old, [self.index(pos[cid], col) for cid, col in where])
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        if 0 <= self.sort_column < len(COLUMNS):
            key = COLUMNS[self.sort_column][0]
            self.rows.sort(key=lambda r: (r[key] or "", r["_pos"]),
                           reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        else:
            self.rows.sort(key=lambda r: r["_pos"])
        self.haystacks = [self._haystack(r) for r in self.rows]

    @staticmethod
    def _haystack(row: dict) -> str:
        return f"{row['name']}\x00{row['id_number']}\x00{row['employer']}".lower()

    def update_row(self, candidate_id: str) -> None:
        """Refresh one row after a save, without resetting the view."""
        for i, row in enumerate(self.rows):
            if row["id"] == candidate_id:
                fresh = next((r for r in self._fetch(candidate_id)), None)
                if fresh:
                    fresh["_pos"] = row["_pos"]
                    self.rows[i] = fresh
                    self.haystacks[i] = self._haystack(fresh)
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return
        self.reload()

    def _fetch(self, candidate_id: str) -> list[dict]:
        cur = self.store.db.execute(
            "SELECT id, name, id_number, employer, status, updated_at FROM candidates WHERE id=?",
            [candidate_id])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def row_of(self, candidate_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r["id"] == candidate_id), -1)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            key = COLUMNS[index.column()][0]
            if key == "status":
                return status_label(row["status"])
            if key == "updated_at":
                return (row["updated_at"] or "")[5:16].replace("T", " ")  # MM-DD HH:MM
            if key == "name" and not row["name"]:
                return "（未填姓名）"
            return row[key]
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[index.column()][0] == "updated_at":
            return (row["updated_at"] or "")[:19].replace("T", " ")
        if role == self.IdRole:
            return row["id"]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None


class CandidateFilter(QSortFilterProxyModel):
    """Text matches name, ID number or unit (case-insensitive); status must match when chosen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.status = ""
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(False)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        # The source model sorts itself quickly; the proxy keeps the source order and only filters.
        self.sourceModel().sort(column, order)

    def set_text(self, text: str) -> None:
        text = text.strip().lower()
        if text != self.text:
            self._change(lambda: setattr(self, "text", text))

    def set_status(self, status: str) -> None:
        if status != self.status:
            self._change(lambda: setattr(self, "status", status))

    def _change(self, apply) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            apply()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = cast(CandidateModel, self.sourceModel())  # the only source it is given
        if self.text and self.text not in model.haystacks[source_row]:
            return False
        return not self.status or (model.rows[source_row]["status"] or "draft") == self.status


def name_column_width(view) -> int:
    """Wide enough for the longest name the ministry's forms hold (10 characters, DESIGN §4):
    names such as 额尔敦巴雅尔 or 包·那顺乌日图 are never cut."""
    text = view.fontMetrics().horizontalAdvance("额" * 10)
    header = view.horizontalHeader().fontMetrics().horizontalAdvance("姓名") + 24
    return max(text, header) + 2 * view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin) + 14


def share_width(view) -> None:
    """The columns share the list's width (工作单位 takes what is left and elides), so the list
    never scrolls sideways, empty or full, at 1366×768.

    身份证号, 状态 and 更新时间 have a known widest text, so their widths are set from it (and
    the header's own) once: a column sized to its contents asks ``data()`` of every row each
    time the list is laid out — 96,000 calls and half a second to open 10,000 candidates."""
    from PySide6.QtWidgets import QHeaderView

    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    view.setColumnWidth(0, name_column_width(view))
    widest = {1: ("8" * 18, "8" * 17 + "X"), 3: (*STATUS_LABELS.values(), status_label(None)),
              4: ("88-88 88:88",)}  # what data() shows: an ID number, a status, MM-DD HH:MM
    for col, texts in widest.items():
        view.setColumnWidth(col, max(header.sectionSizeHint(col), cell_width(view, texts)))
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)


def cell_width(view, texts) -> int:
    """The width a cell needs to show the widest of ``texts`` whole (the delegate's margins)."""
    margin = view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin, None, view)
    return max(view.fontMetrics().horizontalAdvance(t) for t in texts) + 2 * (margin + 1) + 2
