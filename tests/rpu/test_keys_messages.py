"""Recipients and identity keys: every refusal by the exact line a user reads, and every field
of a stored recipient as it comes back (collector/rpu/keys.py)."""

from __future__ import annotations

import base64
import json

import pytest

from collector import rpu
from collector.common.errors import InputError, NotFoundError
from collector.rpu import keys as rk
from collector.storage.store import Store
from collector.exchange import keyring

from .conftest import PASS


def _import(store, inst, name: str = "", default: bool = True) -> rk.PublicKey:
    return keyring.import_recipient(store, keyring.public_key_block(inst.store), name, default=default)


def test_a_stored_recipient_comes_back_field_by_field(applicant, office):
    key = _import(applicant.store, office, default=False)
    [back] = keyring.list_recipients(applicant.store)
    assert back == key
    assert (back.name, back.unit, back.default, back.source) == ("受理方", "受理方单位", False, "公钥")
    assert back.sign_public == office.identity.sign_public
    assert back.box_public == office.identity.box_public
    assert back.fingerprint == office.identity.fingerprint
    assert keyring.known_name(applicant.store, office.identity.fingerprint) == "受理方单位 受理方"


def test_a_recipient_without_name_and_unit_is_known_by_its_source(applicant, office):
    stored = _import(applicant.store, office).to_json()
    stored.update(name="", unit="")
    applicant.store.set_setting(keyring.RECIPIENTS_KEY, [stored])
    assert keyring.known_name(applicant.store, office.identity.fingerprint) == "公钥"
    assert keyring.list_recipients(applicant.store)[0].default is True


def test_recipients_are_matched_by_name_unit_both_or_fingerprint(applicant, office):
    key = _import(applicant.store, office)
    for wanted in ("受理方", "受理方单位", "受理方单位 受理方", key.fingerprint[:16],
                   rk.grouped(key.fingerprint)[:19]):
        assert keyring._key_matches(key, wanted), wanted
    for wanted in ("受理", "受理方单位受理方", "受理方 受理方单位", key.fingerprint[:15]):
        assert not keyring._key_matches(key, wanted), wanted


@pytest.mark.parametrize("wanted", ["", "   "])
def test_removing_nothing_is_refused(applicant, wanted):
    with pytest.raises(InputError) as err:
        keyring.remove_recipient(applicant.store, wanted)
    assert err.value.message == "请指定要删除的接收方：名称或指纹"
    assert err.value.field == "recipient"


def test_removing_an_unknown_recipient_says_how_to_name_one(applicant):
    with pytest.raises(NotFoundError) as err:
        keyring.remove_recipient(applicant.store, "无此单位")
    assert str(err.value) == ("没有找到接收方“无此单位”；请用 collector keys show 查看已导入的"
                              "接收方，按名称或指纹（至少前 16 位）指定")


def test_removing_the_shipped_key_is_refused_with_its_fingerprint(applicant):
    [shipped] = rk.shipped_keys()
    with pytest.raises(rpu.IdentityError) as err:
        keyring.remove_recipient(applicant.store, shipped.fingerprint)
    assert str(err.value) == (f"“{shipped.fingerprint}”是程序内置的自治区公钥（指纹 {shipped.short}），"
                              "报送文件总是加密给它，不能删除")


def test_an_ambiguous_name_lists_each_match_and_removes_nothing(applicant, office, stranger):
    a = _import(applicant.store, office, name="同名")
    b = _import(applicant.store, stranger, name="同名")
    with pytest.raises(InputError) as err:
        keyring.remove_recipient(applicant.store, "同名")
    assert err.value.message == (f"有多个接收方符合“同名”：同名（{a.short}）、同名（{b.short}）；"
                              "请用指纹指定要删除的一个")
    assert err.value.field == "recipient"
    assert len(keyring.list_recipients(applicant.store)) == 2


def test_removing_one_keeps_the_others(applicant, office, stranger):
    _import(applicant.store, office)
    kept = _import(applicant.store, stranger)
    assert keyring.remove_recipient(applicant.store, " 受理方 ").fingerprint == office.identity.fingerprint
    assert keyring.list_recipients(applicant.store) == [kept]


def test_importing_the_same_key_again_replaces_it(applicant, office):
    _import(applicant.store, office, name="旧名")
    _import(applicant.store, office, name="新名")
    assert [k.name for k in keyring.list_recipients(applicant.store)] == ["新名"]


