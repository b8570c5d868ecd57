"""verify-print: does a fingerprint printed on paper belong to the candidates in a ``.rpu``?

A registration form prints its candidate's record fingerprint (the SHA-256 the package manifest
holds for that candidate's part); the summary table and the report print ``list_fingerprint``
of all their candidates; pages may also show the signer's key fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..common.fingerprint import matches, short
from .info import list_fingerprint


@dataclass
class PrintCheck:
    ok: bool
    message: str
    kind: str = ""        # "candidate", "list", "signer" or "" (no match)
    candidate: dict | None = None


def check_printed(printed: str, package, forms_match=None) -> PrintCheck:
    """Compare a printed fingerprint with an opened, verified package (collector.rpu.Package).
    ``forms_match(text)`` recognises a registration form among every level's copies the
    package carries (``collector.office.paper_match``, the same matching ``paper-check``
    uses); without it only this package's own copies are known."""
    from ..common.fingerprint import parse_form_qr

    scanned = parse_form_qr(printed)  # a registration form's QR, typed by a scanner
    cleaned = scanned[0] if scanned else \
        "".join(ch for ch in printed.lower() if ch in "0123456789abcdef")
    if len(cleaned) < 16:
        return PrintCheck(False, f"指纹“{printed}”太短：请至少抄写 16 位十六进制字符"
                                 "（页脚“指纹：”后的前四组）")
    parts = package.parts
    fingerprints = [parts[name].sha256 for name, _ in package.candidate_parts]
    if forms_match is not None:
        got = forms_match(printed)
        if got.form is not None:  # a form of one of its candidates: 一致, or why not
            return PrintCheck(got.ok, got.message, "candidate" if got.ok else "",
                              {"name": got.form.name, "id_number": got.form.number})
    found = package.find_fingerprint(cleaned)
    if found is not None:
        name, record = found
        return PrintCheck(True, f"一致：该登记表属于 {record.get('name', '')}"
                                f"（公民身份号码 {record.get('id_number', '')}），"
                                f"与 {package.path.name} 中的电子数据相同"
                                f"（签名方 {short(package.signer_fingerprint)}）",
                          "candidate", record)
    whole = list_fingerprint(fingerprints)
    if matches(cleaned, whole):
        names = "、".join(rec.get("name", "") for _, rec in package.candidate_parts)
        return PrintCheck(True, f"一致：该汇总表/推荐报告列出的 {len(fingerprints)} 名人选"
                                f"（{names}）与 {package.path.name} 中的电子数据相同", "list")
    if matches(cleaned, package.signer_fingerprint):
        return PrintCheck(True, f"一致：这是 {package.path.name} 签名方的密钥指纹"
                                f"（{short(package.signer_fingerprint)}）；人选数据请核对页脚的"
                                "“人选数据指纹”", "signer")
    return PrintCheck(False, f"不一致：指纹 {short(cleaned, 4)}… 与 {package.path.name} 中的"
                             f"{len(fingerprints)} 名人选、全部人选的材料指纹、签名方密钥均不相符。"
                             "纸质材料可能是旧版本打印的，请用当前数据重新打印或重新生成报送文件")
