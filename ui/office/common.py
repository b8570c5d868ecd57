"""Small pieces the office pages share: the passphrase prompt and read-only table items."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QInputDialog, QLineEdit, QTableWidgetItem, QWidget

from collector.rpu import load_identity

OK_COLOR, BAD_COLOR, WARN_COLOR = "#dff0d8", "#f2dede", "#fcf8e3"
# A verified package that brought nothing new (all duplicates): not an error, not a success.
DUP_COLOR = "#fcd9a8"


def ask_passphrase(parent: QWidget, what: str) -> str | None:
    text, ok = QInputDialog.getText(parent, what, "请输入本机密钥的口令：", QLineEdit.Password)
    return text if ok and text else None


def identity_for(store, passphrase: str):
    return load_identity(store, passphrase)


def item(text: object, color: str | None = None, tip: str = "") -> QTableWidgetItem:
    it = QTableWidgetItem("" if text is None else str(text))
    it.setFlags(it.flags() & ~Qt.ItemIsEditable)
    if color:
        it.setBackground(QBrush(QColor(color)))
    if tip:
        it.setToolTip(tip)
    return it
