"""One way to name a candidate on every command (issue 14): 编号 or a unique prefix, 人选代码
or 身份证号 — all through ``collector.record.candidates.resolve``; an ambiguous prefix is a clear error."""

from __future__ import annotations

import json

import pytest

from collector.record.candidates import Ref, resolve
from collector.common.errors import NotFoundError
from tests.conftest import make_record

ID_A = "abcd1111" + "0" * 24
ID_B = "abcd2222" + "0" * 24
CODE = "RC2017-015"


@pytest.fixture
def two(cli, tmp_path):
    a = make_record(1, id=ID_A, candidate_code=CODE)
    b = make_record(2, id=ID_B)
    (tmp_path / "c.json").write_text(json.dumps([a, b], ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", tmp_path / "c.json").code == 0
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 scan")
    return a


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


KEYS = {
    "full id": lambda a: ID_A,
    "unique prefix": lambda a: "abcd1",
    "人选代码": lambda a: CODE,
    "身份证号": lambda a: a["id_number"],
    "身份证号 typed full-width": lambda a: _full_width(a["id_number"]),
}

# Each command that takes a candidate: (arguments for key K, what success prints or returns).
COMMANDS = {
    "validate --id": lambda k, tmp: ["validate", "--id", k],
    "export-json --id": lambda k, tmp: ["export-json", "--id", k],
    "decide": lambda k, tmp: ["decide", k, "推荐"],
    "attach": lambda k, tmp: ["attach", k, tmp / "scan.pdf"],
    "review new --id": lambda k, tmp: ["review", "new", "--id", k],
    "review score --candidate": lambda k, tmp: ["review", "score", "--expert", "甲",
                                                "--candidate", k, "c1=5"],
}


def _prepare(cli, command):
    if command == "review score --candidate":
        assert cli("review", "new").code == 0
        assert cli("review", "expert", "add", "甲").code == 0


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", KEYS)
def test_every_command_accepts_every_kind_of_key(cli, two, tmp_path, command, kind):
    _prepare(cli, command)
    r = cli(*COMMANDS[command](KEYS[kind](two), tmp_path))
    assert r.code == 0, r.err
    assert two["name"] in r.out + r.err or ID_A in r.out or command == "review new --id"
    if command == "review new --id":
        shown = json.loads(cli("review", "list", "--json").out)
        assert shown[-1]["candidates"] == 1


@pytest.mark.parametrize("command", COMMANDS)
def test_an_ambiguous_prefix_is_one_clear_line_on_every_command(cli, two, tmp_path, command):
    _prepare(cli, command)
    r = cli(*COMMANDS[command]("abcd", tmp_path))
    assert r.code == 1
    assert "“abcd”对应" in r.err and "多名候选人" in r.err and "abcd1111" in r.err
    assert r.err.count("\n") == 1 and "Traceback" not in r.err


def test_an_unknown_key_says_what_keys_are_accepted(cli, two):
    r = cli("decide", "RC2099-999", "推荐")
    assert r.code == 1 and "没有编号、人选代码或身份证号为“RC2099-999”的候选人" in r.err


def test_resolve_prefers_an_exact_id_and_hints_at_short_prefixes():
    a, b = Ref("abcd", name="甲"), Ref("abcdef", name="乙")
    assert resolve("abcd", [a, b]) is a  # exactly someone's id, though also a prefix of another
    with pytest.raises(NotFoundError, match="至少 4 位"):
        resolve("ab", [a, b])
