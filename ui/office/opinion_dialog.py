"""填写意见: the office's opinion in a wrapping box with a counter against the year's limit
(``unit_opinion`` in the year's rules, 500 characters in 2017); 确定 is off while it is over."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout,
                               QWidget)

from collector.record.year import load_year


class OpinionDialog(QDialog):
    def __init__(self, title: str, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("opinionDialog")
        self.limit = load_year().limits["unit_opinion"].max
        prompt = QLabel(f"{title}（不超过{self.limit}字）：")
        self.box = QPlainTextEdit(text)
        self.box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.counter = QLabel()
        self.counter.setObjectName("opinionCounter")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.box, 1)
        layout.addWidget(self.counter)
        layout.addWidget(self.buttons)
        self.box.textChanged.connect(self._count)
        self.resize(560, 320)
        self._count()

    def text(self) -> str:
        return self.box.toPlainText()

    def _count(self) -> None:
        n = len(self.text().strip())
        over = n > self.limit
        self.counter.setText(f"{n}/{self.limit}" + (f"（超出 {n - self.limit} 字）" if over else ""))
        self.counter.setStyleSheet("color: #d32f2f; font-weight: bold" if over else "color: #666666")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not over)
