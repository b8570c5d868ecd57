"""One input widget per field kind of ``collector.record.fields`` (text, counter, enum, date, month…).

Every input is a ``FieldInput``: ``value()``/``set_value()``, a ``changed`` signal, the path of
its field (``contact.mobile``), ``format_problem()`` for half-typed dates, ``mark()`` to show
a finding (red/orange border and tooltip), and ``set_read_only()`` for the offices' review.
"""

from __future__ import annotations

import re
from typing import cast

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import (QAbstractButton, QCalendarWidget, QCheckBox, QComboBox, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMenu, QPlainTextEdit, QToolButton,
                               QVBoxLayout, QWidget, QWidgetAction)

from collector.record import fields as fl
from collector.common.text import fold_identity
from collector.record.year import ProgramYear
from .. import style

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def restyle(widget: QWidget, severity: str) -> None:
    """Show a field's finding: a red (error) or orange (warning) border, none for ``""``."""
    if widget.property("finding") == severity:
        return
    style.mark(widget, finding=severity)


def lock(widget: QWidget, on: bool) -> None:
    """Make one editing widget read-only (or editable again) while its text stays readable.

    Text boxes become read-only (text can still be selected and copied); combo and check boxes
    ignore the mouse and the keyboard instead of being disabled, which would grey them out.
    """
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        widget.setReadOnly(on)
    elif isinstance(widget, (QComboBox, QCheckBox)):
        if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
            widget.lineEdit().setReadOnly(on)
        widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, on)
    if widget.property("editablePolicy") is None:
        policy = widget.focusPolicy()  # never WheelFocus: a wheel tick must not edit a field
        if policy == Qt.FocusPolicy.WheelFocus:
            policy = Qt.FocusPolicy.StrongFocus
        widget.setProperty("editablePolicy", int(policy.value))
    widget.setFocusPolicy(
        Qt.FocusPolicy.NoFocus if on and not isinstance(widget, (QLineEdit, QPlainTextEdit))
        else Qt.FocusPolicy(widget.property("editablePolicy")))
    if widget.property("locked") != ("true" if on else "false"):
        style.mark(widget, locked=on)  # greys a locked text box's background


class FieldInput(QWidget):
    changed = Signal()

    def __init__(self, spec: fl.Field, path: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.path = path
        self._tip = ""
        self.setObjectName(f"input:{path}")

    # subclasses set self.editor (the widget that takes focus and shows the border)
    editor: QWidget

    def value(self):
        raise NotImplementedError

    def set_value(self, value) -> None:
        raise NotImplementedError

    def format_problem(self) -> str | None:
        """A message when the text cannot be stored yet (a half-typed date), else None."""
        return None

    def mark(self, severity: str, message: str) -> None:
        restyle(self.editor, severity)
        self.editor.setToolTip(message or self._tip)

    def focus(self) -> None:
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_read_only(self, on: bool) -> None:
        lock(self.editor, on)
        for button in self.findChildren(QAbstractButton):
            if not isinstance(button, QCheckBox):  # the calendar button: nothing to pick
                button.setVisible(not on)

    def _emit(self, *_args) -> None:
        # Skipped while blocked (a load): Qt would drop it anyway, and PySide6 6.12's emit()
        # loses a reference to True per call, which a long session must not pile up.
        if not self.signalsBlocked():
            self.changed.emit()


class _Counter(QLabel):
    def __init__(self, maximum: int | None, parent: QWidget):
        super().__init__(parent)
        self.maximum = maximum
        style.tone(self, "counter")
        self.setMinimumWidth(64)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.update_count(0)

    def update_count(self, n: int) -> None:
        if self.maximum is None:
            self.setText("")
            return
        self.setText(f"{n}/{self.maximum}")
        over = n > self.maximum
        if self.property("over") != over:
            self.setProperty("over", over)
            style.tone(self, "over" if over else "counter")


def _limit_of(spec: fl.Field, year: ProgramYear) -> int | None:
    limit = year.limit(spec.limit) if spec.limit else None
    return limit.max if limit else None


class LineInput(FieldInput):
    """STR: one line; a counter on the right when the field has a length limit."""

    editor: QLineEdit

    def __init__(self, spec, path, year, parent=None, placeholder: str = ""):
        super().__init__(spec, path, parent)
        self.editor = QLineEdit(self)
        self.editor.setPlaceholderText(placeholder)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.editor, 1)
        maximum = _limit_of(spec, year)
        self.counter = _Counter(maximum, self) if maximum else None
        if self.counter:
            lay.addWidget(self.counter)
        self.editor.textChanged.connect(self._text_changed)

    def _text_changed(self, text: str) -> None:
        if self.counter:
            self.counter.update_count(len(text.strip()))
        self._emit()

    def value(self) -> str:
        return self.editor.text()

    def set_value(self, value) -> None:
        self.editor.setText(value or "")


