"""The export disc: layout, MANIFEST.sha256, ISO 9660 with Joliet + Rock Ridge, medium size,
verification of folders and images."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from collector import disc
from collector.common.errors import UsageError

LABEL = disc.DiscLabel("包头市人力资源和社会保障局", dt.date(2017, 4, 20), "102")


def _fill(folder: Path) -> None:
    (folder / "推荐报告.pdf").write_bytes(b"%PDF-1.4 report")
    (folder / "登记表").mkdir()
    (folder / "登记表" / "001-张三-推荐人选个人登记表.pdf").write_bytes(b"%PDF" + b"x" * 5000)


@pytest.fixture
def folder(tmp_path) -> Path:
    rpu = tmp_path / "包头市_20170420.rpu"
    rpu.write_bytes(b"\x89RPU" + bytes(range(256)) * 10)
    xlsx = tmp_path / "s.xlsx"
    xlsx.write_bytes(b"PK fake xlsx")
    return disc.build_folder(tmp_path / "disc", rpu_files=[rpu], label=LABEL, fill_print=_fill,
                             summary_xlsx=xlsx)


def test_folder_has_the_layout_and_a_manifest_of_every_file(folder):
    assert (folder / "RPU" / "包头市_20170420.rpu").is_file()
    assert (folder / "PRINT" / "推荐报告.pdf").is_file()
    assert (folder / "汇总表.xlsx").is_file()
    readme = (folder / "README.txt").read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and b"\r\n" in readme
    assert "包头市人力资源和社会保障局" in readme.decode("utf-8-sig")
    lines = (folder / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    names = {line.split("  ", 1)[1] for line in lines}
    assert names == {"README.txt", "RPU/包头市_20170420.rpu", "PRINT/推荐报告.pdf",
                     "PRINT/登记表/001-张三-推荐人选个人登记表.pdf", "汇总表.xlsx"}
    report = disc.verify(folder)
    assert report.ok and report.checked == 5


def test_manifest_is_sha256sum_compatible(folder):
    if not shutil.which("sha256sum"):
        pytest.skip("sha256sum not installed")
    done = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_altered_missing_and_extra_files_are_named(folder):
    (folder / "汇总表.xlsx").write_bytes(b"changed")
    (folder / "PRINT" / "推荐报告.pdf").unlink()
    (folder / "RPU" / "多余.rpu").write_bytes(b"x")
    report = disc.verify(folder)
    assert not report.ok
    assert report.altered == ["汇总表.xlsx"]
    assert report.missing == ["PRINT/推荐报告.pdf"]
    assert report.extra == ["RPU/多余.rpu"]
    message = report.message()
    assert "汇总表.xlsx" in message and "推荐报告.pdf" in message and "多余.rpu" in message


def test_iso_keeps_chinese_names_and_verifies(folder, tmp_path):
    iso = disc.make_iso(folder, tmp_path / "光盘.iso", label=LABEL)
    with disc.open_iso(iso) as image:
        files = set(image.files())
        assert "PRINT/登记表/001-张三-推荐人选个人登记表.pdf" in files
        assert "汇总表.xlsx" in files
        assert image.iso.pvd.volume_identifier.decode().strip() == "RPU_102_20170420"
        joliet_label = image.iso.joliet_vd.volume_identifier.decode("utf-16_be").strip()
        assert joliet_label.startswith("包头市") and joliet_label.endswith("20170420")
        assert image.iso.has_rock_ridge()
    assert disc.verify(iso).ok
    if shutil.which("xorriso"):
        listing = subprocess.run(["xorriso", "-indev", f"stdio:{iso}", "-find"],
                                 capture_output=True, text=True).stdout
        assert "./PRINT/登记表/001-张三-推荐人选个人登记表.pdf" in listing
        assert "./RPU/包头市_20170420.rpu" in listing


def test_altered_byte_inside_an_iso_is_found(folder, tmp_path):
    iso = disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    data = bytearray(iso.read_bytes())
    at = data.find(bytes(range(256)))
    data[at + 7] ^= 0xFF
    iso.write_bytes(bytes(data))
    report = disc.verify(iso)
    assert report.altered == ["RPU/包头市_20170420.rpu"]


def test_too_small_medium_is_refused_with_both_sizes_and_nothing_left(folder, tmp_path):
    with pytest.raises(disc.DiscError) as err:
        disc.make_iso(folder, tmp_path / "small.iso", label=LABEL, capacity=10_000)
    assert "MB" in str(err.value) and "0.0 MB" in str(err.value) and "CD" in str(err.value)
    assert not (tmp_path / "small.iso").exists()
    assert not list(tmp_path.glob(".small.iso*"))


def test_folder_refused_for_medium_leaves_nothing(tmp_path):
    rpu = tmp_path / "a.rpu"
    rpu.write_bytes(b"x" * 100_000)
    with pytest.raises(disc.DiscError, match="超过"):
        disc.build_folder(tmp_path / "out", rpu_files=[rpu], label=LABEL, medium="cd",
                          capacity=50_000)
    assert [p.name for p in tmp_path.iterdir()] == ["a.rpu"]


def test_output_folder_must_be_new_or_empty(tmp_path, folder):
    rpu = tmp_path / "a.rpu"
    rpu.write_bytes(b"x")
    with pytest.raises(UsageError, match="不是空文件夹"):
        disc.build_folder(folder, rpu_files=[rpu], label=LABEL)


def test_not_an_iso_gives_a_clear_message(tmp_path):
    bogus = tmp_path / "x.iso"
    bogus.write_bytes(b"not an image" * 100)
    with pytest.raises(disc.DiscError, match="不是有效的光盘映像"):
        disc.verify(bogus)


def test_rpu_files_are_read_back_from_folder_and_image(folder, tmp_path):
    iso = disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    for source in (folder, iso):
        with disc.rpu_files_on(source) as files:
            assert [p.name for p, _ in files] == ["包头市_20170420.rpu"]
            assert files[0][0].read_bytes() == (folder / "RPU" / "包头市_20170420.rpu").read_bytes()


def test_cli_disc_verify_exit_codes(cli, folder):
    r = cli("disc", "verify", folder)
    assert r.code == 0 and "一致" in r.out
    (folder / "README.txt").write_text("changed", encoding="utf-8")
    r = cli("disc", "verify", folder)
    assert r.code == 1 and "README.txt" in r.out


def test_plain_verify_of_a_disc_folder_or_image_checks_the_manifest(cli, folder, tmp_path):
    """DESIGN §9: `verify` of a disc folder or image checks every file against the manifest."""
    iso = disc.make_iso(folder, tmp_path / "disc.iso", label=LABEL)
    assert cli("verify", folder).code == 0
    assert cli("verify", iso).code == 0
    (folder / "README.txt").write_text("changed", encoding="utf-8")
    r = cli("verify", folder)
    assert r.code == 1 and "README.txt" in r.out


def test_an_image_with_a_missing_an_altered_and_an_extra_file_names_each(folder, tmp_path):
    (folder / "汇总表.xlsx").write_bytes(b"changed")
    (folder / "PRINT" / "推荐报告.pdf").unlink()
    (folder / "RPU" / "多余.rpu").write_bytes(b"x")
    iso = disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    seen = []
    report = disc.verify(iso, progress=lambda n, total, name: seen.append((n, total, name)))
    assert (report.missing, report.altered, report.extra) == (
        ["PRINT/推荐报告.pdf"], ["汇总表.xlsx"], ["RPU/多余.rpu"])
    assert report.checked == 5 and not report.ok
    assert seen == [(n, 5, name) for n, name in enumerate(sorted(
        ["README.txt", "RPU/包头市_20170420.rpu", "PRINT/推荐报告.pdf",
         "PRINT/登记表/001-张三-推荐人选个人登记表.pdf", "汇总表.xlsx"]), start=1)]
    assert report.message() == (
        f"{iso} 校验未通过：缺少 PRINT/推荐报告.pdf；内容被改动 汇总表.xlsx；"
        "清单外的文件 RPU/多余.rpu。请从原始光盘或文件夹重新复制，或请报送单位重新制作光盘")
    with pytest.raises(disc.DiscError) as err:
        with disc.rpu_files_on(iso):
            pass
    assert str(err.value) == report.message()


def test_a_folder_reports_progress_and_says_all_files_match(folder):
    seen = []
    report = disc.verify(folder, progress=lambda n, total, name: seen.append((n, total, name)))
    assert [s[0] for s in seen] == [1, 2, 3, 4, 5] and {s[1] for s in seen} == {5}
    assert [s[2] for s in seen] == sorted(s[2] for s in seen) and seen[0][2] == "PRINT/推荐报告.pdf"
    assert report.message() == f"{folder}：5 个文件全部与 MANIFEST.sha256 一致"


def test_a_folder_message_names_each_kind_of_problem(folder):
    (folder / "汇总表.xlsx").write_bytes(b"changed")
    (folder / "README.txt").unlink()
    (folder / "PRINT" / "多余.pdf").write_bytes(b"x")
    report = disc.verify(folder)
    assert report.checked == 5
    assert report.message() == (
        f"{folder} 校验未通过：缺少 README.txt；内容被改动 汇总表.xlsx；清单外的文件 PRINT/多余.pdf。"
        "请从原始光盘或文件夹重新复制，或请报送单位重新制作光盘")


def test_a_folder_without_a_manifest_or_a_path_that_does_not_exist(folder, tmp_path):
    (folder / "MANIFEST.sha256").unlink()
    with pytest.raises(disc.DiscError) as err:
        disc.verify(folder)
    assert str(err.value) == f"{folder} 中没有 MANIFEST.sha256，不是本程序制作的光盘文件夹"
    with pytest.raises(UsageError) as err:
        disc.verify(tmp_path / "nowhere")
    assert str(err.value) == f"{tmp_path / 'nowhere'} 不存在"


def test_rpu_files_say_where_they_came_from(folder, tmp_path):
    """Only .rpu files (any case of the extension), with their place on the disc."""
    (folder / "RPU" / "第二份.RPU").write_bytes(b"\x89RPU second")
    (folder / "RPU" / "说明.txt").write_bytes(b"not a package")
    from collector.disc.folder import write_manifest

    write_manifest(folder)
    iso = disc.make_iso(folder, tmp_path / "盘.iso", label=LABEL)
    with disc.rpu_files_on(folder) as files:
        assert [origin for _, origin in files] == ["disc/RPU/包头市_20170420.rpu",
                                                   "disc/RPU/第二份.RPU"]
    with disc.rpu_files_on(iso) as files:
        assert [origin for _, origin in files] == ["盘.iso:/RPU/包头市_20170420.rpu",
                                                   "盘.iso:/RPU/第二份.RPU"]
        assert [p.read_bytes()[:4] for p, _ in files] == [b"\x89RPU", b"\x89RPU"]
        assert len({p.parent for p, _ in files}) == 2
        kept = [p for p, _ in files]
    assert not any(p.exists() for p in kept)  # the temp copies are removed afterwards


@pytest.mark.parametrize("line, words", [
    ("not a manifest line", "第6行格式不对，光盘可能已损坏"),
    (f"{'0' * 64}  ../outside.pdf", "第6行路径不安全：../outside.pdf"),
])
def test_a_damaged_or_unsafe_manifest_line_names_the_folder_and_line(folder, line, words):
    with open(folder / "MANIFEST.sha256", "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    with pytest.raises(disc.DiscError) as err:
        disc.verify(folder)
    assert str(err.value) == f"{folder} 的 MANIFEST.sha256 {words}"


def test_the_manifest_is_read_as_utf8_whatever_the_locale(folder):
    """Chinese names in MANIFEST.sha256 are UTF-8; a Chinese Windows' default is GBK (here:
    the C locale's ASCII) and must not be used to read it."""
    import locale

    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        assert locale.getpreferredencoding(False) != "UTF-8"
        report = disc.verify(folder)
    finally:
        locale.setlocale(locale.LC_CTYPE, before)
    assert report.ok and report.checked == 5


