"""Every level of a received chain looked up in the key register (``register.py``): the
sending office in this installation's own register, a unit below it in the register that
office carries up in its signed package (trusted only because the office is registered).

A level whose key is in neither is marked ``unregistered``: its candidates are held
(``报送方密钥未登记``), never ``通过``. Applicant packages are not registered: their keys are
vouched for on paper (``paper.py``) by the unit or here."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..common.fingerprint import short
from .tree import ChainNode
from ..office.register import CARRIED, Registered, find

UNIT_LEVEL = "单位"
OFFICE_LEVELS = ("盟市", "厅局")


def apply_register(root: ChainNode, register: list[Registered]) -> None:
    _visit(root, None, register)


def _visit(node: ChainNode, parent: ChainNode | None, register: list[Registered]) -> None:
    # A nested package this installation cannot open (sealed, damaged) says nothing of its
    # signer's level: the level that can open it checks it (its candidates are 无法核对 here).
    opened = node.ok and not node.sealed
    if (parent is None or opened) and (not node.is_applicant or node.children):
        entry = find(register, node.signer)
        if entry is None and parent is not None and parent.registered is not None:
            entry = _carried(parent, node.signer)
        if entry is not None:
            claimed = f"{node.role_label}{node.unit}"
            node.registered = entry
            node.unit, node.role = entry.unit, entry.level
            if claimed and claimed != f"{entry.level}{entry.unit}" and node.ok:
                node.claimed = claimed  # shown beside the registered name
        elif node.signer:
            said = f"{node.role_label} {node.unit}".strip() if node.ok and not node.sealed else "未知"
            node.unregistered = (f"{Path(node.name).name} 的签名密钥 {short(node.signer)} 未在本机"
                                 f"{'或上级的密钥登记中' if parent is not None else '的密钥登记中'}"
                                 f"登记（报送包自称：{said}）")
    for child in node.children:
        _visit(child, node, register)


def _carried(parent: ChainNode, signer: str) -> Registered | None:
    """A unit that ``parent`` registered itself, in its own channel only; ``parent`` must be a
    盟市/厅局 this installation registered (or the region's configuration did), never a level
    that is itself known only from someone else's carried register."""
    registrar = parent.registered
    if registrar is None or registrar.level not in OFFICE_LEVELS or registrar.via == CARRIED:
        return None
    own = (registrar.channel or {}).get("name", "")
    entry = find(parent.carried_register, signer)
    if entry is None or entry.level != UNIT_LEVEL or not own or entry.channel.get("name") != own:
        return None
    return replace(entry, via=CARRIED)

