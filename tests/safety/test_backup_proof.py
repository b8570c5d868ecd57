"""A backup carries proof of who made it: the installation's key signs its manifest. The attack:
someone with the backup edits its database (a forged paper-check match that lifts a hold, an
emptied untrusted list, a recipient entry that now holds the attacker's key), recomputes the
manifest's digest, perhaps signs it with a key of their own or strips the signature. Each is
refused, naming why; a restore says which trust-bearing data it brings, counted in the database."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from collector.storage.backup import (BackupUnverified, backup_database, check_backup,
                              restore_database)
from collector.common.errors import InputError
from collector.common.fingerprint import short
from collector.exchange.untrusted import mark_untrusted
from collector.exchange.keyring import generate_identity
from collector.exchange.keyring import import_recipient, public_key_block
from collector.storage.store import Store
from tests.conftest import make_record

from .test_backup_hostile import manifest_edit, rezip, sql, with_database

PASS, OTHER = "backup-owner-passphrase", "attacker-passphrase"


def ask():
    return PASS


def never():
    raise AssertionError("the passphrase must not be asked for")


@pytest.fixture
def office(tmp_path):
    """An office with its key, the region's key as a recipient, one blocked key, two candidates
    and one paper check that did not match."""
    region = Store(tmp_path / "region.db")
    region_id = generate_identity(region, "region-pass", "专技处", "自治区人社厅")
    block = public_key_block(region)
    region.close()
    db = tmp_path / "office.db"
    with Store(db) as store:
        own = generate_identity(store, PASS, "包头市人社局", "包头市人社局")
        import_recipient(store, block)
        mark_untrusted(store, "AB" * 16, "已吊销的单位密钥")
        ids = [store.save(make_record(i)) for i in range(2)]
        with store.transaction():
            store.db.execute("INSERT INTO paper_checks VALUES (?, 'mismatch', 'x', 'm', 'a', 't')",
                             [ids[0]])
    return db, own, region_id


def _backup(db: Path, tmp_path: Path) -> Path:
    out = tmp_path / "备份.zip"
    summary = backup_database(db, out, passphrase=ask)
    assert summary.signer
    return out


FORGE = ("UPDATE paper_checks SET status='matched';"
         "UPDATE settings SET value='[]' WHERE key='office.untrusted';")


def _trust(own, region, *, untrusted=1, matched=0) -> str:
    blocked = f"：{short('AB' * 16)}" if untrusted else ""
    return ("恢复的数据库带来的信任数据：候选人 2 名；"
            f"本机密钥 {short(own.fingerprint)}；接收方公钥 1 个：{short(region.fingerprint)}；"
            f"不可信名单 {untrusted} 个{blocked}；纸质材料核对结果 1 条（其中一致 {matched} 条）；"
            "接受暂扣人选 0 条")


def test_a_genuine_backup_restores_elsewhere_once_the_passphrase_opens_its_key(office, tmp_path):
    db, own, _ = office
    out = _backup(db, tmp_path)
    manifest, proof = check_backup(out, ask=ask)
    assert proof.verified and proof.signer == own.fingerprint
    assert proof.text() == f"签名已核对：由本机密钥 {short(own.fingerprint)} 制作（备份时的本机口令已核对）"
    result = restore_database(out, tmp_path / "new" / "collector.db", ask=ask)
    assert result.proof.verified and result.candidates == 2 and manifest["candidates"] == 2


def test_restoring_over_its_own_installation_needs_no_passphrase(office, tmp_path):
    db, own, _ = office
    out = _backup(db, tmp_path)
    result = restore_database(out, db, force=True, ask=never)
    assert result.proof.verified_by == "与本机数据库中的密钥相同"


def test_an_edited_database_with_its_digest_recomputed_is_refused(office, tmp_path):
    db, _, _ = office
    out = _backup(db, tmp_path)
    bad = tmp_path / "forged.zip"
    with_database(out, bad, sql(FORGE))
    target = tmp_path / "new.db"
    with pytest.raises(InputError) as err:
        restore_database(bad, target, ask=ask, unverified=True)
    assert str(err.value) == ("备份文件 forged.zip 的签名不符：清单在签名后被改动，"
                              "备份可能已被篡改，不能使用")
    assert not target.exists()


def _resigned(src: Path, dest: Path, edit_db, signer) -> None:
    """The attacker's full job: edit the database, fix the digest, sign with a key of theirs."""
    from collector.storage.backup_proof import sign

    with_database(src, dest, edit_db)
    with zipfile.ZipFile(dest) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    signed = sign({k: v for k, v in manifest.items() if k != "signature"}, signer)
    rezip(dest, dest.with_suffix(".s.zip"), manifest_edit(**signed))
    dest.with_suffix(".s.zip").replace(dest)


