"""The offices' part of ``collector demo``: two applicants → a unit → the 包头市 office's disc →
the region imports the image and checks every signature down to the applicants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import disc
from ..fingerprint import short
from ..printing import SETTING_KEY as REPORT_KEY
from ..rpu import generate_identity, import_recipient, load_identity, pack, public_key_block
from ..rpu.keys import default_recipients, has_identity
from ..sample import make_candidate
from ..store import Store
from . import decisions, inbox
from .chain import read_chain
from .export import make_disc
from .package import pack_office
from .profile import save_profile
from .quota import quota_view

if TYPE_CHECKING:
    from ..demo import DemoContext

CHANNEL = {"kind": "盟市", "name": "包头市"}
# Installations of this part (the .rpu part's "office" database plays its own receiver).
UNIT, LEAGUE, REGION = "unit", "league_office", "region"
APPLICANTS = ("applicant_a", "applicant_b")


def _keys(ctx: "DemoContext", role: str, name: str) -> None:
    with Store(ctx.db(role)) as store:
        if not has_identity(store):
            generate_identity(store, ctx.passphrase, name, name)
        path = ctx.root / f"{role}.pub"
        path.write_text(public_key_block(store), encoding="utf-8")
        ctx.files[f"{role}_pub"] = path


def _trust(ctx: "DemoContext", role: str, *others: str) -> None:
    with Store(ctx.db(role)) as store:
        for other in others:
            import_recipient(store, ctx.files[f"{other}_pub"])


def step_unit_and_office(ctx: "DemoContext") -> None:
    for role, name in ((REGION, "自治区人社厅专技处（演示）"), (LEAGUE, "包头市人社局（演示）"),
                       (UNIT, "包头稀土研究院（演示）")):
        _keys(ctx, role, name)
    with Store(ctx.db(REGION)) as store:
        save_profile(store, role="自治区", unit="自治区人社厅专技处（演示）")
    with Store(ctx.db(LEAGUE)) as store:
        save_profile(store, role="盟市/厅局", unit="包头市人社局（演示）", channel_name="包头市")
    with Store(ctx.db(UNIT)) as store:
        save_profile(store, role="单位", unit="包头稀土研究院（演示）", channel_name="包头市")
    _trust(ctx, LEAGUE, REGION)
    _trust(ctx, UNIT, LEAGUE, REGION)
    packages = []
    for n, role in enumerate(APPLICANTS):
        with Store(ctx.db(role)) as store:
            if not has_identity(store):
                generate_identity(store, ctx.passphrase, f"申报人{n + 1}（演示）")
            if not store.count():
                record = make_candidate(100 + n)
                record["channel"] = dict(CHANNEL)
                store.save(record)
        _trust(ctx, role, UNIT, REGION)
        with Store(ctx.db(role)) as store:
            out = ctx.root / f"{role}.rpu"
            pack(store, [], out, identity=load_identity(store, ctx.passphrase),
                 recipients=default_recipients(store), today=ctx.today)
            packages.append(out)
    with Store(ctx.db(UNIT)) as store:
        identity = load_identity(store, ctx.passphrase)
        got = inbox.import_many(store, packages, identity)
        for entry in got.entries:
            ctx.say(f"单位收件：{entry.line()}")
        for c in store.all():
            decisions.decide(store, c.id, decisions.RECOMMEND, "业绩突出")
        store.set_setting(REPORT_KEY, {"unit": "包头稀土研究院（演示）", "contact": "王老师",
                                       "office_phone": "0472-5123456", "mobile": "13904720000"})
        out = ctx.root / "unit.rpu"
        result = pack_office(store, out, identity=identity, today=ctx.today)
    ctx.files["unit_rpu"] = out
    ctx.say(f"单位上报包 {out.name}：推荐 {len(result.pack.candidates)} 名，"
            f"内含申报人报送包 {len(result.nested)} 个，签名 {short(result.pack.signer_fingerprint)}")
    with Store(ctx.db(LEAGUE)) as store:
        identity = load_identity(store, ctx.passphrase)
        entry = inbox.import_many(store, [out], identity).entries[0]
        ctx.say(f"包头市收件：{entry.line()}")
        for c in store.all():
            decisions.decide(store, c.id, decisions.RECOMMEND, "经遴选，符合条件")
            decisions.set_opinion(store, c.id, "经研究，同意推荐。", _profile(store))
        store.set_setting(REPORT_KEY, {"unit": "包头市人社局（演示）", "contact": "李科长",
                                       "office_phone": "0472-5199999", "mobile": "13804720000",
                                       "narrative": "经公开、平等、竞争、择优遴选，推荐以下人选。"})
        for line in quota_view(store, _profile(store)).lines():
            ctx.say(f"名额：{line}")


def step_disc(ctx: "DemoContext") -> None:
    with Store(ctx.db(LEAGUE)) as store:
        identity = load_identity(store, ctx.passphrase)
        result = make_disc(store, ctx.root / "disc", identity=identity,
                           iso=ctx.root / "包头市报送光盘.iso", today=ctx.today)
    ctx.files["disc_iso"] = result.iso
    report = disc.verify(result.iso)
    ctx.say(f"光盘文件夹 {result.folder}（{result.files} 个文件）")
    ctx.say(f"光盘映像 {result.iso.name}（{result.iso_size / 1e6:.1f} MB）：{report.message()}")
    if not report.ok:
        raise RuntimeError(report.message())


def step_region(ctx: "DemoContext") -> None:
    with Store(ctx.db(REGION)) as store:
        identity = load_identity(store, ctx.passphrase)
        got = inbox.import_many(store, [ctx.files["disc_iso"]], identity)
        for entry in got.entries:
            ctx.say(f"自治区收件：{entry.line()}")
        if got.refused or not got.imported:
            raise RuntimeError("自治区未能导入光盘")
        with disc.rpu_files_on(ctx.files["disc_iso"]) as files:
            chain = read_chain(files[0][0], identity)
        for line in chain.lines():
            ctx.say(line)
        if not chain.ok:
            raise RuntimeError("签名链校验未通过")
        for c in store.all():
            decisions.decide(store, c.id, decisions.RECOMMEND, "进入专家评审")
        for line in quota_view(store, _profile(store)).lines():
            ctx.say(f"名额：{line}")


def _profile(store: Store):
    from .profile import load_profile

    return load_profile(store)


OFFICE_STEPS = [
    ("单位与盟市：收件、推荐、上报包", step_unit_and_office),
    ("报送光盘：文件夹与 ISO 映像", step_disc),
    ("自治区：导入光盘并核对签名链", step_region),
]
