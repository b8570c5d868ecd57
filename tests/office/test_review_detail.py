"""审核与名额's lower pane: the selected candidate's whole record in the applicant's editor,
read-only, with its findings, attachments, source and the office's decision — and nothing saved."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from collector.common.fingerprint import short  # noqa: E402
from collector.office import decisions  # noqa: E402
from collector.office.profile import load_profile  # noqa: E402
from tests.conftest import make_record  # noqa: E402

SIGNER = "3f2a91c0" * 8
SOURCE = {"file": "申报_汪其.rpu", "signer": SIGNER, "signer_name": "汪其",
          "signer_unit": "内蒙古大学", "signer_role": "个人", "imported_at": "2017-04-21 10:00:00"}


@pytest.fixture
def styled(qapp):
    from ui import errors, style

    errors.set_non_blocking(True)
    style.apply(qapp)


@pytest.fixture
def office(make_installation, tmp_path, styled):
    """An office with three candidates; the first imported with a source and one attachment."""
    inst = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    store = inst.store
    scan = tmp_path / "职称证书.pdf"
    scan.write_bytes(b"%PDF-1.4 scan of the certificate")
    sha, size = store.add_file(scan)
    ids = []
    for i in range(3):
        record = make_record(i, channel={"kind": "盟市", "name": "包头市"})
        if i == 0:
            record["attachments"] = [{"file": "职称证书.pdf", "title": "研究员职称证书",
                                      "category": "职称", "classified": False,
                                      "declassified": False, "sha256": sha, "size": size}]
        ids.append(store.save(record, source=SOURCE if i == 0 else None))
    decisions.decide(store, ids[0], decisions.REJECT, "材料不全")
    decisions.set_opinion(store, ids[0], "请补充论文检索证明。", load_profile(store))
    return inst, ids


def _page(qtbot, store):
    from ui.office import OfficeReviewPage

    page = OfficeReviewPage(store)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def _snapshot(store, ids):
    return {cid: (store.get(cid).updated_at, len(store.get(cid, with_audit=True).audit))
            for cid in ids}


def test_detail_shows_every_page_of_the_selected_candidate(qtbot, office):
    from ui.editor.attachments_page import AttachmentsPage
    from ui.editor.conditions_page import ConditionsPage
    from ui.editor.history_page import HistoryPage
    from ui.editor.results_page import ResultsPage

    inst, ids = office
    record = inst.store.get(ids[0]).data
    page = _page(qtbot, inst.store)
    page.table.selectRow(0)
    editor = page.detail.editor
    assert editor.candidate_id == ids[0] and editor.read_only
    assert editor.page(type(editor.pages[0])).inputs["name"].value() == record["name"]
    work = editor.page(HistoryPage).tables["work_history"].value()
    assert work[0]["employer"] == record["work_history"][0]["employer"]
    papers = editor.page(ResultsPage).tables["papers"].value()
    assert [p["title"] for p in papers] == [p["title"] for p in record["papers"]]
    n = record["conditions"][0]
    statement = editor.page(ConditionsPage).inputs[f"condition_statements.{n}"].value()
    assert statement == record["condition_statements"][str(n)]
    files = editor.page(AttachmentsPage).attachments.value()
    assert [(a["title"], a["file"]) for a in files] == [("研究员职称证书", "职称证书.pdf")]
    # Source, decision and the office's own opinion beside the record; findings below them.
    source = page.detail.source.text()
    assert "申报_汪其.rpu" in source and short(SIGNER) in source and "内蒙古大学" in source
    decided = page.detail.decision.text()
    assert "不推荐" in decided and "材料不全" in decided and "请补充论文检索证明。" in decided
    assert page.detail.findings.title.text().startswith("检查结果")
    page.table.selectRow(1)
    assert "本机录入" in page.detail.source.text() and "未决定" in page.detail.decision.text()


def test_switching_candidates_reuses_one_editor(qtbot, office):
    inst, ids = office
    page = _page(qtbot, inst.store)
    editor = page.detail.editor
    name = editor.pages[0].inputs["name"]
    for row in (0, 1, 2, 0):
        page.table.selectRow(row)
        assert page.detail.editor is editor and editor.pages[0].inputs["name"] is name
        assert name.value() == inst.store.get(ids[row]).data["name"]


def test_read_only_editor_never_saves(qtbot, office):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView

    from ui.editor.form_editor import SAVE_DELAY_MS
    from ui.editor.history_page import HistoryPage

    inst, ids = office
    before = _snapshot(inst.store, ids)
    page = _page(qtbot, inst.store)
    editor = page.detail.editor
    page.table.selectRow(0)
    name = editor.pages[0].inputs["name"]
    old = name.value()
    name.editor.setFocus()
    qtbot.keyClicks(name.editor, "xy")        # typing does nothing in a read-only box
    assert name.value() == old
    name.editor.setText("改过的名字")             # a program can change the text …
    grid = editor.page(HistoryPage).tables["work_history"].table
    grid.item(0, 2).setText("改过的单位")
    assert not editor.dirty                        # … but the editor does not take it as an edit
    assert grid.editTriggers() == QAbstractItemView.NoEditTriggers
    assert not editor.page(HistoryPage).tables[
        "work_history"].add_button.isVisible()
    qtbot.wait(SAVE_DELAY_MS + 300)                # past the autosave delay
    page.table.selectRow(1)                        # switching saves the old one in the editor
    editor.save_now()
    qtbot.wait(50)
    assert _snapshot(inst.store, ids) == before
    assert inst.store.get(ids[0]).data["name"] == old
    assert name.editor.focusPolicy() != Qt.NoFocus  # text stays selectable for copying


def test_attachments_open_but_cannot_be_added_or_removed(qtbot, office, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from ui.editor.attachments_page import AttachmentsPage

    inst, ids = office
    page = _page(qtbot, inst.store)
    page.table.selectRow(0)
    attachments = page.detail.editor.page(AttachmentsPage)
    page.detail.editor.tabs.setCurrentWidget(attachments)
    table = attachments.attachments
    visible = {text for text, b in table.buttons.items() if b.isVisible()}
    assert visible == {"打开", "另存为…"} and not attachments.acceptDrops()
    assert attachments.add_files([inst.store.file_path(table.value()[0]["sha256"])]) is None
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    table.table.setCurrentCell(0, 0)
    table.buttons["打开"].click()
    assert opened and opened[0].endswith("职称证书.pdf")
    with open(opened[0], "rb") as fh:
        assert fh.read() == b"%PDF-1.4 scan of the certificate"
    assert len(inst.store.get(ids[0]).data["attachments"]) == 1


def test_applicant_editor_stays_editable(qtbot, store, styled):
    from ui.editor.form_editor import CandidateEditor

    editor = CandidateEditor(store)
    qtbot.addWidget(editor)
    cid = store.save(make_record(0))
    editor.load(cid)
    editor.set_read_only(True)
    editor.set_read_only(False)
    name = editor.pages[0].inputs["name"]
    name.editor.setText("新名字")
    assert editor.dirty and editor.save_now()
    assert store.get(cid).data["name"] == "新名字"


def test_review_page_screenshot(qtbot, office):
    from tests.ui.conftest import SHOTS

    inst, ids = office
    page = _page(qtbot, inst.store)
    page.table.selectRow(0)
    qtbot.wait(30)
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / "office-review-detail.png"
    assert page.grab().save(str(path))
