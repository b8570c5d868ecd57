"""Printing everything for a set of stored candidates into one folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..common.errors import CollectorError
from ..common.paths import safe_file_name
from ..storage.store import Store
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


# From this many forms on, they are shared among helper processes, one per core (at most
# MAX_WORKERS): laying out a form is pure Python, so threads would not help. Starting a helper
# costs about a second (Python, reportlab, the font), which a few dozen forms repay.
PARALLEL_FROM = 24
MAX_WORKERS = 4


def _run_job(job: tuple[Callable[..., PrintResult], tuple, dict]) -> PrintResult:
    func, args, kwargs = job
    return func(*args, **kwargs)


def run_jobs(jobs: Sequence[tuple[Callable[..., PrintResult], tuple, dict]],
             workers: int | None = None, *, parallel_from: int | None = None
             ) -> list[PrintResult]:
    """Run print jobs ``(function, args, kwargs)``; results in the order of ``jobs``.

    Many jobs go to a pool of freshly started processes ("spawn": the same on Windows and
    Linux, and safe beside the desktop app's threads). Each job writes its own file
    atomically, so a failure (raised here, as in one process) leaves the others' files whole.
    ``workers`` (default: the cores, at most MAX_WORKERS) of 1 prints in this process; fewer
    jobs than ``parallel_from`` (default PARALLEL_FROM) too.
    """
    if workers is None:
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2 or len(jobs) < (PARALLEL_FROM if parallel_from is None else parallel_from):
        return [_run_job(job) for job in jobs]
    return _run_in_pool(jobs, workers)


def _run_in_pool(jobs: Sequence[tuple[Callable[..., PrintResult], tuple, dict]],
                 workers: int) -> list[PrintResult]:
    # multiprocessing.Pool, not concurrent.futures.ProcessPoolExecutor: the executor's result
    # pipe never reports under Wine, so the Windows build could not be proven with it there
    # (packaging/windows/wine_ci.sh runs the frozen 自检, which prints through this pool).
    # A Pool waits forever for the work of a helper that died (a crash in C code, killed), so
    # its helpers are watched: one that ends before the work is done fails the print.
    import multiprocessing

    chunk = max(1, len(jobs) // (workers * 8))  # small chunks: the cores finish together
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        helpers = list(pool._pool)  # type: ignore[attr-defined]  # the Pool's own processes
        pending = pool.map_async(_run_job, jobs, chunksize=chunk)
        while not pending.ready():
            pending.wait(0.2)
            if not pending.ready() and any(p.exitcode is not None for p in helpers):
                raise CollectorError("打印进程意外退出，表格未全部打印，请重试")
        return pending.get()


def registration_name(n: int, name: str) -> str:
    return f"{n:03d}-{safe_file_name(name)}-推荐人选个人登记表.pdf"


def print_all(store: Store, ids: list[str] | None, out_dir: Path, info: ReportInfo | None = None,
              *, kinds: tuple[str, ...] = KINDS,
              signer_fingerprint: str | None = None,
              workers: int | None = None) -> list[PrintResult]:
    """Print the chosen kinds for the candidates ``ids`` (all when None or empty) into out_dir;
    many forms are printed by several processes (``run_jobs``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stored = [store.find(i) for i in ids] if ids else list(store.all())
    records = [c.data for c in stored]
    info = info or ReportInfo()
    results: list[PrintResult] = []
    if "registration" in kinds:
        from ..office.decisions import office_opinion

        results += run_jobs([
            (registration_pdf, (record, out_dir / registration_name(n, record["name"])),
             {"signer_fingerprint": signer_fingerprint,
              "office_opinion": office_opinion(store, cand.id)})
            for n, (cand, record) in enumerate(zip(stored, records), 1)], workers)
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
        results += run_jobs([
            (evidence_pdf, (record, out_dir / evidence_name(n, record["name"])),
             {"signer_fingerprint": signer_fingerprint})
            for n, record in enumerate(records, 1)], workers)
    return results
