"""A score sheet is a file from outside (an expert's PC): broken XML, an entity bomb, or an
external entity is refused in one line naming the file, through ``review sheet import`` too;
nothing is expanded, nothing outside is read, no score is recorded."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from collector import review as rv
from collector.common.errors import InputError
from collector.review.sheet_xlsx import export_xlsx, import_xlsx
from .helpers import candidate, fill_sheet

PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
BOMB = (b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %c "%s">' % (98 + n, b"".join([b"&%c;" % (97 + n)] * 10))
                   for n in range(8))
        + b"]>")
XXE = b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


@pytest.fixture
def sheet(store, tmp_path) -> Path:
    ids = [store.save(candidate(i, f"人选{i}", "盟市", "包头市")) for i in range(2)]
    rnd = rv.create_round(store)
    rv.add_expert(store, rnd, "甲专家")
    out = tmp_path / "甲.xlsx"
    export_xlsx(store, rnd, "甲专家", out)
    fill_sheet(out, {cid: 8 for cid in ids})
    return out


def _member(sheet: Path, root: bytes) -> str:
    """The member holding the score sheet's rows (its root element is <worksheet)."""
    with zipfile.ZipFile(sheet) as zf:
        return next(n for n in sorted(zf.namelist()) if n.startswith("xl/worksheets/")
                    and root in zf.read(n)[:400])


def _changed(sheet: Path, out: Path, member: str, change) -> Path:
    with zipfile.ZipFile(sheet) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == member else data)
    return out


def _with_doctype(doctype: bytes, use: bytes):
    def change(data: bytes) -> bytes:
        body = data.replace(PROLOG, b"")
        head, _, rest = body.partition(b"<worksheet")
        rest = rest.replace(b"<sheetData>", b"<sheetData>" + use, 1) if use else rest
        return PROLOG + doctype + head + b"<worksheet" + rest
    return change


DECLARED = "含有 XML 实体声明（DOCTYPE），不是正常的评分表，已拒绝读取"
PADDING = b"<!--" + b" " * (1 << 16) + b"-->"  # the DTD past the prolog that is read first
CASES = {
    "broken": ("xl/workbook.xml", lambda d: d[: len(d) // 2],
               "Excel 文件中的 XML 已损坏（XMLSyntaxError），无法读取"),
    "bomb": ("sheet", _with_doctype(BOMB, b""), "Excel 文件的 {member} " + DECLARED),
    "external": ("sheet", _with_doctype(XXE, b""), "Excel 文件的 {member} " + DECLARED),
    "padded_bomb": ("sheet", _with_doctype(PADDING + BOMB, b""),
                    "Excel 文件含有 XML 实体声明或外部引用（EntitiesForbidden），不是正常的评分表"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_sheet_is_one_line_naming_the_file_and_records_nothing(store, sheet, tmp_path,
                                                                         case):
    member, change, says = CASES[case]
    member = _member(sheet, b"<worksheet") if member == "sheet" else member
    bad = _changed(sheet, tmp_path / f"{case}.xlsx", member, change)
    with pytest.raises(InputError) as err:
        import_xlsx(store, bad)
    assert str(err.value).startswith(f"{case}.xlsx：{says.format(member=member)}")
    assert "\n" not in str(err.value) and "root:" not in str(err.value)
    assert store.db.execute("SELECT count(*) FROM review_scores").fetchone() == (0,)


def test_the_cli_says_the_same_one_line(store, sheet, tmp_path, cli):
    member, change, _ = CASES["bomb"]
    bad = _changed(sheet, tmp_path / "bomb.xlsx", _member(sheet, b"<worksheet"), change)
    store.close()
    r = cli("review", "sheet", "import", bad)
    assert r.code == 1 and r.err.count("\n") == 1 and DECLARED in r.err and "内部错误" not in r.err


def test_the_untouched_sheet_still_imports(store, sheet):
    assert import_xlsx(store, sheet).scores > 0


def test_an_external_entity_in_the_workbook_part_is_never_read(store, sheet, tmp_path):
    """workbook.xml is parsed by lxml without resolving entities: the file is not ours."""
    def change(data: bytes) -> bytes:
        body = data.replace(PROLOG, b"").replace(b'<sheet name="', b'<sheet name="&e;', 1)
        return PROLOG + XXE.replace(b"worksheet", b"workbook") + body

    bad = _changed(sheet, tmp_path / "xxe.xlsx", "xl/workbook.xml", change)
    with pytest.raises(InputError) as err:
        import_xlsx(store, bad)
    assert str(err.value).startswith(f"xxe.xlsx：Excel 文件的 xl/workbook.xml {DECLARED}")
    assert "\n" not in str(err.value)
