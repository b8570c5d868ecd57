"""编辑 menu: 撤销/重做 of the form (the editor's undo stack) and 检查全部."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMainWindow, QPlainTextEdit

UNDO_KEYS = (QKeySequence("Ctrl+Z"), QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z"))


class _FormKeysToMenu(QObject):
    """A text box would take Ctrl+Z for its own one-box undo; in the form the menu's 撤销 must
    get it, so that one key undoes the last change wherever it was (a box, a table row)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            combo = QKeySequence(event.keyCombination())
            if any(combo.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in UNDO_KEYS):
                event.ignore()  # not taken by the box: the shortcut map gives it to the action
                return True
        return False


def build(window: QMainWindow, editor) -> dict[str, QAction]:
    """Add the menu to ``window``; returns its actions by key (undo, redo, check)."""
    menu = window.menuBar().addMenu("编辑(&E)")
    undo = editor.undo_stack.createUndoAction(window, "撤销")
    undo.setShortcuts([UNDO_KEYS[0]])
    redo = editor.undo_stack.createRedoAction(window, "重做")
    redo.setShortcuts([UNDO_KEYS[1], UNDO_KEYS[2]])
    for act in (undo, redo):
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    check = QAction("检查全部", window)
    check.setShortcut(QKeySequence("F7"))
    check.setStatusTip("按申报条件检查整张表，列出所有要改正的地方")
    check.triggered.connect(lambda: editor.check_all())
    for act in (undo, redo):
        menu.addAction(act)
    menu.addSeparator()
    menu.addAction(check)
    keys = _FormKeysToMenu(editor)
    for box in editor.findChildren(QLineEdit) + editor.findChildren(QPlainTextEdit):
        box.installEventFilter(keys)
    return {"undo": undo, "redo": redo, "check": check}
