"""The store used from the GUI thread and worker threads at once (issue 11, Concurrency).

A worker's transaction must never swallow a save another thread made: each thread works on
its own connection, so a save either commits on its own or waits for the worker to finish.
"""

from __future__ import annotations

import threading

import pytest

from tests.conftest import make_record


class WorkerFailed(Exception):
    pass


def test_a_failing_worker_transaction_does_not_roll_back_a_save_the_gui_made(store):
    in_transaction, gui_saved = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def worker():
        try:
            with store.transaction():
                store.set_setting("worker.step", "half-done")
                in_transaction.set()
                # Long work; the GUI saves meanwhile. Give up after a second either way.
                gui_saved.wait(1.0)
                raise WorkerFailed("the worker's import failed half-way")
        except WorkerFailed:
            pass
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    thread = threading.Thread(target=worker)
    thread.start()
    assert in_transaction.wait(5)
    candidate_id = store.save(make_record(1))  # the GUI reports 已保存 after this returns
    gui_saved.set()
    thread.join(10)

    assert not errors
    assert store.exists(candidate_id), "the GUI's save was rolled back by the worker's failure"
    assert store.get(candidate_id).name == make_record(1)["name"]
    assert store.get_setting("worker.step") is None  # the worker's own half is undone


def test_saves_from_many_threads_at_once_all_land(store):
    errors: list[BaseException] = []
    ids: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def save(n: int):
        try:
            start.wait()
            for i in range(5):
                cid = store.save(make_record(n * 10 + i))
                with lock:
                    ids.append(cid)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert len(ids) == 20 and store.count() == 20


def test_a_worker_sees_what_the_gui_committed_and_the_other_way(store):
    cid = store.save(make_record(2))
    seen: dict = {}

    def worker():
        seen["name"] = store.get(cid).name
        store.set_setting("from.worker", 1)

    t = threading.Thread(target=worker)
    t.start()
    t.join(10)
    assert seen["name"] == make_record(2)["name"]
    assert store.get_setting("from.worker") == 1


def test_connections_of_finished_threads_are_closed(store):
    def worker():
        store.count()

    for _ in range(20):
        t = threading.Thread(target=worker)
        t.start()
        t.join(10)
    # The main thread's connection plus at most a stray one still being collected.
    assert store.open_connections() <= 2


def test_close_closes_every_threads_connection(db_path):
    from collector.common.errors import StoreError
    from collector.storage.store import Store

    s = Store(db_path)
    done = threading.Event()
    release = threading.Event()

    def worker():
        s.count()
        done.set()
        release.wait(5)

    t = threading.Thread(target=worker)
    t.start()
    assert done.wait(5)
    s.close()
    release.set()
    t.join(10)
    assert s.open_connections() == 0
    with pytest.raises(StoreError, match="已关闭"):
        s.count()


def test_a_write_blocked_past_the_busy_timeout_is_a_clear_store_error(store, monkeypatch):
    from collector.storage import connections as store_mod
    from collector.common.errors import StoreError

    held, release = threading.Event(), threading.Event()

    def worker():
        with store.transaction():
            store.set_setting("worker", 1)
            held.set()
            release.wait(10)

    t = threading.Thread(target=worker)
    t.start()
    assert held.wait(5)
    try:
        store.db.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(StoreError, match="正被另一项操作写入"):
            store.save(make_record(3))
    finally:
        release.set()
        t.join(10)
    assert store.get_setting("worker") == 1
    assert store_mod.BUSY_SECONDS >= 10
