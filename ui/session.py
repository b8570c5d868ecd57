"""The unlocked identity for this session: the passphrase is asked once, and every action that
signs or decrypts (收件箱, 生成上报包, 光盘, 生成报部材料, 生成报送) reuses the unlocked key. It is
forgotten on 锁定, on exit, and after ``IDLE_SECONDS`` without keyboard or mouse input. Only the
unlocked key is held, in memory; the passphrase is never kept or written anywhere."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QWidget

if TYPE_CHECKING:
    from collector.rpu.keys import Identity

IDLE_SECONDS = 15 * 60
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}


def ask_passphrase(parent: QWidget | None, what: str, note: str = "") -> str | None:
    label = (note + "\n" if note else "") + "请输入本机密钥的口令："
    text, ok = QInputDialog.getText(parent, what, label, QLineEdit.EchoMode.Password)
    return text if ok and text else None


class IdentitySession(QObject):
    changed = Signal(bool)  # True: unlocked, False: locked

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.idle_seconds = IDLE_SECONDS
        self._lock = threading.Lock()  # remember() runs in a worker thread
        self._identity: Identity | None = None
        self._store_path = ""
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(30_000)
        self._timer.timeout.connect(self.check_idle)
        self._timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def unlocked(self) -> bool:
        return self._identity is not None

    def eventFilter(self, _obj, event) -> bool:
        if self._identity is not None and event.type() in _INPUT:
            self._last = time.monotonic()
        return False

    def cached(self, store) -> Identity | None:
        """The unlocked identity for ``store``, or None (locked, idle too long, other store, or
        the store's key was replaced since)."""
        from collector.exchange import keyring
        self.check_idle()
        with self._lock:
            identity = self._identity
            if identity is None or self._store_path != str(store.path):
                return None

        try:
            same = keyring.stored_public(store).fingerprint == identity.fingerprint
        except Exception:
            same = False
        if not same:
            self.forget()
            return None
        self._last = time.monotonic()
        return identity

    def remember(self, store, identity: Identity) -> None:
        with self._lock:
            self._identity, self._store_path = identity, str(store.path)
            self._last = time.monotonic()
        self.changed.emit(True)

    def forget(self) -> None:
        with self._lock:
            was, self._identity, self._store_path = self._identity, None, ""
        if was is not None:
            self.changed.emit(False)

    def check_idle(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if self._identity is not None and now - self._last >= self.idle_seconds:
            self.forget()


_session: IdentitySession | None = None


def session() -> IdentitySession:
    global _session
    if _session is None:
        _session = IdentitySession(QApplication.instance())
    return _session


def identity_loader(parent: QWidget | None, store, what: str,
                    passphrase: str | None = None) -> Callable[[], Identity] | None:
    """Call before ``run_op``: a function the worker calls to get the unlocked identity (the
    cached one, or the key unlocked now with the passphrase asked, wrong ones asked again), or
    None when the user cancelled the prompt. A given ``passphrase`` (scripts, tests) is always
    used, once, in the worker."""
    s = session()
    if passphrase is None:
        cached = s.cached(store)
        if cached is None:
            cached = ask_and_unlock(parent, store, what)
        return None if cached is None else (lambda: cached)

    def load() -> Identity:
        from collector.exchange.keyring import load_identity

        identity = load_identity(store, passphrase)
        s.remember(store, identity)
        return identity

    return load


def ask_and_unlock(parent: QWidget | None, store, what: str) -> Identity | None:
    """Ask for the passphrase and unlock now; a wrong one is asked again (three tries in all)
    so the operation and what the user chose for it (files, folders) are not lost. None when
    the user cancels or the tries run out (said in a message)."""
    from collector.exchange import keyring
    from collector.common.errors import CollectorError
    from collector.rpu import keys
    from collector.exchange.keyring import load_identity
    from collector.rpu.errors import PassphraseError

    from .errors import show_error

    try:
        keyring.stored_public(store)  # no key yet: say so before asking for a passphrase
    except CollectorError as err:
        show_error(parent, what, err)
        return None
    note = ""
    for left in range(keys.PASSPHRASE_TRIES - 1, -1, -1):
        passphrase = ask_passphrase(parent, what, note)
        if not passphrase:
            return None
        try:
            identity = load_identity(store, passphrase)
        except PassphraseError:
            note = f"口令不正确，请重新输入（还可再试 {left} 次）"
            continue
        except CollectorError as err:
            show_error(parent, what, err)
            return None
        session().remember(store, identity)
        return identity
    show_error(parent, what, PassphraseError(
        f"口令连续 {keys.PASSPHRASE_TRIES} 次不正确，本次“{what}”已取消，没有做任何改动；"
        "请确认口令后再试"))
    return None


def lock_action(parent: QWidget):
    """锁定 (menu and toolbar): forget the unlocked key now; enabled only while unlocked."""
    from PySide6.QtGui import QAction

    act = QAction("锁定", parent)
    act.setObjectName("lockAction")
    act.setToolTip("忘记本次已输入口令解锁的密钥；下次签名或解密时重新输入口令")
    act.setStatusTip(act.toolTip())
    act.triggered.connect(lambda: session().forget())
    act.setEnabled(session().unlocked)
    session().changed.connect(act.setEnabled)
    return act


def unlock_now(store, passphrase: str):
    """Unlock in the calling thread (the pack wizard's passphrase page) and remember it."""
    from collector.exchange.keyring import load_identity

    identity = load_identity(store, passphrase)
    session().remember(store, identity)
    return identity
