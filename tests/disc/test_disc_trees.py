"""Hostile discs: an image whose Joliet (what Windows Explorer shows), UDF or plain ISO 9660 tree
leads to other bytes than its Rock Ridge tree; a MANIFEST that lists a file twice; names with
control or bidi characters, which are shown escaped. The hostile images are built with pycdlib
and read with xorriso, as a reader of that tree would."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from collector import disc
from collector.office import inbox

pycdlib = pytest.importorskip("pycdlib")

LABEL = disc.DiscLabel("包头市人力资源和社会保障局", dt.date(2017, 4, 20), "102")
GOOD, EVIL = b"\x89RPU genuine " * 100, b"\x89RPU swapped " * 100
WHY = "映像中的文件名目录彼此不一致（Windows 显示 Joliet 或 UDF 目录，其他系统显示 Rock Ridge 目录）："
AGAIN = "。请从原始光盘或文件夹重新复制，或请报送单位重新制作光盘"


@pytest.fixture
def image(tmp_path) -> Path:
    rpu = tmp_path / "张三.rpu"
    rpu.write_bytes(GOOD)
    folder = disc.build_folder(tmp_path / "disc", rpu_files=[rpu], label=LABEL)
    return disc.make_iso(folder, tmp_path / "good.iso", label=LABEL)


def _joliet_swapped(good: Path, out: Path) -> Path:
    """``good`` with its Joliet name RPU/张三.rpu pointed at other bytes; the Rock Ridge and
    ISO 9660 trees and the manifest unchanged."""
    iso = pycdlib.PyCdlib()
    iso.open(str(good))
    iso.rm_hard_link(joliet_path="/RPU/张三.rpu")
    iso.add_fp(io.BytesIO(EVIL), len(EVIL), "/RPU/EVIL.RPU;1", rr_name="evil.rpu",
               joliet_path="/RPU/张三.rpu")
    iso.rm_hard_link(iso_path="/RPU/EVIL.RPU;1")  # reachable through Joliet only
    iso.write(str(out))
    iso.close()
    return out


def _xorriso_reads(image: Path, tree: str, rel: str, out: Path) -> bytes:
    """What xorriso takes off ``image`` reading its Rock Ridge tree, or Joliet (``norock``)."""
    read = ["-read_fs", "norock"] if tree == "joliet" else []
    subprocess.run(["xorriso", *read, "-osirrox", "on", "-indev", f"stdio:{image}",
                    "-extract", rel, str(out)], check=True, capture_output=True)
    return out.read_bytes()


def test_an_image_whose_joliet_tree_holds_other_bytes_is_refused(image, tmp_path):
    bad = _joliet_swapped(image, tmp_path / "bad.iso")
    if shutil.which("xorriso"):  # the attack is real: a Joliet reader gets the other bytes
        assert _xorriso_reads(bad, "rr", "/RPU/张三.rpu", tmp_path / "rr.rpu") == GOOD
        assert _xorriso_reads(bad, "joliet", "/RPU/张三.rpu", tmp_path / "j.rpu") == EVIL
    report = disc.verify(bad)
    assert not report.ok and (report.missing, report.altered, report.extra) == ([], [], [])
    assert report.trees == ["Joliet 目录中 RPU/张三.rpu 内容不同"]
    assert report.message() == f"{bad} 校验未通过：{WHY}Joliet 目录中 RPU/张三.rpu 内容不同{AGAIN}"
    assert disc.verify(image).ok


def test_inbox_refuses_the_image_and_takes_nothing_off_it(image, tmp_path, store):
    bad = _joliet_swapped(image, tmp_path / "bad.iso")
    with pytest.raises(disc.DiscError) as err, disc.rpu_files_on(bad):
        pass
    assert "Joliet 目录中 RPU/张三.rpu 内容不同" in str(err.value)
    result = inbox.import_many(store, [bad], identity=None)
    [entry] = result.entries
    assert entry.status == inbox.REFUSED and entry.reason == str(err.value)


def test_a_file_read_off_the_image_is_hashed_again_against_the_manifest(image, tmp_path):
    with disc.open_iso(image) as opened:
        right = hashlib.sha256(GOOD).hexdigest()
        assert opened.extract("RPU/张三.rpu", tmp_path / "a.rpu", right).read_bytes() == GOOD
        with pytest.raises(disc.DiscError) as err:
            opened.extract("RPU/张三.rpu", tmp_path / "b.rpu", "0" * 64)
    assert str(err.value) == (f"{image} 中的 RPU/张三.rpu 读出时与 MANIFEST.sha256 不符，光盘映像在"
                              "校验后被改动或读取出错；请重新复制后再导入")


def _manifest(*names: str) -> bytes:
    return "".join(f"{hashlib.sha256(GOOD).hexdigest()}  {n}\n" for n in names).encode()


def test_an_image_whose_udf_tree_holds_other_bytes_is_refused(tmp_path):
    """Windows reads UDF first when a burning program wrote one."""
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, joliet=3, rock_ridge="1.09", udf="2.60")
    man = _manifest("RPU/张三.rpu")
    iso.add_fp(io.BytesIO(man), len(man), "/MANIFEST.SHA25;1", rr_name="MANIFEST.sha256",
               joliet_path="/MANIFEST.sha256", udf_path="/MANIFEST.sha256")
    iso.add_directory("/RPU", rr_name="RPU", joliet_path="/RPU", udf_path="/RPU")
    iso.add_fp(io.BytesIO(GOOD), len(GOOD), "/RPU/F00001.RPU;1", rr_name="张三.rpu",
               joliet_path="/RPU/张三.rpu")
    iso.add_fp(io.BytesIO(EVIL), len(EVIL), udf_path="/RPU/张三.rpu")
    iso.write(str(tmp_path / "udf.iso"))
    iso.close()
    report = disc.verify(tmp_path / "udf.iso")
    assert report.trees == ["UDF 目录中 RPU/张三.rpu 内容不同"] and report.checked == 1


def test_an_image_whose_plain_iso9660_tree_holds_other_bytes_is_refused(tmp_path):
    """Without Rock Ridge the Joliet tree is checked against the manifest, and the plain names
    (made up, F00001.RPU) by content."""
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, joliet=3)
    man = _manifest("RPU/张三.rpu")
    iso.add_fp(io.BytesIO(man), len(man), "/MANIFEST.SHA25;1", joliet_path="/MANIFEST.sha256")
    iso.add_directory("/RPU", joliet_path="/RPU")
    iso.add_fp(io.BytesIO(GOOD), len(GOOD), "/RPU/F00001.RPU;1", joliet_path="/RPU/张三.rpu")
    iso.rm_hard_link(iso_path="/RPU/F00001.RPU;1")
    iso.add_fp(io.BytesIO(EVIL), len(EVIL), "/RPU/F00001.RPU;1")
    iso.write(str(tmp_path / "plain.iso"))
    iso.close()
    report = disc.verify(tmp_path / "plain.iso")
    assert report.trees == ["ISO 9660 目录的 2 个文件与 Joliet 目录的 2 个内容不同（RPU/F00001.RPU;1）"]


def test_an_image_with_a_name_only_in_one_tree_says_which(image, tmp_path):
    """Rock Ridge names are the ISO 9660 records' own: a name reachable only through Joliet."""
    iso = pycdlib.PyCdlib()
    iso.open(str(image))
    iso.add_fp(io.BytesIO(EVIL), len(EVIL), "/RPU/EXTRA.RPU;1", rr_name="extra.rpu",
               joliet_path="/RPU/多出.rpu")
    iso.rm_hard_link(iso_path="/RPU/EXTRA.RPU;1")
    iso.write(str(tmp_path / "extra.iso"))
    iso.close()
    report = disc.verify(tmp_path / "extra.iso")
    assert report.trees == ["Joliet 目录多出 RPU/多出.rpu"]


