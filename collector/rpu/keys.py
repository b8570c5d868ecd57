"""Keys and their formats: an identity (Ed25519 signing + X25519 decryption), its private keys
sealed with AES-256-GCM under a scrypt key from the passphrase, and public key blocks. The
region office's demo public key ships in ``resources/keys/*.pub``. Where an installation keeps
its keys is ``exchange.keyring``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ..common.errors import InputError
from ..common.fingerprint import canonical_json, short
from ..common.paths import resources_dir
from ..common.textfile import read_user_text
from .errors import IdentityError, PassphraseError
from .format import b64

BEGIN = "-----BEGIN TALENT COLLECTOR PUBLIC KEY-----"
END = "-----END TALENT COLLECTOR PUBLIC KEY-----"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
MAX_SCRYPT_N = 2 ** 16  # what a sealed record (read from a backup, say) may make us spend
MIN_PASSPHRASE = 6  # for a new passphrase; the UI asks the same when keys are generated
PASSPHRASE_TRIES = 3  # a wrong passphrase is asked again (CLI prompt, GUI) this many times in all


def key_fingerprint(sign_public: bytes) -> str:
    """SHA-256 (hex) of the raw Ed25519 public key."""
    return hashlib.sha256(sign_public).hexdigest()


def grouped(fingerprint: str) -> str:
    """The whole fingerprint in groups of four, for reading over the phone."""
    return " ".join(fingerprint.upper()[i:i + 4] for i in range(0, len(fingerprint), 4))


@dataclass(frozen=True)
class PublicKey:
    """Someone's public keys: a recipient, the shipped region key, or our own public half."""

    name: str
    unit: str
    sign_public: bytes
    box_public: bytes
    default: bool = True
    source: str = ""

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.sign_public)

    @property
    def short(self) -> str:
        return short(self.fingerprint)

    def to_json(self) -> dict:
        return {"name": self.name, "unit": self.unit, "sign_public": b64(self.sign_public),
                "box_public": b64(self.box_public), "fingerprint": self.fingerprint,
                "default": self.default, "source": self.source}


Recipient = PublicKey


@dataclass(frozen=True)
class Identity:
    """This installation's keys, unsealed with the passphrase."""

    name: str
    unit: str
    sign_private: Ed25519PrivateKey
    box_private: X25519PrivateKey

    @property
    def sign_public(self) -> bytes:
        return self.sign_private.public_key().public_bytes_raw()

    @property
    def box_public(self) -> bytes:
        return self.box_private.public_key().public_bytes_raw()

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.sign_public)

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.name, self.unit, self.sign_public, self.box_public, True, "本机")


