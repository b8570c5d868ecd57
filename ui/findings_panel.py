"""The findings panel: every finding of the candidate being edited; a click jumps to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from collector.record.fields import label_of
from . import style


class FindingsPanel(QWidget):
    field_clicked = Signal(str)  # a field path such as work_history[1].end

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("检查结果", self)
        style.tone(self.title, "panelTitle")
        self.list = QListWidget(self)
        self.list.setObjectName("findings")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._go)
        self.list.itemClicked.connect(self._go)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.list, 1)

    def show_findings(self, findings: list, partial: bool = False) -> None:
        """``partial``: a new form where only the fields filled so far were checked."""
        self.list.clear()
        errors = sum(f.is_error for f in findings)
        scope = "（只检查了已填写的项目）" if partial else ""
        self.title.setText(f"检查结果{scope}：{errors} 个错误，{len(findings) - errors} 个提示"
                           if findings else f"检查结果{scope}：" +
                           ("暂未发现问题" if partial else "没有发现问题"))
        for f in sorted(findings, key=lambda f: not f.is_error):
            where = label_of(f.field) if f.field else ""
            mark = "错误" if f.is_error else "提示"
            item = QListWidgetItem(f"[{mark}] {where}：{f.message}" if where else f"[{mark}] {f.message}")
            item.setData(Qt.ItemDataRole.UserRole, f.field)
            item.setToolTip(f"{f.rule} · {f.field}\n点击转到此项")
            item.setForeground(QBrush(QColor("#b71c1c" if f.is_error else "#8a5300")))
            self.list.addItem(item)

    def _go(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.field_clicked.emit(path)
