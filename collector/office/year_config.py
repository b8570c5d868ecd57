"""年度配置包: one file a year, signed by the region, holding its public key, the register of
office keys (盟市/厅局, with their public keys), and the year's rules. Every installation
imports it once after comparing the region's fingerprint with the one printed in the notice:
one check by phone or paper instead of one per key. It then knows whom to encrypt to (every
office above it in its channel) and which office keys are registered.

A newer package replaces an older one only when the same region key signed it and its serial
is higher; the installation shows which one it uses (``current``)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..common.atomic import write_json_atomic
from ..common.errors import InputError
from ..common.fingerprint import canonical_json, matches, sha256_hex, short
from ..rpu.keys import Identity, PublicKey
from ..exchange.keyring import default_recipients, list_recipients
from ..storage.store import Store, now_text
from ..common.textfile import read_user_text
from ..record.year import load_year, rules_path
from . import register
from .profile import REGION, load_profile

FORMAT = "talent-collector-year-config"
SETTING = "office.year_config"
SUFFIX = ".tcy"
MAX_BYTES = 8 << 20


class ConfigRefused(InputError):
    def __init__(self, message: str):
        super().__init__(message, field="year_config")


@dataclass
class YearConfig:
    year: int
    serial: int
    created: str
    region: PublicKey
    offices: list[register.Registered] = field(default_factory=list)
    rules_sha256: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return self.region.fingerprint

    def line(self) -> str:
        return (f"{self.year} 年度配置包第 {self.serial} 版（{self.created[:16].replace('T', ' ')} 签发），自治区密钥 "
                f"{short(self.fingerprint)}，登记的盟市/厅局 {len(self.offices)} 个")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def make_config(store: Store, identity: Identity, out: Path, *, serial: int | None = None,
                year: int | None = None) -> YearConfig:
    """The region signs the year's configuration: its key, its register of 盟市/厅局, the rules."""
    profile = load_profile(store)
    if profile.role != REGION:
        raise InputError("年度配置包只能由自治区生成（设置 → 角色：自治区）", field="role")
    program = load_year(year) if year else load_year()
    offices = [e for e in register.entries(store) if e.level in ("盟市", "厅局")]
    missing = [e.unit for e in offices if not e.box_public]
    if missing:
        raise InputError("以下登记的密钥没有公钥，无法加密给它们：" + "、".join(missing)
                         + "；请先导入其公钥（collector keys import-recipient）再登记", field="register")
    current = current_config(store)
    serial = serial if serial is not None else (current.serial + 1 if current else 1)
    rules = rules_path(program.year).read_text(encoding="utf-8")
    payload = {
        "format": FORMAT, "version": 1, "year": program.year, "serial": int(serial),
        "created": now_text(),
        "region": {"name": identity.name, "unit": profile.display_unit,
                   "sign": _b64(identity.sign_public), "box": _b64(identity.box_public)},
        "register": [{k: v for k, v in e.to_json().items() if k not in ("actor", "via")}
                     for e in offices],
        "rules": {"file": f"{program.year}.toml", "sha256": sha256_hex(rules.encode()),
                  "text": rules},
    }
    signature = identity.sign_private.sign(canonical_json(payload))
    signed = {"payload": payload, "signature": _b64(signature)}
    write_json_atomic(Path(out), signed)
    store.set_setting(SETTING, signed)  # the region uses what it signed (and counts serials)
    return _parse(payload)