class TextInput(FieldInput):
    """TEXT: multi-line text with a character counter below."""

    editor: QPlainTextEdit

    def __init__(self, spec, path, year, parent=None, height: int = 110):
        super().__init__(spec, path, parent)
        self.editor = QPlainTextEdit(self)
        self.editor.setTabChangesFocus(True)  # Tab moves on through the form, as on paper
        self.editor.setMinimumHeight(height)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.editor)
        self.counter = _Counter(_limit_of(spec, year), self)
        lay.addWidget(self.counter)
        self.editor.textChanged.connect(self._text_changed)

    def _text_changed(self) -> None:
        self.counter.update_count(len(self.editor.toPlainText().rstrip()))
        self._emit()

    def value(self) -> str:
        return self.editor.toPlainText()

    def set_value(self, value) -> None:
        if self.editor.toPlainText() != (value or ""):
            self.editor.setPlainText(value or "")


class EnumInput(FieldInput):
    """ENUM: a combo box of the year's choices; editable when the list is only a suggestion."""

    editor: QComboBox

    def __init__(self, spec, path, year, parent=None, choices: tuple[str, ...] | None = None):
        super().__init__(spec, path, parent)
        self.editor = QComboBox(self)
        self.editor.setEditable(spec.open_choices)
        self.editor.setMaxVisibleItems(15)
        self.editor.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.editor.setMinimumContentsLength(8)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.editor)
        self.set_choices(choices if choices is not None else
                         (year.choices(spec.choices) if spec.choices else ()))
        self.editor.currentTextChanged.connect(self._emit)

    def set_choices(self, choices: tuple[str, ...]) -> None:
        current = self.editor.currentText()
        self.editor.blockSignals(True)
        self.editor.clear()
        self.editor.addItem("")
        self.editor.addItems(list(choices))
        self.editor.blockSignals(False)
        self.set_value(current)

    def value(self) -> str:
        return self.editor.currentText().strip()

    def set_value(self, value) -> None:
        value = value or ""
        i = self.editor.findText(value)
        if i < 0 and value:
            if self.editor.isEditable():
                self.editor.setEditText(value)
                return
            self.editor.addItem(value)  # a stored value outside this year's list stays visible
            i = self.editor.count() - 1
        self.editor.setCurrentIndex(max(i, 0))


class FoldingValidator(QRegularExpressionValidator):
    """Digits typed in a Chinese input method's full-width mode (１９７５－０３) are folded to
    ASCII as they are typed, then checked; other Unicode digits are refused."""

    def __init__(self, pattern: str, parent: QWidget):
        super().__init__(QRegularExpression(pattern), parent)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        # the stubs type the (state, text, pos) tuple PySide6 returns as object
        got = cast(tuple[QValidator.State, str, int], super().validate(fold_identity(text), pos))
        return got[0], fold_identity(text), pos


class MonthInput(FieldInput):
    """MONTH / MONTH_OR_NOW: YYYY-MM typed (a placeholder shows the form); empty = 至今."""

    editor: QLineEdit

    def __init__(self, spec, path, year, parent=None):
        super().__init__(spec, path, parent)
        self.editor = QLineEdit(self)
        now = spec.kind == fl.MONTH_OR_NOW
        self.editor.setPlaceholderText("YYYY-MM（空＝至今）" if now else "YYYY-MM")
        self.editor.setValidator(FoldingValidator(r"[0-9]{0,4}(-[0-9]{0,2})?|至今", self.editor))
        self.editor.setMaximumWidth(170)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.editor)
        lay.addStretch(1)
        self.editor.textChanged.connect(self._emit)

    def value(self) -> str:
        text = self.editor.text().strip()
        return text if MONTH_RE.match(text) or text == "至今" else ""

    def format_problem(self) -> str | None:
        text = self.editor.text().strip()
        if text and not (MONTH_RE.match(text) or text == "至今"):
            return f"“{text}”不是完整的年月，请按 YYYY-MM 填写，例如 2010-09"
        return None

    def set_value(self, value) -> None:
        self.editor.setText(value or "")


