"""The form editor: fill a whole candidate through the widgets, live findings, autosave."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from collector.record import fields as fl
from collector.record.model import normalize
from tests.conftest import make_record
from ui.editor.inputs import BoolInput, ChecksInput, EnumInput
from ui.main_window import MainWindow


def type_into(qtbot, widget, value) -> None:
    """Enter a value the way a user would: keys for text, clicks for boxes, the list for combos."""
    if isinstance(widget, ChecksInput):
        for box in widget.boxes:
            if (box.text() in value) != box.isChecked():
                box.click()
        return
    if isinstance(widget, BoolInput):
        if widget.value() != bool(value):
            widget.editor.click()
        return
    if isinstance(widget, EnumInput) and not widget.editor.isEditable():
        widget.editor.setCurrentIndex(widget.editor.findText(value))
        return
    editor = widget.editor.lineEdit() if isinstance(widget, EnumInput) else widget.editor
    editor.setFocus()
    if hasattr(editor, "selectAll"):
        editor.selectAll()
    type_text(editor, str(value))


def type_text(editor, text: str) -> None:
    """Key events carrying each character (QTest.keyClicks only knows ASCII)."""
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def fill(qtbot, editor, record) -> None:
    for page in editor.pages:
        # The condition boxes first: a statement can be typed once its condition is ticked.
        for path, widget in sorted(page.inputs.items(), key=lambda kv: kv[0] != "conditions"):
            value = record
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if path == "conditions":
                for n in value:
                    widget.boxes[n].editor.click()
                continue
            if value in (None, "", [], False):
                continue
            type_into(qtbot, widget, value)
        for key, table in page.tables.items():
            if key == "attachments":
                continue
            for row in record[key]:
                qtbot.mouseClick(table.add_button, Qt.LeftButton)
                r = table.table.rowCount() - 1
                for c, child in enumerate(table.specs):
                    table.table.item(r, c).setText(str(row.get(child.key, "")))


def test_fill_a_whole_candidate_through_the_widgets(window, qtbot, store, shot):
    want = normalize(make_record(3))
    cid = window.new_candidate()
    fill(qtbot, window.editor, want)
    findings = window.editor.revalidate()
    assert [f for f in findings if f.is_error] == []
    assert "符合申报条件" in window.editor.banner.text()
    assert window.editor.save_now()
    got = store.get(cid).data
    for spec in fl.FIELDS:
        if spec.key in ("attachments", "program_year"):
            continue
        assert got[spec.key] == want[spec.key], spec.key


def test_a_finding_appears_next_to_its_field_and_disappears(window, qtbot, store):
    cid = store.save(make_record(1))
    window.reload_list(select=cid)
    mobile = window.editor.page(window.editor.pages[0].__class__).inputs["contact.mobile"]
    type_into(qtbot, mobile, "12345")
    qtbot.waitUntil(lambda: any(f.field == "contact.mobile" for f in window.editor.findings))
    assert mobile.editor.property("finding") == "error"
    assert "手机" in mobile.editor.toolTip()
    texts = [window.findings.list.item(i).text() for i in range(window.findings.list.count())]
    assert any("手机" in t for t in texts)
    # Clicking the finding shows its page and focuses the field.
    window.editor.tabs.setCurrentIndex(3)
    item = next(window.findings.list.item(i) for i in range(window.findings.list.count())
                if window.findings.list.item(i).data(Qt.UserRole) == "contact.mobile")
    window.findings._go(item)
    assert window.editor.tabs.currentIndex() == 0
    assert mobile.editor.hasFocus() or window.isActiveWindow() is False
    type_into(qtbot, mobile, "13912345678")
    qtbot.waitUntil(lambda: not any(f.field == "contact.mobile" for f in window.editor.findings))
    assert mobile.editor.property("finding") == ""
    assert "符合申报条件" in window.editor.banner.text()


def test_ineligible_candidate_gets_the_banner_with_the_reason(window, qtbot, store):
    cid = store.save(make_record(2))
    window.reload_list(select=cid)
    birth = window.editor.pages[0].inputs["birth_date"]
    type_into(qtbot, birth, "1960-05-01")
    qtbot.waitUntil(lambda: "不符合" in window.editor.banner.text())
    assert "1967" in window.editor.banner.text()


def test_half_typed_month_is_a_finding_not_a_crash(window, qtbot, store):
    cid = store.save(make_record(4))
    window.reload_list(select=cid)
    table = window.editor.pages[1].tables["work_history"]
    table.table.item(0, 1).setText("2019-1")
    findings = window.editor.revalidate()
    assert any(f.rule == "FORMAT" and f.field == "work_history[0].end" for f in findings)
    window.editor.focus_path("work_history[0].end")
    assert window.editor.tabs.currentIndex() == 1
    assert table.table.currentRow() == 0 and table.table.currentColumn() == 1


def test_table_rows_add_move_remove(window, qtbot, store, answer):
    cid = store.save(make_record(5, awards=[]))
    window.reload_list(select=cid)
    table = window.editor.pages[3].tables["awards"]
    for name in ("甲奖", "乙奖"):
        qtbot.mouseClick(table.add_button, Qt.LeftButton)
        table.table.item(table.table.rowCount() - 1, 0).setText(name)
    table.table.setCurrentCell(1, 0)
    qtbot.mouseClick(table.up_button, Qt.LeftButton)
    assert [r["name"] for r in table.value()] == ["乙奖", "甲奖"]
    asked = answer(yes=True)  # a row with content is removed only after 是
    qtbot.mouseClick(table.remove_button, Qt.LeftButton)
    assert asked and "乙奖" in asked[0]
    assert [r["name"] for r in table.value()] == ["甲奖"]
    assert window.editor.save_now()
    assert [a["name"] for a in store.get(cid).data["awards"]] == ["甲奖"]


def test_autosave_then_reopen(window, qtbot, store, db_path):
    cid = window.new_candidate()
    name = window.editor.pages[0].inputs["name"]
    type_into(qtbot, name, "测试甲")
    # Saved by the debounce timer (about a second after the last key), without any other action.
    qtbot.waitUntil(lambda: store.get(cid).data["name"] == "测试甲", timeout=3000)
    window.close()
    from collector.storage.store import Store

    with Store(db_path) as again:
        win = MainWindow(again)
        qtbot.addWidget(win)
        win.reload_list(select=cid)
        assert win.editor.pages[0].inputs["name"].value() == "测试甲"
        win.close()


def test_unsaved_change_is_saved_when_switching_candidate(window, qtbot, store):
    a = store.save(make_record(6))
    b = store.save(make_record(7))
    window.reload_list(select=a)
    type_into(qtbot, window.editor.pages[0].inputs["native_place"], "锡林浩特")
    window.select(b)  # before the debounce fires
    assert store.get(a).data["native_place"] == "锡林浩特"
    assert window.editor.candidate_id == b


def test_drop_files_on_the_attachments_page(window, qtbot, store, tmp_path, shot):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from ui.editor.attachments_page import AttachmentsPage

    cid = store.save(make_record(9, attachments=[]))
    window.reload_list(select=cid)
    page = window.editor.page(AttachmentsPage)
    window.editor.tabs.setCurrentWidget(page)
    files = [tmp_path / "获奖证书.jpg", tmp_path / "论文首页.pdf"]
    for i, f in enumerate(files):
        f.write_bytes(bytes([i]) * 300_000)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    page.dropEvent(event)
    qtbot.waitUntil(lambda: page.attachments.table.rowCount() == 2)
    shot(window, "page-5-佐证材料-with-files")
    assert window.editor.save_now()
    stored = store.get(cid).data["attachments"]
    assert [a["file"] for a in stored] == ["获奖证书.jpg", "论文首页.pdf"]
    assert all(a["size"] == 300_000 for a in stored)


def test_tab_moves_through_the_form_in_reading_order(window, qtbot, store):
    cid = store.save(make_record(10))
    window.reload_list(select=cid)
    basic = window.editor.pages[0]
    basic.inputs["name"].editor.setFocus()
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        w = QApplication.focusWidget()
        order.append(next((p for p, i in basic.inputs.items()
                           if w is i.editor or i.editor.isAncestorOf(w)), None))
    assert order == ["gender", "birth_date", "id_number", "ethnicity"]


def test_showing_a_candidate_with_marked_cells_does_not_save_it(window, qtbot, store, shot):
    """Marking a finding's cell (background colour) is display, not an edit: no autosave."""
    record = make_record(11)
    record["attachments"] = [{"file": "a.pdf", "title": "涉密报告", "category": "其他",
                              "classified": True, "declassified": False, "sha256": "0" * 64,
                              "size": 10}]
    # A table row with a finding too (the results tables mark cells the same way).
    record["work_history"][0]["end"] = "1990-01"
    record["work_history"][0]["start"] = "1995-01"
    cid = store.save(record)
    before = store.get(cid, with_audit=True)
    window.reload_list(select=cid)
    qtbot.waitUntil(lambda: any(f.field.startswith("attachments[0]") for f in window.editor.findings))
    assert any(f.field.startswith("work_history[0]") for f in window.editor.findings)
    assert not window.editor.dirty
    qtbot.wait(1300)  # longer than the autosave delay
    after = store.get(cid, with_audit=True)
    assert after.updated_at == before.updated_at
    assert after.audit == before.audit
    # Re-marking after a real validation pass does not make it dirty either.
    window.editor.revalidate()
    assert not window.editor.dirty
    window.editor.focus_path("attachments[0].declassified")
    shot(window, "editor-attachment-marked")


def test_ctrl_s_saves_and_says_so(window, qtbot, store):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    cid = window.new_candidate()
    window.editor.pages[0].inputs["name"].editor.setFocus()
    type_text(window.editor.pages[0].inputs["name"].editor, "乌兰")
    assert window.editor.dirty
    qtbot.keySequence(window.editor.pages[0].inputs["name"].editor, QKeySequence.Save)
    # The hand lets go of Ctrl (QTest leaves it held for the whole application, which made a
    # later test's selectRow toggle instead of select).
    qtbot.keyRelease(window.editor.pages[0].inputs["name"].editor, Qt.Key.Key_Control)
    assert window.statusBar().currentMessage().startswith("已保存")
    assert store.get(cid).data["name"] == "乌兰" and not window.editor.dirty
