"""Which printed registration form is this? One matching function for ``paper-check`` (against
this installation's records), ``verify-print`` (against a package and every package nested in
it) and the GUI's scanning station, so the three never disagree about the same sheet of paper.

A form's QR holds the fingerprint of the data it printed, the key of the installation that
printed it, and the ID number (``collector.common.fingerprint.form_qr_text``). Each level can print the
form: the applicant's own (what the applicant signs, the paper the notice sends to the region)
and an office's (the same person with the unit's opinion, printed with the office's key). Both
are recognised for what they are; only the applicant's own binds the applicant's key."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..common.errors import InputError
from ..common.fingerprint import matches, parse_form_qr, short

MATCHED, MISMATCH, MISSING = "matched", "mismatch", "missing"
# Characters a scanner or a hostile form may carry that must never be stored or shown raw.
_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@dataclass(frozen=True)
class KnownForm:
    """A form that could have been printed from data this installation knows."""
    record: str           # full fingerprint of the data the form prints
    key: str              # full fingerprint of the key that printed (signed) that data
    number: str           # the candidate's ID number
    name: str
    who: str              # "申报人本人" or the level that printed it
    applicant: bool       # the applicant's own form: it binds the applicant's key
    candidate_id: str = ""


@dataclass
class FormMatch:
    status: str                      # MATCHED, MISMATCH or MISSING (no candidate fits)
    message: str
    form: KnownForm | None = None    # the form it is (MATCHED) or should have been (MISMATCH)

    @property
    def ok(self) -> bool:
        return self.status == MATCHED

    @property
    def applicant_form(self) -> bool:
        """The applicant's own signed form matched: the paper check of that candidate."""
        return self.ok and self.form is not None and self.form.applicant


def clean_scan(text: str) -> str:
    """A scan as it may be stored and shown: NFKC-folded, control and format characters (a
    hostile QR's escape sequences, bidi overrides) removed, at most 200 characters."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(ch for ch in folded if unicodedata.category(ch) not in _CONTROL).strip()[:200]


def parse(text: str) -> tuple[str, str, str]:
    """(record, signer, ID number) from a scan or typed text: a form QR, or one or two
    fingerprints as printed (dashes and spaces allowed: record first, then the signer)."""
    text = clean_scan(text)
    scanned = parse_form_qr(text)
    if scanned:
        return scanned
    words = text.replace("-", "").lower().split()
    hexes = ["".join(ch for ch in w if ch in "0123456789abcdef") for w in words]
    if not hexes or len(hexes) > 2 or any(len(h) != len(w) or len(h) < 16
                                          for h, w in zip(hexes, words)):
        raise InputError(f"“{text[:40]}”不是登记表二维码或人选数据指纹：请扫描登记表页脚的二维码，"
                         "或输入页脚“人选数据指纹”后的前四组以上（可再空格后输入签名密钥指纹）",
                         field="paper")
    return hexes[0], hexes[1] if len(hexes) > 1 else "", ""


def _who(form: KnownForm) -> str:
    return f"{form.name}（{form.number}）"


def match_form(text: str, forms: list[KnownForm], place: str = "本机", *,
               need_key: bool = True) -> FormMatch:
    """The form ``text`` (a scan or typed fingerprints) is, among ``forms`` (what ``place``
    holds: 本机, or a package named in messages). ``need_key``: an applicant's form matches
    only with its key (a paper check); without, the data alone is compared (verify-print:
    does this paper belong to this file?) and the message says the key was not checked."""
    record, signer, number = parse(text)
    hits = [f for f in forms if matches(record, f.record)]
    if hits:
        # The applicant's own form first; among offices, the one whose key the scan names.
        hits.sort(key=lambda f: (not (signer and matches(signer, f.key)), not f.applicant))
        form = hits[0]
        if number and number != form.number:
            return FormMatch(MISMATCH, f"不一致：登记表二维码中的公民身份号码 {number} 与电子数据"
                             f"{_who(form)}不同；请与申报人本人核实", form)
        if form.applicant and not signer and not need_key:
            return FormMatch(MATCHED, f"一致：{_who(form)}的纸质登记表与电子数据相同（只输入了人选数据"
                             "指纹，申报人密钥未核对）", form)
        if form.applicant and not signer:
            # The data alone cannot bind the key: the same data re-signed by a key an office
            # minted has the same record fingerprint. The key printed beside it must agree.
            return FormMatch(MISSING, f"只核对了{_who(form)}的人选数据指纹：请扫描登记表二维码，或再输入"
                             "页脚的签名密钥指纹（空格隔开），才能核对申报人密钥", form)
        if signer and not matches(signer, form.key):
            return FormMatch(MISMATCH, f"不一致：{form.name} 的登记表与电子数据相同，但登记表上的"
                             f"签名密钥 {short(signer, 4)} 不是电子数据的"
                             f"{'申报人' if form.applicant else form.who}密钥 {short(form.key, 4)}；"
                             "请与申报人本人核实", form)
        if form.applicant:
            return FormMatch(MATCHED, f"一致：{_who(form)}的纸质登记表与电子数据及申报人密钥相符",
                             form)
        return FormMatch(MATCHED, f"一致：这是{form.who}打印的{_who(form)}登记表（含推荐意见），"
                         "与其报送的电子数据相符；它不是申报人本人签字的登记表，"
                         "申报人密钥请以申报人本人的登记表核对", form)
    same = [f for f in forms if number and f.number == number] or \
        [f for f in forms if signer and matches(signer, f.key) and f.applicant]
    if not same:
        return FormMatch(MISSING, f"{place}没有与该登记表对应的人选（人选数据指纹 {short(record, 4)}）；"
                         "请确认登记表属于本批人选，或先导入其报送文件")
    form = next((f for f in same if f.applicant), same[0])
    key_note = "" if not signer else (
        "，签名密钥也不同" if not any(matches(signer, f.key) for f in same) else "，签名密钥相同")
    return FormMatch(MISMATCH, f"不一致：{_who(form)}的纸质登记表与电子数据的人选数据指纹不同"
                     f"{key_note}：电子数据可能在打印后被改动，或登记表不是这份数据打印的；"
                     "请与申报人本人核实", form)


def forms_in_chain(root) -> list[KnownForm]:
    """The forms that could have been printed from a received package (``chain.ChainNode``):
    each opened level's copy of each of its candidates, the applicant's own at the bottom.
    Copies a level replaced (以此份替换) are left out: their paper is an old version."""
    from ..record.model import id_key

    forms = []
    for node in root.walk():
        if not node.ok or node.sealed:
            continue
        for rec in node.candidates:
            number = id_key(rec.get("id_number"))
            if number in node.superseded or number not in node.fingerprints:
                continue
            forms.append(KnownForm(node.fingerprints[number], node.signer,
                                   str(rec.get("id_number") or ""), str(rec.get("name") or ""),
                                   "申报人本人" if node.is_applicant else
                                   (node.unit or node.role_label), node.is_applicant))
    return forms