def _parse(payload: dict) -> YearConfig:
    try:
        region = payload["region"]
        key = PublicKey(str(region.get("name", "")), str(region.get("unit", "")),
                        base64.b64decode(region["sign"], validate=True),
                        base64.b64decode(region["box"], validate=True), True, "年度配置包")
        offices = [register.Registered.from_json(dict(e, via=register.CONFIG))
                   for e in payload["register"]]
        if any(e is None or e.level not in ("盟市", "厅局") for e in offices):
            raise ValueError
        return YearConfig(int(payload["year"]), int(payload["serial"]),
                          str(payload.get("created", "")), key,
                          [e for e in offices if e is not None],
                          str(payload["rules"]["sha256"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ConfigRefused("年度配置包内容不完整或格式不对，未导入") from None


def read_config(path: Path) -> tuple[YearConfig, dict]:
    """Open and verify a configuration package's signature; (config, the whole file)."""
    text = read_user_text(path, f"年度配置包 {Path(path).name}", max_bytes=MAX_BYTES)
    try:
        raw = json.loads(text)
    except ValueError:
        raise ConfigRefused(f"{Path(path).name} 不是人才信息采集的年度配置包") from None
    if not isinstance(raw, dict):
        raise ConfigRefused(f"{Path(path).name} 不是人才信息采集的年度配置包")
    config = _verified(raw, Path(path).name)
    rules = raw["payload"]["rules"].get("text", "") if isinstance(raw["payload"].get("rules"), dict) else ""
    if not isinstance(rules, str) or sha256_hex(rules.encode()) != config.rules_sha256:
        raise ConfigRefused("年度配置包中的规则与其记录的校验值不符；未导入")
    return config, raw


def current_config(store: Store) -> YearConfig | None:
    """The configuration in use, its signature checked again (a database edited outside the
    program, or a restored backup, gets no configuration it did not have signed)."""
    raw = store.get_setting(SETTING)
    if not isinstance(raw, dict) or not isinstance(raw.get("payload"), dict):
        return None
    try:
        return _verified(raw, "本机保存的年度配置包")
    except ConfigRefused:
        return None


def _verified(raw: dict, what: str) -> YearConfig:
    try:
        payload, signature = raw["payload"], base64.b64decode(raw["signature"], validate=True)
        if payload.get("format") != FORMAT or payload.get("version") != 1:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ConfigRefused(f"{what} 不是人才信息采集的年度配置包") from None
    config = _parse(payload)
    try:
        Ed25519PublicKey.from_public_bytes(config.region.sign_public).verify(
            signature, canonical_json(payload))
    except (InvalidSignature, ValueError):
        raise ConfigRefused(f"{what} 的签名无效：文件被改动过，或不是自治区签发的；未导入") from None
    return config


def import_config(store: Store, path: Path, region_fingerprint: str = "") -> YearConfig:
    """Check and take a configuration package. The first one needs the region's fingerprint as
    printed in the notice; later ones must come from the same region key with a higher serial."""
    config, raw = read_config(Path(path))
    current = current_config(store)
    if current is not None:
        if current.fingerprint != config.fingerprint:
            raise ConfigRefused(f"配置包由密钥 {short(config.fingerprint)} 签名，不是本机已认可的自治区密钥 "
                                f"{short(current.fingerprint)}；未导入。如自治区确已更换密钥，请与自治区核实")
        if config.serial <= current.serial:
            raise ConfigRefused(f"配置包是第 {config.serial} 版，本机正在使用第 {current.serial} 版，"
                                "不比它新；未导入")
    else:
        typed = "".join(ch for ch in region_fingerprint.lower() if ch in "0123456789abcdef")
        if len(typed) < 20:
            raise ConfigRefused("首次导入年度配置包时，请输入通知或函件中印发的自治区密钥指纹"
                                "（至少前 5 组）与配置包核对")
        if not matches(typed, config.fingerprint):
            raise ConfigRefused(f"配置包的自治区密钥指纹 {short(config.fingerprint)} 与您输入的"
                                f"“{region_fingerprint.strip()[:40]}”不符：请勿使用该文件，并与自治区联系")
    bundled = rules_path(config.year)
    if not bundled.is_file() or sha256_hex(bundled.read_bytes()) != config.rules_sha256:
        config.notes.append(f"配置包中的 {config.year} 年度规则与本机程序内置的规则不同："
                            "本机仍按内置规则检查，请安装与配置包配套的程序版本")
    _take(store, config, raw)
    return config


def _take(store: Store, config: YearConfig, raw: dict) -> None:
    from ..exchange.keyring import RECIPIENTS_KEY

    offices = {e.fingerprint: e for e in config.offices}
    own = [r for r in store.get_setting(RECIPIENTS_KEY, [])
           if r.get("fingerprint") not in offices and r.get("fingerprint") != config.fingerprint]
    region = PublicKey(config.region.name, config.region.unit, config.region.sign_public,
                       config.region.box_public, True, "年度配置包")
    added = [region.to_json()] + [
        PublicKey(e.unit, e.unit, base64.b64decode(e.sign_public), base64.b64decode(e.box_public),
                  False, "年度配置包").to_json() for e in config.offices]
    paper = [e for e in register.entries(store) if e.via != register.CONFIG]
    with store.transaction():
        store.set_setting(SETTING, raw)
        store.set_setting(RECIPIENTS_KEY, own + added)
        register.save_entries(store, [e for e in paper if e.fingerprint not in offices]
                              + list(offices.values()))


def channel_offices(store: Store, records: Sequence[dict] = ()) -> list[PublicKey]:
    """The registered offices (from the configuration package) of this installation's channel
    and of the channels of ``records``: every office above a sender is a recipient."""
    config = current_config(store)
    if config is None:
        return []
    channels = {load_profile(store).channel.get("name", "")}
    channels |= {str((r.get("channel") or {}).get("name", "")) for r in records}
    wanted = {e.fingerprint for e in config.offices if e.channel.get("name") in channels - {""}}
    return [k for k in list_recipients(store) if k.fingerprint in wanted]


def recipients_for(store: Store, records: Sequence[dict] = ()) -> list[PublicKey]:
    """Who a package is encrypted to by default: the region and the imported recipients marked
    default, plus every registered office above the sender in its channel."""
    seen: dict[str, PublicKey] = {}
    for key in default_recipients(store) + channel_offices(store, records):
        seen.setdefault(key.fingerprint, key)
    return list(seen.values())


