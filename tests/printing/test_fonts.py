from collector import fonts


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
