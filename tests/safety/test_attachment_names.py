"""Attachment names chosen by a sender: only documents and images are opened, names are shown
and written without control or direction characters, and are safe as Windows file names."""

from __future__ import annotations

import os
import stat
from pathlib import PureWindowsPath

import pytest

from collector.common import opening

RLO = "\u202e"


@pytest.mark.parametrize("name", ["论文.pdf", "扫描件.JPG", "表.xlsx", "报告.wps", "说明.txt",
                                  "证书.ofd", "图.tiff", "旧.doc", "表.et", "图.bmp"])
def test_documents_and_images_may_be_opened(name):
    assert opening.can_open(name)


@pytest.mark.parametrize("name", [f"证书{RLO}fdp.bat", "启动.desktop", "x.lnk", "a.exe", "b.js",
                                  "c.pdf.exe", "d.pdf:evil.exe", "e.pdf:stream", "无扩展名",
                                  "f.PDF ", "g.pdf.", "h.hta", "i.scr", "j.sh", "k.py"])
def test_anything_else_is_never_opened(name):
    # "f.PDF " and "g.pdf." are opened as the Windows shell sees them: what matters is that a
    # program type never is.
    if name in ("f.PDF ", "g.pdf."):
        assert opening.can_open(name) and opening.disk_name(name) in ("f.PDF", "g.pdf")
    else:
        assert not opening.can_open(name)


def test_direction_and_control_characters_are_removed_from_shown_names():
    shown = opening.display_name(f"证书{RLO}fdp.bat")
    assert shown == "证书fdp.bat" and shown.endswith(".bat")
    assert opening.display_name("a\u200fb\x00c\x1b[31m.pdf\u2066") == "abc[31m.pdf"


@pytest.mark.parametrize("name, expected", [
    ("CON.pdf", "_CON.pdf"), ("nul.txt", "_nul.txt"), ("COM1.tar.gz", "_COM1.tar.gz"),
    ("LPT9", "_LPT9"), ("a.pdf:stream", "a.pdf_stream"), ('x<>:"|?*.pdf', "x_______.pdf"),
    ("名单. . .", "名单"), ("..\\..\\Windows\\win.ini", "_.._Windows_win.ini"),
    ("../../etc/passwd", "_.._etc_passwd"), ("", "附件"), ("...", "附件"),
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
])
def test_disk_names_are_safe_on_windows(name, expected):
    got = opening.disk_name(name)
    assert got == expected
    win = PureWindowsPath(got)
    assert win.name == got and len(win.parts) == 1 and not win.drive
    assert win.stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}
    assert not got.endswith((" ", ".")) and not set('<>:"/\\|?*') & set(got)


def test_view_copies_are_private_and_removed(tmp_path):
    src = tmp_path / "stored"
    src.write_bytes(b"%PDF-1.4 ...")
    copy = opening.view_copy(src, f"..\\CON{RLO}.pdf")
    assert copy.read_bytes() == src.read_bytes() and copy.name == "_CON.pdf"
    if os.name != "nt":  # Windows keeps no POSIX modes: the profile folder is the user's own
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(opening.view_folder().stat().st_mode) == 0o700
    with pytest.raises(PermissionError):
        opening.view_copy(src, "run.desktop")
    folder = opening.view_folder()
    opening.remove_view_copies()
    assert not copy.exists() and not folder.exists()


@pytest.mark.parametrize("name", ["旧.doc", "表.XLS", "报告.wps", "表.et", f"a{RLO}b.doc"])
def test_macro_capable_types_open_only_after_their_warning(name, tmp_path):
    src = tmp_path / "stored"
    src.write_bytes(b"\xd0\xcf\x11\xe0 an OLE file")
    warning = opening.open_warning(name)
    ext = name.rpartition(".")[2].lower()
    assert warning == (f"“{opening.display_name(name)}”是旧版 Office/WPS 文件（.{ext}），可能含有宏。"
                       "打开后如果提示“启用宏”或“启用内容”，请不要启用。确定要打开吗？"
                       "也可以先另存后用杀毒软件检查。")
    assert RLO not in warning
    with pytest.raises(PermissionError):
        opening.view_copy(src, name)
    assert opening.view_copy(src, name, warned=True).read_bytes() == src.read_bytes()


@pytest.mark.parametrize("name", ["论文.pdf", "新.docx", "表.xlsx", "图.png", "说明.txt"])
def test_other_documents_open_without_a_warning(name, tmp_path):
    src = tmp_path / "stored"
    src.write_bytes(b"%PDF-1.4")
    assert opening.open_warning(name) == ""
    assert opening.view_copy(src, name).read_bytes() == b"%PDF-1.4"