def test_is_shipped():
    [shipped] = rk.shipped_keys()
    assert rk.is_shipped(shipped.fingerprint)
    assert not rk.is_shipped("0" * 64)
    assert shipped.source == "内置 " + next((rk.resources_dir() / "keys").glob("*.pub")).name


def test_default_recipients_skip_non_default_and_repeats(applicant, office, stranger):
    _import(applicant.store, office)
    _import(applicant.store, stranger, default=False)
    fps = [k.fingerprint for k in keyring.default_recipients(applicant.store)]
    assert fps == [rk.shipped_keys()[0].fingerprint, office.identity.fingerprint]


# -- public key blocks ---------------------------------------------------------------------

def _block(**body) -> str:
    data = {"v": 1, "name": "甲", "unit": "乙", "sign": base64.b64encode(bytes(32)).decode(),
            "box": base64.b64encode(bytes(32)).decode()}
    data.update(body)
    text = base64.b64encode(json.dumps(data).encode()).decode()
    return f"{rk.BEGIN}\n{text}\n{rk.END}\n"


@pytest.mark.parametrize("text, message", [
    ("随便什么", "公钥 不是人才信息采集的公钥（缺少 BEGIN/END 行）"),
    (f"{rk.BEGIN}\n%%%\n{rk.END}", "公钥 内容已损坏，请向对方重新索取公钥"),
    (_block(sign=None), "公钥 内容已损坏，请向对方重新索取公钥"),
    (_block(v=2), "公钥 的版本或密钥长度不受支持"),
    (_block(sign=base64.b64encode(bytes(31)).decode()), "公钥 的版本或密钥长度不受支持"),
    (_block(box=base64.b64encode(bytes(33)).decode()), "公钥 的版本或密钥长度不受支持"),
])
def test_bad_public_blocks_are_refused_with_their_line(text, message):
    with pytest.raises(rpu.IdentityError) as err:
        rk.decode_public(text)
    assert str(err.value) == message


def test_a_block_with_a_wrong_fingerprint_line_is_refused(office):
    block = keyring.public_key_block(office.store).replace("Fingerprint: ", "Fingerprint: 0000 ")
    with pytest.raises(rpu.IdentityError) as err:
        rk.decode_public(block, "公钥文件 x.pub")
    assert str(err.value) == "公钥文件 x.pub 的指纹行与密钥不符，公钥可能在传递中被改动"


def test_the_block_states_the_fingerprint_and_wraps_at_64(office):
    block = keyring.public_key_block(office.store)
    lines = block.splitlines()
    assert lines[0] == rk.BEGIN and lines[-1] == rk.END
    assert lines[1] == f"Fingerprint: {rk.grouped(office.identity.fingerprint)}"
    assert lines[2] == ""
    assert all(len(line) == 64 for line in lines[3:-2]) and 0 < len(lines[-2]) <= 64
    assert rk.decode_public(block).fingerprint == office.identity.fingerprint


def test_grouped_is_upper_case_in_fours():
    assert rk.grouped("abcdef0123") == "ABCD EF01 23"


def test_an_unreadable_key_file_is_named(tmp_path):
    with pytest.raises(rpu.IdentityError) as err:
        rk.read_public_file(tmp_path / "无.pub")
    assert str(err.value).startswith(f"公钥文件 {tmp_path / '无.pub'}：")
    assert str(err.value).endswith("；请重新选择公钥文件")


# -- the sealed identity ---------------------------------------------------------------------

def test_a_new_passphrase_below_the_minimum_is_refused_and_the_old_one_still_works(applicant):
    short = "x" * (rk.MIN_PASSPHRASE - 1)
    with pytest.raises(rpu.PassphraseError) as err:
        keyring.change_passphrase(applicant.store, PASS, short)
    assert str(err.value) == f"新口令至少 {rk.MIN_PASSPHRASE} 个字符，请重新输入；原口令仍然有效"
    assert keyring.load_identity(applicant.store, PASS)
    ok = "y" * rk.MIN_PASSPHRASE
    keyring.change_passphrase(applicant.store, PASS, ok)
    assert keyring.load_identity(applicant.store, ok).fingerprint == applicant.identity.fingerprint
    assert applicant.store.get_setting(keyring.IDENTITY_KEY)["passphrase_changed"]


