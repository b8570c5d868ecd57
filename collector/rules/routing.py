"""Rules from the notice's procedure (三（二）) on who files through which channel.

Kept apart from ``checks.py`` so each sentence of the notice that becomes a rule has one place;
``validate`` runs ``ROUTING_CHECKS`` after the DESIGN §5 checks.
"""

from __future__ import annotations

from typing import Iterator

from .checks import Check, Context
from .findings import ERROR, Finding

NON_PUBLIC_SENTENCE = "其中非公有制单位中符合条件的人选，向所属地方人力资源社会保障部门申报"


def non_public_reason(record: dict, year) -> str:
    """Why the record counts as a 非公有制 unit (empty when it does not)."""
    if record.get("employer_type") in year.non_public_employer_types:
        return f"单位性质为“{record['employer_type']}”"
    if record.get("unit_ownership") in year.non_public_ownership:
        return f"单位所有制为“{record['unit_ownership']}”"
    return ""


def check_non_public_channel(ctx: Context) -> Iterator[Finding]:
    """CHANNEL: a candidate of a non-public unit is filed through the local (盟市) HR department,
    never through a 区直单位 channel; the channel kind it must use is the year's data."""
    required = ctx.year.non_public_channel_kind
    channel = ctx.record.get("channel") or {}
    kind, name = channel.get("kind", ""), channel.get("name", "")
    if not required or not kind or kind == required:
        return
    reason = non_public_reason(ctx.record, ctx.year)
    if not reason:
        return
    where = f"{kind}“{name}”" if name else kind
    yield Finding("CHANNEL", ERROR, "channel.kind",
                  f"{reason}的人选不能通过{where}推荐。通知规定“{NON_PUBLIC_SENTENCE}”，"
                  f"应通过所在{required}人力资源和社会保障部门申报"
                  f"（推荐渠道类别选“{required}”，名称填单位所在的{required}）")


ROUTING_CHECKS: tuple[Check, ...] = (check_non_public_channel,)
