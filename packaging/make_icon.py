"""Draw the application icon (resources/icons/app.png and app.ico) with the bundled font.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py

Run once when the design changes; the results are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collector.common.fonts import cjk_font_path  # noqa: E402


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    p.setRenderHint(QPainter.TextAntialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor("#b3261e"))
    margin = size * 0.04
    p.drawRoundedRect(QRectF(margin, margin, size - 2 * margin, size - 2 * margin),
                      size * 0.18, size * 0.18)
    p.setPen(QColor("#ffffff"))
    font = QFont(family)
    font.setPixelSize(int(size * 0.62))
    p.setFont(font)
    p.drawText(QRectF(0, -size * 0.03, size, size), Qt.AlignCenter, "才")
    p.end()
    return image


def main() -> None:
    app = QGuiApplication(sys.argv)
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    out = ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    draw(256, family).save(str(out / "app.png"))
    draw(256, family).scaled(64, 64, Qt.KeepAspectRatio, Qt.SmoothTransformation).save(
        str(out / "app.ico"))
    del app


if __name__ == "__main__":
    main()
