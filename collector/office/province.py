"""A whole invented province, each level its own installation with its own keys: two 盟市
offices with two units each, a 厅局 whose applicants send to it directly, and the region.

The shape a real selection has (DESIGN §2), walked end to end: applicants pack, units check
their paper and recommend upward, offices select and send (one 盟市 on a disc image, the other
offices as ``.rpu``), the region imports all of it, checks every candidate's signed paper form
itself, recommends and makes its own verified disc. ``collector demo`` and the tests run it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import disc
from ..common.fingerprint import form_qr_text, record_fingerprint
from ..record.model import normalize
from ..printing import SETTING_KEY as REPORT_KEY
from ..exchange.keyring import generate_identity, import_recipient, load_identity, public_key_block
from ..exchange.packing import pack
from ..exchange.keyring import has_identity
from ..record.sample import make_candidate
from ..storage.store import Store
from . import decisions, inbox, paper, register, year_config
from .export import make_disc
from .package import pack_office
from .profile import load_profile, save_profile
from ..exchange.provenance import VERIFIED
from ..exchange.provenance import of as provenance_of

REGION_UNIT = "自治区人社厅专技处（演示）"


@dataclass(frozen=True)
class Unit:
    name: str
    applicants: int


@dataclass(frozen=True)
class Office:
    channel: str          # the 盟市 or 厅局 as the year's channel list names it
    kind: str             # 盟市 or 区直单位
    unit: str             # the office's own name on its packages
    units: tuple[Unit, ...] = ()
    direct: int = 0       # applicants who send to the office itself (a 厅局's own staff)
    on_disc: bool = False  # sent to the region as a disc image instead of a .rpu


# Two 盟市 with two units each, and a 厅局 with applicants of its own: 10 applicants.
SHAPE = (
    Office("包头市", "盟市", "包头市人社局（演示）",
           (Unit("包头稀土研究院（演示）", 2), Unit("内蒙古科技大学包头医学院（演示）", 2)),
           on_disc=True),
    Office("呼和浩特市", "盟市", "呼和浩特市人社局（演示）",
           (Unit("内蒙古农牧业科学院草原所（演示）", 2), Unit("呼和浩特乳业技术中心（演示）", 2))),
    Office("自治区农牧业厅", "区直单位", "自治区农牧业厅人事处（演示）", direct=2),
)


@dataclass
class Installation:
    key: str     # folder name under the province root
    name: str    # who it is (unit or person)
    db: Path


@dataclass
class Province:
    root: Path
    passphrase: str
    today: dt.date
    region: Installation
    offices: dict[str, Installation] = field(default_factory=dict)   # by channel
    units: dict[str, Installation] = field(default_factory=dict)     # by unit name
    applicants: list[Installation] = field(default_factory=list)
    # What each applicant's signed registration form's QR holds, by ID number.
    forms: dict[str, str] = field(default_factory=dict)
    sent: dict[str, Path] = field(default_factory=dict)   # unit or channel -> .rpu or .iso
    by_receiver: dict[str, list[Path]] = field(default_factory=dict)  # applicants' packages
    config: Path | None = None        # the region's signed 年度配置包
    region_fingerprint: str = ""      # as the notice prints it
    region_disc: disc.VerifyReport | None = None
    say: Callable[[str], None] = print

    def all(self) -> list[Installation]:
        return [self.region, *self.offices.values(), *self.units.values(), *self.applicants]


def _installation(root: Path, key: str, name: str) -> Installation:
    (root / key).mkdir(parents=True, exist_ok=True)
    return Installation(key, name, root / key / "collector.db")


def _keys(p: Province, inst: Installation, role: str, *, unit: str = "",
          channel: str | None = None) -> None:
    with Store(inst.db) as store:
        if not has_identity(store):
            generate_identity(store, p.passphrase, inst.name, unit or inst.name)
        if role != "个人":
            save_profile(store, role=role, unit=unit or inst.name, channel_name=channel)
        (inst.db.parent / "public.pub").write_text(public_key_block(store), encoding="utf-8")


def _trust(inst: Installation, *others: Installation, default: bool = True) -> None:
    """``inst`` imports the public keys of ``others`` (handed over as files)."""
    with Store(inst.db) as store:
        for other in others:
            import_recipient(store, inst.db.parent.parent / other.key / "public.pub",
                             default=default)


def _register(p: Province, above: Installation, below: Installation) -> None:
    """``below`` prints its 密钥登记表 and stamps it; ``above`` scans its QR and registers it.
    ``above`` has the public key file too (to encrypt to it, and to read the unit name)."""
    with Store(below.db) as store:
        form = register.print_own_form(store, below.db.parent / "密钥登记表.pdf", today=p.today)
        profile = load_profile(store)
        qr = register.qr_text(form.fingerprint, profile.level_label(),
                              profile.channel.get("name", ""))
    _trust(above, below, default=False)
    with Store(above.db) as store:
        register.register_key(store, qr, unit=below.name)


def _import_config(p: Province, inst: Installation) -> None:
    with Store(inst.db) as store:
        year_config.import_config(store, p.config, p.region_fingerprint)


def set_up(root: Path, passphrase: str, today: dt.date,
           say: Callable[[str], None] = print) -> Province:
    """Every installation with its keys and profile. The region registers each office from its
    stamped 密钥登记表 and signs the year's configuration package, which every installation
    imports after checking the region's fingerprint (as printed in the notice); each office
    registers its units the same way; applicants get their unit's public key from the unit."""
    region = _installation(root, "region", REGION_UNIT)
    p = Province(root, passphrase, today, region, say=say)
    _keys(p, region, "自治区")
    for office in SHAPE:
        o = p.offices[office.channel] = _installation(root, f"office-{office.channel}",
                                                      office.unit)
        _keys(p, o, "盟市/厅局", channel=office.channel)
        _register(p, region, o)
    with Store(region.db) as store:
        p.config = root / f"年度配置包-{today.year}{year_config.SUFFIX}"
        made = year_config.make_config(store, load_identity(store, passphrase), p.config)
        p.region_fingerprint = made.fingerprint
    say(f"自治区登记 {len(p.offices)} 个盟市/厅局的密钥，签发年度配置包（{made.line()}）")
    number = 0
    for office in SHAPE:
        o = p.offices[office.channel]
        _import_config(p, o)
        senders: list[tuple[Installation | None, Unit | None]] = []
        for n, unit in enumerate(office.units):
            u = p.units[unit.name] = _installation(root, f"unit-{office.channel}-{n + 1}",
                                                   unit.name)
            _keys(p, u, "单位", channel=office.channel)
            _import_config(p, u)
            _register(p, o, u)
            senders += [(u, unit)] * unit.applicants
        senders += [(None, None)] * office.direct
        for u, unit in senders:
            number += 1
            a = _installation(root, f"applicant-{number:02d}", f"申报人{number}（演示）")
            _keys(p, a, "个人")
            _import_config(p, a)
            if u is not None:
                _trust(a, u)
            _applicant_record(p, a, number, office, unit)
            p.applicants.append(a)
    say(f"全区 {len(p.all())} 套独立安装：自治区 1、盟市/厅局 {len(p.offices)}、"
        f"单位 {len(p.units)}、申报人 {len(p.applicants)}，各自生成密钥；各级导入年度配置包，"
        "盟市/厅局登记所属单位的密钥")
    return p


