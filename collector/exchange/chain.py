"""The chain of signatures inside an office package: every level's signature checked, down to
each applicant's own package, and each candidate's applicant-owned data compared with what the
applicant signed (DESIGN §2: no one in between may alter it).

Each level's candidates are its own claims. A candidate is compared with the nested package the
level took it from (its recorded source, ``documents/sources.json``), which in turn was checked
against its own source, down to the applicant. The other candidates of a nested package are not
claims of the level that nests it: after 以此份替换 the old package still rides along for its
other candidates, and its copy of the replaced candidate is listed as superseded (a note)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..common.errors import CollectorError
from ..record.fields import label_of
from ..common.fingerprint import short
from ..common.jsonio import parse_json_bytes
from ..record.model import id_key
from ..rpu.keys import Identity
from ..rpu.reader import Package, inspect, open_package
from .documents import SOURCES_DOC
# OFFICE_KEYS: what the levels above fill in; record_number: how candidates are keyed, here too
from .provenance import OFFICE_KEYS, record_name
from .provenance import classify_all
from .register_check import apply_register
from .tree import MAX_DEPTH, ChainNode
from .provenance import record_number as _number

@dataclass
class ChainReport:
    root: ChainNode
    problems: list[str]
    notes: list[str]
    # ID number -> the provenance of each candidate of the received package (provenance.py).
    provenance: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No signature or comparison failed (the package may still hold records that cannot be
        traced to their applicant: see ``passed``)."""
        return not self.problems

    @property
    def passed(self) -> bool:
        """签名链：通过 — every candidate traced to its applicant's own signed package."""
        return self.ok and all(p.verified for p in self.provenance.values())

    def lines(self) -> list[str]:
        out: list[str] = []
        _tree(self.root, "", out)
        out += [f"问题：{p}" for p in self.problems] + [f"说明：{n}" for n in self.notes]
        n = len(self.root.candidates)
        opened = sum(1 for x in self.root.walk() if not x.sealed)
        if self.passed:
            out.append(f"签名链校验通过：打开并核对 {opened} 个报送包，{n} 名候选人")
        elif self.ok:
            out.append(f"签名链：各层签名有效（打开 {opened} 个报送包），但有候选人不能核对到申报人本人签名：")
        for rec in self.root.candidates:
            prov = self.provenance.get(_number(rec))
            if prov is not None and (not prov.verified or prov.paper_needed):
                what = prov.label() if not prov.verified else "须核对纸质材料"
                why = prov.detail if not prov.verified else prov.paper_needed
                out.append(f"来源：{record_name(rec)}（{_number(rec)}）：{what}——{why}")
        return out

    def to_json(self) -> dict:
        return {"ok": self.ok, "passed": self.passed, "problems": self.problems,
                "notes": self.notes, "root": _node_json(self.root),
                "provenance": {k: v.to_json() for k, v in self.provenance.items()}}


def read_chain(path: Path, identity: Identity, package: Package | None = None, *,
               register: list | None = None) -> ChainReport:
    """``read_tree`` with each candidate's provenance classified (``inspect --chain``,
    verify-print); the intake pipeline runs the two as stages of their own."""
    report = read_tree(path, identity, package, register=register)
    return replace(report, provenance=classify_all(report.root))


def read_tree(path: Path, identity: Identity, package: Package | None = None, *,
              register: list | None = None) -> ChainReport:
    """Open ``path`` (or use ``package``, already opened from it) and every package nested in
    it; never raises for a bad inner package. With this installation's key ``register``
    (``register.entries``), every level's signer is looked up in it (or in the register its
    registered parent carries): who a signer is comes from there, not from its package."""
    with tempfile.TemporaryDirectory(prefix="collector-chain-") as tmp:
        try:
            pkg = package or open_package(path, identity)
        except CollectorError as err:
            raise CollectorError(f"无法校验签名链：{err}") from None
        root = _node(Path(path).name, pkg, identity, Path(tmp), 0)
    if register is not None:
        apply_register(root, register)
    problems, notes = _check(root)
    return ChainReport(root, problems, notes)


