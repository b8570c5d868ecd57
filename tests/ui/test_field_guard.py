"""Choice fields on a long form: the wheel scrolls the form unless the field was clicked, and a
combo box's popup is as wide as its longest item (issue 26)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QScrollArea, QVBoxLayout, QWidget


def wheel(widget, steps: int = -2) -> None:
    """Mouse-wheel ticks over the middle of ``widget`` (negative: scrolling down the page)."""
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    for _ in range(abs(steps)):
        ev = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(),
                         QPoint(0, 120 if steps > 0 else -120), Qt.NoButton, Qt.NoModifier,
                         Qt.NoScrollPhase, False)
        QApplication.sendEvent(widget, ev)


def test_wheel_over_title_level_scrolls_the_form_and_keeps_the_choice(window, qtbot):
    window.new_candidate()
    page = window.editor.pages[0]
    level = page.inputs["title_level"]
    level.set_value("正高级")
    page.resize(page.width(), 300)  # a laptop's view: the long form scrolls
    page.ensureWidgetVisible(level.editor)
    bar = page.verticalScrollBar()
    before = bar.value()
    wheel(level.editor, -2)
    assert level.value() == "正高级"
    assert bar.value() > before  # the form scrolled instead
    assert level.editor.focusPolicy() != Qt.WheelFocus

    level.editor.setFocus()  # clicked into: now the wheel is the user's choice
    qtbot.waitUntil(level.editor.hasFocus)
    wheel(level.editor, -1)
    assert level.value() != "正高级"


def test_wheel_over_a_date_or_spin_field_without_focus_changes_nothing(qtbot):
    area = QScrollArea()
    inner = QWidget()
    lay = QVBoxLayout(inner)
    date = QDateEdit()
    lay.addWidget(date)
    lay.addSpacing(2000)
    area.setWidget(inner)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    start = date.date()
    wheel(date, -3)
    assert date.date() == start and area.verticalScrollBar().value() > 0


@pytest.mark.parametrize("editable", [False, True])
def test_a_combo_popup_is_as_wide_as_its_longest_item(qtbot, editable):
    combo = QComboBox()
    combo.setEditable(editable)  # Qt widens a plain combo's popup itself, not an editable one
    combo.addItems(["", "国家级", "自治区级（省部级重点研发计划项目）", "盟市级"])
    combo.setFixedWidth(60)  # as narrow as a table column
    qtbot.addWidget(combo)
    combo.show()
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    assert view.width() >= view.sizeHintForColumn(0)
    assert view.window().width() > 60
    combo.hidePopup()
