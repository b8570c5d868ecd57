"""File dialogs start in 文档 (Documents, as Windows users expect) and suggest names that are
safe on Windows: no ``/`` or ``:``, no bidi marks, no device names such as ``CON``."""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest

from collector.common.paths import safe_default_name, safe_file_name

pytest.importorskip("PySide6")

from PySide6.QtCore import QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from ui.errors import set_non_blocking  # noqa: E402


@pytest.mark.parametrize("name, safe", [
    ("CON.pdf", "_CON.pdf"), ("nul", "_nul"), ("LPT1.txt", "_LPT1.txt"), ("COM10.txt", "COM10.txt"),
    ("张三/李四:评审.xlsx", "张三_李四_评审.xlsx"), ("证书\u202efdp.bat", "证书_fdp.bat"),
    ("名单. ", "名单"), ("a\tb\x00c.json", "a_b_c.json"),
])
def test_default_names_are_safe_on_windows(name, safe):
    assert safe_default_name(name) == safe
    assert PureWindowsPath("C:/文档", safe).name == safe  # one name, no folder parts


def test_safe_file_name_never_yields_a_device_name():
    for device in ("CON", "prn", "Aux", "NUL", "COM1", "lpt9", "CON .x"):
        assert not safe_file_name(device).upper().startswith(("CON", "PRN", "AUX", "NUL",
                                                              "COM1", "LPT9"))


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "张三" / "文档"
    folder.mkdir(parents=True)

    def location(kind):
        assert kind == QStandardPaths.DocumentsLocation
        return str(folder)

    monkeypatch.setattr("ui.file_dialogs.QStandardPaths.writableLocation", location)
    return folder


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, str]]:
    """Every file dialog opened: (caption, start path); each is cancelled."""
    calls: list[tuple[str, str]] = []

    def save(parent, caption, start="", *a, **k):
        calls.append((caption, start))
        return "", ""

    def folder(parent, caption, start="", *a, **k):
        calls.append((caption, start))
        return ""

    for name in ("getSaveFileName", "getOpenFileName", "getOpenFileNames"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(save))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(folder))
    return calls


def test_dialogs_start_in_documents(qtbot, store, documents, asked):
    from ui.dialogs.json_files import export_json, import_json
    from ui.office.inbox_page import InboxPage

    class Window:  # what the JSON dialogs use of the main window
        pass

    window = Window()
    window.store = store
    import_json(window)
    export_json(window)
    set_non_blocking(True)
    try:
        inbox = InboxPage(store)
        qtbot.addWidget(inbox)
        inbox.choose_files()
        inbox.choose_folder()
        inbox.choose_iso()
    finally:
        set_non_blocking(False)
    assert len(asked) == 5
    for caption, start in asked:
        assert Path(start) == documents or Path(start).parent == documents, (caption, start)
    assert ("导出 JSON", str(documents / "候选人.json")) in asked


def test_review_sheet_name_with_slash_and_device_name_is_made_safe(qtbot, store, documents,
                                                                   asked):
    from tests.review.helpers import candidate
    from ui.review import ReviewPage

    set_non_blocking(True)
    try:
        page = ReviewPage(store)
        qtbot.addWidget(page)
        page.ids = [store.save(candidate(0, "人选0", "盟市", "包头市"))]
        page.new_round()
        page.expert_edit.setText("王/五:CON")
        page.add_expert()
        page.expert_list.setCurrentRow(0)
        page.ask_export("xlsx")
    finally:
        set_non_blocking(False)
    caption, start = asked[-1]
    assert Path(start).parent == documents
    assert "/" not in Path(start).name and ":" not in Path(start).name
    assert Path(start).name.endswith(".xlsx") and "王_五_CON" in Path(start).name