def test_a_message_lists_every_file_of_each_kind(folder, tmp_path):
    (folder / "汇总表.xlsx").write_bytes(b"changed")
    (folder / "README.txt").write_bytes(b"changed too")
    (folder / "PRINT" / "推荐报告.pdf").unlink()
    (folder / "PRINT" / "登记表" / "001-张三-推荐人选个人登记表.pdf").unlink()
    (folder / "a.txt").write_bytes(b"x")
    (folder / "b.txt").write_bytes(b"y")
    (tmp_path / "elsewhere").mkdir()
    (folder / "link1").symlink_to(tmp_path / "elsewhere")
    (folder / "link2").symlink_to(tmp_path / "elsewhere")
    report = disc.verify(folder)
    assert report.message() == (
        f"{folder} 校验未通过：缺少 PRINT/推荐报告.pdf、PRINT/登记表/001-张三-推荐人选个人登记表.pdf；"
        "内容被改动 README.txt、汇总表.xlsx；清单外的文件 a.txt、b.txt；"
        "链接或快捷方式（不会跟随读取）link1、link2。"
        "请从原始光盘或文件夹重新复制，或请报送单位重新制作光盘")


def test_a_damaged_manifest_inside_an_image_names_the_image(folder, tmp_path):
    with open(folder / "MANIFEST.sha256", "a", encoding="utf-8") as fh:
        fh.write("not a manifest line\n")
    iso = disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    with pytest.raises(disc.DiscError) as err:
        disc.verify(iso)
    assert str(err.value) == f"{iso} 的 MANIFEST.sha256 第6行格式不对，光盘可能已损坏"


