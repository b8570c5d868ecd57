"""设置 → 密钥: change the passphrase (wrong old one changes nothing) and remove an imported
recipient (the shipped region key cannot be removed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from collector import rpu
from collector.storage.store import Store
from collector.exchange import keyring

PASS = "old-passphrase"


@pytest.fixture
def dialog(store, qtbot, tmp_path):
    from ui.dialogs.settings import SettingsDialog

    keyring.generate_identity(store, PASS, "申报人")
    with Store(tmp_path / "office.db") as other:
        keyring.generate_identity(other, "x" * 8, "包头市人社局", "包头市人社局")
        keyring.import_recipient(store, keyring.public_key_block(other))
    d = SettingsDialog(store)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def _answers(monkeypatch, *texts):
    from PySide6.QtWidgets import QInputDialog

    queue = list(texts)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (queue.pop(0), True)))


def _wait_for_key_work(qtbot):
    from ui import worker

    qtbot.waitUntil(lambda: not worker._running, timeout=20000)


def test_wrong_old_passphrase_changes_nothing(dialog, store, monkeypatch, qtbot):
    before = store.get_setting(keyring.IDENTITY_KEY)
    assert dialog.passphrase_button.isEnabled()
    _answers(monkeypatch, "wrong", "new-passphrase", "new-passphrase")
    dialog.ask_change_passphrase()
    _wait_for_key_work(qtbot)
    box = dialog.findChild(QMessageBox, "errorBox")
    assert "口令不正确" in box.text()
    assert store.get_setting(keyring.IDENTITY_KEY) == before
    keyring.load_identity(store, PASS)


def test_passphrase_change_through_the_dialog(dialog, store, monkeypatch, qtbot):
    import threading

    fingerprint = keyring.stored_public(store).fingerprint
    told = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information",
                        lambda *a, **k: told.append(a[2]))
    threads = []
    real = keyring.change_passphrase
    monkeypatch.setattr(keyring, "change_passphrase", lambda *a, **k: (
        threads.append(threading.current_thread() is threading.main_thread()), real(*a, **k))[1])
    _answers(monkeypatch, PASS, "new-passphrase", "new-passphrase")
    dialog.ask_change_passphrase()
    _wait_for_key_work(qtbot)
    assert threads == [False]  # scrypt ran off the GUI thread, through the worker
    assert told and "口令已修改" in told[0]
    assert keyring.load_identity(store, "new-passphrase").fingerprint == fingerprint
    with pytest.raises(rpu.PassphraseError):
        keyring.load_identity(store, PASS)


def test_remove_an_imported_recipient_not_the_shipped_key(dialog, store, shot):
    lst = dialog.recipients
    assert lst.count() == 2
    shipped = next(i for i in range(lst.count()) if not lst.item(i).data(Qt.UserRole))
    lst.setCurrentRow(shipped)
    assert not dialog.remove_button.isEnabled() and "内置" in lst.item(shipped).text()
    imported = 1 - shipped
    lst.setCurrentRow(imported)
    assert dialog.remove_button.isEnabled()
    shot(dialog, "settings-keys-remove")
    assert dialog.remove_recipient(lst.item(imported).data(Qt.UserRole)) == "包头市人社局"
    assert keyring.list_recipients(store) == [] and lst.count() == 1


def test_generate_keys_runs_off_the_gui_thread_and_shows_the_new_key(store, qtbot, monkeypatch):
    import threading

    from ui.dialogs.settings import SettingsDialog

    d = SettingsDialog(store)
    qtbot.addWidget(d)
    seen = []
    real = keyring.generate_identity
    monkeypatch.setattr(keyring, "generate_identity", lambda *a, **k: (
        seen.append(threading.current_thread() is threading.main_thread()), real(*a, **k))[1])
    _answers(monkeypatch, "a new passphrase", "a new passphrase")
    op = d.ask_generate()
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "done" and seen == [False]
    assert keyring.has_identity(store)
    assert keyring.stored_public(store).short.split("-")[0] in d.fingerprint.text().replace(" ", "")