def _node(name: str, pkg: Package, identity: Identity, tmp: Path, depth: int) -> ChainNode:
    s = pkg.signer
    node = ChainNode(name, True, signer=pkg.signer_fingerprint, role=s.get("role", ""),
                     unit=s.get("unit", "") or s.get("name", ""),
                     created=pkg.manifest.get("created", ""),
                     candidates=pkg.candidates)
    parts = pkg.parts
    node.fingerprints = {_number(rec): parts[name].sha256 for name, rec in pkg.candidate_parts}
    _read_sources(node, pkg)
    _read_register(node, pkg)
    for entry in pkg.nested:
        if depth + 1 >= MAX_DEPTH:
            node.children.append(ChainNode(entry.name, False, "嵌套层数过多", sha256=entry.sha256))
            continue
        # A folder of its own for each nested package: siblings at the same depth (the unit
        # packages of one 盟市) each nest packages of their own.
        work = Path(tempfile.mkdtemp(prefix=f"{depth}-", dir=tmp))
        try:
            dest = pkg.extract_part(entry.name, work / "inner.rpu")
            head = inspect(dest)
            if identity.fingerprint not in head["recipients"]:
                # Sealed for other levels only (e.g. an applicant's package seen by the 盟市
                # office): its signature is checked by whoever holds a key, the region.
                node.children.append(ChainNode(entry.name, True, sealed=True,
                                               signer=head["sender_fingerprint"],
                                               created=head["created"], sha256=entry.sha256))
                continue
            inner = open_package(dest, identity)
        except CollectorError as err:
            node.children.append(ChainNode(entry.name, False, str(err), sha256=entry.sha256))
            continue
        child = _node(entry.name, inner, identity, tmp, depth + 1)
        child.sha256 = entry.sha256
        node.children.append(child)
    return node


def _read_sources(node: ChainNode, pkg: Package) -> None:
    if SOURCES_DOC not in pkg.parts:
        return  # written before sources were recorded: matched by ID number (see _check)
    from .sources import read_sources

    try:  # its shape checked first: it comes from the level below and may be anything
        raw = read_sources(pkg.read_part(SOURCES_DOC))
    except CollectorError as err:
        node.sources = None
        node.sources_error = str(err) if str(err).startswith("FORMAT") else \
            f"{SOURCES_DOC} 无法读取"
        return
    node.sources = {id_key(k): (v.get("package") or None) for k, v in raw.items()}
    node.claims = {id_key(k): v for k, v in raw.items()}


def _read_register(node: ChainNode, pkg: Package) -> None:
    from ..office.register import REGISTER_DOC, Registered

    if REGISTER_DOC not in pkg.parts:
        return
    try:
        raw = parse_json_bytes(pkg.read_part(REGISTER_DOC), REGISTER_DOC)
    except (CollectorError, UnicodeDecodeError, ValueError):
        raw = None
    if not isinstance(raw, list) or not all(isinstance(v, dict) for v in raw):
        # Never dropped in silence: its units would all be held as unregistered, unexplained.
        node.register_error = f"{REGISTER_DOC} 无法读取（FORMAT）"
        return
    node.carried_register = [e for e in map(Registered.from_json, raw) if e]


def _base(name: str | None) -> str:
    return Path(name).name if name else ""


def _check(root: ChainNode) -> tuple[list[str], list[str]]:
    problems, notes = [], []
    for node in root.walk():
        if not node.ok:
            problems.append(f"内层报送包 {node.name} 无法校验：{node.error}")
        elif node.sealed:
            notes.append(f"内层报送包 {node.name}（签名 {short(node.signer)}）未加密给本机，"
                         "本机无法打开核对")
    anything_sealed = any(x.sealed for x in root.walk())
    for node in root.walk():
        if not node.ok or node.sealed or node.is_applicant:
            continue
        for error in (node.sources_error, node.register_error):
            if error:
                problems.append(f"{node.who} 的报送包中 {error}")
        for rec in node.candidates:
            number = _number(rec)
            if node.sources is not None and number in node.sources:
                _check_claimed(node, rec, number, problems, notes)
            else:
                _check_by_number(node, rec, number, problems, notes,
                                 note_unsigned=node is root and not anything_sealed)
        _mark_superseded(node, notes, problems)
    return problems, notes


def _changed(original: dict, rec: dict) -> list[str]:
    return sorted(k for k in set(original) | set(rec)
                  if k not in OFFICE_KEYS and original.get(k) != rec.get(k))


def _mismatch(node: ChainNode, rec: dict, child: ChainNode, changed: list[str]) -> str:
    against = "申报人签名的数据" if child.is_applicant else \
        f"所取自的 {_base(child.name)}（{child.unit or child.role_label}）中的数据"
    return (f"{node.who}报送的{record_name(rec)} 与{against}不一致："
            + "、".join(label_of(k) for k in changed))


def _unsigned(node: ChainNode, rec: dict, number: str) -> str:
    return (f"{record_name(rec)}（{number}）没有申报人本人签名的报送包，"
            f"由{node.unit or node.role_label}录入")


