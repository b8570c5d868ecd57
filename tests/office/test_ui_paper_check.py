"""纸质材料核对 in the GUI: a QR scanner (a keyboard) types the form's QR and Enter into the
field; the list, the review table and the inbox show provenance and paper status."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from collector.common.fingerprint import form_qr_text, record_fingerprint  # noqa: E402
from collector.office import inbox  # noqa: E402
from tests.office.conftest import applicant_package  # noqa: E402


@pytest.fixture
def unit_with_one(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    a = make_installation("a")
    path = applicant_package(a, tmp_path / "a.rpu", [unit.public], 1)
    inbox.import_many(unit.store, [path], unit.identity)
    rec = next(a.store.all()).data
    qr = form_qr_text(record_fingerprint(rec), a.identity.fingerprint, rec["id_number"])
    return unit, rec, qr


def test_a_scanner_typing_the_qr_and_enter_checks_the_paper(qtbot, unit_with_one):
    from ui.office.paper_check import PaperCheckDialog
    from ui.office.review_page import PROVENANCE_COL, OfficeReviewPage

    unit, rec, qr = unit_with_one
    review = OfficeReviewPage(unit.store)
    qtbot.addWidget(review)
    assert "须核对纸质材料" in review.table.item(0, PROVENANCE_COL).text()
    assert not review.accept_button.isVisible()  # only the region accepts held candidates

    dialog = PaperCheckDialog(unit.store)
    qtbot.addWidget(dialog)
    dialog.checked.connect(review.refresh)
    assert dialog.table.item(0, 3).text() == "未核对" and dialog.table.item(0, 4).text()
    qtbot.keyClicks(dialog.field, qr)
    qtbot.keyClick(dialog.field, Qt.Key_Return)
    assert dialog.verdict.text().startswith("一致") and rec["name"] in dialog.verdict.text()
    assert dialog.field.text() == ""  # ready for the next form
    assert dialog.table.item(0, 3).text() == "一致" and dialog.table.item(0, 4).text() == ""
    cell = review.table.item(0, PROVENANCE_COL).text()
    assert "申报人签名已核对" in cell and "纸质材料一致" in cell and "须核对" not in cell

    qtbot.keyClicks(dialog.field, "not a fingerprint")
    qtbot.keyClick(dialog.field, Qt.Key_Return)
    assert "不是登记表二维码" in dialog.verdict.text()


def test_the_inbox_and_the_detail_show_provenance(qtbot, unit_with_one):
    from ui.office import InboxPage
    from ui.office.review_page import OfficeReviewPage

    unit, rec, _ = unit_with_one
    page = InboxPage(unit.store)
    qtbot.addWidget(page)
    assert page.table.item(0, 5).text() == "通过；须核对纸质材料"
    assert "申报人签名已核对" in page.table.item(0, 5).toolTip()
    review = OfficeReviewPage(unit.store)
    qtbot.addWidget(review)
    review.table.selectRow(0)
    text = review.detail.source.text()
    assert "来源核对" in text and "申报人签名已核对" in text and "未核对" in text


def test_the_dialog_is_a_scanning_station_enter_never_closes_it(qtbot, unit_with_one, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from ui.office.paper_check import PaperCheckDialog

    unit, rec, qr = unit_with_one
    beeps = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    dialog = PaperCheckDialog(unit.store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.field.setFocus()
    changed = dict(rec, discipline=rec["discipline"] + "（打印后改动）")
    wrong = form_qr_text(record_fingerprint(changed), qr.split(":")[2],
                         rec["id_number"])
    for text in (qr, wrong, "not a fingerprint"):
        qtbot.keyClicks(dialog.field, text)
        qtbot.keyClick(dialog.field, Qt.Key_Return)
        assert dialog.isVisible()  # the scanner's Enter checks, it does not press 关闭
        assert dialog.field.text() == "" and dialog.focusWidget() is dialog.field
    lines = [dialog.log.item(i) for i in range(dialog.log.count())]
    assert [x.text().split("  ", 1)[1][:3] for x in lines] == ["无法读", "不一致", "一致："]
    assert "打印后被改动" in lines[1].text()  # a mismatch says why
    assert lines[2].background().color().name() == "#dff0d8"
    assert lines[1].background().color().name() == "#f2dede"
    assert len(beeps) == 2  # the mismatch and the unreadable scan
    counts = dialog.summary.text()
    assert "本次已扫描 3 份（一致 1，其余 2）" in counts and "不一致 1" in counts
    qtbot.keyClick(dialog.field, Qt.Key_Escape)
    assert not dialog.isVisible()


def test_the_source_panel_never_breaks_a_fingerprint_or_file_name(qtbot, unit_with_one):
    import re

    from ui.office.review_page import OfficeReviewPage

    unit, rec, _ = unit_with_one
    review = OfficeReviewPage(unit.store)
    qtbot.addWidget(review)
    review.table.selectRow(0)
    html = review.detail.source.text()
    prints = re.findall(r"[0-9A-F]{4}(?:-[0-9A-F]{4})+", html)
    assert prints
    for fp in prints:
        assert f"<span style='white-space:nowrap'>{fp}</span>" in html, fp
    assert "<span style='white-space:nowrap'>a.rpu</span>" in html
