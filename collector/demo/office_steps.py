"""The offices' part of ``collector demo``: a whole invented province (``province.py``), each
level its own installation — two 盟市 with two units each, a 厅局 whose applicants send to it
directly, and the region, which imports one 盟市's disc image and the others' ``.rpu``, checks
every signature down to the applicants and every paper form, and makes its own disc."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..office import province
from ..office.quota import quota_view
from ..office.profile import load_profile
from ..storage.store import Store

if TYPE_CHECKING:
    from .pipeline import DemoContext


def _province(ctx: "DemoContext") -> province.Province:
    return ctx.files["province"]  # type: ignore[return-value]


def step_set_up(ctx: "DemoContext") -> None:
    p = province.set_up(ctx.root / "province", ctx.passphrase, ctx.today, say=ctx.say)
    ctx.files["province"] = p  # type: ignore[assignment]
    for inst in p.all():
        ctx.dbs[f"province/{inst.key}"] = inst.db


def step_units(ctx: "DemoContext") -> None:
    province.units_send(_province(ctx))


def step_offices(ctx: "DemoContext") -> None:
    p = _province(ctx)
    province.offices_send(p)
    for channel, inst in p.offices.items():
        with Store(inst.db) as store:
            for line in quota_view(store, load_profile(store)).lines()[:1]:
                ctx.say(f"{channel}名额：{line}")


def step_region(ctx: "DemoContext") -> None:
    p = _province(ctx)
    province.region_receives(p)
    ctx.files["disc_iso"] = p.sent[province.SHAPE[0].channel]
    with Store(p.region.db) as store:
        for line in quota_view(store, load_profile(store)).lines():
            ctx.say(f"名额：{line}")


OFFICE_STEPS = [
    ("全区各级安装：自治区、盟市/厅局、单位、申报人，各自的密钥", step_set_up),
    ("申报人报送，单位收件、核对纸质材料、推荐并上报", step_units),
    ("盟市/厅局收件、遴选并上报（包头市报送光盘映像，其余 .rpu）", step_offices),
    ("自治区：导入、核对签名链与纸质材料、推荐、制作光盘", step_region),
]
