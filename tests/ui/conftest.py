"""Fixtures for the UI tests: a main window over a temporary store, screenshots folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["COLLECTOR_NO_FIRST_RUN"] = "1"

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


@pytest.fixture(autouse=True)
def _qt_app(qapp):
    from ui import errors, style

    errors.set_non_blocking(True)
    style.apply(qapp)
    yield


@pytest.fixture
def window(store, qtbot):
    from ui.main_window import MainWindow

    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.editor.save_now()


@pytest.fixture
def shot():
    """shot(widget, name): save a PNG to tests/screenshots/ (not committed) and return its path."""
    SHOTS.mkdir(exist_ok=True)

    def take(widget, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        widget.grab().save(str(path))
        return path

    return take


@pytest.fixture
def answer():
    """answer(yes=True): the next modal question box gets 是 (or 否); returns the texts it showed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def schedule(yes: bool = True) -> list[str]:
        seen: list[str] = []

        def click() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(20, click)
                return
            seen.append(box.text())
            box.button(QMessageBox.Yes if yes else QMessageBox.No).click()

        QTimer.singleShot(0, click)
        return seen

    return schedule
