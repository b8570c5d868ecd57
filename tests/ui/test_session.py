"""The unlocked key is kept for the session: reused by the next action, forgotten on 锁定, on
closing the window, after the idle time, and when the key is replaced; never the passphrase."""

from __future__ import annotations

import time
from collector.exchange import keyring


PASS = "session pass 1"


def test_unlocked_key_is_reused_then_forgotten_on_lock_idle_and_close(window, store, monkeypatch):
    from ui import session as sessions

    s = sessions.session()
    keyring.generate_identity(store, PASS)
    asked = []
    monkeypatch.setattr(sessions, "ask_passphrase", lambda *a: asked.append(a) or PASS)
    load = sessions.identity_loader(window, store, "测试")
    identity = load()
    assert len(asked) == 1 and s.unlocked
    assert sessions.identity_loader(window, store, "测试")() is identity and len(asked) == 1
    lock = window.findChild(type(window.named_actions["new"]), "lockAction")
    assert lock.isEnabled()
    lock.trigger()
    assert not s.unlocked and not lock.isEnabled()
    sessions.identity_loader(window, store, "测试")()
    assert len(asked) == 2
    s.check_idle(now=time.monotonic() + sessions.IDLE_SECONDS + 1)
    assert not s.unlocked
    sessions.identity_loader(window, store, "测试")()
    window.close()
    assert not s.unlocked
    assert PASS not in repr(vars(s))


def test_a_replaced_key_or_another_store_is_not_served_from_the_cache(window, store, tmp_path):
    from collector.storage.store import Store
    from ui import session as sessions

    keyring.generate_identity(store, PASS)
    sessions.unlock_now(store, PASS)
    with Store(tmp_path / "other.db") as other:
        keyring.generate_identity(other, PASS)
        assert sessions.session().cached(other) is None
    keyring.generate_identity(store, PASS, replace=True)
    assert sessions.session().cached(store) is None and not sessions.session().unlocked


def test_pack_wizard_skips_the_passphrase_when_unlocked(window, qtbot, store, tmp_path):
    from tests.conftest import make_record
    from ui import session as sessions

    from tests.ui.unit_key import add_unit_key

    keyring.generate_identity(store, PASS)
    add_unit_key(store, tmp_path)
    sessions.unlock_now(store, PASS)
    cid = store.save(make_record(3))
    window.reload_list(select=cid)
    wizard = window.open_pack_wizard()
    wizard.next()
    wizard.next()
    page = wizard.passphrase_page
    assert page.unlocked is not None and not page.passphrase.isEnabled()
    assert "已在本次使用中解锁" in page.info.text()
    page.out.setText(str(tmp_path / "x.rpu"))
    assert page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.packed is not None, timeout=20000)
    assert (tmp_path / "x.rpu").is_file()
    wizard.reject()
    sessions.session().forget()
