"""Printable forms (DESIGN §8): registration form, summary table (PDF, XLSX), recommendation
report (PDF, and DOCX to edit before stamping).

Every PDF is A4 with the bundled CJK font embedded; every page shows 第 x 页 共 y 页, the
fingerprint that ties paper to the electronic data, and a QR code of it. Registration forms
carry the candidate's record fingerprint (``collector.common.fingerprint.record_fingerprint``); the
summary table and the report carry ``list_fingerprint`` of all listed candidates.
"""

from .batch import print_all, safe_file_name
from .common import PrintResult
from .evidence import evidence_pdf
from .info import SETTING_KEY, ReportInfo, candidate_fingerprints, list_fingerprint
from .registration import registration_pdf
from .report import report_pdf
from .summary import summary_pdf
from .summary_xlsx import summary_xlsx

__all__ = [
    "PrintResult", "ReportInfo", "SETTING_KEY", "candidate_fingerprints", "evidence_pdf",
    "list_fingerprint", "print_all", "registration_pdf", "report_docx", "report_pdf",
    "safe_file_name", "summary_pdf",
    "summary_xlsx",
]


def __getattr__(name: str):
    # python-docx (and lxml) load only when a report is written, not with every office command.
    if name == "report_docx":
        from .docx_report import report_docx

        return report_docx
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
