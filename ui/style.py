"""The app's look: the bundled CJK font and one style sheet (finding borders, banner, counters)."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

STYLE = """
QLineEdit[locked="true"], QPlainTextEdit[locked="true"] { background: #f6f7f9; }
*[finding="error"] { border: 2px solid #d32f2f; border-radius: 3px; background: #fff6f6; }
*[finding="warning"] { border: 2px solid #f29900; border-radius: 3px; background: #fffaf0; }
QCheckBox[finding="error"], QCheckBox[finding="warning"] { padding: 2px; }
QLabel#banner { padding: 8px 12px; border-radius: 4px; font-weight: bold; }
QLabel#banner[state="ok"] { background: #e6f4ea; color: #1e6b34; border: 1px solid #a8d5b5; }
QLabel#banner[state="incomplete"] { background: #fff7e0; color: #7a4f00; border: 1px solid #f1d48a; }
QLabel#banner[state="bad"] { background: #fdecea; color: #a11b1b; border: 1px solid #f0b4b0; }
QLabel#banner[state="none"] { background: #f1f3f4; color: #444; border: 1px solid #ddd; }
QLabel#counter { color: #666; min-width: 64px; }
QLabel#counter[over="true"] { color: #d32f2f; font-weight: bold; }
QLabel#note, QLabel#hint { color: #555; }
QLabel#panelTitle { font-weight: bold; padding: 2px 0; }
QLabel#conditionText { color: #333; }
QGroupBox { font-weight: bold; margin-top: 10px; padding-top: 6px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
QGroupBox QLabel, QGroupBox QCheckBox, QGroupBox QLineEdit, QGroupBox QComboBox,
QGroupBox QPlainTextEdit, QGroupBox QTableWidget, QGroupBox QPushButton { font-weight: normal; }
"""


def install_font(app: QApplication) -> str | None:
    """Register the bundled CJK font and make it the fallback of the app font.

    The system's UI font stays first (it looks native for Latin text); the bundled font comes
    second, so a machine without any Chinese font still draws 中文 instead of empty boxes.
    """
    try:
        from collector.fonts import cjk_font_path

        path = cjk_font_path()
    except Exception as err:  # the font file is missing: keep the system fonts
        log.warning("bundled CJK font unavailable: %s", err)
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("Qt could not load %s", path)
        return None
    font = QFont(app.font())
    base = font.family()
    font.setFamilies([base, families[0]] if base and base != families[0] else [families[0]])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    return families[0]


def apply(app: QApplication) -> None:
    """Bundled font, style sheet and Qt's Chinese texts; once per application (later calls do
    nothing). The app and the GUI tests both come through here, so tests see what users see."""
    if app.property("collectorStyled"):
        return
    from . import translations

    translations.install(app)
    install_font(app)
    app.setStyleSheet(STYLE)
    app.setProperty("collectorStyled", True)
