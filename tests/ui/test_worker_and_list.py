"""The worker helper (progress, cancel, errors in one place) and the candidate list filter."""

from __future__ import annotations

import time

from collector.common.errors import InputError
from tests.conftest import make_record
from ui.worker import run_op


def test_worker_runs_in_background_and_reports_done(qtbot):
    seen = []
    op = run_op(None, "测试", lambda job: (job.progress(1, 2, "一半"), 42)[1], on_done=seen.append)
    qtbot.waitUntil(lambda: op.outcome != "running")
    assert op.outcome == "done" and seen == [42]


def test_worker_cancel_stops_the_job(qtbot):
    def slow(job):
        for i in range(200):
            job.check()
            job.progress(i, 200)
            time.sleep(0.01)
        return "finished"

    op = run_op(None, "慢任务", slow)
    qtbot.wait(50)
    op.cancel()
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=5000)
    assert op.outcome == "cancelled" and op.result is None


def test_worker_error_goes_to_on_error(qtbot):
    errors = []

    def bad(job):
        raise InputError("坏数据", field="name")

    op = run_op(None, "出错", bad, on_error=errors.append)
    qtbot.waitUntil(lambda: op.outcome != "running")
    assert op.outcome == "failed" and "坏数据" in str(errors[0])


def test_a_failing_op_does_not_undo_a_save_made_in_the_main_thread_meanwhile(store, qtbot):
    """Issue 11: the op's transaction and the GUI's save used to share one connection."""
    import threading

    started, saved = threading.Event(), threading.Event()

    def import_that_fails(job):
        with store.transaction():
            store.set_setting("half.imported", True)
            started.set()
            saved.wait(1.0)
            raise InputError("第 3 个文件损坏", field="file")

    errors = []
    op = run_op(None, "导入", import_that_fails, on_error=errors.append, show_progress=False)
    assert started.wait(5)
    cid = store.save(make_record(5))  # the editor's 保存, in the main thread
    saved.set()
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=5000)
    assert op.outcome == "failed" and "损坏" in str(errors[0])
    assert store.exists(cid)
    assert store.get_setting("half.imported") is None


def test_filter_by_name_id_unit_and_status(window, store, qtbot):
    ids = store.save_many([(make_record(i), None) for i in range(30)])
    store.set_status(ids[3], "packed")
    window.reload_list()
    row = store.get(ids[7]).data
    window.search.setText(row["name"])
    assert window.proxy.rowCount() >= 1
    assert ids[7] in [window.proxy.index(r, 0).data(window.model.IdRole)
                      for r in range(window.proxy.rowCount())]
    window.search.setText(row["id_number"][-6:].lower())
    assert window.proxy.rowCount() == 1
    window.search.setText("没有这个单位")
    assert window.proxy.rowCount() == 0
    assert "显示 0 人" in window.count_label.text()
    window.search.clear()
    window.status_filter.setCurrentIndex(window.status_filter.findData("packed"))
    assert window.proxy.rowCount() == 1


def test_import_and_export_json_through_the_core(window, store, qtbot, tmp_path):
    import json

    src = tmp_path / "in.json"
    src.write_text(json.dumps([make_record(i) for i in range(3)], ensure_ascii=False), encoding="utf-8")
    op = window.import_json(str(src))
    qtbot.waitUntil(lambda: op.outcome != "running")
    assert op.outcome == "done" and window.model.rowCount() == 3
    out = tmp_path / "out.json"
    op = window.export_json(str(out))
    qtbot.waitUntil(lambda: op.outcome != "running")
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 3


