"""Roles as users meet them: one name per role everywhere, the applicant cannot write the unit's
opinion, an office opens on its 审核 page; the first-run guide speaks to an applicant."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from collector.office.profile import ROLE_LABELS
from tests.conftest import make_record

ROOT = Path(__file__).resolve().parents[2]


def _window(store, qtbot, role: str):
    from ui import profile as profiles
    from ui.main_window import MainWindow

    profiles.save(store, {"role": role, "unit": "包头市人社局",
                          "channel": {"kind": "盟市", "name": "包头市"}})
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_one_name_for_each_role_in_settings_cli_and_guide(store, qtbot):
    from ui import roles
    from ui.dialogs.settings import WELCOME, SettingsDialog

    assert roles.ROLES == ROLE_LABELS
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    assert [dialog.role.itemText(i) for i in range(dialog.role.count())] == list(ROLE_LABELS.values())
    for label in ROLE_LABELS.values():
        assert f"“{label}”" in WELCOME
    help_text = subprocess.run([sys.executable, "-m", "collector", "role", "--help"], cwd=ROOT,
                               capture_output=True, text=True).stdout
    assert all(label in help_text for label in ROLE_LABELS.values()), help_text
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    assert "role --set 个人\\|单位\\|盟市/厅局\\|自治区" in guide
    for other in ("个人（申报人）", "盟市 / 区直厅局", "“申报人”"):
        assert other not in guide and other not in WELCOME, other
    assert "选“个人”" in guide and "选“**盟市/厅局**”" in guide


def test_the_applicant_cannot_type_the_unit_opinion(store, qtbot):
    from ui.editor.pledge_page import PledgePage

    cid = store.save(make_record(0))
    win = _window(store, qtbot, "applicant")
    win.reload_list(select=cid)
    page = win.editor.page(PledgePage)
    opinion = page.inputs["unit_opinion.text"]
    before = opinion.value()
    win.editor.tabs.setCurrentWidget(page)
    opinion.editor.setFocus()
    qtbot.keyClicks(opinion.editor, "ok")  # QTest aborts on non-Latin-1 keys
    assert opinion.value() == before and opinion.editor.isReadOnly()
    assert page.opinion_note.isVisible()
    assert not page.inputs["pledge"].editor.testAttribute(Qt.WA_TransparentForMouseEvents)
    # A unit's clerk writes it.
    from ui import profile as profiles

    profiles.save(store, {**profiles.load(store), "role": "unit"})
    win.profile_changed()
    assert not opinion.editor.isReadOnly() and not page.opinion_note.isVisible()
    win.close()


def test_an_office_opens_on_its_review_page(store, qtbot):
    win = _window(store, qtbot, "office")
    assert win.tabs.tabText(win.tabs.currentIndex()) == "审核与名额"
    win.close()
    applicant = _window(store, qtbot, "applicant")
    assert applicant.tabs.currentIndex() == 0
    applicant.close()


def test_the_first_run_guide_speaks_to_an_applicant(store, qtbot, shot):
    from ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(store, first_run=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
    texts += [w.toolTip() for w in dialog.findChildren(QWidget)]
    joined = "\n".join(texts)
    for word in ("--db", "COLLECTOR_", "环境变量", "参数"):
        assert word not in joined, word
    assert "申报人本人" in joined and "保存" in joined
    shot(dialog, "first-run-guide")
    dialog.reject()


def test_the_unit_from_the_first_run_guide_is_the_new_forms_employer(window, store, qtbot):
    dialog = window.open_first_run()
    qtbot.addWidget(dialog)
    dialog.unit.setText("内蒙古农业大学")
    dialog.accept()
    cid = window.new_candidate()
    assert window.editor.pages[0].inputs["employer"].value() == "内蒙古农业大学"
    assert store.get(cid).data["employer"] == "内蒙古农业大学"
