"""佐证材料封面及目录 (notice 四（一）3: 复印件各一份，请装订成册): the printed cover and index per
candidate with the record fingerprint, and the evidence checklist behind it, at its boundaries."""

from __future__ import annotations

import pytest

from collector.common.fingerprint import record_fingerprint, short
from collector.record.model import normalize
from collector.printing.evidence import evidence_pdf
from collector.rules.evidence import evidence_checklist
from collector.storage.store import Store
from collector.record.year import load_year
from tests.conftest import make_record

from .conftest import pdf_fonts, pdf_text
from .test_summary_report import flat

YEAR = load_year(2017)
CERT = {"file": "职称证书.pdf", "title": "研究员职称证书", "category": "职称证书",
        "classified": False, "declassified": False}


def lines_of(**overrides) -> dict:
    rec = normalize(make_record(1, **overrides))
    return {ln.category: (ln.listed, ln.attached, ln.missing) for ln in evidence_checklist(rec, YEAR)}


@pytest.mark.parametrize("awards, attachments, expected", [
    ([], [], (0, 0, False)),                         # nothing listed, nothing needed
    ([{"name": "奖"}], [], (1, 0, True)),           # listed without a certificate
    ([{"name": "奖"}], [{**CERT, "category": "获奖证书"}], (1, 1, False)),
    ([{"name": "奖"}, {"name": "奖2"}], [{**CERT, "category": "获奖证书"}], (2, 1, False)),
    ([], [{**CERT, "category": "获奖证书"}], (0, 1, False)),
])
def test_award_certificates(awards, attachments, expected):
    assert lines_of(awards=awards, attachments=attachments)["获奖证书"] == expected


@pytest.mark.parametrize("level, attachments, missing", [
    ("副高级", [], True), ("副高级", [CERT], False), ("", [], False),
])
def test_title_certificate(level, attachments, missing):
    assert lines_of(title_level=level, attachments=attachments)["职称证书"][2] is missing


def test_the_checklist_follows_the_years_categories():
    assert list(lines_of()) == list(YEAR.evidence) == [
        "职称证书", "学历学位证书", "获奖证书", "论文论著", "专利证书", "项目证明"]


def test_cover_and_index_carry_the_fingerprint_and_the_gaps(tmp_path):
    secret = {"file": "涉密报告.pdf", "title": "某型号项目报告", "category": "项目证明",
              "classified": True, "declassified": False}
    rec = make_record(3, attachments=[CERT, secret])
    result = evidence_pdf(rec, tmp_path / "e.pdf")
    assert result.fingerprint == record_fingerprint(normalize(rec)) and result.pages == 1
    text = flat(pdf_text(tmp_path / "e.pdf"))
    for words in ("佐证材料", "装订成册", "研究员职称证书", "某型号项目报告", "涉密，未脱密",
                  rec["name"], short(result.fingerprint), "缺少，请补附复印件", "单位审核人"):
        assert flat(words) in text, words
    assert any("涉密且未脱密处理" in w for w in result.warnings)
    assert any("没有获奖证书" in w for w in result.warnings)
    fonts = pdf_fonts(tmp_path / "e.pdf")
    assert all(" yes " in line for line in fonts.splitlines()[2:])


def test_no_attachments_leaves_lines_to_fill_in(tmp_path):
    result = evidence_pdf(make_record(4), tmp_path / "e.pdf")
    assert "逐项手填" in flat(pdf_text(tmp_path / "e.pdf"))
    assert result.pages == 1


def test_print_evidence_and_print_all(cli, db_path, tmp_path):
    with Store(db_path) as store:
        store.save(make_record(1))
        store.save(make_record(2))
    res = cli("print", "evidence", "--out", str(tmp_path / "ev"))
    assert res.code == 0, res.err
    assert len(list((tmp_path / "ev").glob("*-佐证材料封面及目录.pdf"))) == 2
    res = cli("print", "all", "--out", str(tmp_path / "all"))
    assert res.code == 0, res.err
    names = [p.name for p in (tmp_path / "all").iterdir()]
    assert len([n for n in names if n.endswith("佐证材料封面及目录.pdf")]) == 2
    assert len([n for n in names if n.endswith("推荐人选个人登记表.pdf")]) == 2


@pytest.mark.parametrize("name, category, sure", [
    ("职称证书.jpg", "职称证书", True),
    ("张三-研究员聘书.PDF", "职称证书", True),
    ("博士学位证书.png", "学历学位证书", True),
    ("２０１５年科技进步一等奖.jpg", "获奖证书", True),     # full-width digits folded
    ("SCI收录论文.pdf", "论文论著", True),
    ("发明专利.pdf", "专利证书", True),
    ("国家重点研发计划项目任务书.pdf", "项目证明", True),
    ("IMG_0001.jpg", "其他", False),                        # nothing to go by: ask
    ("项目获奖证书.jpg", "获奖证书", False),                # two fit: ask, suggesting one
])
def test_the_category_is_guessed_from_the_file_name(name, category, sure):
    from collector.rules.attachment_kind import guess_category

    got = guess_category(name, YEAR)
    assert (got.category if sure else got.category in (category, "项目证明"), got.sure) == (
        category if sure else True, sure)


def test_the_cover_names_an_attachment_that_may_be_the_missing_certificate(tmp_path):
    left_as_other = {**CERT, "file": "职称证书.jpg", "title": "职称证书", "category": "其他"}
    rec = make_record(3, attachments=[left_as_other])
    result = evidence_pdf(rec, tmp_path / "e.pdf")
    warning = next(w for w in result.warnings if "没有职称证书" in w)
    assert "“职称证书”可能就是，请把其类别改为职称证书" in warning
    assert flat("可能就是") in flat(pdf_text(tmp_path / "e.pdf"))
