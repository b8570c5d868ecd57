"""编辑 menu: 撤销/重做 of the form (the editor's undo stack) and 检查全部."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


def build(window: QMainWindow, editor) -> dict[str, QAction]:
    """Add the menu to ``window``; returns its actions by key (undo, redo, check)."""
    menu = window.menuBar().addMenu("编辑(&E)")
    undo = editor.undo_stack.createUndoAction(window, "撤销")
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo = editor.undo_stack.createRedoAction(window, "重做")
    redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    check = QAction("检查全部", window)
    check.setShortcut(QKeySequence("F7"))
    check.setStatusTip("按申报条件检查整张表，列出所有要改正的地方")
    check.triggered.connect(lambda: editor.check_all())
    for act in (undo, redo):
        menu.addAction(act)
    menu.addSeparator()
    menu.addAction(check)
    return {"undo": undo, "redo": redo, "check": check}
