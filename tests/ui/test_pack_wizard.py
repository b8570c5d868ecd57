"""生成报送 wizard end to end: check → recipients → passphrase → pack (worker) → print, and the
package opens and verifies with this installation's identity."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from collector.common.fingerprint import short
from collector.rules.office import check_deadline
from collector.record.year import load_year
from collector.exchange import keyring
from tests.conftest import make_record
from tests.ui.unit_key import add_unit_key

PASS = "correct horse 1"


def test_wizard_packs_a_verified_rpu_and_prints_the_form(window, qtbot, store, tmp_path, shot):
    from collector.rpu import open_package

    cid = store.save(make_record(0))
    add_unit_key(store, tmp_path)  # an applicant's file goes to the unit first
    window.reload_list(select=cid)
    wizard = window.open_pack_wizard()
    qtbot.waitExposed(wizard)
    assert wizard.check_page.chosen() == [cid]
    assert wizard.check_page.isComplete()
    shot(wizard, "wizard-1-check")
    wizard.next()
    assert wizard.recipients_page.chosen(), "the shipped region key is a default recipient"
    wizard.next()
    page = wizard.passphrase_page
    assert page.new_identity  # no key yet: the wizard creates one
    page.passphrase.setText(PASS)
    page.confirm.setText("different")
    out = tmp_path / "out" / "申报.rpu"
    page.out.setText(str(out))
    wizard.next()
    assert wizard.currentPage() is page and "不一致" in page.error.text()
    page.confirm.setText(PASS)
    shot(wizard, "wizard-3-passphrase")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.packed is not None, timeout=20000)
    shot(wizard, "wizard-4-packed")
    assert out.is_file()
    # The signer's fingerprint reads as everywhere else (grouped upper-case), on pages 4 and 5.
    fp = keyring.stored_public(store).fingerprint
    assert short(fp) in wizard.pack_page.status.text() and fp not in wizard.pack_page.status.text()
    # Packed today, long after 2017's deadline: the words of every command (issue 24), once.
    [line] = [ln for ln in wizard.pack_page.status.text().splitlines() if "DEADLINE" in ln]
    assert line == check_deadline(load_year())[0].warning_line() and line.startswith("警告：")
    package = open_package(out, keyring.load_identity(store, PASS))
    assert [c["id_number"] for c in package.candidates] == [store.get(cid).data["id_number"]]
    assert package.signer_fingerprint == keyring.stored_public(store).fingerprint
    wizard.next()
    op = wizard.done_page.print_forms(open_files=False)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "done", op.error
    assert wizard.done_page.pdfs and all(p.stat().st_size > 1000 for p in wizard.done_page.pdfs)
    assert short(fp) in wizard.done_page.summary.text() and fp not in wizard.done_page.summary.text()
    shot(wizard, "wizard-5-done")
    wizard.button(QWizard.FinishButton).click()


def test_wizard_blocks_a_candidate_with_errors(window, qtbot, store):
    cid = store.save(make_record(1, pledge=False))
    window.reload_list(select=cid)
    wizard = window.open_pack_wizard()
    assert not wizard.check_page.isComplete()
    assert "错误" in wizard.check_page.summary.text()
    assert not wizard.button(QWizard.NextButton).isEnabled()
    wizard.reject()


def test_wrong_passphrase_is_refused_on_the_page(window, qtbot, store, tmp_path):

    keyring.generate_identity(store, PASS)
    add_unit_key(store, tmp_path)
    cid = store.save(make_record(2))
    window.reload_list(select=cid)
    wizard = window.open_pack_wizard()
    wizard.next()
    wizard.next()
    page = wizard.passphrase_page
    assert not page.new_identity and not page.confirm.isVisible()
    page.passphrase.setText("wrong one")
    page.out.setText(str(tmp_path / "x.rpu"))
    wizard.next()  # the key is unsealed in the worker, not on the GUI thread
    qtbot.waitUntil(lambda: "口令不正确" in page.error.text(), timeout=20000)
    assert wizard.currentPage() is page
    wizard.reject()


def test_every_page_has_a_subtitle_so_titles_render_alike(window, qtbot, store):
    wizard = window.open_pack_wizard()
    pages = [wizard.page(i) for i in wizard.pageIds()]
    assert len(pages) == 5
    assert all(p.title() and p.subTitle() for p in pages), [p.title() for p in pages if not p.subTitle()]
    wizard.reject()


def test_default_file_name_is_the_candidates_name_and_id_tail(window, qtbot, store, tmp_path):
    import datetime as dt

    add_unit_key(store, tmp_path)
    from ui import profile as profiles

    profiles.save(store, {**(profiles.load(store) or {}), "unit": "内蒙古大学"})
    window.profile_changed()
    a = store.save(make_record(3, name="张三"))
    b = store.save(make_record(4, name="李四"))
    day = f"{dt.date.today():%Y%m%d}"
    names = {}
    for cid in (a, b):
        window.reload_list(select=cid)
        wizard = window.open_pack_wizard()
        wizard.next()
        wizard.next()
        names[cid] = wizard.passphrase_page.out.text()
        wizard.reject()
    tail = store.get(a).data["id_number"][-4:]
    assert names[a].endswith(f"张三_{tail}_{day}.rpu")
    assert names[b].endswith(f"李四_{store.get(b).data['id_number'][-4:]}_{day}.rpu")
    # Both candidates ticked on page 1: the unit's name and how many.
    window.reload_list(select=a)
    wizard = window.open_pack_wizard()
    lst = wizard.check_page.list
    for i in range(lst.count()):
        lst.item(i).setCheckState(Qt.Checked)
    wizard.next()
    wizard.next()
    assert wizard.passphrase_page.out.text().endswith(f"内蒙古大学_2人_{day}.rpu")
    wizard.reject()
