"""The shape of a level package's ``documents/sources.json`` (written by ``office/package.py``),
checked before anything reads it: it comes from the level below, so it may be anything.

    {ID number: {"package": nested part name or null, "sha256", "file",
                 "provenance", "applicant_key", "applicant_record",
                 "accepted": {reason, actor, at, held}, "paper": {status, label, at}}}

``read_sources`` gives the parsed document or one FORMAT line naming the entry and the key.
"""

from __future__ import annotations

from typing import Any, NoReturn

from ..common.errors import InputError
from ..common.jsonio import parse_json_bytes
from ..common.text import shown
from .documents import SOURCES_DOC

# Keys whose value, when present, is text (the nested package's name may also be null).
_TEXT = ("sha256", "file", "provenance", "applicant_key", "applicant_record")
_OBJECTS = ("accepted", "paper")
MAX_ENTRIES = 10_000  # far above any level's candidates (a region has 15)


class SourcesError(InputError):
    """``documents/sources.json`` is not what a level package holds."""


def read_sources(data: bytes) -> dict[str, dict[str, Any]]:
    """Parse and check ``documents/sources.json``; raises SourcesError (one FORMAT line)."""
    try:
        raw = parse_json_bytes(data, SOURCES_DOC)
    except InputError as err:
        raise SourcesError(f"FORMAT：{err}") from None
    return check_sources(raw)


def check_sources(raw: object) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict):
        _refuse("应为以身份证号为键的对象")
    if len(raw) > MAX_ENTRIES:
        _refuse(f"含 {len(raw)} 个人选，超过上限 {MAX_ENTRIES}")
    for number, entry in raw.items():
        where = f"身份证号 {shown(str(number))[:40]} 的"
        if not isinstance(entry, dict):
            _refuse(f"{where}内容应为对象，实为{_kind(entry)}")
        package = entry.get("package")
        if package is not None and not (isinstance(package, str) and package):
            _refuse(f"{where} package 应为内层报送包的名称（文本）或 null，实为{_kind(package)}")
        for key in _TEXT:
            if key in entry and not isinstance(entry[key], str):
                _refuse(f"{where} {key} 应为文本，实为{_kind(entry[key])}")
        for key in _OBJECTS:
            value = entry.get(key)
            if value is not None and not (isinstance(value, dict)
                                          and all(isinstance(v, str) for v in value.values())):
                _refuse(f"{where} {key} 应为各项均为文本的对象")
    return raw


def _refuse(why: str) -> NoReturn:
    raise SourcesError(f"FORMAT：{SOURCES_DOC} 格式不对：{why}；该报送包由报送方程序生成，"
                       "请联系报送方重新生成")


def _kind(value: object) -> str:
    names = {dict: "对象", list: "列表", str: "文本", bool: "真假值", int: "数字", float: "数字"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
