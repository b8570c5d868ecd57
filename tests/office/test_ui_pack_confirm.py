"""审核与名额 shows an out-of-channel candidate and a 不一致 paper, and 生成上报包 asks for the
reasons before it packs them (issue 26)."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from collector.office import decisions  # noqa: E402
from tests.conftest import make_record  # noqa: E402
from tests.office.conftest import PASS  # noqa: E402


@pytest.fixture
def baotou(make_installation):
    inst = make_installation("baotou", "盟市/厅局", "包头市人力资源和社会保障局", "包头市")
    own = inst.store.save(make_record(1, channel={"kind": "盟市", "name": "包头市"}))
    other = inst.store.save(make_record(2, channel={"kind": "盟市", "name": "呼和浩特市"}))
    for cid in (own, other):
        decisions.decide(inst.store, cid, "推荐")
    return inst, own, other


def test_the_review_table_shows_the_out_of_channel_candidate(qtbot, baotou):
    from ui.office.review_page import CHANNEL_COL, CONFIRM_COL, OfficeReviewPage

    inst, own, other = baotou
    page = OfficeReviewPage(inst.store)
    qtbot.addWidget(page)
    row = page.ids.index(other)
    cell = page.table.item(row, CONFIRM_COL)
    assert cell.text() == "非本渠道人选：须写明理由" and "呼和浩特市" in cell.toolTip()
    assert page.table.item(row, CHANNEL_COL).background().color() == QColor("#f2dede")
    assert page.table.item(page.ids.index(own), CONFIRM_COL).text() == ""


def fill_and(qtbot, page, reason: str | None):
    def act():
        dialog = page.confirm_dialog
        if reason is None:
            dialog.reject()
            return
        assert not dialog.ok.isEnabled()  # no reason, no 确认
        dialog.reasons[0].setText(reason)
        dialog.ok.click()

    page.confirm_dialog = None
    QTimer.singleShot(300, act)


def test_packing_asks_for_the_reason_first(qtbot, baotou, tmp_path):
    from ui.office.export_page import ExportPage
    from ui.office.review_page import CONFIRM_COL, OfficeReviewPage

    inst, own, other = baotou
    page = ExportPage(inst.store)
    qtbot.addWidget(page)
    assert "须写明理由才能报送" in page.status.text()
    out = tmp_path / "baotou.rpu"
    fill_and(qtbot, page, None)  # 取消: nothing is packed
    assert page.ask_pack(out=str(out), passphrase=PASS) is None and not out.exists()

    fill_and(qtbot, page, "已调入包头市，两市协商由包头市推荐")
    op = page.ask_pack(out=str(out), passphrase=PASS)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "done" and out.is_file()
    review = OfficeReviewPage(inst.store)
    qtbot.addWidget(review)
    cell = review.table.item(review.ids.index(other), CONFIRM_COL)
    assert cell.text() == "已确认（非本渠道人选）" and "两市协商" in cell.toolTip()
