"""导入 JSON / 导出 JSON from the main window: ask for the file, then run the same core calls as
``collector import-json`` / ``collector export-json`` (``collector.storage.interchange``) through ``ui.worker``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ..file_dialogs import start_dir, suggested
from ..worker import run_op


def import_json(window, path: str | None = None):
    if not path:
        path, _ = QFileDialog.getOpenFileName(window, "导入 JSON", start_dir(), "JSON 文件 (*.json)")
    if not path:
        return None
    window.editor.save_now()
    from collector.storage.interchange import import_records, load_candidates_file

    store = window.store

    def work(job):
        job.progress(0, 0, f"正在读取 {Path(path).name}")
        items = load_candidates_file(Path(path))
        job.check()
        job.progress(0, 0, f"正在导入 {len(items)} 条记录")
        return import_records(store, items, source_label=Path(path).name,
                              base_dir=Path(path).parent)

    def done(result):
        window.reload_list(select=(result.created or result.updated or [None])[0])
        notes = f"；警告 {len(result.notes)} 条：{'；'.join(result.notes)}" if result.notes else ""
        window.statusBar().showMessage(
            f"已导入：新增 {len(result.created)} 人，更新 {len(result.updated)} 人{notes}",
            20000 if notes else 8000)
        for page in window.role_pages:
            page.refresh()

    return run_op(window, "导入 JSON", work, on_done=done)


def export_json(window, path: str | None = None, all_candidates: bool = True):
    if not path:
        path, _ = QFileDialog.getSaveFileName(window, "导出 JSON", suggested("候选人.json"),
                                              "JSON 文件 (*.json)")
    if not path:
        return None
    window.editor.save_now()
    from collector.common.atomic import write_json_atomic
    from collector.storage.interchange import export_records

    store = window.store
    keys = None if all_candidates or not window.current_id() else [window.current_id()]

    def work(job):
        records = export_records(store, keys)
        write_json_atomic(Path(path), records)
        return len(records)

    return run_op(window, "导出 JSON", work, on_done=lambda n: window.statusBar().showMessage(
        f"已导出 {n} 人到 {path}", 8000))
