"""Attacks on where the store keeps a received attachment (issue 28: once, inside the package it
came in): someone who can write the data folder deletes, alters or shadows a kept package or an
attachment file. The store must say so (check-db, the attachment's name), never hand out other
bytes, and re-importing the package must repair it as the error message says."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from collector.common.errors import CollectorError, StoreError
from collector.exchange.packing import pack
from collector.office import inbox
from collector.storage.attachments import export_attachment, in_package, is_stored
from tests.conftest import make_record
from tests.office.conftest import TODAY, Installation

TITLE = "集体获奖证书"


@dataclass
class Received:
    unit: Installation
    sent: list[Path]      # the applicants' packages, each holding the same scan
    content: bytes
    sha: str

    def kept(self) -> Path:
        held = in_package(self.unit.store, self.sha)
        assert held is not None
        return self.unit.store.file_path(held.package_sha256)

    def export(self, dest: Path) -> bytes:
        return export_attachment(self.unit.store, self.sha, dest, TITLE).read_bytes()


@pytest.fixture
def received(make_installation, tmp_path) -> Received:
    """A unit that took one applicant's package; a second applicant of the same unit has sent
    a package holding the same scan (a group award), not imported yet."""
    unit = make_installation("某单位", role="单位")
    content = b"%PDF-1.4\n" + os.urandom(300_000)
    scan = tmp_path / "证书.pdf"
    scan.write_bytes(content)
    sent = []
    for i, name in enumerate(["申报人甲", "申报人乙"]):
        applicant = make_installation(name)
        cid = applicant.store.save(make_record(i))
        applicant.store.attach(cid, scan, title=TITLE)
        out = tmp_path / f"{name}.rpu"
        pack(applicant.store, [], out, identity=applicant.identity, recipients=[unit.public],
             today=TODAY)
        sent.append(out)
    [entry] = inbox.import_many(unit.store, sent[:1], unit.identity).entries
    assert entry.status == inbox.IMPORTED
    return Received(unit, sent, content, hashlib.sha256(content).hexdigest())


def test_check_db_says_an_attachment_is_missing_when_its_kept_package_was_deleted(
        received, cli):
    received.kept().unlink()
    assert not is_stored(received.unit.store, received.sha)
    r = cli("check-db", db=received.unit.store.path)
    assert r.code == 1 and "有 1 个附件文件不在" in r.out, r.out + r.err


@pytest.mark.parametrize("damage", ["deleted", "altered"])
def test_importing_the_same_file_again_repairs_its_kept_package(received, tmp_path, damage):
    kept = received.kept()
    if damage == "deleted":
        kept.unlink()
    else:
        data = bytearray(kept.read_bytes())
        data[-100] ^= 0x01
        kept.write_bytes(bytes(data))
    with pytest.raises(CollectorError, match=f"附件“{TITLE}”.*请重新导入该报送文件"):
        received.export(tmp_path / "before.pdf")

    [entry] = inbox.import_many(received.unit.store, received.sent[:1],
                                received.unit.identity).entries

    assert entry.status == inbox.SKIPPED  # nothing imported twice
    assert received.export(tmp_path / "after.pdf") == received.content
    assert (kept.stat().st_mode & 0o777) == 0o600 or os.name == "nt"


def test_another_package_holding_the_attachment_takes_over_from_a_deleted_one(received,
                                                                             tmp_path):
    received.kept().unlink()

    [entry] = inbox.import_many(received.unit.store, received.sent[1:],
                                received.unit.identity).entries

    assert entry.status == inbox.IMPORTED
    assert is_stored(received.unit.store, received.sha)
    assert received.export(tmp_path / "out.pdf") == received.content


def test_a_file_put_under_an_attachments_name_is_not_exported_as_it(received, tmp_path):
    """A plain file named for the attachment, beside the package that holds it, is read first:
    its bytes must match the name, or nothing is written."""
    planted = received.unit.store.file_path(received.sha)
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_bytes(b"%PDF-1.4\n" + b"\0" * 1000)

    with pytest.raises(StoreError, match=f"附件“{TITLE}”无法读出：.*SHA-256 不符"):
        received.export(tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_a_locally_added_attachment_altered_on_disc_is_not_exported(make_installation, tmp_path):
    office = make_installation("某单位", role="单位")
    scan = tmp_path / "本级.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(3000))
    cid = office.store.save(make_record(0))
    sha = office.store.attach(cid, scan, title=TITLE)["sha256"]
    office.store.file_path(sha).write_bytes(b"%PDF-1.4\n" + os.urandom(3000))

    with pytest.raises(StoreError, match="SHA-256 不符"):
        export_attachment(office.store, sha, tmp_path / "out.pdf", TITLE)
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("column, value", [("payload_key", "zz"), ("offset", -5),
                                           ("compression", "bz2"), ("size", -1),
                                           ("package_sha256", "../../etc")])
def test_an_edited_location_row_is_refused_in_one_line(received, tmp_path, column, value, cli):
    """package_parts edited outside the program (or restored --unverified from a hostile
    backup): a clear refusal naming the attachment, never a traceback or other bytes."""
    db = received.unit.store.db
    db.execute(f"UPDATE package_parts SET {column}=? WHERE sha256=?", [value, received.sha])
    db.conn.commit()
    with pytest.raises(StoreError, match=f"附件 {received.sha[:12]}…"):
        received.export(tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()
    r = cli("check-db", db=received.unit.store.path)
    assert r.code != 0 and "Traceback" not in r.out + r.err, r.out + r.err
    assert "位置记录无效" in r.out + r.err or "附件文件不在" in r.out, r.out + r.err
