"""What a user can read in a widget: the text of every visible label, button, field, tab, list
and table cell. Picture tests assert on this (the words the picture shows), not on pixels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel,
                               QLineEdit, QPlainTextEdit, QTabBar, QTextEdit, QWidget)

MAX_ROWS = 200


def visible_texts(root: QWidget) -> list[str]:
    out = [root.windowTitle()] if root.windowTitle() else []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QLineEdit) and w.echoMode() != QLineEdit.Normal:
            continue  # a passphrase shows as dots
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
            out.append(w.text())
        elif isinstance(w, QComboBox):
            out.append(w.currentText())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabBar):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            out.append(w.toPlainText())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            root_index = w.rootIndex()
            try:
                columns = model.columnCount(root_index)
            except TypeError:  # list models keep columnCount private in PySide6
                columns = 1
            for r in range(min(model.rowCount(root_index), MAX_ROWS)):
                for c in range(columns):
                    value = model.index(r, c, root_index).data(Qt.DisplayRole)
                    if value not in (None, ""):
                        out.append(str(value))
    return [t for t in out if t]


def assert_shows(widget: QWidget, *texts: str, name: str = "") -> None:
    """Each of ``texts`` is part of something the user can read in ``widget``."""
    seen = "\n".join(visible_texts(widget))
    missing = [t for t in texts if t not in seen]
    assert not missing, f"{name or widget}: does not show {missing}"
