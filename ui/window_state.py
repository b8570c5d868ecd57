"""The main window's size, place and splitters: fitted to the screen it opens on, remembered.

A 1366×768 office laptop, or 1920×1080 at 150 % (1280×720 logical pixels), must show the title
bar, the status bar and 检查结果 without maximising. The size the user left is restored next
time (``window`` setting of the store) but never larger than the screen the window opens on.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

KEY = "window"
PREFERRED = QSize(1360, 860)
# Before the window is shown Qt cannot tell the frame's size; a Windows title bar with its
# borders is about this (8 px borders, 31 px title at 100 %).
FRAME_GUESS = QMargins(8, 39, 8, 8)


def fit(available: QRect, wanted: QSize, frame: QMargins = FRAME_GUESS) -> QRect:
    """The client rectangle for a window that wants ``wanted``: its frame inside ``available``,
    centred there."""
    room = available.marginsRemoved(frame)
    size = wanted.boundedTo(room.size()).expandedTo(QSize(200, 150))
    x = room.left() + (room.width() - size.width()) // 2
    y = room.top() + (room.height() - size.height()) // 2
    return QRect(x, y, size.width(), size.height())


def frame_margins(window: QMainWindow) -> QMargins:
    """The real frame when the window system says so, else the guess."""
    outer, inner = window.frameGeometry(), window.geometry()
    real = QMargins(inner.left() - outer.left(), inner.top() - outer.top(),
                    outer.right() - inner.right(), outer.bottom() - inner.bottom())
    return real if real.top() > 0 else FRAME_GUESS


def available_geometry(window: QMainWindow) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def splitters(window: QMainWindow) -> dict[str, QSplitter]:
    return {s.objectName(): s for s in window.findChildren(QSplitter) if s.objectName()}


def restore(window: QMainWindow, store) -> None:
    """Size the window from the saved state (or the preferred size), clamped to its screen."""
    state = store.get_setting(KEY) or {}
    state = state if isinstance(state, dict) else {}
    wanted = PREFERRED
    size = state.get("size")
    if isinstance(size, list) and len(size) == 2 and all(isinstance(n, int) for n in size):
        wanted = QSize(*size)
    # The layout's minimum must not push the window past a small screen.
    window.setMinimumSize(window.minimumSizeHint().boundedTo(QSize(640, 420)))
    window.setGeometry(fit(available_geometry(window), wanted, frame_margins(window)))
    saved = state.get("splitters") if isinstance(state.get("splitters"), dict) else {}
    for name, splitter in splitters(window).items():
        sizes = saved.get(name)
        if isinstance(sizes, list) and len(sizes) == splitter.count() and all(
                isinstance(n, int) and n >= 0 for n in sizes) and any(sizes):
            splitter.setSizes(sizes)
    if state.get("maximized") is True:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def save(window: QMainWindow, store) -> None:
    """Remember the normal (not maximised) size and the splitters."""
    normal = window.normalGeometry() if window.isMaximized() else window.geometry()
    store.set_setting(KEY, {
        "size": [normal.width(), normal.height()],
        "maximized": window.isMaximized(),
        "splitters": {name: s.sizes() for name, s in splitters(window).items()},
    })
