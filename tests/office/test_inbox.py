"""The inbox refuses bad input whole and says why; DUPLICATE names both sources."""

from __future__ import annotations

import datetime as dt

import pytest

from collector import disc
from collector.common.errors import InputError
from collector.office import inbox
from collector.exchange import untrusted
from tests.conftest import make_record
from tests.office.conftest import TODAY, applicant_package

CHANNEL = {"kind": "盟市", "name": "包头市"}


def test_many_packages_import_with_signer_and_sender(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    files = [applicant_package(make_installation(f"a{i}"), tmp_path / f"a{i}.rpu", [unit.public],
                               i, channel=CHANNEL) for i in range(3)]
    result = inbox.import_many(unit.store, [tmp_path], unit.identity)
    assert len(result.imported) == 3 and not result.refused
    entry = result.entries[0]
    assert entry.verified and len(entry.signer) == 64 and entry.sender_unit == "a0"
    assert unit.store.count() == 3
    assert [e.file_name for e in inbox.list_inbox(unit.store)] == [f.name for f in files]


def test_the_inbox_lists_each_entry_as_it_was_received(make_installation, tmp_path):
    """Every field read back from the database: sender, size, time, candidates, chain."""
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    good = applicant_package(make_installation("a1"), tmp_path / "a1.rpu", [unit.public], 1,
                             channel=CHANNEL)
    fake = tmp_path / "伪装.rpu"
    fake.write_bytes(b"hello, not a package")
    received = inbox.import_many(unit.store, [good, fake], unit.identity).entries
    listed = inbox.list_inbox(unit.store)
    assert listed == received
    ok, refused = listed
    assert ok.size == good.stat().st_size and ok.sender_role == "个人" and ok.received_at
    assert ok.candidates and ok.info["chain"]["packages"] == 1
    assert (refused.signer, refused.sender_role, refused.sender_unit) == ("", "", "")


def test_not_an_rpu_is_refused_and_nothing_imported(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "U", "包头市")
    junk = tmp_path / "申报材料.docx"
    junk.write_bytes(b"PK\x03\x04 not a package")
    fake = tmp_path / "伪装.rpu"
    fake.write_bytes(b"hello, not a package")
    result = inbox.import_many(unit.store, [junk, fake], unit.identity)
    assert [e.status for e in result.entries] == ["refused", "refused"]
    assert "不是 .rpu 报送文件" in result.entries[0].reason
    assert "不是报送文件" in result.entries[1].reason
    assert unit.store.count() == 0


def test_package_for_another_recipient_is_refused(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "U", "包头市")
    other = make_installation("other", "单位", "O", "赤峰市")
    path = applicant_package(make_installation("a"), tmp_path / "a.rpu", [other.public], 1)
    entry = inbox.import_many(unit.store, [path], unit.identity).entries[0]
    assert entry.status == "refused" and "不是发给本机密钥" in entry.reason
    assert unit.store.count() == 0


def test_untrusted_signer_is_refused_until_trusted_again(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "U", "包头市")
    applicant = make_installation("a")
    path = applicant_package(applicant, tmp_path / "a.rpu", [unit.public], 1)
    untrusted.mark_untrusted(unit.store, applicant.identity.fingerprint[:20], "冒名")
    entry = inbox.import_many(unit.store, [path], unit.identity).entries[0]
    assert entry.status == "refused" and "不可信" in entry.reason and "冒名" in entry.reason
    assert unit.store.count() == 0
    assert untrusted.mark_trusted(unit.store, applicant.identity.fingerprint[:20])
    assert inbox.import_many(unit.store, [path], unit.identity).entries[0].status == "imported"


def test_the_untrusted_list_keeps_one_mark_per_key_and_the_signers_command_lists_it(
        make_installation, cli, monkeypatch):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    monkeypatch.setattr(untrusted, "now_text", lambda: "2017-04-20T09:30:00+08:00")
    other = "cd" * 32
    assert untrusted.mark_untrusted(office.store, "AB12-ab12 AB12:ab12", "旧原因") == "ab12" * 4
    untrusted.mark_untrusted(office.store, other, "冒名")
    # The same key again: still one mark, with the new reason, after the others.
    untrusted.mark_untrusted(office.store, "ab12" * 4, "密钥已挂失")
    at = "2017-04-20T09:30:00+08:00"
    assert untrusted.list_untrusted(office.store) == [
        {"fingerprint": other, "note": "冒名", "at": at},
        {"fingerprint": "ab12" * 4, "note": "密钥已挂失", "at": at}]
    for bad in ("12-34", "ab12" * 3 + "xyz"):
        with pytest.raises(InputError) as err:
            untrusted.mark_untrusted(office.store, bad, "x")
        assert str(err.value) == f"指纹（fingerprint）：“{bad}”不是有效的密钥指纹（至少 16 位十六进制）"
    assert len(untrusted.list_untrusted(office.store)) == 2
    db = office.store.path
    office.store.close()
    r = cli("signers", db=db)
    assert r.code == 0 and r.out.splitlines() == [f"不可信：{other}  冒名  （{at}）",
                                                  f"不可信：{'ab12' * 4}  密钥已挂失  （{at}）"]


def test_same_id_number_from_two_sources_is_a_duplicate_naming_both(make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first = applicant_package(make_installation("a"), tmp_path / "甲.rpu", [office.public], 5,
                              channel=CHANNEL)
    second = applicant_package(make_installation("b"), tmp_path / "乙.rpu", [office.public], 5,
                               channel={"kind": "区直单位", "name": "内蒙古大学"})
    result = inbox.import_many(office.store, [first, second], office.identity)
    assert office.store.count() == 1
    [dup] = result.duplicates
    assert dup.rule == "DUPLICATE" and "甲.rpu" in dup.message and "乙.rpu" in dup.message
    assert inbox.duplicates(office.store) == [dup]  # kept in the inbox


def test_the_same_file_twice_is_skipped_not_duplicated(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "U", "包头市")
    path = applicant_package(make_installation("a"), tmp_path / "a.rpu", [unit.public], 1)
    inbox.import_many(unit.store, [path], unit.identity)
    again = inbox.import_many(unit.store, [path], unit.identity)
    assert again.entries[0].status == "skipped" and not again.duplicates
    assert len(inbox.list_inbox(unit.store)) == 1


def test_disc_folder_with_altered_or_missing_file_imports_nothing(make_installation, tmp_path):
    region = make_installation("region", "自治区", "自治区")
    path = applicant_package(make_installation("a"), tmp_path / "a.rpu", [region.public], 1)
    label = disc.DiscLabel("包头市", dt.date(2017, 4, 20))
    folder = disc.build_folder(tmp_path / "disc", rpu_files=[path], label=label)
    (folder / "README.txt").write_text("改过", encoding="utf-8")
    entry = inbox.import_many(region.store, [folder], region.identity).entries[0]
    assert entry.status == "refused" and "README.txt" in entry.reason and "校验未通过" in entry.reason
    (folder / "README.txt").unlink()
    entry = inbox.import_many(region.store, [folder], region.identity).entries[0]
    assert entry.status == "refused" and "缺少 README.txt" in entry.reason
    assert region.store.count() == 0


def test_altered_applicant_data_breaks_the_chain(make_installation, tmp_path):
    from collector.office import decisions
    from collector.office.package import pack_office

    region = make_installation("region", "自治区", "自治区")
    unit = make_installation("unit", "单位", "U", "包头市")
    path = applicant_package(make_installation("a"), tmp_path / "a.rpu",
                             [unit.public, region.public], 1, channel=CHANNEL)
    inbox.import_many(unit.store, [path], unit.identity)
    cand = next(unit.store.all())
    changed = dict(cand.data, achievements=cand.data["achievements"] + "（单位补充）")
    unit.store.save(changed, candidate_id=cand.id)
    decisions.decide(unit.store, cand.id, "推荐")
    out = tmp_path / "unit.rpu"
    pack_office(unit.store, out, identity=unit.identity, recipients=[region.public], today=TODAY)
    entry = inbox.import_many(region.store, [out], region.identity).entries[0]
    assert entry.status == "refused" and "签名链校验未通过" in entry.reason
    assert "主要学术技术成就" in entry.reason or "achievements" in entry.reason
    assert region.store.count() == 0


def test_package_whose_only_candidate_is_a_duplicate_is_not_shown_as_imported(make_installation,
                                                                             tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first = applicant_package(make_installation("a"), tmp_path / "甲.rpu", [office.public], 5)
    second = applicant_package(make_installation("b"), tmp_path / "乙.rpu", [office.public], 5)
    result = inbox.import_many(office.store, [first, second], office.identity)
    ok, dup = result.entries
    assert ok.status == inbox.IMPORTED and ok.status_label == "已导入"
    assert dup.status == inbox.DUPLICATE and dup.status_label == "重复，未导入"
    assert dup.verified and not dup.candidates and "未导入" in dup.reason
    assert result.imported == [ok] and result.duplicate_only == [dup]
    assert inbox.list_inbox(office.store)[1].status == inbox.DUPLICATE
    assert "[重复，未导入]" in dup.line()


def _two_candidates(inst, out, numbers, recipients):
    from collector.exchange.packing import pack

    for i in numbers:
        inst.store.save(make_record(i, channel=CHANNEL))
    pack(inst.store, [], out, identity=inst.identity, recipients=recipients, today=TODAY)
    return out


def test_a_package_with_one_new_and_one_known_candidate_is_imported_and_notes_the_other(
        make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first = applicant_package(make_installation("a"), tmp_path / "甲.rpu", [office.public], 5)
    both = _two_candidates(make_installation("u", "单位", "包头稀土研究院", "包头市"),
                           tmp_path / "单位.rpu", (5, 7), [office.public])
    _, entry = inbox.import_many(office.store, [first, both], office.identity).entries
    assert entry.status == inbox.IMPORTED, entry.reason
    assert [c["id_number"] for c in entry.candidates] == [make_record(7)["id_number"]]
    assert [d["id_number"] for d in entry.info["duplicates"]] == [make_record(5)["id_number"]]


def test_a_package_of_known_candidates_names_each_of_them(make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    known = _two_candidates(make_installation("a", "单位", "甲单位", "包头市"),
                            tmp_path / "甲.rpu", (5, 7), [office.public])
    again = _two_candidates(make_installation("b", "单位", "乙单位", "包头市"),
                            tmp_path / "乙.rpu", (5, 7), [office.public])
    _, entry = inbox.import_many(office.store, [known, again], office.identity).entries
    assert entry.status == inbox.DUPLICATE
    x, y = make_record(5), make_record(7)
    assert entry.reason == (f"候选人 {x['name']}（{x['id_number']}）、{y['name']}（{y['id_number']}）"
                            "已在本机数据库中，本文件未导入任何人；请与报送方核实是否重复报送")


def test_a_sender_without_a_unit_is_listed_by_name(make_installation, tmp_path):
    from collector.exchange.keyring import generate_identity
    from collector.storage.store import Store

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    with Store(tmp_path / "solo.db") as solo:
        me = generate_identity(solo, "solo-passphrase", "王五", "")
        solo.save(make_record(3))
        out = tmp_path / "solo.rpu"
        from collector.exchange.packing import pack

        pack(solo, [], out, identity=me, recipients=[office.public], today=TODAY)
    [entry] = inbox.import_many(office.store, [out], office.identity).entries
    assert entry.sender_unit == "王五"


def test_a_tingju_office_is_labelled_tingju_not_mengshi(make_installation, tmp_path):
    """The sender's level follows the office's channel kind: 区直单位 → 厅局, 盟市 → 盟市."""
    from collector.office import decisions
    from collector.exchange.chain import read_chain
    from collector.office.package import pack_office

    region = make_installation("region", "自治区", "自治区")
    senders = {"厅局": ("自治区科学技术厅人事处", "自治区科学技术厅", "区直单位"),
               "盟市": ("包头市人社局", "包头市", "盟市")}
    for want, (unit_name, channel, kind) in senders.items():
        office = make_installation(f"o-{want}", "盟市/厅局", unit_name, channel)
        # 科研院所: a non-public unit could not be sent through a 区直单位 (CHANNEL)
        cid = office.store.save(make_record(7 if want == "厅局" else 8, employer_type="科研院所",
                                            unit_ownership="全民",
                                            channel={"kind": kind, "name": channel}))
        decisions.decide(office.store, cid, "推荐")
        out = tmp_path / f"{want}.rpu"
        pack_office(office.store, out, identity=office.identity, recipients=[region.public],
                    today=TODAY)
        entry = inbox.import_many(region.store, [out], region.identity).entries[0]
        assert entry.status == inbox.IMPORTED and entry.sender_role == want
        assert f"（{want}）" in entry.line()
        assert f"{want} {unit_name}" in "\n".join(read_chain(out, region.identity).lines())
