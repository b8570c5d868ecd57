"""密钥登记: which key belongs to which office, as the level above registered it from a stamped
paper 密钥登记表 (QR scanned or fingerprint typed) or received it in the region's signed 年度配置包.

A signer's level, unit name and channel come from here, never from what its package says
(DESIGN §6 "Keys are registered, on paper too"). The region registers 盟市/厅局 offices; they
register their units, and carry that register up in their signed packages
(``documents/register.json``), so the region can tell a registered unit from a minted one.

Setting ``office.key_register``: list of {fingerprint, level, unit, channel: {kind, name},
via, at, actor, sign_public?, box_public?}."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ..common.errors import InputError
from ..common.fingerprint import matches, short
from ..storage.store import Store, default_actor, now_text
from ..record.year import ProgramYear, load_year

SETTING = "office.key_register"
REGISTER_DOC = "documents/register.json"
LEVELS = ("盟市", "厅局", "单位")
# The 密钥登记表's QR: TCK1:<key fingerprint, 64 hex>:<level code>:<channel code>. ASCII only, so
# a keyboard-wedge scanner types it on any input method; the unit name is printed beside it.
QR_PREFIX = "TCK1"
LEVEL_CODES = {"M": "盟市", "T": "厅局", "U": "单位"}
PAPER, CONFIG, CARRIED = "纸质登记表", "年度配置包", "上级报送包"


@dataclass
class Registered:
    fingerprint: str
    level: str
    unit: str
    channel: dict = field(default_factory=lambda: {"kind": "", "name": ""})
    via: str = PAPER
    at: str = ""
    actor: str = ""
    sign_public: str = ""   # base64, when the public key itself is known (to encrypt to)
    box_public: str = ""

    def label(self) -> str:
        return f"{self.unit}（{self.level}，{self.channel.get('name', '')}，{short(self.fingerprint)}）"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict) -> "Registered | None":
        try:
            channel = raw.get("channel") if isinstance(raw.get("channel"), dict) else {}
            fp = _clean_fingerprint(str(raw["fingerprint"]), full=True)
            level = str(raw.get("level", ""))
            if level not in LEVELS:
                return None
            return cls(fp, level, str(raw.get("unit", "")),
                       {"kind": str(channel.get("kind", "")), "name": str(channel.get("name", ""))},
                       str(raw.get("via", PAPER)), str(raw.get("at", "")),
                       str(raw.get("actor", "")), str(raw.get("sign_public", "")),
                       str(raw.get("box_public", "")))
        except (KeyError, TypeError, AttributeError, InputError):
            return None


def _clean_fingerprint(text: str, *, full: bool = False) -> str:
    fp = "".join(ch for ch in str(text).lower() if ch in "0123456789abcdef")
    need = 64 if full else 32
    if len(fp) < need or len(fp) > 64 or not re.fullmatch(r"[0-9a-f]+", fp):
        raise InputError(f"“{str(text)[:70]}”不是完整的密钥指纹：请扫描密钥登记表上的二维码，或输入"
                         f"登记表上的指纹（至少前 {need // 4} 组）", field="fingerprint")
    return fp


def qr_text(fingerprint: str, level: str, channel_name: str, year: ProgramYear | None = None) -> str:
    year = year or load_year()
    code = next(c for c, lv in LEVEL_CODES.items() if lv == level)
    return ":".join((QR_PREFIX, fingerprint.upper(), code,
                     year.channel_codes.get(channel_name, "")))


def parse_scan(text: str, year: ProgramYear | None = None) -> tuple[str, str, str]:
    """(fingerprint, level, channel name) from a scanned 密钥登记表 QR; a typed fingerprint gives
    ("fingerprint", "", "")."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(text or "")).strip()
    parts = text.split(":")
    if len(parts) == 4 and parts[0].upper() == QR_PREFIX:
        year = year or load_year()
        level = LEVEL_CODES.get(parts[2].upper(), "")
        by_code = {c: n for n, c in year.channel_codes.items()}
        if not level or (parts[3] and parts[3] not in by_code):
            raise InputError(f"密钥登记表二维码“{text[:80]}”的级别或渠道代码无效", field="register")
        return _clean_fingerprint(parts[1], full=True), level, by_code.get(parts[3], "")
    return _clean_fingerprint(text), "", ""


def entries(store: Store) -> list[Registered]:
    raw = store.get_setting(SETTING, [])
    out = [Registered.from_json(v) for v in raw if isinstance(v, dict)] if isinstance(raw, list) else []
    return [e for e in out if e is not None]


def lookup(store: Store, fingerprint: str) -> Registered | None:
    return find(entries(store), fingerprint)


def find(register: list[Registered], fingerprint: str) -> Registered | None:
    fp = (fingerprint or "").lower()
    return next((e for e in register if fp and e.fingerprint == fp), None)


