"""An editable table for a TABLE field (学习经历, 项目, 论文…): add, remove, move rows up/down.

Columns come from the field's children; enumerations get a combo box, months a YYYY-MM editor.
Findings on ``work_history[1].end`` colour that cell and put the message in its tooltip.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QRegularExpressionValidator
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QStyledItemDelegate, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from collector.record import fields as fl
from collector.record.year import ProgramYear

from .inputs import MONTH_RE, restyle
from .. import style

COLOURS = {"error": QColor("#fde2e1"), "warning": QColor("#fff1d6")}


class _Delegate(QStyledItemDelegate):
    def __init__(self, specs: tuple[fl.Field, ...], year: ProgramYear, parent):
        super().__init__(parent)
        self.specs = specs
        self.year = year

    def createEditor(self, parent, option, index):
        spec = self.specs[index.column()]
        if spec.kind == fl.ENUM:
            box = QComboBox(parent)
            box.setEditable(spec.open_choices)
            box.addItems([""] + list(self.year.choices(spec.choices)))
            return box
        edit = QLineEdit(parent)
        if spec.kind in (fl.MONTH, fl.MONTH_OR_NOW):
            edit.setPlaceholderText("YYYY-MM" + ("（空＝至今）" if spec.kind == fl.MONTH_OR_NOW else ""))
            edit.setValidator(QRegularExpressionValidator(
                QRegularExpression(r"\d{0,4}(-\d{0,2})?|至今"), edit))
        return edit

    def setEditorData(self, editor, index):
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            i = editor.findText(text)
            if i >= 0:
                editor.setCurrentIndex(i)
            elif editor.isEditable():
                editor.setEditText(text)
        else:
            editor.setText(text)

    def setModelData(self, editor, model, index):
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
        model.setData(index, text.strip(), Qt.ItemDataRole.EditRole)


class RowsInput(QWidget):
    """What a page asks of a table of rows (a TABLE field, or the attachments)."""

    changed = Signal()

    def set_read_only(self, on: bool) -> None:
        raise NotImplementedError

    def value(self) -> list[dict]:
        raise NotImplementedError

    def set_value(self, rows: list[dict]) -> None:
        raise NotImplementedError

    def format_problems(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def snapshot(self) -> list[Any]:
        """The rows as shown (for undo), in whatever shape ``restore`` takes back."""
        raise NotImplementedError

    def restore(self, rows: list[Any]) -> None:
        raise NotImplementedError

    def clear_marks(self) -> None:
        raise NotImplementedError

    def mark(self, row: int | None, key: str | None, severity: str, message: str) -> None:
        raise NotImplementedError

    def focus_cell(self, row: int | None, key: str | None) -> None:
        raise NotImplementedError


class TableInput(RowsInput):

    def __init__(self, spec: fl.Field, year: ProgramYear, parent: QWidget | None = None,
                 hint: str = ""):
        super().__init__(parent)
        self.spec = spec
        self.path = spec.key
        self.specs = spec.children
        self.setObjectName(f"table:{spec.key}")
        self.table = QTableWidget(0, len(self.specs), self)
        self.table.setObjectName(f"grid:{spec.key}")
        self.table.setHorizontalHeaderLabels([c.label for c in self.specs])
        self.table.setItemDelegate(_Delegate(self.specs, year, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setMinimumHeight(150)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        for col, child in enumerate(self.specs):
            if child.kind in (fl.MONTH, fl.MONTH_OR_NOW, fl.ENUM) or child.key in ("rank", "funding"):
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        self.add_button = self._button("添加一行", self.add_row, buttons)
        self.remove_button = self._button("删除此行", self.remove_row, buttons)
        self.up_button = self._button("上移", lambda: self.move_row(-1), buttons)
        self.down_button = self._button("下移", lambda: self.move_row(1), buttons)
        self.hint_label = QLabel(hint, self) if hint else None
        if self.hint_label:
            style.tone(self.hint_label, "hint")
            buttons.addWidget(self.hint_label)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        self._marks: dict[tuple[int, int], tuple[str, str]] = {}

    def set_read_only(self, on: bool) -> None:
        """No editing and no row buttons: for an office reading an applicant's record."""
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if on
                                   else QAbstractItemView.EditTrigger.AllEditTriggers)
        for w in (self.add_button, self.remove_button, self.up_button, self.down_button,
                  self.hint_label):
            if w is not None:
                w.setVisible(not on)

    def _button(self, text, slot, layout) -> QPushButton:
        b = QPushButton(text, self)
        b.clicked.connect(slot)
        layout.addWidget(b)
        return b

    # -- value -----------------------------------------------------------------------------
    def value(self) -> list[dict]:
        rows = []
        for r in range(self.table.rowCount()):
            row = {}
            for c, child in enumerate(self.specs):
                text = self._text(r, c)
                if child.kind in (fl.MONTH, fl.MONTH_OR_NOW) and not MONTH_RE.match(text):
                    text = ""  # a half-typed month is reported by format_problems, not stored
                row[child.key] = text
            rows.append(row)
        return rows

    def set_value(self, rows: list[dict]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for row in rows or []:
            self._append([str(row.get(c.key, "") or "") for c in self.specs])
        self.table.blockSignals(False)
        self._marks.clear()

    def format_problems(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            for c, child in enumerate(self.specs):
                text = self._text(r, c)
                if child.kind in (fl.MONTH, fl.MONTH_OR_NOW) and text and not (
                        MONTH_RE.match(text) or text == "至今"):
                    out.append((f"{self.path}[{r}].{child.key}",
                                f"“{text}”不是完整的年月，请按 YYYY-MM 填写"))
        return out

    def _text(self, r: int, c: int) -> str:
        item = self.table.item(r, c)
        return (item.text() if item else "").strip()

    def _append(self, texts: list[str]) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, text in enumerate(texts):
            self.table.setItem(r, c, QTableWidgetItem(text))
        return r

    # -- row actions -------------------------------------------------------------------------
    def add_row(self) -> None:
        self.table.blockSignals(True)
        r = self._append([""] * len(self.specs))
        self.table.blockSignals(False)
        self.table.setCurrentCell(r, 0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        texts = [t for t in (self._text(r, c) for c in range(len(self.specs))) if t]
        if texts:
            from ..errors import confirm

            what = "、".join(texts[:2]) + ("…" if len(texts) > 2 else "")
            if not confirm(self, f"删除{self.spec.label}",
                           f"删除第 {r + 1} 行（{what}）吗？删除后可以用“编辑 → 撤销”（Ctrl+Z）恢复。"):
                return
        self.table.removeRow(r)
        self.changed.emit()

    def snapshot(self) -> list[list[str]]:
        """The cells as shown (half-typed months too), for 撤销/重做."""
        return [[self._text(r, c) for c in range(len(self.specs))]
                for r in range(self.table.rowCount())]

    def restore(self, rows: list[list[str]]) -> None:
        with QSignalBlocker(self.table):
            self.table.setRowCount(0)
            for texts in rows:
                self._append(list(texts))
        self._marks.clear()

    def move_row(self, delta: int) -> None:
        r = self.table.currentRow()
        target = r + delta
        if r < 0 or not 0 <= target < self.table.rowCount():
            return
        col = max(self.table.currentColumn(), 0)
        self.table.blockSignals(True)
        texts = [self._text(r, c) for c in range(len(self.specs))]
        other = [self._text(target, c) for c in range(len(self.specs))]
        for c in range(len(self.specs)):
            self.table.item(r, c).setText(other[c])
            self.table.item(target, c).setText(texts[c])
        self.table.blockSignals(False)
        self.table.setCurrentCell(target, col)
        self.changed.emit()

    # -- findings ------------------------------------------------------------------------------
    # Colour and tooltip are display; Qt reports them as itemChanged like an edit, so signals
    # stay blocked while marking (else showing a finding would autosave the record).
    def clear_marks(self) -> None:
        with QSignalBlocker(self.table):
            for (r, c) in list(self._marks):
                item = self.table.item(r, c)
                if item:
                    item.setBackground(QBrush())
                    item.setToolTip("")
        self._marks.clear()
        restyle(self.table, "")

    def mark(self, row: int | None, key: str | None, severity: str, message: str) -> None:
        if row is None or row >= self.table.rowCount():
            restyle(self.table, severity)
            self.table.setToolTip(message)
            return
        col = self._col(key)
        old = self._marks.get((row, col))
        if old and old[0] == "error":
            severity, message = "error", old[1] + "\n" + message
        self._marks[(row, col)] = (severity, message)
        item = self.table.item(row, col)
        if item:
            with QSignalBlocker(self.table):
                item.setBackground(QBrush(COLOURS.get(severity, COLOURS["warning"])))
                item.setToolTip(message)

    def focus_cell(self, row: int | None, key: str | None) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if row is not None and row < self.table.rowCount():
            self.table.setCurrentCell(row, self._col(key))

    def _col(self, key: str | None) -> int:
        for c, child in enumerate(self.specs):
            if child.key == key:
                return c
        return 0
