"""Attachments from the command line (issue 14): ``attach``, ``import-json`` with files beside
the JSON, ``export-json --with-files``; end to end through ``pack`` and ``verify``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import make_record

PASS = "attach-test passphrase 2017"


def _json_with_files(folder: Path, records: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "candidates.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def _scan(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _stored(cli, db=None) -> list[dict]:
    r = cli("list", "--json", db=db)
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_import_json_copies_attachment_files_and_pack_then_verify_succeed(
        cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    src = tmp_path / "from-applicant"
    pdf = _scan(src, "scans/职称证书.pdf", b"%PDF-1.4 title certificate " * 2000)
    rec = make_record(1, attachments=[
        {"file": "scans/职称证书.pdf", "title": "职称证书", "category": "职称证书"}])
    path = _json_with_files(src, [rec])

    r = cli("import-json", path)
    assert r.code == 0, r.err
    [stored] = _stored(cli)
    [att] = stored["attachments"]
    assert att["file"] == "职称证书.pdf" and att["title"] == "职称证书"
    assert att["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert att["size"] == pdf.stat().st_size

    office = tmp_path / "office" / "c.db"
    assert cli("keys", "generate", "--name", "区人社厅", db=office).code == 0
    (tmp_path / "office.pub").write_text(cli("keys", "export-public", db=office).out,
                                         encoding="utf-8")
    assert cli("keys", "generate").code == 0
    out = tmp_path / "p.rpu"
    r = cli("pack", "--out", out, "--to", tmp_path / "office.pub", "--today", "2017-04-20")
    assert r.code == 0, r.err
    assert "尚未存入" not in r.err
    r = cli("verify", out, db=office)
    assert r.code == 0 and r.out.startswith("OK"), r.err
    assert cli("import-rpu", out, db=office).code == 0
    [received] = _stored(cli, db=office)
    assert received["attachments"][0]["sha256"] == att["sha256"]


@pytest.mark.parametrize("name, says", [
    ("../secret.txt", "不在 JSON 文件所在文件夹"),
    ("/etc/hostname", "相对于 JSON 文件所在文件夹"),
    ("\\Windows\\win.ini", "相对于 JSON 文件所在文件夹"),  # rooted, no drive: absolute on Windows too
    ("C:/Windows/win.ini", "相对于 JSON 文件所在文件夹"),
    ("scans/没有这个文件.pdf", "找不到附件文件 scans/没有这个文件.pdf"),
    ("link-out.pdf", "不在 JSON 文件所在文件夹"),
])
def test_import_json_refuses_attachment_paths_outside_its_folder_or_missing(
        cli, tmp_path, name, says):
    (tmp_path / "secret.txt").write_text("private key material")
    src = tmp_path / "in"
    src.mkdir()
    (src / "link-out.pdf").symlink_to(tmp_path / "secret.txt")
    path = _json_with_files(src, [make_record(2), make_record(3, attachments=[
        {"file": name, "title": "材料"}])])
    r = cli("import-json", path)
    assert r.code == 1 and says in r.err, r.err
    assert "第2条记录" in r.err and "佐证材料第1项" in r.err
    assert r.err.count("\n") == 1
    assert cli("list", "--json").out.strip() in ("[]", "")  # nothing half-imported


def test_attach_command_by_id_number_and_its_errors(cli, tmp_path):
    rec = make_record(4)
    path = _json_with_files(tmp_path / "in", [rec])
    assert cli("import-json", path).code == 0
    scan = _scan(tmp_path, "获奖证书.jpg", b"\xff\xd8\xff fake jpeg" * 100)

    r = cli("attach", rec["id_number"], scan, "--title", "省科技进步奖", "--category", "获奖证书",
            "--declassified")
    assert r.code == 0, r.err
    assert "省科技进步奖" in r.out
    [att] = _stored(cli)[0]["attachments"]
    assert (att["file"], att["title"], att["category"]) == ("获奖证书.jpg", "省科技进步奖", "获奖证书")
    assert att["declassified"] is True and att["classified"] is False

    r = cli("attach", rec["id_number"], tmp_path / "nope.pdf")
    assert r.code == 2 and "不存在" in r.err
    r = cli("attach", "110101190001010000", scan)
    assert r.code == 1 and "没有编号、人选代码或身份证号" in r.err


def test_export_json_with_files_round_trips_into_another_database(cli, tmp_path):
    src = tmp_path / "in"
    _scan(src, "a/证书.pdf", b"first certificate")
    _scan(src, "b/证书.pdf", b"second certificate, same name")
    rec = make_record(5, attachments=[{"file": "a/证书.pdf", "title": "一"},
                                      {"file": "b/证书.pdf", "title": "二"}])
    assert cli("import-json", _json_with_files(src, [rec])).code == 0

    out = tmp_path / "export" / "candidates.json"
    out.parent.mkdir()
    r = cli("export-json", "--out", out, "--with-files", out.parent / "附件")
    assert r.code == 0, r.err
    exported = json.loads(out.read_text(encoding="utf-8"))
    files = [a["file"] for a in exported[0]["attachments"]]
    assert len(set(files)) == 2 and all(f.startswith("附件/") for f in files)
    assert (out.parent / files[0]).read_bytes() == b"first certificate"
    assert (out.parent / files[1]).read_bytes() == b"second certificate, same name"

    other = tmp_path / "other" / "c.db"
    r = cli("import-json", out, db=other)
    assert r.code == 0, r.err
    again = _stored(cli, db=other)[0]["attachments"]
    assert [a["sha256"] for a in again] == [a["sha256"] for a in exported[0]["attachments"]]


def test_export_with_files_outside_the_json_folder_is_a_usage_error(cli, tmp_path):
    assert cli("import-json", _json_with_files(tmp_path / "in", [make_record(6)])).code == 0
    (tmp_path / "out").mkdir()
    r = cli("export-json", "--out", tmp_path / "out" / "c.json", "--with-files", tmp_path / "elsewhere")
    assert r.code == 2 and "应在 JSON 文件所在文件夹" in r.err
