"""生成报部材料 on the region's review page: the same core call as ``collector review pack``,
refused with the core's message while ties are pending, then a package the ministry opens."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from collector import review as rv  # noqa: E402
from collector.office.profile import save_profile  # noqa: E402
from collector.exchange.keyring import generate_identity  # noqa: E402
from collector.rpu import open_package  # noqa: E402
from collector.exchange.keyring import public_key_block  # noqa: E402
from collector.storage.store import Store  # noqa: E402
from ui.errors import set_non_blocking  # noqa: E402
from .helpers import candidate  # noqa: E402

PASS = "review-tests"
SHOTS = Path(__file__).resolve().parent.parent / "screenshots"
IDS = ("c1", "c2", "c3", "c4", "original", "industry", "team", "young")


@pytest.fixture
def region(qtbot, store):
    set_non_blocking(True)
    from ui.review import ReviewPage

    generate_identity(store, PASS, "自治区", "自治区人力资源和社会保障厅")
    save_profile(store, role="region", unit="自治区人力资源和社会保障厅")
    # 区直单位 may send 2: 人选0 is in, 人选1, 人选2 tie for the one seat left
    ids = [store.save(candidate(i, f"人选{i}", "区直单位", "内蒙古大学")) for i in range(3)]
    ids.append(store.save(candidate(3, "人选3", "盟市", "赤峰市")))
    rnd = rv.create_round(store)
    rv.add_expert(store, rnd, "甲")
    rv.enter_scores(store, rnd, "甲", {cid: {k: v for k in IDS}
                                      for cid, v in zip(ids, [9, 8, 8, 7])})
    page = ReviewPage(store)
    qtbot.addWidget(page)
    page.ids = ids
    yield page
    set_non_blocking(False)


@pytest.fixture
def ministry(tmp_path):
    with Store(tmp_path / "ministry" / "collector.db") as store:
        identity = generate_identity(store, PASS, "人力资源社会保障部", "专业技术人员管理司")
        key = tmp_path / "人社部公钥.pub"
        key.write_text(public_key_block(store), encoding="utf-8")
        yield identity, key


def test_pending_tie_is_refused_with_the_cores_message(region, ministry, tmp_path):
    _identity, key = ministry
    out = tmp_path / "报部.rpu"
    assert region.pack_button.isEnabled() and region.pack_button.text() == "生成报部材料…"
    assert region.ask_pack(str(out), str(key), PASS) is None
    assert "并列待定" in region.last_error and "专家组商议" in region.last_error
    assert "并列待定" in region.status.text()
    assert not out.exists()


def test_the_button_packs_for_the_ministry(region, ministry, store, qtbot, tmp_path):
    mid, key = ministry
    ids = region.ids
    rv.record_tiebreak(store, region.round, [ids[2], ids[1]], "专家组商议，人选2 成果转化更突出")
    region.refresh()
    out = tmp_path / "报部.rpu"
    op = region.ask_pack(str(out), str(key), PASS)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "done", region.last_error
    assert "已生成报部材料" in region.status.text() and "推荐人选 3 名" in region.status.text()
    pkg = open_package(out, mid)
    assert sorted(c["name"] for c in pkg.candidates) == ["人选0", "人选2", "人选3"]
    region.resize(1200, 700)
    SHOTS.mkdir(exist_ok=True)
    region.grab().save(str(SHOTS / "region-review-ministry-pack.png"))


def test_wrong_passphrase_or_bad_key_file_says_so(region, ministry, store, qtbot, tmp_path):
    _mid, key = ministry
    ids = region.ids
    rv.record_tiebreak(store, region.round, [ids[1], ids[2]], "专家组商议")
    region.refresh()
    out = tmp_path / "报部.rpu"
    op = region.ask_pack(str(out), str(key), "wrong-passphrase")
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "failed" and "口令" in region.last_error and not out.exists()
    junk = tmp_path / "不是公钥.pub"
    junk.write_text("hello", encoding="utf-8")
    op = region.ask_pack(str(out), str(junk), PASS)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "failed" and "不是人才信息采集的公钥" in region.last_error


def test_ranking_reason_is_readable_and_per_expert_scores_are_a_tooltip(region):
    from PySide6.QtWidgets import QHeaderView

    t = region.rank_table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert headers[-1] == "原因" and "各专家加权分" not in headers
    assert t.horizontalHeader().sectionResizeMode(5) == QHeaderView.Stretch and t.wordWrap()
    assert "甲：" in t.item(0, 3).toolTip()
