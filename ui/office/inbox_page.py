"""收件箱: import many .rpu files, a folder, a disc folder or an ISO image at once, with progress;
each row shows the signer's fingerprint, the sender, and whether it verified or why not. Open
duplicates are listed below with 保留原记录 / 以此份替换 (``duplicates_panel.py``)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QMenu, QPushButton, QTableWidget, QVBoxLayout, QWidget)

from collector.common.fingerprint import short
from collector.office import inbox
from collector.exchange import untrusted
from ui.roles import PageLifecycle
from ui.file_dialogs import start_dir
from ui.worker import run_op

from .common import BAD_COLOR, DUP_COLOR, OK_COLOR, identity_loader, item
from .duplicates_panel import DuplicatesPanel

COLUMNS = ("状态", "文件", "签名指纹", "报送方", "候选人", "签名链", "原因 / 说明", "收到时间")
REASON_COL = COLUMNS.index("原因 / 说明")
STATUS_COLORS = {inbox.IMPORTED: OK_COLOR, inbox.SKIPPED: OK_COLOR, inbox.DUPLICATE: DUP_COLOR}
NAMES_SHOWN = 3  # more candidates than this are summarized ("甲、乙、丙等 7 名"), all in the tooltip


def chain_cell(entry: inbox.InboxEntry) -> tuple[str, str]:
    """签名链 column: 通过 only when every candidate was traced to its applicant's own signed
    package; else the classes with their counts; the whole account in the tooltip."""
    if entry.status != inbox.IMPORTED:
        return "", ""
    lines = inbox.entry_lines(entry)[1:]
    head = lines[0].strip().removeprefix("签名链：") if lines else ""
    if head.startswith("通过"):
        text = "通过"
    else:
        text = head.split("：", 1)[-1] if "：" in head else head
    if any("须核对纸质材料" in x for x in lines):
        text += "；须核对纸质材料"
    return text, "\n".join(x.strip() for x in lines)


class InboxPage(QWidget, PageLifecycle):
    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setObjectName("officeInboxPage")
        self.last_result: inbox.InboxResult | None = None

        buttons = QHBoxLayout()
        for text, slot in (("导入报送文件…", self.choose_files),
                           ("导入文件夹 / 光盘…", self.choose_folder),
                           ("导入光盘映像（ISO）…", self.choose_iso)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.summary = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # The reason is what matters for a refused file: it takes the free width and wraps;
        # the file column shows only the name (full path in its tooltip).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON_COL, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.duplicates = DuplicatesPanel(store, self)
        self.duplicates.resolved.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.duplicates)
        self.refresh()

    # -- choosing -----------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择报送文件", start_dir(),
                                                "报送文件 (*.rpu);;所有文件 (*)")
        if paths:
            self.import_paths(paths)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择文件夹或光盘", start_dir())
        if path:
            self.import_paths([path])

    def choose_iso(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择光盘映像", start_dir(),
                                              "光盘映像 (*.iso)")
        if path:
            self.import_paths([path])

    def import_paths(self, paths: list[str], passphrase: str | None = None):
        unlock = identity_loader(self, self.store, "导入报送文件", passphrase)
        if unlock is None:
            return None

        def work(job):
            # The packages are copied into the store while the key is unlocked.
            return inbox.import_many(self.store, paths, unlock,
                                     progress=lambda d, t, w: job.progress(d, t, f"正在校验 {w}"),
                                     cancel=lambda: job.cancelled)

        def done(result: inbox.InboxResult) -> None:
            self.last_result = result
            self.refresh()
            if result.converted is not None:  # a store of the previous release, done once
                self.summary.setText(self.summary.text() + "\n" + result.converted.line())

        return run_op(self, "导入报送文件", work, on_done=done)

    # -- showing --------------------------------------------------------------------------
    def refresh(self) -> None:
        entries = inbox.list_inbox(self.store)
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            chain_text, chain_tip = chain_cell(e)
            who = " ".join(x for x in (e.sender_unit, f"（{e.sender_role}）" if e.sender_role else "") if x)
            all_names = [c["name"] for c in e.candidates]
            names = "、".join(all_names[:NAMES_SHOWN])
            if len(all_names) > NAMES_SHOWN:
                names += f"等 {len(all_names)} 名"
            cells = ((e.status_label, STATUS_COLORS.get(e.status, BAD_COLOR), e.reason),
                     (e.file_name or Path(e.origin).name, None, e.origin),
                     (short(e.signer) if e.signer else "—", None, e.signer),
                     (who, None, ""), (names or "—", None, "、".join(all_names)),
                     (chain_text, None, chain_tip), (e.reason, None, e.reason),
                     (e.received_at[:19].replace("T", " "), None, ""))
            for col, (text, color, tip) in enumerate(cells):
                self.table.setItem(row, col, item(text, color, tip))
        counts = {s: sum(e.status == s for e in entries) for s in STATUS_COLORS}
        n_refused = sum(e.status == inbox.REFUSED for e in entries)
        dup_only = f"，重复未导入 {counts[inbox.DUPLICATE]} 个" if counts[inbox.DUPLICATE] else ""
        self.summary.setText(f"共收到 {len(entries)} 个文件：已导入 {counts[inbox.IMPORTED]} 个{dup_only}，"
                             f"拒收 {n_refused} 个。右键可处理重复报送，或把某个签名密钥标记为不可信。")
        self.duplicates.refresh()
        if self.duplicates.message:
            self.summary.setText(self.summary.text() + "\n" + self.duplicates.message)

    def _menu(self, pos) -> None:
        row = self.table.rowAt(pos.y())
        entries = inbox.list_inbox(self.store)
        if row < 0 or row >= len(entries) or not entries[row].signer:
            return
        fp = entries[row].signer
        menu = QMenu(self)
        for d in self.duplicates.for_entry(entries[row].id):
            menu.addAction(f"保留原记录（{d.name}）…", partial(self.duplicates.ask_keep, d))
            menu.addAction(f"以此份替换（{d.name}）…", partial(self.duplicates.ask_replace, d))
            menu.addSeparator()
        marked = untrusted.untrusted_reason(self.store, fp) is not None
        action = menu.addAction("取消不可信标记" if marked else f"将签名密钥 {short(fp)} 标记为不可信")
        if menu.exec(self.table.viewport().mapToGlobal(pos)) == action:
            if marked:
                untrusted.mark_trusted(self.store, fp)
            else:
                untrusted.mark_untrusted(self.store, fp, "在收件箱中标记")
            self.refresh()
