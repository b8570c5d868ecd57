"""Review rounds in the store: the candidate list fixed at creation, the experts, their scores.

Every change is one transaction (``Store.transaction``): a sheet import either records all of
an expert's scores or none. Scores are kept as decimal text and read back as exact fractions.
"""

from __future__ import annotations

import json
import secrets
import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Iterable

from ..common.errors import CollectorError, InputError, NotFoundError, UsageError
from ..common.fingerprint import record_fingerprint
from ..storage.store import Store, now_text
from .criteria import ReviewRules, load_review_rules

OPEN, CLOSED = "open", "closed"
SNAPSHOT_KEYS = ("name", "gender", "birth_date", "employer", "employer_type", "title",
                 "title_level", "discipline", "discipline_group", "channel", "conditions",
                 "focus_areas", "strategies", "candidate_code")


@dataclass(frozen=True)
class RoundCandidate:
    id: str
    position: int  # 1-based 序号 on the score sheet
    info: dict     # SNAPSHOT_KEYS of the record when the round was created, plus fingerprint

    @property
    def name(self) -> str:
        return self.info.get("name", "")

    @property
    def channel(self) -> tuple[str, str]:
        ch = self.info.get("channel") or {}
        return ch.get("kind", ""), ch.get("name", "")


@dataclass(frozen=True)
class Expert:
    name: str
    added_at: str
    submitted_at: str | None
    source: str | None
    scored: int  # number of (candidate, criterion) scores recorded


@dataclass
class Round:
    id: str
    year: int
    title: str
    created_at: str
    status: str
    secret: str
    rules: ReviewRules
    candidates: list[RoundCandidate] = field(default_factory=list)
    # 身份证号 by candidate id, read from the store when the round is loaded (not part of the
    # snapshot) so that a candidate can be named by ID number here too.
    id_numbers: dict[str, str] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def candidate(self, key: str) -> RoundCandidate:
        """By 编号 (or prefix), 人选代码 or 身份证号, as on every command (collector.record.candidates)."""
        from ..record.candidates import Ref, resolve

        refs = [Ref(c.id, self.id_numbers.get(c.id, ""), c.info.get("candidate_code") or "",
                    c.name) for c in self.candidates]
        found = resolve(key, refs, where=f"评审轮次 {self.id} ")
        return next(c for c in self.candidates if c.id == found.id)

    @property
    def cells_per_expert(self) -> int:
        return len(self.candidates) * len(self.rules.criteria)


class ScoreError(ValueError):
    """Why a cell is not a score; ``kind`` (e.g. 不是数字) is the same for every cell with the
    same problem, so a sheet reports a repeated problem once with the cells it affects."""

    def __init__(self, kind: str, value: object = None):
        self.kind = kind
        self.value = value
        super().__init__(kind if value is None else f"“{value}”{kind}")


