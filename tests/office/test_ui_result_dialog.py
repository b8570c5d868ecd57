"""The disc's outcome at 1366×768: a short summary and a scrolling list of findings, no raw rule
codes and no command-line hints, 确定 always on screen (issue 26)."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QDialogButtonBox  # noqa: E402

from collector.office import decisions  # noqa: E402
from tests.conftest import make_record  # noqa: E402
from tests.office.conftest import PASS  # noqa: E402


def test_a_disc_with_many_findings_keeps_its_ok_button_on_screen(qtbot, make_installation,
                                                                  tmp_path):
    from ui.office.export_page import ExportPage

    office = make_installation("baotou", "盟市/厅局", "包头市人力资源和社会保障局", "包头市")
    for i in range(5):  # awards and papers listed, no certificates attached: PRINT findings
        cid = office.store.save(make_record(i, channel={"kind": "盟市", "name": "包头市"},
                                            attachments=[]))
        decisions.decide(office.store, cid, "推荐")
    page = ExportPage(office.store)
    qtbot.addWidget(page)
    assert "DEADLINE" not in page.status.text() and "collector " not in page.status.text()
    op = page.ask_disc(out=str(tmp_path / "disc"), passphrase=PASS)
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=60000)
    assert op.outcome == "done", op.error
    dialog = page.result_dialog
    dialog.show()
    qtbot.waitExposed(dialog)
    lines = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(lines) >= 5
    texts = [dialog.summary.text(), *lines]
    for code in ("PRINT：", "DUPLICATE：", "DEADLINE：", "PRINT:", "collector "):
        assert not any(code in t for t in texts), code
    assert dialog.summary.text().count("\n") <= 3
    assert dialog.height() <= 620  # 768 less a taskbar and a title bar
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    assert ok.isVisible() and ok.mapTo(dialog, ok.rect().bottomLeft()).y() <= dialog.height()
