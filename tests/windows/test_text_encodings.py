"""Text files as Windows writes them: Notepad "Unicode" and PowerShell 5.1 ``>`` give UTF-16
with a BOM, Notepad "ANSI" on a Chinese PC gives GBK/GB18030. Every reader of a user's text
file (import-json, validate FILE, keys import-recipient, --to, --narrative-file) reads them, or
refuses with a message that names the encoding."""

from __future__ import annotations

import argparse
import codecs
import json

import pytest

from collector.cli.printing import report_info
from collector.storage.store import Store
from collector.common.textfile import decode_user_text
from tests.conftest import make_record

ENCODINGS = {
    "UTF-16 with BOM (Notepad 'Unicode', PowerShell 5.1 >)": lambda t: t.encode("utf-16"),
    "UTF-16-BE with BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "UTF-16-LE without BOM": lambda t: t.encode("utf-16-le"),
    "UTF-8 with BOM (Notepad)": lambda t: t.encode("utf-8-sig"),
    "GB18030 (Notepad 'ANSI' on a Chinese PC)": lambda t: t.encode("gb18030"),
    "GBK": lambda t: t.encode("gbk"),
}


@pytest.mark.parametrize("encode", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_import_json_and_validate_read_windows_encodings(cli, db_path, tmp_path, encode):
    record = make_record(3)
    src = tmp_path / "候选人.json"
    src.write_bytes(encode(json.dumps(record, ensure_ascii=False, indent=2)))
    r = cli("validate", src)
    assert r.code == 0, r.out + r.err
    r = cli("import-json", src)
    assert r.code == 0, r.err
    with Store(db_path, create=False) as store:
        assert [c.name for c in store.all()] == [record["name"]]


@pytest.mark.parametrize("encode", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_public_keys_in_windows_encodings_are_imported(cli, tmp_path, monkeypatch, encode):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "windows-tests")
    other = tmp_path / "other.db"
    assert cli("keys", "generate", db=other).code == 0
    block = cli("keys", "export-public", db=other).out
    key_file = tmp_path / "上级公钥.pub"
    key_file.write_bytes(encode(block.replace("\n", "\r\n")))
    r = cli("keys", "import-recipient", key_file)
    assert r.code == 0, r.err


def test_narrative_file_in_gbk_is_read(tmp_path, store):
    text = "经公开遴选，推荐2名人选。\r\n（内蒙古自治区包头市）"
    path = tmp_path / "正文.txt"
    path.write_bytes(text.encode("gbk"))
    args = argparse.Namespace(narrative_file=str(path), unit=None, contact=None,
                              office_phone=None, mobile=None, date=None, channel=None,
                              publicized=None, declassified=None)
    assert report_info(args, store).narrative == text


@pytest.mark.parametrize("data, named", [
    (b"\xff\xfe" + "{}".encode("utf-16-le") + b"\x00", "UTF-16"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)) * 4, "GB18030"),
])
def test_unreadable_text_is_refused_naming_the_encoding(cli, tmp_path, data, named):
    src = tmp_path / "坏.json"
    src.write_bytes(data)
    for command in (("import-json", src), ("validate", src), ("keys", "import-recipient", src)):
        r = cli(*command)
        assert r.code in (1, 2) and named in r.err and "程序内部错误" not in r.err, (command, r.err)


def test_decoder_reports_what_it_found():
    assert decode_user_text("张三".encode("utf-16"), "x") == ("张三", "UTF-16")
    assert decode_user_text("张三".encode("gbk"), "x") == ("张三", "GB18030")
    assert decode_user_text("张三".encode("utf-8"), "x") == ("张三", "UTF-8")
