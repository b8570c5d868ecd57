"""An office's 汇总表 and 推荐报告 before it builds the package: the same PDFs the disc will hold
(same candidates, same report information), written to ``预览/`` in the data folder."""

from __future__ import annotations

from pathlib import Path

from ..common.errors import UsageError
from ..printing import print_all
from ..storage.store import Store
from .decisions import selected_ids
from .package import report_info
from .profile import load_profile

KINDS = {"summary": "汇总表", "report": "推荐报告"}


def preview_folder(store: Store) -> Path:
    return Path(store.path).resolve().parent / "预览"


def preview_pdf(store: Store, kind: str, folder: Path | None = None) -> Path:
    """Print ``kind`` (summary or report) for the candidates marked 推荐 (all when none is
    marked, as the disc does) and return the PDF's path."""
    if kind not in KINDS:
        raise UsageError(f"不能预览“{kind}”，请选择 {'、'.join(KINDS.values())}")
    info = report_info(store, load_profile(store))
    folder = Path(folder) if folder else preview_folder(store)
    results = print_all(store, selected_ids(store) or None, folder, info, kinds=(kind,))
    return next(r.path for r in results if Path(r.path).suffix.lower() == ".pdf")
