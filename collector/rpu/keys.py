"""This installation's identity (Ed25519 signing + X25519 decryption) and its recipients.

Both live in the store's settings: ``rpu.identity`` (public keys in clear, private keys sealed
with AES-256-GCM under a scrypt key from the passphrase) and ``rpu.recipients``. The region
office's demo public key ships in ``resources/keys/*.pub`` and is always a default recipient.
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

from ..errors import InputError, NotFoundError
from ..fingerprint import canonical_json, matches, short
from ..paths import resources_dir
from ..store import Store, now_text
from ..textfile import read_user_text
from .errors import IdentityError, NotForThisKey, PassphraseError
from .format import b64

IDENTITY_KEY = "rpu.identity"
RECIPIENTS_KEY = "rpu.recipients"
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


def has_identity(store: Store) -> bool:
    return bool(store.get_setting(IDENTITY_KEY))


def refuse_existing(store: Store) -> None:
    """Raise IdentityError when this installation already has keys (asked before a passphrase)."""
    if has_identity(store):
        raise IdentityError(f"本机已有密钥（指纹 {short(stored_public(store).fingerprint)}），"
                            "如确需重新生成请使用 --force（旧密钥收到的报送文件将无法再打开）")


def generate_identity(store: Store, passphrase: str, name: str = "", unit: str = "",
                      *, replace: bool = False) -> Identity:
    """Make new keys for this installation and store them sealed with ``passphrase``."""
    if not passphrase:
        raise PassphraseError("口令不能为空，请设置一个口令来保护本机私钥")
    if not replace:
        refuse_existing(store)
    identity = Identity(name, unit, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
    store.set_setting(IDENTITY_KEY, {
        "version": 1, "name": name, "unit": unit, "created": now_text(),
        "sign_public": b64(identity.sign_public), "box_public": b64(identity.box_public),
        "fingerprint": identity.fingerprint, "sealed": _seal(identity, passphrase),
    })
    return identity


def _seal(identity: Identity, passphrase: str) -> dict:
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


def change_passphrase(store: Store, old: str, new: str) -> Identity:
    """Seal the same keys under ``new``: the fingerprint, and every package sent or received,
    stay valid. A wrong ``old`` (PassphraseError) or a too short ``new`` changes nothing."""
    identity = load_identity(store, old)
    check_new_passphrase(new, "；原口令仍然有效")
    value = dict(_stored(store))
    value["sealed"] = _seal(identity, new)
    value["passphrase_changed"] = now_text()
    store.set_setting(IDENTITY_KEY, value)
    return identity


def _stored(store: Store) -> dict:
    value = store.get_setting(IDENTITY_KEY)
    if not value:
        raise IdentityError("本机还没有密钥，请先运行 collector keys generate（或在设置中生成密钥）")
    return value


def stored_public(store: Store) -> PublicKey:
    """Our own public keys; no passphrase needed."""
    v = _stored(store)
    try:
        return PublicKey(v.get("name", ""), v.get("unit", ""),
                         base64.b64decode(v["sign_public"]), base64.b64decode(v["box_public"]),
                         True, "本机")
    except (KeyError, TypeError, ValueError):
        raise IdentityError("数据库中的本机密钥记录已损坏，请重新生成密钥") from None


def load_identity(store: Store, passphrase: str) -> Identity:
    """Unseal this installation's private keys; a wrong passphrase raises PassphraseError."""
    return unseal(_stored(store), passphrase)


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


def public_key_block(store: Store) -> str:
    """This installation's public key as one text block that can be mailed or printed."""
    return encode_public(stored_public(store))


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
def _from_json(v: dict) -> PublicKey:
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


def import_recipient(store: Store, text_or_path: str | os.PathLike, name: str = "",
                     *, default: bool = True) -> PublicKey:
    """Add (or replace, by fingerprint) a recipient from a public key block or a file holding one."""
    text = str(text_or_path)
    key = decode_public(text, "公钥") if BEGIN in text else read_public_file(text_or_path)
    key = PublicKey(name or key.name, key.unit, key.sign_public, key.box_public, default,
                    key.source or "公钥")
    others = [r for r in store.get_setting(RECIPIENTS_KEY, []) if r.get("fingerprint") != key.fingerprint]
    store.set_setting(RECIPIENTS_KEY, others + [key.to_json()])
    return key


def list_recipients(store: Store) -> list[PublicKey]:
    return [_from_json(v) for v in store.get_setting(RECIPIENTS_KEY, [])]


def _key_matches(key: PublicKey, wanted: str) -> bool:
    who = " ".join(x for x in (key.unit, key.name) if x)
    return wanted in (key.name, key.unit, who) or matches(wanted, key.fingerprint)


def remove_recipient(store: Store, name_or_fingerprint: str) -> PublicKey:
    """Forget an imported recipient, named by its name, unit or fingerprint (at least 16 hex
    digits, dashes or spaces allowed). The shipped region key cannot be removed."""
    wanted = name_or_fingerprint.strip()
    if not wanted:
        raise InputError("请指定要删除的接收方：名称或指纹", field="recipient")
    found = [k for k in list_recipients(store) if _key_matches(k, wanted)]
    if not found:
        shipped = [k for k in shipped_keys() if _key_matches(k, wanted)]
        if shipped:
            raise IdentityError(f"“{wanted}”是程序内置的自治区公钥（指纹 {shipped[0].short}），"
                                "报送文件总是加密给它，不能删除")
        raise NotFoundError(f"没有找到接收方“{wanted}”；请用 collector keys show 查看已导入的"
                            "接收方，按名称或指纹（至少前 16 位）指定")
    if len({k.fingerprint for k in found}) > 1:
        listed = "、".join(f"{k.name or k.unit}（{k.short}）" for k in found)
        raise InputError(f"有多个接收方符合“{wanted}”：{listed}；请用指纹指定要删除的一个",
                         field="recipient")
    key = found[0]
    store.set_setting(RECIPIENTS_KEY, [r for r in store.get_setting(RECIPIENTS_KEY, [])
                                       if r.get("fingerprint") != key.fingerprint])
    return key


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


def default_recipients(store: Store) -> list[PublicKey]:
    """The shipped region key plus imported recipients marked default, without repeats."""
    seen: dict[str, PublicKey] = {}
    for key in shipped_keys() + [r for r in list_recipients(store) if r.default]:
        seen.setdefault(key.fingerprint, key)
    return list(seen.values())


def known_name(store: Store, fingerprint: str) -> str | None:
    """Who a fingerprint belongs to, if we know: ourselves, a recipient, or a shipped key."""
    if has_identity(store) and stored_public(store).fingerprint == fingerprint:
        return "本机"
    for key in list_recipients(store) + shipped_keys():
        if key.fingerprint == fingerprint:
            return " ".join(dict.fromkeys(x for x in (key.unit, key.name) if x)) or key.source
    return None


def name_recipients(store: Store, err: "NotForThisKey") -> "NotForThisKey":
    """The same refusal, with each recipient named from the keys this installation knows."""
    return err.named({f: known_name(store, f) for f in err.recipients})
