"""Long Chinese names on a disc: Windows reads the Joliet tree, which pycdlib limits to 64
UTF-8 bytes per name (about 21 Chinese characters)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from collector import disc
from collector.disc.names import fit_name
from tests.conftest import make_record

LONG_UNIT = "内蒙古自治区包头市人力资源和社会保障局专技处"
LONG_NAME = "阿不都热依木·买买提明江"  # 11 characters, a long minority name
LABEL = disc.DiscLabel(LONG_UNIT, dt.date(2017, 4, 20), "102")
needs_xorriso = pytest.mark.skipif(not shutil.which("xorriso"), reason="xorriso not installed")


def xorriso_names(iso: Path, *, joliet: bool) -> list[str]:
    """The names a reader sees: Rock Ridge (Linux) or Joliet only (``-read_fs norock``, Windows)."""
    args = ["xorriso", *(["-read_fs", "norock"] if joliet else []), "-indev", f"stdio:{iso}", "-find"]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return [line.strip("'")[2:] for line in done.stdout.splitlines() if line.startswith("'./")]


def test_names_are_cut_by_utf8_bytes_keep_their_extension_and_stay_unique():
    taken: set[str] = set()
    first = fit_name(f"{LONG_UNIT}_20170420.rpu", taken)
    second = fit_name(f"{LONG_UNIT}_20170421.rpu", taken)
    for name in (first, second):
        assert len(name.encode("utf-8")) <= 64 and name.endswith(".rpu")
        assert name.startswith("内蒙古自治区包头市")
    assert first != second
    assert fit_name("短名.PDF", taken) == "短名.PDF"
    assert fit_name("短名.pdf", taken) != "短名.pdf"  # Windows compares names ignoring case
    assert fit_name("a;b.pdf", set()) == "a_b.pdf"  # ';' separates Joliet's version number


@needs_xorriso
def test_cli_disc_with_a_long_unit_and_a_long_minority_name_makes_a_readable_iso(
        cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "windows-tests")
    assert cli("role", "--set", "盟市/厅局", "--unit", LONG_UNIT, "--channel", "包头市").code == 0
    assert cli("keys", "generate").code == 0
    record = make_record(1, name=LONG_NAME, channel={"kind": "盟市", "name": "包头市"})
    src = tmp_path / "r.json"
    src.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src).code == 0
    assert cli("decide", record["id_number"], "推荐").code == 0
    iso = tmp_path / "光盘.iso"
    r = cli("disc", "--out", tmp_path / "disc", "--iso", iso, "--today", "2017-04-20")
    assert r.code == 0, r.err
    assert "程序内部错误" not in r.err
    rock_ridge, joliet = xorriso_names(iso, joliet=False), xorriso_names(iso, joliet=True)
    assert all(len(Path(n).name.encode("utf-8")) <= 64 for n in joliet)
    # The folder already has the fitted names, so Windows sees what the manifest lists.
    assert sorted(joliet) == sorted(rock_ridge)
    manifest = (tmp_path / "disc" / "MANIFEST.sha256").read_text(encoding="utf-8")
    listed = {line.split("  ", 1)[1] for line in manifest.splitlines()}
    assert listed <= set(joliet)
    assert any(n.startswith("RPU/内蒙古自治区") and n.endswith(".rpu") for n in joliet)
    assert any(LONG_NAME[:4] in n for n in joliet)
    assert cli("disc", "verify", iso).code == 0


@needs_xorriso
def test_a_hand_made_folder_with_long_names_still_gives_an_image(tmp_path):
    folder = tmp_path / "disc"
    rpu = tmp_path / "x.rpu"
    rpu.write_bytes(b"\x89RPU")
    disc.build_folder(folder, rpu_files=[rpu], label=LABEL)
    # Someone adds files with names Joliet cannot hold and rewrites the manifest.
    for day in ("20170420", "20170421"):
        (folder / "RPU" / f"{LONG_UNIT}{LONG_UNIT}_{day}.rpu").write_bytes(day.encode())
    disc.write_manifest(folder)
    iso = disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    joliet = xorriso_names(iso, joliet=True)
    long_ones = [n for n in joliet if n.startswith(f"RPU/{LONG_UNIT[:15]}")]
    assert len(long_ones) == 2 and all(len(n.encode()) <= 64 + 4 for n in long_ones)
    assert disc.verify(iso).ok  # read by the whole Rock Ridge names


_NTFS_REFUSES = pytest.mark.skipif(os.name == "nt", reason="NTFS refuses control characters")


@pytest.mark.parametrize("bad", [pytest.param("a\x01b.pdf", marks=_NTFS_REFUSES),
                                 pytest.param("证书\nrm.pdf", marks=_NTFS_REFUSES),
                                 "证书\u202efdp.pdf"])
def test_control_characters_in_names_are_refused(tmp_path, bad):
    rpu = tmp_path / "x.rpu"
    rpu.write_bytes(b"\x89RPU")

    def fill(folder: Path) -> None:
        (folder / bad).write_bytes(b"%PDF")

    with pytest.raises(disc.DiscError, match="控制字符"):
        disc.build_folder(tmp_path / "disc", rpu_files=[rpu], label=LABEL, fill_print=fill)
    assert not (tmp_path / "disc").exists()
    folder = disc.build_folder(tmp_path / "ok", rpu_files=[rpu], label=LABEL)
    (folder / "PRINT" / bad).write_bytes(b"%PDF")
    with pytest.raises(disc.DiscError, match="控制字符"):
        disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    assert not (tmp_path / "d.iso").exists()


def test_any_pycdlib_refusal_becomes_a_clear_disc_error(tmp_path, monkeypatch):
    import pycdlib
    from pycdlib.pycdlibexception import PyCdlibInvalidInput

    rpu = tmp_path / "x.rpu"
    rpu.write_bytes(b"\x89RPU")
    folder = disc.build_folder(tmp_path / "disc", rpu_files=[rpu], label=LABEL)

    def refuse(*args, **kwargs):
        raise PyCdlibInvalidInput("Joliet names can be a maximum of 64 characters")

    monkeypatch.setattr(pycdlib.PyCdlib, "add_file", refuse)
    with pytest.raises(disc.DiscError, match="无法制作光盘映像"):
        disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    assert not list(tmp_path.glob("*.iso")) and not list(tmp_path.glob(".d.iso*"))
