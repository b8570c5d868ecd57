"""纸质材料核对: each scanned registration-form QR (or a typed fingerprint) matched to its record
and applicant key; the result stored with the record (table ``paper_checks``), shown in review
and carried upward in the office package.

The file alone cannot tell a key an office minted from the applicant's own; the applicant's
signed paper form can (DESIGN §6). The form's QR holds the record's fingerprint, the signer's
key fingerprint and the ID number (``collector.common.fingerprint.form_qr_text``): a USB scanner types
it into a text field, then Enter."""

from __future__ import annotations

from dataclasses import dataclass

from ..common.errors import InputError, NotFoundError
from ..common.fingerprint import record_fingerprint
from ..record.model import normalize
from ..storage.store import StoredCandidate, Store, default_actor, now_text
from .paper_match import MATCHED, MISMATCH, MISSING, KnownForm, clean_scan, match_form, parse
from ..exchange.provenance import Provenance, of

__all__ = ["MATCHED", "MISMATCH", "MISSING", "LABELS", "ScanResult", "PaperRow", "parse",
           "check_scan", "known_forms", "status_of", "paper_of", "paper_list"]
LABELS = {MATCHED: "一致", MISMATCH: "不一致", MISSING: "未核对"}


@dataclass
class ScanResult:
    status: str               # MATCHED, MISMATCH, or MISSING when no candidate fits
    message: str
    candidate_id: str = ""
    name: str = ""
    applicant: bool = False   # the applicant's own form (stored as this candidate's check)

    @property
    def ok(self) -> bool:
        return self.status == MATCHED

    def to_json(self) -> dict:
        return {"status": self.status, "label": LABELS[self.status], "message": self.message,
                "candidate_id": self.candidate_id, "name": self.name}


@dataclass
class PaperRow:
    candidate_id: str
    name: str
    id_number: str
    status: str
    flagged: str        # why this installation must check this paper ("" = not flagged)
    provenance: str
    message: str = ""
    at: str = ""
    below: list | None = None

    def to_json(self) -> dict:
        return {"id": self.candidate_id, "name": self.name, "id_number": self.id_number,
                "status": self.status, "label": LABELS[self.status], "flagged": self.flagged,
                "provenance": self.provenance, "message": self.message, "at": self.at,
                "below": self.below or []}


def expected(cand: StoredCandidate, prov: Provenance, own_key: str) -> tuple[str, str]:
    """The record fingerprint and key the candidate's own paper form should carry."""
    if prov.local:
        return record_fingerprint(cand.data), own_key
    return prov.record, prov.applicant_key


def known_forms(store: Store, cands: list[StoredCandidate] | None = None) -> list[KnownForm]:
    """Every form this installation can recognise: each candidate's own (the applicant's, or
    the one printed here for a record entered here), and the forms an office prints of the
    data as it is here (the sending level's key, and ours)."""
    own = _own_key(store)
    forms = []
    for cand in store.all() if cands is None else cands:
        prov = of(cand)
        record, key = expected(cand, prov, own)
        number = cand.data["id_number"]
        if record:
            forms.append(KnownForm(record, key, number, cand.name,
                                   "本机" if prov.local else "申报人本人", True, cand.id))
        here = record_fingerprint(normalize(cand.data))
        src = cand.source or {}
        for printer, who in ((src.get("signer", ""), src.get("signer_unit") or "报送方"), (own, "本机")):
            if printer and (here, printer) != (record, key):
                forms.append(KnownForm(here, printer, number, cand.name, who, False, cand.id))
    return forms


def check_scan(store: Store, text: str, *, actor: str | None = None) -> ScanResult:
    """Match one scan to a candidate and store the result with the record. An office-printed
    form is recognised (一致) but is not the applicant's paper: nothing is stored for it."""
    forms = known_forms(store)
    got = match_form(text, forms)
    form = got.form
    if got.status == MISMATCH and form is not None and not form.applicant and not any(
            f.applicant and f.candidate_id == form.candidate_id for f in forms):
        return ScanResult(MISSING, f"{form.name} 的电子数据来源无法核对，本机不知道其申报人签名的"
                          "数据指纹，无法比对纸质材料；请人工核对", form.candidate_id, form.name)
    result = ScanResult(got.status, got.message, form.candidate_id if form else "",
                        form.name if form else "", applicant=got.applicant_form)
    if form is not None and (got.applicant_form or got.status == MISMATCH):
        _store(store, result, clean_scan(text), actor or default_actor())
    return result


def _own_key(store: Store) -> str:
    from ..exchange.keyring import has_identity, stored_public

    return stored_public(store).fingerprint if has_identity(store) else ""


def _store(store: Store, result: ScanResult, text: str, actor: str) -> None:
    at = now_text()
    with store.transaction():
        store.db.execute(
            "INSERT OR REPLACE INTO paper_checks(candidate_id, status, scanned, message, actor, at)"
            " VALUES (?,?,?,?,?,?)", [result.candidate_id, result.status, text, result.message,
                                      actor, at])
        store._audit(result.candidate_id, at, actor, "paper_check", "paper", None,
                     {"status": result.status, "scanned": text})


def status_of(store: Store, candidate_id: str) -> str:
    got = paper_of(store, candidate_id)
    return got["status"] if got else MISSING


STALE = "此前的纸质材料核对结果已不对应当前电子数据（数据被替换、改动或重新导入，或申报人密钥已变），须重新核对"


def paper_of(store: Store, candidate_id: str) -> dict | None:
    """The stored result (what the office package carries upward), or None. A result is bound
    to the data and key it was checked against: once the record is replaced (以此份替换), edited
    or re-imported, the same scan no longer gives it, and it reads as 未核对 again."""
    row = store.db.execute("SELECT status, message, actor, at, scanned FROM paper_checks "
                           "WHERE candidate_id=?", [candidate_id]).fetchone()
    if row is None:
        return None
    status, message = row[0], row[1]
    try:
        cand = store.get(candidate_id)
        again = match_form(row[4], known_forms(store, [cand]))
        current = MATCHED if again.applicant_form else again.status
    except (InputError, NotFoundError, KeyError):
        current = MISSING
    if current != status:
        status, message = MISSING, STALE
    return {"status": status, "label": LABELS[status], "message": message, "actor": row[2],
            "at": row[3]}


def paper_list(store: Store) -> list[PaperRow]:
    """Every candidate with its paper status; flagged ones (an applicant key first seen here)
    stay flagged until their paper matches."""
    out = []
    for cand in store.all():
        prov = of(cand)
        got = paper_of(store, cand.id) or {}
        status = got.get("status", MISSING)
        out.append(PaperRow(cand.id, cand.name, cand.data["id_number"], status,
                            prov.paper_needed if status != MATCHED else "", prov.klass,
                            got.get("message", ""), got.get("at", ""), prov.below))
    return out
