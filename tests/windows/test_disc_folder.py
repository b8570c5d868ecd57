"""``disc verify`` of a folder as it looks on Windows: Explorer's own files are ignored, links
(symlinks, junctions) are never followed out of the folder."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from collector import disc
from collector.disc.verification import is_link

LABEL = disc.DiscLabel("包头市人力资源和社会保障局", dt.date(2017, 4, 20), "102")


@pytest.fixture
def folder(tmp_path) -> Path:
    rpu = tmp_path / "包头市_20170420.rpu"
    rpu.write_bytes(b"\x89RPU" + os.urandom(500))

    def fill(print_dir: Path) -> None:
        (print_dir / "推荐报告.pdf").write_bytes(b"%PDF-1.4 report")

    return disc.build_folder(tmp_path / "disc", rpu_files=[rpu], label=LABEL, fill_print=fill)


def test_explorer_thumbs_db_and_desktop_ini_are_not_extra_files(folder, tmp_path):
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0 thumbnails")
    (folder / "PRINT" / "desktop.ini").write_text("[.ShellClassInfo]\r\n", encoding="utf-16")
    report = disc.verify(folder)
    assert report.ok, report.message()
    iso = disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    with disc.open_iso(iso) as image:
        assert not {"Thumbs.db", "PRINT/desktop.ini"} & set(image.files())
    assert disc.verify(iso).ok


def test_a_file_replaced_by_a_link_out_of_the_folder_is_not_followed(folder, tmp_path):
    outside = tmp_path / "outside.pdf"
    shutil.copyfile(folder / "PRINT" / "推荐报告.pdf", outside)  # same bytes: hashes would match
    (folder / "PRINT" / "推荐报告.pdf").unlink()
    (folder / "PRINT" / "推荐报告.pdf").symlink_to(outside)
    report = disc.verify(folder)
    assert not report.ok
    assert report.links == ["PRINT/推荐报告.pdf"] and "链接" in report.message()


def test_a_folder_replaced_by_a_link_is_not_entered(folder, tmp_path, cli):
    shutil.copytree(folder / "PRINT", tmp_path / "elsewhere")
    shutil.rmtree(folder / "PRINT")
    (folder / "PRINT").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    report = disc.verify(folder)
    assert not report.ok and report.links == ["PRINT"]
    assert report.missing == []  # not "missing": it is behind a link that is never read
    r = cli("disc", "verify", folder)
    assert r.code == 1 and "链接" in r.out
    with pytest.raises(disc.DiscError):
        with disc.rpu_files_on(folder):
            pass


def test_a_linked_manifest_is_not_read(folder, tmp_path):
    (tmp_path / "m.sha256").write_bytes((folder / disc.MANIFEST).read_bytes())
    (folder / disc.MANIFEST).unlink()
    (folder / disc.MANIFEST).symlink_to(tmp_path / "m.sha256")
    report = disc.verify(folder)
    assert not report.ok and report.links == [disc.MANIFEST]


def test_windows_junctions_and_symlinks_count_as_links_but_onedrive_placeholders_do_not():
    regular = stat.S_IFREG | 0o644
    assert is_link(SimpleNamespace(st_mode=stat.S_IFDIR, st_reparse_tag=0xA0000003))  # junction
    assert is_link(SimpleNamespace(st_mode=regular, st_reparse_tag=0xA000000C))  # symlink
    assert not is_link(SimpleNamespace(st_mode=regular, st_reparse_tag=0x9000001A))  # cloud file
    assert not is_link(SimpleNamespace(st_mode=regular))


@pytest.mark.parametrize("bad", ["RPU/a\x00b.rpu", "RPU/a\x1bb.rpu", "PRINT/证书\u202efdp.pdf"])
def test_a_manifest_naming_control_characters_is_refused(folder, bad):
    with open(folder / disc.MANIFEST, "a", encoding="utf-8") as fh:
        fh.write(f"{'0' * 64}  {bad}\n")
    with pytest.raises(disc.DiscError, match="控制字符"):
        disc.verify(folder)
