"""Run the real app (``ui.app.main``) on a simulated screen and report where its parts landed.

    python -m tests.ui.screen_probe DB OUT.json SHOT.png

Run in a subprocess with ``QT_QPA_PLATFORM=offscreen:configfile=screen.json`` (and
``QT_SCALE_FACTOR``): the offscreen platform takes its screen size from that file. The PNG is
the whole screen with the window drawn where it stands, as a user would see it.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _global(widget) -> list[int]:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return _rect(QRect(top_left, widget.size())) if widget.isVisible() else []


def main() -> int:
    db, out, shot = sys.argv[1:4]
    app = QApplication(sys.argv[:1])

    def record() -> None:
        from ui.main_window import MainWindow

        win = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        screen = win.screen()
        report = {
            "available": _rect(screen.availableGeometry()), "screen": _rect(screen.geometry()),
            "dpr": screen.devicePixelRatio(), "geometry": _rect(win.geometry()),
            "frame": _rect(win.frameGeometry()), "maximized": win.isMaximized(),
            "status_bar": _global(win.statusBar()), "findings": _global(win.findings),
            "findings_title": _global(win.findings.title), "menu_bar": _global(win.menuBar()),
        }
        canvas = QPixmap(screen.geometry().size())
        canvas.fill(QColor("#3a6ea5"))
        painter = QPainter(canvas)
        painter.drawPixmap(win.geometry().topLeft() - screen.geometry().topLeft(), win.grab())
        painter.end()
        canvas.save(shot)
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(report, fh)

    QTimer.singleShot(500, record)
    from ui.app import main as app_main

    return app_main(["--db", db, "--quit-after", "900"])


if __name__ == "__main__":
    sys.exit(main())
