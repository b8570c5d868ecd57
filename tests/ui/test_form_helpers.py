"""The form as a first-time applicant meets it: neutral when new, the ID number fills birth date
and gender, 撤销/重做 (also of a deleted table row), a question before deleting a filled row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from collector.record.sample import id_number_for
from tests.conftest import make_record
from tests.ui.test_editor import type_into


def _panel_texts(window) -> list[str]:
    return [window.findings.list.item(i).text() for i in range(window.findings.list.count())]


def test_a_new_form_is_neutral_until_touched_or_checked(window, qtbot, store, shot):
    window.new_candidate()
    editor = window.editor
    assert editor.banner.property("state") == "none", editor.banner.text()
    assert "不符合" not in editor.banner.text() and _panel_texts(window) == []
    assert "只检查了已填写的项目" in window.findings.title.text()
    assert all(w.editor.property("finding") in (None, "") for w in editor.pages[0].inputs.values())
    shot(window, "new-form-neutral")
    # A touched field shows its own finding, and only that one.
    mobile = editor.pages[0].inputs["contact.mobile"]
    type_into(qtbot, mobile, "12345")
    qtbot.waitUntil(lambda: mobile.editor.property("finding") == "error")
    assert [t for t in _panel_texts(window) if "手机" in t] and len(_panel_texts(window)) == 1
    assert editor.pages[0].inputs["name"].editor.property("finding") in (None, "")
    # 检查全部 (the 编辑 menu, F7) shows everything.
    assert window.named_actions["check"].shortcut() == QKeySequence("F7")
    window.named_actions["check"].trigger()
    assert len(_panel_texts(window)) > 5 and "只检查" not in window.findings.title.text()
    assert editor.pages[0].inputs["name"].editor.property("finding") == "error"
    assert editor.banner.property("state") == "bad"


def test_the_pack_wizard_checks_a_new_form_fully(window, qtbot, store):
    window.new_candidate()
    wizard = window.open_pack_wizard()
    assert window.editor.show_all and len(_panel_texts(window)) > 5
    wizard.reject()


def test_a_stored_draft_with_content_shows_its_findings(window, qtbot, store):
    cid = store.save(make_record(1, pledge=False))
    window.reload_list(select=cid)
    assert any("承诺" in t for t in _panel_texts(window))


def test_typing_an_id_number_fills_birth_date_and_gender(window, qtbot, store):
    import datetime as dt

    window.new_candidate()
    page = window.editor.pages[0]
    number = id_number_for(dt.date(1980, 2, 29), female=True, seq=7)
    type_into(qtbot, page.inputs["id_number"], number)
    assert page.inputs["birth_date"].value() == "1980-02-29"
    assert page.inputs["gender"].value() == "女"
    # Never overwrites what the user typed: a disagreement is ID_MISMATCH's to report.
    page.inputs["gender"].set_value("男")
    page.inputs["birth_date"].set_value("1981-01-01")
    type_into(qtbot, page.inputs["id_number"], id_number_for(dt.date(1979, 5, 1), True, 8))
    assert page.inputs["birth_date"].value() == "1981-01-01"
    assert page.inputs["gender"].value() == "男"
    findings = window.editor.check_all()
    assert {f.rule for f in findings} >= {"ID_MISMATCH"}


def test_half_typed_id_number_fills_nothing(window, qtbot, store):
    window.new_candidate()
    page = window.editor.pages[0]
    type_into(qtbot, page.inputs["id_number"], "15010219800229")
    assert page.inputs["birth_date"].value() == "" and page.inputs["gender"].value() == ""


def test_undo_and_redo_a_typed_field(window, qtbot, store):
    cid = store.save(make_record(2))
    window.reload_list(select=cid)
    undo, redo = window.named_actions["undo"], window.named_actions["redo"]
    assert undo.text().startswith("撤销") and redo.text().startswith("重做")
    assert QKeySequence("Ctrl+Z") in undo.shortcuts() and QKeySequence("Ctrl+Y") in redo.shortcuts()
    assert "编辑(&E)" in [a.text() for a in window.menuBar().actions()]
    name = window.editor.pages[0].inputs["name"]
    old = name.value()
    type_into(qtbot, name, "巴特尔")
    assert undo.isEnabled()
    undo.trigger()
    assert name.value() == old  # the whole typing is one step
    window.editor.save_now()
    assert store.get(cid).data["name"] == old
    redo.trigger()
    assert name.value() == "巴特尔"
    assert window.editor.save_now() and store.get(cid).data["name"] == "巴特尔"


def test_deleting_a_filled_row_asks_and_undo_brings_it_back(window, qtbot, store, answer):
    cid = store.save(make_record(3))
    window.reload_list(select=cid)
    window.editor.tabs.setCurrentIndex(3)
    table = window.editor.pages[3].tables["projects"]
    rows = table.value()
    assert rows, "the sample has projects"
    table.table.setCurrentCell(0, 0)
    asked = answer(yes=False)
    qtbot.mouseClick(table.remove_button, Qt.LeftButton)
    assert asked and rows[0]["name"] in asked[0]
    assert table.value() == rows  # 否 keeps the row
    answer(yes=True)
    qtbot.mouseClick(table.remove_button, Qt.LeftButton)
    assert table.value() == rows[1:]
    assert window.editor.save_now() and len(store.get(cid).data["projects"]) == len(rows) - 1
    window.named_actions["undo"].trigger()
    assert table.value() == rows
    assert window.editor.save_now() and store.get(cid).data["projects"] == store.get(cid).data[
        "projects"][:len(rows)] and len(store.get(cid).data["projects"]) == len(rows)
    # An empty row goes without a question.
    qtbot.mouseClick(table.add_button, Qt.LeftButton)
    qtbot.mouseClick(table.remove_button, Qt.LeftButton)
    assert table.value() == rows


def test_undo_history_does_not_cross_candidates(window, qtbot, store):
    a = store.save(make_record(4))
    b = store.save(make_record(5))
    window.reload_list(select=a)
    type_into(qtbot, window.editor.pages[0].inputs["native_place"], "赤峰")
    window.select(b)
    assert not window.named_actions["undo"].isEnabled()


def test_a_ten_character_name_shows_whole_in_the_list(window, qtbot, store, shot):
    names = ["额尔敦巴雅尔", "包·那顺乌日图", "额尔敦巴雅尔图门乌力"]
    assert len(names[2]) == 10
    for i, name in enumerate(names):
        store.save(make_record(10 + i, name=name))
    window.reload_list()
    view = window.view
    for row in range(window.proxy.rowCount()):
        index = window.proxy.index(row, 0)
        text = index.data()
        room = view.visualRect(index).width() - 2 * view.style().pixelMetric(
            view.style().PixelMetric.PM_FocusFrameHMargin) - 6
        assert view.fontMetrics().horizontalAdvance(text) <= room, (text, room)
    shot(window, "list-long-names")


def test_an_ongoing_project_with_a_planned_end_is_not_an_error(window, qtbot, store):
    cid = store.save(make_record(6))
    window.reload_list(select=cid)
    table = window.editor.pages[3].tables["projects"]
    cols = [c.key for c in table.specs]
    assert table.table.horizontalHeaderItem(cols.index("planned_end")).text() == "计划完成时间"
    table.table.item(0, cols.index("end")).setText("至今")
    table.table.item(0, cols.index("planned_end")).setText("2099-12")
    findings = window.editor.check_all()
    assert not [f for f in findings if f.field.startswith("projects")], findings
    table.table.item(0, cols.index("planned_end")).setText("1990-01")
    findings = window.editor.check_all()
    assert [f.rule for f in findings if f.field == "projects[0].planned_end"] == ["DATE_ORDER"]
    assert window.editor.save_now()
    assert store.get(cid).data["projects"][0]["planned_end"] == "1990-01"


def test_ctrl_z_in_a_text_box_undoes_through_the_menu(window, qtbot, store):
    cid = store.save(make_record(7))
    window.reload_list(select=cid)
    window.activateWindow()
    place = window.editor.pages[0].inputs["native_place"]
    old = place.value()
    place.editor.setFocus()
    place.editor.setText("赤峰市")  # one change, as a paste
    assert window.named_actions["undo"].isEnabled()
    qtbot.keyClick(place.editor, Qt.Key_Z, Qt.ControlModifier)
    assert place.value() == old
    qtbot.keyClick(place.editor, Qt.Key_Y, Qt.ControlModifier)
    assert place.value() == "赤峰市"


def test_the_calendar_button_has_no_menu_arrow_over_its_label(qtbot):
    from collector.record import fields as fl
    from collector.record.year import load_year
    from ui.editor.inputs import DateInput

    spec = next(f for f in fl.FIELDS if f.kind == fl.DATE)
    widget = DateInput(spec, spec.key, load_year())
    qtbot.addWidget(widget)
    widget.show()
    assert widget.button.menu() is None  # no indicator arrow drawn over “日历…”
    need = widget.button.fontMetrics().horizontalAdvance(widget.button.text())
    assert widget.button.width() >= need + 6
    widget.button.click()
    qtbot.waitUntil(widget.menu.isVisible)
    widget.calendar.clicked.emit(widget.calendar.selectedDate())
    assert widget.value() == widget.calendar.selectedDate().toString("yyyy-MM-dd")
