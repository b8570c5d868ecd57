"""One level of a received chain as the chain check reads it (``chain.py``): who signed it,
its verified records, what it claims, and the levels nested in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..common.errors import InputError
from ..common.fingerprint import short
from ..office.profile import APPLICANT, ROLE_LABELS, role_key
from .packing import ROLES
from .provenance import record_number as _number

if TYPE_CHECKING:
    from ..office.register import Registered

MAX_DEPTH = 6


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
    sha256: str = ""  # of the package file, as the level above listed it
    # The level's claim of where each candidate came from (SOURCES_DOC): ID number -> nested part
    # name, or None for a record entered at this level; None as a whole for an older package.
    sources: dict[str, str | None] | None = None
    sources_error: str = ""
    # What the level said about each candidate (its SOURCES_DOC entry: provenance, applicant key,
    # paper check): claims to show, never trusted as checks.
    claims: dict[str, dict] = field(default_factory=dict)
    # ID number -> SHA-256 of the candidate's part: the record fingerprint as signed here.
    fingerprints: dict[str, str] = field(default_factory=dict)
    # Filled in by the check: where each candidate was matched (part name, None = entered here,
    # "" = unknown) and which of this package's candidates the level above took from elsewhere.
    taken: dict[str, str | None] = field(default_factory=dict)
    superseded: set[str] = field(default_factory=set)
    # The key register (register.py), when this installation keeps one: the entry of this
    # level's signer (its level, unit and channel then come from it, never from the package),
    # or why it is not registered; and the units this level registered, as it carries them up.
    registered: "Registered | None" = None
    unregistered: str = ""
    claimed: str = ""        # what the package said of itself, when the register says otherwise
    register_error: str = ""
    carried_register: list = field(default_factory=list)

    @property
    def who(self) -> str:
        return f"{self.unit or self.role_label}（{short(self.signer)}）"

    def child(self, name: str) -> "ChainNode | None":
        return next((c for c in self.children if c.name == name), None)

    def record(self, number: str) -> dict | None:
        return next((r for r in self.candidates if _number(r) == number), None)

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


