"""The attachments page opens documents and images only; a launcher or a disguised program is
offered 另存为 and never handed to the system; shown names carry no direction characters."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from tests.conftest import make_record
from ui.editor.attachments_page import AttachmentsPage

RLO = "\u202e"


def _page_with(window, store, tmp_path, names):
    cid = store.save(make_record(9, attachments=[]))
    entries = []
    for i, name in enumerate(names):
        src = tmp_path / f"src{i}"
        src.write_bytes(b"#!/bin/sh\necho pwned\n" if i else b"%PDF-1.4\n")
        sha, size = store.add_file(src)
        entries.append({"file": name, "title": "材料", "category": "其他", "classified": False,
                        "declassified": False, "sha256": sha, "size": size})
    # As an older program could have stored them: written behind normalize.
    data = dict(store.get(cid).data, attachments=entries)
    with store.transaction():
        store.db.execute("UPDATE candidates SET data=? WHERE id=?",
                         [json.dumps(data, ensure_ascii=False), cid])
    window.reload_list(select=cid)
    page = window.editor.page(AttachmentsPage)
    window.editor.tabs.setCurrentWidget(page)
    return page


def test_only_documents_are_opened_others_are_offered_save_as(window, store, tmp_path,
                                                            monkeypatch):
    opened, asked = [], []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    target = tmp_path / "saved"
    target.mkdir()

    def save_dialog(parent, title, suggested, *a):
        asked.append((title, suggested))
        return str(target / "CON.txt:x"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    page = _page_with(window, store, tmp_path,
                      ["论文.pdf", f"证书{RLO}fdp.bat", "启动器.desktop"])
    table = page.attachments.table
    shown = [table.item(r, 4).text() for r in range(table.rowCount())]
    assert shown == ["论文.pdf", "证书fdp.bat", "启动器.desktop"]
    for r in range(3):
        table.setCurrentCell(r, 0)
        page.attachments.open_current()
    assert len(opened) == 1 and opened[0].toLocalFile().endswith("论文.pdf")
    assert len(asked) == 2 and all("另存为" in title for title, _ in asked)
    assert asked[0][1].endswith("证书fdp.bat") and RLO not in asked[0][1]
    saved = sorted(p.name for p in target.iterdir())
    assert saved == ["_CON.txt_x"]
    window.close()
    assert not Path(opened[0].toLocalFile()).exists()


def test_an_old_office_file_opens_only_after_the_macro_warning_is_confirmed(window, store,
                                                                            tmp_path, monkeypatch):
    from ui.editor import attachments_page

    opened, asked, answers = [], [], [False, True]
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(attachments_page, "confirm",
                        lambda parent, title, text: asked.append((title, text)) or answers.pop(0))
    page = _page_with(window, store, tmp_path, ["推荐表.doc", "论文.pdf"])
    table = page.attachments.table
    table.setCurrentCell(0, 0)
    page.attachments.open_current()  # 否: nothing opens
    assert opened == [] and asked[0][0] == "打开可能含宏的文件" and "可能含有宏" in asked[0][1]
    page.attachments.open_current()  # 是
    assert len(opened) == 1 and opened[0].toLocalFile().endswith("推荐表.doc")
    table.setCurrentCell(1, 0)
    page.attachments.open_current()  # a PDF: no question
    assert len(asked) == 2 and len(opened) == 2


def test_no_program_to_open_an_attachment_is_said(window, store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    page = _page_with(window, store, tmp_path, ["论文.pdf"])
    page.attachments.table.setCurrentCell(0, 0)
    page.attachments.open_current()
    box = page.findChild(QMessageBox, "noViewer")
    assert box is not None and "没有可以打开“论文.pdf”的程序" in box.text()
    window.close()
