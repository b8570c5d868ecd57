"""Offices preview the 汇总表 and 推荐报告 (PDF in the data folder) before building the package."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytest.importorskip("pytestqt")
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="reads the PDFs with pdftotext (poppler-utils)")

from collector.office import decisions  # noqa: E402
from tests.conftest import make_record  # noqa: E402


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_preview_writes_the_summary_and_report_into_the_data_folder(make_installation):
    from collector.common.errors import UsageError
    from collector.office.preview import preview_folder, preview_pdf

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    ids = [office.store.save(make_record(i, channel={"kind": "盟市", "name": "包头市"}))
           for i in range(3)]
    decisions.decide(office.store, ids[0], "推荐")
    decisions.decide(office.store, ids[1], "推荐")
    summary = preview_pdf(office.store, "summary")
    assert summary.parent == preview_folder(office.store) and summary.suffix == ".pdf"
    names = [office.store.get(cid).name for cid in ids]
    text = _text(summary)
    assert names[0] in text and names[1] in text and names[2] not in text  # only 推荐
    report = preview_pdf(office.store, "report")
    assert "包头市人社局" in _text(report)
    with pytest.raises(UsageError):
        preview_pdf(office.store, "registration; rm -rf")


def test_export_page_preview_buttons(qtbot, make_installation):
    from PySide6.QtWidgets import QPushButton

    from ui.errors import set_non_blocking
    from ui.office import ExportPage

    set_non_blocking(True)
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    cid = office.store.save(make_record(1, channel={"kind": "盟市", "name": "包头市"}))
    decisions.decide(office.store, cid, "推荐")
    page = ExportPage(office.store)
    qtbot.addWidget(page)
    labels = [b.text() for b in page.findChildren(QPushButton)]
    assert "预览汇总表" in labels and "预览推荐报告" in labels
    page.edits["contact"].setText("王联络")
    op = page.preview("report", open_file=False)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=30000)
    assert op.outcome == "done", op.error
    assert "王联络" in _text(page.last_preview)  # what was typed above is what the preview shows
