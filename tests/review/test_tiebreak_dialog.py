"""The 专家组商议定序 dialog on the region's review page (offscreen): the button is enabled only while
a tie is pending; reordering, a missing reason refused in the dialog, then the decision saved."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox  # noqa: E402

from collector import review as rv  # noqa: E402
from ui.errors import set_non_blocking  # noqa: E402
from .helpers import candidate  # noqa: E402

IDS = ("c1", "c2", "c3", "c4", "original", "industry", "team", "young")


@pytest.fixture
def page(qtbot, store):
    set_non_blocking(True)
    from ui.review import ReviewPage

    # 区直单位 may send 2: 人选0 is in, 人选1, 人选2, 人选3 tie for the one seat left
    ids = [store.save(candidate(i, f"人选{i}", "区直单位", "内蒙古大学")) for i in range(4)]
    ids.append(store.save(candidate(4, "人选4", "盟市", "赤峰市")))
    rnd = rv.create_round(store)
    rv.add_expert(store, rnd, "甲")
    rv.enter_scores(store, rnd, "甲", {cid: {k: v for k in IDS}
                                      for cid, v in zip(ids, [9, 8, 8, 8, 7])})
    p = ReviewPage(store)
    qtbot.addWidget(p)
    p.ids = ids
    yield p
    set_non_blocking(False)


def test_the_dialog_records_the_panels_order(page, store, qtbot):
    ids = page.ids
    assert page.tiebreak_button.isEnabled()
    assert "需专家组商议" in page.rank_label.text()
    dialog = page.ask_tiebreak()
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not dialog.tie_box.isVisible()
    assert dialog.order() == ids[1:4]
    assert "3人并列第2名" in dialog.note.text() and "剩余名额1个" in dialog.note.text()
    lst = dialog.order_list
    assert lst.item(0).text().endswith("→ 入选") and lst.item(1).text().endswith("→ 未入选")
    # move 人选3 to the top
    lst.setCurrentRow(2)
    dialog.move_row(-1)
    dialog.move_row(-1)
    assert dialog.order() == [ids[3], ids[1], ids[2]]
    assert not dialog.up_button.isEnabled() and lst.item(0).text().startswith("1. 人选3")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    # no reason: refused, shown in the dialog, nothing saved, the dialog stays open
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert "请填写专家组商议的理由" in dialog.error_label.text()
    assert dialog.isVisible() and not rv.load_tiebreaks(store, page.round)
    dialog.reason_edit.setPlainText("专家组商议，人选3 的成果转化更突出")
    dialog.actor_edit.setText("评审组秘书")
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert not dialog.isVisible()
    [d] = rv.load_tiebreaks(store, page.round)
    assert d.order == (ids[3], ids[1], ids[2]) and d.actor == "评审组秘书"
    # the page now shows the decided list and the button is off
    assert not page.tiebreak_button.isEnabled()
    t = page.rank_table
    rows = {t.item(r, 1).text(): (t.item(r, 4).text(), t.item(r, 5).text())
            for r in range(t.rowCount())}
    assert rows["人选3"][0] == "入选" and rows["人选1"][0] == "未入选"
    assert rows["人选1"][1].startswith("专家组商议：专家组商议，人选3 的成果转化更突出")
    assert "推荐名单 3 名" in page.rank_label.text()
    assert "已记录专家组商议定序" in page.status.text()


def test_no_tie_no_button(qtbot, store):
    from ui.review import ReviewPage

    ids = [store.save(candidate(i, f"人选{i}", "盟市", "包头市")) for i in range(2)]
    rnd = rv.create_round(store)
    rv.add_expert(store, rnd, "甲")
    rv.enter_scores(store, rnd, "甲", {cid: {k: 8 for k in IDS} for cid in ids})
    p = ReviewPage(store)
    qtbot.addWidget(p)
    assert not p.tiebreak_button.isEnabled() and p.ask_tiebreak() is None
