"""上报与光盘: the recommendation report's data, what would be packed (QUOTA blocks, DEADLINE
warns), the office package upward, and the export disc (folder + ISO image, verified)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from collector import disc
from collector.office import pack_confirm as pc
from collector.office.decisions import selected_ids
from collector.office.export import make_disc, package_file_name
from collector.office.package import pack_office, preflight, report_info
from collector.office.profile import load_profile
from collector.printing import SETTING_KEY as REPORT_KEY
from ui.roles import PageLifecycle
from ui.file_dialogs import start_dir, suggested
from ui.worker import run_op

from ui.screen_text import for_screen

from .common import BAD_COLOR, identity_loader
from .pack_confirm_dialog import confirm_before_packing
from ..style import GroupBox

FIELDS = (("unit", "联系单位"), ("contact", "联系人"), ("office_phone", "办公电话"),
          ("mobile", "手机"), ("date", "日期（YYYY-MM-DD）"))


class ExportPage(QWidget, PageLifecycle):
    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setObjectName("officeExportPage")
        self.last_message = ""

        report = GroupBox("推荐报告信息")
        form = QFormLayout(report)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in FIELDS:
            self.edits[key] = QLineEdit()
            form.addRow(label, self.edits[key])
        self.narrative = QPlainTextEdit()
        self.narrative.setPlaceholderText("推荐报告正文（可留空，使用默认文字）")
        self.narrative.setMaximumHeight(110)
        form.addRow("正文", self.narrative)
        # The default text asserts these only once the clerk has ticked them (ReportInfo).
        self.flags = {"publicized": QCheckBox("推荐人选已公示"),
                      "declassified": QCheckBox("涉密材料已作脱密处理")}
        flags = QHBoxLayout()
        for box in self.flags.values():
            flags.addWidget(box)
        flags.addStretch(1)
        form.addRow("", flags)
        save = QPushButton("保存推荐报告信息")
        save.clicked.connect(self.save_report)
        form.addRow("", save)

        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = GroupBox("上报")
        row = QHBoxLayout(actions)
        self.pack_button = QPushButton("生成上报包（.rpu）…")
        self.pack_button.clicked.connect(self.ask_pack)
        self.medium = QComboBox()
        for key, (label, _) in disc.MEDIA.items():
            self.medium.addItem(label, key)
        self.with_iso = QCheckBox("同时制作 ISO 映像")
        self.with_iso.setChecked(True)
        self.disc_button = QPushButton("制作报送光盘…")
        self.disc_button.clicked.connect(self.ask_disc)
        verify = QPushButton("校验光盘…")
        verify.clicked.connect(self.ask_verify)
        for w in (self.pack_button, QLabel("介质："), self.medium, self.with_iso,
                  self.disc_button, verify):
            row.addWidget(w)
        row.addStretch(1)

        previews = GroupBox("打印预览（生成上报包之前先看一看）")
        row = QHBoxLayout(previews)
        for kind, label in (("summary", "预览汇总表"), ("report", "预览推荐报告")):
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=kind: self.preview(k))
            row.addWidget(button)
        row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(report)
        layout.addWidget(self.status)
        layout.addWidget(previews)
        layout.addWidget(actions)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        profile = load_profile(self.store)
        info = report_info(self.store, profile)
        for key, _ in FIELDS:
            self.edits[key].setText(getattr(info, key))
        self.narrative.setPlainText(info.narrative)
        for key, box in self.flags.items():
            box.setChecked(getattr(info, key))
        ids, blocking, warnings = preflight(self.store, profile)
        lines = [f"本级（{profile.level_label()} · {profile.display_unit}）已标记推荐 {len(ids)} 名。"]
        lines += [for_screen(f.message) for f in blocking + warnings]
        lines += [f"须写明理由才能报送：{c.message}" for c in pc.concerns(self.store, ids, profile)
                  if not c.confirmed]
        missing = info.missing_contacts()
        if missing:
            lines.append(f"推荐报告还缺少：{'、'.join(missing)}")
        if blocking:
            lines.append("有错误未解决，不能生成上报包。")
        self.status.setText("\n".join(lines))
        self.status.setStyleSheet(f"background: {BAD_COLOR}" if blocking else "")
        ready = bool(ids) and not blocking and profile.is_office
        self.pack_button.setEnabled(ready)
        self.disc_button.setEnabled(ready)

    def save_report(self) -> None:
        value = dict(self.store.get_setting(REPORT_KEY) or {})
        value.update({key: self.edits[key].text().strip() for key, _ in FIELDS})
        value["narrative"] = self.narrative.toPlainText().strip()
        value.update({key: box.isChecked() for key, box in self.flags.items()})
        self.store.set_setting(REPORT_KEY, value)
        self.refresh()

    def preview(self, kind: str, open_file: bool = True):
        """汇总表 or 推荐报告 as the disc will print them, opened in the PDF viewer."""
        from collector.office.preview import preview_pdf

        self.save_report()  # what is typed above is what the preview shows

        def done(path) -> None:
            self.last_preview = Path(path)
            if open_file:
                from ui.dialogs.print_forms import offer

                offer(self, [Path(path)], f"{Path(path).stem}已生成（与光盘上打印的一致）。")

        return run_op(self, "打印预览", lambda job: preview_pdf(self.store, kind), on_done=done)

    def ask_pack(self, out: str | None = None, passphrase: str | None = None):
        import datetime as dt

        profile = load_profile(self.store)
        if not out:
            name = package_file_name(profile.display_unit, dt.date.today())
            out, _ = QFileDialog.getSaveFileName(self, "保存上报包", suggested(name), "报送文件 (*.rpu)")
        unlock = (out and confirm_before_packing(self, self.store, selected_ids(self.store))
                  and identity_loader(self, self.store, "生成上报包", passphrase))
        if not unlock:
            return None
        self.save_report()

        def work(job):
            identity = unlock()
            return pack_office(self.store, out, identity=identity,
                               progress=lambda d, t: job.progress(d, t, "正在加密"),
                               cancel=lambda: job.cancelled)

        def done(result) -> None:
            self._tell("生成上报包", f"已生成 {result.pack.path}：推荐人选 {len(result.pack.candidates)} 名，"
                       f"内含下级报送包 {len(result.nested)} 个。", _said_once(result.warnings))

        return run_op(self, "生成上报包", work, on_done=done)

    def ask_disc(self, out: str | None = None, passphrase: str | None = None):
        if not out:
            out = QFileDialog.getExistingDirectory(self, "选择一个新的空文件夹存放光盘内容",
                                                   start_dir())
        unlock = (out and confirm_before_packing(self, self.store, selected_ids(self.store))
                  and identity_loader(self, self.store, "制作报送光盘", passphrase))
        if not unlock:
            return None
        self.save_report()
        folder = Path(out)
        iso = folder.with_suffix(".iso") if self.with_iso.isChecked() else None
        medium = self.medium.currentData()

        def work(job):
            identity = unlock()
            return make_disc(self.store, folder, identity=identity, iso=iso, medium=medium,
                             progress=lambda d, t, w: job.progress(d, t, w))

        def done(result) -> None:
            text = f"光盘文件夹：{result.folder}（{result.files} 个文件，已校验）"
            if result.iso:
                text += f"\n光盘映像：{result.iso}（{result.iso_size / 1e6:.1f} MB，已校验）"
            self._tell("制作报送光盘", text, _said_once(result.warnings))

        return run_op(self, "制作报送光盘", work, on_done=done)

    def ask_verify(self, path: str | None = None):
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "选择光盘映像（或取消后选择文件夹）",
                                                  start_dir(), "光盘映像 (*.iso)")
            if not path:
                path = QFileDialog.getExistingDirectory(self, "选择光盘文件夹", start_dir())
        if not path:
            return None
        return run_op(self, "校验光盘", lambda job: disc.verify(Path(path)),
                      on_done=lambda r: self._tell("校验光盘", r.message(), ok=r.ok))

    def _tell(self, title: str, text: str, lines: list[str] | tuple = (), ok: bool = True) -> None:
        """The outcome: a short summary and a scrolling list of findings (ResultDialog)."""
        from .result_dialog import ResultDialog

        self.last_message = "\n".join([text, *lines])
        self.refresh()
        self.result_dialog = ResultDialog(title, text, list(lines), ok, self)
        self.result_dialog.open()


def _said_once(findings) -> list[str]:
    """Each warning's message once, however many steps found it (the deadline is checked by
    the office's preflight and by the packer), without its rule code (a GUI screen)."""
    return list(dict.fromkeys(f.message for f in findings))
