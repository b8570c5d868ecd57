"""撤销/重做 for the form: every change is a step between two snapshots of the widgets.

A snapshot holds each input's text as shown (a half-typed month too) and each table's rows,
so undoing a deleted table row brings its cells back. Typing in one field merges into one
step; the stack is cleared when another candidate is shown.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from collector.record.fields import label_of

State = dict[str, object]
TABLE = "#"  # table keys are stored as "#projects", inputs by their field path


def _raw(widget) -> object:
    editor = widget.editor
    if isinstance(editor, QLineEdit):
        return editor.text()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    return widget.value()


def _set_raw(widget, value) -> None:
    editor = widget.editor
    widget.blockSignals(True)
    try:
        if isinstance(editor, QLineEdit):
            editor.setText(value)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        else:
            widget.set_value(value)
    finally:
        widget.blockSignals(False)


def capture(pages) -> State:
    state: State = {}
    for page in pages:
        for path, widget in page.inputs.items():
            state[path] = _raw(widget)
        for key, table in page.tables.items():
            state[TABLE + key] = table.snapshot()
    return state


def apply(pages, state: State, changed: set[str]) -> None:
    """Put the ``changed`` entries of ``state`` back into the widgets, without change signals."""
    for page in pages:
        for path, widget in page.inputs.items():
            if path in changed:
                _set_raw(widget, state[path])
        for key, table in page.tables.items():
            if TABLE + key in changed:
                table.restore(state[TABLE + key])


def diff(a: State, b: State) -> set[str]:
    return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


def describe(keys: set[str]) -> str:
    if len(keys) != 1:
        return f"修改 {len(keys)} 项"
    key = next(iter(keys))
    return f"修改“{label_of(key.lstrip(TABLE))}”"


class Edit(QUndoCommand):
    """One step: ``before`` → ``after``; consecutive typing in one field merges."""

    ID = 1201

    def __init__(self, editor, before: State, after: State):
        self.keys = diff(before, after)
        super().__init__(describe(self.keys))
        self.editor = editor
        self.before, self.after = before, after
        self._first = True

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Only text typed into the same single input merges; table edits stay separate steps,
        # so one Ctrl+Z brings back exactly one deleted row.
        if not isinstance(other, Edit) or other.keys != self.keys or len(self.keys) != 1 \
                or next(iter(self.keys)).startswith(TABLE):
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._first:  # the widgets already show ``after``: the user just made this change
            self._first = False
            return
        self.editor.apply_state(self.after, self.keys)

    def undo(self) -> None:
        self.editor.apply_state(self.before, self.keys)
