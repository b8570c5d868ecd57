"""Replays: an older genuine package of the same applicant, renamed to look like the final one,
arrives next to the newer one. File names are chosen by people; the signed creation time (the
manifest's ``created``, under the signature) is not: each duplicate shows both times and which is
newer, and putting the older copy back over the newer record needs an explicit confirmation that
the audit records."""

from __future__ import annotations

import json

import pytest

from collector.office import duplicates as dup
from collector.common.fingerprint import short
from collector.office import inbox
from collector.office.replace import OlderCopy, ReplaceRefused, replace
from collector.exchange.packing import pack
from collector.storage.store import Store
from tests.conftest import make_record
from tests.office.conftest import PASS, TODAY

CHANNEL = {"kind": "盟市", "name": "包头市"}
OLD, NEW = "2017-04-01T09:00:00+08:00", "2017-04-10T16:30:00+08:00"
OLD_TEXT, NEW_TEXT = "2017-04-01 09:00:00", "2017-04-10 16:30:00"


def _two_versions(applicant, tmp_path, to):
    """The applicant's first package (signed 04-01) under a name that says "final", and the
    corrected one (signed 04-10) under a plain name; both genuine, same key."""
    cid = applicant.store.save(make_record(5, channel=CHANNEL, achievements="旧版：未含 2016 年成果"))
    old = tmp_path / "张三-更正版-最终.rpu"
    pack(applicant.store, [], old, identity=applicant.identity, recipients=to, today=TODAY,
         created=OLD)
    applicant.store.save(make_record(5, channel=CHANNEL, achievements="新版：补充了 2016 年的成果"),
                         candidate_id=cid)
    new = tmp_path / "张三.rpu"
    pack(applicant.store, [], new, identity=applicant.identity, recipients=to, today=TODAY,
         created=NEW)
    return old, new


