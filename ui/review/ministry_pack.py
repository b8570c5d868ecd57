"""生成报部材料 from the review page: the same core call as ``collector review pack``
(``collector.review.package.pack_region``), run through ``ui.worker.run_op``."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QFileDialog, QMessageBox

from collector import review as rv
from collector.office.export import package_file_name
from collector.office.profile import load_profile
from collector.review.package import check_ready, pack_region
from collector.rules.findings import warning_lines
from collector.rpu.keys import read_public_file
from ui.errors import message_for, show_error
from ui.file_dialogs import start_dir, suggested
from ui.session import identity_loader
from ui.worker import Op, run_op

TITLE = "生成报部材料"


def ask_ministry_pack(page, out: str | None = None, key_file: str | None = None,
                      passphrase: str | None = None) -> Op | None:
    """Ask for the output file, the ministry's public key file and the passphrase, then pack.

    A review that is not finished (no complete expert, pending ties, data changed since the
    round began) is refused with the core's message before anything is asked.
    """
    store, rnd = page.store, page.round
    if rnd is None:
        page.status.setText("还没有评审轮次，不能生成报部材料")
        return None
    if not page._run(TITLE, lambda: check_ready(store, rnd, rv.ranking_for(store, rnd))):
        page.status.setText(page.last_error)
        return None
    if not out:
        unit = load_profile(store).display_unit
        name = package_file_name(f"{unit}_报部", dt.date.today())
        out, _ = QFileDialog.getSaveFileName(page, "保存报部材料", suggested(name), "报送文件 (*.rpu)")
    if out and not key_file:
        key_file, _ = QFileDialog.getOpenFileName(
            page, "选择接收方（人社部）的公钥文件", start_dir(),
            "公钥文件 (*.pub *.txt *.asc);;所有文件 (*)")
    unlock = out and key_file and identity_loader(page, store, TITLE, passphrase)
    if not unlock:
        return None

    def work(job):
        recipient = read_public_file(key_file)
        identity = unlock()
        return pack_region(store, out, identity=identity, round_id=rnd.id, recipients=[recipient],
                           progress=lambda d, t: job.progress(d, t, "正在签名和加密"),
                           cancel=lambda: job.cancelled)

    def done(result) -> None:
        r = result.pack
        notes = "".join(f"\n{line}" for line in warning_lines(result.warnings))
        text = (f"已生成报部材料 {r.path}：推荐人选 {len(r.candidates)} 名，含专家评审结果，"
                f"内含下级报送包 {len(result.nested)} 个，接收方 {len(r.recipients)} 个。{notes}")
        page.last_error = ""
        page.refresh()  # the final list is now in the decisions
        page.status.setText(text)
        QMessageBox(QMessageBox.Icon.Information, TITLE, text, QMessageBox.StandardButton.Ok,
                    page).open()

    def failed(err: BaseException) -> None:
        page.last_error = message_for(err)
        page.status.setText(page.last_error)
        show_error(page, TITLE, err)

    return run_op(page, TITLE, work, on_done=done, on_error=failed)
