"""Where a record's data can be traced to (DESIGN §6 "Provenance, never silent"): one class per
record, worked out from the chain of signatures when it is imported, stored in its ``source``
and shown wherever the record is shown or sent upward.

- 申报人签名已核对: the applicant's own signed package was opened here and the record matches it;
- 本级录入: an office entered it (no applicant signature);
- 无法核对: the package it came from is nested but this installation cannot open it.

Only the first may be called ``签名链：通过``. An applicant key that reached this installation
with no unit package between is flagged until its paper form is checked here (``paper.py``): a
key minted by an office in between looks exactly like a real one in the file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..common.fingerprint import record_fingerprint, short
from ..record.model import id_key
from ..storage.store import StoredCandidate

if TYPE_CHECKING:
    from .tree import ChainNode

VERIFIED, ENTERED, UNVERIFIABLE = "申报人签名已核对", "本级录入", "无法核对"
# Fields the levels above the applicant fill in; everything else is the applicant's own.
OFFICE_KEYS = frozenset({"unit_opinion", "candidate_code"})
CLASSES = (VERIFIED, ENTERED, UNVERIFIABLE)
# The notice sends every signed paper form to the region and disqualifies any mismatch: the
# region matches each candidate's paper itself before 推荐 (a step of the work, not an alarm).
REGION_PAPER = "自治区须亲自核对每名人选的纸质登记表"
UNIT_ROLE = "单位"


@dataclass
class Provenance:
    klass: str
    detail: str = ""             # why, one sentence naming the level or package
    applicant_key: str = ""      # who signed the record at the bottom (applicant or office)
    record: str = ""             # that record's fingerprint (what the paper form's QR holds)
    entered_by: str = ""         # the office that entered it (本级录入)
    path: list[str] = field(default_factory=list)  # the levels it passed, top first
    paper_needed: str = ""       # why this installation must check the paper itself
    below: list[dict] = field(default_factory=list)  # paper checks claimed by lower levels
    accepted: dict | None = None  # an operator's decision to accept it anyway
    local: bool = False          # entered (or changed) at this installation
    own: str = ""                # fingerprint of the applicant's own fields as imported
    # Levels on its way whose keys are not in this installation's register (register.py).
    unregistered: list[str] = field(default_factory=list)
    # Registered levels on its way whose channel is not the candidate's own 推荐渠道.
    mismatched: list[str] = field(default_factory=list)
    # Who vouches that the applicant key is the applicant's: a registered unit's paper check,
    # or only this level's own (VERIFIED only; "" when nobody has yet).
    vouched: str = ""
    edited_here: bool = False    # received in a package, then changed at this installation

    @property
    def verified(self) -> bool:
        return self.klass == VERIFIED

    def label(self) -> str:
        if self.klass == ENTERED:
            return f"{ENTERED}（{self.entered_by or '本机'}）"
        if self.klass == VERIFIED and self.vouched:
            return f"{VERIFIED}（{self.vouched}）"
        return self.klass

    def to_json(self) -> dict:
        out = asdict(self)
        out["class"] = out.pop("klass")
        return out

    @classmethod
    def from_json(cls, raw: dict) -> "Provenance":
        known = set(cls.__dataclass_fields__)
        raw = dict(raw, klass=raw.get("class", raw.get("klass")))
        return cls(**{k: v for k, v in raw.items() if k in known})


def record_name(rec: dict) -> str:
    """A received record's name for messages; a hand-made package may leave it out."""
    return str(rec.get("name") or "")


def own_fingerprint(record: dict) -> str:
    """The applicant's own fields (all but OFFICE_KEYS): a local edit of them changes this."""
    return record_fingerprint({k: v for k, v in record.items() if k not in OFFICE_KEYS})


def record_number(rec: dict) -> str:
    """The ID number a record is keyed by, in the chain too: folded, trimmed, upper-case."""
    return id_key(rec.get("id_number"))


def classify_all(root: "ChainNode") -> dict[str, Provenance]:
    """Each candidate of the received package (``root``), by ID number."""
    return {record_number(rec): classify(root, record_number(rec)) for rec in root.candidates}


def classify(root: "ChainNode", number: str) -> Provenance:
    """Follow the candidate down the chain to the package its data was taken from."""
    prov = _classify(root, number)
    passed = list(_passed(root, number))
    prov.unregistered = [n.unregistered for n in passed if n.unregistered]
    record = root.record(number) or {}
    channel = str((record.get("channel") or {}).get("name", "") if isinstance(
        record.get("channel"), dict) else "")
    for node in passed:
        registered = getattr(node.registered, "channel", None) or {}
        if registered.get("name") and registered.get("name") != channel:
            prov.mismatched.append(f"{node.who}登记的推荐渠道是{registered['name']}，"
                                   f"人选填写的推荐渠道却是{channel or '（空）'}")
    return prov