def test_an_edited_backup_signed_again_with_another_key_is_refused(office, tmp_path):
    db, own, _ = office
    attacker = generate_identity(Store(tmp_path / "attacker.db"), OTHER, "x", "y")
    out = _backup(db, tmp_path)
    bad = tmp_path / "resigned.zip"
    _resigned(out, bad, sql(FORGE), attacker)
    with pytest.raises(BackupUnverified) as err:
        restore_database(bad, db, force=True, ask=ask)
    assert str(err.value) == (
        f"备份文件 resigned.zip 未能核实由本机制作：签名密钥 {short(attacker.fingerprint)} "
        "既不是本机的密钥，也不是备份中保存的本机密钥，备份可能被他人改动后重新签名。"
        "恢复已取消，数据库保持原样；确认备份来源可靠后，可加 --unverified 恢复（结果中会注明未核实）")
    with Store(db) as store:
        assert store.db.execute("SELECT status FROM paper_checks").fetchall() == [("mismatch",)]


def test_an_edited_backup_with_the_attackers_key_put_in_its_database_is_refused(office, tmp_path):
    """The attacker also replaces the sealed key in the database with their own: the owner's
    passphrase does not open it."""
    db, _, _ = office
    attacker_db = tmp_path / "attacker.db"
    with Store(attacker_db) as store:
        attacker = generate_identity(store, OTHER, "x", "y")
        sealed = store.db.execute("SELECT value FROM settings WHERE key='rpu.identity'").fetchone()[0]
    out = _backup(db, tmp_path)
    bad = tmp_path / "swapped.zip"

    def edit(path: Path) -> None:
        conn = sqlite3.connect(path)
        conn.executescript(FORGE)
        conn.execute("UPDATE settings SET value=? WHERE key='rpu.identity'", [sealed])
        conn.commit()
        conn.close()

    _resigned(out, bad, edit, attacker)
    with pytest.raises(BackupUnverified) as err:
        restore_database(bad, tmp_path / "fresh.db", ask=ask)
    assert "备份中的密钥无法用所给口令打开（口令不正确" in str(err.value)


def test_an_unsigned_backup_is_refused_and_restored_only_when_told_so_loudly(office, tmp_path,
                                                                             cli, monkeypatch):
    """Signature stripped (or a backup from before signing): refused; ``--unverified`` restores
    it with a warning, and the counts come from the database, not the (edited) manifest."""
    db, own, region = office
    out = _backup(db, tmp_path)
    bad = tmp_path / "stripped.zip"
    with_database(out, bad, sql(FORGE))
    with zipfile.ZipFile(bad) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    del manifest["signature"]
    manifest["candidates"] = 40
    rezip(bad, tmp_path / "s.zip",
          lambda n, d: json.dumps(manifest).encode() if n == "manifest.json" else d)
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    target = tmp_path / "fresh.db"
    r = cli("restore", tmp_path / "s.zip", db=target)
    assert r.code == 1 and r.err.count("\n") == 1 and not target.exists()
    assert "未能核实由本机制作：备份没有签名" in r.err and "--unverified" in r.err
    r = cli("restore", "--check", tmp_path / "s.zip", db=target)
    assert r.code == 1 and r.err.startswith("未能核实由本机制作：备份没有签名")
    r = cli("restore", tmp_path / "s.zip", "--unverified", db=target)
    assert r.code == 0, r.err
    assert r.out.startswith("已恢复 2 名候选人、0 个附件")
    assert r.err.startswith("警告：未能核实由本机制作：备份没有签名") and "逐项核对" in r.err
    assert r.out.splitlines()[-1] == _trust(own, region, untrusted=0, matched=1)