@pytest.mark.real_kdf
def test_the_sealed_record_names_its_kdf_and_fresh_salt(applicant):
    sealed = applicant.store.get_setting(keyring.IDENTITY_KEY)["sealed"]
    assert (sealed["kdf"], sealed["n"], sealed["r"], sealed["p"]) == ("scrypt", 2 ** 15, 8, 1)
    assert len(base64.b64decode(sealed["salt"])) == 16
    assert len(base64.b64decode(sealed["nonce"])) == 12
    keyring.change_passphrase(applicant.store, PASS, "another-pass")
    assert applicant.store.get_setting(keyring.IDENTITY_KEY)["sealed"]["salt"] != sealed["salt"]


@pytest.mark.parametrize("damage", [
    lambda v: v["sealed"].pop("salt"),
    lambda v: v["sealed"].update(n="many"),
    lambda v: v["sealed"].update(nonce=7),
])
def test_a_damaged_sealed_record_says_regenerate(applicant, damage):
    value = applicant.store.get_setting(keyring.IDENTITY_KEY)
    damage(value)
    applicant.store.set_setting(keyring.IDENTITY_KEY, value)
    with pytest.raises(rpu.IdentityError) as err:
        keyring.load_identity(applicant.store, PASS)
    assert str(err.value) == "数据库中的本机密钥记录已损坏，请重新生成密钥"


def test_a_sealed_record_holding_other_keys_is_refused(applicant, office):
    """Sealed under the applicant's fingerprint and passphrase, but holding the office's keys."""
    foreign = rk.Identity("受理方", "", office.identity.sign_private, office.identity.box_private)
    sealed = rk.seal(foreign, PASS)
    # re-seal with the applicant's fingerprint as associated data, as a swapped record would be
    import os
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    secret = (foreign.sign_private.private_bytes_raw() + foreign.box_private.private_bytes_raw())
    sealed.update(salt=rk.b64(salt), nonce=rk.b64(nonce), ciphertext=rk.b64(
        AESGCM(rk._kdf(PASS, salt)).encrypt(nonce, secret, applicant.identity.fingerprint.encode())))
    value = applicant.store.get_setting(keyring.IDENTITY_KEY)
    value["sealed"] = sealed
    applicant.store.set_setting(keyring.IDENTITY_KEY, value)
    with pytest.raises(rpu.IdentityError) as err:
        keyring.load_identity(applicant.store, PASS)
    assert str(err.value) == "数据库中的本机密钥记录不一致，请重新生成密钥"


def test_a_damaged_public_record_says_regenerate(applicant):
    value = applicant.store.get_setting(keyring.IDENTITY_KEY)
    value["sign_public"] = 5
    applicant.store.set_setting(keyring.IDENTITY_KEY, value)
    with pytest.raises(rpu.IdentityError) as err:
        keyring.stored_public(applicant.store)
    assert str(err.value) == "数据库中的本机密钥记录已损坏，请重新生成密钥"


def test_an_empty_passphrase_is_refused_for_new_keys(tmp_path):
    from collector.storage.store import Store

    with Store(tmp_path / "c.db") as store:
        with pytest.raises(rpu.PassphraseError) as err:
            keyring.generate_identity(store, "")
        assert str(err.value) == "口令不能为空，请设置一个口令来保护本机私钥"
        assert not keyring.has_identity(store)


def test_existing_keys_are_refused_with_their_fingerprint(applicant):
    with pytest.raises(rpu.IdentityError) as err:
        keyring.generate_identity(applicant.store, PASS)
    assert str(err.value) == (f"本机已有密钥（指纹 {applicant.identity.public.short}），"
                              "如确需重新生成请使用 --force（旧密钥收到的报送文件将无法再打开）")
    new = keyring.generate_identity(applicant.store, PASS, "新", "新单位", replace=True)
    assert keyring.stored_public(applicant.store).fingerprint == new.fingerprint
    assert (keyring.stored_public(applicant.store).name, keyring.stored_public(applicant.store).unit) == \
        ("新", "新单位")


def test_a_stored_recipient_missing_optional_fields_gets_the_defaults(applicant, office):
    stored = _import(applicant.store, office).to_json()
    for k in ("name", "unit", "default", "source"):
        stored.pop(k)
    applicant.store.set_setting(keyring.RECIPIENTS_KEY, [stored])
    [back] = keyring.list_recipients(applicant.store)
    assert (back.name, back.unit, back.default, back.source) == ("", "", True, "")


