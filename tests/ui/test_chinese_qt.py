"""Qt's own texts read Chinese: standard buttons, input dialogs, file dialogs, context menus,
calendars (the qtbase_zh_CN translation, ``ui.translations``)."""

from __future__ import annotations

import re

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCalendarWidget, QDialogButtonBox,
                               QFileDialog, QInputDialog, QLabel, QLineEdit, QMessageBox)

from tests.conftest import make_record


def english(text: str) -> bool:
    """Latin words left after dropping accelerators (``是(&Y)``) and shortcuts (``\\tCtrl+Z``)."""
    text = re.sub(r"\(&\w\)|&", "", text.split("\t")[0])
    return bool(re.search(r"[A-Za-z]{2,}", text))


def _all_standard_buttons(enum):
    return [b for b in enum if b.value and b.value & (b.value - 1) == 0 and b.name not in (
        "NoButton", "FirstButton", "LastButton", "ButtonMask", "Default", "Escape", "FlagMask")]


def test_every_standard_button_is_chinese(qtbot):
    for button in _all_standard_buttons(QDialogButtonBox.StandardButton):
        box = QDialogButtonBox(button)
        qtbot.addWidget(box)
        texts = [b.text() for b in box.buttons()]
        assert texts and not any(english(t) for t in texts), (button.name, texts)
    for button in _all_standard_buttons(QMessageBox.StandardButton):
        box = QMessageBox(QMessageBox.Question, "标题", "内容", button)
        qtbot.addWidget(box)
        box.show()
        texts = [b.text() for b in box.buttons()]
        assert not any(english(t) for t in texts), (button.name, texts)
        box.close()


def test_the_delete_question_the_app_shows_is_chinese(window, qtbot, store):
    cid = store.save(make_record(0))
    window.reload_list(select=cid)
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        seen.extend(b.text() for b in box.findChildren(QAbstractButton))
        box.reject()

    QTimer.singleShot(100, answer)
    window.delete_candidate()
    assert seen and not any(english(t) for t in seen), seen
    assert store.get(cid) is not None  # the answer was 否


def test_input_and_file_dialogs_menus_and_calendar_are_chinese(qtbot):
    dialog = QInputDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert not any(english(b.text()) for b in dialog.findChildren(QAbstractButton) if b.text())
    files = QFileDialog()
    files.setOption(QFileDialog.DontUseNativeDialog)
    qtbot.addWidget(files)
    files.show()
    texts = [w.text() for w in files.findChildren(QLabel)] + [
        b.text() for b in files.findChildren(QAbstractButton) if b.text()]
    assert texts and not any(english(t) for t in texts), texts
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    actions = [a.text() for a in menu.actions() if a.text()]
    assert "撤消(&U)\tCtrl+Z".split("\t")[0] in [a.split("\t")[0] for a in actions]
    assert not any(english(t) for t in actions), actions
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    assert calendar.locale().monthName(3) == "三月"