def _passed(root: "ChainNode", number: str):
    """The levels a candidate's data passed, top first (as ``_classify`` walks them)."""
    node = root
    for _ in range(16):
        yield node
        src = node.taken.get(number, "")
        child = node.child(src) if src else None
        if node.is_applicant or child is None:
            return
        node = child


def _classify(root: "ChainNode", number: str) -> Provenance:
    node, parent, path, below = root, None, [], []
    for _ in range(16):  # the chain's own depth cap is lower; this only bounds a loop
        if node.is_applicant and not node.children:
            return _applicant(root, node, parent, number, path, below)
        path.append(node.who)
        claim = node.claims.get(number) or {}
        if isinstance(claim.get("paper"), dict):
            below.append(dict(claim["paper"], level=node.unit or node.role_label))
        src = node.taken.get(number, "")
        if src is None:
            return Provenance(ENTERED, f"{node.who}录入，没有申报人签名的报送包",
                              applicant_key=node.signer, record=node.fingerprints.get(number, ""),
                              entered_by=node.unit or node.role_label, path=path, below=below)
        child = node.child(src) if src else None
        if child is None:
            return Provenance(UNVERIFIABLE, f"{node.who}的报送包没有注明该人选取自哪个报送包",
                              path=path, below=below)
        if child.sealed or not child.ok:
            why = "未加密给本机" if child.sealed else (child.error or "无法打开")
            return Provenance(UNVERIFIABLE,
                              f"数据取自内层报送包 {Path(child.name).name}（签名 "
                              f"{short(child.signer) if child.signer else '未知'}），{why}，"
                              "本机无法打开核对",
                              applicant_key=str(claim.get("applicant_key", "")),
                              record=str(claim.get("applicant_record", "")),
                              path=path, below=below)
        parent, node = node, child
    return Provenance(UNVERIFIABLE, "嵌套层数过多", path=path, below=below)


def _applicant(root: "ChainNode", node: "ChainNode", parent: "ChainNode | None", number: str,
               path: list[str], below: list[dict]) -> Provenance:
    prov = Provenance(VERIFIED, f"申报人本人签名（{short(node.signer)}）的报送包已打开，数据一致",
                      applicant_key=node.signer, record=node.fingerprints.get(number, ""),
                      path=path + ["申报人"], below=below)
    if parent is None:
        prov.paper_needed = "申报人直接报送到本机，其签名密钥首次在本机出现"
    elif parent.role_label != UNIT_ROLE or parent.unregistered:
        # With a key register the level is the registered one, never the package's own word.
        prov.paper_needed = (f"申报人报送包由{parent.who}直接转报，中间没有单位报送包，"
                             "申报人签名密钥无法由文件本身证明")
    else:
        paper = (parent.claims.get(number) or {}).get("paper")
        checked = isinstance(paper, dict) and paper.get("status") == "matched"
        prov.vouched = (f"申报人密钥经{parent.unit or parent.role_label}纸质核对" if checked else
                        f"申报人密钥由{parent.unit or parent.role_label}转报，未注明纸质核对")
    return prov


def of(cand: StoredCandidate, own_unit: str = "") -> Provenance:
    """The provenance stored with a record; records entered here and older imports get theirs
    from what is known."""
    src = cand.source or {}
    raw = src.get("provenance")
    if isinstance(raw, dict) and raw.get("class") in CLASSES:
        prov = Provenance.from_json(raw)
        if prov.own and prov.own != own_fingerprint(cand.data) and not prov.local:
            # edited here after import: no longer what the applicant (or the level below) signed
            return Provenance(ENTERED, f"导入后在本机改动了申报人填写的内容（原为{prov.klass}），"
                              "不再是申报人本人签名的数据；上级核对签名链时会发现不一致",
                              applicant_key=prov.applicant_key, record=prov.record,
                              entered_by=own_unit or "本机", path=prov.path, below=prov.below,
                              local=True, unregistered=prov.unregistered,
                              mismatched=prov.mismatched, edited_here=True)
        return prov
    if not src.get("signer"):
        return Provenance(ENTERED, "在本机录入", record=record_fingerprint(cand.data),
                          entered_by=own_unit or "本机", local=True)
    if src.get("signer_role") == "个人":
        return Provenance(VERIFIED, "申报人本人签名的报送包（旧版本导入）",
                          applicant_key=src["signer"], path=["申报人"],
                          paper_needed="申报人直接报送到本机，其签名密钥首次在本机出现")
    return Provenance(UNVERIFIABLE, "旧版本导入，未记录签名链核对结果；请重新导入该报送包")


def source_text(source: dict | None) -> str:
    """Where a stored record came from, for messages: file name and sending unit."""
    src = source or {}
    return f"{src.get('file', '本机录入')}（{src.get('signer_unit', '') or '本机'}）"