def test_a_key_file_is_read_whole_with_its_unit_and_named_source(office, tmp_path):
    path = tmp_path / "单位公钥.pub"
    path.write_text(keyring.public_key_block(office.store), encoding="utf-8")
    key = rk.read_public_file(path)
    assert (key.name, key.unit, key.default, key.source) == ("受理方", "受理方单位", True,
                                                            "公钥文件 单位公钥.pub")


def test_an_oversized_key_file_is_refused(tmp_path):
    path = tmp_path / "大.pub"
    path.write_bytes(b"x" * ((1 << 20) + 1))
    with pytest.raises(rpu.IdentityError, match="；请重新选择公钥文件$"):
        rk.read_public_file(path)


def test_a_pasted_block_that_is_damaged_is_called_a_public_key(applicant):
    with pytest.raises(rpu.IdentityError) as err:
        keyring.import_recipient(applicant.store, f"{rk.BEGIN}\n%%%\n{rk.END}")
    assert str(err.value) == "公钥 内容已损坏，请向对方重新索取公钥"


def test_our_own_fingerprint_is_known_as_this_machine(applicant):
    assert keyring.known_name(applicant.store, applicant.identity.fingerprint) == "本机"
    assert keyring.known_name(applicant.store, "0" * 64) is None


def test_a_key_file_without_a_block_is_named_by_its_file_name(tmp_path):
    path = tmp_path / "单位.pub"
    path.write_text("这不是公钥\n", encoding="utf-8")
    with pytest.raises(rpu.IdentityError) as err:
        rk.read_public_file(path)
    assert str(err.value) == "公钥文件 单位.pub 不是人才信息采集的公钥（缺少 BEGIN/END 行）"


def _fingerprint_line(block: str, line: str) -> str:
    return "\n".join(line if x.startswith("Fingerprint:") else x for x in block.splitlines())


def test_a_fingerprint_line_without_a_space_is_read(office):
    block = keyring.public_key_block(office.store)
    tight = _fingerprint_line(block, f"Fingerprint:{office.identity.fingerprint.upper()}")
    assert rk.decode_public(tight).fingerprint == office.identity.fingerprint


@pytest.mark.parametrize("line", ["Fingerprint: {fp}:0000", "Fingerprint: 0000:{fp}",
                                  "Fingerprint: :{fp}"])
def test_a_fingerprint_line_with_more_than_the_fingerprint_is_refused(office, line):
    block = keyring.public_key_block(office.store)
    changed = _fingerprint_line(block, line.format(fp=office.identity.fingerprint))
    with pytest.raises(rpu.IdentityError, match="指纹行与密钥不符"):
        rk.decode_public(changed)


def test_stray_characters_in_the_body_are_refused_not_skipped(office):
    lines = keyring.public_key_block(office.store).splitlines()
    lines[3] = lines[3][:10] + "*" + lines[3][10:]  # base64 would skip it without validate
    with pytest.raises(rpu.IdentityError) as err:
        rk.decode_public("\n".join(lines))
    assert str(err.value) == "公钥 内容已损坏，请向对方重新索取公钥"


def test_keys_show_lists_the_shipped_key_as_a_default_recipient(cli):
    shipped = rk.shipped_keys()
    assert shipped
    for key in shipped:  # its name and unit come from the block, the source names the file
        path = rk.resources_dir() / "keys" / key.source.removeprefix("内置 ")
        block = rk.decode_public(path.read_text(encoding="utf-8"))
        assert (key.name, key.unit, key.default) == (block.name, block.unit, True)
        assert key.name and key.unit
    r = cli("keys", "show")
    first = shipped[0]
    assert r.code == 0
    assert f"  [默认] {first.short}  {first.name} {first.unit}  （{first.source}）" in r.out
    data = json.loads(cli("keys", "show", "--json").out)
    assert [k["default"] for k in data["shipped"]] == [True] * len(shipped)


def test_a_damaged_shipped_key_is_named_by_its_file(tmp_path, monkeypatch):
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "坏.pub").write_text("damaged\n", encoding="utf-8")
    monkeypatch.setattr(rk, "resources_dir", lambda: tmp_path)
    with pytest.raises(rpu.IdentityError) as err:
        rk.shipped_keys()
    assert str(err.value) == "内置公钥 坏.pub 不是人才信息采集的公钥（缺少 BEGIN/END 行）"


