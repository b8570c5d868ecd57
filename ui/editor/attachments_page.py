"""佐证材料: files added by dialog or drag-and-drop, copied into the store, with title, category,
涉密/已脱密 flags, size; open the stored copy, remove, reorder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, QUrl
from PySide6.QtGui import QBrush, QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView,
                               QInputDialog, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from collector.record import fields as fl
from collector.common import opening
from collector.common.errors import CollectorError
from collector.rules.attachment_kind import OTHER, guess_category
from ui.errors import confirm
from ui.file_dialogs import start_dir

from ..worker import run_op
from .inputs import restyle
from .page import Page
from .table_input import COLOURS, RowsInput, _Delegate

# Columns shown, by the attachment row's keys; file name and size are read-only.
COLUMNS = ("title", "category", "classified", "declassified", "file", "size")
EDITABLE = {"title", "category"}
CHECKS = {"classified", "declassified"}


def human_size(n: int | None) -> str:
    size = float(n or 0)
    for unit in ("字节", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "字节" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


class AttachmentsTable(RowsInput):
    def __init__(self, year, page: "AttachmentsPage"):
        super().__init__(page.body)
        self.page = page
        self.path = "attachments"
        spec = fl.BY_KEY["attachments"]
        self.specs = tuple(spec.child(k) for k in COLUMNS)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("grid:attachments")
        self.table.setHorizontalHeaderLabels(["大小" if s.key == "size" else s.label for s in self.specs])
        self.table.setItemDelegate(_Delegate(self.specs, year, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(260)
        header = self.table.horizontalHeader()
        for c, key in enumerate(COLUMNS):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if key in ("title", "file")
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self._triggers = self.table.editTriggers()
        self.table.itemChanged.connect(lambda _i: self.changed.emit())
        self.table.doubleClicked.connect(self._double_clicked)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for text, slot in (("添加文件…", page.choose_files), ("打开", self.open_current),
                           ("另存为…", self.save_current),
                           ("删除", self.remove_current), ("上移", lambda: self.move_row(-1)),
                           ("下移", lambda: self.move_row(1))):
            b = QPushButton(text, self)
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[text] = b
        row.addStretch(1)
        self.read_only = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(row)
        self._marked: list[tuple[int, int]] = []

    def set_read_only(self, on: bool) -> None:
        """Only 打开 stays: an office reads the applicant's files but changes none of them."""
        rows = self.value()
        self.read_only = on
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if on
                                   else self._triggers)
        for text, b in self.buttons.items():
            b.setVisible(text in ("打开", "另存为…") or not on)
        self.set_value(rows)  # the check boxes' flags follow read_only

    def value(self) -> list[dict]:
        rows = []
        for r in range(self.table.rowCount()):
            entry = dict(self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) or {})
            for c, key in enumerate(COLUMNS):
                item = self.table.item(r, c)
                if key in EDITABLE:
                    entry[key] = item.text().strip()
                elif key in CHECKS:
                    entry[key] = item.checkState() == Qt.CheckState.Checked
            rows.append(entry)
        return rows

    def set_value(self, rows: list[dict]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for entry in rows or []:
            self._append(entry)
        self.table.blockSignals(False)
        self._marked.clear()

    def _append(self, entry: dict) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, key in enumerate(COLUMNS):
            item = QTableWidgetItem()
            if key in CHECKS:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable |
                              (Qt.ItemFlag.NoItemFlags if self.read_only
                               else Qt.ItemFlag.ItemIsUserCheckable))
                item.setCheckState(Qt.CheckState.Checked if entry.get(key)
                                   else Qt.CheckState.Unchecked)
            elif key in EDITABLE:
                item.setText(opening.display_name(str(entry.get(key) or "")))
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setText(human_size(entry.get("size")) if key == "size"
                             else opening.display_name(str(entry.get(key) or "")))
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, dict(entry))
            self.table.setItem(r, c, item)
        return r

    def add_entry(self, entry: dict) -> None:
        with QSignalBlocker(self.table):  # one change for the whole row, not one per cell
            r = self._append(entry)
        self.table.setCurrentCell(r, 0)
        self.changed.emit()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() >= COLUMNS.index("file"):  # file name and size: open the file
            self.open_current()

    def open_current(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        entry = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) or {}
        self.page.open_file(entry)

    def save_current(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.page.save_file(self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) or {})

    def remove_current(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        from ..errors import confirm

        name = self.table.item(r, 0).text() if self.table.item(r, 0) else ""
        if not confirm(self, "删除佐证材料", f"从表格中删除“{name}”吗？删除后可以用"
                       "“编辑 → 撤销”（Ctrl+Z）恢复。"):
            return
        self.table.removeRow(r)
        self.changed.emit()

    def snapshot(self) -> list[dict]:
        return self.value()

    def restore(self, rows: list[dict]) -> None:
        self.set_value(rows)

    def move_row(self, delta: int) -> None:  # not move(): that is QWidget's, to place it
        r = self.table.currentRow()
        t = r + delta
        if r < 0 or not 0 <= t < self.table.rowCount():
            return
        rows = self.value()
        rows[r], rows[t] = rows[t], rows[r]
        self.set_value(rows)
        self.table.setCurrentCell(t, 0)
        self.changed.emit()

    def format_problems(self) -> list[tuple[str, str]]:
        return []

    # A cell's colour and tooltip are display; Qt reports them as itemChanged like an edit, so
    # signals stay blocked while marking, or showing a finding would autosave the record.
    def clear_marks(self) -> None:
        with QSignalBlocker(self.table):
            for r, c in self._marked:
                item = self.table.item(r, c)
                if item:
                    item.setBackground(QBrush())
                    item.setToolTip("")
        self._marked.clear()
        restyle(self.table, "")

    def mark(self, row: int | None, key: str | None, severity: str, message: str) -> None:
        c = COLUMNS.index(key) if key in COLUMNS else 0
        if row is None or row >= self.table.rowCount():
            restyle(self.table, severity)
            self.table.setToolTip(message)
            return
        item = self.table.item(row, c)
        with QSignalBlocker(self.table):
            item.setBackground(QBrush(COLOURS.get(severity, COLOURS["warning"])))
            item.setToolTip(message)
        self._marked.append((row, c))

    def focus_cell(self, row: int | None, key: str | None) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if row is not None and row < self.table.rowCount():
            self.table.setCurrentCell(row, COLUMNS.index(key) if key in COLUMNS else 0)


class AttachmentsPage(Page):
    title = fl.ATTACH

    def __init__(self, year, parent=None, store=None):
        super().__init__(year, parent)
        self.store = store
        self.setAcceptDrops(True)
        self.note("添加职称、学历学位、获奖、论文、专利、项目等证明材料的扫描件（PDF 或图片）。"
                  "可以点“添加文件…”，也可以把文件直接拖到本页。文件会复制到数据文件夹中保存。\n"
                  "涉密材料必须先作脱密处理，并勾选“已脱密处理”，否则不能生成报送。", howto=True)
        self.attachments = AttachmentsTable(year, self)
        self.attachments.changed.connect(self.changed)
        self.tables["attachments"] = self.attachments
        self.column.addWidget(self.attachments)
        self.column.addStretch(1)

    def set_read_only(self, on: bool) -> None:
        super().set_read_only(on)
        self.setAcceptDrops(not on)

    # -- adding files -------------------------------------------------------------------------------
    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "选择佐证材料文件", start_dir(),
            "佐证材料 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.doc *.docx);;所有文件 (*)")
        if files:
            self.add_files([Path(f) for f in files])

    def add_files(self, paths: list[Path]):
        """Copy files into the store in the background, then add one row each."""
        store = self.store
        paths = [p for p in paths if p.is_file()]
        if not paths or store is None or self.attachments.read_only:
            return None

        def work(job):
            out = []
            for i, p in enumerate(paths):
                job.check()
                job.progress(i, len(paths), f"正在复制 {p.name}")
                sha, size = store.add_file(p)
                out.append({"file": opening.display_name(p.name),
                            "title": opening.display_name(p.stem), "category": OTHER,
                            "classified": False, "declassified": False, "sha256": sha, "size": size})
            return out

        def done(entries):
            for entry in entries:
                entry["category"] = self.category_for(entry["file"])
                self.attachments.add_entry(entry)

        return run_op(self, "添加佐证材料", work, on_done=done)

    def category_for(self, name: str) -> str:
        """The category the file's name suggests; when no category or several fit, ask."""
        guess = guess_category(name, self.year)
        if guess.sure:
            return guess.category
        choices = list(self.year.choices("attachment_category"))
        start = choices.index(guess.category) if guess.category in choices else len(choices) - 1
        chosen, ok = QInputDialog.getItem(
            self, "佐证材料类别", f"“{name}”是哪一类佐证材料？\n（从文件名看不出来，也可以以后在表中修改）",
            choices, start, False)
        return chosen if ok and chosen else guess.category

    def open_file(self, entry: dict) -> None:
        """Documents and images open in the system's viewer; any other type (a program, a
        launcher, a script) can only be saved (collector.common.opening decides)."""
        if not self._available(entry):
            return
        name = entry.get("file") or "附件"
        if not opening.can_open(name):
            self.save_file(entry, reason=f"“{opening.display_name(name)}”不是文档或图片，"
                                         "为安全起见不直接打开；请另存后自行检查")
            return
        warning = opening.open_warning(name)
        if warning and not confirm(self, "打开可能含宏的文件", warning):
            return
        try:  # a private copy for the viewer, from the package that holds it if need be
            copy = opening.view_copy(lambda dest: self._export(entry, dest), name,
                                     warned=bool(warning))
        except CollectorError as err:
            from ..errors import show_error

            show_error(self, "打开附件", err)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Warning, "打开附件",
                              f"本机没有可以打开“{opening.display_name(name)}”的程序；"
                              "可以点“另存为…”保存后在其他电脑上查看。",
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("noViewer")
            box.open()

    def save_file(self, entry: dict, reason: str = "") -> Path | None:
        """另存为: copy the stored file out under a name the user confirms."""
        if not self._available(entry):
            return None
        suggested = Path(start_dir()) / opening.disk_name(entry.get("file") or "附件")
        title = f"另存为（{reason}）" if reason else "另存为"
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(suggested))
        if not chosen:
            return None
        dest = Path(chosen).with_name(opening.disk_name(Path(chosen).name))
        try:
            self._export(entry, dest)
        except CollectorError as err:
            from ..errors import show_error

            show_error(self, "另存为", err)
            return None
        return dest

    def _export(self, entry: dict, dest: Path) -> None:
        """Every way out of the store goes through collector.storage.attachments: a plain file,
        or the part of a received package that holds it, checked as it is decrypted."""
        self.store.export_file(entry["sha256"], dest, opening.display_name(entry.get("file")))

    def _available(self, entry: dict) -> bool:
        if not entry.get("sha256") or self.store is None:
            return False
        from collector.storage.attachments import is_stored

        if not is_stored(self.store, entry["sha256"]):
            from ..errors import show_error
            from collector.common.errors import NotFoundError

            show_error(self, "打开附件", NotFoundError(
                f"附件“{opening.display_name(entry.get('file'))}”不在数据文件夹中"
                f"（{self.store.files_dir}）"))
            return False
        return True

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.add_files(files)