@pytest.mark.parametrize("second, note", [
    ("RPU/张三.rpu", ""),
    ("rpu/张三.RPU", "（与 RPU/张三.rpu 在 Windows 上是同一文件）"),
])
def test_a_manifest_that_lists_a_file_twice_is_refused(image, tmp_path, second, note):
    folder = tmp_path / "disc"
    with open(folder / "MANIFEST.sha256", "a", encoding="utf-8") as fh:
        fh.write(f"{'0' * 64}  {second}\n")
    with pytest.raises(disc.DiscError) as err:
        disc.verify(folder)
    lines = (folder / "MANIFEST.sha256").read_text(encoding="utf-8").count("\n")
    assert str(err.value) == (f"{folder} 的 MANIFEST.sha256 第{lines}行重复列出了 {second}{note}，"
                              "清单可能被篡改；请报送单位重新制作光盘")


@pytest.mark.skipif(os.name == "nt", reason="NTFS refuses control characters in file names: the hostile name cannot be put on disk there")
def test_names_with_control_or_bidi_characters_are_shown_escaped(image, tmp_path, cli):
    folder = tmp_path / "disc"
    (folder / "RPU" / "证书\u202efdp.rpu").write_bytes(b"x")
    (folder / "RPU" / "a\n[OK] b.rpu").write_bytes(b"x")
    (folder / "RPU" / "c\x1b[2Jd.rpu").write_bytes(b"x")
    r = cli("disc", "verify", folder)
    assert r.code == 1
    assert "清单外的文件 RPU/a\\x0a[OK] b.rpu、RPU/c\\x1b[2Jd.rpu、RPU/证书\\u202efdp.rpu。" in r.out
    assert r.out.count("\n") == 1 and "\u202e" not in r.out and "\x1b" not in r.out


