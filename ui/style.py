"""The app's look: the bundled CJK font, finding borders, the banner, label tones, group boxes."""

from __future__ import annotations

import logging

from PySide6.QtCore import QChildEvent, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (QApplication, QCheckBox, QGroupBox, QLabel, QLineEdit,
                               QPlainTextEdit, QWidget)

log = logging.getLogger(__name__)

# No app-wide style sheet: with one, Qt polishes every widget of the window through its
# style-sheet style, which cost 0.3 s of the 0.7 s start budget (DESIGN §10, benchmarks/startup.py)
# even for a one-rule sheet. The few looks the app needs are set on the widgets that need them:
# a small sheet on a field only while it shows a finding or is locked, palettes and fonts for
# the labels, and bold titles for group boxes.
FINDING = {
    "error": "border: 2px solid #d32f2f; border-radius: 3px; background: #fff6f6;",
    "warning": "border: 2px solid #f29900; border-radius: 3px; background: #fffaf0;",
}
LOCKED = "background: #f6f7f9;"
BANNER = {
    "ok": "background: #e6f4ea; color: #1e6b34; border: 1px solid #a8d5b5;",
    "incomplete": "background: #fff7e0; color: #7a4f00; border: 1px solid #f1d48a;",
    "bad": "background: #fdecea; color: #a11b1b; border: 1px solid #f0b4b0;",
    "none": "background: #f1f3f4; color: #444; border: 1px solid #ddd;",
}
# Label roles: text colour and boldness.
TONES = {
    "note": ("#555555", False), "hint": ("#555555", False), "conditionText": ("#333333", False),
    "panelTitle": (None, True), "counter": ("#666666", False), "over": ("#d32f2f", True),
}


def mark(widget: QWidget, *, finding: str | None = None, locked: bool | None = None) -> None:
    """Show a field's finding (``"error"``, ``"warning"``, ``""`` for none) and/or its locked
    state. The ``finding`` and ``locked`` properties stay readable (tests and code use them)."""
    if finding is not None:
        widget.setProperty("finding", finding)
    if locked is not None:
        # A string, not a bool: PySide6 miscounts references to bools read back from property().
        widget.setProperty("locked", "true" if locked else "false")
    rules = []
    severity = widget.property("finding") or ""
    if severity in FINDING:
        pad = " padding: 2px;" if isinstance(widget, QCheckBox) else ""
        rules.append(f'*[finding="{severity}"] {{ {FINDING[severity]}{pad} }}')
    if widget.property("locked") == "true" and isinstance(widget, (QLineEdit, QPlainTextEdit)):
        rules.append(f'*[locked="true"] {{ {LOCKED} }}')  # after the finding: it wins, as before
    sheet = "\n".join(rules)  # selectors keep the sheet off the widget's children
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def banner(label: QLabel, state: str) -> None:
    """The eligibility banner's colours for ``ok``, ``incomplete``, ``bad`` or ``none``."""
    label.setProperty("state", state)
    sheet = ("QLabel { padding: 8px 12px; border-radius: 4px; font-weight: bold; "
             + BANNER.get(state, BANNER["none"]) + " }")
    if label.styleSheet() != sheet:
        label.setStyleSheet(sheet)


def tone(label: QLabel, role: str) -> None:
    """Colour and weight of a label by its role (``TONES``); also its object name."""
    if not label.objectName():
        label.setObjectName(role)
    colour, bold = TONES[role]
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour) if colour else
                     QApplication.palette().color(QPalette.ColorRole.WindowText))
    label.setPalette(palette)
    font = label.font()
    font.setBold(bold)
    label.setFont(font)


class GroupBox(QGroupBox):
    """A group box with a bold title and its contents in the normal weight."""

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(title, parent)
        font = self.font()
        font.setBold(True)
        self.setFont(font)

    def childEvent(self, event: QChildEvent) -> None:  # noqa: N802 (Qt's name)
        # On ChildPolished, not ChildAdded: a child is added half-built, and wrapping it then
        # cost 0.1 s of the start; polished, it is whole and mostly wrapped already.
        if event.polished():
            child = event.child()
            if isinstance(child, QWidget) and child.font().bold():
                font = child.font()
                font.setBold(False)  # the title's weight is not the contents'
                child.setFont(font)
        super().childEvent(event)


def install_font(app: QApplication) -> str | None:
    """Register the bundled CJK font and make it the fallback of the app font.

    The system's UI font stays first (it looks native for Latin text); the bundled font comes
    second, so a machine without any Chinese font still draws 中文 instead of empty boxes.
    """
    try:
        from collector.common.fonts import cjk_font_path

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
    """Bundled font and Qt's Chinese texts; once per application (later calls do nothing).
    The app and the GUI tests both come through here, so tests see what users see."""
    if app.property("collectorStyled"):
        return
    from . import field_guard, translations

    translations.install(app)
    # After the first turn of the event loop: a Python filter sees every event, and the ~11,000
    # of building the main window would cost the start budget (DESIGN §10) some 60 ms.
    QTimer.singleShot(0, lambda: field_guard.install(app))
    install_font(app)
    app.setProperty("collectorStyled", True)


def fit_header(table) -> None:
    """Every column at least as wide as its header's longest line, so no header is clipped
    (Qt's own size hint comes out a character short with the bundled CJK font)."""
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    pad = 2 * header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMargin) + 12
    for col in range(table.columnCount()):
        item = table.horizontalHeaderItem(col) if hasattr(table, "horizontalHeaderItem") else None
        text = item.text() if item is not None else str(
            table.model().headerData(col, Qt.Orientation.Horizontal) or "")
        need = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0) + pad
        if header.sectionResizeMode(col) in (header.ResizeMode.Interactive,
                                             header.ResizeMode.Fixed):
            table.setColumnWidth(col, max(table.columnWidth(col), need))
