"""This installation's keys in its store: the identity (public keys in clear, private keys
sealed under the passphrase, ``rpu.keys.seal``) in the setting ``rpu.identity``, and the
recipients imported here in ``rpu.recipients``. The key formats themselves are ``rpu.keys``.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..common.errors import InputError, NotFoundError
from ..common.fingerprint import matches, short
from ..common.timefmt import now_text
from ..rpu.errors import IdentityError, NotForThisKey, PassphraseError
from ..rpu.format import b64
from ..rpu.keys import (BEGIN, Identity, PublicKey, check_new_passphrase, decode_public,
                        encode_public, from_json, read_public_file, seal, shipped_keys, unseal)
from ..storage.store import Store

IDENTITY_KEY = "rpu.identity"
RECIPIENTS_KEY = "rpu.recipients"


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
        "fingerprint": identity.fingerprint, "sealed": seal(identity, passphrase),
    })
    return identity


def change_passphrase(store: Store, old: str, new: str) -> Identity:
    """Seal the same keys under ``new``: the fingerprint, and every package sent or received,
    stay valid. A wrong ``old`` (PassphraseError) or a too short ``new`` changes nothing."""
    identity = load_identity(store, old)
    check_new_passphrase(new, "；原口令仍然有效")
    value = dict(_stored(store))
    value["sealed"] = seal(identity, new)
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


def public_key_block(store: Store) -> str:
    """This installation's public key as one text block that can be mailed or printed."""
    return encode_public(stored_public(store))


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
    return [from_json(v) for v in store.get_setting(RECIPIENTS_KEY, [])]


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