def test_attachment_added_from_a_file_is_stored_and_flagged(window, store, qtbot, tmp_path):
    from ui.editor.attachments_page import AttachmentsPage

    cid = store.save(make_record(8, attachments=[]))
    window.reload_list(select=cid)
    page = window.editor.page(AttachmentsPage)
    scan = tmp_path / "职称证书.pdf"
    scan.write_bytes(b"%PDF-1.4 test" * 100)
    op = page.add_files([scan])
    qtbot.waitUntil(lambda: op.outcome != "running")
    table = page.attachments.table
    assert table.rowCount() == 1 and table.item(0, 5).text().endswith("KB")
    from PySide6.QtCore import Qt

    table.item(0, 2).setCheckState(Qt.Checked)  # classified, not yet declassified
    findings = window.editor.revalidate()
    assert any(f.rule == "CLASSIFIED" for f in findings)
    table.item(0, 3).setCheckState(Qt.Checked)
    assert not any(f.rule == "CLASSIFIED" for f in window.editor.revalidate())
    assert window.editor.save_now()
    entry = store.get(cid).data["attachments"][0]
    assert entry["title"] == "职称证书" and entry["classified"] and entry["declassified"]
    assert store.file_path(entry["sha256"]).read_bytes() == scan.read_bytes()


def test_sorting_by_a_column_keeps_the_selection(window, store):
    from PySide6.QtCore import Qt

    ids = store.save_many([(make_record(i), None) for i in range(12)])
    window.reload_list(select=ids[5])
    window.view.sortByColumn(1, Qt.AscendingOrder)
    numbers = [window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())]
    assert numbers == sorted(numbers)
    assert window.view.currentIndex().data(window.model.IdRole) == ids[5]
    window.view.sortByColumn(1, Qt.DescendingOrder)
    assert [window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())] == numbers[::-1]


def test_role_pages_from_the_registry_become_tabs(window, store, qtbot, monkeypatch):
    from PySide6.QtWidgets import QLabel

    from ui import profile, roles

    monkeypatch.setattr(roles, "_registry", {})
    monkeypatch.setattr(roles, "PAGE_MODULES", ())
    class Page(QLabel, roles.PageLifecycle):
        refreshed = 0

        def refresh(self) -> None:
            Page.refreshed += 1

    roles.register(roles.UNIT, "测试页", lambda st, parent: Page("单位页面", parent))
    # A page without refresh()/close_page() is refused with a message, not called by guesswork.
    roles.register(roles.UNIT, "旧页", lambda st, parent: QLabel("旧页面", parent))
    # So is one with both that is no widget: it cannot be a tab, and must not stop the others.
    roles.register(roles.UNIT, "非控件", lambda st, parent: roles.PageLifecycle())
    profile.save(store, {"role": roles.UNIT})
    window.profile_changed()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["申报表", "测试页"]
    assert "“非控件”页面打开失败" in window.statusBar().currentMessage()
    window.tabs.setCurrentIndex(1)
    assert Page.refreshed >= 1
    profile.save(store, {"role": roles.APPLICANT})
    window.profile_changed()
    assert window.tabs.count() == 1


def test_each_op_thread_connection_is_closed_when_the_op_ends(store, qtbot):
    """One connection per thread must not mean one more open file per action all day long."""
    import gc

    for _ in range(6):
        op = run_op(None, "计数", lambda job: store.count(), show_progress=False)
        qtbot.waitUntil(lambda op=op: op.outcome != "running", timeout=5000)
    qtbot.wait(100)
    gc.collect()
    assert store.open_connections() <= 2


def test_a_new_attachment_is_filed_by_its_name_and_asked_for_when_unsure(
        window, store, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from ui.editor.attachments_page import AttachmentsPage

    asked: list[str] = []

    def pick(parent, title, label, items, current, editable):
        asked.append(label)
        assert items[current] == "其他"
        return "获奖证书", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    cid = store.save(make_record(8, attachments=[]))
    window.reload_list(select=cid)
    page = window.editor.page(AttachmentsPage)
    files = []
    for name in ("职称证书.jpg", "IMG_0001.jpg"):
        files.append(tmp_path / name)
        files[-1].write_bytes(b"\xff\xd8 scan " * 50)
    op = page.add_files(files)
    qtbot.waitUntil(lambda: op.outcome != "running")
    assert len(asked) == 1 and "IMG_0001.jpg" in asked[0]  # only the unclear one is asked
    assert window.editor.save_now()
    got = {a["file"]: a["category"] for a in store.get(cid).data["attachments"]}
    assert got == {"职称证书.jpg": "职称证书", "IMG_0001.jpg": "获奖证书"}
