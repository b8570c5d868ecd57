"""Deep nesting, lone surrogates, 5000-digit integers and NUL in names, in a JSON file or inside
a signed package: one FORMAT line for that file or package; an inbox run goes on past it."""

from __future__ import annotations

import json

import pytest

from collector.common.errors import InputError
from collector.common.jsonio import parse_json_text
from collector.record.model import normalize
from tests.conftest import make_record
from tests.safety.test_unicode_input import _office, crafted_package

ATTACKS = {
    "deep": "[" * 50_000 + "]" * 50_000,  # past Python's recursion limit in the parser
    "deep_but_parsable": "[" * 900 + "]" * 900,  # parses, then breaks copy/dump/print
    "lone_surrogate": '"\\ud800"',
    "huge_integer": "1" * 5000,
    "nul_in_name": None,
}


def hostile_json(attack: str) -> str:
    rec = make_record(1)
    if attack == "nul_in_name":
        rec["name"] = "张\u0000三"
        return json.dumps(rec, ensure_ascii=True)
    rec["remark"] = "MARK"
    return json.dumps(rec, ensure_ascii=False).replace('"MARK"', ATTACKS[attack])


@pytest.mark.parametrize("attack", ATTACKS)
def test_hostile_json_file_is_one_clean_line(attack, cli, tmp_path):
    assert cli("init").code == 0
    src = tmp_path / f"{attack}.json"
    src.write_text(hostile_json(attack), encoding="utf-8")
    for command in ("validate", "import-json"):
        r = cli(command, src)
        assert r.code == 1, (command, r.out, r.err)
        assert "程序内部错误" not in r.err and r.err.count("\n") == 1, r.err
        assert src.name in r.err
    assert "没有候选人" in cli("list").out


@pytest.mark.parametrize("attack", ATTACKS)
def test_parser_refuses_with_an_input_error(attack):
    with pytest.raises(InputError):
        parse_json_text(hostile_json(attack), "x.json")


def test_normalize_refuses_values_no_record_holds():
    for bad in ("张\x00三", "证书\u202efdp", "a\ud800"):
        with pytest.raises(InputError) as err:
            normalize(make_record(1, name=bad))
        assert err.value.field == "name"
    deep: list = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(InputError):
        normalize(make_record(1, extra=deep))


@pytest.mark.parametrize("attack", ATTACKS)
def test_bad_package_in_the_middle_of_a_folder_does_not_stop_the_inbox(attack, cli, tmp_path,
                                                                       monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "hostile-office-pass")
    db, pub = _office(cli, tmp_path)
    folder = tmp_path / "收件"
    folder.mkdir()

    def mark(rec):
        rec["remark"] = "MARK"

    hostile = (ATTACKS[attack] or '"\\u0000"').encode()
    paths = [crafted_package(tmp_path, pub, 1, lambda rec: None),
             crafted_package(tmp_path, pub, 2, mark, raw=lambda b: b.replace(b'"MARK"', hostile)),
             crafted_package(tmp_path, pub, 3, lambda rec: None)]
    for n, p in enumerate(paths):
        p.rename(folder / f"{n}_{p.name}")
    r = cli("inbox", folder, db=db)
    assert "程序内部错误" not in r.err + r.out, r.err
    assert "导入 2 个，拒收 1 个" in r.out, r.out
    refused = next(line for line in r.out.splitlines() if "[拒收]" in line)
    assert "1_" in refused and "FORMAT" in refused
    assert len(json.loads(cli("list", "--json", db=db).out)) == 2
