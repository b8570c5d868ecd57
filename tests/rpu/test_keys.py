from __future__ import annotations

import pytest

from collector import rpu
from collector.rpu import keys as rk
from collector.common.errors import NotFoundError
from collector.storage.store import Store
from collector.exchange import keyring

from .conftest import PASS


def test_identity_round_trips_through_the_passphrase(applicant):
    loaded = keyring.load_identity(applicant.store, PASS)
    assert loaded.fingerprint == applicant.identity.fingerprint
    assert loaded.box_public == applicant.identity.box_public


def test_wrong_passphrase_is_one_clear_line(applicant):
    with pytest.raises(rpu.PassphraseError) as err:
        keyring.load_identity(applicant.store, "wrong")
    assert "口令不正确" in str(err.value) and "\n" not in str(err.value)


def test_private_keys_are_not_stored_in_clear(applicant):
    stored = str(applicant.store.get_setting(keyring.IDENTITY_KEY))
    raw = applicant.identity.sign_private.private_bytes_raw()
    assert rk.b64(raw) not in stored and raw.hex() not in stored


def test_missing_identity_says_what_to_do(tmp_path):
    with Store(tmp_path / "x.db") as store:
        with pytest.raises(rpu.IdentityError, match="keys generate"):
            keyring.load_identity(store, PASS)


def test_generate_twice_is_refused_without_replace(applicant):
    with pytest.raises(rpu.IdentityError, match="已有密钥"):
        keyring.generate_identity(applicant.store, PASS)


def test_public_block_round_trip_and_fingerprint(office):
    block = keyring.public_key_block(office.store)
    assert block.startswith(rk.BEGIN) and rk.END in block
    key = rk.decode_public(block)
    assert key.fingerprint == office.identity.fingerprint
    assert key.box_public == office.identity.box_public
    assert key.name == "受理方"


def test_altered_public_block_is_refused(office):
    block = keyring.public_key_block(office.store)
    lines = block.splitlines()
    lines[3] = lines[3][:10] + ("A" if lines[3][10] != "A" else "B") + lines[3][11:]
    with pytest.raises(rpu.IdentityError):
        rk.decode_public("\n".join(lines))
    with pytest.raises(rpu.IdentityError, match="BEGIN"):
        rk.decode_public("hello")


def test_import_recipient_from_file_and_defaults(applicant, office, tmp_path):
    path = tmp_path / "office.pub"
    path.write_text(keyring.public_key_block(office.store), encoding="utf-8")
    key = keyring.import_recipient(applicant.store, path, "区人社厅")
    assert key.name == "区人社厅"
    assert [r.fingerprint for r in keyring.list_recipients(applicant.store)] == [key.fingerprint]
    defaults = [r.fingerprint for r in keyring.default_recipients(applicant.store)]
    shipped = [k.fingerprint for k in rk.shipped_keys()]
    assert shipped and defaults == shipped + [key.fingerprint]
    # importing again replaces rather than duplicates
    keyring.import_recipient(applicant.store, str(path), "区人社厅")
    assert len(keyring.list_recipients(applicant.store)) == 1


def test_shipped_region_key_is_public_only():
    from collector.common.paths import resources_dir

    for path in (resources_dir() / "keys").iterdir():
        assert "PRIVATE" not in path.read_text(encoding="utf-8")


def test_change_passphrase_keeps_the_keys_and_wrong_old_changes_nothing(applicant):
    store = applicant.store
    before = store.get_setting(keyring.IDENTITY_KEY)
    with pytest.raises(rpu.PassphraseError, match="口令不正确"):
        keyring.change_passphrase(store, "wrong", "new-passphrase")
    with pytest.raises(rpu.PassphraseError, match="至少 6 个字符"):
        keyring.change_passphrase(store, PASS, "short")
    assert store.get_setting(keyring.IDENTITY_KEY) == before
    assert keyring.load_identity(store, PASS).fingerprint == applicant.identity.fingerprint
    keyring.change_passphrase(store, PASS, "new-passphrase")
    assert keyring.load_identity(store, "new-passphrase").fingerprint == applicant.identity.fingerprint
    with pytest.raises(rpu.PassphraseError):
        keyring.load_identity(store, PASS)


def test_remove_recipient_by_name_or_fingerprint_but_never_the_shipped_key(applicant, office,
                                                                         stranger):
    store = applicant.store
    for inst in (office, stranger):
        keyring.import_recipient(store, keyring.public_key_block(inst.store))
    assert keyring.remove_recipient(store, "受理方").fingerprint == office.identity.fingerprint
    grouped = rk.grouped(stranger.identity.fingerprint)[:24]  # "ABCD EF01 …", 20 hex digits
    assert keyring.remove_recipient(store, grouped).fingerprint == stranger.identity.fingerprint
    assert keyring.list_recipients(store) == []
    with pytest.raises(NotFoundError, match="没有找到接收方"):
        keyring.remove_recipient(store, "受理方")
    [shipped] = rk.shipped_keys()
    with pytest.raises(rpu.IdentityError, match="内置的自治区公钥.*不能删除"):
        keyring.remove_recipient(store, shipped.fingerprint)
    assert shipped.fingerprint in {k.fingerprint for k in keyring.default_recipients(store)}
