"""What the commands say, said once and in one wording (issue 24): the DEADLINE warning of pack
and pack-office, paper-check's verdict, a refused package's name, the recipients of a package
meant for someone else named, and ``inspect`` without a passphrase while ``--chain`` says it
decrypts."""

from __future__ import annotations

import json
from pathlib import Path

from collector.rules.office import check_deadline
from collector.record.year import load_year
from tests.conftest import make_record

PASS = "messages-once passphrase"
LATE = "2017-05-02"


def _lines(text: str, start: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith(start)]


def _import(cli, tmp_path: Path, rec: dict, db: Path | None = None) -> None:
    src = tmp_path / f"{rec['id_number']}.json"
    src.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src, db=db).code == 0


def test_the_deadline_warning_is_one_line_worded_alike_in_pack_and_pack_office(
        cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    [finding] = check_deadline(load_year(), load_year().deadline.replace(day=30, month=5))
    expected = f"警告：DEADLINE：{finding.message}"

    applicant = tmp_path / "a" / "c.db"
    assert cli("keys", "generate", db=applicant).code == 0
    _import(cli, tmp_path, make_record(1), db=applicant)
    r = cli("pack", "--out", tmp_path / "a.rpu", "--today", LATE, db=applicant)
    assert r.code == 0, r.err
    assert _lines(r.err, "警告：") == [expected] and "提示" not in r.err

    unit = tmp_path / "u" / "c.db"
    assert cli("role", "--set", "单位", "--unit", "包头稀土研究院", "--channel", "包头市",
               db=unit).code == 0
    assert cli("keys", "generate", db=unit).code == 0
    rec = make_record(2, channel={"kind": "盟市", "name": "包头市"})
    _import(cli, tmp_path, rec, db=unit)
    assert cli("decide", rec["id_number"], "推荐", db=unit).code == 0
    r = cli("pack-office", "--out", tmp_path / "u.rpu", "--today", LATE, db=unit)
    assert r.code == 0, r.err
    assert r.err.count("DEADLINE") == 1 and _lines(r.err, "警告：DEADLINE") == [expected]


def _three_installations(cli, tmp_path: Path) -> tuple[Path, Path, Path]:
    """An applicant packs for 包头市人社局 only; a unit that knows that office's key by name
    (and not the applicant's) is handed the package."""
    office, applicant, unit = (tmp_path / n / "c.db" for n in ("office", "applicant", "unit"))
    assert cli("keys", "generate", "--name", "王科长", "--unit", "包头市人社局", db=office).code == 0
    (tmp_path / "office.pub").write_text(cli("keys", "export-public", db=office).out,
                                         encoding="utf-8")
    assert cli("keys", "generate", "--name", "李明", db=applicant).code == 0
    _import(cli, tmp_path, make_record(3), db=applicant)
    r = cli("pack", "--out", tmp_path / "李明.rpu", "--to", tmp_path / "office.pub", "--only",
            "--today", "2017-04-20", db=applicant)
    assert r.code == 0, r.err
    assert cli("keys", "generate", db=unit).code == 0
    assert cli("keys", "import-recipient", tmp_path / "office.pub", "--name", "包头市人社局",
               db=unit).code == 0
    return office, applicant, unit


def test_a_package_for_someone_else_is_named_once_with_its_recipients_named(
        cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    _, _, unit = _three_installations(cli, tmp_path)
    for command in ("import-rpu", "verify"):
        r = cli(command, tmp_path / "李明.rpu", db=unit)
        assert r.code == 1, (command, r.out, r.err)
        [line] = _lines(r.err, "错误：")
        assert line.count("李明.rpu") == 1, line
        assert "本文件不是发给本机密钥" in line
        assert "（包头市人社局）" in line, line  # the office, by the name this unit knows
        assert "（本机不认识的密钥）" in line, line     # the applicant's own key


def test_inspect_needs_no_passphrase_and_chain_says_why_it_asks(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    _, _, unit = _three_installations(cli, tmp_path)
    monkeypatch.delenv("COLLECTOR_PASSPHRASE")
    r = cli("inspect", tmp_path / "李明.rpu", db=unit)
    assert r.code == 0, r.err
    assert "报送方指纹" in r.out and "口令" not in r.out + r.err
    r = cli("inspect", "--chain", tmp_path / "李明.rpu", db=unit)
    assert r.code != 0 and "要解密每一层报送包" in r.err and "需要口令" in r.err
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    [line] = [ln for ln in readme.splitlines() if ln.startswith("collector inspect")]
    assert "no passphrase" in line and "--chain decrypts" in line


def test_paper_check_says_its_verdict_once(cli, tmp_path, monkeypatch):
    from collector.common.fingerprint import form_qr_text, record_fingerprint
    from collector.record.model import normalize

    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    office, applicant, _ = _three_installations(cli, tmp_path)
    r = cli("import-rpu", tmp_path / "李明.rpu", db=office)
    assert r.code == 0, r.err
    rec = normalize(make_record(3))
    signer = json.loads(cli("keys", "show", "--json", db=applicant).out)["identity"]["fingerprint"]
    good = form_qr_text(record_fingerprint(rec), signer, rec["id_number"])
    r = cli("paper-check", good, db=office)
    assert r.out.startswith("["), r.out + r.err
    label = r.out[1:r.out.index("]")]
    assert f"[{label}] {label}：" not in r.out
    stale = form_qr_text(record_fingerprint(dict(rec, achievements="旧版")), signer,
                         rec["id_number"])
    r = cli("paper-check", stale, db=office)
    assert r.out.startswith("[不一致]") and "[不一致] 不一致：" not in r.out, r.out
