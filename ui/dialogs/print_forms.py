"""打印: the chosen candidates' registration forms as PDFs (``collector.printing``), then opened."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from ..worker import run_op


def signer_fingerprint(store) -> str | None:
    """This installation's key fingerprint, printed on the forms when keys exist."""
    try:
        from collector.rpu import keys

        return keys.stored_public(store).fingerprint if keys.has_identity(store) else None
    except Exception:
        return None


def print_registration(parent, store, ids: list[str], out_dir: str | Path | None = None,
                       open_files: bool = True):
    from collector.printing import print_all

    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="登记表_"))
    fingerprint = signer_fingerprint(store)

    def work(job):
        job.progress(0, 0, "正在生成登记表 PDF")
        return print_all(store, ids, folder, kinds=("registration",), signer_fingerprint=fingerprint)

    def done(results):
        if hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(f"已生成 {len(results)} 份登记表：{folder}", 10000)
        if open_files:
            for r in results:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(r.path)))

    return run_op(parent, "打印登记表", work, on_done=done)
