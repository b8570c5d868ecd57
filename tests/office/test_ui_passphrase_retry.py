"""A wrong passphrase in the GUI import is asked again (three tries) and the chosen files are
imported once it is right; after three wrong ones nothing is imported and the message says so."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from tests.office.conftest import PASS, applicant_package  # noqa: E402


@pytest.fixture
def unit_and_package(make_installation, tmp_path):
    from ui import session as sessions

    sessions.session().forget()
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    paths = [applicant_package(make_installation(f"a{i}"), tmp_path / f"a{i}.rpu",
                               [unit.public], i) for i in (1, 2)]
    yield unit, paths
    sessions.session().forget()


def asking(monkeypatch, typed: list[str]) -> list[str]:
    from ui import session as sessions

    notes: list[str] = []

    def ask(parent, what, note=""):
        notes.append(note)
        return typed.pop(0) if typed else None

    monkeypatch.setattr(sessions, "ask_passphrase", ask)
    return notes


def test_a_wrong_passphrase_is_asked_again_and_the_files_are_kept(
        qtbot, monkeypatch, unit_and_package):
    from ui.errors import set_non_blocking
    from ui.office import InboxPage

    set_non_blocking(True)
    unit, paths = unit_and_package
    notes = asking(monkeypatch, ["wrong", "also wrong", PASS])
    page = InboxPage(unit.store)
    qtbot.addWidget(page)
    op = page.import_paths([str(p) for p in paths])
    assert op is not None
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=20000)
    assert op.outcome == "done" and page.table.rowCount() == 2
    assert notes == ["", "口令不正确，请重新输入（还可再试 2 次）", "口令不正确，请重新输入（还可再试 1 次）"]


def test_three_wrong_passphrases_end_it_saying_so(qtbot, monkeypatch, unit_and_package):
    from PySide6.QtWidgets import QMessageBox

    from ui.errors import set_non_blocking
    from ui.office import InboxPage

    set_non_blocking(True)
    unit, paths = unit_and_package
    notes = asking(monkeypatch, ["w1", "w2", "w3", PASS])
    page = InboxPage(unit.store)
    qtbot.addWidget(page)
    assert page.import_paths([str(p) for p in paths]) is None
    assert len(notes) == 3 and page.table.rowCount() == 0
    box = page.findChild(QMessageBox, "errorBox")
    assert box is not None and "连续 3 次不正确" in box.text()