def register_key(store: Store, scan_or_fingerprint: str, *, unit: str = "", level: str = "",
                 channel_name: str = "", via: str = PAPER, actor: str | None = None,
                 year: ProgramYear | None = None) -> Registered:
    """Register one office's (or unit's) key from a 密钥登记表 scan or a typed fingerprint.
    What the QR says wins over nothing; what the clerk typed must agree with it."""
    year = year or load_year()
    _require_registrar(store)
    fp, qr_level, qr_channel = parse_scan(scan_or_fingerprint, year)
    if len(fp) != 64:
        known = _known_public(store, fp)
        if known is None:
            raise InputError("手工输入时请输入完整的 64 位密钥指纹（或扫描登记表二维码）；"
                             "只有已导入对方公钥时才可只输入前 8 组", field="fingerprint")
        fp = known.fingerprint
    for typed, scanned, what in ((level, qr_level, "级别"), (channel_name, qr_channel, "渠道")):
        if typed and scanned and typed != scanned:
            raise InputError(f"输入的{what}“{typed}”与登记表二维码中的“{scanned}”不一致，请核对登记表",
                             field="register")
    level, channel_name = level or qr_level, channel_name or qr_channel
    if level not in LEVELS:
        raise InputError(f"请注明登记的级别：{'、'.join(LEVELS)}", field="register.level")
    known = _known_public(store, fp)
    # The name as printed on the stamped form, typed by the clerk: never taken from a key file,
    # whose name its sender chose. Control and direction characters are dropped.
    unit = clean_name(unit)
    if not unit:
        raise InputError("请照登记表填写单位名称（二维码中不含中文名称）", field="register.unit")
    if not channel_name:
        raise InputError("请注明登记表上的推荐渠道（盟市或区直单位名称）", field="register.channel")
    kind = "区直单位" if level == "厅局" else ("盟市" if level == "盟市" else "")
    if channel_name and not kind:
        kind = next((k for k, names in year.channels.items() if channel_name in names), "")
    if channel_name and channel_name not in year.channels.get(kind, ()):
        raise InputError(f"渠道“{channel_name}”不在{year.year}年度的{kind or '盟市或区直单位'}名单中",
                         field="register.channel")
    import base64

    if level in ("盟市", "厅局"):
        taken = [e for e in entries(store) if e.level == level and e.fingerprint != fp
                 and e.channel.get("name") == channel_name]
        if taken:
            raise InputError(f"{channel_name}已登记了{taken[0].unit}的密钥（{short(taken[0].fingerprint)}）；"
                             "一个渠道只登记一把盟市/厅局密钥。如确为更换密钥，请先撤销原登记再登记新密钥",
                             field="register")
    entry = Registered(fp, level, unit, {"kind": kind, "name": channel_name}, via, now_text(),
                       actor or default_actor(),
                       base64.b64encode(known.sign_public).decode() if known else "",
                       base64.b64encode(known.box_public).decode() if known else "")
    save_entries(store, [e for e in entries(store) if e.fingerprint != fp] + [entry])
    return entry


def clean_name(text: str) -> str:
    """A unit name as it may be stored and shown: without control, format or direction
    characters (a name must not reorder or hide what a clerk reads), kept as printed otherwise
    (full-width brackets stay)."""
    import unicodedata

    return "".join(ch for ch in str(text or "")
                   if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp")
                   ).strip()[:60]


def _require_registrar(store: Store) -> None:
    from .profile import OFFICE, REGION, load_profile

    if load_profile(store).role not in (OFFICE, REGION):
        raise InputError("只有自治区（登记盟市/厅局）和盟市/厅局（登记所属单位）登记密钥；"
                         "请在设置中确认本机角色", field="role")


def save_entries(store: Store, register: list[Registered]) -> None:
    store.set_setting(SETTING, [e.to_json() for e in register])


def unregister(store: Store, fingerprint: str) -> Registered:
    fp = _clean_fingerprint(fingerprint)
    found = [e for e in entries(store) if e.fingerprint.startswith(fp)]
    if len(found) != 1:
        raise InputError(f"登记中没有唯一对应“{fingerprint}”的密钥", field="fingerprint")
    save_entries(store, [e for e in entries(store) if e is not found[0]
                         and e.fingerprint != found[0].fingerprint])
    return found[0]


def _known_public(store: Store, fp: str):
    """The public key of ``fp`` (a full fingerprint, or a prefix of 32+ hex digits) if this
    installation has it: an imported recipient or a key from the year's configuration."""
    from ..exchange.keyring import list_recipients

    hits = [k for k in list_recipients(store) if matches(fp, k.fingerprint)]
    return hits[0] if len({k.fingerprint for k in hits}) == 1 else None


def carried(store: Store) -> list[dict]:
    """What a 盟市/厅局 carries up in its package: the units it registered itself on paper."""
    from .profile import OFFICE, load_profile

    if load_profile(store).role != OFFICE:
        return []
    return [{k: v for k, v in e.to_json().items() if k not in ("actor",)}
            for e in entries(store) if e.via == PAPER and e.level == "单位"]


def print_own_form(store: Store, out, *, person: str = "", today=None):
    """This installation's 密钥登记表 (PDF) for the level above to register its key."""
    from pathlib import Path

    from ..printing.key_form import key_form_pdf
    from ..exchange.keyring import stored_public
    from .profile import UNIT, load_profile

    profile = load_profile(store)
    level = profile.level_label()
    if level not in LEVELS:
        raise InputError("只有单位、盟市和厅局需要向上级登记密钥：请先在设置中选择角色，"
                         "并为盟市/厅局选择推荐渠道", field="role")
    if profile.role != UNIT and not profile.channel.get("name"):
        raise InputError("请先在设置中选择本单位的推荐渠道（盟市或区直单位）", field="channel.name")
    fp = stored_public(store).fingerprint
    channel = profile.channel.get("name", "")
    return key_form_pdf(Path(out), unit=profile.display_unit, level=level,
                        channel=" · ".join(v for v in (profile.channel.get("kind"), channel) if v),
                        fingerprint=fp, qr=qr_text(fp, level, channel), person=person,
                        today=today)
