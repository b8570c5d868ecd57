"""Who made a backup, and what trust it brings.

The installation's Ed25519 identity signs the backup's manifest, which holds the database's
SHA-256 and the name (= SHA-256) of every attachment: a backup whose database was edited and
whose digest was recomputed no longer verifies. A restore accepts the signer when it is this
installation (the database being replaced holds the same key) or when the passphrase opens the
key stored in the backup's own database and that key is the signer; anything else is refused
unless the operator explicitly takes an unverified backup, and then it is said loudly.
After a restore, ``trust_lines`` names the trust-bearing data the backup brought, counted in
the restored database itself.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..common.errors import CollectorError, InputError
from ..common.fingerprint import canonical_json, short
from ..common.paths import sqlite_uri

SIGNATURE = "signature"
_DOMAIN = b"talent-collector-backup-manifest\x00"
IDENTITY_KEY, RECIPIENTS_KEY, UNTRUSTED_KEY = "rpu.identity", "rpu.recipients", "office.untrusted"
Ask = Callable[[], str]


class BackupUnverified(InputError):
    """The backup's maker cannot be verified as this installation (or it is not signed)."""


@dataclass
class Proof:
    signer: str = ""       # fingerprint of the signing key; "" when the backup is not signed
    verified_by: str = ""  # how the signer was found to be this installation; "" = it was not
    problem: str = ""      # why not

    @property
    def verified(self) -> bool:
        return bool(self.verified_by)

    def text(self) -> str:
        if self.verified:
            return f"签名已核对：由本机密钥 {short(self.signer)} 制作（{self.verified_by}）"
        return f"未能核实由本机制作：{self.problem}"


def sign(manifest: dict, identity) -> dict:
    """``manifest`` with the identity's signature over all its other fields."""
    body = _DOMAIN + canonical_json({k: v for k, v in manifest.items() if k != SIGNATURE})
    return dict(manifest, **{SIGNATURE: {
        "fingerprint": identity.fingerprint,
        "public": base64.b64encode(identity.sign_public).decode("ascii"),
        "value": base64.b64encode(identity.sign_private.sign(body)).decode("ascii")}})


def check(manifest: dict, backup_db: Path, label: str, *, own: str = "",
          ask: Ask | None = None) -> Proof:
    """Who made the backup. A signature that does not verify (the manifest changed after it
    was signed) raises; a valid one by a key not shown to be ours gives a Proof with a problem."""
    sig = manifest.get(SIGNATURE)
    if sig is None:
        return Proof(problem="备份没有签名（由旧版程序或没有本机密钥时制作），无法证明未被改动")
    signer = _verify_signature(manifest, sig, label)
    if own and own == signer:
        return Proof(signer, "与本机数据库中的密钥相同")
    stored = _setting(backup_db, IDENTITY_KEY)
    if not isinstance(stored, dict) or stored.get("fingerprint") != signer:
        return Proof(signer, problem=f"签名密钥 {short(signer)} 既不是本机的密钥，也不是备份中保存的"
                                     "本机密钥，备份可能被他人改动后重新签名")
    if ask is None:
        return Proof(signer, problem=f"签名密钥 {short(signer)} 不是本机现有的密钥；"
                                     "请输入备份时的本机口令以核对")
    from ..rpu.keys import unseal

    try:  # unseal checks that what it opens is the stored fingerprint, i.e. the signer
        unseal(stored, ask())
    except CollectorError as err:
        return Proof(signer, problem=f"备份中的密钥无法用所给口令打开（{err}）")
    return Proof(signer, "备份时的本机口令已核对")


def _verify_signature(manifest: dict, sig: object, label: str) -> str:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from ..rpu.keys import key_fingerprint

    body = _DOMAIN + canonical_json({k: v for k, v in manifest.items() if k != SIGNATURE})
    try:
        assert isinstance(sig, dict)
        public = base64.b64decode(sig["public"], validate=True)
        Ed25519PublicKey.from_public_bytes(public).verify(
            base64.b64decode(sig["value"], validate=True), body)
        if key_fingerprint(public) != sig["fingerprint"]:
            raise ValueError("fingerprint")
    except (AssertionError, KeyError, TypeError, ValueError, InvalidSignature):
        raise InputError(f"{label} 的签名不符：清单在签名后被改动，备份可能已被篡改，不能使用") from None
    return key_fingerprint(public)


def own_fingerprint(db_path: Path) -> str:
    """The fingerprint of the key in the database a restore would replace ("" if none)."""
    if not Path(db_path).is_file():
        return ""
    value = _setting(Path(db_path), IDENTITY_KEY)
    return str(value.get("fingerprint", "")) if isinstance(value, dict) else ""


def _setting(db: Path, key: str) -> object:
    try:
        conn = sqlite3.connect(sqlite_uri(db), uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key=?", [key]).fetchone()
        finally:
            conn.close()
        return json.loads(row[0]) if row else None
    except (sqlite3.DatabaseError, ValueError, TypeError):
        return None


def trust_lines(db: Path) -> list[str]:
    """The trust-bearing data in the database ``db`` (after a restore: what it brought),
    counted in the database itself."""
    conn = sqlite3.connect(sqlite_uri(db), uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}

        def count(sql: str) -> int:
            return conn.execute(sql).fetchone()[0]

        def setting(key: str) -> object:
            row = conn.execute("SELECT value FROM settings WHERE key=?", [key]).fetchone()
            return json.loads(row[0]) if row else None

        identity = setting(IDENTITY_KEY)
        own = identity.get("fingerprint") if isinstance(identity, dict) else None
        recipients, untrusted = setting(RECIPIENTS_KEY) or [], setting(UNTRUSTED_KEY) or []
        lines = [f"候选人 {count('SELECT count(*) FROM candidates')} 名",
                 f"本机密钥 {short(own) if isinstance(own, str) else '无'}",
                 f"接收方公钥 {_len(recipients)} 个{_keys(recipients)}",
                 f"不可信名单 {_len(untrusted)} 个{_keys(untrusted)}"]
        if "paper_checks" in tables:
            checks = count("SELECT count(*) FROM paper_checks")
            matched = count("SELECT count(*) FROM paper_checks WHERE status='matched'")
            lines.append(f"纸质材料核对结果 {checks} 条（其中一致 {matched} 条）")
        accepts = count("SELECT count(*) FROM audit WHERE action='provenance_accept'")
        lines.append(f"接受暂扣人选 {accepts} 条")
        for table in sorted(t for t in tables if "register" in t):  # the key register, if kept
            lines.append(f"密钥登记（{table}）{count(f'SELECT count(*) FROM [{table}]')} 条")
    finally:
        conn.close()
    return lines


def _len(entries: object) -> int:
    return len(entries) if isinstance(entries, list) else 0


def _keys(entries: object) -> str:
    if not isinstance(entries, list) or not entries:
        return ""
    shown = [short(str(e.get("fingerprint", ""))) for e in entries[:5] if isinstance(e, dict)]
    if not shown:
        return ""
    return "：" + "、".join(shown) + ("等" if len(entries) > 5 else "")
