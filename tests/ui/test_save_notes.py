"""The form tells what a save means (issue 24): a second person that looks like a stored one,
and a packed record whose .rpu is out of date after an edit (collector.record.record_notes)."""

from __future__ import annotations

from collector.storage.store import DRAFT, PACKED
from tests.conftest import make_record
from tests.ui.test_editor import type_into


def test_a_new_form_with_a_stored_name_and_birth_date_is_warned(window, qtbot, store, shot):
    rec = make_record(2)
    first = store.save(rec)
    window.reload_list()
    cid = window.new_candidate()
    inputs = window.editor.pages[0].inputs
    type_into(qtbot, inputs["name"], rec["name"])
    type_into(qtbot, inputs["birth_date"], rec["birth_date"])
    assert window.editor.save_now()
    message = window.statusBar().currentMessage()
    assert message.startswith("警告：可能重复") and first[:8] in message, message
    assert rec["id_number"] in message and cid != first
    shot(window, "save-note-lookalike")


def test_editing_a_packed_record_makes_it_a_draft_and_says_so(window, qtbot, store):
    cid = store.save(make_record(3))
    store.set_status(cid, PACKED)
    window.reload_list(select=cid)
    type_into(qtbot, window.editor.pages[0].inputs["native_place"], "锡林浩特")
    assert window.editor.save_now()
    assert store.get(cid).status == DRAFT
    assert "已报送的 .rpu 已过时，状态改回草稿" in window.statusBar().currentMessage()


def test_an_ordinary_edit_says_only_saved(window, qtbot, store):
    cid = store.save(make_record(4))
    window.reload_list(select=cid)
    type_into(qtbot, window.editor.pages[0].inputs["native_place"], "锡林浩特")
    assert window.editor.save_now()
    assert window.statusBar().currentMessage() == "已自动保存"
