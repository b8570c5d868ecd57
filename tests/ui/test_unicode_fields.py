"""GUI input is folded like every other path: full-width digits typed into the form are saved
as ASCII; digits that do not fold are a FORMAT finding on their field, not a crash."""

from __future__ import annotations

from tests.conftest import make_record
from tests.ui.test_editor import type_into

FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_full_width_id_and_birth_date_typed_in_the_form_are_saved_folded(window, qtbot, store):
    rec = make_record(2)
    cid = store.save(rec)
    window.reload_list(select=cid)
    inputs = window.editor.pages[0].inputs
    type_into(qtbot, inputs["id_number"], rec["id_number"].translate(FULL))
    type_into(qtbot, inputs["birth_date"], rec["birth_date"].translate(FULL))
    findings = window.editor.revalidate()
    assert not [f for f in findings if f.is_error]
    assert window.editor.save_now()
    data = store.get(cid).data
    assert data["id_number"] == rec["id_number"] and data["birth_date"] == rec["birth_date"]


def test_arabic_digits_typed_in_the_form_are_a_format_finding(window, qtbot, store):
    rec = make_record(3)
    cid = store.save(rec)
    window.reload_list(select=cid)
    mobile = window.editor.pages[0].inputs["contact.mobile"]
    type_into(qtbot, mobile, "١٣٩٠٤٧٢٠٠٠٠")
    findings = window.editor.revalidate()
    assert any(f.rule == "FORMAT" and f.field == "contact.mobile" for f in findings)
    assert store.get(cid).data["contact"]["mobile"] == rec["contact"]["mobile"]
