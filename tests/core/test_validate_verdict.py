"""`validate` gives one verdict per record: any error-severity finding means 不符合 (issue 12)."""

import json

from tests.conftest import make_record


def write(path, value):
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_error_finding_means_not_eligible(cli, tmp_path):
    bad = make_record(1, pledge=False)  # PLEDGE is an error, not an eligibility rule
    res = cli("validate", write(tmp_path / "a.json", bad), "--json")
    report = json.loads(res.out)
    assert res.code == 1
    assert report[0]["errors"] >= 1 and report[0]["eligible"] is False
    text = cli("validate", write(tmp_path / "a.json", bad)).out
    line = next(x for x in text.splitlines() if bad["name"] in x)
    assert line.startswith("✘") and "不符合申报条件" in line
    assert "：符合申报条件" not in text


def test_warnings_only_is_still_eligible(cli, tmp_path):
    rec = make_record(1, employer="内蒙古自治区某某某某某某研究院附属第一技术中心")  # LENGTH warning
    report = json.loads(cli("validate", write(tmp_path / "a.json", rec), "--json").out)
    assert report[0]["errors"] == 0 and report[0]["eligible"] is True


def test_format_finding_names_the_record(cli, tmp_path):
    rec = make_record(2, conditions="一二三")  # wrong type: a FORMAT refusal
    res = cli("validate", write(tmp_path / "a.json", rec), "--json")
    report = json.loads(res.out)
    assert report[0]["findings"][0]["rule"] == "FORMAT"
    assert report[0]["name"] == rec["name"] and report[0]["id_number"] == rec["id_number"]
    assert report[0]["eligible"] is False
    text = cli("validate", write(tmp_path / "a.json", rec)).out
    assert f"{rec['name']}（{rec['id_number']}）" in text


def test_a_finding_reads_as_one_line_and_errors_decide():
    """The line `collector pack` prints for each finding when it refuses, and the demo's test
    for a failing record."""
    import datetime as dt

    from collector.record.model import normalize
    from collector.rules import has_errors, validate

    found = validate(normalize(make_record(1, pledge=False, employer="内" * 16)),
                     today=dt.date(2017, 4, 1))
    assert [str(f) for f in found] == [
        "[错误] PLEDGE pledge：请阅读并勾选诚信承诺：本人所填信息真实准确",
        "[提示] LENGTH employer：工作单位共16字，超过15字的限制（工作单位名称不超过15个字）",
    ]
    assert has_errors(found) and not has_errors(found[1:]) and not has_errors([])