class DateInput(FieldInput):
    """DATE: YYYY-MM-DD typed, or picked from a calendar (the button beside it)."""

    editor: QLineEdit

    def __init__(self, spec, path, year, parent=None):
        super().__init__(spec, path, parent)
        self.editor = QLineEdit(self)
        self.editor.setPlaceholderText("YYYY-MM-DD")
        self.editor.setValidator(FoldingValidator(r"[0-9]{0,4}(-[0-9]{0,2}(-[0-9]{0,2})?)?",
                                                  self.editor))
        self.editor.setMaximumWidth(170)
        self.button = QToolButton(self)  # no menu of its own: its arrow was drawn over the label
        self.button.setText("日历…")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab skips it; the text is the keyboard way
        menu = QMenu(self.button)
        self.calendar = QCalendarWidget(menu)
        self.calendar.setGridVisible(True)
        act = QWidgetAction(menu)
        act.setDefaultWidget(self.calendar)
        menu.addAction(act)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(self._picked)
        self.menu = menu
        self.button.clicked.connect(
            lambda: menu.popup(self.button.mapToGlobal(self.button.rect().bottomLeft())))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.editor)
        lay.addWidget(self.button)
        lay.addStretch(1)
        self.editor.textChanged.connect(self._emit)

    def _sync_calendar(self) -> None:
        d = QDate.fromString(self.value(), "yyyy-MM-dd")
        self.calendar.setSelectedDate(d if d.isValid() else QDate(1975, 1, 1))

    def _picked(self, d: QDate) -> None:
        self.editor.setText(d.toString("yyyy-MM-dd"))
        self.menu.close()

    def value(self) -> str:
        text = self.editor.text().strip()
        ok = DATE_RE.match(text) and QDate.fromString(text, "yyyy-MM-dd").isValid()
        return text if ok else ""

    def format_problem(self) -> str | None:
        text = self.editor.text().strip()
        if text and not self.value():
            return f"“{text}”不是有效日期，请按 YYYY-MM-DD 填写，例如 1975-03-08"
        return None

    def set_value(self, value) -> None:
        self.editor.setText(value or "")


class BoolInput(FieldInput):
    editor: QCheckBox

    def __init__(self, spec, path, year, parent=None, text: str = ""):
        super().__init__(spec, path, parent)
        self.editor = QCheckBox(text or spec.label, self)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.editor)
        # Signal to signal: PySide6 6.12 loses a reference to True each time toggled reaches a
        # bound method, and the interpreter aborts once True's count runs out.
        self.editor.toggled.connect(self.changed)

    def value(self) -> bool:
        return self.editor.isChecked()

    def set_value(self, value) -> None:
        self.editor.setChecked(bool(value))


class ChecksInput(FieldInput):
    """ENUM_LIST: one check box per choice, several per row."""

    def __init__(self, spec, path, year, parent=None, columns: int = 3):
        super().__init__(spec, path, parent)
        self.editor = QWidget(self)
        self.editor.setObjectName("checks")
        grid = QGridLayout(self.editor)
        grid.setContentsMargins(4, 2, 4, 2)
        self.boxes: list[QCheckBox] = []
        for i, choice in enumerate(year.choices(spec.choices)):
            box = QCheckBox(choice, self.editor)
            box.toggled.connect(self.changed)  # not a bound method: see BoolInput
            grid.addWidget(box, i // columns, i % columns)
            self.boxes.append(box)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.editor)

    def value(self) -> list[str]:
        return [b.text() for b in self.boxes if b.isChecked()]

    def set_value(self, value) -> None:
        chosen = set(value or ())
        for b in self.boxes:
            b.blockSignals(True)
            b.setChecked(b.text() in chosen)
            b.blockSignals(False)
        self._emit()

    def focus(self) -> None:
        if self.boxes:
            self.boxes[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def set_read_only(self, on: bool) -> None:
        for box in self.boxes:
            lock(box, on)


class IntInput(LineInput):
    def value(self):
        text = self.editor.text().strip()
        return int(text) if text.isdigit() else None

    def set_value(self, value) -> None:
        self.editor.setText("" if value is None else str(value))


def make_input(spec: fl.Field, path: str, year: ProgramYear, parent: QWidget | None = None) -> FieldInput:
    """The widget for a leaf field, chosen by its kind."""
    kind = spec.kind
    if kind == fl.TEXT:
        return TextInput(spec, path, year, parent)
    if kind == fl.ENUM:
        return EnumInput(spec, path, year, parent)
    if kind in (fl.MONTH, fl.MONTH_OR_NOW):
        return MonthInput(spec, path, year, parent)
    if kind == fl.DATE:
        return DateInput(spec, path, year, parent)
    if kind == fl.BOOL:
        return BoolInput(spec, path, year, parent)
    if kind == fl.ENUM_LIST:
        return ChecksInput(spec, path, year, parent)
    if kind == fl.INT:
        return IntInput(spec, path, year, parent)
    return LineInput(spec, path, year, parent)