def _applicant_record(p: Province, a: Installation, number: int, office: Office,
                      unit: Unit | None) -> None:
    with Store(a.db) as store:
        if store.count():
            return
        record = make_candidate(200 + number)
        record["channel"] = {"kind": office.kind, "name": office.channel}
        record["employer"] = (unit.name if unit else office.unit).replace("（演示）", "")
        record["employer_type"] = "科研院所"
        store.save(record)


def applicants_pack(p: Province) -> dict[str, list[Path]]:
    """Each applicant packs for the levels above; returns packages by receiver (unit or office)."""
    by_receiver: dict[str, list[Path]] = {}
    for a in p.applicants:
        with Store(a.db) as store:
            identity = load_identity(store, p.passphrase)
            out = a.db.parent / "申报.rpu"
            pack(store, [], out, identity=identity,
                 recipients=year_config.recipients_for(store, [c.data for c in store.all()]),
                 today=p.today)
            cand = next(iter(store.all()))
            data = normalize(cand.data)
            p.forms[data["id_number"]] = form_qr_text(record_fingerprint(data),
                                                      identity.fingerprint, data["id_number"])
            receiver = _receiver_of(p, data)
            by_receiver.setdefault(receiver, []).append(out)
    return by_receiver


def _receiver_of(p: Province, record: dict) -> str:
    employer = record["employer"]
    for unit in p.units.values():
        if unit.name.replace("（演示）", "") == employer:
            return unit.name
    return record["channel"]["name"]