def test_cli_signs_the_backup_and_the_restore_names_the_trust_it_brings(office, tmp_path, cli,
                                                                        monkeypatch):
    db, own, region = office
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    out = tmp_path / "b.zip"
    r = cli("backup", "--out", out, db=db)
    assert r.code == 0, r.err
    assert r.out.splitlines()[-1] == f"备份已用本机密钥签名（{short(own.fingerprint)}）；恢复时核对签名"
    r = cli("restore", "--check", out, db=tmp_path / "fresh.db")
    assert r.code == 0 and r.out.splitlines()[-1].startswith("签名已核对")
    r = cli("restore", out, db=tmp_path / "fresh.db")
    assert r.code == 0, r.err
    assert r.out.splitlines()[1:] == [
        f"签名已核对：由本机密钥 {short(own.fingerprint)} 制作（备份时的本机口令已核对）",
        _trust(own, region)]


def test_a_backup_without_a_key_here_is_made_unsigned_with_a_warning(tmp_path, cli):
    db = tmp_path / "nokey.db"
    with Store(db) as store:
        store.save(make_record(1))
    r = cli("backup", "--out", tmp_path / "b.zip", db=db)
    assert r.code == 0 and r.err.startswith("警告：本机还没有密钥，备份未签名")


@pytest.mark.parametrize("value", [
    {"fingerprint": "AA", "public": "!!", "value": ""},
    "not an object",
    {"public": "AAAA"},
])
def test_a_malformed_signature_is_a_one_line_refusal(office, tmp_path, value):
    db, _, _ = office
    out = _backup(db, tmp_path)
    bad = tmp_path / "bad.zip"
    rezip(out, bad, manifest_edit(signature=value))
    with pytest.raises(InputError) as err:
        check_backup(bad, ask=ask)
    assert str(err.value) == "备份文件 bad.zip 的签名不符：清单在签名后被改动，备份可能已被篡改，不能使用"


# -- the signature's own vector and the smaller branches --------------------------------------
VECTOR = {"format": "talent-collector-backup", "version": 2, "db_sha256": "0" * 64, "files": 0,
          "candidates": 1}
VECTOR_SIGNATURE = {
    "fingerprint": "56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c",
    "public": "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",
    "value": "sqIeorKEt3cmPYwT6KJB94XsEBXc6P+CaxpvAY4nKmCm4DtQlPK6lIKPcSmMQNEdtwZI90G6oGz4sSPRwCLyAA=="}


def test_the_signature_is_over_the_canonical_manifest_under_its_own_domain():
    """Ed25519 is deterministic: a fixed key signs the fixed manifest to these bytes (a change
    of the domain or of the bytes signed breaks every backup made before it)."""
    from types import SimpleNamespace

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from collector.storage.backup_proof import sign

    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    public = key.public_key().public_bytes_raw()
    signer = SimpleNamespace(fingerprint=VECTOR_SIGNATURE["fingerprint"], sign_public=public,
                             sign_private=key)
    assert sign(VECTOR, signer) == dict(VECTOR, signature=VECTOR_SIGNATURE)
    assert sign(dict(VECTOR, signature={"old": 1}), signer)["signature"] == VECTOR_SIGNATURE


def test_a_signature_whose_fingerprint_field_is_not_its_key_is_refused(tmp_path):
    from collector.storage.backup_proof import check

    with pytest.raises(InputError, match="的签名不符"):
        check(dict(VECTOR, signature=dict(VECTOR_SIGNATURE, fingerprint="00" * 32)),
              tmp_path / "none.db", "备份文件 x.zip")
    proof = check(dict(VECTOR, signature=VECTOR_SIGNATURE), tmp_path / "none.db", "备份文件 x.zip",
                  own=VECTOR_SIGNATURE["fingerprint"])
    assert proof.verified and proof.signer == VECTOR_SIGNATURE["fingerprint"]