def test_explorer_files_on_an_image_made_elsewhere_are_not_extra(folder, tmp_path, monkeypatch):
    """Another burning tool may copy Windows' Thumbs.db onto the image: not an extra file."""
    from collector.disc import iso as iso_module

    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0 thumbnails")
    monkeypatch.setattr(iso_module, "EXPLORER_FILES", frozenset())  # burn it like that tool
    image = disc.make_iso(folder, tmp_path / "d.iso", label=LABEL)
    with disc.open_iso(image) as opened:
        assert "Thumbs.db" in set(opened.files())
    report = disc.verify(image)
    assert report.ok and report.extra == []


@pytest.mark.parametrize("name, expected", [
    ("001-额尔敦巴雅尔巴特尔朝鲁-佐证材料封面及目录.pdf", "001-额尔敦巴雅尔巴特…-佐证材料封面及目录.pdf"),
    ("001-额尔敦巴雅尔巴特尔朝鲁-推荐人选个人登记表.pdf", "001-额尔敦巴雅尔巴特…-推荐人选个人登记表.pdf"),
    ("内蒙古自治区某某某某某某研究院附属某某某某某某中心_20170420.rpu",
     "内蒙古自治区某某某某某某研究院附…_20170420.rpu"),
    ("001-王芳-佐证材料封面及目录.pdf", "001-王芳-佐证材料封面及目录.pdf"),
])
def test_a_long_disc_name_is_shortened_in_its_middle_not_mid_title(name, expected):
    from collector.disc.names import JOLIET_MAX_BYTES, fit_name

    got = fit_name(name, set())
    assert got == expected and len(got.encode("utf-8")) <= JOLIET_MAX_BYTES
