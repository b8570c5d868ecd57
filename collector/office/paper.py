"""纸质材料核对: each scanned registration-form QR (or a typed fingerprint) matched to its record
and applicant key; the result stored with the record (table ``paper_checks``), shown in review
and carried upward in the office package.

The file alone cannot tell a key an office minted from the applicant's own; the applicant's
signed paper form can (DESIGN §6). The form's QR holds the record's fingerprint, the signer's
key fingerprint and the ID number (``collector.fingerprint.form_qr_text``): a USB scanner types
it into a text field, then Enter."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..fingerprint import matches, parse_form_qr, record_fingerprint, short
from ..store import StoredCandidate, Store, default_actor, now_text
from .provenance import Provenance, of

MATCHED, MISMATCH, MISSING = "matched", "mismatch", "missing"
LABELS = {MATCHED: "一致", MISMATCH: "不一致", MISSING: "未核对"}


@dataclass
class ScanResult:
    status: str               # MATCHED, MISMATCH, or MISSING when no candidate fits
    message: str
    candidate_id: str = ""
    name: str = ""

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


def parse(text: str) -> tuple[str, str, str]:
    """(record, signer, ID number) from a scan or typed text: a form QR, or one or two
    fingerprints as printed (dashes and spaces allowed: record first, then the signer)."""
    text = str(text or "").strip()
    scanned = parse_form_qr(text)
    if scanned:
        return scanned
    import unicodedata

    words = unicodedata.normalize("NFKC", text).replace("-", "").lower().split()
    hexes = ["".join(ch for ch in w if ch in "0123456789abcdef") for w in words]
    if not hexes or len(hexes) > 2 or any(len(h) != len(w) or len(h) < 16
                                          for h, w in zip(hexes, words)):
        raise InputError(f"“{text[:40]}”不是登记表二维码或人选数据指纹：请扫描登记表页脚的二维码，"
                         "或输入页脚“人选数据指纹”后的前四组以上（可再空格后输入签名密钥指纹）",
                         field="paper")
    return hexes[0], hexes[1] if len(hexes) > 1 else "", ""


def expected(cand: StoredCandidate, prov: Provenance, own_key: str) -> tuple[str, str]:
    """The record fingerprint and key the candidate's paper form should carry."""
    if prov.local:
        return record_fingerprint(cand.data), own_key
    return prov.record, prov.applicant_key


def check_scan(store: Store, text: str, *, actor: str | None = None) -> ScanResult:
    """Match one scan to a candidate and store the result with the record."""
    record, signer, number = parse(text)
    own = _own_key(store)
    people = [(c, *expected(c, of(c), own)) for c in store.all()]
    hit = [p for p in people if p[1] and matches(record, p[1])]
    if hit:
        cand, _, key = hit[0]
        if signer and key and not matches(signer, key):
            result = ScanResult(MISMATCH, f"不一致：{cand.name} 的登记表与电子数据相同，但登记表上的"
                                f"签名密钥 {short(signer, 4)} 不是电子数据的申报人密钥 "
                                f"{short(key, 4)}；请与申报人本人核实", cand.id, cand.name)
        else:
            result = ScanResult(MATCHED, f"一致：{cand.name}（{cand.data['id_number']}）的纸质登记表"
                                "与电子数据及申报人密钥相符", cand.id, cand.name)
    else:
        cand = next((p[0] for p in people if number and p[0].data["id_number"] == number), None)
        if cand is None and signer:
            cand = next((p[0] for p in people if p[2] and matches(signer, p[2])), None)
        if cand is None:
            return ScanResult(MISSING, f"本机没有与该登记表对应的人选（人选数据指纹 {short(record, 4)}）；"
                              "请确认登记表属于本批人选，或先导入其报送文件")
        exp_record, exp_key = expected(cand, of(cand), own)
        if not exp_record:
            return ScanResult(MISSING, f"{cand.name} 的电子数据来源无法核对，本机不知道其申报人签名的"
                              "数据指纹，无法比对纸质材料；请人工核对", cand.id, cand.name)
        key_note = "" if not (signer and exp_key) else (
            "，签名密钥也不同" if not matches(signer, exp_key) else "，签名密钥相同")
        result = ScanResult(MISMATCH, f"不一致：{cand.name}（{cand.data['id_number']}）的纸质登记表与"
                            f"电子数据的人选数据指纹不同{key_note}：电子数据可能在打印后被改动，"
                            "或登记表不是这份数据打印的；请与申报人本人核实", cand.id, cand.name)
    _store(store, result, text, actor or default_actor())
    return result


def _own_key(store: Store) -> str:
    from ..rpu.keys import has_identity, stored_public

    return stored_public(store).fingerprint if has_identity(store) else ""


def _store(store: Store, result: ScanResult, text: str, actor: str) -> None:
    at = now_text()
    with store.transaction():
        store.db.execute(
            "INSERT OR REPLACE INTO paper_checks(candidate_id, status, scanned, message, actor, at)"
            " VALUES (?,?,?,?,?,?)", [result.candidate_id, result.status, text.strip()[:200],
                                      result.message, actor, at])
        store._audit(result.candidate_id, at, actor, "paper_check", "paper", None,
                     {"status": result.status, "scanned": text.strip()[:200]})


def status_of(store: Store, candidate_id: str) -> str:
    row = store.db.execute("SELECT status FROM paper_checks WHERE candidate_id=?",
                           [candidate_id]).fetchone()
    return row[0] if row else MISSING


def paper_of(store: Store, candidate_id: str) -> dict | None:
    """The stored result (what the office package carries upward), or None."""
    row = store.db.execute("SELECT status, message, actor, at FROM paper_checks "
                           "WHERE candidate_id=?", [candidate_id]).fetchone()
    return None if row is None else {"status": row[0], "label": LABELS[row[0]],
                                     "message": row[1], "actor": row[2], "at": row[3]}


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