def test_without_the_passphrase_the_key_in_the_backup_is_not_taken_on_trust(office, tmp_path):
    db, own, _ = office
    out = _backup(db, tmp_path)
    _, proof = check_backup(out)
    assert not proof.verified and proof.text() == (
        f"未能核实由本机制作：签名密钥 {short(own.fingerprint)} 不是本机现有的密钥；"
        "请输入备份时的本机口令以核对")
    _, proof = check_backup(out, own="FF" * 32, ask=lambda: "wrong-passphrase")
    assert proof.problem == "备份中的密钥无法用所给口令打开（口令不正确，无法解开本机私钥，请重新输入）"


def test_a_key_here_needs_the_passphrase_to_back_up(office, tmp_path):
    db, _, _ = office
    with pytest.raises(InputError) as err:
        backup_database(db, tmp_path / "b.zip")
    assert str(err.value) == "本机有密钥：备份须用本机密钥签名，请输入口令"
    assert not (tmp_path / "b.zip").exists()


def test_an_attachment_swapped_for_another_stored_file_is_refused(office, tmp_path):
    """Names are hashes, so a member can only be swapped for another whole file: the manifest
    lists the names (under the signature), and the list no longer fits."""
    import hashlib

    db, _, _ = office
    with Store(db) as store:
        scan = tmp_path / "a.pdf"
        scan.write_bytes(b"%PDF-1.4 one")
        store.attach(store.all().__next__().id, scan, title="证书")
    out = _backup(db, tmp_path)
    other = b"%PDF-1.4 another file"
    sha = hashlib.sha256(other).hexdigest()
    bad = tmp_path / "swapped.zip"
    rezip(out, bad, lambda n, d: [(f"files/{sha[:2]}/{sha}", other)] if n.startswith("files/")
          else d)
    with pytest.raises(InputError) as err:
        check_backup(bad, ask=ask)
    assert str(err.value) == "备份文件 swapped.zip 的附件与清单所列的不同，可能已被篡改"
    result = restore_database(out, tmp_path / "fresh.db", ask=ask)
    assert (result.candidates, result.files) == (2, 1)


def test_trust_lines_name_at_most_five_keys_and_a_key_register(tmp_path):
    from collector.storage.backup_proof import own_fingerprint, trust_lines

    db = tmp_path / "t.db"
    with Store(db) as store:
        store.set_setting("rpu.recipients", [{"fingerprint": f"{i:02d}" * 32} for i in range(6)])
        store.set_setting("office.untrusted", ["not an entry"])
        store.set_setting("rpu.identity", {"fingerprint": 5})
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE office_key_register (fingerprint TEXT)")
    conn.executemany("INSERT INTO office_key_register VALUES (?)", [("a",), ("b",)])
    conn.commit()
    conn.close()
    keys = "、".join(short(f"{i:02d}" * 32) for i in range(5))
    assert trust_lines(db) == ["候选人 0 名", "本机密钥 无", f"接收方公钥 6 个：{keys}等",
                               "不可信名单 1 个", "纸质材料核对结果 0 条（其中一致 0 条）",
                               "接受暂扣人选 0 条", "密钥登记（office_key_register）2 条"]
    with Store(db) as store:
        store.set_setting("rpu.recipients", "not a list")
        store.set_setting("rpu.identity", "not an object")
    assert trust_lines(db)[1:3] == ["本机密钥 无", "接收方公钥 0 个"]
    assert own_fingerprint(db) == "" and own_fingerprint(tmp_path / "missing.db") == ""
    (tmp_path / "junk.db").write_bytes(b"not sqlite" * 100)
    assert own_fingerprint(tmp_path / "junk.db") == ""
