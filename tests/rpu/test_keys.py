from __future__ import annotations

import pytest

from collector import rpu
from collector.rpu import keys as rk
from collector.store import Store

from .conftest import PASS


def test_identity_round_trips_through_the_passphrase(applicant):
    loaded = rpu.load_identity(applicant.store, PASS)
    assert loaded.fingerprint == applicant.identity.fingerprint
    assert loaded.box_public == applicant.identity.box_public


def test_wrong_passphrase_is_one_clear_line(applicant):
    with pytest.raises(rpu.PassphraseError) as err:
        rpu.load_identity(applicant.store, "wrong")
    assert "口令不正确" in str(err.value) and "\n" not in str(err.value)


def test_private_keys_are_not_stored_in_clear(applicant):
    stored = str(applicant.store.get_setting(rk.IDENTITY_KEY))
    raw = applicant.identity.sign_private.private_bytes_raw()
    assert rk.b64(raw) not in stored and raw.hex() not in stored


def test_missing_identity_says_what_to_do(tmp_path):
    with Store(tmp_path / "x.db") as store:
        with pytest.raises(rpu.IdentityError, match="keys generate"):
            rpu.load_identity(store, PASS)


def test_generate_twice_is_refused_without_replace(applicant):
    with pytest.raises(rpu.IdentityError, match="已有密钥"):
        rpu.generate_identity(applicant.store, PASS)


def test_public_block_round_trip_and_fingerprint(office):
    block = rpu.public_key_block(office.store)
    assert block.startswith(rk.BEGIN) and rk.END in block
    key = rk.decode_public(block)
    assert key.fingerprint == office.identity.fingerprint
    assert key.box_public == office.identity.box_public
    assert key.name == "受理方"


def test_altered_public_block_is_refused(office):
    block = rpu.public_key_block(office.store)
    lines = block.splitlines()
    lines[3] = lines[3][:10] + ("A" if lines[3][10] != "A" else "B") + lines[3][11:]
    with pytest.raises(rpu.IdentityError):
        rk.decode_public("\n".join(lines))
    with pytest.raises(rpu.IdentityError, match="BEGIN"):
        rk.decode_public("hello")


def test_import_recipient_from_file_and_defaults(applicant, office, tmp_path):
    path = tmp_path / "office.pub"
    path.write_text(rpu.public_key_block(office.store), encoding="utf-8")
    key = rpu.import_recipient(applicant.store, path, "区人社厅")
    assert key.name == "区人社厅"
    assert [r.fingerprint for r in rpu.list_recipients(applicant.store)] == [key.fingerprint]
    defaults = [r.fingerprint for r in rpu.default_recipients(applicant.store)]
    shipped = [k.fingerprint for k in rk.shipped_keys()]
    assert shipped and defaults == shipped + [key.fingerprint]
    # importing again replaces rather than duplicates
    rpu.import_recipient(applicant.store, str(path), "区人社厅")
    assert len(rpu.list_recipients(applicant.store)) == 1


def test_shipped_region_key_is_public_only():
    from collector.paths import resources_dir

    for path in (resources_dir() / "keys").iterdir():
        assert "PRIVATE" not in path.read_text(encoding="utf-8")