# -- identity ------------------------------------------------------------------------------
def _kdf(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(
        passphrase.encode("utf-8"))


def seal(identity: Identity, passphrase: str) -> dict:
    """The private keys encrypted under a key derived from ``passphrase`` (fresh salt, nonce)."""
    salt, nonce = os.urandom(16), os.urandom(12)
    secret = (identity.sign_private.private_bytes_raw()
              + identity.box_private.private_bytes_raw())
    sealed = AESGCM(_kdf(passphrase, salt)).encrypt(nonce, secret,
                                                     identity.fingerprint.encode())
    return {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
            "salt": b64(salt), "nonce": b64(nonce), "ciphertext": b64(sealed)}


def check_new_passphrase(passphrase: str, note: str = "") -> None:
    """The one rule for a new passphrase (keys generate, keys passphrase, the GUI)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseError(f"新口令至少 {MIN_PASSPHRASE} 个字符，请重新输入{note}")


def unseal(v: dict, passphrase: str) -> Identity:
    """The identity sealed in ``v`` (the ``rpu.identity`` setting, e.g. read from a backup's
    database), opened with ``passphrase``."""
    try:
        s = v["sealed"]
        salt, nonce = base64.b64decode(s["salt"]), base64.b64decode(s["nonce"])
        sealed = base64.b64decode(s["ciphertext"])
        n, r, p, aad = int(s["n"]), int(s["r"]), int(s["p"]), v["fingerprint"].encode()
        if n > MAX_SCRYPT_N or r > SCRYPT_R or p > SCRYPT_P:  # e.g. a backup's: bounded work
            raise ValueError("scrypt cost")
        key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise IdentityError("数据库中的本机密钥记录已损坏，请重新生成密钥") from None
    try:
        secret = AESGCM(key).decrypt(nonce, sealed, aad)
    except InvalidTag:
        raise PassphraseError("口令不正确，无法解开本机私钥，请重新输入") from None
    except ValueError:  # a nonce of the wrong length
        raise IdentityError("数据库中的本机密钥记录已损坏，请重新生成密钥") from None
    if len(secret) != 64:
        raise IdentityError("数据库中的本机密钥记录已损坏，请重新生成密钥")
    identity = Identity(v.get("name", ""), v.get("unit", ""),
                        Ed25519PrivateKey.from_private_bytes(secret[:32]),
                        X25519PrivateKey.from_private_bytes(secret[32:]))
    if identity.fingerprint != v["fingerprint"]:
        raise IdentityError("数据库中的本机密钥记录不一致，请重新生成密钥")
    return identity


# -- public key blocks -----------------------------------------------------------------------
def encode_public(key: PublicKey) -> str:
    body = canonical_json({"v": 1, "name": key.name, "unit": key.unit,
                           "sign": b64(key.sign_public), "box": b64(key.box_public)})
    text = base64.b64encode(body).decode("ascii")
    lines = [BEGIN, f"Fingerprint: {grouped(key.fingerprint)}", ""]
    lines += [text[i:i + 64] for i in range(0, len(text), 64)]
    lines.append(END)
    return "\n".join(lines) + "\n"


def decode_public(text: str, source: str = "公钥") -> PublicKey:
    """Parse a public key block; the Fingerprint line, when present, must match."""
    m = re.search(re.escape(BEGIN) + r"(.*?)" + re.escape(END), text, re.S)
    if not m:
        raise IdentityError(f"{source} 不是人才信息采集的公钥（缺少 BEGIN/END 行）")
    claimed, body = None, []
    for line in m.group(1).strip().splitlines():
        line = line.strip()
        if line.lower().startswith("fingerprint:"):
            claimed = "".join(line.split(":", 1)[1].split()).lower()
        elif line:
            body.append(line)
    try:
        data = json.loads(base64.b64decode("".join(body), validate=True).decode("utf-8"))
        key = PublicKey(str(data.get("name", "")), str(data.get("unit", "")),
                        base64.b64decode(data["sign"], validate=True),
                        base64.b64decode(data["box"], validate=True), True, "")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise IdentityError(f"{source} 内容已损坏，请向对方重新索取公钥") from None
    if data.get("v") != 1 or len(key.sign_public) != 32 or len(key.box_public) != 32:
        raise IdentityError(f"{source} 的版本或密钥长度不受支持")
    if claimed and claimed != key.fingerprint:
        raise IdentityError(f"{source} 的指纹行与密钥不符，公钥可能在传递中被改动")
    return key


# -- recipients --------------------------------------------------------------------------------
def from_json(v: dict) -> PublicKey:
    return PublicKey(v.get("name", ""), v.get("unit", ""), base64.b64decode(v["sign_public"]),
                     base64.b64decode(v["box_public"]), bool(v.get("default", True)),
                     v.get("source", ""))


def read_public_file(path: str | os.PathLike) -> PublicKey:
    """A public key from a file holding its block (as ``collector keys export`` writes it)."""
    path = Path(path)
    try:
        text = read_user_text(path, f"公钥文件 {path}", max_bytes=1 << 20)
    except InputError as err:
        raise IdentityError(f"{err}；请重新选择公钥文件") from None
    key = decode_public(text, f"公钥文件 {path.name}")
    return PublicKey(key.name, key.unit, key.sign_public, key.box_public, True, f"公钥文件 {path.name}")


def is_shipped(fingerprint: str) -> bool:
    return any(k.fingerprint == fingerprint for k in shipped_keys())


def shipped_keys() -> list[PublicKey]:
    """The public keys shipped in resources/keys/ (the region office's demo key)."""
    out = []
    for path in sorted((resources_dir() / "keys").glob("*.pub")):
        key = decode_public(path.read_text(encoding="utf-8"), f"内置公钥 {path.name}")
        out.append(PublicKey(key.name, key.unit, key.sign_public, key.box_public, True,
                             f"内置 {path.name}"))
    return out


