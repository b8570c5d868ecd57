"""The main window fits the screen it opens on and remembers its size and splitters.

The app runs in a subprocess on a simulated screen (the offscreen platform's ``configfile``):
a 1366×768 laptop, and 1920×1080 at 150 % (1280×720 logical pixels). The screenshots of the
whole screen are saved in tests/screenshots/ for people to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize

from tests.conftest import make_record

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "screenshots"
TITLE_BAR = 39  # ui.window_state.FRAME_GUESS.top(): a Windows title bar and border


def _inside(inner: list[int], outer: list[int]) -> bool:
    return bool(inner) and QRect(*outer).contains(QRect(*inner))


def _probe(tmp_path: Path, width: int, height: int, scale: str | None, name: str) -> dict:
    from collector.storage.store import Store

    db = tmp_path / "fit.db"
    with Store(db) as store:
        store.save_many([(make_record(i), None) for i in range(3)])
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    # Named relative to the child's folder: Qt splits the platform string at ':', so a Windows
    # path (C:\...) would be cut at its drive letter.
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen.name}",
               COLLECTOR_NO_FIRST_RUN="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("QT_SCALE_FACTOR", None)
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    SHOTS.mkdir(exist_ok=True)
    out = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "tests.ui.screen_probe", str(db), str(out),
                             str(SHOTS / f"{name}.png")], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text())


@pytest.mark.parametrize("width,height,scale,logical", [
    (1366, 768, None, (1366, 768)),
    (1920, 1080, "1.5", (1280, 720)),
])
def test_main_window_fits_the_screen(tmp_path, width, height, scale, logical):
    name = f"screen-{width}x{height}" + (f"-x{scale}" if scale else "")
    report = _probe(tmp_path, width, height, scale, name)
    avail = report["available"]
    assert tuple(avail[2:]) == logical
    assert not report["maximized"]
    x, y, w, h = report["geometry"]
    # The title bar above the client area and the borders lie on the screen too.
    assert _inside([x - 8, y - TITLE_BAR, w + 16, h + TITLE_BAR + 8], avail), report
    assert _inside(report["frame"], avail), report
    for part in ("menu_bar", "status_bar", "findings_title", "findings"):
        assert _inside(report[part], avail), (part, report)
    assert report["findings"][3] >= 80, "检查结果 has room for a few lines"
    assert (SHOTS / f"{name}.png").stat().st_size > 10_000


def test_fit_clamps_a_big_window_to_a_small_screen_with_a_taskbar():
    from ui.window_state import FRAME_GUESS, fit

    avail = QRect(0, 0, 1366, 728)  # 768 minus a 40 px taskbar
    rect = fit(avail, QSize(1360, 860))
    assert avail.contains(rect.marginsAdded(FRAME_GUESS))
    assert rect.height() == 728 - FRAME_GUESS.top() - FRAME_GUESS.bottom()
    small = fit(QRect(0, 0, 1920, 1040), QSize(1000, 700))
    assert small.size() == QSize(1000, 700) and small.center().x() in (959, 960)


def test_size_and_splitters_are_remembered_and_clamped(store, qtbot):
    from ui.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    avail = win.screen().availableGeometry()
    win.resize(700, 500)
    win.splitter.setSizes([300, 400])
    qtbot.wait(10)
    main_sizes = win.splitter.sizes()
    win.close()

    again = MainWindow(store)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.size() == QSize(700, 500)
    assert again.splitter.sizes() == main_sizes
    again.close()

    store.set_setting("window", {"size": [5000, 4000], "splitters": {"mainSplitter": [1, 2, 3]}})
    big = MainWindow(store)
    qtbot.addWidget(big)
    assert big.width() <= avail.width() and big.height() <= avail.height()
    big.close()


def test_the_candidate_list_never_scrolls_sideways(store, qtbot):
    from tests.conftest import make_record
    from ui.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1350, 690)
    win.show()
    qtbot.waitExposed(win)
    bar = win.view.horizontalScrollBar()
    assert bar.maximum() == 0 or not bar.isVisible()  # empty
    win.view.horizontalHeader().resizeSections()
    store.save(make_record(1, employer="内蒙古自治区农牧业科学院草原研究所（示例）"))
    win.reload_list()
    qtbot.wait(30)
    header = win.view.horizontalHeader()
    assert header.length() <= win.view.viewport().width() + 1
    assert not win.view.horizontalScrollBar().isVisible()
    assert header.sectionSize(2) >= 60  # 工作单位 still readable (elided)
    win.close()
