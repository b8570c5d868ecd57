"""Screenshots of every page (tests/screenshots/, looked at by people) and the app's start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QToolBar

from tests.conftest import make_record

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_each_page(window, qtbot, store, shot):
    ids = store.save_many([(make_record(i), None) for i in range(8)])
    bad = make_record(20, birth_date="1962-03-01", pledge=False)
    bad["contact"]["mobile"] = "1391234"
    bad["work_history"][0]["end"] = "2030-01"
    ids.append(store.save(bad))
    window.resize(1360, 860)
    window.reload_list(select=ids[-1])
    # What the applicant sees for this record, whichever page is open: the red verdict naming
    # the age rule, and every mistake listed under 检查结果 with the field it is in.
    banner = window.editor.banner
    assert banner.text().startswith("✘ 不符合申报条件") and "1967-01-01" in banner.text()
    assert banner.property("state") == "bad"
    assert window.findings.title.text() == "检查结果：5 个错误，0 个提示"
    listed = [window.findings.list.item(i).text() for i in range(window.findings.list.count())]
    for where in ("出生日期", "诚信承诺", "联系方式·手机", "工作经历·第1行·终止年月"):
        assert any(line.startswith(f"[错误] {where}：") for line in listed), (where, listed)
    assert window.count_label.text() == "共 9 人，显示 9 人"
    for i, page in enumerate(window.editor.pages):
        window.editor.tabs.setCurrentIndex(i)
        qtbot.wait(20)
        path = shot(window, f"page-{i + 1}-{page.title}")
        image = QImage(str(path))
        assert (image.width(), image.height()) == (window.width(), window.height())
        assert window.editor.tabs.tabText(i) == page.title and page.isVisible()
        assert banner.isVisible() and window.findings.isVisible()
    from ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(store, window, first_run=True)
    dialog.show()
    qtbot.waitExposed(dialog)
    shot(dialog, "settings-first-run")
    dialog.reject()
    assert store.get_setting("profile")["role"] == "applicant"  # skipping still records a profile


def _run_app(args, tmp_path, cwd=ROOT, **env_extra):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COLLECTOR_NO_FIRST_RUN="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.update(env_extra)
    env.pop("COLLECTOR_DB", None)
    return subprocess.run([sys.executable, "-m", "ui", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def test_app_starts_offscreen_and_quits(tmp_path):
    png = tmp_path / "main.png"
    screen = tmp_path / "screen.json"  # the window fits its screen: give it a laptop's
    screen.write_text('{"screens": [{"name": "s", "x": 0, "y": 0, "width": 1366, "height": 768, '
                      '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}')
    result = _run_app(["--db", str(tmp_path / "a.db"), "--quit-after", "300",
                       "--screenshot", str(png)], tmp_path, cwd=tmp_path,
                      # relative: Qt splits the platform string at ':' (C:\... on Windows)
                      QT_QPA_PLATFORM=f"offscreen:configfile={screen.name}")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # a user's console stays silent (it printed SHOWN … before)
    image = QImage(str(png))
    # The main window a user meets: a real window size (fitted to the screen), not a blank grab.
    assert image.width() >= 600 and image.height() >= 400
    assert len({image.pixelColor(x, y).name() for x in range(0, image.width(), 16)
                for y in range(0, image.height(), 16)}) > 8, "the window looks blank"


def test_app_explains_a_database_it_cannot_open(tmp_path):
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    result = _run_app(["--db", str(bad), "--quit-after", "100"], tmp_path)
    assert result.returncode == 1
    assert "无法打开数据库" in result.stderr and "Traceback" not in result.stderr


def test_applicant_pack_action_is_hidden_for_office_roles(store, qtbot, shot):
    """生成报送 (the applicant's wizard) is not offered next to 生成上报包 to units and offices."""
    from ui import profile as profiles
    from ui.main_window import MainWindow

    profiles.save(store, {"role": "office", "unit": "包头市人社局",
                          "channel": {"kind": "盟市", "name": "包头市"}})
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    bar = win.findChild(QToolBar, "mainToolbar")
    pack = win.named_actions["pack"]
    assert not pack.isVisible() and not bar.widgetForAction(pack).isVisible()
    menu_texts = [a.text() for a in win.menuBar().actions()[0].menu().actions() if a.isVisible()]
    assert "生成报送" not in menu_texts and "设置" in menu_texts
    shot(win, "office-toolbar")
    for role, shown in (("unit", False), ("region", False), ("applicant", True)):
        profiles.save(store, {**profiles.load(store), "role": role})
        win.profile_changed()
        assert pack.isVisible() == shown, role
