"""What every editor page shares: its inputs by field path, load/collect a record, a scroll area."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout,
                               QWidget)

from collector.record import fields as fl
from collector.record.year import ProgramYear

from .inputs import FieldInput, make_input
from .table_input import RowsInput, TableInput
from .. import style
from ..style import GroupBox

In = TypeVar("In", bound=FieldInput)


def get_path(record: dict, path: str):
    value = record
    for part in path.split("."):
        value = (value or {}).get(part) if isinstance(value, dict) else None
    return value


def set_path(record: dict, path: str, value) -> None:
    parts = path.split(".")
    target = record
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def label_text(spec: fl.Field) -> str:
    return f"{spec.label}{'＊' if spec.required else ''}"


class Page(QScrollArea):
    """A scrolling page of the form; subclasses add inputs with ``add_input``/``add_table``."""

    changed = Signal()
    title = ""

    def __init__(self, year: ProgramYear, parent: QWidget | None = None):
        super().__init__(parent)
        self.year = year
        self.inputs: dict[str, FieldInput] = {}
        self.tables: dict[str, RowsInput] = {}
        self.howto: list[QLabel] = []  # notes that tell how to fill in; hidden when read-only
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget(self)
        self.body.setObjectName("pageBody")
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(16, 12, 16, 16)
        self.column.setSpacing(12)
        self.setWidget(self.body)

    # -- building ------------------------------------------------------------------------------
    def group(self, title: str) -> QFormLayout:
        box = GroupBox(title, self.body)
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        self.column.addWidget(box)
        return form

    def add_input(self, form: QFormLayout | None, spec: fl.Field, path: str | None = None,
                  widget: FieldInput | None = None, label: str | None = None) -> FieldInput:
        path = path or spec.key
        widget = widget or make_input(spec, path, self.year, self.body)
        widget.changed.connect(self.changed)
        self.inputs[path] = widget
        if form is not None:
            text = label if label is not None else label_text(spec)
            if spec.kind == fl.BOOL:
                form.addRow(widget)
            else:
                lbl = QLabel(text, self.body)
                lbl.setBuddy(widget.editor)
                form.addRow(lbl, widget)
        return widget

    def input_of(self, path: str, kind: type[In]) -> In:
        """The input at ``path`` as the kind this page built there (its editor typed to match)."""
        widget = self.inputs[path]
        if not isinstance(widget, kind):
            raise TypeError(f"{path} is a {type(widget).__name__}, not a {kind.__name__}")
        return widget

    def add_table(self, spec: fl.Field, hint: str = "") -> TableInput:
        box = GroupBox(spec.label, self.body)
        lay = QVBoxLayout(box)
        table = TableInput(spec, self.year, box, hint)
        table.changed.connect(self.changed)
        lay.addWidget(table)
        self.column.addWidget(box)
        self.tables[spec.key] = table
        return table

    def note(self, text: str, howto: bool = False) -> QLabel:
        label = QLabel(text, self.body)
        if howto:
            self.howto.append(label)
        label.setWordWrap(True)
        style.tone(label, "note")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.column.addWidget(label)
        return label

    def set_read_only(self, on: bool) -> None:
        for widget in self.inputs.values():
            widget.set_read_only(on)
        for table in self.tables.values():
            table.set_read_only(on)
        for label in self.howto:
            label.setVisible(not on)

    # -- data ------------------------------------------------------------------------------------
    def load(self, record: dict) -> None:
        for path, widget in self.inputs.items():
            widget.blockSignals(True)
            widget.set_value(get_path(record, path))
            widget.blockSignals(False)
        for key, table in self.tables.items():
            table.set_value(record.get(key) or [])

    def collect(self, record: dict) -> None:
        for path, widget in self.inputs.items():
            set_path(record, path, widget.value())
        for key, table in self.tables.items():
            record[key] = table.value()

    def format_problems(self) -> list[tuple[str, str]]:
        out = []
        for path, widget in self.inputs.items():
            problem = widget.format_problem()
            if problem:
                out.append((path, problem))
        for table in self.tables.values():
            out.extend(table.format_problems())
        return out

    def owns(self, path: str) -> bool:
        return path in self.inputs or _table_key(path) in self.tables

    def clear_marks(self) -> None:
        for widget in self.inputs.values():
            widget.mark("", "")
        for table in self.tables.values():
            table.clear_marks()

    def mark(self, path: str, severity: str, message: str) -> bool:
        if path in self.inputs:
            self.inputs[path].mark(severity, message)
            return True
        key, row, col = split_table_path(path)
        if key in self.tables:
            self.tables[key].mark(row, col, severity, message)
            return True
        return False

    def focus_path(self, path: str) -> None:
        if path in self.inputs:
            widget = self.inputs[path]
            self.ensureWidgetVisible(widget)
            widget.focus()
            return
        key, row, col = split_table_path(path)
        if key in self.tables:
            self.ensureWidgetVisible(self.tables[key])
            self.tables[key].focus_cell(row, col)


def _table_key(path: str) -> str:
    return path.split("[", 1)[0].split(".", 1)[0]


def split_table_path(path: str) -> tuple[str, int | None, str | None]:
    """``work_history[1].end`` → ("work_history", 1, "end"); ``projects`` → ("projects", None, None)."""
    key = _table_key(path)
    if "[" not in path:
        return key, None, None
    rest = path[len(key) + 1:]
    index, _, tail = rest.partition("]")
    return key, int(index) if index.isdigit() else None, tail.lstrip(".") or None
