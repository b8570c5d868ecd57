"""A store made by the previous release (tests/vectors/previous-office, written by that
release's code): opened by this one, it migrates, is converted on the first inbox import with
the identity unlocked, and then keeps every received attachment once, inside its package."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from collector.exchange.convert_store import pending
from collector.storage.attachments import in_package, open_attachment, plain_path
from collector.storage.migrations import CURRENT_VERSION
from collector.office import inbox
from collector.exchange.keyring import load_identity
from collector.storage.store import Store
from tests.vectors import previous_store


@pytest.fixture
def previous(tmp_path):
    folder = tmp_path / "office"
    shutil.copytree(previous_store.HERE, folder)
    return folder / "collector.db"


def _every_attachment(store: Store) -> dict[str, bytes]:
    out = {}
    for cand in store.all():
        for att in cand.data["attachments"]:
            with open_attachment(store, att["sha256"], att["title"]) as src:
                out[att["sha256"]] = src.read()
    return out


def _files(store: Store) -> set[str]:
    return {p.name for p in store.files_dir.rglob("*") if p.is_file()}


def test_a_previous_store_is_converted_on_the_first_inbox_import(previous):
    with Store(previous) as store:
        assert store.schema_version == CURRENT_VERSION and pending(store)
        before = _every_attachment(store)  # still the extracted copies: nothing is lost
        assert len(before) == 5 and all(hashlib.sha256(b).hexdigest() == sha
                                        for sha, b in before.items())
        packages = {r[0] for r in store.db.execute(
            "SELECT sha256 FROM office_inbox WHERE status='imported'")}
        assert len(packages) == 2 and _files(store) == packages | set(before)
        local = hashlib.sha256(previous_store.LOCAL_FILE).hexdigest()
        identity = load_identity(store, previous_store.PASS)

        result = inbox.import_many(store, [], identity)

        done = result.converted
        assert done is not None and (done.packages, done.removed, done.skipped) == (2, 4, [])
        assert _every_attachment(store) == before  # byte-identical, now from the packages
        assert _files(store) == packages | {local}  # each received byte kept once
        assert plain_path(store, local) is not None and in_package(store, local) is None
        for sha in set(before) - {local}:
            assert plain_path(store, sha) is None
            assert in_package(store, sha).package_sha256 in packages
        assert "删除重复保存的附件副本 4 个（12 KB）" in done.line()
        assert not pending(store)
        assert inbox.import_many(store, [], identity).converted is None  # once


def test_a_previous_store_reads_its_attachments_before_it_is_converted(previous, cli):
    """Until the identity is unlocked for an import, the extracted copies serve as before."""
    r = cli("check-db", db=previous)
    assert r.code == 0, r.out + r.err
    with Store(previous) as store:
        assert pending(store) and len(_every_attachment(store)) == 5


def test_the_gui_inbox_converts_a_previous_store_and_says_so(previous, qtbot, tmp_path):
    """收件箱 → 导入 with the identity unlocked converts it; the summary says what was freed."""
    from ui.errors import set_non_blocking
    from ui.office import InboxPage

    set_non_blocking(True)
    empty = tmp_path / "nothing"
    empty.mkdir()
    with Store(previous) as store:
        page = InboxPage(store)
        qtbot.addWidget(page)
        op = page.import_paths([str(empty)], passphrase=previous_store.PASS)
        qtbot.waitUntil(lambda: op.outcome != "running", timeout=60000)
        assert op.outcome == "done", op.error
        assert "数据文件夹已转换：2 个已收报送文件" in page.summary.text()
        assert not pending(store) and len(_every_attachment(store)) == 5
        page.close()


def test_the_cli_inbox_converts_a_previous_store_and_says_so(previous, cli, tmp_path,
                                                             monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", previous_store.PASS)
    empty = tmp_path / "nothing"
    empty.mkdir()
    r = cli("inbox", str(empty), db=previous)
    assert "数据文件夹已转换：2 个已收报送文件" in r.out, r.out + r.err
    assert "数据文件夹已转换" not in cli("inbox", str(empty), db=previous).out  # once
