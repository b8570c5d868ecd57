"""A screenshot set of every page and dialog of every role, at the size the main window opens
on a 1366×768 laptop with a 40 px taskbar, over the demo data (``collector demo``):

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [--out DIR]

Writes ``DIR/<role>-<what>.png`` (default ``tests/screenshots/set/``, not committed) and prints
the list; look at them (issue 26: "a screenshot set at 1366×768 … looked at")."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["COLLECTOR_NO_FIRST_RUN"] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCREEN = (1366, 768 - 40)
PASS = "demo-passphrase"


class Shots:
    def __init__(self, app, out: Path):
        self.app, self.out, self.taken = app, out, []

    def wait(self, ms: int = 60) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def take(self, widget, name: str) -> None:
        self.wait()
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.taken.append(path)

    def until(self, test, ms: int = 30000) -> None:
        import time

        end = time.monotonic() + ms / 1000
        while not test() and time.monotonic() < end:
            self.wait(50)


def window(store):
    from PySide6.QtCore import QRect

    from ui.main_window import MainWindow
    from ui.window_state import PREFERRED, fit

    win = MainWindow(store)
    size = fit(QRect(0, 0, *SCREEN), PREFERRED).size()
    win.resize(min(size.width(), SCREEN[0]), min(size.height(), SCREEN[1] - 30))
    win.show()
    return win


def each_tab(s: Shots, win, role: str) -> None:
    for i in range(win.tabs.count()):
        win.tabs.setCurrentIndex(i)
        page = win.tabs.widget(i)
        if hasattr(page, "table") and page.table.rowCount():
            page.table.selectRow(0)
        s.take(win, f"{role}-tab{i}-{win.tabs.tabText(i)}")


def dialog(s: Shots, dlg, name: str) -> None:
    dlg.show()
    s.take(dlg, name)
    dlg.close()


def applicant(s: Shots, db: Path) -> None:
    from collector.storage.store import Store
    from ui.dialogs.settings import SettingsDialog

    with Store(db) as store:
        win = window(store)
        win.tabs.setCurrentIndex(0)
        if win.proxy.rowCount():
            win.view.selectRow(0)
        for i in range(win.editor.tabs.count()):
            win.editor.tabs.setCurrentIndex(i)
            s.take(win, f"applicant-form{i}-{win.editor.tabs.tabText(i)}")
        win.reload_list()
        cid = win.new_candidate()
        s.take(win, "applicant-new-form")
        win.editor.load(cid)
        dialog(s, SettingsDialog(store, win, first_run=True), "applicant-dialog-first-run")
        dialog(s, SettingsDialog(store, win), "applicant-dialog-settings")
        win.view.selectRow(0)
        wizard = win.open_pack_wizard()
        for n in range(3):
            s.take(wizard, f"applicant-dialog-pack-wizard-{n + 1}")
            wizard.next()
        wizard.reject()
        op = win.print_current()
        s.until(lambda: op.outcome != "running")
        s.take(win.print_choice, "applicant-dialog-print-choice")
        win.print_choice.close()
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        ask = QInputDialog(win)
        ask.setWindowTitle("导入报送文件")
        ask.setLabelText("口令不正确，请重新输入（还可再试 2 次）\n请输入本机密钥的口令：")
        ask.setTextEchoMode(QLineEdit.Password)
        dialog(s, ask, "applicant-dialog-passphrase-again")
        win.editor.save_now()
        win.close()


def office(s: Shots, db: Path, role: str) -> None:
    from collector.office import decisions
    from collector.office import pack_confirm as pc
    from collector.record.sample import make_candidate
    from collector.storage.store import Store
    from ui.office.opinion_dialog import OpinionDialog
    from ui.office.pack_confirm_dialog import PackConfirmDialog
    from ui.office.paper_check import PaperCheckDialog
    from ui.office.result_dialog import ResultDialog

    with Store(db) as store:
        if role == "office":  # 包头市 with a 呼和浩特市 candidate: the out-of-channel warning
            record = make_candidate(77)
            record["channel"] = {"kind": "盟市", "name": "呼和浩特市"}
            decisions.decide(store, store.save(record, source={"file": "本机录入"}), "推荐")
        win = window(store)
        each_tab(s, win, role)
        check = PaperCheckDialog(store, win)
        check.show()
        for text in ("TCF1:0000:0000:150102197910050019", "不是二维码"):
            check.field.setText(text)
            check.scan()
        s.take(check, f"{role}-dialog-paper-check")
        check.close()
        found = pc.concerns(store)
        if found:
            dialog(s, PackConfirmDialog(store, found, win), f"{role}-dialog-pack-confirm")
        dialog(s, OpinionDialog("盟市/厅局意见", "经研究，同意推荐。", win), f"{role}-dialog-opinion")
        lines = [f"第{n}名人选：表中填有获奖证书对应的内容，但佐证材料中没有获奖证书，请补附复印件"
                 for n in range(1, 31)]
        dialog(s, ResultDialog("制作报送光盘", "光盘文件夹：D:\\报送光盘（12 个文件，已校验）",
                               lines, True, win), f"{role}-dialog-disc-result")
        win.close()


def region(s: Shots, db: Path) -> None:
    from collector.storage.store import Store

    with Store(db) as store:
        win = window(store)
        for i in range(win.tabs.count()):
            page = win.tabs.widget(i)
            if hasattr(page, "new_round") and getattr(page, "round", None) is None:
                win.tabs.setCurrentIndex(i)
                page.new_round()
                s.take(win, "region-review-new-round")
                if hasattr(page, "tabs"):
                    for t in range(page.tabs.count()):
                        page.tabs.setCurrentIndex(t)
                        s.take(win, f"region-review-{t}-{page.tabs.tabText(t)}")
        win.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(ROOT / "tests" / "screenshots" / "set"))
    args = p.parse_args(argv)
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    from PySide6.QtWidgets import QApplication

    from collector.demo.pipeline import run_demo
    from ui import errors, style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    style.apply(app)
    errors.set_non_blocking(True)
    work = Path(tempfile.mkdtemp(prefix="tc-shots-"))
    try:
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):  # the demo narrates; the list is ours
            run_demo(work, count=4)
        os.environ.pop("COLLECTOR_PASSPHRASE", None)
        s = Shots(app, out)
        applicant(s, work / "applicant" / "collector.db")
        office(s, work / "unit" / "collector.db", "unit")
        office(s, work / "league_office" / "collector.db", "office")
        office(s, work / "region" / "collector.db", "region")
        region(s, work / "region" / "collector.db")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for path in s.taken:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
