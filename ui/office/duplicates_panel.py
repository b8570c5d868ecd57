"""The inbox's 重复报送 panel: the open duplicates with both sources, and the office's two ways
out — 保留原记录 or 以此份替换 — each with a reason, run through ``ui.worker.run_op``. The work is
``collector.office.duplicates.keep`` and ``collector.office.replace.replace``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton,
                               QTableWidget, QVBoxLayout, QWidget)

from collector.office import duplicates as dups
from collector.office.replace import older_copy_text, replace
from ui.errors import confirm
from ui.worker import Op, run_op

from .common import WARN_COLOR, identity_loader, item

COLUMNS = ("身份证号", "姓名", "原记录（本机现有）", "又收到（收件箱）", "签名时间", "说明")
HINT = ("请与两个报送方核实后处理：“保留原记录”不导入再次收到的那份；“以此份替换”重新校验那份报送文件，"
        "用其中的记录和附件替换本机记录，上报包随之携带该文件。文件名可由任何人改写，"
        "请以签名时间判断哪份较新。")


class ReasonDialog(QDialog):
    """Asks for the reason (required); the text above says what will happen."""

    def __init__(self, parent: QWidget | None, title: str, text: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        about = QLabel(text, self)
        about.setWordWrap(True)
        self.reason = QPlainTextEdit(self)
        self.reason.setPlaceholderText("处理理由（必填），例如：已电话核实，以单位报送的为准")
        self.reason.setMaximumHeight(90)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(title)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.ok.setEnabled(bool(self.reason.toPlainText().strip())))
        lay = QVBoxLayout(self)
        lay.addWidget(about)
        lay.addWidget(QLabel("理由：", self))
        lay.addWidget(self.reason)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()


def ask_reason(parent: QWidget | None, title: str, text: str) -> str | None:
    dialog = ReasonDialog(parent, title, text)
    return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text() else None


class DuplicatesPanel(QGroupBox):
    resolved = Signal()

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__("重复报送（DUPLICATE，未处理）", parent)
        self.store = store
        self.setObjectName("duplicatesPanel")
        self.setStyleSheet(f"QGroupBox {{ background: {WARN_COLOR}; color: #a94442 }}")
        self.rows: list[dups.Duplicate] = []
        self.message = ""
        hint = QLabel(HINT, self)
        hint.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # One line per row (full texts in tooltips): wrapped rows sized before the columns have
        # their final widths came out many lines tall.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for col in (2, 3, 5):  # the signed times (4) are shown whole
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.keep_button = QPushButton("保留原记录…", self)
        self.keep_button.clicked.connect(lambda: self.ask_keep())
        self.replace_button = QPushButton("以此份替换…", self)
        self.replace_button.clicked.connect(lambda: self.ask_replace())
        self.table.itemSelectionChanged.connect(self._enable)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.replace_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.rows = dups.open_duplicates(self.store)
        self.table.setRowCount(len(self.rows))
        for row, d in enumerate(self.rows):
            note = "原记录已随上报包报送，替换后需重新生成上报包" if d.packed else ""
            second = f"#{d.entry_id} {d.file_name}（{d.sender or '—'}）"
            times = d.times()
            cells = ((d.id_number, ""), (d.name, ""), (d.first, d.first), (second, d.second),
                     (times.removeprefix("签名时间："), times), (note, note))
            for col, (text, tip) in enumerate(cells):
                self.table.setItem(row, col, item(text, tip=tip))
        rows = sum(self.table.rowHeight(r) for r in range(min(len(self.rows), 4)))
        self.table.setFixedHeight(self.table.horizontalHeader().height() + rows
                                  + 2 * self.table.frameWidth() + 2)
        if self.rows and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self._enable()
        self.setVisible(bool(self.rows))

    def _enable(self) -> None:
        chosen = self.current() is not None
        self.keep_button.setEnabled(chosen)
        self.replace_button.setEnabled(chosen)

    def current(self) -> dups.Duplicate | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def for_entry(self, entry_id: int) -> list[dups.Duplicate]:
        return [d for d in self.rows if d.entry_id == entry_id]

    # -- the two resolutions -----------------------------------------------------------------
    def ask_keep(self, dup: dups.Duplicate | None = None, reason: str | None = None) -> Op | None:
        dup = dup or self.current()
        if dup is None:
            return None
        reason = reason or ask_reason(
            self, "保留原记录",
            f"保留 {dup.name}（{dup.id_number}）在本机的记录（来源 {dup.first}），"
            f"不导入收件箱 #{dup.entry_id} {dup.second} 中的那份。")
        if not reason:
            return None
        return run_op(self, "保留原记录",
                      lambda job: dups.keep(self.store, dup.id_number, reason,
                                            entry=str(dup.entry_id)),
                      on_done=lambda _r: self._done(f"已保留 {dup.name} 的原记录（{reason}）"),
                      cancellable=False)

    def ask_replace(self, dup: dups.Duplicate | None = None, reason: str | None = None,
                    passphrase: str | None = None) -> Op | None:
        dup = dup or self.current()
        if dup is None:
            return None
        older = dup.older_from_same_signer
        if older and not confirm(self, "以较旧的一份替换？",
                                 older_copy_text(dup) + "。\n\n确定要以旧版替换吗？审计记录会写明这一确认。"):
            return None
        warn = ("\n\n注意：原记录已随上报包报送，替换后请重新生成上报包并告知上级。"
                if dup.packed else "")
        reason = reason or ask_reason(
            self, "以此份替换",
            f"用收件箱 #{dup.entry_id} {dup.second} 中的记录和附件替换 {dup.name}（{dup.id_number}）"
            f"在本机的记录（来源 {dup.first}）。该报送文件会重新校验签名，未通过则什么都不改。{warn}")
        if not reason:
            return None
        unlock = identity_loader(self, self.store, "以此份替换", passphrase)
        if unlock is None:
            return None

        def work(job):
            job.progress(0, 0, f"正在重新校验 {dup.file_name}")
            return replace(self.store, dup.id_number, f"#{dup.entry_id}", unlock(), reason,
                           confirm_older=older)

        def done(result) -> None:
            notes = "".join(f"\n{w.message}" for w in result.warnings)
            self._done(f"已以 {dup.file_name} 替换 {result.name} 的原记录，"
                       f"复制附件 {result.attachments_copied} 个。{notes}")

        return run_op(self, "以此份替换", work, on_done=done, cancellable=False)

    def _done(self, message: str) -> None:
        self.message = message
        self.resolved.emit()


__all__ = ["DuplicatesPanel", "ReasonDialog", "ask_reason"]
