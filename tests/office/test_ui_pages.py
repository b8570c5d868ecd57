"""The office tabs: registered for unit/office/region, show the inbox, decisions and quotas."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from collector.office import decisions  # noqa: E402
from tests.conftest import make_record  # noqa: E402
from tests.office.conftest import PASS, applicant_package  # noqa: E402


def test_pages_are_registered_for_office_roles():
    from ui import roles

    for role in (roles.UNIT, roles.OFFICE, roles.REGION):
        titles = [p.title for p in roles.pages_for(role)]
        assert {"收件箱", "审核与名额", "上报与光盘"} <= set(titles)
    assert "收件箱" not in [p.title for p in roles.pages_for(roles.APPLICANT)]


def test_inbox_page_imports_and_lists(qtbot, make_installation, tmp_path):
    from ui.errors import set_non_blocking
    from ui.office import InboxPage

    set_non_blocking(True)
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    path = applicant_package(make_installation("a"), tmp_path / "a.rpu", [unit.public], 1)
    junk = tmp_path / "note.txt"
    junk.write_text("x")
    page = InboxPage(unit.store)
    qtbot.addWidget(page)
    op = page.import_paths([str(path), str(junk)], passphrase=PASS)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "done"
    assert page.table.rowCount() == 2
    assert page.table.item(0, 0).text() == "已导入" and page.table.item(1, 0).text() == "拒收"
    assert "不是 .rpu" in page.table.item(1, 6).text()


def test_review_page_decides_and_shows_quota(qtbot, make_installation):
    from ui.office import ExportPage, OfficeReviewPage

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    for i in range(6):
        cid = office.store.save(make_record(i, channel={"kind": "盟市", "name": "包头市"}))
        decisions.decide(office.store, cid, "推荐")
    page = OfficeReviewPage(office.store)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 6
    assert "推荐 6 / 名额 5" in page.quota.text() and "超出名额" in page.quota.text()
    assert "超过盟市名额上限5人" in page.details.text() and "QUOTA" not in page.details.text()
    assert "2017-04-30" in page.deadline.text()
    page.table.selectRow(0)
    page._decide("不推荐", "材料不全")
    assert page.table.item(0, 6).text() == "不推荐"
    assert "超出名额" not in page.quota.text()
    export = ExportPage(office.store)
    qtbot.addWidget(export)
    assert export.pack_button.isEnabled() and "已标记推荐 5 名" in export.status.text()


def test_inbox_shows_file_names_a_readable_reason_and_duplicates_in_orange(qtbot, make_installation,
                                                                           tmp_path):
    from PySide6.QtWidgets import QHeaderView

    from tests.ui.conftest import SHOTS
    from ui.office import InboxPage
    from ui.office.common import DUP_COLOR, OK_COLOR

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    deep = tmp_path / "很长的文件夹名称" / "第二层文件夹" / "第三层文件夹"
    deep.mkdir(parents=True)
    first = applicant_package(make_installation("a"), deep / "甲.rpu", [office.public], 5)
    second = applicant_package(make_installation("b"), deep / "乙.rpu", [office.public], 5)
    other = applicant_package(make_installation("c"), deep / "丙.rpu",
                              [make_installation("x").public], 6)
    page = InboxPage(office.store)
    qtbot.addWidget(page)
    page.resize(1100, 420)
    page.show()
    op = page.import_paths([str(first), str(second), str(other)], passphrase=PASS)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    table = page.table
    assert [table.item(r, 1).text() for r in range(3)] == ["甲.rpu", "乙.rpu", "丙.rpu"]
    assert table.item(2, 1).toolTip() == str(other)
    # The reason column takes the free width and wraps, so it is readable without scrolling.
    header = table.horizontalHeader()
    assert header.sectionResizeMode(6) == QHeaderView.Stretch and table.wordWrap()
    assert header.sectionViewportPosition(6) + header.sectionSize(6) <= table.viewport().width()
    assert "不是发给本机密钥" in table.item(2, 6).text()
    assert table.item(0, 0).background().color().name() == OK_COLOR
    assert table.item(1, 0).text() == "重复，未导入"
    assert table.item(1, 0).background().color().name() == DUP_COLOR
    assert "重复未导入 1 个" in page.summary.text()
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "office-inbox-page.png"))


def test_export_page_ticks_publicity_and_declassification_for_the_report(qtbot,
                                                                          make_installation):
    from collector.printing import SETTING_KEY, ReportInfo
    from ui.office import ExportPage

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    page = ExportPage(office.store)
    qtbot.addWidget(page)
    assert not page.flags["publicized"].isChecked()
    page.flags["publicized"].setChecked(True)
    page.flags["declassified"].setChecked(True)
    page.save_report()
    info = ReportInfo.from_dict(office.store.get_setting(SETTING_KEY))
    assert info.publicized and info.declassified
    again = ExportPage(office.store)
    qtbot.addWidget(again)
    assert again.flags["publicized"].isChecked() and again.flags["declassified"].isChecked()


def test_review_table_keeps_six_rows_under_a_one_line_quota_at_1366x768(qtbot, make_installation):
    from ui.office import OfficeReviewPage

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    for i in range(8):
        cid = office.store.save(make_record(i, channel={"kind": "盟市", "name": "包头市"}))
        decisions.decide(office.store, cid, "推荐")
    page = OfficeReviewPage(office.store)
    qtbot.addWidget(page)
    page.resize(1350, 600)  # the tab's room in a 1366×768 window with a taskbar
    page.show()
    qtbot.waitExposed(page)
    page.table.selectRow(0)
    qtbot.wait(50)
    assert "\n" not in page.quota.text() and page.quota.height() < 30
    assert not page.details.isVisible()
    row = page.table.verticalHeader().defaultSectionSize()
    shown = page.table.viewport().height() / row
    assert shown >= 6, shown


def test_the_opinion_box_wraps_and_counts_to_its_limit(qtbot, make_installation):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPlainTextEdit

    from ui.office import OfficeReviewPage

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    cid = office.store.save(make_record(1, channel={"kind": "盟市", "name": "包头市"}))
    page = OfficeReviewPage(office.store)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    seen = {}

    def type_and_ok():
        dialog = page.opinion_dialog
        assert dialog.box.lineWrapMode() == QPlainTextEdit.WidgetWidth
        dialog.box.setPlainText("同" * 501)
        from PySide6.QtWidgets import QDialogButtonBox

        seen["over"] = (dialog.counter.text(),
                        dialog.buttons.button(QDialogButtonBox.Ok).isEnabled())
        dialog.box.setPlainText("经盟市评审委员会评议，同意推荐。")
        seen["ok"] = dialog.counter.text()
        dialog.accept()

    QTimer.singleShot(200, type_and_ok)
    page.edit_opinion()
    assert seen["over"] == ("501/500（超出 1 字）", False)
    assert seen["ok"] == "16/500"
    assert decisions.get_decision(office.store, cid).opinion == "经盟市评审委员会评议，同意推荐。"
