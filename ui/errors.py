"""Errors at the UI's edge: one Chinese line for our own errors, a logged report for the rest.

``install_excepthook`` makes sure no traceback ever reaches the user as raw text.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from collector.common.crashlog import private_dir, private_file, redacted_traceback
from collector.common.errors import CollectorError, os_reason

log = logging.getLogger("ui")
_log_file: Path | None = None


def setup_logging(folder: Path) -> Path | None:
    """Log to ``<folder>/ui.log`` (folder created 0700, file 0600); returns the path (None if
    the folder is not writable)."""
    global _log_file
    try:
        path = private_file(private_dir(folder) / "ui.log")
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    _log_file = path
    return path


def message_for(err: BaseException) -> str:
    if isinstance(err, CollectorError):
        return str(err)
    if isinstance(err, OSError):
        where = f"（{err.filename}）" if getattr(err, "filename", None) else ""
        return f"文件操作失败{where}：{os_reason(err)}。请检查路径和权限后重试。"
    where = f"\n详细信息已记录在 {_log_file}" if _log_file else ""
    return f"程序内部错误：{type(err).__name__}。请保存工作后重新启动程序；如果再次出现，请联系技术支持。{where}"


def show_error(parent: QWidget | None, title: str, err: BaseException) -> None:
    if not isinstance(err, CollectorError):
        log.error("%s: %s", title, redacted_traceback(err))
    box = QMessageBox(QMessageBox.Icon.Warning, title, message_for(err),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.open() if _non_blocking else box.exec()


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A 是/否 question, 否 by default (Enter must not destroy anything)."""
    return QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes


_non_blocking = False  # tests set this so a message box never waits for a click


def set_non_blocking(value: bool) -> None:
    global _non_blocking
    _non_blocking = value


def install_excepthook() -> None:
    def hook(kind, value, tb) -> None:
        log.error("unhandled: %s", redacted_traceback(value))
        try:
            show_error(None, "出错了", value)
        except Exception:  # no QApplication any more: at least keep it in the log
            pass

    sys.excepthook = hook
