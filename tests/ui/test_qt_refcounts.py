"""Guard against a PySide6 release that leaks references to True/None (6.12.0 did: after
enough signal emits and setter calls the interpreter aborts with ``bool_dealloc``)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal(bool)


def test_signal_emits_and_setters_do_not_leak_references(qtbot):
    emitter, label = _Emitter(), QLabel()
    seen = []
    emitter.fired.connect(seen.append)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(2000):
        emitter.fired.emit(True)
        label.setText("x")
    del seen[:]
    assert sys.getrefcount(True) - before_true > -100
    assert sys.getrefcount(None) - before_none > -100
