"""The outcome of a long office job (上报包, 光盘, 校验): a short summary on top and the findings
in a scrolling list, so a disc with forty findings still shows its 确定 on a 1366×768 screen."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout,
                               QWidget)

from ui.screen_text import for_screen

from .common import BAD_COLOR, OK_COLOR


class ResultDialog(QDialog):
    def __init__(self, title: str, summary: str, lines: list[str], ok: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("resultDialog")
        self.summary = QLabel(for_screen(summary) + (f"\n另有 {len(lines)} 条提示，见下表：" if lines else ""))
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"background: {OK_COLOR if ok else BAD_COLOR}; padding: 6px")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.addItems([for_screen(x) for x in lines])
        self.list.setVisible(bool(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(720, 460 if lines else 160)
        self.setMaximumHeight(620)  # 768 less a taskbar and the title bar: 确定 stays on screen
