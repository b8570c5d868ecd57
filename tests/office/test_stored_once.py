"""A received package is stored once (issue 28), walked through a whole province: an applicant's
scan of a few MB goes applicant → unit → 盟市 (on a disc image) → region. Each level keeps the
package it received and reads the attachment from it: viewing, 另存为, export, the check of
the database, a backup and the office's own package upward all get the very bytes, and a
stored package altered by one byte gives a clear error naming the attachment, never wrong bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from collector.storage.attachments import export_attachment, in_package, is_stored, open_attachment
from collector.common.errors import CollectorError, StoreError
from collector.office import province
from collector.office.package import pack_office
from collector.exchange.provenance import VERIFIED
from collector.exchange.provenance import of as provenance_of
from collector.exchange.keyring import load_identity
from collector.storage.store import Store
from tests.office.conftest import PASS, TODAY

TITLE = "大扫描件"


@dataclass
class Walked:
    p: province.Province
    content: bytes
    sha: str
    unit: Path      # the unit that received the applicant's package
    office: Path    # its 盟市, which received the unit's package

    def copy_of(self, db: Path, folder: Path) -> Path:
        """A copy of one installation to alter in a test (the walk is shared)."""
        shutil.copytree(db.parent, folder)
        return folder / db.name


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> Walked:
    from collector.rpu import keys

    root = tmp_path_factory.mktemp("stored-once")
    content = b"%PDF-1.4\n" + os.urandom(3 << 20)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "SCRYPT_N", 2 ** 10)
        p = province.set_up(root, PASS, TODAY, say=lambda _: None)
        scan = root / "扫描件.pdf"
        scan.write_bytes(content)
        with Store(p.applicants[0].db) as store:  # the first unit's, under 包头市 (on disc)
            store.attach(next(iter(store.all())).id, scan, title=TITLE, category="获奖")
        province.walk(p)
    unit = next(iter(p.units.values()))
    return Walked(p, content, hashlib.sha256(content).hexdigest(), unit.db,
                  p.offices["包头市"].db)


def _levels(w: Walked) -> list[Path]:
    return [w.unit, w.office, w.p.region.db]


def test_every_level_keeps_the_package_and_no_extracted_copy(walked):
    for db in _levels(walked):
        with Store(db) as store:
            held = in_package(store, walked.sha)
            assert held is not None and store.file_path(held.package_sha256).is_file()
            assert not store.file_path(walked.sha).exists(), db  # stored once
            with open_attachment(store, walked.sha) as src:
                assert src.read() == walked.content


def test_the_region_verified_the_chain_of_packages_carrying_the_attachment(walked):
    """Each level re-packed the attachment upward from the package it had received
    (Part.from_stream); the region checked every signature down to the applicant."""
    with Store(walked.p.region.db) as store:
        [cand] = [c for c in store.all()
                  if any(a["sha256"] == walked.sha for a in c.data["attachments"])]
        assert provenance_of(cand).klass == VERIFIED
    assert walked.p.region_disc.ok


def test_export_and_json_export_give_the_same_bytes(walked, tmp_path):
    from collector.storage.attachment_files import write_out

    with Store(walked.office) as store:
        out = export_attachment(store, walked.sha, tmp_path / "a.pdf", TITLE)
        assert out.read_bytes() == walked.content
        assert os.name == "nt" or (out.stat().st_mode & 0o777) == 0o600  # no POSIX modes on Windows
        store.export_file(walked.sha, tmp_path / "b.pdf")
        assert (tmp_path / "b.pdf").read_bytes() == walked.content
        records = [dict(c.data, id=c.id) for c in store.all()]
        assert write_out(store, records, tmp_path / "json" / "files", tmp_path / "json") >= 1
    written = [p.read_bytes() for p in (tmp_path / "json" / "files").rglob("*") if p.is_file()]
    assert walked.content in written


def test_check_db_counts_attachments_held_in_packages_as_present(walked, cli):
    r = cli("check-db", db=walked.office)
    assert r.code == 0, r.out + r.err
    assert "附件文件不在" not in r.out + r.err


def test_a_backup_restores_attachments_that_open(walked, tmp_path):
    from collector.storage.backup import backup_database, restore_database

    db = walked.copy_of(walked.office, tmp_path / "office")
    backup_database(db, tmp_path / "备份.zip", passphrase=lambda: PASS)
    restored = tmp_path / "restored" / "collector.db"
    restore_database(tmp_path / "备份.zip", restored, unverified=True)
    with Store(restored) as store:
        assert in_package(store, walked.sha) is not None
        with open_attachment(store, walked.sha) as src:
            assert src.read() == walked.content


def _tampered_office(walked: Walked, folder: Path) -> Path:
    """A copy of the office whose kept package has one byte flipped inside the attachment."""
    db = walked.copy_of(walked.office, folder)
    with Store(db) as store:
        held = in_package(store, walked.sha)
        package = store.file_path(held.package_sha256)
    data = bytearray(package.read_bytes())
    data[held.location.payload_start + held.location.offset + (1 << 20)] ^= 0x01
    package.write_bytes(bytes(data))
    return db


def test_a_tampered_stored_package_fails_naming_the_attachment(walked, tmp_path):
    db = _tampered_office(walked, tmp_path / "office")
    with Store(db) as store:
        assert is_stored(store, walked.sha)  # present, and refused when read
        with pytest.raises(StoreError, match=f"附件“{TITLE}”无法读出：.*已损坏或被改动"):
            with open_attachment(store, walked.sha, TITLE) as src:
                src.read()
        with pytest.raises(StoreError, match=f"附件 {walked.sha[:12]}…无法读出"):
            export_attachment(store, walked.sha, tmp_path / "out.pdf")
        assert not (tmp_path / "out.pdf").exists()  # never a file with wrong bytes
        out = tmp_path / "上报.rpu"
        with pytest.raises(CollectorError, match=f"附件“{TITLE}”无法读出"):
            pack_office(store, out, identity=load_identity(store, PASS), today=TODAY)
        assert not out.exists()


def _attachments_page(qtbot, store: Store, sha: str):
    from ui.editor.attachments_page import AttachmentsPage
    from ui.office import OfficeReviewPage

    page = OfficeReviewPage(store)
    qtbot.addWidget(page)
    ids = [c.id for c in store.all() if any(a["sha256"] == sha for a in c.data["attachments"])]
    for row in range(page.table.rowCount()):
        page.table.selectRow(row)
        if page.detail.editor.candidate_id in ids:
            break
    attachments = page.detail.editor.page(AttachmentsPage)
    page.detail.editor.tabs.setCurrentWidget(attachments)
    table = attachments.attachments
    table.table.setCurrentCell([a["sha256"] for a in table.value()].index(sha), 0)
    return page, attachments, table


def test_the_gui_opens_and_saves_an_attachment_held_in_a_package(walked, qtbot, tmp_path,
                                                                   monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: (str(tmp_path / "另存.pdf"), ""))
    with Store(walked.office) as store:
        _review, page, table = _attachments_page(qtbot, store, walked.sha)
        table.buttons["打开"].click()
        assert len(opened) == 1 and Path(opened[0]).read_bytes() == walked.content
        # A private view copy (Windows has no POSIX modes: NTFS gives the file its folder's ACL).
        assert os.name == "nt" or (Path(opened[0]).stat().st_mode & 0o777) == 0o600
        assert page.save_file(table.value()[table.table.currentRow()]) == tmp_path / "另存.pdf"
        assert (tmp_path / "另存.pdf").read_bytes() == walked.content


def test_the_gui_says_which_attachment_a_tampered_package_cannot_give(walked, qtbot, tmp_path,
                                                                       monkeypatch):
    from PySide6.QtGui import QDesktopServices

    shown: list[str] = []
    opened: list = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr("ui.errors.show_error",
                        lambda parent, title, err: shown.append(f"{title}：{err}"))
    db = _tampered_office(walked, tmp_path / "office")
    with Store(db) as store:
        _review, _page, table = _attachments_page(qtbot, store, walked.sha)
        table.buttons["打开"].click()
    assert opened == [] and len(shown) == 1
    assert shown[0].startswith("打开附件：附件“扫描件.pdf”无法读出") and "已损坏或被改动" in shown[0]
