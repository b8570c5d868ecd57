"""One app-wide event filter for choice fields on long forms:

- the mouse wheel over a combo box, date or spin field scrolls the form unless the field has
  been clicked (has focus), so scrolling past 职称级别 can never turn 正高级 into 中级;
- a combo box's popup is as wide as its longest item, so a choice in a narrow table column is
  never shown as "…".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QAbstractItemView, QAbstractScrollArea, QAbstractSpinBox,
                               QApplication, QComboBox, QStyle, QWidget)

GUARDED = (QComboBox, QAbstractSpinBox)
_WHEEL, _POLISH, _SHOW = QEvent.Type.Wheel, QEvent.Type.Polish, QEvent.Type.Show


class FieldGuard(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == _WHEEL:
            return isinstance(obj, GUARDED) and not obj.hasFocus() and _scroll_instead(obj, event)
        if kind == _POLISH and isinstance(obj, GUARDED):
            no_wheel_focus(obj)
        elif (kind == _SHOW and isinstance(obj, QWidget) and obj.isWindow()
              and isinstance(combo := obj.parent(), QComboBox)):
            widen_popup(combo)  # the popup's frame is a child of its combo box
        return False


def no_wheel_focus(widget: QWidget) -> None:
    """A wheel tick must not give a field focus (Qt's WheelFocus would, then change it)."""
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def _scroll_instead(widget: QWidget, event: QEvent) -> bool:
    """Hand the wheel to the nearest scrolling ancestor; the field itself never sees it."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        QApplication.sendEvent(parent.verticalScrollBar(), event)
    return True


def widen_popup(combo: QComboBox) -> None:
    """Make the open popup at least as wide as the widest item (and no wider than the screen)."""
    view: QAbstractItemView = combo.view()
    need = view.sizeHintForColumn(0) + 2 * view.frameWidth() + 8
    if combo.count() > combo.maxVisibleItems():
        need += combo.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    frame = view.window()
    screen = combo.screen().availableGeometry() if combo.screen() else None
    if screen is not None:
        need = min(need, screen.width())
    view.setMinimumWidth(need)
    if frame is not view and frame.width() < need:
        frame.resize(need, frame.height())
        if screen is not None and frame.geometry().right() > screen.right():
            frame.move(max(screen.left(), screen.right() - need), frame.y())


_guard: FieldGuard | None = None


def install(app: QApplication) -> FieldGuard:
    """Install the filter once on the application (later calls return the same one); fields
    that already exist lose their wheel focus now, later ones when they are polished."""
    global _guard
    if _guard is None:
        _guard = FieldGuard(app)
        app.installEventFilter(_guard)
        for widget in app.allWidgets():
            if isinstance(widget, GUARDED):
                no_wheel_focus(widget)
    return _guard
