"""The region's 专家评审 page (offscreen): registered for the region role, builds a round,
imports sheets, refuses a second sheet from the same expert, direct entry, the ranking table."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")


from collector.review.sheet_xlsx import export_xlsx  # noqa: E402
from ui import roles  # noqa: E402
from ui.errors import set_non_blocking  # noqa: E402
from .helpers import candidate, fill_sheet, score_rows  # noqa: E402


@pytest.fixture
def page(qtbot, store):
    set_non_blocking(True)
    from ui.review import ReviewPage

    ids = [store.save(candidate(i, f"人选{i}", "盟市", ["包头市", "赤峰市"][i % 2]))
           for i in range(4)]
    p = ReviewPage(store)
    qtbot.addWidget(p)
    p.ids = ids
    yield p
    set_non_blocking(False)


def test_the_page_is_registered_for_the_region():
    titles = [p.title for p in roles.pages_for(roles.REGION)]
    assert "专家评审" in titles


def test_a_round_from_the_page(page, store, tmp_path):
    assert page.round is None and "还没有评审轮次" in page.status.text()
    page.new_round()
    assert page.round is not None and len(page.round.candidates) == 4
    for name in ("甲", "乙"):
        page.expert_edit.setText(name)
        page.add_expert()
    assert page.expert_list.count() == 2
    sheet = tmp_path / "甲.xlsx"
    export_xlsx(store, page.round, "甲", sheet)
    fill_sheet(sheet, dict(zip(page.ids, [9, 8, 7, 6])))
    assert page.import_sheet(sheet)
    assert not page.import_sheet(sheet) and "已提交过评分" in page.last_error
    assert score_rows(store) == 32
    # direct entry for 乙: one cell out of range is refused and nothing is saved
    page.expert_list.setCurrentRow(1)
    t = page.entry_table
    for r in range(4):
        for k in range(t.columnCount()):
            t.item(r, k).setText("5")
    t.item(0, 0).setText("12")
    assert not page.save_entry() and "超出评分范围" in page.last_error
    assert score_rows(store) == 32
    t.item(0, 0).setText("5")
    assert page.save_entry()
    assert score_rows(store) == 64
    ranking = page.rank_table
    assert ranking.rowCount() == 4
    assert [ranking.item(r, 1).text() for r in range(4)] == ["人选0", "人选1", "人选2", "人选3"]
    assert ranking.item(0, 3).text() == "70.00" and ranking.item(0, 4).text() == "入选"
    assert "推荐名单 4 名" in page.share_label.text()
    pdf = tmp_path / "乙.pdf"
    page.expert_list.setCurrentRow(1)
    assert page.export_sheet(pdf) and pdf.stat().st_size > 1000
    page.close_round()
    assert not page.round.is_open and not page.close_button.isEnabled()


def test_no_criterion_header_of_the_entry_grid_is_clipped(page):
    page.resize(1330, 600)
    page.show()
    page.new_round()
    page.expert_edit.setText("甲")
    page.add_expert()
    page.expert_list.setCurrentRow(0)
    t = page.entry_table
    header = t.horizontalHeader()
    metrics = header.fontMetrics()
    for col in range(t.columnCount()):
        text = t.horizontalHeaderItem(col).text()
        widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        assert header.sectionSize(col) >= widest + 8, text
    assert t.horizontalHeaderItem(0).text().startswith("学术技术水平\n（条件一）")
