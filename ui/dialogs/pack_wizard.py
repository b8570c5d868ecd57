"""生成报送 wizard: 1 check, 2 recipients, 3 passphrase and file, 4 pack (cancellable, in the
worker), 5 print the forms and export a disc folder. All real work is ``collector.rpu.pack``,
``collector.printing.print_all`` and ``collector.disc.build_folder``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QFileDialog, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWizard, QWizardPage)

from collector import rules
from collector.common.fingerprint import short
from collector.rules.findings import warning_lines
from collector.record.fields import label_of
from ui.file_dialogs import start_dir

from ..errors import message_for
from ..worker import Op, run_op
from .pack_passphrase import PassphrasePage
from .pack_recipients import RecipientsPage

if TYPE_CHECKING:
    from collector.rpu.keys import Identity
    from collector.rpu.packing import PackResult


def _label(text: str, parent, wrap: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CheckPage(QWizardPage):
    """Which candidates go in the package; any error finding keeps 下一步 disabled."""

    def __init__(self, wizard: "PackWizard"):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("第一步：检查")
        self.setSubTitle("勾选要报送的候选人。有错误的候选人必须先改正，才能继续。")
        self.list = QListWidget(self)
        self.list.itemChanged.connect(lambda _i: self.recheck())
        self.report = QListWidget(self)
        self.report.setWordWrap(True)
        self.summary = _label("", self)
        lay = QVBoxLayout(self)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.report, 2)

    def initializePage(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for row in self.w.store.rows():
            item = QListWidgetItem(f"{row['name'] or '（未填姓名）'}  {row['id_number']}  {row['employer']}")
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = row["id"] in self.w.ids if self.w.ids else True
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.recheck()

    def chosen(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def recheck(self) -> None:
        self.report.clear()
        errors = warnings = 0
        for cid in self.chosen():
            stored = self.w.store.get(cid)
            for f in rules.validate(stored.data):
                errors += f.is_error
                warnings += not f.is_error
                mark = "错误" if f.is_error else "提示"
                item = QListWidgetItem(f"[{mark}] {stored.name or '（未填姓名）'} · "
                                       f"{label_of(f.field)}：{f.message}")
                item.setForeground(Qt.GlobalColor.darkRed if f.is_error else Qt.GlobalColor.darkYellow)
                self.report.addItem(item)
        n = len(self.chosen())
        if not n:
            self.summary.setText("请至少勾选一位候选人。")
        elif errors:
            self.summary.setText(f"已选 {n} 人：有 {errors} 个错误必须改正（关闭向导，在表格中修改），"
                                 f"{warnings} 个提示。")
        else:
            self.summary.setText(f"已选 {n} 人：检查通过" + (f"（{warnings} 个提示，不影响报送）" if warnings else "。"))
        self.errors = errors
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.chosen()) and not getattr(self, "errors", 1)


class PackPage(QWizardPage):
    def __init__(self, wizard: "PackWizard"):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("第四步：生成报送文件")
        self.setSubTitle("签名、加密并写入报送文件。可以取消，取消后不会留下不完整的文件。")
        self.status = _label("", self)
        self.retry = QPushButton("重新生成", self)
        self.retry.clicked.connect(self.start)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        self.op: Op | None = None

    def initializePage(self) -> None:
        self.w.packed = None
        self.start()

    def start(self) -> None:
        from collector.exchange.packing import pack

        self.retry.hide()
        self.status.setText("正在签名、加密并写入报送文件……")
        store, ids, out = self.w.store, self.w.ids_chosen(), self.w.out_path
        identity, recipients = self.w.identity, self.w.recipients_chosen()
        unit = self.w.profile.get("unit", "")

        def work(job):
            from collector.office.package import sender_role
            from collector.office.profile import load_profile

            role = sender_role(load_profile(store))  # 个人, 单位, 盟市 or 厅局 (by channel), 自治区
            return pack(store, ids, out, identity=identity, recipients=recipients, role=role,
                        unit=unit, progress=lambda done, total: job.progress(
                            done, total, f"已写入 {done * 100 // max(total, 1)}%"),
                        cancel=lambda: job.cancelled)

        def failed(err):
            self.status.setText(f"未能生成：{message_for(err)}")
            self.retry.show()

        self.op = run_op(self.w, "生成报送", work, on_done=self.done, on_error=failed)
        self.op.finished.connect(self._finished)

    def _finished(self) -> None:
        if self.op.outcome == "cancelled":
            self.status.setText("已取消，没有写入任何文件。")
            self.retry.show()
        self.completeChanged.emit()

    def done(self, result) -> None:
        self.w.packed = result
        # The file exists now: nothing to go back to or cancel, only forward to printing.
        self.w.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.NextButton])
        warn = "".join(f"\n{line}" for line in warning_lines(result.warnings))
        names = "、".join(c["name"] for c in result.candidates)
        self.status.setText(f"已生成报送文件：{result.path}\n大小 {result.size / 1024:.1f} KB，"
                            f"候选人：{names}，附件 {result.attachments} 个。\n"
                            f"签名指纹：{short(result.signer_fingerprint)}{warn}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.w.packed is not None


class DonePage(QWizardPage):
    def __init__(self, wizard: "PackWizard"):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("第五步：打印与交付")
        self.setSubTitle("打印登记表（页脚带有与报送文件对应的指纹），连同佐证材料一并交给单位人事部门。")
        self.summary = _label("", self)
        self.print_button = QPushButton("生成并打开登记表 PDF", self)
        self.print_button.clicked.connect(self.print_forms)
        self.folder_button = QPushButton("打开报送文件所在文件夹", self)
        self.folder_button.clicked.connect(lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(self.w.out_path.parent))))
        self.disc_button = QPushButton("导出光盘文件夹…", self)
        self.disc_button.clicked.connect(self.export_disc)
        self.result_label = _label("", self)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        for b in (self.print_button, self.folder_button, self.disc_button):
            lay.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.result_label)
        lay.addStretch(1)
        self.pdfs: list[Path] = []
        self.disc_folder: Path | None = None

    def initializePage(self) -> None:
        self.w.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.FinishButton])
        r = self.w.packed
        self.summary.setText(f"报送文件：{r.path}\n签名指纹：{short(r.signer_fingerprint)}")

    def print_forms(self, open_files: bool = True):
        from collector.printing import print_all

        store, ids = self.w.store, self.w.ids_chosen()
        out_dir = self.w.out_path.with_name(self.w.out_path.stem + "_打印")
        fingerprint = self.w.packed.signer_fingerprint

        def work(job):
            job.progress(0, 0, "正在生成登记表 PDF")
            return print_all(store, ids, out_dir, kinds=("registration",),
                             signer_fingerprint=fingerprint)

        def done(results):
            self.pdfs = [r.path for r in results]
            self.result_label.setText(f"已生成 {len(self.pdfs)} 份登记表：{out_dir}")
            if open_files:
                from .print_forms import offer

                offer(self, self.pdfs, f"已生成 {len(self.pdfs)} 份推荐人选个人登记表。")

        return run_op(self, "打印登记表", work, on_done=done)

    def export_disc(self, folder: str | None = None):
        if not folder:
            folder = QFileDialog.getExistingDirectory(self, "选择存放光盘文件夹的位置", str(self.w.out_path.parent))
            if not folder:
                return None
            folder = str(Path(folder) / f"报送光盘_{dt.date.today():%Y%m%d}")
        from collector.disc import DiscLabel, build_folder
        from collector.printing import print_all

        store, ids, rpu = self.w.store, self.w.ids_chosen(), self.w.packed.path
        fingerprint = self.w.packed.signer_fingerprint
        label = DiscLabel(unit=self.w.profile.get("unit", "") or "申报人", date=dt.date.today())

        def work(job):
            return build_folder(Path(folder), rpu_files=[rpu], label=label,
                                fill_print=lambda d: print_all(store, ids, d, kinds=("registration",),
                                                               signer_fingerprint=fingerprint),
                                progress=lambda n, total, *_: job.progress(n, total, "正在复制"))

        def done(path):
            self.disc_folder = Path(path)
            self.result_label.setText(f"光盘文件夹已生成：{path}（可用刻录软件刻录，或交给单位统一刻录）")

        return run_op(self, "导出光盘文件夹", work, on_done=done)


class PackWizard(QWizard):
    def __init__(self, store, ids: list[str], parent=None, profile: dict | None = None):
        super().__init__(parent)
        self.store = store
        self.ids = list(ids)
        self.profile = profile or {}
        self.identity: Identity | None = None
        self.packed: PackResult | None = None  # not result: that is QDialog.result()
        self.setObjectName("packWizard")
        self.setWindowTitle("生成报送")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(760, 560)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.check_page = CheckPage(self)
        self.recipients_page = RecipientsPage(self)
        self.passphrase_page = PassphrasePage(self)
        self.pack_page = PackPage(self)
        self.done_page = DonePage(self)
        for page in (self.check_page, self.recipients_page, self.passphrase_page,
                     self.pack_page, self.done_page):
            self.addPage(page)
        # Leaving the passphrase page writes the file: no way back from there.
        self.passphrase_page.setCommitPage(True)
        self.out_path: Path = self.default_out_path()
        self.setButtonText(QWizard.WizardButton.CommitButton, "生成报送文件 >")

    def ids_chosen(self) -> list[str]:
        return self.check_page.chosen()

    def recipients_chosen(self) -> list:
        return self.recipients_page.chosen()

    def default_out_path(self) -> Path:
        from collector.exchange.packing import suggested_file_name

        ids = self.ids_chosen() if self.check_page.list.count() else self.ids
        folder = Path(start_dir()) / "人才信息采集报送"
        return folder / suggested_file_name(self.store, ids, self.profile.get("unit", ""))
