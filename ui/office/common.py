"""Small pieces the office pages share: the unlocked identity (``ui.session``) and read-only
table items."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidgetItem

from collector.common.text import shown
from ui.session import ask_passphrase, identity_loader

OK_COLOR, BAD_COLOR, WARN_COLOR = "#dff0d8", "#f2dede", "#fcf8e3"
# A verified package that brought nothing new (all duplicates): not an error, not a success.
DUP_COLOR = "#fcd9a8"


def item(text: object, color: str | None = None, tip: str = "") -> QTableWidgetItem:
    """A read-only cell. File names and senders come from packages and discs: control and bidi
    characters in them are shown escaped (a tooltip keeps its own line breaks)."""
    it = QTableWidgetItem("" if text is None else shown(str(text)))
    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if color:
        it.setBackground(QBrush(QColor(color)))
    if tip:
        it.setToolTip("\n".join(shown(line) for line in tip.split("\n")))
    return it


__all__ = ["ask_passphrase", "identity_loader", "item", "OK_COLOR", "BAD_COLOR", "WARN_COLOR",
           "DUP_COLOR"]
