import json

from collector.printing import SETTING_KEY
from collector.storage.store import Store
from tests.conftest import make_record

from .test_summary_report import flat
from .conftest import pdf_text


def test_print_all_writes_every_document(cli, db_path, tmp_path):
    with Store(db_path) as store:
        store.save(make_record(1))
        store.save(make_record(2, name="刘䶮😀"))
        store.set_setting(SETTING_KEY, {"unit": "设置里的单位", "contact": "设置联系人",
                                        "office_phone": "0471-1234567", "mobile": "13900000000"})
    out = tmp_path / "out"
    res = cli("print", "all", "--out", str(out), "--contact", "命令行联系人", "--date", "2017-04-20")
    assert res.code == 0, res.err
    names = sorted(p.name for p in out.iterdir())
    assert len([n for n in names if n.endswith("推荐人选个人登记表.pdf")]) == 2
    assert {"推荐人选情况汇总表.pdf", "推荐人选情况汇总表.xlsx", "推荐报告.pdf"} <= set(names)
    assert "姓名中的字符 😀 无法用内置字体打印" in res.err
    report = flat(pdf_text(out / "推荐报告.pdf"))
    assert "命令行联系人" in report and "设置里的单位" in report and "13900000000" in report


def test_print_registration_for_one_id(cli, db_path, tmp_path):
    with Store(db_path) as store:
        store.save(make_record(1))
        record = make_record(2)
        store.save(record)
    out = tmp_path / "one"
    res = cli("print", "registration", "--id", record["id_number"], "--out", str(out))
    assert res.code == 0, res.err
    files = list(out.iterdir())
    assert len(files) == 1 and record["name"] in files[0].name


def test_print_unknown_id_is_one_clear_error(cli, db_path, tmp_path):
    with Store(db_path) as store:
        store.save(make_record(1))
    res = cli("print", "summary", "--id", "nope-nope", "--out", str(tmp_path / "x"))
    assert res.code != 0 and res.err.startswith("错误：") and "Traceback" not in res.err


def test_narrative_file_must_exist(cli, tmp_path):
    res = cli("print", "report", "--out", str(tmp_path / "x"), "--narrative-file",
              str(tmp_path / "missing.txt"))
    assert res.code == 2 and "missing.txt" in res.err


def test_out_must_not_be_a_file(cli, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    res = cli("print", "summary", "--out", str(target))
    assert res.code == 2 and "文件夹" in res.err
    assert json.dumps(res.err)  # a plain message
