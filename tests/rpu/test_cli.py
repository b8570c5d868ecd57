"""The issue's "done when", on the command line: two installations exchange a package."""

from __future__ import annotations

import hashlib
import json

import pytest

from collector.storage.attachments import open_attachment
from tests.conftest import make_record
from collector.exchange import keyring


@pytest.fixture
def two(tmp_path, monkeypatch, cli):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "pw-secret")
    return tmp_path / "applicant" / "c.db", tmp_path / "office" / "c.db"


def _hashes(records):
    return {r["id_number"]: (hashlib.sha256(json.dumps(
        {k: v for k, v in r.items() if k not in ("id", "status", "created_at", "updated_at",
                                                  "audit", "source", "provenance")},
        sort_keys=True, ensure_ascii=False).encode()).hexdigest(),
        sorted(a["sha256"] for a in r["attachments"])) for r in records}


def test_two_installations_on_the_cli(two, cli, tmp_path):
    app, off = two
    assert cli("keys", "generate", "--name", "区人社厅", db=off).code == 0
    pub = cli("keys", "export-public", db=off)
    assert pub.code == 0 and "BEGIN TALENT COLLECTOR PUBLIC KEY" in pub.out
    (tmp_path / "office.pub").write_text(pub.out, encoding="utf-8")

    (tmp_path / "c.json").write_text(json.dumps([make_record(1), make_record(2)],
                                                ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", tmp_path / "c.json", db=app).code == 0
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 fake scan " * 5000)
    from collector.storage.store import Store

    with Store(app) as s:
        s.attach(next(s.all()).id, tmp_path / "scan.pdf", title="扫描件")
    assert cli("keys", "generate", db=app).code == 0
    r = cli("keys", "import-recipient", tmp_path / "office.pub", "--name", "区人社厅", db=app)
    assert r.code == 0, r.err
    out = tmp_path / "p.rpu"
    r = cli("pack", "--out", out, "--to", tmp_path / "office.pub", "--today", "2017-04-20", db=app)
    assert r.code == 0, r.err
    assert "候选人 2 名" in r.out

    r = cli("inspect", out, db=off)
    assert r.code == 0 and "报送方指纹" in r.out
    r = cli("verify", out, db=off)
    assert r.code == 0 and r.out.startswith("OK") and "候选人 2 名" in r.out
    r = cli("import-rpu", out, db=off)
    assert r.code == 0, r.err

    app_list = json.loads(cli("list", "--json", db=app).out)
    off_list = json.loads(cli("list", "--json", db=off).out)
    assert _hashes(app_list) == _hashes(off_list)
    with Store(app) as a, Store(off) as o:
        for rec in off_list:
            for att in rec["attachments"]:
                with open_attachment(o, att["sha256"]) as got:  # read from the kept package
                    assert got.read() == a.file_path(att["sha256"]).read_bytes()

    # tampered copies are refused with one line and exit 1
    data = bytearray(out.read_bytes())
    data[len(data) // 3] ^= 0x40
    (tmp_path / "bad.rpu").write_bytes(bytes(data))
    r = cli("verify", tmp_path / "bad.rpu", db=off)
    assert r.code == 1 and r.err.count("\n") == 1 and r.err.startswith("错误：")
    r = cli("import-rpu", tmp_path / "bad.rpu", db=off)
    assert r.code == 1 and "Traceback" not in r.err
    # the same file again: DUPLICATE, exit 1, nothing overwritten
    r = cli("import-rpu", out, db=off)
    assert r.code == 1 and "DUPLICATE" in r.err


def test_cli_errors_are_one_line(two, cli, tmp_path, monkeypatch):
    app, off = two
    cli("keys", "generate", db=off)
    r = cli("verify", tmp_path / "missing.rpu", db=off)
    assert r.code == 2
    (tmp_path / "x.rpu").write_text("hello")
    r = cli("verify", tmp_path / "x.rpu", db=off)
    assert r.code == 1 and "不是报送文件" in r.err and r.err.count("\n") == 1
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "wrong")
    cli("import-json", tmp_path / "none.json", db=app)
    r = cli("keys", "generate", db=off)
    assert r.code == 1 and "已有密钥" in r.err
    (tmp_path / "c.json").write_text(json.dumps([make_record(1)], ensure_ascii=False), encoding="utf-8")
    cli("import-json", tmp_path / "c.json", db=off)
    r = cli("pack", "--out", tmp_path / "o.rpu", db=off)
    assert r.code == 1 and "口令不正确" in r.err


def test_pack_refusal_lists_findings(two, cli, tmp_path):
    app, _ = two
    cli("keys", "generate", db=app)
    (tmp_path / "c.json").write_text(json.dumps([make_record(1, pledge=False)], ensure_ascii=False),
                                     encoding="utf-8")
    cli("import-json", tmp_path / "c.json", db=app)
    r = cli("pack", "--out", tmp_path / "o.rpu", "--today", "2017-04-20", db=app)
    assert r.code == 1 and "PLEDGE" in r.out and "未改正的错误" in r.err
    assert not (tmp_path / "o.rpu").exists()


def test_keys_passphrase_and_remove_recipient_on_the_cli(two, cli, tmp_path, monkeypatch):
    app, off = two
    assert cli("keys", "generate", "--name", "区人社厅", db=off).code == 0
    (tmp_path / "office.pub").write_text(cli("keys", "export-public", db=off).out, encoding="utf-8")
    assert cli("keys", "generate", db=app).code == 0
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "wrong")
    monkeypatch.setenv("COLLECTOR_NEW_PASSPHRASE", "new-secret")
    r = cli("keys", "passphrase", db=app)
    assert r.code != 0 and "口令不正确" in r.err and "Traceback" not in r.err
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "pw-secret")
    r = cli("keys", "passphrase", db=app)
    assert r.code == 0 and "口令已修改" in r.out
    from collector.rpu import keys
    from collector.storage.store import Store

    with Store(app) as s:
        keyring.load_identity(s, "new-secret")
    assert cli("keys", "import-recipient", tmp_path / "office.pub", db=app).code == 0
    r = cli("keys", "remove-recipient", "区人社厅", db=app)
    assert r.code == 0 and "已删除接收方 区人社厅" in r.out
    [shipped] = keys.shipped_keys()
    r = cli("keys", "remove-recipient", shipped.fingerprint, db=app)
    assert r.code != 0 and "不能删除" in r.err


