"""打印 prints as an office prints: Qt's print dialog (printer, copies, pages) first, 另存为 PDF
second, a PDF reader third, and a message when no reader exists (issue 26)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from tests.conftest import make_record


def pdf_pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(x for x in out.splitlines() if x.startswith("Pages:")).split()[-1])


@pytest.fixture
def choice(window, store, qtbot):
    """打印 on a selected candidate, up to the choice it offers."""
    cid = store.save(make_record(2))
    window.reload_list(select=cid)
    op = window.print_current()
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=30000)
    assert op.outcome == "done"
    box = window.print_choice
    assert box.isVisible() and box.defaultButton().text() == "打印…"
    return box


def press(box: QMessageBox, text: str) -> None:
    next(b for b in box.buttons() if b.text() == text).click()


@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="looks at the printed page with pdftoppm (poppler-utils)")
@pytest.mark.parametrize("page_range, expected", [(None, "all"), ((2, 2), 1)])
def test_print_goes_through_qts_print_dialog(choice, monkeypatch, tmp_path, page_range,
                                             expected):
    out = tmp_path / "printed.pdf"
    seen = {}

    def exec_(dialog):  # the user picks a printer (here: a PDF file) and maybe pages
        printer = dialog.printer()
        seen["max"] = dialog.maxPage()
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(out))
        if page_range:
            printer.setPrintRange(QPrinter.PageRange)
            printer.setFromTo(*page_range)
        return QDialog.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    press(choice, "打印…")
    assert out.is_file() and seen["max"] >= 2  # the dialog knew the form's pages
    assert pdf_pages(out) == (seen["max"] if expected == "all" else expected)
    png = subprocess.run(["pdftoppm", "-r", "20", "-f", "1", "-l", "1", "-gray", str(out)],
                         capture_output=True, check=True).stdout
    body = png.split(b"255\n", 1)[1]
    assert sum(b < 160 for b in body) > 200  # ink on the page, not a blank sheet


def test_save_as_pdf_is_the_second_way(choice, monkeypatch, tmp_path):
    target = tmp_path / "张三登记表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    press(choice, "另存为 PDF…")
    assert target.is_file() and target.read_bytes().startswith(b"%PDF")


def test_no_pdf_reader_is_said_not_silent(choice, window, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    press(choice, "用 PDF 阅读器打开")
    box = window.findChild(QMessageBox, "noViewer")
    assert box is not None and box.isVisible() and "没有可以打开 PDF" in box.text()
