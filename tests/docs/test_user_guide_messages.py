"""Section 10 of the user guide quotes the program's messages "as it shows them" (issue 24):
the quotes about damaged, cut, re-signed and misaddressed packages and the DEADLINE warning are
produced here and compared with the guide, file names and fingerprints aside."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import make_record

ROOT = Path(__file__).resolve().parents[2]
NAME = "改动过的_申报.rpu"
FINGERPRINT = re.compile(r"[0-9A-F]{4}(?:-[0-9A-F]{4}){4}")


def quotes() -> list[str]:
    text = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    faq = text[text.index("## 10. 常见问题与错误信息"):]
    return [ln[2:] for ln in faq.splitlines() if ln.startswith("> ")]


def _said(err: str) -> str:
    [line] = [ln for ln in err.splitlines() if ln.startswith("错误：")]
    return line.removeprefix("错误：")


def _shape(text: str) -> str:
    return FINGERPRINT.sub("指纹", text)


@pytest.fixture
def package(cli, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "guide messages passphrase")
    monkeypatch.chdir(tmp_path)
    assert cli("keys", "generate", "--name", "李明").code == 0
    src = tmp_path / "r.json"
    src.write_text(json.dumps(make_record(1), ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src).code == 0
    (tmp_path / "scan.pdf").write_bytes(bytes(range(256)) * 2000)  # several chunks
    assert cli("attach", make_record(1)["id_number"], tmp_path / "scan.pdf").code == 0
    r = cli("pack", "--out", tmp_path / "good.rpu", "--today", "2017-04-20")
    assert r.code == 0, r.err
    return tmp_path / "good.rpu"


def _verify_changed(cli, package: Path, change) -> str:
    bad = package.parent / NAME
    bad.write_bytes(change(package.read_bytes()))
    r = cli("verify", bad)
    assert r.code == 1
    return _said(r.err)


def test_the_damaged_cut_and_resigned_package_messages_are_quoted_as_shown(cli, package):
    from collector.rpu.reader import read_head

    with open(package, "rb") as fh:
        start = read_head(fh).payload_start

    def flip_first_chunk(data: bytes) -> bytes:
        return data[:start + 10] + bytes([data[start + 10] ^ 1]) + data[start + 11:]

    def restamp(data: bytes) -> bytes:  # the header still reads, its signature no longer fits
        i = data.index(b'"created":"') + len(b'"created":"')
        return data[:i] + bytes([data[i] ^ 1]) + data[i + 1:]

    said = [_verify_changed(cli, package, flip_first_chunk),
            _verify_changed(cli, package, lambda d: d[:20]),
            _verify_changed(cli, package, restamp)]
    assert [s for s in said if s not in quotes()] == []
    cut = _verify_changed(cli, package, lambda d: d[:start + (len(d) - start) // 2])
    assert re.fullmatch(rf"{NAME}：文件已损坏或被篡改（第 \d+ 块数据未通过校验）", cut)
    text = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    assert "在数据中间断掉的文件同样报“文件已损坏或被篡改（第 n 块数据未通过校验）”" in text


def test_a_package_for_someone_else_is_quoted_with_its_recipients_named(cli, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "guide messages passphrase")
    office, applicant, other = (tmp_path / n / "c.db" for n in ("o", "a", "x"))
    assert cli("keys", "generate", "--unit", "包头市人社局", db=office).code == 0
    (tmp_path / "o.pub").write_text(cli("keys", "export-public", db=office).out, encoding="utf-8")
    assert cli("keys", "generate", db=applicant).code == 0
    src = tmp_path / "r.json"
    src.write_text(json.dumps(make_record(2), ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src, db=applicant).code == 0
    assert cli("pack", "--out", tmp_path / "a.rpu", "--to", tmp_path / "o.pub", "--only",
               "--today", "2017-04-20", db=applicant).code == 0
    assert cli("keys", "generate", db=other).code == 0
    assert cli("keys", "import-recipient", tmp_path / "o.pub", db=other).code == 0
    r = cli("verify", tmp_path / "a.rpu", db=other)
    said = _said(r.err)
    # The guide lists the applicant's key first; the order in a package is the sender's, then --to.
    named = sorted(_shape(said).split("接收方为 ")[1].split("、"))
    [quote] = [q for q in quotes() if "本文件不是发给本机密钥" in q]
    assert _shape(said).split("接收方为 ")[0] == _shape(quote).split("接收方为 ")[0]
    assert named == sorted(_shape(quote).split("接收方为 ")[1].split("、"))


def test_the_deadline_warning_is_quoted_as_shown(cli, package):
    late = package.parent / "late.rpu"
    r = cli("pack", "--out", late, "--today", "2017-05-02")
    assert r.code == 0, r.err
    [line] = [ln for ln in r.err.splitlines() if "DEADLINE" in ln]
    assert line in quotes()