def test_bad_output_paths_and_dates_are_one_line(two, cli, tmp_path):
    app, _ = two
    cli("keys", "generate", db=app)
    (tmp_path / "c.json").write_text(json.dumps([make_record(1)], ensure_ascii=False),
                                     encoding="utf-8")
    cli("import-json", tmp_path / "c.json", db=app)
    r = cli("pack", "--out", tmp_path / "o.rpu", "--today", "2017-13-01", db=app)
    assert r.code == 2 and "YYYY-MM-DD" in r.err and "Traceback" not in r.err
    folder = tmp_path / "folder"
    folder.mkdir()
    r = cli("pack", "--out", folder, "--today", "2017-04-20", db=app)
    assert r.code == 1 and "是文件夹" in r.err and r.err.count("\n") == 1
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    r = cli("pack", "--out", blocker / "o.rpu", "--today", "2017-04-20", db=app)
    assert r.code == 1 and "无法写入报送文件" in r.err and r.err.count("\n") == 1
    assert not list(tmp_path.glob("**/.o.rpu.*"))
    r = cli("keys", "export-public", "--out", folder, db=app)
    assert r.code == 2 and "是文件夹" in r.err
    r = cli("keys", "export-public", "--out", blocker / "k.pub", db=app)
    assert r.code == 2 and "无法写入" in r.err and r.err.count("\n") == 1


def test_keys_generate_refuses_a_short_passphrase_with_the_plain_line(cli, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "x" * 5)
    r = cli("keys", "generate")
    assert (r.code, r.err) == (1, "错误：新口令至少 6 个字符，请重新输入\n")


@pytest.mark.parametrize("typed, code", [
    (["wrong-1", "pw-secret"], 0),                     # asked again after a wrong passphrase
    (["wrong-1", "wrong-2", "pw-secret"], 0),          # the third try still counts
    (["wrong-1", "wrong-2", "wrong-3", "pw-secret"], 1),  # three tries, then it stops
])
def test_a_wrong_passphrase_at_the_prompt_is_asked_again(two, cli, tmp_path, monkeypatch,
                                                         typed, code):
    app, off = two
    assert cli("keys", "generate", db=off).code == 0
    (tmp_path / "office.pub").write_text(cli("keys", "export-public", db=off).out,
                                         encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps([make_record(1)], ensure_ascii=False),
                                     encoding="utf-8")
    assert cli("import-json", tmp_path / "c.json", db=app).code == 0
    assert cli("keys", "generate", db=app).code == 0
    out = tmp_path / "p.rpu"
    assert cli("pack", "--out", out, "--to", tmp_path / "office.pub", "--today", "2017-04-20",
               db=app).code == 0
    monkeypatch.delenv("COLLECTOR_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    queue = list(typed)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": queue.pop(0))
    r = cli("import-rpu", out, db=off)
    assert r.code == code, r.err
    assert r.err.count("口令不正确，请重新输入（还可再试") == min(len(typed) - 1, 2)
    assert queue == (["pw-secret"] if code else [])
    assert ("连续 3 次不正确" in r.err) == bool(code)