@pytest.fixture
def unit_and_versions(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    applicant = make_installation("applicant")
    old, new = _two_versions(applicant, tmp_path, [unit.public])
    return unit, applicant, old, new


def _achievements(store):
    [record] = list(store.all())
    return record.data["achievements"]


def test_old_copy_first_shows_both_signed_times_and_that_the_second_is_newer(unit_and_versions):
    unit, applicant, old, new = unit_and_versions
    inbox.import_many(unit.store, [old, new], unit.identity)
    [d] = dup.open_duplicates(unit.store)
    assert (d.first_created, d.second_created) == (OLD, NEW)
    assert d.first_signer == d.second_signer == applicant.identity.fingerprint
    assert d.newer == "second" and not d.older_from_same_signer
    times = f"签名时间：原记录 {OLD_TEXT}，又收到的一份 {NEW_TEXT}（又收到的一份较新）"
    assert d.times() == times
    assert d.line().endswith(f"（#2 张三.rpu）  {times}")
    assert times in d.finding().message
    assert [f.message for f in inbox.duplicates(unit.store)] == [d.finding().message]
    assert d.to_json()["newer"] == "second" and d.to_json()["second_created"] == NEW


def test_replacing_the_newer_record_with_the_older_copy_needs_a_confirmation(unit_and_versions):
    unit, applicant, old, new = unit_and_versions
    inbox.import_many(unit.store, [new, old], unit.identity)
    [d] = dup.open_duplicates(unit.store)
    assert d.newer == "first" and d.older_from_same_signer
    assert "（原记录较新）" in d.line()
    number = d.id_number
    audit_before = unit.store.db.execute("SELECT count(*) FROM audit").fetchone()
    with pytest.raises(OlderCopy) as err:
        replace(unit.store, number, "#2", unit.identity, "报送方说最终版是这份")
    assert str(err.value) == (
        f"收件箱 #2 张三-更正版-最终.rpu 的签名时间 {OLD_TEXT} 早于本机原记录的 {NEW_TEXT}，"
        f"两份由同一签名者（{short(applicant.identity.fingerprint)}）签名：这是较旧的一份，"
        "替换会以旧版覆盖新版。确需以旧版替换，请明确确认（命令行加 --confirm-older）；原记录未改动")
    assert _achievements(unit.store) == "新版：补充了 2016 年的成果"
    assert unit.store.db.execute("SELECT count(*) FROM audit").fetchone() == audit_before
    assert dup.open_duplicates(unit.store)

    replace(unit.store, number, "#2", unit.identity, "已电话核实，以旧版为准", confirm_older=True)
    assert _achievements(unit.store) == "旧版：未含 2016 年成果"
    cid = unit.store.id_for_number(number)
    [audit] = [a for a in unit.store.audit(cid) if a["action"] == "duplicate_replace"]
    assert audit["new"]["reason"] == "已电话核实，以旧版为准"
    assert (audit["new"]["first_created"], audit["new"]["second_created"]) == (NEW, OLD)
    assert audit["new"]["older_confirmed"] == (
        f"收件箱 #2 张三-更正版-最终.rpu 的签名时间 {OLD_TEXT} 早于本机原记录的 {NEW_TEXT}，"
        f"两份由同一签名者（{short(applicant.identity.fingerprint)}）签名：这是较旧的一份，"
        "替换会以旧版覆盖新版；已明确确认以旧版替换")


def test_a_newer_copy_replaces_without_asking_and_the_audit_says_nothing_of_age(unit_and_versions):
    unit, _, old, new = unit_and_versions
    inbox.import_many(unit.store, [old, new], unit.identity)
    number = dup.open_duplicates(unit.store)[0].id_number
    replace(unit.store, number, "#2", unit.identity, "新版")
    assert _achievements(unit.store) == "新版：补充了 2016 年的成果"
    [audit] = [a for a in unit.store.audit(unit.store.id_for_number(number))
               if a["action"] == "duplicate_replace"]
    assert "older_confirmed" not in audit["new"]


def test_an_older_copy_from_another_signer_is_shown_older_but_needs_no_confirmation(
        make_installation, tmp_path):
    """Two signers' clocks cannot be compared as one history: shown, not gated."""
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    a, b = make_installation("a"), make_installation("b")
    a.store.save(make_record(5, channel=CHANNEL))
    first = tmp_path / "甲.rpu"
    pack(a.store, [], first, identity=a.identity, recipients=[unit.public], today=TODAY, created=NEW)
    b.store.save(make_record(5, channel=CHANNEL, achievements="乙份"))
    second = tmp_path / "乙.rpu"
    pack(b.store, [], second, identity=b.identity, recipients=[unit.public], today=TODAY,
         created=OLD)
    inbox.import_many(unit.store, [first, second], unit.identity)
    [d] = dup.open_duplicates(unit.store)
    assert d.newer == "first" and not d.older_from_same_signer
    replace(unit.store, d.id_number, "#2", unit.identity, "乙份为准")
    assert _achievements(unit.store) == "乙份"


def test_a_duplicate_recorded_without_times_reads_them_from_the_kept_package(unit_and_versions):
    """Duplicates recorded before the times were kept: the kept package's signed header."""
    unit, _, old, new = unit_and_versions
    inbox.import_many(unit.store, [new, old], unit.identity)
    entry = inbox.list_inbox(unit.store)[1]
    for d in entry.info["duplicates"]:
        del d["second_created"], d["second_signer"]
    unit.store.db.execute("UPDATE office_inbox SET info=? WHERE id=?",
                          [json.dumps(entry.info, ensure_ascii=False), entry.id])
    [d] = dup.open_duplicates(unit.store)
    assert (d.first_created, d.second_created) == (NEW, OLD) and d.older_from_same_signer


def test_cli_shows_the_times_and_replaces_an_older_copy_only_with_the_flag(unit_and_versions,
                                                                          cli, monkeypatch):
    unit, _, old, new = unit_and_versions
    inbox.import_many(unit.store, [new, old], unit.identity)
    number = dup.open_duplicates(unit.store)[0].id_number
    db = unit.store.path
    unit.store.close()
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    r = cli("duplicates", db=db)
    assert f"签名时间：原记录 {NEW_TEXT}，又收到的一份 {OLD_TEXT}（原记录较新）" in r.out
    r = cli("resolve-duplicate", number, "--replace-with", "#2", "--reason", "以旧版为准", db=db)
    assert r.code == 1 and r.err.count("\n") == 1 and "--confirm-older" in r.err
    assert "早于本机原记录" in r.err
    r = cli("resolve-duplicate", number, "--replace-with", "#2", "--reason", "以旧版为准",
            "--confirm-older", db=db)
    assert r.code == 0, r.err
    r = cli("duplicates", "--all", "--json", db=db)
    [got] = json.loads(r.out)
    assert got["resolution"]["action"] == "replace" and "签名时间" not in r.out
    with Store(db) as store:
        [audit] = [a for a in store.audit(store.id_for_number(number))
                   if a["action"] == "duplicate_replace"]
    assert (audit["new"]["first_created"], audit["new"]["second_created"]) == (NEW, OLD)
    assert "已明确确认以旧版替换" in audit["new"]["older_confirmed"]


def _dup(**times) -> dup.Duplicate:
    return dup.Duplicate(entry_id=2, id_number="1" * 18, name="张三", first="甲.rpu（a）",
                         second="乙.rpu（b）", file_name="乙.rpu", origin="乙.rpu", sender="b",
                         candidate_id=None, packed=False, **times)


@pytest.mark.parametrize("first, second, newer, says", [
    (NEW, NEW, "", "两份签名时间相同"),
    (NEW, "2017-04-10T08:30:00+00:00", "", "两份签名时间相同"),  # the same instant
    ("", OLD, "", "无法比较新旧"),
    (NEW, "not a time", "", "无法比较新旧"),
    (NEW, None, "", "无法比较新旧"),
    ("2017-04-10T16:30:00", "2017-04-10T16:30:01", "second", "又收到的一份较新"),  # no zone
])
def test_times_that_cannot_be_ordered_say_so(first, second, newer, says):
    d = _dup(first_created=first, second_created=second, first_signer="A", second_signer="A")
    assert d.newer == newer and d.times().endswith(f"（{says}）")
    assert not d.older_from_same_signer


def test_an_unknown_time_is_named_and_no_signer_is_no_same_signer():
    d = _dup(first_created="", second_created=OLD)
    assert d.times() == f"签名时间：原记录 未记录（本机录入或无签名），又收到的一份 {OLD_TEXT}（无法比较新旧）"
    assert not _dup(first_created=NEW, second_created=OLD).older_from_same_signer
    assert _dup(first_created=NEW, second_created=OLD, first_signer="A",
                second_signer="A").older_from_same_signer
    assert not _dup(first_created=NEW, second_created=OLD, first_signer="A",
                    second_signer="B").older_from_same_signer


def test_a_duplicate_whose_kept_package_is_gone_has_no_second_time(unit_and_versions):
    unit, _, old, new = unit_and_versions
    inbox.import_many(unit.store, [new, old], unit.identity)
    entry = inbox.list_inbox(unit.store)[1]
    for d in entry.info["duplicates"]:
        del d["second_created"], d["second_signer"]
    unit.store.db.execute("UPDATE office_inbox SET info=? WHERE id=?",
                          [json.dumps(entry.info, ensure_ascii=False), entry.id])
    path = unit.store.file_path(entry.sha256)
    path.write_bytes(b"not a package any more")
    [d] = dup.open_duplicates(unit.store)
    assert (d.second_created, d.second_signer) == ("", entry.signer) and d.newer == ""
    path.unlink()
    [d] = dup.open_duplicates(unit.store)
    assert (d.second_created, d.second_signer) == ("", entry.signer)


def test_a_kept_copy_swapped_while_it_is_verified_again_does_not_replace(unit_and_versions,
                                                                         tmp_path, monkeypatch):
    """Someone who can write the data folder swaps the kept copy of the newer duplicate for an
    even older genuine package after it was hashed and before it is read: what replaces the
    record must be the very file the inbox took (checked in the same pass that verifies it),
    or the older-copy confirmation is walked around."""
    from collector.exchange import intake

    unit, applicant, old, new = unit_and_versions
    [record] = list(applicant.store.all())
    applicant.store.save(make_record(5, channel=CHANNEL, achievements="更旧的一版"),
                         candidate_id=record.id)
    ancient = tmp_path / "更旧.rpu"
    pack(applicant.store, [], ancient, identity=applicant.identity, recipients=[unit.public],
         today=TODAY, created="2017-03-01T09:00:00+08:00")
    inbox.import_many(unit.store, [old, new], unit.identity)
    [d] = dup.open_duplicates(unit.store)
    assert d.newer == "second"
    kept = unit.store.file_path(inbox.list_inbox(unit.store)[1].sha256)
    real = intake.open_verified

    def swapped_first(store, path, *args, **kwargs):
        if path == kept:
            kept.write_bytes(ancient.read_bytes())
        return real(store, path, *args, **kwargs)

    monkeypatch.setattr(intake, "open_verified", swapped_first)
    with pytest.raises(ReplaceRefused, match="副本已被改动"):
        replace(unit.store, d.id_number, "#2", unit.identity, "以新版为准")
    assert _achievements(unit.store) == "旧版：未含 2016 年成果"
