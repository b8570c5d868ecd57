"""生成报送 for an applicant: the built-in region key alone cannot finish; the unit's key comes
from a file or a pasted block and shows its name and fingerprint; once the file is written only
forward (and at the end 完成) remains."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from tests.conftest import make_record
from tests.ui.unit_key import UNIT, unit_public_block
from collector.exchange import keyring

PASS = "correct horse 2"


def _visible_buttons(wizard) -> set[str]:
    names = {QWizard.BackButton: "back", QWizard.NextButton: "next", QWizard.CommitButton: "commit",
             QWizard.FinishButton: "finish", QWizard.CancelButton: "cancel"}
    return {name for which, name in names.items() if wizard.button(which).isVisible()}


def test_region_key_alone_cannot_finish_and_a_pasted_unit_key_can(window, qtbot, store, tmp_path,
                                                                  shot):
    from collector.rpu import keys, open_package

    cid = store.save(make_record(0))
    window.reload_list(select=cid)
    wizard = window.open_pack_wizard()
    qtbot.waitExposed(wizard)
    wizard.next()
    page = wizard.recipients_page
    assert wizard.currentPage() is page
    assert page.chosen() and all(keys.is_shipped(k.fingerprint) for k in page.chosen())
    assert not page.isComplete() and not wizard.button(QWizard.NextButton).isEnabled()
    assert page.need.isVisible() and "单位" in page.need.text()
    shot(wizard, "wizard-2-needs-unit-key")
    # A damaged block is refused with a message and changes nothing.
    assert page.import_key("-----BEGIN 乱码") is None and "未能导入" in page.imported.text()
    assert not page.isComplete()
    block = unit_public_block(tmp_path)
    key = page.import_key(block)
    assert key is not None and page.isComplete() and not page.need.isVisible()
    assert UNIT in page.imported.text() and keys.grouped(key.fingerprint) in page.imported.text()
    shot(wizard, "wizard-2-unit-key")
    wizard.next()
    passphrase = wizard.passphrase_page
    passphrase.passphrase.setText(PASS)
    passphrase.confirm.setText(PASS)
    out = tmp_path / "申报.rpu"
    passphrase.out.setText(str(out))
    assert wizard.button(QWizard.CommitButton).text().startswith("生成报送文件")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.packed is not None, timeout=20000)
    qtbot.wait(20)
    assert _visible_buttons(wizard) == {"next"}, _visible_buttons(wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.done_page
    assert _visible_buttons(wizard) == {"finish"}, _visible_buttons(wizard)
    assert wizard.button(QWizard.FinishButton).text() == "完成"
    shot(wizard, "wizard-5-only-finish")
    # The unit can open the file.
    from collector.storage.store import Store

    with Store(tmp_path / "unit-hr.db") as unit_store:
        unit_identity = keyring.load_identity(unit_store, "unit passphrase 1")
    assert open_package(out, unit_identity).candidates
    wizard.button(QWizard.FinishButton).click()


def test_the_unit_key_from_a_file(window, qtbot, store, tmp_path):
    cid = store.save(make_record(1))
    window.reload_list(select=cid)
    path = tmp_path / "单位公钥.pub"
    path.write_text(unit_public_block(tmp_path), encoding="utf-8")
    wizard = window.open_pack_wizard()
    wizard.next()
    page = wizard.recipients_page
    assert page.import_key(path) is not None and page.isComplete()
    wizard.reject()


def test_an_office_is_not_asked_for_a_unit_key(window, qtbot, store):
    from ui import profile as profiles
    from ui.dialogs.pack_wizard import PackWizard

    profiles.save(store, {"role": "office", "channel": {"kind": "盟市", "name": "包头市"}})
    cid = store.save(make_record(2))
    wizard = PackWizard(store, [cid], window, profile=profiles.with_defaults(profiles.load(store)))
    wizard.show()
    wizard.next()
    assert wizard.recipients_page.isComplete()
    wizard.reject()
