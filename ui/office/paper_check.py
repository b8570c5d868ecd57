"""纸质材料核对 dialog, a scanning station: a USB QR scanner types the registration form's QR
and Enter into the field (or a clerk types a fingerprint); each scan is matched by
``collector.office.paper``, listed in the dialog (一致 green, 不一致 red with why, a beep and a
flash on a mismatch) with running counts, and the field is ready for the next form at once.
Enter never closes the dialog; only 关闭 or Esc do."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDialog, QDialogButtonBox,
                               QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QSplitter, QTableWidget, QVBoxLayout, QWidget)

from collector.common.errors import CollectorError
from collector.office import paper

from .common import BAD_COLOR, OK_COLOR, WARN_COLOR, item

COLUMNS = ("姓名", "身份证号", "来源核对", "纸质材料", "须本级核对的原因", "下级核对", "核对时间")
FLASH_COLOR = "#d9534f"
STATUS_COLORS = {paper.MATCHED: OK_COLOR, paper.MISMATCH: BAD_COLOR, paper.MISSING: WARN_COLOR}
HELP = ("用扫码枪扫描推荐人选个人登记表页脚的二维码（扫码枪输入后自动回车），"
        "或输入页脚“人选数据指纹”的前四组以上后按回车。")


class PaperCheckDialog(QDialog):
    checked = Signal()  # a scan was stored: pages showing paper status refresh

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("纸质材料核对")
        self.setObjectName("paperCheckDialog")
        self.resize(900, 600)
        self.scans: list[paper.ScanResult | None] = []  # this session's scans (None = unreadable)
        intro = QLabel(HELP)
        intro.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setObjectName("paperScan")
        self.field.setPlaceholderText("在此扫描二维码或输入指纹，按回车核对")
        self.field.returnPressed.connect(self.scan)
        self.verdict = QLabel()
        self.verdict.setObjectName("paperResult")
        self.verdict.setWordWrap(True)
        # room for a two-line reason: a wrapped label beside a stretching list is otherwise
        # squeezed to one line and its lines drawn over each other
        self.verdict.setMinimumHeight(2 * self.verdict.fontMetrics().lineSpacing() + 12)
        self.summary = QLabel()
        self.summary.setObjectName("paperCounts")
        self.log = QListWidget()
        self.log.setObjectName("paperLog")
        self.log.setWordWrap(True)
        self.log.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner must keep typing into the field
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("须本级核对的原因"), QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QDialogButtonBox()
        close = QPushButton("关闭")
        close.setAutoDefault(False)  # a scanner's Enter must not press it
        close.setDefault(False)
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.log)
        split.addWidget(self.table)
        split.setSizes([200, 300])
        layout = QVBoxLayout(self)
        for w in (intro, self.field, self.verdict, self.summary):
            layout.addWidget(w)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.refresh()
        self.field.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        # QDialog presses its default button on Enter; here Enter only ever means "check".
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def scan(self) -> None:
        """One scan: never a blocking message box, so the next form can be scanned at once."""
        text = self.field.text()
        self.field.clear()
        self.field.setFocus()
        if not text.strip():
            return
        try:
            got = paper.check_scan(self.store, text)
        except CollectorError as err:
            self.scans.append(None)
            self._show(f"无法读取：{getattr(err, 'message', None) or err}", BAD_COLOR, alarm=True)
            self.refresh()
            return
        self.scans.append(got)
        # matched / mismatch messages begin with 一致 / 不一致 themselves
        text = got.message if got.status != paper.MISSING else f"未找到：{got.message}"
        self._show(text, STATUS_COLORS[got.status], alarm=not got.ok)
        self.refresh()
        self.checked.emit()

    def _show(self, text: str, color: str, *, alarm: bool) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"background: {color}; padding: 4px")
        line = QListWidgetItem(f"{time.strftime('%H:%M:%S')}  {text}")
        line.setBackground(QBrush(QColor(color)))
        self.log.insertItem(0, line)  # the newest scan on top, where the eye is
        self.log.setCurrentRow(-1)
        if alarm:
            self.alarm()

    def alarm(self) -> None:
        """A beep and a short red flash of the result, so a clerk looking at the paper notices."""
        QApplication.beep()
        for i, ms in enumerate((150, 300, 450, 600)):
            color = BAD_COLOR if i % 2 else FLASH_COLOR
            QTimer.singleShot(ms, self, lambda c=color: self.verdict.setStyleSheet(
                f"background: {c}; padding: 4px"))

    def refresh(self) -> None:
        rows = paper.paper_list(self.store)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            below = "；".join(f"{b.get('level', '')}：{b.get('label', '')}" for b in row.below or []
                             if b.get("label"))
            cells = ((row.name, None, ""), (row.id_number, None, ""),
                     (row.provenance, None, ""),
                     (paper.LABELS[row.status], STATUS_COLORS[row.status], row.message),
                     (row.flagged, WARN_COLOR if row.flagged else None, row.flagged),
                     (below or "—", None, ""), (row.at[:19].replace("T", " "), None, ""))
            for c, (text, color, tip) in enumerate(cells):
                self.table.setItem(r, c, item(text, color, tip))
        counts = {s: sum(x.status == s for x in rows) for s in paper.LABELS}
        flagged = sum(bool(x.flagged) for x in rows)
        good = sum(1 for x in self.scans if x is not None and x.ok)
        self.summary.setText(f"本次已扫描 {len(self.scans)} 份（一致 {good}，其余 "
                             f"{len(self.scans) - good}）。全部 {len(rows)} 名人选：已核对一致 "
                             f"{counts[paper.MATCHED]}，不一致 {counts[paper.MISMATCH]}，"
                             f"尚缺纸质材料 {counts[paper.MISSING]}"
                             + (f"；须本级核对而尚未一致 {flagged} 名" if flagged else ""))
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft)
