import shutil

import pytest

from collector.common import fonts


def test_font_files_are_bundled_with_licence():
    assert fonts.cjk_font_path().stat().st_size > 1_000_000
    assert fonts.fallback_font_path().is_file()
    assert (fonts.cjk_font_path().parent / "LICENSE-Apache-2.0.txt").is_file()


def test_register_reportlab_is_idempotent():
    from reportlab.pdfbase import pdfmetrics

    assert fonts.register_reportlab() == fonts.register_reportlab() == fonts.FONT_NAME
    assert fonts.FALLBACK_NAME in pdfmetrics.getRegisteredFontNames()


def test_gb2312_latin_and_digits_are_covered():
    assert fonts.missing_glyphs("张三 Zhang San 15010219800101001X（教授）、“一带一路”") == set()


def test_extension_a_character_uses_fallback_font():
    assert fonts.missing_glyphs("刘䶮") == set()
    assert fonts.font_for("䶮") == fonts.FALLBACK_NAME
    assert fonts.font_for("刘") == fonts.FONT_NAME


def test_emoji_is_reported_missing_but_whitespace_is_not():
    assert fonts.missing_glyphs("王😀\n\t 五") == {"😀"}
    assert fonts.missing_glyphs("") == set()


def test_the_song_face_is_bundled_subset_with_its_licence():
    song = fonts.song_font_path()
    assert song.stat().st_size < 3_000_000  # a subset: the installer stays small
    assert (song.parent / "ARPHICPL.TXT").is_file()
    data = song.read_bytes()  # the APL 2(a) notice of the change, in the name table
    assert "Modified".encode("utf-16-be") in data
    assert "tools/subset_song.py".encode("utf-16-be") in data
    for ch in "推荐人选个人登记表姓名性别民族仡佬鄂温克族呼和浩特市包头市0123456789ABCabc（）：、“”":
        assert fonts.body_font_for(ch) == fonts.SONG_NAME, ch
    assert fonts.body_font_for("䶮") == fonts.FALLBACK_NAME
    assert fonts.body_font_for("堃") == fonts.FONT_NAME  # outside the subset: the sans


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="lists the PDF's fonts with pdffonts (poppler-utils)")
def test_forms_set_body_text_in_song_and_labels_in_the_sans(tmp_path):
    import subprocess

    from collector.printing import registration_pdf
    from tests.conftest import make_record

    path = registration_pdf(make_record(3, name="张堃"), tmp_path / "r.pdf").path
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                            check=True).stdout
    rows = [line.split() for line in listed.splitlines()[2:]]
    names = {row[0].split("+")[-1] for row in rows}
    assert {"BousungEG-Light-GB", "WenQuanYiMicroHei-0"} <= names, listed  # Song and sans
    assert all("yes" in row[-5:-2] for row in rows), listed  # embedded (and subset)
