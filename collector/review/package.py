"""The region's package to the ministry: the final list of the expert review, signed and
encrypted like an office package (``collector.office.package``), with the received packages of
the selected candidates nested unchanged and the review's results as a document part.

The final list is also written into the office decisions (推荐 / 不推荐 with the reason), so
the region's quota view, summary table and report agree with the review.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Callable, Sequence

from ..common.errors import CollectorError, InputError
from ..common.fingerprint import record_fingerprint
from ..office import decisions as dec
from ..office.package import OfficePackResult, write_level_package
from ..office.profile import REGION, load_profile
from ..rpu.keys import Identity, PublicKey
from ..exchange.keyring import default_recipients
from ..rules.office import check_deadline, check_quota, check_region_total
from ..storage.store import Store
from ..record.year import load_year
from . import experts, get_round, ranking_for, scores
from .ranking import Ranking, fmt
from .rounds import Round

REVIEW_DOC = "documents/专家评审结果.json"


class RegionPackRefused(CollectorError):
    """The review is not finished (no complete expert, ties pending) or data changed since."""


def check_ready(store: Store, rnd: Round, ranking: Ranking) -> None:
    if not ranking.ready:
        raise RegionPackRefused("尚无专家提交完整评分，不能生成报部材料")
    if ranking.pending:
        names = "、".join(r.candidate.name for r in ranking.pending)
        raise RegionPackRefused(f"{names} 并列待定，请专家组商议确定后再生成报部材料")
    if not ranking.selected:
        raise RegionPackRefused("推荐名单为空，不能生成报部材料")
    changed = []
    for row in ranking.selected:
        try:
            current = store.get(row.id).data
        except CollectorError:
            changed.append(f"{row.candidate.name}（已从数据库删除）")
            continue
        if record_fingerprint(current) != row.candidate.info.get("fingerprint"):
            changed.append(row.candidate.name)
    if changed:
        raise RegionPackRefused(f"{'、'.join(changed)} 的数据在评审开始后被修改，与专家评审的材料不一致；"
                                "请核实后重新组织评审")
    from ..office.package import export_holds

    held = export_holds(store, [row.id for row in ranking.selected])
    if held:  # DESIGN §6: the same preflight as every other export path
        raise RegionPackRefused("推荐名单中有暂扣待定的人选或未处理的重复报送：" +
                                "；".join(f.message for f in held))


def apply_final(store: Store, rnd: Round, ranking: Ranking) -> None:
    """推荐 for the final list, 不推荐 with the review's reason for the rest (one transaction)."""
    with store.transaction():
        for row in ranking.rows:
            where = f"专家评审（{rnd.id}）第{row.rank}名，得分{fmt(row.mean)}"
            if row in ranking.selected:
                dec.decide(store, row.id, dec.RECOMMEND, where)
            else:
                dec.decide(store, row.id, dec.REJECT, f"{where}：{row.reason}")


def review_results(store: Store, rnd: Round, ranking: Ranking) -> dict:
    """Everything the ministry may want to check: criteria, experts, every score, the ranking."""
    raw = scores(store, rnd)
    out = ranking.to_dict()
    out.update({
        "round": {"id": rnd.id, "title": rnd.title, "created_at": rnd.created_at,
                  "status": rnd.status, "year": rnd.year},
        "rules": rnd.rules.to_dict(),
        "experts": [{"name": e.name, "submitted_at": e.submitted_at, "source": e.source}
                    for e in experts(store, rnd)],
        "scores": {e: {cid: {k: str(float(v)) for k, v in row.items()}
                       for cid, row in per.items()} for e, per in raw.items()},
        "final": [r.id for r in ranking.selected],
    })
    return out


def pack_region(store: Store, out_path: str | os.PathLike, *, identity: Identity,
                round_id: str | None = None, recipients: Sequence[PublicKey] | None = None,
                today: dt.date | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> OfficePackResult:
    profile = load_profile(store)
    if profile.role != REGION:
        raise InputError(f"当前角色是“{profile.role_label}”，报部材料只能由自治区生成；"
                         "请在设置中把角色改为自治区（collector role region）", field="role")
    rnd = get_round(store, round_id)
    ranking = ranking_for(store, rnd)
    check_ready(store, rnd, ranking)
    ids = [r.id for r in ranking.selected]
    records = [store.get(cid).data for cid in ids]
    year = load_year(rnd.year)
    blocking = [f for f in check_quota(records, year) + check_region_total(records, year)
                if f.is_error]
    if blocking:  # cannot happen with a ranking from rank_round; kept as a last guard
        raise RegionPackRefused("；".join(f.message for f in blocking))
    warnings = check_deadline(year, today)
    recipients = list(recipients) if recipients is not None else default_recipients(store)
    with store.transaction():
        apply_final(store, rnd, ranking)
    results = _json(review_results(store, rnd, ranking))
    return write_level_package(store, ids, out_path, identity=identity, recipients=recipients,
                               profile=profile, warnings=warnings,
                               documents=[(REVIEW_DOC, results)], today=today,
                               progress=progress, cancel=cancel)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
