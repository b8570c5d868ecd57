"""The one way a slow action runs (Anki's ``aqt/operations`` pattern): a background thread, a
progress dialog that can be cancelled, and errors shown in one place. No dialog writes its own
thread code; it calls ``run_op`` with a function of one argument, the ``Job``:

    def work(job):
        for i, item in enumerate(items):
            job.check()                      # raises Cancelled if the user pressed 取消
            job.progress(i, len(items), f"正在处理 {item}")
        return result

    run_op(parent, "生成报送", work, on_done=lambda result: ...)
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it."""


class Job:
    """What the work function sees: report progress, ask whether to stop."""

    def __init__(self, emit: Callable[[int, int, str], None]):
        self._emit = emit
        self.cancel_event = threading.Event()

    def progress(self, done: int, total: int = 0, text: str = "") -> None:
        self._emit(int(done), int(total), str(text))

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()


class _Thread(QThread):
    progressed = Signal(int, int, str)

    def __init__(self, fn: Callable[[Job], Any]):
        super().__init__()
        self.fn = fn
        self.job = Job(self.progressed.emit)
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.fn(self.job)
        except BaseException as err:  # handed to the main thread, shown there
            self.error = err


class Op(QObject):
    """A running action. ``finished`` fires once, in the main thread, after the callbacks."""

    finished = Signal()

    def __init__(self, parent: QWidget | None, title: str, fn: Callable[[Job], Any],
                 on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 cancellable: bool, show_progress: bool):
        super().__init__(parent)
        self.title = title
        self.on_done = on_done
        self.on_error = on_error
        self.outcome: str = "running"   # then "done", "cancelled" or "failed"
        self.result: Any = None
        self.error: BaseException | None = None
        # not ``thread``: that name is QObject.thread(), the thread this object lives in
        self.runner = _Thread(fn)
        self.dialog: QProgressDialog | None = None
        if show_progress:
            self.dialog = QProgressDialog(title + "…", "取消" if cancellable else "", 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.setMinimumWidth(420)
            if not cancellable:
                self.dialog.setCancelButton(None)
            self.dialog.canceled.connect(self.cancel)
            self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)

    @property
    def job(self) -> Job:
        return self.runner.job

    def start(self) -> "Op":
        _running.add(self)
        self.runner.start()
        return self

    def cancel(self) -> None:
        self.job.cancel_event.set()
        if self.dialog is not None:
            self.dialog.setLabelText("正在取消…")

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if text and not self.job.cancelled:
            self.dialog.setLabelText(text)

    def _on_finished(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
        err = self.runner.error
        try:
            if err is None and not self.job.cancelled:
                self.outcome, self.result = "done", self.runner.result
                if self.on_done:
                    self.on_done(self.runner.result)
            elif isinstance(err, Cancelled) or (self.job.cancelled and err is None):
                self.outcome = "cancelled"
            elif self.job.cancelled:
                self.outcome = "cancelled"  # the core gave up with its own error after the cancel
                log.info("%s cancelled: %s", self.title, err)
            else:
                self.outcome, self.error = "failed", err
                if self.on_error:
                    self.on_error(err)
                else:
                    from .errors import show_error

                    parent = self.parent()
                    show_error(parent if isinstance(parent, QWidget) else None, self.title, err)
        finally:
            _running.discard(self)
            self.finished.emit()


_running: set[Op] = set()  # keeps running ops (and their threads) alive until they finish


def run_op(parent: QWidget | None, title: str, fn: Callable[[Job], Any], *,
           on_done: Callable[[Any], None] | None = None,
           on_error: Callable[[BaseException], None] | None = None,
           cancellable: bool = True, show_progress: bool = True) -> Op:
    """Run ``fn(job)`` in the background; call ``on_done(result)`` in the main thread."""
    return Op(parent, title, fn, on_done, on_error, cancellable, show_progress).start()


def wait_all(timeout_ms: int = 30000) -> None:
    """Let running ops finish (used on close so no thread is killed mid-write)."""
    for op in list(_running):
        op.job.cancel_event.set()
        op.runner.wait(timeout_ms)


def later(fn: Callable[[], None], ms: int = 0) -> None:
    QTimer.singleShot(ms, fn)