@pytest.mark.skipif(os.name == "nt", reason="NTFS refuses control characters in file names: the hostile name cannot be put on disk there")
def test_inbox_and_import_lines_show_a_hostile_file_name_escaped(tmp_path, store, cli,
                                                                 monkeypatch):
    """A package file named to forge a line ("\\n[已导入] …") or to flip its extension (U+202E):
    every line that names it shows the characters escaped."""
    hostile = tmp_path / "证书\u202efdp.rpu"
    hostile.write_bytes(b"not a package")
    forged = tmp_path / "x\n[已导入] 张三.rpu"
    forged.write_bytes(b"not a package")
    from collector.exchange.keyring import generate_identity

    identity = generate_identity(store, "disc-tests", "单位", "包头稀土研究院")
    result = inbox.import_many(store, [hostile, forged], identity)
    lines = [line for e in result.entries for line in inbox.entry_lines(e)]
    assert len(lines) == 2 and lines[0].startswith(f"[拒收] {tmp_path}/证书\\u202efdp.rpu  签名 —")
    assert lines[1].startswith(f"[拒收] {tmp_path}/x\\x0a[已导入] 张三.rpu  签名 —")
    assert not any("\u202e" in line or "\n" in line for line in lines)
    store.close()
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "disc-tests")
    r = cli("import-rpu", hostile, forged)
    assert r.code == 1 and r.err.count("\n") == 2
    assert r.err.startswith("错误：证书\\u202efdp.rpu：") and "\u202e" not in r.err


def test_joliet_names_cut_to_fit_are_matched_to_their_whole_names(tmp_path):
    """A hand-made folder with names too long for Joliet: the image cuts them (make_iso), and
    verify finds each cut name's whole twin instead of calling both trees' names foreign."""
    rpu = tmp_path / "x.rpu"
    rpu.write_bytes(GOOD)
    folder = disc.build_folder(tmp_path / "disc", rpu_files=[rpu], label=LABEL)
    long = "内蒙古自治区包头市人力资源和社会保障局专业技术人员管理科"
    for day in ("20170420", "20170421"):
        (folder / "RPU" / f"{long}{long}_{day}.rpu").write_bytes(day.encode())
    disc.write_manifest(folder)
    image = disc.make_iso(folder, tmp_path / "long.iso", label=LABEL)
    with disc.open_iso(image) as opened:
        cut = sorted(n for n in opened.files("joliet_path") if n.startswith("RPU/内蒙古"))
    # cut in the middle, keeping the date that tells them apart (disc/names.py)
    assert len(set(cut)) == 2 and all("…" in n for n in cut)
    assert all(len(n.encode()) <= len("RPU/") + 64 for n in cut)
    report = disc.verify(image)
    assert report.ok and report.checked == 4, report.message()


def test_a_file_missing_from_the_joliet_tree_is_named(image, tmp_path):
    iso = pycdlib.PyCdlib()
    iso.open(str(image))
    iso.rm_hard_link(joliet_path="/RPU/张三.rpu")
    iso.write(str(tmp_path / "hidden.iso"))
    iso.close()
    assert disc.verify(tmp_path / "hidden.iso").trees == ["Joliet 目录缺少 RPU/张三.rpu"]


def test_a_plain_tree_with_an_extra_copy_of_a_listed_file_differs_in_count(tmp_path):
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, joliet=3)
    man = _manifest("RPU/张三.rpu")
    iso.add_fp(io.BytesIO(man), len(man), "/MANIFEST.SHA25;1", joliet_path="/MANIFEST.sha256")
    iso.add_directory("/RPU", joliet_path="/RPU")
    iso.add_fp(io.BytesIO(GOOD), len(GOOD), "/RPU/F00001.RPU;1", joliet_path="/RPU/张三.rpu")
    iso.add_fp(io.BytesIO(GOOD), len(GOOD), "/RPU/F00002.RPU;1")
    iso.write(str(tmp_path / "twice.iso"))
    iso.close()
    report = disc.verify(tmp_path / "twice.iso")
    assert report.trees == ["ISO 9660 目录的 3 个文件与 Joliet 目录的 2 个内容不同（份数不同）"]


def test_explorer_files_in_another_tree_are_not_foreign(image, tmp_path):
    iso = pycdlib.PyCdlib()
    iso.open(str(image))
    iso.add_fp(io.BytesIO(b"thumbs"), 6, "/RPU/THUMBS.DB;1", rr_name="Thumbs.db",
               joliet_path="/RPU/Thumbs.db")
    iso.rm_hard_link(iso_path="/RPU/THUMBS.DB;1")  # what Explorer left, in Joliet only
    iso.write(str(tmp_path / "thumbs.iso"))
    iso.close()
    with disc.open_iso(tmp_path / "thumbs.iso") as opened:
        assert "RPU/Thumbs.db" in set(opened.files("joliet_path")) - set(opened.files())
    assert disc.verify(tmp_path / "thumbs.iso").ok


def test_progress_counts_the_manifest_and_a_missing_image_is_a_usage_error(image, tmp_path):
    from collector.common.errors import UsageError

    seen = []
    assert disc.verify(image, progress=lambda n, total, name: seen.append((n, total, name))).ok
    assert seen == [(1, 2, "README.txt"), (2, 2, "RPU/张三.rpu")]
    with pytest.raises(UsageError), disc.rpu_files_on(tmp_path / "gone.iso"):
        pass
