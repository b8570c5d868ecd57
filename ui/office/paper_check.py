"""纸质材料核对 dialog: a text field a USB QR scanner types into (it types the registration
form's QR, then Enter) or a clerk types a fingerprint into; each scan is matched by
``collector.office.paper`` and the list shows every candidate's paper: 一致, 不一致 or 未核对."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QLineEdit, QTableWidget, QVBoxLayout, QWidget)

from collector.errors import CollectorError
from collector.office import paper

from .common import BAD_COLOR, OK_COLOR, WARN_COLOR, item

COLUMNS = ("姓名", "身份证号", "来源核对", "纸质材料", "须本级核对的原因", "下级核对", "核对时间")
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
        self.resize(900, 520)
        intro = QLabel(HELP)
        intro.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setObjectName("paperScan")
        self.field.setPlaceholderText("在此扫描二维码或输入指纹，按回车核对")
        self.field.returnPressed.connect(self.scan)
        self.result = QLabel()
        self.result.setObjectName("paperResult")
        self.result.setWordWrap(True)
        self.summary = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("须本级核对的原因"), QHeaderView.Stretch)
        header.setStretchLastSection(False)
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, self.field, self.result, self.summary):
            layout.addWidget(w)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()
        self.field.setFocus()

    def scan(self) -> None:
        """One scan: never a blocking message box, so the next form can be scanned at once."""
        text = self.field.text()
        self.field.clear()
        if not text.strip():
            return
        try:
            got = paper.check_scan(self.store, text)
        except CollectorError as err:
            self._show(str(err), BAD_COLOR)
            return
        # matched / mismatch messages begin with 一致 / 不一致 themselves
        text = got.message if got.status != paper.MISSING else f"未找到：{got.message}"
        self._show(text, STATUS_COLORS[got.status])
        self.refresh()
        self.checked.emit()

    def _show(self, text: str, color: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"background: {color}; padding: 4px")

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
        self.summary.setText(f"共 {len(rows)} 名：一致 {counts[paper.MATCHED]}，"
                             f"不一致 {counts[paper.MISMATCH]}，未核对 {counts[paper.MISSING]}"
                             + (f"；须本级核对而尚未一致 {flagged} 名" if flagged else ""))
        self.summary.setAlignment(Qt.AlignLeft)
