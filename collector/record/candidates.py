"""Naming a candidate on the command line (and wherever a user types one): the one resolver.

A key is a 编号 (the store's id, or a unique prefix of 4+ characters), a 人选代码, or a
公民身份号码. Every command that takes a candidate resolves it here, so they all accept the
same keys and say the same thing when a key is unknown or matches more than one person.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable

from ..common.errors import NotFoundError

MIN_PREFIX = 4  # shorter id prefixes match too many candidates to be useful


@dataclass(frozen=True)
class Ref:
    """What a key is matched against."""

    id: str
    id_number: str = ""
    code: str = ""   # 人选代码
    name: str = ""


def clean_key(key: str) -> str:
    """Full-width digits and letters typed by an IME mean their ASCII forms."""
    return unicodedata.normalize("NFKC", str(key)).strip()


def matches(key: str, ref: Ref) -> bool:
    key = clean_key(key)
    if not key:
        return False
    return (ref.id == key
            or (len(key) >= MIN_PREFIX and ref.id.startswith(key.lower()))
            or (bool(ref.id_number) and ref.id_number.upper() == key.upper())
            or (bool(ref.code) and ref.code == key))


def resolve(key: str, refs: Iterable[Ref], *, where: str = "") -> Ref:
    """The one candidate ``key`` names among ``refs``; NotFoundError when none or several."""
    key = clean_key(key)
    refs = list(refs)
    exact = [r for r in refs if r.id == key]
    if exact:
        return exact[0]
    found = {r.id: r for r in refs if matches(key, r)}
    place = f"{where}中" if where else ""
    if not found:
        hint = "" if len(key) >= MIN_PREFIX or not key else f"（编号前缀至少 {MIN_PREFIX} 位）"
        raise NotFoundError(f"{place}没有编号、人选代码或身份证号为“{key}”的候选人{hint}")
    if len(found) > 1:
        names = "、".join(f"{r.id[:8]} {r.name}".strip() for r in list(found.values())[:5])
        raise NotFoundError(f"“{key}”对应{place}多名候选人（{names}），请给出更长的编号或身份证号")
    return next(iter(found.values()))
