"""The chain of signatures inside an office package: every level's signature checked, down to
each applicant's own package, and each candidate's applicant-owned data compared with what the
applicant signed (DESIGN §2: no one in between may alter it)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CollectorError, InputError
from ..fingerprint import short
from ..fields import label_of
from ..rpu.keys import Identity
from ..rpu.packing import ROLES
from ..rpu.reader import Package, inspect, open_package
from .profile import APPLICANT, ROLE_LABELS, role_key

MAX_DEPTH = 6
# Fields the levels above the applicant fill in; everything else is the applicant's own.
OFFICE_KEYS = frozenset({"unit_opinion", "candidate_code"})


@dataclass
class ChainNode:
    name: str
    ok: bool
    error: str = ""
    signer: str = ""
    role: str = ""
    unit: str = ""
    created: str = ""
    candidates: list[dict] = field(default_factory=list)  # the verified records
    sealed: bool = False  # not encrypted to us: present, but not opened
    children: list["ChainNode"] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        if self.role in ROLES:  # the manifest's own word (盟市 or 厅局, not 盟市/厅局)
            return self.role
        try:
            return ROLE_LABELS[role_key(self.role)]
        except InputError:
            return self.role or "未知"

    @property
    def is_applicant(self) -> bool:
        try:
            return role_key(self.role) == APPLICANT
        except InputError:
            return False

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ChainReport:
    root: ChainNode
    problems: list[str]
    notes: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        out: list[str] = []
        _tree(self.root, "", out)
        out += [f"问题：{p}" for p in self.problems] + [f"说明：{n}" for n in self.notes]
        if self.ok:
            n = len(self.root.candidates)
            opened = sum(1 for x in self.root.walk() if not x.sealed)
            out.append(f"签名链校验通过：打开并核对 {opened} 个报送包，{n} 名候选人")
        return out

    def to_json(self) -> dict:
        return {"ok": self.ok, "problems": self.problems, "notes": self.notes,
                "root": _node_json(self.root)}


def read_chain(path: Path, identity: Identity) -> ChainReport:
    """Open ``path`` and every package nested in it; never raises for a bad inner package."""
    with tempfile.TemporaryDirectory(prefix="collector-chain-") as tmp:
        try:
            pkg = open_package(path, identity)
        except CollectorError as err:
            raise CollectorError(f"无法校验签名链：{err}") from None
        root = _node(Path(path).name, pkg, identity, Path(tmp), 0)
    problems, notes = _check(root)
    return ChainReport(root, problems, notes)


def _node(name: str, pkg: Package, identity: Identity, tmp: Path, depth: int) -> ChainNode:
    s = pkg.signer
    node = ChainNode(name, True, signer=pkg.signer_fingerprint, role=s.get("role", ""),
                     unit=s.get("unit", "") or s.get("name", ""),
                     created=pkg.manifest.get("created", ""),
                     candidates=pkg.candidates)
    for entry in pkg.nested:
        if depth + 1 >= MAX_DEPTH:
            node.children.append(ChainNode(entry.name, False, "嵌套层数过多"))
            continue
        work = tmp / f"{depth}-{len(node.children)}"
        work.mkdir()
        try:
            dest = pkg.extract_part(entry.name, work / "inner.rpu")
            head = inspect(dest)
            if identity.fingerprint not in head["recipients"]:
                # Sealed for other levels only (e.g. an applicant's package seen by the 盟市
                # office): its signature is checked by whoever holds a key, the region.
                node.children.append(ChainNode(entry.name, True, sealed=True,
                                               signer=head["sender_fingerprint"],
                                               created=head["created"]))
                continue
            inner = open_package(dest, identity)
        except CollectorError as err:
            node.children.append(ChainNode(entry.name, False, str(err)))
            continue
        node.children.append(_node(entry.name, inner, identity, tmp, depth + 1))
    return node


def _check(root: ChainNode) -> tuple[list[str], list[str]]:
    problems, notes = [], []
    for node in root.walk():
        if not node.ok:
            problems.append(f"内层报送包 {node.name} 无法校验：{node.error}")
        elif node.sealed:
            notes.append(f"内层报送包 {node.name}（签名 {short(node.signer)}）未加密给本机，"
                         "由上级核对其签名")
    signed = {}  # ID number -> (record, where) as the applicant signed it
    for node in root.walk():
        if node.ok and not node.sealed and node.is_applicant:
            for rec in node.candidates:
                signed[str(rec.get("id_number", "")).upper()] = (rec, node)
    for node in root.walk():
        if not node.ok or node.sealed or node.is_applicant:
            continue
        for rec in node.candidates:
            number = str(rec.get("id_number", "")).upper()
            if number not in signed:
                if node is root and not any(x.sealed for x in root.walk()):
                    notes.append(f"{rec.get('name', '')}（{number}）没有申报人本人签名的报送包，"
                                 f"由{node.unit or node.role_label}录入")
                continue
            original, where = signed[number]
            changed = sorted(k for k in set(original) | set(rec)
                             if k not in OFFICE_KEYS and original.get(k) != rec.get(k))
            if changed:
                problems.append(
                    f"{node.unit or node.role_label}（{short(node.signer)}）报送的"
                    f"{rec.get('name', '')} 与申报人签名的数据不一致："
                    + "、".join(label_of(k) for k in changed))
    return problems, notes


def _tree(node: ChainNode, indent: str, out: list[str]) -> None:
    if node.sealed:
        out.append(f"{indent}· {node.name}  签名 {short(node.signer)}（未加密给本机，未打开）")
    elif node.ok:
        who = f"{node.role_label} {node.unit}".strip()
        names = "、".join(r.get("name", "") for r in node.candidates)
        out.append(f"{indent}✔ {node.name}  签名 {short(node.signer)}  {who}  {node.created}"
                   + (f"  候选人：{names}" if names else ""))
    else:
        out.append(f"{indent}✘ {node.name}  {node.error}")
    for child in node.children:
        _tree(child, indent + "    ", out)


def _node_json(node: ChainNode) -> dict:
    return {"name": node.name, "ok": node.ok, "sealed": node.sealed, "error": node.error,
            "signer": node.signer,
            "role": node.role, "unit": node.unit, "created": node.created,
            "candidates": [{"name": r.get("name", ""), "id_number": r.get("id_number", "")}
                           for r in node.candidates],
            "children": [_node_json(c) for c in node.children]}