def test_a_block_without_name_or_unit_reads_as_empty_not_none():
    data = {"v": 1, "sign": base64.b64encode(bytes(32)).decode(),
            "box": base64.b64encode(bytes(32)).decode()}
    text = base64.b64encode(json.dumps(data).encode()).decode()
    key = rk.decode_public(f"{rk.BEGIN}\n{text}\n{rk.END}\n")
    assert (key.name, key.unit) == ("", "")


@pytest.mark.parametrize("field", ["sign", "box"])
def test_stray_characters_in_a_key_field_are_refused_not_skipped(field):
    good = base64.b64encode(bytes(32)).decode()
    with pytest.raises(rpu.IdentityError) as err:
        rk.decode_public(_block(**{field: good[:8] + "!" + good[8:]}))
    assert str(err.value) == "公钥 内容已损坏，请向对方重新索取公钥"


def test_our_own_public_key_is_a_default_key_from_this_machine(applicant):
    own = keyring.stored_public(applicant.store)
    assert own == rk.PublicKey("申报人", "申报人单位", applicant.identity.sign_public,
                               applicant.identity.box_public, True, "本机")
    value = applicant.store.get_setting(keyring.IDENTITY_KEY)
    del value["name"], value["unit"]
    applicant.store.set_setting(keyring.IDENTITY_KEY, value)
    own = keyring.stored_public(applicant.store)
    assert (own.name, own.unit, own.default, own.source) == ("", "", True, "本机")


def test_the_stored_identity_record_is_version_1_with_the_public_halves_in_clear(applicant):
    """The record a later version of the program must read back (collector/rpu/keys.py)."""
    value = applicant.store.get_setting(keyring.IDENTITY_KEY)
    assert set(value) == {"version", "name", "unit", "created", "sign_public", "box_public",
                          "fingerprint", "sealed"}
    assert (value["version"], value["name"], value["unit"]) == (1, "申报人", "申报人单位")
    assert isinstance(value["created"], str) and value["created"][:2] == "20"
    assert base64.b64decode(value["sign_public"]) == applicant.identity.sign_public
    assert base64.b64decode(value["box_public"]) == applicant.identity.box_public
    assert value["fingerprint"] == applicant.identity.fingerprint
    assert set(value["sealed"]) == {"kdf", "n", "r", "p", "salt", "nonce", "ciphertext"}


def test_a_record_without_name_and_unit_unseals_to_empty_ones(applicant):
    value = applicant.store.get_setting(keyring.IDENTITY_KEY)
    del value["name"], value["unit"]
    applicant.store.set_setting(keyring.IDENTITY_KEY, value)
    identity = keyring.load_identity(applicant.store, PASS)
    assert (identity.name, identity.unit) == ("", "")
    assert identity.fingerprint == applicant.identity.fingerprint


def test_unsealing_gives_the_stored_name_and_unit_and_a_wrong_passphrase_its_line(applicant):
    identity = keyring.load_identity(applicant.store, PASS)
    assert (identity.name, identity.unit) == ("申报人", "申报人单位")
    with pytest.raises(rpu.PassphraseError) as err:
        keyring.load_identity(applicant.store, PASS + "x")
    assert str(err.value) == "口令不正确，无法解开本机私钥，请重新输入"


def test_keys_made_without_a_name_or_unit_carry_empty_ones(tmp_path):
    with Store(tmp_path / "c.db") as store:
        identity = keyring.generate_identity(store, "no-name-passphrase")
        assert (identity.name, identity.unit) == ("", "")
        stored = store.get_setting(keyring.IDENTITY_KEY)
        assert (stored["name"], stored["unit"]) == ("", "")
        assert keyring.stored_public(store).name == ""


def test_an_installation_without_keys_says_how_to_make_them(tmp_path):
    with Store(tmp_path / "c.db") as store:
        for call in (lambda: keyring.load_identity(store, "x"), lambda: keyring.stored_public(store)):
            with pytest.raises(rk.IdentityError) as err:
                call()
            assert str(err.value) == ("本机还没有密钥，请先运行 collector keys generate"
                                      "（或在设置中生成密钥）")
