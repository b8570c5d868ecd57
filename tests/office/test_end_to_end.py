"""Four installations (two applicants, one unit, one 盟市 office) and the region, all through
the command line: applicants pack, the unit recommends upward, the office makes its disc, the
region imports the ISO and verifies every signature down to the applicants."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import make_record

CHANNEL = {"kind": "盟市", "name": "包头市"}
TODAY = "2017-04-20"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "e2e-passphrase")
    return tmp_path


def _db(root: Path, name: str) -> Path:
    (root / name).mkdir(exist_ok=True)
    return root / name / "collector.db"


def run_ok(cli, *args, db):
    r = cli(*args, db=db)
    assert r.code == 0, (args, r.out, r.err)
    return r


def _printed_fingerprints(cli, db: Path, folder: Path) -> tuple[str, str]:
    """The record and signer fingerprints printed in full on the applicant's registration form
    (what a clerk types when the QR scanner is not at hand)."""
    import re

    run_ok(cli, "print", "registration", "--out", folder, db=db)
    pdf = next(folder.glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    signer = re.search(r"签名密钥指纹：\s*([0-9a-f]{64})", text).group(1)
    record = next(h for h in re.findall(r"[0-9a-f]{64}", text) if h != signer)
    return record, signer


def _register(cli, root: Path, *, below: Path, above: Path, level: str, unit: str) -> None:
    import re

    form = root / f"{below.parent.name}-密钥登记表.pdf"
    run_ok(cli, "register", "form", "--out", form, db=below)
    text = subprocess.run(["pdftotext", "-layout", str(form), "-"], capture_output=True,
                          text=True).stdout
    assert "报送密钥登记表" in text and "公章" in text and unit in text and level in text
    fingerprint = re.search(r"[0-9a-f]{64}", text).group(0)
    shown = run_ok(cli, "keys", "show", db=below).out
    assert fingerprint[:4].upper() in shown.upper()
    r = run_ok(cli, "register", "add", fingerprint, "--level", level, "--channel", "包头市",
               "--unit", unit, db=above)
    assert r.out.startswith("已登记")


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="reads the printed fingerprints with pdftotext (poppler-utils)")
def test_four_installations_to_region(env, cli):
    root = env
    region, office, unit = _db(root, "region"), _db(root, "office"), _db(root, "unit")
    applicants = [_db(root, "applicant1"), _db(root, "applicant2")]
    keys = {}
    for name, db in (("region", region), ("office", office), ("unit", unit),
                     ("a1", applicants[0]), ("a2", applicants[1])):
        run_ok(cli, "keys", "generate", "--name", name, db=db)
        keys[name] = root / f"{name}.pub"
        run_ok(cli, "keys", "export-public", "--out", keys[name], db=db)

    run_ok(cli, "role", "--set", "盟市/厅局", "--unit", "包头市人力资源和社会保障局",
           "--channel", "包头市", db=office)
    run_ok(cli, "keys", "import-recipient", keys["region"], db=office)
    run_ok(cli, "role", "--set", "单位", "--unit", "包头稀土研究院", "--channel", "包头市", db=unit)
    for k in ("office", "region"):
        run_ok(cli, "keys", "import-recipient", keys[k], db=unit)
    run_ok(cli, "role", "--set", "自治区", "--unit", "自治区人社厅专技处", db=region)
    # Each level above registers the key of the level below from its stamped 密钥登记表, here
    # by typing the fingerprint printed on it (the scanner path is tested in test_key_register).
    _register(cli, root, below=office, above=region, level="盟市", unit="包头市人力资源和社会保障局")
    _register(cli, root, below=unit, above=office, level="单位", unit="包头稀土研究院")

    # Two applicants each pack their own record for the unit (and the region, to verify later).
    packages = []
    for n, db in enumerate(applicants):
        record = make_record(n + 1, channel=CHANNEL)
        src = root / f"record{n}.json"
        src.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        run_ok(cli, "import-json", src, db=db)
        for k in ("unit", "region"):
            run_ok(cli, "keys", "import-recipient", keys[k], db=db)
        out = root / f"申报人{n + 1}.rpu"
        run_ok(cli, "pack", "--out", out, "--today", TODAY, db=db)
        packages.append(out)
    names = [make_record(n + 1)["name"] for n in range(2)]
    numbers = [make_record(n + 1)["id_number"] for n in range(2)]

    # The unit imports both, checks their signed paper forms, recommends them with its
    # opinion, and packs upward.
    r = run_ok(cli, "inbox", *packages, db=unit)
    assert "导入 2 个" in r.out and "拒收 0 个" in r.out
    assert r.out.count("须核对纸质材料") == 2  # applicant keys first seen here
    for n, db in enumerate(applicants):
        record_fp, signer_fp = _printed_fingerprints(cli, db, root / f"print{n}")
        r = run_ok(cli, "paper-check", f"{record_fp} {signer_fp}", db=unit)
        assert r.out.startswith("[一致]")
    r = run_ok(cli, "paper-check", "--list", db=unit)
    assert r.out.count("纸质材料一致") == 2 and "须核对" not in r.out
    for number in numbers:
        run_ok(cli, "decide", number, "推荐", "--reason", "业绩突出", db=unit)
        run_ok(cli, "opinion", number, "同意推荐。", "--today", TODAY, db=unit)
    run_ok(cli, "report-info", "--contact", "王老师", "--office-phone", "0472-5123456",
           "--mobile", "13904720000", db=unit)
    unit_pkg = root / "unit.rpu"
    r = run_ok(cli, "pack-office", "--out", unit_pkg, "--today", TODAY, db=unit)
    assert "下级报送包 2 个" in r.out

    # The 盟市 office: inbox, decisions, opinion, then the disc and its image.
    # It cannot open the applicants' packages (sealed to the unit and the region): it says so.
    r = run_ok(cli, "inbox", unit_pkg, db=office)
    assert "导入 1 个" in r.out and "签名链：通过" not in r.out
    assert "无法核对 2 名" in r.out
    for number in numbers:
        run_ok(cli, "decide", number, "推荐", "--reason", "符合条件", db=office)
        run_ok(cli, "opinion", number, "经研究，同意推荐。", db=office)
    r = run_ok(cli, "quota", db=office)
    assert "包头市（盟市）：推荐 2 / 名额 5" in r.out
    run_ok(cli, "report-info", "--contact", "李科长", "--office-phone", "0472-5199999",
           "--mobile", "13804720000", "--narrative", "经公开遴选，推荐2名人选。", db=office)
    disc_dir, iso = root / "disc", root / "包头市.iso"
    r = run_ok(cli, "disc", "--out", disc_dir, "--iso", iso, "--today", TODAY, db=office)
    assert "已校验" in r.out
    r = run_ok(cli, "disc", "verify", iso, db=office)
    assert "全部与 MANIFEST.sha256 一致" in r.out
    assert (disc_dir / "汇总表.xlsx").is_file() and (disc_dir / "README.txt").is_file()
    assert any((disc_dir / "PRINT").glob("*登记表.pdf"))
    if shutil.which("xorriso"):
        listing = subprocess.run(["xorriso", "-indev", f"stdio:{iso}", "-find"], capture_output=True,
                                 text=True).stdout
        assert "./汇总表.xlsx" in listing and "推荐报告.pdf" in listing

    # The region reads the disc image: all candidates, the chain verified, the summary right.
    r = run_ok(cli, "inbox", iso, db=region)
    assert "导入 1 个" in r.out and "签名链：通过（4 个报送包）：申报人签名已核对 2 名" in r.out
    assert "暂扣" not in r.out and "须核对纸质材料" not in r.out
    assert "[已导入] 包头市.iso:/RPU/" in r.out  # where it came from: the image, not a temp file
    r = run_ok(cli, "paper-check", "--list", db=region)
    assert r.out.count("下级：包头稀土研究院核对一致") == 2
    listed = run_ok(cli, "list", "--json", db=region).out
    assert all(n in listed for n in numbers)
    rpu = next((disc_dir / "RPU").glob("*.rpu"))
    r = run_ok(cli, "inspect", "--chain", rpu, db=region)
    assert "签名链校验通过" in r.out and r.out.count("✔") == 4
    for name in names:
        assert name in r.out
    ws = load_workbook(disc_dir / "汇总表.xlsx").active
    cells = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert set(names) <= cells and "包头市" in " ".join(cells)
    data_rows = [row for row in ws.iter_rows(values_only=True) if row[1] in names]
    assert [row[0] for row in data_rows] in (["1", "2"], [1, 2])
    r = run_ok(cli, "quota", db=region)
    assert "全区合计" in r.out

    # Paper (issue 12, 15): the disc's PRINT/ holds the report as PDF and DOCX, the same
    # report ``print`` makes from the same data; the region's registration forms carry the
    # 盟市's opinion in its box beside the unit's.
    from tests.printing.conftest import pdf_text

    assert (disc_dir / "PRINT" / "推荐报告.docx").is_file()
    printed = root / "printed"
    run_ok(cli, "print", "report", "--out", printed, db=office)
    assert pdf_text(printed / "推荐报告.pdf") == pdf_text(disc_dir / "PRINT" / "推荐报告.pdf")
    forms = root / "region-forms"
    run_ok(cli, "print", "registration", "--out", forms, db=region)
    for form in forms.glob("*.pdf"):
        text = pdf_text(form)
        assert "经研究，同意推荐。" in text and "同意推荐。" in text