def _check_claimed(node: ChainNode, rec: dict, number: str, problems: list[str],
                   notes: list[str]) -> None:
    """The level named where it took the candidate: compare with that package's copy only (which
    is checked against its own source in turn, down to the applicant)."""
    name = node.sources[number]
    who = f"{node.who}报送的{record_name(rec)}（{number}）"
    if name is None:
        node.taken[number] = None
        notes.append(_unsigned(node, rec, number))
        return
    child = node.child(name)
    if child is None:
        problems.append(f"{who}注明取自内层报送包 {_base(name)}，但报送包中没有该文件")
        return
    if not child.ok or child.sealed:
        node.taken[number] = name
        return  # already a problem, or checked by the level that can open it
    original = child.record(number)
    if original is None:  # not taken from there, whatever the level says: traced no further
        problems.append(f"{who}注明取自内层报送包 {_base(name)}，但其中没有该候选人")
        return
    node.taken[number] = name
    changed = _changed(original, rec)
    if changed:
        problems.append(_mismatch(node, rec, child, changed))


def _check_by_number(node: ChainNode, rec: dict, number: str, problems: list[str],
                     notes: list[str], *, note_unsigned: bool) -> None:
    """No recorded source (a package written before sources were recorded): the copy must match
    one of the nested packages that carry this ID number."""
    carriers = [c for c in node.children
                if c.ok and not c.sealed and c.record(number) is not None]
    if not carriers:
        node.taken[number] = ""
        if note_unsigned:
            notes.append(_unsigned(node, rec, number))
        return
    for child in carriers:
        if not _changed(child.record(number), rec):
            node.taken[number] = child.name
            return
    node.taken[number] = ""
    child = carriers[0]
    problems.append(_mismatch(node, rec, child, _changed(child.record(number), rec)))


def _mark_superseded(node: ChainNode, notes: list[str], problems: list[str]) -> None:
    """A nested package's copy of a candidate this level took from another nested package:
    listed, not an error (e.g. the old package after 以此份替换, still nested for its other
    candidates). A level that says it entered a candidate itself while nesting a different
    signed copy of the same person is a problem: that is how an altered record would hide."""
    for child in node.children:
        if not child.ok or child.sealed:
            continue
        for rec in child.candidates:
            number = _number(rec)
            if number not in node.taken or node.taken[number] in (child.name, ""):
                continue
            src = node.taken[number]
            own = node.record(number)
            changed = _changed(rec, own) if src is None and own is not None else []
            if changed:
                problems.append(
                    f"{node.who}报送的{record_name(rec)}（{number}）注明为本级录入，但内层报送包 "
                    f"{_base(child.name)} 中有另一份签名数据，二者不一致："
                    + "、".join(label_of(k) for k in changed) + "；请向报送方核实")
                continue
            child.superseded.add(number)
            used = f"取自 {_base(src)} 的一份" if src else "本级录入的一份"
            notes.append(f"{record_name(rec)}（{number}）：内层报送包 {_base(child.name)} 中的"
                         f"一份已被替换，未采用；{node.unit or node.role_label}报送的是{used}")


def _tree(node: ChainNode, indent: str, out: list[str]) -> None:
    if node.sealed:
        out.append(f"{indent}· {node.name}  签名 {short(node.signer)}（未加密给本机，未打开）")
    elif node.ok:
        who = f"{node.role_label} {node.unit}".strip()
        names = "、".join(r.get("name", "") + _mark(node, r) for r in node.candidates)
        said = f"（报送包自称：{node.claimed}）" if node.claimed else ""
        out.append(f"{indent}✔ {node.name}  签名 {short(node.signer)}  {who}{said}  {node.created}"
                   + (f"  候选人：{names}" if names else ""))
    else:
        out.append(f"{indent}✘ {node.name}  {node.error}")
    for child in node.children:
        _tree(child, indent + "    ", out)


def _mark(node: ChainNode, rec: dict) -> str:
    number = _number(rec)
    if number in node.superseded:
        return "（已被替换，未采用）"
    if node.is_applicant or number not in node.taken or node.taken[number] == "":
        return ""
    src = node.taken[number]
    return f"（取自 {_base(src)}）" if src else "（本级录入）"


def _node_json(node: ChainNode) -> dict:
    return {"name": node.name, "ok": node.ok, "sealed": node.sealed, "error": node.error,
            "sha256": node.sha256,
            "signer": node.signer,
            "role": node.role, "unit": node.unit, "created": node.created,
            "candidates": [{"name": r.get("name", ""), "id_number": r.get("id_number", ""),
                            "source": node.taken.get(_number(r)),
                            "superseded": _number(r) in node.superseded}
                           for r in node.candidates],
            "children": [_node_json(c) for c in node.children]}