def check_paper_and_recommend(p: Province, inst: Installation, opinion: str) -> list[str]:
    """The level scans each candidate's signed registration form, then recommends all with
    its opinion and report details. Returns the paper check lines."""
    lines = []
    with Store(inst.db) as store:
        for cand in store.all():
            result = paper.check_scan(store, p.forms[cand.data["id_number"]], actor="演示")
            lines.append(f"{result.name}：{paper.LABELS[result.status]}")
            if not result.ok:
                raise RuntimeError(f"{inst.name}：纸质材料核对未通过：{result.message}")
            decisions.decide(store, cand.id, decisions.RECOMMEND, "业绩突出，符合条件")
            decisions.set_opinion(store, cand.id, opinion, load_profile(store))
        store.set_setting(REPORT_KEY, {"unit": inst.name, "contact": "王老师",
                                       "office_phone": "0471-6123456", "mobile": "13904710000",
                                       "narrative": "经公开、平等、竞争、择优遴选，推荐以下人选。"})
    return lines


def receive(p: Province, inst: Installation, packages: list[Path]) -> inbox.InboxResult:
    with Store(inst.db) as store:
        got = inbox.import_many(store, packages, load_identity(store, p.passphrase))
    for entry in got.entries:
        p.say(f"{inst.name} 收件：{entry.line()}")
    if got.refused or len(got.imported) != len(packages):
        raise RuntimeError(f"{inst.name} 未能导入全部报送包")
    return got


def send_up(p: Province, inst: Installation, *, iso: bool) -> Path:
    with Store(inst.db) as store:
        identity = load_identity(store, p.passphrase)
        if iso:
            result = make_disc(store, inst.db.parent / "disc", identity=identity,
                               iso=inst.db.parent / "报送光盘.iso", today=p.today)
            return result.iso
        out = inst.db.parent / "上报.rpu"
        pack_office(store, out, identity=identity, today=p.today)
        return out


def units_send(p: Province) -> None:
    """Applicants pack; each unit imports its applicants' packages, checks their paper,
    recommends and packs upward."""
    p.by_receiver = applicants_pack(p)
    for name, unit in p.units.items():
        receive(p, unit, p.by_receiver[name])
        check_paper_and_recommend(p, unit, "该同志业绩突出，同意推荐。")
        p.sent[name] = send_up(p, unit, iso=False)


def offices_send(p: Province) -> None:
    """Each 盟市/厅局 imports its units' packages (and its own applicants'), checks, selects
    and sends: one 盟市 on a disc image, the others as ``.rpu``."""
    for office in SHAPE:
        inst = p.offices[office.channel]
        packages = [p.sent[u.name] for u in office.units] + p.by_receiver.get(office.channel, [])
        receive(p, inst, packages)
        check_paper_and_recommend(p, inst, "经研究，同意推荐。")
        p.sent[office.channel] = send_up(p, inst, iso=office.on_disc)
        p.say(f"{inst.name} 上报：{p.sent[office.channel].name}")


def region_receives(p: Province) -> None:
    """The region imports every office's package, checks each candidate's signed paper form
    itself, recommends, and makes its own disc, verified."""
    receive(p, p.region, [p.sent[o.channel] for o in SHAPE])
    with Store(p.region.db) as store:
        classes = [provenance_of(c).klass for c in store.all()]
    p.say(f"自治区签名链：{classes.count(VERIFIED)} / {len(classes)} 名{VERIFIED}")
    if classes.count(VERIFIED) != len(classes):
        raise RuntimeError("自治区有候选人不能核对到申报人本人签名")
    lines = check_paper_and_recommend(p, p.region, "经专家评审，同意推荐。")
    p.say(f"自治区核对纸质登记表 {len(lines)} 份：全部一致")
    with Store(p.region.db) as store:
        identity = load_identity(store, p.passphrase)
        result = make_disc(store, p.root / "region-disc", identity=identity,
                           iso=p.root / "自治区报送光盘.iso", today=p.today)
    p.region_disc = disc.verify(result.iso)
    p.say(f"自治区光盘映像 {result.iso.name}：{p.region_disc.message()}")
    if not p.region_disc.ok:
        raise RuntimeError(p.region_disc.message())


def walk(p: Province) -> None:
    """Applicants → units → offices → region → the region's verified disc."""
    units_send(p)
    offices_send(p)
    region_receives(p)
