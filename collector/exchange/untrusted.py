"""Signer keys this office refuses: packages signed by them are not imported (setting
``office.untrusted``: list of {fingerprint, note, at})."""

from __future__ import annotations

import re

from ..common.errors import InputError
from ..common.fingerprint import short
from ..storage.store import Store, now_text

SETTING = "office.untrusted"


def _clean(fingerprint: str) -> str:
    fp = "".join(ch for ch in fingerprint.lower() if ch in "0123456789abcdef")
    if not re.fullmatch(r"[0-9a-f]{16,64}", fp):
        raise InputError(f"“{fingerprint}”不是有效的密钥指纹（至少 16 位十六进制）",
                         field="fingerprint")
    return fp


def list_untrusted(store: Store) -> list[dict]:
    value = store.get_setting(SETTING, [])
    return [v for v in value if isinstance(v, dict) and v.get("fingerprint")] if isinstance(
        value, list) else []


def mark_untrusted(store: Store, fingerprint: str, note: str = "") -> str:
    fp = _clean(fingerprint)
    rest = [v for v in list_untrusted(store) if v["fingerprint"] != fp]
    store.set_setting(SETTING, rest + [{"fingerprint": fp, "note": note, "at": now_text()}])
    return fp


def mark_trusted(store: Store, fingerprint: str) -> bool:
    fp = _clean(fingerprint)
    before = list_untrusted(store)
    rest = [v for v in before if not v["fingerprint"].startswith(fp)]
    store.set_setting(SETTING, rest)
    return len(rest) != len(before)


def untrusted_reason(store: Store, signer_fingerprint: str) -> str | None:
    """Why a package by this signer is refused, or None. A marked prefix matches too."""
    return untrusted_in(list_untrusted(store), signer_fingerprint)


def untrusted_in(marked: list[dict], signer_fingerprint: str) -> str | None:
    """``untrusted_reason`` against the list read once (``list_untrusted``)."""
    fp = signer_fingerprint.lower()
    for v in marked:
        if fp.startswith(v["fingerprint"]):
            note = f"（{v['note']}）" if v.get("note") else ""
            return (f"签名密钥 {short(fp)} 已被本机标记为不可信{note}，报送包被拒收；"
                    "如确属误标，请先取消标记（collector signers --trust 指纹）")
    return None
