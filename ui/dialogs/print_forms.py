"""打印: the chosen forms as PDFs (``collector.printing``), then printed as an office prints:
Qt's print dialog (printer, copies, pages) first, 另存为 PDF second, a PDF reader third; when
no reader is installed the user is told so instead of nothing happening."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from ..worker import run_op

PRINT_DPI = 300  # pages are drawn at this resolution for the printer (forms, small print, QR)
NO_VIEWER = ("本机没有可以打开 PDF 文件的程序。请用“打印…”直接打印，或用“另存为 PDF…”"
             "保存后在其他电脑上打开。")


def signer_fingerprint(store) -> str | None:
    """This installation's key fingerprint, printed on the forms when keys exist."""
    from collector.exchange import keyring
    try:

        return keyring.stored_public(store).fingerprint if keyring.has_identity(store) else None
    except Exception:
        return None


def print_registration(parent, store, ids: list[str], out_dir: str | Path | None = None,
                       open_files: bool = True):
    from collector.printing import print_all

    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="登记表_"))
    fingerprint = signer_fingerprint(store)

    def work(job):
        job.progress(0, 0, "正在生成登记表 PDF")
        return print_all(store, ids, folder, kinds=("registration",), signer_fingerprint=fingerprint)

    def done(results):
        if hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(f"已生成 {len(results)} 份登记表：{folder}", 10000)
        if open_files:
            offer(parent, [r.path for r in results], f"已生成 {len(results)} 份推荐人选个人登记表。")

    return run_op(parent, "打印登记表", work, on_done=done)


def offer(parent: QWidget, pdfs: list[Path], text: str) -> QMessageBox:
    """The choice after the PDFs are made: 打印… (the default), 另存为 PDF…, 用阅读器打开."""
    box = QMessageBox(QMessageBox.Icon.Question, "打印", text + "\n请选择：直接打印，或另存为 PDF 文件。",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("printChoice")
    printing = box.addButton("打印…", QMessageBox.ButtonRole.AcceptRole)
    saving = box.addButton("另存为 PDF…", QMessageBox.ButtonRole.ActionRole)
    viewing = box.addButton("用 PDF 阅读器打开", QMessageBox.ButtonRole.ActionRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(printing)

    def chosen(button) -> None:
        if button is printing:
            print_with_dialog(parent, pdfs)
        elif button is saving:
            save_as(parent, pdfs)
        elif button is viewing:
            open_in_viewer(parent, pdfs)

    box.buttonClicked.connect(chosen)
    parent.print_choice = box  # type: ignore[attr-defined]  # tests press its buttons
    box.open()
    return box


def page_count(pdfs: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for path in pdfs:
        doc = pdfium.PdfDocument(str(path))
        total += len(doc)
        doc.close()
    return total


def print_with_dialog(parent: QWidget | None, pdfs: list[Path]) -> int:
    """Qt's print dialog (printer, copies, page range) and then the pages; returns pages sent."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setDocName(pdfs[0].stem if len(pdfs) == 1 else "推荐人选材料")
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, max(page_count(pdfs), 1))
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintCollateCopies, True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 0
    return print_pdfs(pdfs, printer)


def print_pdfs(pdfs: list[Path], printer: QPrinter) -> int:
    """Draw the pages (the printer's page range, if one was chosen) onto ``printer``; each page
    is rendered at PRINT_DPI, turned to the printer's orientation and scaled to fit its page."""
    import pypdfium2 as pdfium

    first, last = printer.fromPage(), printer.toPage()  # 0, 0 = every page
    painter = QPainter()
    sent = n = 0
    for path in pdfs:
        doc = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(doc)):
                n += 1
                if first and not first <= n <= last:
                    continue
                page = doc[index]
                width, height = page.get_size()
                printer.setPageOrientation(QPageLayout.Orientation.Landscape if width > height
                                           else QPageLayout.Orientation.Portrait)
                if sent == 0:
                    if not painter.begin(printer):
                        raise OSError("无法开始打印，请检查打印机是否可用")
                elif not printer.newPage():
                    raise OSError("打印机拒绝了下一页，打印已停止")
                _draw(painter, printer, page.render(scale=PRINT_DPI / 72, rev_byteorder=True,
                                                    prefer_bgrx=True))
                sent += 1
        finally:
            doc.close()
    if sent:
        painter.end()
    return sent


def _draw(painter: QPainter, printer: QPrinter, bitmap) -> None:
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                   QImage.Format.Format_RGBX8888 if bitmap.n_channels == 4
                   else QImage.Format.Format_RGB888)
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    scale = min(area.width() / image.width(), area.height() / image.height())
    w, h = int(image.width() * scale), int(image.height() * scale)
    target = QRect((area.width() - w) // 2, (area.height() - h) // 2, w, h)
    painter.drawImage(target, image)


def save_as(parent: QWidget | None, pdfs: list[Path], target: str | None = None) -> list[Path]:
    """另存为 PDF: one file under a chosen name, several into a chosen folder."""
    from ui.file_dialogs import start_dir, suggested

    if len(pdfs) == 1:
        target = target or QFileDialog.getSaveFileName(parent, "另存为 PDF", suggested(pdfs[0].name),
                                                       "PDF 文件 (*.pdf)")[0]
        if not target:
            return []
        dest = Path(target).with_suffix(".pdf")
        shutil.copyfile(pdfs[0], dest)
        return [dest]
    target = target or QFileDialog.getExistingDirectory(parent, "选择保存 PDF 的文件夹", start_dir())
    if not target:
        return []
    out = []
    for pdf in pdfs:
        shutil.copyfile(pdf, Path(target) / pdf.name)
        out.append(Path(target) / pdf.name)
    return out


def open_in_viewer(parent: QWidget | None, pdfs: list[Path]) -> bool:
    """Open each PDF in the system's reader; say so when there is none."""
    opened = all(QDesktopServices.openUrl(QUrl.fromLocalFile(str(p))) for p in pdfs)
    if not opened:
        box = QMessageBox(QMessageBox.Icon.Warning, "打开 PDF", NO_VIEWER,
                          QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("noViewer")
        box.open()
    return opened
