"""The inbox page resolves a duplicate (保留原记录 / 以此份替换 through run_op) and unlocks the key
once per session: the second action does not ask for the passphrase again."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from collector.office import duplicates as dups  # noqa: E402
from tests.conftest import make_record  # noqa: E402
from tests.office.conftest import PASS, TODAY  # noqa: E402

CHANNEL = {"kind": "盟市", "name": "包头市"}


def _package(inst, out, to, **overrides):
    from collector.exchange.packing import pack

    inst.store.save(make_record(5, channel=CHANNEL, **overrides))
    pack(inst.store, [], out, identity=inst.identity, recipients=to, today=TODAY)
    return out


@pytest.fixture
def page_with_duplicate(qtbot, make_installation, tmp_path, monkeypatch):
    from ui import session as sessions
    from ui.errors import set_non_blocking
    from ui.office import InboxPage

    set_non_blocking(True)
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first = _package(make_installation("a", unit="包头稀土研究院"), tmp_path / "甲.rpu",
                     [office.public])
    second = _package(make_installation("b", unit="内蒙古科技大学"), tmp_path / "乙.rpu",
                      [office.public], achievements="乙份：补充了 2016 年的成果")
    page = InboxPage(office.store)
    qtbot.addWidget(page)
    page.resize(1200, 620)
    page.show()
    op = page.import_paths([str(first), str(second)], passphrase=PASS)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    asked = []
    monkeypatch.setattr(sessions, "ask_passphrase", lambda *a: asked.append(a) or None)
    yield page, office, asked
    sessions.session().forget()


def _wait(qtbot, op):
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "done", op.error


def test_inbox_lists_the_open_duplicate_with_both_sources_and_keeps_it(qtbot, page_with_duplicate):
    from tests.ui.conftest import SHOTS

    page, office, _ = page_with_duplicate
    panel = page.duplicates
    assert panel.isVisible() and panel.table.rowCount() == 1
    assert "甲.rpu" in panel.table.item(0, 2).text() and "乙.rpu" in panel.table.item(0, 3).text()
    assert panel.keep_button.isEnabled() and panel.replace_button.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "office-inbox-duplicate.png"))
    _wait(qtbot, panel.ask_keep(reason="已与两个报送方核实，以甲份为准"))
    assert not panel.isVisible() and dups.open_duplicates(office.store) == []
    assert "保留原记录" in page.table.item(1, 6).text()
    assert "已保留" in page.summary.text()


def test_replace_from_the_inbox_uses_the_session_key_without_asking(qtbot, page_with_duplicate):
    page, office, asked = page_with_duplicate
    _wait(qtbot, page.duplicates.ask_replace(reason="乙份材料更完整"))
    assert asked == []  # unlocked by the import a moment ago
    record = next(office.store.all())
    assert record.data["achievements"] == "乙份：补充了 2016 年的成果"
    assert record.source["file"] == "乙.rpu"
    assert page.table.item(1, 0).text() == "已导入" and not page.duplicates.isVisible()
    assert "已以 乙.rpu 替换" in page.summary.text()


def test_locked_session_asks_again_and_cancel_changes_nothing(qtbot, page_with_duplicate):
    from ui.session import session

    page, office, asked = page_with_duplicate
    session().forget()
    assert page.duplicates.ask_replace(reason="乙份材料更完整") is None
    assert len(asked) == 1 and dups.open_duplicates(office.store)


@pytest.mark.parametrize("answer", [False, True])
def test_replacing_with_an_older_copy_of_the_same_applicant_asks_first(
        qtbot, make_installation, tmp_path, monkeypatch, answer):
    """The panel shows the signed times; 以此份替换 with the older copy asks 是/否 first (否 changes
    nothing), and a 是 is recorded in the audit."""
    from ui import session as sessions
    from ui.errors import set_non_blocking
    from ui.office import InboxPage, duplicates_panel
    from tests.office.test_duplicate_replays import NEW_TEXT, OLD_TEXT, _two_versions

    set_non_blocking(True)
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    old, new = _two_versions(make_installation("applicant"), tmp_path, [unit.public])
    page = InboxPage(unit.store)
    qtbot.addWidget(page)
    _wait(qtbot, page.import_paths([str(new), str(old)], passphrase=PASS))
    panel = page.duplicates
    assert panel.table.item(0, 4).text() == \
        f"原记录 {NEW_TEXT}，又收到的一份 {OLD_TEXT}（原记录较新）"
    asked = []
    monkeypatch.setattr(duplicates_panel, "confirm",
                        lambda parent, title, text: asked.append((title, text)) or answer)
    op = panel.ask_replace(reason="以旧版为准")
    [(title, text)] = asked
    assert title == "以较旧的一份替换？" and "早于本机原记录" in text
    record = next(unit.store.all())
    if not answer:
        assert op is None and dups.open_duplicates(unit.store)
        assert record.data["achievements"] == "新版：补充了 2016 年的成果"
    else:
        _wait(qtbot, op)
        record = next(unit.store.all())
        assert record.data["achievements"] == "旧版：未含 2016 年成果"
        [audit] = [a for a in unit.store.audit(record.id) if a["action"] == "duplicate_replace"]
        assert audit["new"]["older_confirmed"].endswith("已明确确认以旧版替换")
    sessions.session().forget()


def test_office_table_cells_show_hostile_names_escaped(qtbot):
    from ui.office.common import item

    cell = item("证书\u202efdp.rpu", tip="第一行 a\u202eb\n第二行")
    assert cell.text() == "证书\\u202efdp.rpu"
    assert cell.toolTip() == "第一行 a\\u202eb\n第二行"