def parse_score(value: object, rules: ReviewRules) -> Decimal:
    """A score as typed or read from a cell; raises ScoreError with the Chinese reason.
    Text is NFKC-folded first: full-width digits typed in a Chinese input method (８．５) are
    the ASCII score they look like, as on every other input path."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip()
    if value is None or (isinstance(value, str) and not value):
        raise ScoreError("未填写")
    if isinstance(value, bool):
        raise ScoreError("不是分数", value)
    try:
        number = Decimal(str(value)) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        raise ScoreError("不是数字", value) from None
    if not number.is_finite():
        raise ScoreError("不是数字", value)
    if number < rules.score_min or number > rules.score_max:
        raise ScoreError(f"超出评分范围 {rules.range_text()}", _plain(number))
    if number != round(number, rules.score_decimals):
        raise ScoreError(f"最多保留 {rules.score_decimals} 位小数", _plain(number))
    return number.normalize() if number else Decimal(0)


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


# -- rounds -----------------------------------------------------------------------------
def create_round(store: Store, *, title: str = "", candidate_ids: Iterable[str] | None = None,
                 year: int = 2017) -> Round:
    """A new round over the given candidates (default: every candidate in the store)."""
    rules = load_review_rules(year)
    if candidate_ids is None:
        stored = list(store.all())
    else:
        stored = [store.find(key) for key in candidate_ids]
    if not stored:
        raise UsageError("数据库中没有候选人，请先导入各盟市、区直单位报送的人选再创建评审")
    seen: set[str] = set()
    for c in stored:
        if c.id in seen:
            raise UsageError(f"候选人 {c.name}（{c.id}）重复列出")
        seen.add(c.id)
    round_id = f"PS{year}-{uuid.uuid4().hex[:8].upper()}"
    stamp = now_text()
    title = title.strip() or f"{year}年百千万人才工程国家级人选专家评审"
    with store.transaction():
        store.db.execute(
            "INSERT INTO review_rounds(id, year, title, created_at, status, secret, rules) "
            "VALUES (?,?,?,?,?,?,?)",
            [round_id, year, title, stamp, OPEN, secrets.token_hex(32),
             json.dumps(rules.to_dict(), ensure_ascii=False)])
        for pos, c in enumerate(stored, 1):
            info = {k: c.data.get(k) for k in SNAPSHOT_KEYS}
            info["fingerprint"] = record_fingerprint(c.data)
            store.db.execute(
                "INSERT INTO review_candidates(round_id, candidate_id, position, snapshot) "
                "VALUES (?,?,?,?)", [round_id, c.id, pos, json.dumps(info, ensure_ascii=False)])
    return get_round(store, round_id)


def list_rounds(store: Store) -> list[dict]:
    cur = store.db.execute(
        "SELECT r.id, r.title, r.created_at, r.status, "
        "(SELECT count(*) FROM review_candidates c WHERE c.round_id=r.id), "
        "(SELECT count(*) FROM review_experts e WHERE e.round_id=r.id) "
        "FROM review_rounds r ORDER BY r.created_at, r.rowid")
    return [{"id": r[0], "title": r[1], "created_at": r[2], "status": r[3],
             "candidates": r[4], "experts": r[5]} for r in cur.fetchall()]


def get_round(store: Store, round_id: str | None = None) -> Round:
    """A round by id; without one, the most recent round."""
    if round_id:
        row = store.db.execute("SELECT * FROM review_rounds WHERE id=?", [round_id]).fetchone()
        if row is None:
            raise NotFoundError(f"本数据库中没有评审轮次 {round_id}（review list 可列出全部轮次）")
    else:
        row = store.db.execute(
            "SELECT * FROM review_rounds ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
        if row is None:
            raise NotFoundError("还没有评审轮次，请先运行 collector review new")
    rid, year, title, created_at, status, secret, rules, _closed = row
    rnd = Round(rid, year, title, created_at, status, secret,
                ReviewRules.from_dict(json.loads(rules)))
    cur = store.db.execute(
        "SELECT candidate_id, position, snapshot FROM review_candidates WHERE round_id=? "
        "ORDER BY position", [rid])
    rnd.candidates = [RoundCandidate(cid, pos, json.loads(snap)) for cid, pos, snap in cur]
    rnd.id_numbers = dict(store.db.execute(
        "SELECT c.id, c.id_number FROM candidates c JOIN review_candidates r "
        "ON r.candidate_id=c.id WHERE r.round_id=?", [rid]).fetchall())
    return rnd


def close_round(store: Store, rnd: Round) -> None:
    """Lock the round: no more experts or scores (the final list is then fixed)."""
    with store.transaction():
        store.db.execute("UPDATE review_rounds SET status=?, closed_at=? WHERE id=?",
                         [CLOSED, now_text(), rnd.id])
    rnd.status = CLOSED


def require_open(rnd: Round) -> None:
    if not rnd.is_open:
        raise CollectorError(f"评审轮次 {rnd.id} 已结束，不能再修改专家或评分")


# -- experts ----------------------------------------------------------------------------
def clean_expert_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InputError("专家姓名不能为空", field="expert")
    if len(cleaned) > 30:
        raise InputError(f"专家姓名“{cleaned[:30]}…”超过 30 个字", field="expert")
    return cleaned


def add_expert(store: Store, rnd: Round, name: str) -> str:
    require_open(rnd)
    name = clean_expert_name(name)
    with store.transaction():
        if _expert_row(store, rnd.id, name):
            raise InputError(f"专家“{name}”已在评审轮次 {rnd.id} 中", field="expert")
        store.db.execute("INSERT INTO review_experts(round_id, name, added_at) VALUES (?,?,?)",
                         [rnd.id, name, now_text()])
    return name


def remove_expert(store: Store, rnd: Round, name: str) -> None:
    """Remove an expert and every score they gave (one transaction)."""
    require_open(rnd)
    name = require_expert(store, rnd, name)
    with store.transaction():
        store.db.execute("DELETE FROM review_scores WHERE round_id=? AND expert=?", [rnd.id, name])
        store.db.execute("DELETE FROM review_experts WHERE round_id=? AND name=?", [rnd.id, name])


def _expert_row(store: Store, round_id: str, name: str):
    return store.db.execute("SELECT name, added_at, submitted_at, source FROM review_experts "
                            "WHERE round_id=? AND name=?", [round_id, name]).fetchone()


def require_expert(store: Store, rnd: Round, name: str) -> str:
    name = clean_expert_name(name)
    if not _expert_row(store, rnd.id, name):
        known = "、".join(e.name for e in experts(store, rnd)) or "（尚无）"
        raise NotFoundError(f"专家“{name}”不在评审轮次 {rnd.id} 中；已登记的专家：{known}。"
                            "请先用 review expert add 登记")
    return name


def experts(store: Store, rnd: Round) -> list[Expert]:
    cur = store.db.execute(
        "SELECT e.name, e.added_at, e.submitted_at, e.source, "
        "(SELECT count(*) FROM review_scores s WHERE s.round_id=e.round_id AND s.expert=e.name) "
        "FROM review_experts e WHERE e.round_id=? ORDER BY e.added_at, e.rowid", [rnd.id])
    return [Expert(*row) for row in cur.fetchall()]


# -- scores -----------------------------------------------------------------------------
def scores(store: Store, rnd: Round) -> dict[str, dict[str, dict[str, Fraction]]]:
    """{expert: {candidate_id: {criterion: score}}} for the round."""
    out: dict[str, dict[str, dict[str, Fraction]]] = {}
    cur = store.db.execute("SELECT expert, candidate_id, criterion, score FROM review_scores "
                           "WHERE round_id=?", [rnd.id])
    for expert, cid, crit, score in cur.fetchall():
        out.setdefault(expert, {}).setdefault(cid, {})[crit] = Fraction(Decimal(score))
    return out


def record_scores(store: Store, rnd: Round, expert: str,
                  values: dict[str, dict[str, Decimal]], *, replace: bool,
                  whole_sheet: bool, source: str) -> int:
    """Write an expert's already-validated scores in one transaction.

    ``whole_sheet``: ``values`` is the expert's complete sheet; any earlier scores of this
    expert are an error unless ``replace`` (then they are dropped first). Otherwise (direct
    entry) only the given candidates are touched, and re-scoring one of them needs ``replace``.
    """
    require_open(rnd)
    expert = require_expert(store, rnd, expert)
    known = {c.id for c in rnd.candidates}
    crits = set(rnd.rules.criterion_ids)
    for cid, row in values.items():
        if cid not in known:
            raise InputError(f"人选 {cid} 不在评审轮次 {rnd.id} 中")
        if set(row) - crits:
            raise InputError(f"未知评分项：{'、'.join(sorted(set(row) - crits))}")
    with store.transaction():
        before = store.db.execute(
            "SELECT candidate_id, count(*) FROM review_scores WHERE round_id=? AND expert=? "
            "GROUP BY candidate_id", [rnd.id, expert]).fetchall()
        already = {cid for cid, _n in before}
        if whole_sheet and already and not replace:
            sub = _expert_row(store, rnd.id, expert)[2]
            raise InputError(f"专家“{expert}”已提交过评分"
                             f"（{sub or '已录入 ' + str(len(already)) + ' 名人选'}），"
                             "同一专家不能重复评分；如确需以新评分表替换，请选择“替换已有评分”（命令行加 --replace）")
        twice = sorted(already & set(values))
        if twice and not replace:
            names = "、".join(rnd.candidate(c).name for c in twice[:5])
            raise InputError(f"专家“{expert}”已为 {names} 评过分，不能重复评分；"
                             "如需修改请选择“替换已有评分”（命令行加 --replace）")
        if whole_sheet:
            store.db.execute("DELETE FROM review_scores WHERE round_id=? AND expert=?",
                             [rnd.id, expert])
        for cid, row in values.items():
            for crit, score in row.items():
                store.db.execute(
                    "INSERT OR REPLACE INTO review_scores(round_id, expert, candidate_id, "
                    "criterion, score) VALUES (?,?,?,?,?)",
                    [rnd.id, expert, cid, crit, _plain(score)])
        total = store.db.execute("SELECT count(*) FROM review_scores WHERE round_id=? AND "
                                 "expert=?", [rnd.id, expert]).fetchone()[0]
        complete = total == rnd.cells_per_expert
        store.db.execute("UPDATE review_experts SET submitted_at=?, source=? "
                         "WHERE round_id=? AND name=?",
                         [now_text() if complete else None, source, rnd.id, expert])
    return sum(len(r) for r in values.values())
