"""专家组商议定序: order the candidates of one tie across a quota line and give the reason.

The dialog only collects the order, the reason and who records it; ``submit`` (from the page)
hands them to ``collector.review.record_tiebreak``. When the core refuses, the message is shown
in the dialog, nothing is saved, and the dialog stays open to correct the input.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout)

from collector.review.ranking import fmt
from collector.review.tiebreak import REASON_LIMIT, Tie
from collector.storage.store import default_actor


class TieBreakDialog(QDialog):
    """``submit(tie, order, reason, actor, dialog) -> bool`` saves; True closes the dialog."""

    def __init__(self, ties: list[Tie],
                 submit: Callable[[Tie, list[str], str, str, "TieBreakDialog"], bool],
                 parent=None):
        super().__init__(parent)
        self.setObjectName("tieBreakDialog")
        self.setWindowTitle("专家组商议定序")
        self.setMinimumWidth(520)
        self.ties = ties
        self.submit = submit
        lay = QVBoxLayout(self)
        self.tie_box = QComboBox(self)
        for t in ties:
            where = "全区名额" if t.channel is None else f"{t.channel[1]}（{t.channel[0]}）名额"
            self.tie_box.addItem(f"{where}：{len(t.members)}人并列第{t.rank}名，"
                                 f"剩余{t.seats}个", t.scope)
        self.tie_box.setVisible(len(ties) > 1)
        self.tie_box.currentIndexChanged.connect(self._load_tie)
        lay.addWidget(self.tie_box)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        lay.addWidget(self.note)

        row = QHBoxLayout()
        self.order_list = QListWidget(self)
        self.order_list.setObjectName("tieOrder")
        self.order_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.order_list.currentRowChanged.connect(lambda _r: self._update_marks())
        self.order_list.model().rowsMoved.connect(lambda *_a: self._update_marks())
        row.addWidget(self.order_list, 1)
        buttons = QVBoxLayout()
        self.up_button = QPushButton("上移", self)
        self.down_button = QPushButton("下移", self)
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        lay.addLayout(row, 1)

        form = QFormLayout()
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setPlaceholderText(f"商议经过和表决结果，必填，最多{REASON_LIMIT}字")
        self.reason_edit.setFixedHeight(80)
        form.addRow("商议理由", self.reason_edit)
        self.actor_edit = QLineEdit(default_actor(), self)
        form.addRow("记录人", self.actor_edit)
        lay.addLayout(form)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a94442")
        lay.addWidget(self.error_label)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("记录商议结果")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self._load_tie()

    @property
    def tie(self) -> Tie:
        return self.ties[max(self.tie_box.currentIndex(), 0)]

    def _load_tie(self, *_args) -> None:
        t = self.tie
        where = "全区" if t.channel is None else t.channel[1]
        self.note.setText(f"{len(t.members)}人并列第{t.rank}名（得分 {fmt(t.mean)}），{where}剩余名额"
                          f"{t.seats}个。请按专家组商议的结果排列先后（拖动或用“上移”“下移”），"
                          f"排在前 {t.seats} 位者入选，其余未入选。"
                          + ("（某盟市或区直单位的名额已满时，由排在后面的其他渠道人选顺延。）"
                             if t.channel is None else ""))
        self.order_list.clear()
        rows = t.members
        if t.decision:  # an existing decision: start from its order
            rank = {cid: k for k, cid in enumerate(t.decision.order)}
            rows = sorted(rows, key=lambda r: rank.get(r.id, len(rank)))
            self.reason_edit.setPlainText(t.decision.reason)
        for r in rows:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{r.candidate.name}　{r.candidate.channel[1]}"
                                          f"（{r.candidate.channel[0]}）　{r.id[:8]}")
            self.order_list.addItem(item)
        self.order_list.setCurrentRow(0)
        self._update_marks()

    def _update_marks(self) -> None:
        seats = self.tie.seats
        for k in range(self.order_list.count()):
            item = self.order_list.item(k)
            mark = "入选" if k < seats else "未入选"
            item.setText(f"{k + 1}. {item.data(Qt.ItemDataRole.UserRole + 1)}　→ {mark}")
        row = self.order_list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.order_list.count() - 1)

    def move_row(self, step: int) -> None:  # not move(): that is QWidget's, to place it
        row = self.order_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.order_list.count():
            return
        item = self.order_list.takeItem(row)
        self.order_list.insertItem(target, item)
        self.order_list.setCurrentRow(target)
        self._update_marks()

    def order(self) -> list[str]:
        return [self.order_list.item(k).data(Qt.ItemDataRole.UserRole)
                for k in range(self.order_list.count())]

    def reason(self) -> str:
        return self.reason_edit.toPlainText()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)

    def save(self) -> None:
        self.error_label.clear()
        if self.submit(self.tie, self.order(), self.reason(), self.actor_edit.text(), self):
            self.accept()
