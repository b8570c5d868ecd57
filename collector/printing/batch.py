"""Printing everything for a set of stored candidates into one folder."""

from __future__ import annotations

from pathlib import Path

from ..paths import safe_file_name
from ..store import Store
from .common import PrintResult
from .evidence import evidence_name, evidence_pdf
from .info import ReportInfo
from .registration import registration_pdf
from .report import report_pdf
from .summary import summary_pdf
from .summary_xlsx import summary_xlsx

KINDS = ("registration", "summary", "report", "evidence")
SUMMARY_PDF = "推荐人选情况汇总表.pdf"
SUMMARY_XLSX = "推荐人选情况汇总表.xlsx"
REPORT_PDF = "推荐报告.pdf"
REPORT_DOCX = "推荐报告.docx"  # the same report, editable before stamping


def registration_name(n: int, name: str) -> str:
    return f"{n:03d}-{safe_file_name(name)}-推荐人选个人登记表.pdf"


def print_all(store: Store, ids: list[str] | None, out_dir: Path, info: ReportInfo | None = None,
              *, kinds: tuple[str, ...] = KINDS,
              signer_fingerprint: str | None = None) -> list[PrintResult]:
    """Print the chosen kinds for the candidates ``ids`` (all when None or empty) into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stored = [store.find(i) for i in ids] if ids else list(store.all())
    records = [c.data for c in stored]
    info = info or ReportInfo()
    results: list[PrintResult] = []
    if "registration" in kinds:
        from ..office.decisions import office_opinion

        for n, (cand, record) in enumerate(zip(stored, records), 1):
            results.append(registration_pdf(record, out_dir / registration_name(n, record["name"]),
                                            signer_fingerprint=signer_fingerprint,
                                            office_opinion=office_opinion(store, cand.id)))
    if "summary" in kinds:
        results.append(summary_pdf(records, out_dir / SUMMARY_PDF, info,
                                   signer_fingerprint=signer_fingerprint))
        results.append(summary_xlsx(records, out_dir / SUMMARY_XLSX, info,
                                    signer_fingerprint=signer_fingerprint))
    if "report" in kinds:
        results.append(report_pdf(records, out_dir / REPORT_PDF, info,
                                  signer_fingerprint=signer_fingerprint))
        from .docx_report import report_docx  # python-docx loads only when needed

        docx = report_docx(records, out_dir / REPORT_DOCX, info,
                           signer_fingerprint=signer_fingerprint)
        docx.warnings = []  # the same warnings as the PDF's, said once
        results.append(docx)
    if "evidence" in kinds:
        for n, record in enumerate(records, 1):
            results.append(evidence_pdf(record, out_dir / evidence_name(n, record["name"]),
                                        signer_fingerprint=signer_fingerprint))
    return results
