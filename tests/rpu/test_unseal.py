"""A sealed identity read from elsewhere (a backup's database, backup_proof.py) is opened with
bounded work and refused in one line when it is malformed, never with an internal error."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from collector.rpu import keys as rk
from collector.rpu.errors import IdentityError, PassphraseError
from collector.exchange import keyring

from .conftest import PASS

BROKEN = "数据库中的本机密钥记录已损坏，请重新生成密钥"


def _stored(applicant) -> dict:
    return applicant.store.get_setting(keyring.IDENTITY_KEY)


def _resealed(value: dict, secret: bytes, *, n: int, r: int = 8, p: int = 1) -> dict:
    salt, nonce = os.urandom(16), os.urandom(12)
    key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(PASS.encode())
    sealed = AESGCM(key).encrypt(nonce, secret, value["fingerprint"].encode())
    b = lambda data: base64.b64encode(data).decode()  # noqa: E731
    return dict(value, sealed={"kdf": "scrypt", "n": n, "r": r, "p": p, "salt": b(salt),
                               "nonce": b(nonce), "ciphertext": b(sealed)})


def _secret(applicant) -> bytes:
    ident = applicant.identity
    return ident.sign_private.private_bytes_raw() + ident.box_private.private_bytes_raw()


def test_the_largest_cost_allowed_still_opens(applicant):
    value = _resealed(_stored(applicant), _secret(applicant), n=rk.MAX_SCRYPT_N)
    assert rk.unseal(value, PASS).fingerprint == applicant.identity.fingerprint
    assert rk.MAX_SCRYPT_N == 2 ** 16 and (rk.SCRYPT_R, rk.SCRYPT_P) == (8, 1)


@pytest.mark.parametrize("field, value", [("n", 2 ** 17), ("r", 9), ("p", 2)])
def test_a_cost_past_the_bound_is_refused_before_any_work(applicant, field, value, monkeypatch):
    stored = _stored(applicant)
    stored["sealed"] = dict(stored["sealed"], **{field: value})
    monkeypatch.setattr(rk, "Scrypt", lambda **kw: pytest.fail(f"scrypt ran with {kw}"))
    with pytest.raises(IdentityError) as err:
        rk.unseal(stored, PASS)
    assert str(err.value) == BROKEN


@pytest.mark.parametrize("damage", ["nonce", "fingerprint", "short_secret", "no_sealed"])
def test_a_malformed_record_is_one_line(applicant, damage):
    stored = _stored(applicant)
    if damage == "nonce":
        stored["sealed"] = dict(stored["sealed"], nonce=base64.b64encode(b"123").decode())
    elif damage == "fingerprint":
        stored["fingerprint"] = 12345
    elif damage == "short_secret":
        stored = _resealed(stored, _secret(applicant)[:32], n=2 ** 10)
    else:
        del stored["sealed"]
    with pytest.raises(IdentityError) as err:
        rk.unseal(stored, PASS)
    assert str(err.value) == BROKEN


def test_the_wrong_passphrase_is_still_said_as_such(applicant):
    with pytest.raises(PassphraseError):
        rk.unseal(_stored(applicant), "not-the-passphrase")
